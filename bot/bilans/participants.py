"""A bilan's participants after scheduling: added, removed, or recorded as absent.

- A trainee who is not a delegate joins a remote Normandie bilan only with
  the chargé(e) de mission's agreement: "seuls les représentants des
  stagiaires sont conviés … merci de vous rapprocher du/de la chargé(e) de
  mission" (000 §I).  The agreement is recorded on the participant: who gave
  it, the day, and how (:class:`Derogation`).
- A participant added or removed after scheduling raises the bilan's
  ``sequence``, so the invitation sent again updates the event in every
  calendar; a removed participant keeps its row (its invitation and any
  answer point to it) but leaves ``Bilan.participants``, and the bot tells
  them when it can write to them.  Their attestation link stops working.
- After the bilan, a participant who did not come is recorded
  (``no_show_at``): :func:`expected_participants` leaves them out, so the
  proofs are complete without them, and the summary says they did not take
  part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import fold
from bot.bilans.notify import ChatOf, notify_participants
from bot.bilans.queries import unreachable, visible_bilan
from bot.bilans.view import BilanView, kind_label, view_with
from bot.formations.queries import Member, hold_trainee
from bot.storage import audit
from bot.storage.attestations import (
    AttendanceSheet,
    AttendanceSheetEntry,
    Attestation,
    AttestationInvitation,
    AttestationReview,
)
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation, Trainee

AGREEMENT_WAYS = {
    "email": "par e-mail",
    "telephone": "par téléphone",
    "tchap": "par message (Tchap)",
    "oral": "de vive voix",
    "courrier": "par courrier",
}
"""How a chargé(e) de mission's agreement was given, as stored and as written."""

SINGLE_PERSON = ("bilan_competences", "vae")
"""Formats for one person: no group, no delegates (their bilan involves the beneficiary)."""


@dataclass(frozen=True)
class Derogation:
    """The chargé(e) de mission's agreement for a trainee who is not a delegate."""

    by: str
    on: date
    how: str
    """A key of :data:`AGREEMENT_WAYS`."""

    @property
    def how_words(self) -> str:
        return AGREEMENT_WAYS.get(self.how, self.how)

    def words(self, to: str | None = None) -> str:
        """Plain text (escape it where markup is made): "accord de Mme Sophie Leroy, par
        e-mail, le lundi 23 novembre 2026"; written ``to`` the one who gave it, "avec votre
        accord, donné par e-mail le …" (explorer UE5: the draft greeting Mme Sophie Leroy
        then spoke of « l'accord de Mme Sophie Leroy »)."""
        return texts.render_document(
            "documents/_agreement.txt.j2",
            by=self.by,
            how=self.how_words,
            on=dates.spell_date(self.on),
            yours=to is not None and _same_person(self.by, to),
        ).strip()


_CIVILITY = frozenset({"mme", "m", "mr", "madame", "monsieur", "mlle", "mademoiselle"})


def _same_person(one: str, other: str) -> bool:
    """« Mme Sophie Leroy » and « Sophie Leroy »: the same name, civility aside."""

    def bare(name: str) -> list[str]:
        return [w for w in fold(name).split() if w not in _CIVILITY]

    return bool(bare(one)) and bare(one) == bare(other)


def derogation_of(participant: BilanParticipant) -> Derogation | None:
    if participant.derogation_by is None or participant.derogation_on is None:
        return None
    return Derogation(
        by=participant.derogation_by,
        on=participant.derogation_on,
        how=participant.derogation_how or "",
    )


def agreement_words(participant: BilanParticipant, to: str | None = None) -> str | None:
    """Said beside the trainee wherever the bilan's participants are listed (the agenda,
    the draft e-mail, the proof bundle): one wording, so the Région reads the same
    agreement in the file it receives as in the agenda it was sent (explorer AE1);
    ``to``: the one the message is written to, her own agreement said « votre accord »."""
    derogation = derogation_of(participant)
    return derogation.words(to) if derogation is not None else None


def single_person(formation: Formation) -> bool:
    return formation.kind in SINGLE_PERSON


def delegates_only(formation: Formation, *, remote: bool) -> bool:
    """NOR-DELEGATES: a remote Normandie bilan of a group invites only its delegates."""
    return formation.funder == "normandie" and remote and not single_person(formation)


def needs_agreement(formation: Formation, trainee: Trainee, *, remote: bool) -> bool:
    return delegates_only(formation, remote=remote) and not trainee.is_delegate


def trainee_participant(trainee: Trainee, derogation: Derogation | None) -> BilanParticipant:
    """The row of a trainee invited to a bilan (a delegate as ``delegate``); the trainee's
    e-mail (from an imported list) is their contact, so the bot can write to them itself."""
    return BilanParticipant(
        kind="delegate" if trainee.is_delegate else "trainee",
        trainee_id=trainee.id,
        name=trainee.full_name,
        contact=trainee.email,
        derogation_by=derogation.by if derogation else None,
        derogation_on=derogation.on if derogation else None,
        derogation_how=derogation.how if derogation else None,
    )


def expected_participants(bilan: Bilan) -> list[BilanParticipant]:
    """Whose proof of participation is owed: the participants, minus those recorded as
    not having come (the proofs are complete without them)."""
    return [p for p in bilan.participants if p.no_show_at is None]


def no_shows(bilan: Bilan) -> list[BilanParticipant]:
    return [p for p in bilan.participants if p.no_show_at is not None]


def candidates(bilan: Bilan, formation: Formation) -> list[Trainee]:
    """The formation's trainees not yet invited to ``bilan`` (an erased one never), by name."""
    taken = {p.trainee_id for p in bilan.participants if p.trainee_id is not None}
    return sorted(
        (t for t in formation.trainees if t.id not in taken and not t.erased),
        key=lambda t: t.full_name,
    )


async def absent_candidates(session: AsyncSession, bilan: Bilan) -> list[BilanParticipant]:
    """Who can be recorded as not having come: expected, not attested and not on an
    uploaded feuille d'émargement (those say the opposite; the trainer sorts that out
    with the participant first)."""
    present: set[int] = set(
        (
            await session.scalars(
                select(AttendanceSheetEntry.participant_id)
                .join(AttendanceSheet, AttendanceSheet.id == AttendanceSheetEntry.sheet_id)
                .where(AttendanceSheet.bilan_id == bilan.id)
            )
        ).all()
    )
    rejected = set(
        (
            await session.scalars(
                select(AttestationReview.attestation_id).where(
                    AttestationReview.bilan_id == bilan.id,
                    AttestationReview.decision == "rejected",
                )
            )
        ).all()
    )
    latest: dict[int, int] = {}
    rows = await session.execute(
        select(
            Attestation.id,
            Attestation.participant_id,
            Attestation.version,
            Attestation.answer,
            Attestation.bilan_starts_at,
        ).where(Attestation.bilan_id == bilan.id)
    )
    attested: set[int] = set()
    for answer_id, participant_id, version, answer, starts_at in rows.all():
        if version >= latest.get(participant_id, -1):
            latest[participant_id] = version
            # An attestation counts when the trainer did not set it aside and it names the
            # bilan's present date; else whoever did not come can still be said so.
            current = starts_at is None or starts_at == bilan.starts_at
            if answer == "attested" and answer_id not in rejected and current:
                attested.add(participant_id)
            else:
                attested.discard(participant_id)
    return [p for p in expected_participants(bilan) if p.id not in attested | present]


@dataclass(frozen=True)
class Change:
    """A participant added, removed or recorded absent, and what followed."""

    view: BilanView
    participant: BilanParticipant
    reached: int
    """How many people the bot told (the removed participant, when it can write to them)."""
    unreachable: list[str]


async def _revoke_links(
    session: AsyncSession, participant: BilanParticipant, person_id: int, now: datetime
) -> None:
    """Their personal attestation link stops working (removed, or did not come)."""
    await session.execute(
        update(AttestationInvitation)
        .where(
            AttestationInvitation.participant_id == participant.id,
            AttestationInvitation.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_by=person_id)
    )


async def _changed(
    session: AsyncSession,
    viewer: Member,
    now: datetime,
    bilan: Bilan,
    formation: Formation,
    participant: BilanParticipant,
    action: str,
) -> BilanView:
    """A new version of the invitation (at the same date), the audit entry, the bilan
    read afresh."""
    bilan.next_version(now, same_date=True)
    await session.flush()
    audit.record(
        session,
        organisation_id=viewer.organisation_id,
        actor_id=viewer.person_id,
        action=action,
        entity="bilan",
        entity_id=bilan.id,
        formation_id=formation.id,
        participant_id=participant.id,
        kind=participant.kind,
        sequence=bilan.sequence,
    )
    await session.refresh(bilan, ["participants"])
    return await view_with(session, bilan, formation)


async def _add(
    session: AsyncSession,
    viewer: Member,
    now: datetime,
    bilan: Bilan,
    formation: Formation,
    participant: BilanParticipant,
    chat_of: ChatOf,
) -> Change:
    participant.bilan_id = bilan.id
    session.add(participant)
    await session.flush()
    view = await _changed(session, viewer, now, bilan, formation, participant, "add_participant")
    return Change(view, participant, 0, await unreachable(session, bilan, chat_of))


async def add_trainee(
    session: AsyncSession,
    viewer: Member,
    now: datetime,
    bilan_id: int,
    trainee_id: int,
    *,
    derogation: Derogation | None,
    chat_of: ChatOf,
) -> Change | None:
    """Invite one more trainee; ``None`` if the bilan or the trainee is not there, already
    invited, or a trainee who is not a delegate lacks the agreement a remote Normandie
    bilan requires.  The trainee's row is held and read again first, as an erasure holds it:
    one at the same moment is waited for, and an erased trainee is no candidate (YC after
    explorer UD4: the participation, with the name, written after the erasure's deletion)."""
    if await hold_trainee(session, trainee_id) is None:
        return None
    found = await visible_bilan(session, viewer, bilan_id, lock=True)
    if found is None:
        return None
    bilan, formation = found
    trainee = next((t for t in candidates(bilan, formation) if t.id == trainee_id), None)
    if trainee is None:
        return None
    if needs_agreement(formation, trainee, remote=bilan.remote) and derogation is None:
        return None
    participant = trainee_participant(trainee, derogation)
    return await _add(session, viewer, now, bilan, formation, participant, chat_of)


async def add_partner(
    session: AsyncSession,
    viewer: Member,
    now: datetime,
    bilan_id: int,
    *,
    name: str,
    structure: str | None,
    contact: str | None,
    chat_of: ChatOf,
) -> Change | None:
    """Invite one more outside partner; ``None`` if the bilan is not there."""
    found = await visible_bilan(session, viewer, bilan_id, lock=True)
    if found is None:
        return None
    bilan, formation = found
    participant = BilanParticipant(kind="partner", name=name, structure=structure, contact=contact)
    return await _add(session, viewer, now, bilan, formation, participant, chat_of)


async def remove_participant(
    session: AsyncSession,
    viewer: Member,
    now: datetime,
    bilan_id: int,
    participant_id: int,
    *,
    chat_of: ChatOf,
) -> Change | None:
    """Take a participant off the bilan; they are told when the bot can write to them."""
    found = await visible_bilan(session, viewer, bilan_id, lock=True)
    if found is None:
        return None
    bilan, formation = found
    participant = next((p for p in bilan.participants if p.id == participant_id), None)
    if participant is None:
        return None
    before = await view_with(session, bilan, formation)
    notice = texts.say(
        "bilan.notice_removed",
        kind=kind_label(bilan.kind),
        when=dates.spell_datetime(before.start),
        title=formation.title,
    )
    reached = await notify_participants(
        session, bilan, chat_of=chat_of, event="removed", text=notice, only=participant
    )
    participant.removed_at = now
    participant.removed_by = viewer.person_id
    await _revoke_links(session, participant, viewer.person_id, now)
    view = await _changed(session, viewer, now, bilan, formation, participant, "remove_participant")
    told = [] if reached else [participant.name]
    return Change(view, participant, reached, told)


async def _noted(
    session: AsyncSession,
    viewer: Member,
    bilan: Bilan,
    formation: Formation,
    participant: BilanParticipant,
    action: str,
) -> Change:
    """A fact about one participant after the bilan: audited; the invitation is unchanged."""
    await session.flush()
    audit.record(
        session,
        organisation_id=viewer.organisation_id,
        actor_id=viewer.person_id,
        action=action,
        entity="bilan",
        entity_id=bilan.id,
        formation_id=formation.id,
        participant_id=participant.id,
    )
    return Change(await view_with(session, bilan, formation), participant, 0, [])


async def record_no_show(
    session: AsyncSession, viewer: Member, now: datetime, bilan_id: int, participant_id: int
) -> Change | None:
    """After the bilan: this participant did not come.  ``None`` before the bilan has
    started, for an unknown participant, or one already recorded."""
    found = await visible_bilan(session, viewer, bilan_id, lock=True)
    if found is None:
        return None
    bilan, formation = found
    if bilan.starts_at > now:
        return None
    participant = next(
        (p for p in await absent_candidates(session, bilan) if p.id == participant_id), None
    )
    if participant is None:
        return None
    participant.no_show_at = now
    participant.no_show_by = viewer.person_id
    await _revoke_links(session, participant, viewer.person_id, now)
    return await _noted(session, viewer, bilan, formation, participant, "no_show")


async def cancel_no_show(
    session: AsyncSession, viewer: Member, now: datetime, bilan_id: int, participant_id: int
) -> Change | None:
    """Recorded absent by mistake: expected again (a new attestation link can be sent from
    ``/attestations``).  ``None`` for a participant not recorded absent."""
    found = await visible_bilan(session, viewer, bilan_id, lock=True)
    if found is None:
        return None
    bilan, formation = found
    participant = next((p for p in no_shows(bilan) if p.id == participant_id), None)
    if participant is None:
        return None
    participant.no_show_at = None
    participant.no_show_by = None
    return await _noted(session, viewer, bilan, formation, participant, "no_show_cancelled")
