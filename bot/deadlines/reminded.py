"""When a formateur is reminded of a deadline, and whether a reminder still holds.

A reminder's outbox key (:func:`reminder_key`) makes it once a day at
most; :func:`reminders_due` says which days; :func:`outdated_reminders`
looks again at one that waited in the outbox (its person's chat away) before
it leaves (``Feature.outdated``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.deadlines.service import STILL_TO_DO, Listed
from bot.storage.bilans import StoredDeadline
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation, zone_named

Due = TypeVar("Due", bound=Listed)


def reminders_due(rows: Sequence[Due], today: date, now: datetime | None = None) -> list[Due]:
    """The formateurs' own deadlines to be reminded of ``today`` (``rows``: those still to do).

    One reminder the day before, one on the day, every day of the week; and one on
    the last working day before it (the Friday before a deadline of a Saturday, a
    Sunday or a Monday; the Thursday when that Friday is a holiday, the Friday
    before a Tuesday after Easter Monday), so that nobody discovers it too late.  Three days at most, each
    its own key (:func:`reminder_key`): the Friday's for a Saturday is the day before's.
    A deadline whose hour has passed by ``now`` is no « À faire aujourd'hui »: it is late,
    and the digest says so (explorer AV9: reminded at 18 h of « … à 14 h 00 »).
    """
    tomorrow = today + timedelta(days=1)
    return [
        row
        for row in rows
        if row.audience == "formateur"
        and (
            row.effective_due in (today, tomorrow)
            or dates.previous_working_day(row.effective_due) == today
        )
        and not (now and row.due_at and row.status != "postponed" and row.due_at <= now)
    ]


REMINDER = "rappel:"


def reminder_key(row: Listed, today: date) -> str:
    """``rappel:<deadline key>:<local date>``: one a day at most for each deadline."""
    return f"{REMINDER}{row.key}:{today.isoformat()}"


async def outdated_reminders(
    session: AsyncSession, messages: Sequence[OutboxMessage], now: datetime
) -> set[int]:
    """The reminders among ``messages`` that no longer hold: their deadline done, closed,
    gone, or postponed so far that the day they were queued for is no longer a reminder's;
    or queued for a day already over, its « À faire demain » now untrue, the day's own
    reminder queued at the digest hour (explorer AV6: kept back by an outage, it came the
    next day still saying « demain »)."""
    asked: dict[int, tuple[int, str, date]] = {}
    for message in messages:
        key, _, day = message.key.removeprefix(REMINDER).rpartition(":")
        if message.key.startswith(REMINDER) and message.organisation_id is not None:
            try:
                asked[message.id] = (message.organisation_id, key, date.fromisoformat(day))
            except ValueError:
                continue
    if not asked:
        return set()
    open_ones = (
        await session.scalars(
            select(StoredDeadline).where(
                StoredDeadline.organisation_id.in_({org for org, _, _ in asked.values()}),
                StoredDeadline.key.in_({key for _, key, _ in asked.values()}),
                StoredDeadline.status.in_(STILL_TO_DO),
            )
        )
    ).all()
    still: dict[tuple[int, str], list[StoredDeadline]] = {}
    for row in open_ones:
        still.setdefault((row.organisation_id, row.key), []).append(row)
    zones = dict(
        (
            await session.execute(
                select(Organisation.id, Organisation.timezone).where(
                    Organisation.id.in_({org for org, _, _ in asked.values()})
                )
            )
        ).all()
    )
    return {
        message
        for message, (org, key, day) in asked.items()
        if day < now.astimezone(zone_named(zones.get(org))).date()
        or not reminders_due(still.get((org, key), []), day)
    }
