"""Invitations, answers and completeness of a bilan's attestations.

Nothing here commits, talks or logs personal data: the conversations call
these helpers inside their transaction and word the result themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, invitations
from bot.answers import fold
from bot.attestations.settings import invitation_expiry
from bot.storage.attestations import (
    AttendanceSheet,
    AttendanceSheetEntry,
    Attestation,
    AttestationInvitation,
    ProofSending,
)
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation
from bot.storage.people import ChatIdentity, Organisation, Person, zone_of

ROLE_LABELS = {
    "delegate": "délégué(e) des stagiaires",
    "trainee": "stagiaire",
    "partner": "partenaire",
}
KIND_LABELS = {"etape": "bilan d'étape", "fin": "bilan de fin de formation"}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
"""A terminal escape sequence (colours, cursor moves): dropped whole, not just its ESC."""
MATRIX_ID = re.compile(r"^@[A-Za-z0-9._=\-/]+:[A-Za-z0-9.\-]+(:[0-9]{1,5})?$")


def visible(text: str | None) -> str:
    """A name typed elsewhere, without the invisible characters that could disturb a chat.

    Terminal escape sequences, control and format characters (NUL, bidi
    overrides) are dropped; markup is left to the templates, which escape it.
    """
    if not text:
        return ""
    text = _ANSI.sub("", text)
    kept = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join(kept.split())


@dataclass(frozen=True)
class BilanInfo:
    """A bilan with what every message and document about it needs."""

    bilan: Bilan
    formation: Formation
    organisation: Organisation
    trainer: str
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return self.bilan.starts_at.astimezone(self.tz)

    @property
    def end(self) -> datetime:
        return self.bilan.ends_at.astimezone(self.tz)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.bilan.kind, "bilan")

    def participant(self, participant_id: int) -> BilanParticipant | None:
        return next((p for p in self.bilan.participants if p.id == participant_id), None)


def when_words(info: BilanInfo) -> dict[str, Any]:
    """The bilan in the words every chat message uses (organisation's zone)."""
    return {
        "organisation": visible(info.organisation.name),
        "formation": visible(info.formation.title),
        "kind": info.kind_label,
        "day": dates.spell_date(info.start),
        "start": dates.spell_time(info.start),
        "end": dates.spell_time(info.end),
        "remote": info.bilan.remote,
    }


async def bilan_info(session: AsyncSession, bilan_id: int) -> BilanInfo | None:
    bilan = await session.get(Bilan, bilan_id)
    if bilan is None:
        return None
    formation = await session.get(Formation, bilan.formation_id)
    organisation = await session.get(Organisation, bilan.organisation_id)
    if formation is None or organisation is None:
        return None
    await session.refresh(bilan, ["participants"])
    owner = await session.get(Person, formation.owner_id)
    return BilanInfo(
        bilan=bilan,
        formation=formation,
        organisation=organisation,
        trainer=visible(owner.display_name) if owner else "",
        tz=zone_of(organisation),
    )


# --- invitations -----------------------------------------------------------------------


def expiry(invitation: AttestationInvitation, info: BilanInfo) -> datetime:
    """When the code stops working: a bilan moved later pushes the date with it."""
    return max(invitation.expires_at, invitation_expiry(info.bilan.ends_at, info.organisation))


async def invitations_of(session: AsyncSession, bilan_id: int) -> list[AttestationInvitation]:
    return list(
        (
            await session.scalars(
                select(AttestationInvitation)
                .where(AttestationInvitation.bilan_id == bilan_id)
                .order_by(AttestationInvitation.id)
            )
        ).all()
    )


async def revoke(
    session: AsyncSession, participant_id: int, *, by: int | None, now: datetime
) -> int:
    """Revoke every live code of a participant; how many were."""
    rows = (
        await session.scalars(
            select(AttestationInvitation).where(
                AttestationInvitation.participant_id == participant_id,
                AttestationInvitation.revoked_at.is_(None),
            )
        )
    ).all()
    for row in rows:
        row.revoked_at = now
        row.revoked_by = by
    await session.flush()
    return len(rows)


async def issue(
    session: AsyncSession,
    info: BilanInfo,
    participant: BilanParticipant,
    *,
    by: int | None,
    now: datetime,
) -> tuple[AttestationInvitation, str]:
    """A new personal code for ``participant`` (earlier ones revoked); the code in clear.

    The clear code exists only in the returned value, to be shown once to the
    trainer; the database keeps its SHA-256.  When the participant's contact
    is a Matrix ID, it is recorded as the target, so a Matrix transport can
    invite that person directly instead of relying on a forwarded link.
    """
    await revoke(session, participant.id, by=by, now=now)
    code = invitations.new_code()
    contact = (participant.contact or "").strip()
    matrix = bool(MATRIX_ID.match(contact))
    invitation = AttestationInvitation(
        organisation_id=info.bilan.organisation_id,
        bilan_id=info.bilan.id,
        participant_id=participant.id,
        code_hash=invitations.code_hash(code),
        target_platform="matrix" if matrix else None,
        target_user=contact if matrix else None,
        created_by=by,
        created_at=now,
        expires_at=invitation_expiry(info.bilan.ends_at, info.organisation),
    )
    session.add(invitation)
    await session.flush()
    return invitation, code


async def find_code(session: AsyncSession, code: str) -> AttestationInvitation | None:
    if not invitations.looks_like_code(code):
        return None
    wanted = invitations.code_hash(code)
    found = await session.scalar(
        select(AttestationInvitation).where(AttestationInvitation.code_hash == wanted)
    )
    if found is None or not invitations.same_hash(found.code_hash, wanted):
        return None
    return found


def redeemed_by(invitation: AttestationInvitation, platform: str, user_id: str) -> bool:
    return (
        invitation.redeemed_at is not None
        and invitation.redeemed_platform == platform
        and invitation.redeemed_user_id == user_id
    )


async def held_by(
    session: AsyncSession, platform: str, user_id: str
) -> list[AttestationInvitation]:
    """Live invitations this chat identity redeemed, oldest bilan first."""
    rows = (
        await session.scalars(
            select(AttestationInvitation)
            .join(Bilan, Bilan.id == AttestationInvitation.bilan_id)
            .where(
                AttestationInvitation.redeemed_platform == platform,
                AttestationInvitation.redeemed_user_id == user_id,
                AttestationInvitation.revoked_at.is_(None),
                Bilan.cancelled_at.is_(None),
            )
            .order_by(Bilan.starts_at, AttestationInvitation.id)
        )
    ).all()
    return list(rows)


async def participant_chat(
    session: AsyncSession, participant: BilanParticipant
) -> tuple[str, str] | None:
    """Where the bot can write to a participant: the chat that redeemed their code."""
    row = await session.scalar(
        select(AttestationInvitation)
        .where(
            AttestationInvitation.participant_id == participant.id,
            AttestationInvitation.redeemed_at.is_not(None),
            AttestationInvitation.revoked_at.is_(None),
        )
        .order_by(AttestationInvitation.redeemed_at.desc())
        .limit(1)
    )
    if row is None or not row.redeemed_platform or not row.redeemed_chat_id:
        return None
    return row.redeemed_platform, row.redeemed_chat_id


async def chat_of_person(
    session: AsyncSession, person_id: int, *, prefer: str | None = None
) -> tuple[str, str] | None:
    """(platform, chat) where the bot can write to a person first.

    A trainer may talk to the bot from several platforms: the one named by
    ``prefer`` comes first, then real platforms before the console (a place
    to try the bot, where nobody reads notices), then the oldest identity.
    """
    identities = (
        await session.scalars(
            select(ChatIdentity).where(
                ChatIdentity.person_id == person_id, ChatIdentity.blocked_at.is_(None)
            )
        )
    ).all()
    if not identities:
        return None
    best = min(
        identities,
        key=lambda i: (i.platform != prefer, i.platform == "console", i.id),
    )
    return best.platform, best.chat_id


# --- answers -----------------------------------------------------------------------------

_CIVILITY = {"m", "mme", "mlle", "monsieur", "madame", "mademoiselle", "mr"}


def same_name(typed: str, expected: str) -> bool:
    """Accents, case, civility and word order aside, is it the same name?"""

    def words(name: str) -> list[str]:
        return sorted(w for w in fold(visible(name)).split() if w not in _CIVILITY)

    return bool(words(typed)) and words(typed) == words(expected)


async def answers_of(session: AsyncSession, bilan_id: int) -> list[Attestation]:
    """Every answer of a bilan, every version, oldest first."""
    return list(
        (
            await session.scalars(
                select(Attestation)
                .where(Attestation.bilan_id == bilan_id)
                .order_by(Attestation.participant_id, Attestation.version)
            )
        ).all()
    )


async def current_answer(session: AsyncSession, participant_id: int) -> Attestation | None:
    return await session.scalar(
        select(Attestation)
        .where(Attestation.participant_id == participant_id)
        .order_by(Attestation.version.desc())
        .limit(1)
    )


def latest(answers: list[Attestation]) -> dict[int, Attestation]:
    found: dict[int, Attestation] = {}
    for answer in answers:
        known = found.get(answer.participant_id)
        if known is None or answer.version > known.version:
            found[answer.participant_id] = answer
    return found


async def sheets_of(session: AsyncSession, bilan_id: int) -> list[AttendanceSheet]:
    return list(
        (
            await session.scalars(
                select(AttendanceSheet)
                .where(AttendanceSheet.bilan_id == bilan_id)
                .order_by(AttendanceSheet.id)
            )
        ).all()
    )


async def sheet_of_participants(session: AsyncSession, bilan_id: int) -> dict[int, AttendanceSheet]:
    """For each participant ticked on a sheet, the first sheet they appear on."""
    rows = (
        await session.execute(
            select(AttendanceSheetEntry.participant_id, AttendanceSheet)
            .join(AttendanceSheet, AttendanceSheet.id == AttendanceSheetEntry.sheet_id)
            .where(AttendanceSheet.bilan_id == bilan_id)
            .order_by(AttendanceSheet.id)
        )
    ).all()
    found: dict[int, AttendanceSheet] = {}
    for participant_id, sheet in rows:
        found.setdefault(participant_id, sheet)
    return found


async def last_sending(session: AsyncSession, bilan_id: int) -> ProofSending | None:
    return await session.scalar(
        select(ProofSending)
        .where(ProofSending.bilan_id == bilan_id)
        .order_by(ProofSending.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class ParticipantStatus:
    participant: BilanParticipant
    answer: Attestation | None
    invitation: AttestationInvitation | None
    """The latest invitation (live or revoked)."""
    sheet: AttendanceSheet | None

    @property
    def state(self) -> str:
        """``attested`` | ``on_sheet`` | ``declined`` | ``declined_no_reason`` |
        ``opened`` (the code was used, no answer yet) | ``invited`` | ``not_invited``."""
        if self.answer is not None and self.answer.answer == "attested":
            return "attested"
        if self.sheet is not None:
            return "on_sheet"
        if self.answer is not None:
            return "declined" if (self.answer.reason or "").strip() else "declined_no_reason"
        if self.invitation is not None and self.invitation.revoked_at is None:
            return "opened" if self.invitation.redeemed_at is not None else "invited"
        return "not_invited"

    @property
    def accounted(self) -> bool:
        """Attested, declined with a reason, or on the uploaded sheet."""
        return self.state in ("attested", "on_sheet", "declined")


@dataclass(frozen=True)
class Progress:
    info: BilanInfo
    rows: list[ParticipantStatus]
    history: list[Attestation]
    sheets: list[AttendanceSheet]

    @property
    def missing(self) -> list[BilanParticipant]:
        return [r.participant for r in self.rows if not r.accounted]

    @property
    def complete(self) -> bool:
        """Every participant accounted for (and at least one participant)."""
        return bool(self.rows) and not self.missing


async def progress(session: AsyncSession, info: BilanInfo) -> Progress:
    history = await answers_of(session, info.bilan.id)
    current = latest(history)
    on_sheet = await sheet_of_participants(session, info.bilan.id)
    latest_invitation: dict[int, AttestationInvitation] = {}
    for invitation in await invitations_of(session, info.bilan.id):
        latest_invitation[invitation.participant_id] = invitation
    rows = [
        ParticipantStatus(
            participant=p,
            answer=current.get(p.id),
            invitation=latest_invitation.get(p.id),
            sheet=on_sheet.get(p.id),
        )
        for p in info.bilan.participants
    ]
    return Progress(
        info=info, rows=rows, history=history, sheets=await sheets_of(session, info.bilan.id)
    )
