"""Bounded sweeps (bot/storage/sweeps.py): a tick forgets at most a batch, oldest first, and
the next ticks work the backlog down, from where the last committed batch stopped, whatever
process does it (issue 14)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from bot.app import build_scheduler
from bot.config import Settings
from bot.outbox import DELIVERED_KEPT, PRUNE_BATCH
from bot.privacy.retention import forget_sent_messages
from bot.storage.db import Database
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.sweeps import SWEEP_BATCH, SweepPosition
from tests.auxil.dialogue import Clock
from tests.auxil.privacy import matrix_welcome
from tests.auxil.statements import recording

TEXT = {"text": "Rappel : l'entretien de Karim Benali est demain à 10 h."}
BACKLOG = 2 * SWEEP_BATCH + 10
"""Two full batches and a few rows more: three ticks to drain."""


async def sent(
    db: Database, count: int, first: datetime, *, status: str = "sent", prefix: str = "r"
) -> None:
    """``count`` outbox rows with their text, sent (and created) one second apart from
    ``first``, in the reverse order of their ids (the sweep goes by time, not by id)."""
    rows: list[dict[str, Any]] = [
        {
            "key": f"{prefix}:{n}",
            "platform": "console",
            "chat_id": "formateur",
            "payload": TEXT,
            "status": status,
            "attempts": 1,
            "created_at": first + timedelta(seconds=n),
            "next_attempt_at": first + timedelta(seconds=n),
            "sent_at": first + timedelta(seconds=n) if status == "sent" else None,
        }
        for n in reversed(range(count))
    ]
    async with db.engine.begin() as connection:
        await connection.execute(insert(OutboxMessage.__table__), rows)


async def with_text(db: Database) -> list[str]:
    """The keys of the sent rows whose text is still there, oldest sent first."""
    async with db.sessions() as session:
        rows = await session.execute(
            select(OutboxMessage.key, OutboxMessage.payload)
            .where(OutboxMessage.status == "sent")
            .order_by(OutboxMessage.sent_at)
        )
        return [key for key, payload in rows.all() if payload]


def backlog_keys(first: int, last: int) -> list[str]:
    return [f"r:{n}" for n in range(first, last)]


async def test_each_tick_erases_one_batch_oldest_first_until_the_backlog_is_drained(
    store: Database, settings: Settings, clock: Clock
) -> None:
    """The texts due (sent over a day ago) go a batch a tick, the oldest first; a text sent an
    hour ago stays until its day is over."""
    await sent(store, BACKLOG, clock.now - timedelta(days=2))
    await sent(store, 1, clock.now - timedelta(hours=1), prefix="recent")
    scheduler = build_scheduler(store, settings, clock=clock)
    left = [await with_text(store)]
    for _ in range(4):
        await scheduler.tick()
        clock.advance(minutes=1)
        left.append(await with_text(store))
    everything = [*backlog_keys(0, BACKLOG), "recent:0"]
    assert left == [
        everything,
        everything[SWEEP_BATCH:],
        everything[2 * SWEEP_BATCH :],
        ["recent:0"],
        ["recent:0"],
    ]
    clock.advance(days=1)
    await scheduler.tick()
    assert await with_text(store) == []


async def test_a_sweep_killed_half_way_resumes_from_its_last_committed_batch(
    db: Database, settings: Settings, clock: Clock
) -> None:
    """A batch rolled back (the process killed before its commit) is done again; a new process
    goes on after the last committed batch: it neither reads nor writes the rows done before."""
    first = db
    await sent(first, BACKLOG, clock.now - timedelta(days=2))
    await build_scheduler(first, settings, clock=clock).tick()
    with pytest.raises(RuntimeError):
        async with first.sessions() as session, session.begin():
            await forget_sent_messages(session, clock.now, settings)
            raise RuntimeError("killed before the commit")
    assert await with_text(first) == backlog_keys(SWEEP_BATCH, BACKLOG)
    await first.dispose()

    second = Database(settings.database_url)  # another process: it remembers nothing
    async with second.sessions() as session:
        rows = await session.execute(select(OutboxMessage.key, OutboxMessage.id))
        ids = {key: id_ for key, id_ in rows.all()}
    with recording(second) as statements:
        await build_scheduler(second, settings, clock=clock).tick()
    assert await with_text(second) == backlog_keys(2 * SWEEP_BATCH, BACKLOG)
    [walk] = [s for s, _ in statements if s.startswith("SELECT outbox.sent_at, outbox.id")]
    assert "outbox.sent_at >= " in walk  # from its place, through (status, sent_at)
    [(erase, erased)] = [(s, p) for s, p in statements if s.startswith("UPDATE outbox")]
    assert "outbox.sent_at >= " in erase and "outbox.sent_at <= " in erase  # one range
    assert ids[f"r:{SWEEP_BATCH - 1}"] in erased  # after the last committed batch's end
    assert ids[f"r:{2 * SWEEP_BATCH - 1}"] in erased  # through this batch's end
    assert len(erased) < 20  # the range's bounds, not the batch's ids
    await second.dispose()


async def test_matrix_welcomes_are_swept_in_order_too(
    db: Database, settings: Settings, clock: Clock
) -> None:
    async with db.sessions() as session, session.begin():
        for n in range(3):
            session.add(matrix_welcome(n, clock.now - timedelta(days=2 - n) if n < 2 else None))
    async with db.sessions() as session, session.begin():
        await forget_sent_messages(session, clock.now, settings)
    async with db.sessions() as session:
        welcomes = (await session.scalars(select(MatrixWelcome).order_by(MatrixWelcome.id))).all()
        position = await session.get(SweepPosition, "sent_texts:matrix_welcomes")
    assert [w.payload for w in welcomes] == [{}, {"text": "/start CODE1"}, {"text": "/start CODE2"}]
    assert position is not None and position.done_id == welcomes[0].id


async def test_the_outbox_is_pruned_a_batch_a_tick_oldest_first(
    store: Database, settings: Settings, clock: Clock
) -> None:
    """Months of sent rows come of age at once (a server upgraded from a version that never
    pruned): a batch of each status a tick, the oldest first; pending rows stay."""
    old = clock.now - DELIVERED_KEPT - timedelta(days=30)
    backlog = 2 * PRUNE_BATCH + 10
    await sent(store, backlog, old)
    await sent(store, 3, old, status="failed", prefix="failed")
    await sent(store, 2, old, status="pending", prefix="pending")
    await sent(store, 1, clock.now - timedelta(days=1), prefix="recent")
    scheduler = build_scheduler(store, settings, clock=clock)

    async def oldest_and_count() -> tuple[str | None, int]:
        async with store.sessions() as session:
            count = await session.scalar(select(func.count(OutboxMessage.id)))
            oldest = await session.scalar(
                select(OutboxMessage.key)
                .where(OutboxMessage.status == "sent")
                .order_by(OutboxMessage.created_at)
                .limit(1)
            )
            return oldest, int(count or 0)

    seen = []
    for _ in range(3):
        await scheduler.tick()
        clock.advance(minutes=1)
        seen.append(await oldest_and_count())
    assert seen == [
        (f"r:{PRUNE_BATCH}", backlog - PRUNE_BATCH + 3),
        (f"r:{2 * PRUNE_BATCH}", backlog - 2 * PRUNE_BATCH + 3),
        ("recent:0", 3),
    ]
    async with store.sessions() as session:
        keys = sorted((await session.scalars(select(OutboxMessage.key))).all())
    assert keys == ["pending:0", "pending:1", "recent:0"]
