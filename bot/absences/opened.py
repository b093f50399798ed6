"""A follow-up someone else opened first: what the second person to open one is told.

One open follow-up per trainee is a unique index (``uq_followups_open``);
:func:`bot.absences.followups.open_followup` returns :class:`AlreadyOpen`
instead of a second follow-up, naming who opened the first and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.absences import FollowUp
from bot.storage.people import Person


@dataclass(frozen=True)
class AlreadyOpen:
    """The trainee's open follow-up, and who opened it when."""

    followup: FollowUp
    by: str
    at: datetime


async def already_open(session: AsyncSession, trainee_id: int) -> AlreadyOpen:
    """The open follow-up that made a second one refused (the index says there is one)."""
    followup = await session.scalar(
        select(FollowUp).where(FollowUp.trainee_id == trainee_id, FollowUp.closed_at.is_(None))
    )
    assert followup is not None  # the unique index refused a second one
    opener = await session.get(Person, followup.opened_by) if followup.opened_by else None
    return AlreadyOpen(followup, opener.display_name if opener else "?", followup.opened_at)
