"""What the attestations read: a bilan with its words, who may see it, answers,
sheets, sendings, and the completeness of the proofs.

Nothing here writes (the writes are :mod:`~bot.attestations.invitations`,
:mod:`~bot.attestations.answers`, :mod:`~bot.attestations.sheets` and
:mod:`~bot.attestations.sending`), commits, talks or logs personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.answers import fold, visible
from bot.attestations.concerns import concerns_of
from bot.attestations.overlaps import accounts_elsewhere
from bot.bilans.view import ROLE_WORDS, BilanView, view_of
from bot.formations.labels import TITLES
from bot.formations.queries import Member, visible_to
from bot.storage.attestations import (
    AttendanceSheet,
    AttendanceSheetEntry,
    Attestation,
    AttestationInvitation,
    AttestationReview,
    ProofSending,
)
from bot.storage.audit import record
from bot.storage.bilans import BilanParticipant
from bot.storage.formations import Formation

ROLE_LABELS = ROLE_WORDS
"""A role as people read it beside a name (« Léa Martin (pour les stagiaires) »): status,
summary, manifest.  The signed records keep their own words (:mod:`.chain`)."""


def answers_open(info: BilanView, now: datetime) -> bool:
    """Whether a participant may answer: from the bilan's scheduled end.

    The attestation swears to a bilan that « s'est tenu » (seed 000 §III asks
    for the proofs *after* the bilan): confirmed while the visio still runs,
    it would vouch for the two hours not yet held.  A bilan moved later moves
    this moment with it.
    """
    return now >= info.bilan.ends_at


def when_words(info: BilanView, now: datetime | None = None) -> dict[str, Any]:
    """The bilan in the words every chat message uses (organisation's zone).

    ``before``: given ``now``, whether the bilan is not over yet; a message
    read before its end gives its date and asks no one to confirm a
    participation that has not fully happened (issue 12, item 5).
    ``running``: it has started but not ended.  ``end_today``: its end falls
    on ``now``'s day.  ``opens``: from when a participant can confirm, after
    « à partir » ("de 16 h 00" that day, else "du vendredi 27 novembre 2026 à
    16 h 00"), said alike to participants and trainers.  ``visio_*``: how to join a remote
    bilan (the password only when the trainer put it in the invitation).
    """
    end_today = now is not None and now.astimezone(info.tz).date() == info.end.date()
    end = dates.spell_time(info.end)
    return {
        "before": now is not None and not answers_open(info, now),
        "running": now is not None and info.bilan.starts_at <= now < info.bilan.ends_at,
        "end_today": end_today,
        "opens": f"de {end}" if end_today else f"du {dates.spell_date(info.end)} à {end}",
        "organisation": visible(info.organisation_name),
        "formation": visible(info.formation.title),
        "kind": info.kind_label,
        "day": dates.spell_date(info.start),
        "start": dates.spell_time(info.start),
        "end": end,
        "remote": info.bilan.remote,
        "visio_url": info.bilan.visio_url or "",
        "visio_password": info.bilan.visio_password or "",
        "visio_password_required": bool(info.bilan.visio_password_required),
        # The Région Normandie's procedure asks for the attestations (§III); others do not.
        "region_asks": info.formation.funder == "normandie",
    }


# --- who may see which bilan --------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """Who acts, as the audit trail names them: a person and their organisation, if any.

    A participant who is no member of any organisation has none; before their
    first message was understood (``/start CODE``), not even a person.
    """

    person_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class Chat:
    """Where a message came from: the platform, the user there, and the chat."""

    platform: str
    user: str
    chat: str


@dataclass(frozen=True)
class Viewer:
    """A trainer looking at bilans: an admin sees the organisation's, a formateur their own."""

    person_id: int
    organisation_id: int
    is_admin: bool

    @property
    def author(self) -> Author:
        return Author(self.person_id, self.organisation_id)

    @property
    def member(self) -> Member:
        """The same person as the formations and bilans see them."""
        return Member(self.organisation_id, self.person_id, self.is_admin)


def audit(
    session: AsyncSession,
    author: Author,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    of: int | None = None,
    **details: Any,
) -> None:
    """An entry in the audit trail, in the caller's transaction (ids only, never names).

    What a participant does on a bilan is the bilan's organisation's record (``of``), so
    its journal shows it (explorer J: the links used and the attestations given were
    missing from /journal, its numbers with holes), whoever the participant is a member of
    (explorer AF4: a partner administering another organisation was written in hers, with
    the bilan's ids, and the bilan's organisation lost them)."""
    record(
        session,
        organisation_id=of if of is not None else author.organisation_id,
        actor_id=author.person_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        **details,
    )


async def bilan_for(session: AsyncSession, viewer: Viewer, bilan_id: object) -> BilanView | None:
    """The bilan if this trainer may see it and it is not cancelled; ``None`` for anything
    else (an unknown id, another organisation's, a colleague's: the same answer)."""
    try:
        wanted = int(str(bilan_id))
    except ValueError:
        return None
    info = await view_of(session, wanted)
    if info is None or info.bilan.cancelled_at is not None:
        return None
    allowed = await session.scalar(
        select(Formation.id).where(Formation.id == info.formation.id, *visible_to(viewer.member))
    )
    return info if allowed is not None else None


# --- reads ----------------------------------------------------------------------------


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


# --- answers -----------------------------------------------------------------------------


def same_name(typed: str, expected: str) -> bool:
    """Accents, case, civility and word order aside, is it the same name?"""

    def words(name: str) -> list[str]:
        return sorted(w for w in fold(visible(name)).split() if w not in TITLES)

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


async def answered_elsewhere(
    session: AsyncSession, answer: Attestation | None, chat: Chat
) -> bool | None:
    """Whether ``answer`` came from another account than ``chat``'s: ``None`` when there is
    none, or when the trainer set it aside, from this very account too: asked again, never
    shown back as standing (explorer DB3: « Vous avez déjà répondu … », its PDF offered)."""
    if answer is None or await set_aside(session, answer):
        return None
    return (answer.platform, answer.chat_user_id) != (chat.platform, chat.user)


async def set_aside(session: AsyncSession, answer: Attestation) -> bool:
    """Whether the trainer set ``answer`` aside (« Ne pas la valider »)."""
    rejected = AttestationReview.decision == "rejected"
    found = select(AttestationReview.id).where(AttestationReview.attestation_id == answer.id)
    return await session.scalar(found.where(rejected)) is not None


async def attested_count(session: AsyncSession, bilan_id: int) -> int:
    """How many of the bilan's participants last answered with an attestation: what a
    cancellation would take the object from."""
    answers = (
        await session.scalars(select(Attestation).where(Attestation.bilan_id == bilan_id))
    ).all()
    return sum(1 for a in latest(list(answers)).values() if a.answer == "attested")


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


def structure_sworn(answer: Attestation | None, participant: BilanParticipant) -> str:
    """The structure a partner attested for when it is not the invited one (explorer O: the
    trainer's status and the summary kept the old one, the attestation naming the other)."""
    if answer is None or answer.answer != "attested" or not answer.structure:
        return ""
    if fold(answer.structure) == fold(participant.structure or ""):
        return ""
    return visible(answer.structure)


def signed_as(answer: Attestation | None, participant: BilanParticipant) -> str:
    """The name an answer was signed under when the trainer corrected the participant's
    since (explorer KE2): a signed record is never rewritten, so the follow-up and the proofs
    say both, « signée sous le nom « Lea Martn » », beside the name now « Léa Martin ».  Empty
    when nothing changed, or when the name typed was another already (flagged as such)."""
    if answer is None or not answer.name_matches:
        return ""
    return "" if same_name(answer.typed_name, participant.name) else visible(answer.typed_name)


def names_other_dates(answer: Attestation, info: BilanView) -> bool:
    """The answer was given for the bilan at other dates (it moved since)."""
    if answer.bilan_starts_at is None or answer.bilan_ends_at is None:
        return False
    return (answer.bilan_starts_at, answer.bilan_ends_at) != (
        info.bilan.starts_at,
        info.bilan.ends_at,
    )


@dataclass(frozen=True)
class ParticipantStatus:
    participant: BilanParticipant
    answer: Attestation | None
    invitation: AttestationInvitation | None
    """The latest invitation (live or revoked)."""
    sheet: AttendanceSheet | None
    concerns: tuple[str, ...] = ()
    """What the trainer has to validate in the current answer (:func:`~bot.attestations.concerns.concerns_of`)."""
    outdated: bool = False
    """The current answer names the bilan's former dates."""
    rejected: bool = False
    """The trainer did not validate the current answer (a new link went out)."""

    @property
    def state(self) -> str:
        """``attested`` | ``absent`` (recorded by the trainer after the bilan: not
        expected, see :func:`bot.bilans.participants.expected_participants`) |
        ``on_sheet`` | ``contradicted`` (declared not there, yet on the sheet: to
        verify, explorer J: the sheet silently outweighed a sworn « absente ») |
        ``rejected`` (not validated by the trainer) | ``outdated``
        (answered for the former dates) | ``to_review`` (flagged, not validated yet) |
        ``declined`` | ``declined_no_reason`` | ``opened`` (the code was used, no
        answer yet) | ``invited`` | ``not_invited``."""
        clean = not self.outdated and not self.concerns and not self.rejected
        if self.answer is not None and self.answer.answer == "attested" and clean:
            return "attested"
        if self.participant.no_show_at is not None:
            return "absent"
        declined = self.answer is not None and self.answer.answer == "declined"
        if self.sheet is not None and declined and clean:  # « je n'ai pas participé », ticked
            return "contradicted"
        if self.sheet is not None:
            return "on_sheet"
        if self.answer is not None and self.rejected:
            return "rejected"
        if self.answer is not None and self.outdated:
            return "outdated"
        if self.answer is not None and self.concerns:
            return "to_review"
        if self.answer is not None:
            return "declined" if (self.answer.reason or "").strip() else "declined_no_reason"
        if self.invitation is not None and self.invitation.revoked_at is None:
            return "opened" if self.invitation.redeemed_at is not None else "invited"
        return "not_invited"

    @property
    def accounted(self) -> bool:
        """Attested, declined (with a reason or not: it was offered as optional, explorer BB2),
        on the uploaded sheet, or recorded absent."""
        return self.state in ("attested", "on_sheet", "declined", "declined_no_reason", "absent")


@dataclass(frozen=True)
class Progress:
    info: BilanView
    rows: list[ParticipantStatus]
    history: list[Attestation]
    sheets: list[AttendanceSheet]
    reviews: list[AttestationReview] = field(default_factory=list)
    sending: ProofSending | None = None
    """The last e-mail of the bundle to the chargé(e) de mission, if any."""
    held: bool = False
    """The bilan has ended (:func:`answers_open`): before, nobody could attest yet."""

    @property
    def cancelled(self) -> bool:
        return self.info.bilan.cancelled_at is not None

    @property
    def missing(self) -> list[BilanParticipant]:
        return [r.participant for r in self.rows if not r.accounted]

    @property
    def missing_names(self) -> list[str]:
        """Who the dossier still lacks, as the trainer and the adviser read it."""
        return [
            visible(r.participant.name)
            + (
                " (déclare ne pas avoir participé, mais figure sur la feuille d'émargement)"
                if r.state == "contradicted"
                else ""
            )
            for r in self.rows
            if not r.accounted
        ]

    @property
    def complete(self) -> bool:
        """Every participant accounted for (and at least one participant), bilan held: a
        sheet ticked or an answer given before the end does not prove the whole bilan."""
        return bool(self.rows) and not self.missing and not self.cancelled and self.held

    @property
    def to_review(self) -> list[ParticipantStatus]:
        return [r for r in self.rows if r.state == "to_review"]

    @property
    def stale(self) -> bool:
        """The bundle sent (or being sent) no longer says what the bot knows now."""
        sent = self.sending
        if sent is None or sent.status == "failed":
            return False
        since = sent.requested_at
        return (
            any(a.answered_at > since for a in self.history)
            or any(s.uploaded_at > since for s in self.sheets)
            or any(r.decided_at > since for r in self.reviews)
        )


async def progress(session: AsyncSession, info: BilanView, *, now: datetime) -> Progress:
    history = await answers_of(session, info.bilan.id)
    elsewhere, abroad = await accounts_elsewhere(session, info)
    current = latest(history)
    on_sheet = await sheet_of_participants(session, info.bilan.id)
    every_invitation = await invitations_of(session, info.bilan.id)
    latest_invitation: dict[int, AttestationInvitation] = {}
    for invitation in every_invitation:
        latest_invitation[invitation.participant_id] = invitation
    reviews = list(
        (
            await session.scalars(
                select(AttestationReview)
                .where(AttestationReview.bilan_id == info.bilan.id)
                .order_by(AttestationReview.id)
            )
        ).all()
    )
    rejected = {r.attestation_id for r in reviews if r.decision == "rejected"}
    rows = []
    # Everyone is accounted for, those recorded as not having come included (state "absent").
    for p in info.listed:  # by surname (explorer CF11)
        answer = current.get(p.id)
        rows.append(
            ParticipantStatus(
                participant=p,
                answer=answer,
                invitation=latest_invitation.get(p.id),
                sheet=on_sheet.get(p.id),
                concerns=(
                    concerns_of(answer, history, every_invitation, reviews, elsewhere, abroad)
                    if answer
                    else ()
                ),
                outdated=answer is not None and names_other_dates(answer, info),
                rejected=answer is not None and answer.id in rejected,
            )
        )
    return Progress(
        info=info,
        rows=rows,
        history=history,
        sheets=await sheets_of(session, info.bilan.id),
        reviews=reviews,
        sending=await last_sending(session, info.bilan.id),
        held=answers_open(info, now),
    )
