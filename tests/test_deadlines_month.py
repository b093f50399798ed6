"""A month of the demo formation's mornings driven by the fixtures' clock: each digest once a
day, each reminder once, however often the bot is restarted (explorer QC6: the outbox rows and
the deadlines' refresh were stamped by the wall clock, so a simulated month swept the sent
entretien reminder at once and sent it again at every tick)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot import texts
from bot.app import build_scheduler, build_sender
from bot.config import Settings
from bot.messages import Reply
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.dialogue import Clock, Person
from tests.test_absences_reminders import schedule

TICKS = ((7, 0), (7, 1), (9, 30), (17, 0))
"""8:00 and 8:01 in Paris (a restart), 10:30 and 18:00: the scheduler rebuilt at each."""


async def a_day(db: Database, settings: Settings, clock: Clock, day: date) -> list[tuple[str, str]]:
    """The day's ticks, each by a scheduler just started, and what is sent after each."""
    sent: list[tuple[str, str]] = []

    async def console(chat: str, reply: Reply) -> None:
        sent.append((chat, texts.plain(reply.text)))

    for hour, minute in TICKS:
        clock.now = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
        await build_scheduler(db, settings, clock=clock).tick()
        await build_sender(db, settings, {"console": console}, clock=clock).run_once()
    return sent


async def test_a_month_of_mornings_tells_each_thing_once(
    db: Database, settings: Settings, trainer: Person, clock: Clock
) -> None:
    await schedule(trainer, "jeudi 10 décembre à 14h")
    told: list[tuple[date, str]] = []
    day = date(2026, 11, 24)
    while day <= date(2026, 12, 23):
        told += [(day, text) for _chat, text in await a_day(db, settings, clock, day)]
        day += timedelta(days=1)
    digests = Counter(day for day, text in told if "Échéances du" in text)
    assert max(digests.values()) == 1
    assert len(digests) >= 20  # the working days at least
    others = Counter(text for _day, text in told if "Échéances du" not in text)
    assert [n for n in others.values() if n > 1] == []
    [(on, reminder)] = [(d, text) for d, text in told if text.startswith("Rappel : entretien")]
    assert on == date(2026, 12, 9)
    assert "jeudi 10 décembre 2026 à 14 h 00" in reminder


async def test_a_change_made_on_a_simulated_day_is_stamped_that_day(
    db: Database, settings: Settings, trainer: Person, clock: Clock
) -> None:
    """The deadlines' refresh by the turn's clock: the same-day second look of the digest
    (``in_window``) sees a change made after the digest hour of a simulated day."""
    clock.now = datetime(2027, 1, 12, 10, 0, tzinfo=UTC)
    await schedule(trainer, "vendredi 15 janvier à 14h")
    async with db.sessions() as session:
        stamps = set((await session.scalars(select(StoredDeadline.created_at))).all())
        created = set((await session.scalars(select(OutboxMessage.created_at))).all())
    assert clock.now in stamps
    assert all(stamp <= clock.now for stamp in stamps | created)
