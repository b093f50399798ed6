"""A trainee's recent absences, as a follow-up's first sign is dated from them.

Bot  Depuis quand ? … Par exemple « aujourd'hui » ou « jeudi 3 décembre », le jour où les
     absences ont atteint le seuil fixé dans /reglages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.detection import Mark, repetition_began
from bot.storage.absences import Absence, FollowUp


async def recent_absence_days(
    session: AsyncSession, trainee_id: int, today: date, *, days: int = 30, lates: bool = False
) -> list[date]:
    """The days the trainee was noted absent (``lates``: late) in the last ``days`` days,
    in order."""
    found = await session.scalars(
        select(Absence.day)
        .where(
            Absence.trainee_id == trainee_id,
            Absence.deleted_at.is_(None),
            (Absence.period == "retard") if lates else (Absence.period != "retard"),
            Absence.day <= today,
            Absence.day > today - timedelta(days=days),
        )
        .distinct()
        .order_by(Absence.day)
    )
    return list(found.all())


async def last_closed_on(session: AsyncSession, trainee_id: int, *, tz: tzinfo) -> date | None:
    """The day (in ``tz``, the organisation's) the trainee's last follow-up closed: the
    absences before it were that follow-up's, counted neither by the sign raised on saving
    (:func:`bot.absences.log.repeated`) nor by the first sign of the next one (explorer GF1,
    HA3)."""
    closed = await session.scalar(
        select(func.max(FollowUp.closed_at)).where(
            FollowUp.trainee_id == trainee_id, FollowUp.closed_at.is_not(None)
        )
    )
    return closed.astimezone(tz).date() if closed is not None else None


async def repetition_day(
    session: AsyncSession,
    trainee_id: int,
    until: date,
    settings: Mapping[str, object],
    *,
    tz: tzinfo,
    lates: bool = False,
) -> date | None:
    """The day the trainee's absences (``lates``: late arrivals) began to repeat
    (:func:`repetition_began`), lately, and since the last follow-up closed (explorer GF1:
    the absences it covered do not open a second one); ``tz``: the organisation's, for the
    day it closed."""
    after = await last_closed_on(session, trainee_id, tz=tz)
    rows = await session.scalars(
        select(Absence).where(
            Absence.trainee_id == trainee_id,
            Absence.deleted_at.is_(None),
            Absence.day <= until,
            Absence.day > until - timedelta(days=30),
        )
    )
    marks = [Mark(a.id, a.day, a.period, a.justified) for a in rows]
    return repetition_began(marks, settings, until=until, lates=lates, after=after)
