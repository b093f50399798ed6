"""Event records are dropped after each platform's redelivery window (bot/scheduler.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.scheduler import forget_old_events
from bot.storage.db import Database
from bot.storage.inbox import InboxUpdate
from bot.storage.state import ProcessedEvent
from tests.auxil.dialogue import Clock


async def test_each_platform_keeps_its_events_for_its_own_window(
    store: Database, settings: Settings, clock: Clock
) -> None:
    db = store
    ages = {
        ("telegram", "t-24h"): timedelta(hours=24),
        ("telegram", "t-26h"): timedelta(hours=26),
        ("telegram", "t-waiting"): timedelta(days=3),
        ("matrix", "m-6d"): timedelta(days=6),
        ("matrix", "m-8d"): timedelta(days=8),
        ("console", "c-2h"): timedelta(hours=2),
    }
    async with db.sessions() as session, session.begin():
        for (platform, event), age in ages.items():
            session.add(
                ProcessedEvent(
                    platform=platform,
                    event_id=event,
                    processed_at=clock.now - age,
                    replies=[{"text": "Bonjour Léa Martin"}],
                )
            )
        # Still waiting in formabot's inbox (the bot was down three days): its
        # record stays until it is handled, so that handling it is not a second effect.
        session.add(
            InboxUpdate(
                platform="telegram",
                event_id="t-waiting",
                chat_id="1",
                user_id="1",
                payload={},
                status="pending",
            )
        )
    async with db.sessions() as session, session.begin():
        await forget_old_events(session, clock.now, settings)
    async with db.sessions() as session:
        left = set((await session.scalars(select(ProcessedEvent.event_id))).all())
    assert left == {"t-24h", "t-waiting", "m-6d"}
