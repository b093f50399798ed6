"""A follow-up opened by an absence, when that absence is corrected or deleted.

The follow-up's steps are due from its first sign, the absence's day
(:attr:`bot.storage.absences.FollowUp.sign_on`).  An absence moved to another
day left the follow-up counting from a day nobody was absent, and its timeline
read « Absence le jeudi 3 » beside « premier signe observé le vendredi 4 »
(explorer AF4): the first sign moves with it, and the deadlines are counted
again.  A deleted absence leaves its follow-up open (signs may have been
added since, contacts noted): the trainer is told, and decides.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.service import refresh_deadlines
from bot.storage import audit
from bot.storage.absences import Absence, FollowUp


async def opened_by(session: AsyncSession, absence: Absence) -> FollowUp | None:
    """The open follow-up that ``absence`` opened, if any."""
    return await session.scalar(
        select(FollowUp).where(FollowUp.absence_id == absence.id, FollowUp.closed_at.is_(None))
    )


async def move_first_sign(
    session: AsyncSession, followup: FollowUp | None, before: date, after: date, *, by: int
) -> bool:
    """Move ``followup``'s first sign from ``before`` (the day of the absence or the exit
    that opened it) to ``after``, the day corrected, and count its deadlines again; False
    when there is nothing to move, or when its first sign was another day (repeated
    absences count from the day they began to repeat)."""
    if followup is None or followup.sign_on != before or before == after:
        return False
    followup.sign_on = after
    audit.record(
        session,
        organisation_id=followup.organisation_id,
        actor_id=by,
        action="move_first_sign",
        entity="followup",
        entity_id=followup.id,
        sign_on=after.isoformat(),
        previous=before.isoformat(),
    )
    await refresh_deadlines(session, followup.formation_id)
    return True
