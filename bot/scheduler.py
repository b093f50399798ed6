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
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.failures import Refusals, log_failure
from bot.manifest import Job, OrganisationJob
from bot.messages import Platform
from bot.storage.base import stamps_from
from bot.storage.db import Database, Sessions
from bot.storage.inbox import InboxUpdate
from bot.storage.matrix import MatrixEvent
from bot.storage.ping import may_be_lost
from bot.storage.state import ProcessedEvent, redelivery_window
from bot.storage.sweeps import SWEEP_BATCH

log = logging.getLogger(__name__)


async def forget_old_events(session: AsyncSession, now: datetime, settings: Settings) -> None:
    """Drop an event's record (and the replies kept with it) once its platform cannot redeliver it.

    The window is each platform's own (:data:`REDELIVERY_WINDOWS`: a day for
    Telegram).  An event still waiting in formabot's own inbox (a bot down
    for longer than the window) keeps its record until it is handled, so
    that handling it then cannot repeat its effect.  Each platform's oldest
    records first, at most :data:`~bot.storage.sweeps.SWEEP_BATCH` a tick,
    through ``(platform, processed_at)``: a tick reads the records it drops,
    not a day of traffic; a backlog (a busy day a window ago) goes over the
    next ticks.
    """
    for platform in Platform:
        waiting = exists().where(
            InboxUpdate.platform == ProcessedEvent.platform,
            InboxUpdate.event_id == ProcessedEvent.event_id,
            InboxUpdate.status == "pending",
        )
        unhandled = [~waiting]
        if platform is Platform.MATRIX:
            unhandled.append(
                ~exists().where(
                    MatrixEvent.event_id == ProcessedEvent.event_id,
                    MatrixEvent.status == "pending",
                )
            )
        expired = (
            select(ProcessedEvent.event_id)
            .where(
                ProcessedEvent.platform == platform.value,
                ProcessedEvent.processed_at < now - redelivery_window(platform.value),
                # The index's condition (``state.TIMED``), which SQLite does not infer from the line above.
                ProcessedEvent.processed_at.is_not(None),
                *unhandled,
            )
            .order_by(ProcessedEvent.processed_at)
            .limit(SWEEP_BATCH)
        )
        await session.execute(
            delete(ProcessedEvent)
            .where(
                ProcessedEvent.platform == platform.value,
                ProcessedEvent.event_id.in_(expired),
            )
            .execution_options(synchronize_session=False)
        )


async def forget_handled_updates(session: AsyncSession, now: datetime, settings: Settings) -> None:
    """Done rows (ids only) stop a late redelivery; after the platform's window none comes."""
    for platform in Platform:
        await session.execute(
            delete(InboxUpdate).where(
                InboxUpdate.platform == platform.value,
                InboxUpdate.status == "done",
                InboxUpdate.done_at < now - redelivery_window(platform.value),
            )
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
        self.refusals = Refusals("scheduler tick", 0, 0)
        """A database away is said once, not at every tick (the pause is the interval's)."""

    async def tick(self) -> None:
        """Each job once, in its own transactions: one that fails is logged, the others go on.

        A database out of reach fails the whole tick, logged; the next tick tries again.
        """
        now = self.clock()
        try:
            async with self.db.series() as sessions:
                with stamps_from(self.clock):  # the rows' stamps by this clock (explorer QC6)
                    for function in self.jobs:
                        await self._run(sessions, function, now)
        except Exception as exc:
            if may_be_lost(exc):
                self.refusals.refused(exc)
            else:
                log_failure("scheduler tick", exc)
        else:
            self.refusals.answered()

    async def _run(self, sessions: Sessions, function: Job, now: datetime) -> None:
        try:
            if isinstance(function, OrganisationJob):
                await self._each_organisation(sessions, function, now)
                return
            async with sessions() as session, session.begin():
                await function(session, now, self.settings)
        except Exception as exc:
            if may_be_lost(exc) and not await self.db.answers():
                raise  # the database is away: the tick stops here, said once (tick)
            log_failure(f"scheduled job {function.__name__}", exc)

    async def _each_organisation(
        self, sessions: Sessions, job: OrganisationJob, now: datetime
    ) -> None:
        """``job`` for the organisations it finds due, in short transactions.

        One transaction per organisation, or per chunk of ``job.chunk`` when the
        job does several at once (``run_many``).  A chunk that fails is done
        again one organisation per transaction, so the one that fails is
        logged and left due (it is tried again at the next tick) and the
        others go on.
        """
        async with sessions() as session, session.begin():
            due = list(await job.due(session, now, self.settings))
        started = time.monotonic()
        for first in range(0, len(due), job.chunk):
            if job.budget is not None and time.monotonic() - started > job.budget:
                break  # the rest at the next tick
            chunk = due[first : first + job.chunk]
            if job.run_many is not None and len(chunk) > 1:
                try:
                    async with sessions() as session, session.begin():
                        await job.run_many(session, chunk, now, self.settings)
                    continue
                except Exception:  # each alone below: the failing one is logged, the others go on
                    log.info("scheduled job %s: a chunk failed, done one by one", job.__name__)
            for organisation_id in chunk:
                try:
                    async with sessions() as session, session.begin():
                        await job.run(session, organisation_id, now, self.settings)
                except Exception as exc:
                    log_failure(
                        f"scheduled job {job.__name__} (organisation {organisation_id})", exc
                    )

    async def run_forever(self, stop: asyncio.Event) -> None:
        interval = max(1, self.settings.scheduler_interval_seconds)
        while not stop.is_set():
            await self.tick()
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                pass
