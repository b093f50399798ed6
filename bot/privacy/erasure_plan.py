"""What erasing a trainee removes and keeps, counted before the admin confirms (``/effacer``).

A participant's answer is frozen: a correction adds the next version of it
(:mod:`bot.attestations.answers`).  The admin reads the answers as the person gave them,
one a participation, and its corrections apart (« 1 attestation (et sa correction) »), never
a version counted as one more attestation; every version not yet sent goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.formations.queries import organisation_trainee
from bot.storage.absences import Absence, FollowUp, StoredDocument
from bot.storage.attestations import Attestation, ProofSending
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation, Trainee


@dataclass
class Answers:
    """Participants' answers, counted as the person gave them: one a participation (its
    latest version says which), and its earlier or later versions as corrections."""

    attested: int = 0
    declined: int = 0
    """Declarations of non-participation: named so, never « attestation » (explorer CF9)."""
    corrections: int = 0

    @property
    def given(self) -> int:
        return self.attested + self.declined

    def said(self) -> str:
        """« 1 attestation (et sa correction) », « 1 attestation et 1 déclaration de
        non-participation (et 2 corrections) »."""
        parts = [
            f"{n} {word}{'s' if n > 1 else ''}{after}"
            for n, word, after in (
                (self.attested, "attestation", ""),
                (self.declined, "déclaration", " de non-participation"),
            )
            if n
        ]
        said = " et ".join(parts)
        c = self.corrections
        if not c:
            return said
        if self.given > 1:
            return f"{said} (et {c} correction{'s' if c > 1 else ''})"
        return f"{said} (et {'sa correction' if c == 1 else f'ses {c} corrections'})"

    def add(self, versions: Sequence[Attestation]) -> None:
        """One participation's versions, oldest first."""
        if versions[-1].answer == "declined":
            self.declined += 1
        else:
            self.attested += 1
        self.corrections += len(versions) - 1


@dataclass
class Plan:
    """What an erasure will remove and keep: shown to the admin before confirming."""

    trainee: Trainee
    formation: Formation
    absences: int = 0
    followups: int = 0
    documents: int = 0
    unsent: Answers = field(default_factory=Answers)
    """Answers not yet sent to the funder (an attestation or a declaration of
    non-participation): erased, every version."""
    late: int = 0
    """Corrections of an answer already sent, given after the sending: erased."""
    sent: Answers = field(default_factory=Answers)
    """Answers already sent to the funder in a proof bundle: kept as is."""
    kept_participants: set[int] = field(default_factory=set)
    dropped_participants: set[int] = field(default_factory=set)
    dropped_attestations: set[int] = field(default_factory=set)
    delegate: bool = False
    """The person represented the trainees: no longer once erased."""
    bilans: list[datetime] = field(default_factory=list)
    """Starts of the bilans (not cancelled) the person is taken off: said before and after."""


async def plan_erasure(
    session: AsyncSession, organisation_id: int, trainee_id: object, *, lock: bool = False
) -> Plan | None:
    """What erasing this trainee removes, and which sent evidence stays (``lock``: the
    trainee's row held and read again first, see :func:`organisation_trainee`)."""
    found = await organisation_trainee(session, organisation_id, trainee_id, lock=lock)
    if found is None:
        return None
    trainee, formation = found
    plan = Plan(trainee=trainee, formation=formation, delegate=trainee.is_delegate)
    plan.absences = await count_rows(session, Absence, Absence.trainee_id == trainee.id)
    followups = await ids_of(session, FollowUp.id, FollowUp.trainee_id == trainee.id)
    plan.followups = len(followups)
    proofs = await ids_of(session, Absence.proof_id, Absence.trainee_id == trainee.id)
    plan.documents = len([p for p in proofs if p is not None])
    if followups:
        plan.documents += await count_rows(
            session, StoredDocument, StoredDocument.followup_id.in_(followups)
        )
    participants = (
        await session.scalars(
            select(BilanParticipant).where(BilanParticipant.trainee_id == trainee.id)
        )
    ).all()
    for participant in participants:
        sent_at = await session.scalar(
            select(func.max(ProofSending.sent_at)).where(
                ProofSending.bilan_id == participant.bilan_id, ProofSending.status == "sent"
            )
        )
        answers = (
            await session.scalars(
                select(Attestation)
                .where(Attestation.participant_id == participant.id)
                .order_by(Attestation.version)
            )
        ).all()
        kept = [a for a in answers if sent_at is not None and a.answered_at <= sent_at]
        dropped = [a for a in answers if a not in kept]
        if kept:
            plan.sent.add(kept)
            plan.late += len(dropped)  # corrections of what the funder holds
            plan.kept_participants.add(participant.id)
            plan.dropped_attestations |= {a.id for a in dropped}
        else:
            if dropped:
                plan.unsent.add(dropped)
            plan.dropped_participants.add(participant.id)
    if plan.dropped_participants:
        plan.bilans = await ids_of(
            session,
            Bilan.starts_at,
            Bilan.id.in_(
                select(BilanParticipant.bilan_id).where(
                    BilanParticipant.id.in_(plan.dropped_participants)
                )
            ),
            Bilan.cancelled_at.is_(None),
        )
        plan.bilans.sort()
    return plan


async def count_rows(session: AsyncSession, model: type[Any], *where: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def ids_of(session: AsyncSession, column: Any, *where: Any) -> list[Any]:
    return list((await session.scalars(select(column).where(*where))).all())
