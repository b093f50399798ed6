"""What an organisme noted about a trainee, for that trainee's ``/mesdonnees``.

A bilan's participant who is a trainee was shown her trainee record (company,
delegation, entry and exit) under « Voici tout ce que formabot garde à votre
sujet », but not her absences with their motive (« rendez-vous médical »), nor
a décrochage follow-up opened about her, its contacts and entretiens: the very
data the right of access is about (explorer AH7).  Here they are, in the
words of the chat; the documents themselves (justificatifs, comptes rendus)
are named, not copied: the organisme hands them over on request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.log import period_label
from bot.absences.vocabulary import CAUSES, CHANNELS, PATH_LABELS, SIGNS, WITH_WHOM
from bot.storage.absences import Absence, Entretien, FollowUp, FollowUpContact, FollowUpSign
from bot.storage.formations import Formation


def when_said(moment: datetime | None) -> str | None:
    """A moment in the access document (and /mesdonnees' text reads it back in words)."""
    return moment.isoformat(timespec="seconds") if moment is not None else None


async def noted_about(session: AsyncSession, trainee_ids: Sequence[int]) -> dict[str, Any]:
    """The absences and the décrochage follow-ups of these trainee records."""
    if not trainee_ids:
        return {"absences": [], "suivis de décrochage": []}
    absences = (
        await session.execute(
            select(Absence, Formation.title)
            .join(Formation, Formation.id == Absence.formation_id)
            .where(Absence.trainee_id.in_(trainee_ids), Absence.deleted_at.is_(None))
            .order_by(Absence.day, Absence.id)
        )
    ).all()
    followups = (
        await session.scalars(
            select(FollowUp).where(FollowUp.trainee_id.in_(trainee_ids)).order_by(FollowUp.id)
        )
    ).all()
    ids = [f.id for f in followups]
    signs = (
        await session.scalars(select(FollowUpSign).where(FollowUpSign.followup_id.in_(ids)))
    ).all()
    contacts = (
        await session.scalars(
            select(FollowUpContact)
            .where(FollowUpContact.followup_id.in_(ids))
            .order_by(FollowUpContact.contacted_on, FollowUpContact.id)
        )
    ).all()
    entretiens = (
        await session.scalars(
            select(Entretien).where(Entretien.followup_id.in_(ids)).order_by(Entretien.id)
        )
    ).all()
    return {
        "absences": [
            {
                "formation": title,
                "jour": a.day.isoformat(),
                "période": period_label(a.period, a.late_minutes),
                "justifiée": a.justified,
                "motif": a.reason,
                "justificatif reçu": a.proof_id is not None,
            }
            for a, title in absences
        ],
        "suivis de décrochage": [
            {
                "ouvert le": when_said(f.opened_at),
                "parcours": PATH_LABELS.get(f.path, f.path),
                "situation": CAUSES.get(f.cause or "", f.cause),
                "premier signe observé le": f.sign_on.isoformat() if f.sign_on else None,
                "signes": [
                    SIGNS.get(s.code, s.code) + (f" : {s.note}" if s.note else "")
                    for s in signs
                    if s.followup_id == f.id
                ],
                "contacts": [
                    {
                        "le": c.contacted_on.isoformat(),
                        "avec": WITH_WHOM.get(c.with_whom, c.with_whom),
                        "moyen": CHANNELS.get(c.channel, c.channel),
                        "ce qui a été dit": c.outcome,
                    }
                    for c in contacts
                    if c.followup_id == f.id
                ],
                "entretiens": [
                    {
                        "prévu le": when_said(e.scheduled_at),
                        "tenu le": when_said(e.held_at),
                        "annulé le": when_said(e.cancelled_at),
                        "mesures décidées": e.mesures,
                        "compte rendu rédigé": e.compte_rendu_id is not None,
                    }
                    for e in entretiens
                    if e.followup_id == f.id
                ],
                "clos le": when_said(f.closed_at),
            }
            for f in followups
        ],
    }
