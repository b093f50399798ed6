"""The minute tick: whatever is due is turned into outbox rows, once per key.

Jobs are plain async functions ``job(session, now, settings)`` that the
features declare in their manifests and the composition root hands to the
:class:`Scheduler`; each writes outbox rows under unique keys (so a job that runs
twice, or in two processes, or late after downtime, still sends each message
once) and must be safe to run at any time.  A reminder due while the bot was
down is simply found due at the first tick after the restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.engine import log_failure
from bot.manifest import Job
from bot.storage.db import Database
from bot.storage.state import ProcessedEvent

log = logging.getLogger(__name__)

PROCESSED_EVENTS_KEPT = timedelta(days=14)


async def forget_old_events(session: AsyncSession, now: datetime, settings: Settings) -> None:
    """Platforms stop redelivering after a few days; the ids need not be kept forever."""
    await session.execute(
        delete(ProcessedEvent).where(ProcessedEvent.processed_at < now - PROCESSED_EVENTS_KEPT)
    )


class Scheduler:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        jobs: Sequence[Job],
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.jobs = tuple(jobs)
        self.db = db
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))

    async def tick(self) -> None:
        now = self.clock()
        for function in self.jobs:
            try:
                async with self.db.sessions() as session, session.begin():
                    await function(session, now, self.settings)
            except Exception as exc:
                log_failure(f"scheduled job {function.__name__}", exc)

    async def run_forever(self, stop: asyncio.Event) -> None:
        interval = max(1, self.settings.scheduler_interval_seconds)
        while not stop.is_set():
            await self.tick()
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                pass
