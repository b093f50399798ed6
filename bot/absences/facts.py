"""Follow-ups as the rules engine sees them (:class:`bot.rules.facts.FollowUpFacts`).

The deadlines feature maps formations onto :class:`~bot.rules.facts.FormationFacts`
and calls :func:`followup_facts` for their ``followups``.  Only **open**
follow-ups where the procedure applies are given: a closed one has its
ticket qualité filed (nothing left to remind), and one opened under
subcontracting or with the procedure switched off owes nothing.

``entretien_at`` / ``entretien_held_at`` are those of the live interview of
the path: the entretien individuel (ELY-LONG) or the regard croisé
(ELY-BILAN-DIFF); a rescheduled one is replaced by its new date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.vocabulary import NO_COMPANY
from bot.rules.facts import ABSENCE_OR_RUPTURE, FollowUpFacts
from bot.storage.absences import Entretien, FollowUp, FollowUpContact, FollowUpSign


def to_facts(
    followup: FollowUp,
    entretiens: Sequence[Entretien] = (),
    signs: Sequence[FollowUpSign] = (),
    contacts: Sequence[FollowUpContact] = (),
) -> FollowUpFacts:
    """One follow-up, its interviews, its signs and its contacts, as the rules need them."""
    live = [e for e in entretiens if e.followup_id == followup.id and e.cancelled_at is None]
    live.sort(key=lambda e: (e.scheduled_at, e.id))
    current = live[-1] if live else None
    mine = [sign for sign in signs if sign.followup_id == followup.id]
    return FollowUpFacts(
        id=followup.id,
        trainee_id=followup.trainee_id,
        path=followup.path,
        opened_at=followup.opened_at,
        entretien_at=current.scheduled_at if current else None,
        entretien_held_at=current.held_at if current else None,
        cause=followup.cause if followup.path == "bilan_comp" else None,
        sign_on=followup.sign_on,
        signs=frozenset(sign.code for sign in mine),
        rupture_at=rupture_at(followup.opened_at, mine),
        reached=reached(followup, contacts),
    )


def reached(followup: FollowUp, contacts: Sequence[FollowUpContact]) -> frozenset[str]:
    """Who of the trainee and the company was contacted since the first sign (« no employer »
    counting as the company), as :func:`bot.absences.followup_deadlines.contacts_missing`
    counts them: what is left of a short formation's contact is said (explorer HB10)."""
    since = followup.sign_on
    met = {
        "entreprise" if c.with_whom == NO_COMPANY else c.with_whom
        for c in contacts
        if c.followup_id == followup.id and (since is None or c.contacted_on >= since)
    }
    return frozenset(met & {"stagiaire", "entreprise"})


def rupture_at(opened_at: datetime, signs: Sequence[FollowUpSign]) -> datetime | None:
    """When the first sign of absence or rupture came, if it came after the opening (the
    opening's signs are recorded at its very moment: :func:`bot.absences.followups.open_followup`)."""
    ruptures = sorted(s.recorded_at for s in signs if s.code in ABSENCE_OR_RUPTURE)
    return ruptures[0] if ruptures and ruptures[0] > opened_at + timedelta(seconds=1) else None


async def followup_facts(session: AsyncSession, formation_id: int) -> tuple[FollowUpFacts, ...]:
    """The open follow-ups of a formation where the procedure applies, oldest first."""
    followups = list(
        (
            await session.scalars(
                select(FollowUp)
                .where(
                    FollowUp.formation_id == formation_id,
                    FollowUp.closed_at.is_(None),
                    FollowUp.procedure_applies.is_(True),
                )
                .order_by(FollowUp.opened_at, FollowUp.id)
            )
        ).all()
    )
    if not followups:
        return ()
    entretiens = list(
        (
            await session.scalars(
                select(Entretien).where(Entretien.followup_id.in_([f.id for f in followups]))
            )
        ).all()
    )
    signs = list(
        (
            await session.scalars(
                select(FollowUpSign).where(FollowUpSign.followup_id.in_([f.id for f in followups]))
            )
        ).all()
    )
    contacts = list(
        (
            await session.scalars(
                select(FollowUpContact).where(
                    FollowUpContact.followup_id.in_([f.id for f in followups])
                )
            )
        ).all()
    )
    return tuple(to_facts(f, entretiens, signs, contacts) for f in followups)
