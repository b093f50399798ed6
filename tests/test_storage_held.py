"""A turn's hold on its connection: on PostgreSQL its reads run alone until something writes."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import turn_rows as rows
from bot.storage.db import Database
from bot.storage.held import reads_alone
from bot.storage.people import Person
from bot.storage.state import ProcessedEvent

NOW = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
BACKEND = select(func.pg_backend_pid().label("pid"))

Seen = Callable[[AsyncSession], Awaitable[str]]


@pytest.fixture
async def seen(pg_server_url: str) -> AsyncIterator[Seen]:
    """What the server says of the session's connection: "idle" or "idle in transaction"."""
    admin = Database(pg_server_url)

    async def state(session: AsyncSession) -> str:
        pid = await session.scalar(BACKEND)
        async with admin.transaction() as connection:
            query = text("SELECT state FROM pg_stat_activity WHERE pid = :pid")
            return str(await connection.scalar(query, {"pid": pid}))

    yield state
    await admin.dispose()


def recorded(name: str) -> dict[str, str | datetime | list[object]]:
    return {"event_platform": "console", "event": name, "processed_at": NOW, "event_replies": []}


@pytest.mark.postgres
async def test_a_steps_reads_run_alone_and_its_first_write_opens_the_transaction(
    pg_db: Database, seen: Seen
) -> None:
    async with pg_db.turn() as held:
        session = AsyncSession(bind=held.connection, join_transaction_mode="rollback_only")
        await session.scalars(select(Person))
        assert await seen(session) == "idle"
        session.add(Person(display_name="Inès"))
        await session.flush()
        assert await seen(session) == "idle in transaction"
        await rows.on(held).write(rows.RECORD, recorded("e1"))
    async with pg_db.sessions() as session:
        assert (await session.scalars(select(Person.display_name))).all() == ["Inès"]
        assert (await session.scalars(select(ProcessedEvent.event_id))).all() == ["e1"]


@pytest.mark.postgres
async def test_a_read_that_locks_rows_opens_the_transaction(pg_db: Database, seen: Seen) -> None:
    """A row lock lasts until the transaction ends: alone, it would end with the read."""
    async with pg_db.turn() as held:
        session = AsyncSession(bind=held.connection, join_transaction_mode="rollback_only")
        await session.scalars(select(Person).with_for_update())
        assert await seen(session) == "idle in transaction"


@pytest.mark.postgres
async def test_a_turn_leaves_the_next_user_of_its_connection_a_transaction(
    pg_db: Database,
) -> None:
    """The pool lends the turn's connection again: a session there writes all or nothing."""
    async with pg_db.turn() as held:
        await rows.on(held).one(
            rows.LOAD, {**recorded("e1"), "platform": "console", "chat": "c", "user": "u"}
        )
    with pytest.raises(RuntimeError):
        async with pg_db.sessions() as session, session.begin():
            session.add(Person(display_name="Bruno"))
            await session.flush()
            raise RuntimeError("the work failed")
    async with pg_db.sessions() as session:
        assert (await session.scalars(select(Person))).all() == []


@pytest.mark.parametrize(
    ("sql", "opens"),
    [
        ("SELECT people.id FROM people", False),
        ("  select 1", False),
        ("SELECT bilans.id FROM bilans WHERE bilans.id = $1 FOR UPDATE", True),
        ("SELECT x FROM t FOR NO KEY UPDATE", True),
        ("SELECT x FROM t FOR SHARE", True),
        ("INSERT INTO people (display_name) VALUES ($1)", True),
        ("WITH w AS (UPDATE t SET a = 1 RETURNING id) SELECT * FROM w", True),
        ("UPDATE people SET display_name = $1", True),
    ],
)
def test_only_a_plain_read_runs_alone(sql: str, opens: bool) -> None:
    assert reads_alone(sql) is not opens


class _FailingSqlite:
    """A SQLite connection whose commit and rollback both fail (a disk gone), reads passed on."""

    def __init__(self, sqlite: sqlite3.Connection) -> None:
        self.sqlite = sqlite

    def commit(self) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    def rollback(self) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    def __getattr__(self, name: str) -> object:
        return getattr(self.sqlite, name)


async def test_a_sqlite_turn_whose_commit_and_rollback_fail_gives_its_connection_back(
    tmp_path: Path,
) -> None:
    """Review LD1: a commit that fails, then its rollback too, still gives SQLite's one
    connection back to the pool, rolled back there: nothing of the turn is stored and the
    next user gets the connection (it was kept checked out forever, every later turn and
    tick waiting for it)."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'f.db'}")
    async with database.transaction() as connection:
        await connection.execute(text("CREATE TABLE said (n INTEGER)"))
    with pytest.raises(sqlite3.OperationalError):
        async with database.turn() as held:
            assert held.sqlite is not None
            held.sqlite.execute("INSERT INTO said VALUES (1)")
            held.sqlite = cast(sqlite3.Connection, _FailingSqlite(held.sqlite))
    assert database.engine.sync_engine.pool.checkedout() == 0
    async with database.sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM said"))).scalar() == 0
    await database.dispose()


async def test_a_sqlite_turn_ending_after_the_engines_dispose_parks_nothing_in_the_new_pool(
    tmp_path: Path,
) -> None:
    """Review LD2: a turn under way when the database is disposed (a stop) gives its
    connection back to its own pool, closed with it; the next turn gets a fresh connection
    of the new pool, which disposing closes (it took the old one from the new pool's
    parking, a connection no pool would close)."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'f.db'}")
    async with database.turn() as held:
        before = held.sqlite
        await database.engine.dispose()
    async with database.turn() as held:
        assert held.sqlite is not None and held.sqlite is not before
    await database.dispose()
