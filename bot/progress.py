"""Long work in a chat: said at once, done after the turn, answered when done, never lost.

Building a proof or Qualiopi bundle, importing a big file: seconds to a
minute, during which a person who hears nothing thinks the bot is broken.
So a step does not do such work inside its turn.  It calls
:meth:`ctx.later <bot.conversations.kit.context.Context.later>`, which

1. writes a :class:`~bot.storage.progress.LongWork` row (what to do: a
   ``kind`` declared in a feature's manifest, ``Feature.works``, and JSON
   arguments; where to answer) in the turn's transaction, and
2. says the interim message ("Je prépare le dossier, cela peut prendre une
   minute…"), an ordinary reply of the turn.

The engine starts the work once the transport has **sent** the turn's
replies (:meth:`bot.engine.Engine.delivered`, after that transaction
commits): the interim message always arrives first, even when the work
keeps the process busy.  The work (:func:`run`) claims its row (a
conditional UPDATE: two processes never both do it), runs in one
transaction that also queues its replies in the outbox under the keys
``work:<id>:<n>`` and marks the row ``done``: the result arrives once.  A
process stopped before or during the work leaves the row ``pending`` or
``running``; the scheduler job :func:`resumer` starts it again (``pending``
after :data:`RESUME_AFTER`, ``running`` after :data:`CLAIM_TIMEOUT`, or at
once when the process that ran it was on this host and is gone:
:mod:`bot.storage.claimers`; a run the database's going away cut, in a
process still alive, puts its row back to ``pending`` as soon as the base
answers).  A work that fails is tried :data:`MAX_ATTEMPTS` times, then the
person is told (``progress.failed``), never left waiting.

While a turn itself runs longer than :data:`TYPING_AFTER`, the transports
show the platform's "typing" (:func:`while_slow`: Telegram's
``sendChatAction``, Matrix's ``room_typing``).

Logs name the row and the error type only, never what the work is about.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, event, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot import texts
from bot.config import Settings
from bot.manifest import Job, Work
from bot.messages import Reply
from bot.outbox import enqueue
from bot.storage.base import stamps_from, utcnow
from bot.storage.claimers import claimer, take_back
from bot.storage.outbox import OutboxMessage
from bot.storage.progress import LongWork

log = logging.getLogger(__name__)

T = TypeVar("T")

TYPING_AFTER = 1.0
"""Seconds of a turn before the platform shows "typing" (a quick answer shows nothing)."""
TYPING_EVERY = 4.0
"""Telegram shows "typing" for five seconds: it is said again before that."""
RESUME_AFTER = timedelta(seconds=10)
"""A ``pending`` row older than this was left by a stopped process (or its replies were
never confirmed sent): the scheduler starts it."""
CLAIM_TIMEOUT = timedelta(minutes=2)
"""A ``running`` row claimed longer ago than this belongs to a process that died."""
MAX_ATTEMPTS = 3
RELEASE_PAUSE, RELEASE_PAUSE_MAX = 0.5, 15.0
"""Seconds between tries to release a claim while the database is away (doubling)."""

_running: set[asyncio.Task[str]] = set()


# --- starting ------------------------------------------------------------------------------


def start_after_commit(
    session: AsyncSession,
    works: Mapping[str, Work],
    settings: Settings,
    ids: Iterable[int],
    *,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Run the works ``ids`` once ``session``'s transaction has committed (never on rollback).

    Each work runs on the engine, in sessions of its own: a scheduler tick's session is bound
    to the one connection its jobs share on PostgreSQL (``Database.series``), which goes back
    to the pool when the tick ends (explorer CE1: the resumer started nothing there).
    """
    wanted = list(ids)
    bind = session.bind
    if isinstance(bind, AsyncConnection):
        bind = bind.engine
    if not wanted or not isinstance(bind, AsyncEngine):
        return
    loop = asyncio.get_running_loop()

    def committed(_session: Any) -> None:
        sessions = async_sessionmaker(bind, expire_on_commit=False)
        for work_id in wanted:
            loop.call_soon(_spawn, sessions, works, settings, work_id, clock)

    event.listen(session.sync_session, "after_commit", committed, once=True)


def _spawn(
    sessions: async_sessionmaker[AsyncSession],
    works: Mapping[str, Work],
    settings: Settings,
    work_id: int,
    clock: Callable[[], datetime],
) -> None:
    task = asyncio.ensure_future(run(sessions, works, settings, work_id, clock=clock))
    _running.add(task)
    task.add_done_callback(_running.discard)
    task.add_done_callback(_said)


def _said(task: asyncio.Task[str]) -> None:
    """A run that could not even claim or record (the database away): logged, by type only,
    and left to the scheduler's next look (explorer BA10: nothing was ever said)."""
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.warning("long work: run stopped (%s), resumed later", type(exc).__name__)


async def wait_for_works() -> None:
    """Wait until every work started by this process is over (tests, a clean stop)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)
        await asyncio.sleep(0)


async def finish(
    sessions: async_sessionmaker[AsyncSession],
    send: Callable[[], Awaitable[int]],
    platforms: Iterable[str],
) -> None:
    """Wait until the works started here are done and their results due on ``platforms``
    sent (``send``: the outbox sender's ``run_once``; its own loop may be sending them)."""
    served = list(platforms)
    await asyncio.sleep(0)  # works whose turn just committed are spawned by now
    await wait_for_works()
    while True:
        async with sessions() as session:
            unsent = await session.scalar(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.key.like("work:%"),
                    OutboxMessage.status.in_(("pending", "sending")),
                    OutboxMessage.platform.in_(served),
                    OutboxMessage.next_attempt_at <= utcnow(),
                )
                .limit(1)
            )
        if unsent is None:
            return
        await send()
        await asyncio.sleep(0.05)


def resumer(works: Mapping[str, Work]) -> Job:
    """The scheduler job that starts what a stopped process left undone."""

    async def resume_long_work(session: AsyncSession, now: datetime, settings: Settings) -> None:
        # Killed on this host: its work is not left to the claim's timeout.
        claimed = (LongWork.status == "running", LongWork.claimed_at >= now - CLAIM_TIMEOUT)
        orphans = await take_back(session, LongWork, *claimed)
        ids = await session.scalars(
            select(LongWork.id).where(
                or_(
                    and_(LongWork.status == "pending", LongWork.created_at < now - RESUME_AFTER),
                    and_(LongWork.status == "running", LongWork.claimed_at < now - CLAIM_TIMEOUT),
                )
            )
        )
        start_after_commit(session, works, settings, sorted({*ids.all(), *orphans}))

    return resume_long_work


# --- one run -------------------------------------------------------------------------------


class _Taken(Exception):
    """Another process claimed the row meanwhile: its result is the one kept."""


async def run(
    sessions: async_sessionmaker[AsyncSession],
    works: Mapping[str, Work],
    settings: Settings,
    work_id: int,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> str:
    """Claim, do, answer; the row's new status (``skipped`` when not claimed); its rows
    stamped by ``clock`` (:func:`bot.storage.base.stamp_now`)."""
    with stamps_from(clock):
        return await _run(sessions, works, settings, work_id, clock)


async def _run(
    sessions: async_sessionmaker[AsyncSession],
    works: Mapping[str, Work],
    settings: Settings,
    work_id: int,
    clock: Callable[[], datetime],
) -> str:
    now = clock()
    async with sessions() as session, session.begin():
        claimed = await session.execute(
            update(LongWork)
            .where(
                LongWork.id == work_id,
                or_(
                    LongWork.status == "pending",
                    and_(LongWork.status == "running", LongWork.claimed_at < now - CLAIM_TIMEOUT),
                ),
            )
            .values(
                status="running",
                claimed_at=now,
                claimed_by=claimer(),
                attempts=LongWork.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return "skipped"
        row = await session.get(LongWork, work_id)
        assert row is not None
        kind, args, attempt = row.kind, dict(row.args), row.attempts
        where = (row.platform, row.chat_id)
        organisation_id = row.organisation_id
    try:
        work = works.get(kind)
        if work is None:
            raise LookupError("unknown work")
        # A work stuck on a connection a restart killed fails once it outlasts its claim, and
        # is tried again, not left « running » for ever (explorer BA10).
        async with (
            asyncio.timeout(CLAIM_TIMEOUT.total_seconds()),
            sessions() as session,
            session.begin(),
        ):
            replies = await work(session, args, clock(), settings)
            for number, reply in enumerate(replies):
                await enqueue(
                    session,
                    key=f"work:{work_id}:{number}",
                    reply=reply,
                    organisation_id=organisation_id,
                    platform=where[0],
                    chat_id=where[1],
                )
            await _finish(session, work_id, attempt, "done", clock())
    except _Taken:
        return "skipped"
    except Exception as exc:
        log.warning("long work %s: attempt %s failed (%s)", work_id, attempt, type(exc).__name__)

        async def record() -> str:
            return await _failed(
                sessions,
                work_id,
                attempt,
                retry=attempt < MAX_ATTEMPTS and kind in works,
                where=where,
                organisation_id=organisation_id,
                now=clock(),
            )

        try:
            return await _once_back(work_id, record)
        except _Taken:
            return "skipped"
    return "done"


async def _once_back(work_id: int, record: Callable[[], Awaitable[str]]) -> str:
    """``record`` (a failed attempt's outcome), tried again while the database is away: a
    run a PostgreSQL stop cut releases its claim as soon as the base answers, and the
    resumer's next tick runs it (explorer CE2: the claim was kept, the ZIP sent after its
    two minutes, « une minute » promised).  Past :data:`CLAIM_TIMEOUT` the resumer takes the
    row anyway: the error is raised, the run said stopped."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + CLAIM_TIMEOUT.total_seconds()
    pause, refused = RELEASE_PAUSE, 0
    while True:
        try:
            outcome = await record()
        except _Taken:
            raise
        except Exception as exc:
            if loop.time() + pause > give_up:
                raise
            if not refused:
                log.warning(
                    "long work %s: the database is away (%s), its claim released once it answers",
                    work_id,
                    type(exc).__name__,
                )
            refused += 1
            await asyncio.sleep(pause)
            pause = min(pause * 2, RELEASE_PAUSE_MAX)
            continue
        if refused:
            log.info("long work %s: the database answers again, its claim released", work_id)
        return outcome


async def _failed(
    sessions: async_sessionmaker[AsyncSession],
    work_id: int,
    attempt: int,
    *,
    retry: bool,
    where: tuple[str, str],
    organisation_id: int | None,
    now: datetime,
) -> str:
    """Back to ``pending`` for another attempt, or ``failed`` and the person told."""
    async with sessions() as session, session.begin():
        if retry:
            await _finish(session, work_id, attempt, "pending", None)
            return "pending"
        await enqueue(
            session,
            key=f"work:{work_id}:failed",
            reply=Reply(text=texts.say("progress.failed")),
            organisation_id=organisation_id,
            platform=where[0],
            chat_id=where[1],
        )
        await _finish(session, work_id, attempt, "failed", now)
        return "failed"


async def _finish(
    session: AsyncSession, work_id: int, attempt: int, status: str, at: datetime | None
) -> None:
    """Record the outcome, only if this run still holds the claim (else roll back)."""
    result = await session.execute(
        update(LongWork)
        .where(
            LongWork.id == work_id,
            LongWork.status == "running",
            LongWork.attempts == attempt,
        )
        .values(status=status, done_at=at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _Taken()


# --- "typing" ------------------------------------------------------------------------------


async def while_slow(
    turn: Awaitable[T],
    typing: Callable[[], Awaitable[object]] | None,
    *,
    after: float | None = None,
    every: float | None = None,
) -> T:
    """Await ``turn``; if it lasts more than ``after`` seconds (:data:`TYPING_AFTER`), call
    ``typing`` then, and again every ``every`` seconds (:data:`TYPING_EVERY`) until it ends.
    A failing ``typing`` is ignored: it is a courtesy, never a reason to lose the turn.

    It is shown while the turn waits on something (PostgreSQL, a platform, a file); a
    turn on SQLite runs its statements in the loop's thread
    (:class:`bot.storage.inline.InlineConnection`) and so shows it only when it waits
    elsewhere; what takes long is moved after the turn anyway
    (:meth:`bot.conversations.kit.context.Context.later`)."""
    if typing is None:
        return await turn
    first = TYPING_AFTER if after is None else after
    again = TYPING_EVERY if every is None else every

    async def show() -> None:
        try:
            await typing()
        except Exception as exc:
            log.debug("typing not shown (%s)", type(exc).__name__)

    async def keep_typing() -> None:
        while True:
            await show()
            await asyncio.sleep(again)

    shown: asyncio.Task[None] | None = None

    def start() -> None:
        nonlocal shown
        shown = asyncio.create_task(keep_typing())

    if first <= 0:  # shown at once, even before a turn that never yields to the loop
        await show()
    # A timer, not a task: most turns end long before it, and a timer is
    # cancelled for a fraction of what creating, cancelling and awaiting a
    # task costs (which was more than a tenth of a quick turn's own CPU).
    timer = asyncio.get_running_loop().call_later(again if first <= 0 else first, start)
    try:
        return await turn
    finally:
        timer.cancel()
        if shown is not None:
            shown.cancel()
            await asyncio.gather(shown, return_exceptions=True)
