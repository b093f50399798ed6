"""SQLite's driver in the loop's thread: no aiosqlite thread, the same errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage.db import Database
from bot.storage.inline import InlineConnection


async def test_sqlite_runs_in_the_loops_thread_and_its_errors_come_back(tmp_path: Path) -> None:
    """No aiosqlite thread: a statement is run at once where it is awaited (the lean turn);
    a statement SQLite refuses still raises SQLAlchemy's error, and the connection goes on."""
    from sqlalchemy.exc import OperationalError

    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'f.db'}")
    async with database.engine.connect() as connection:
        assert (await connection.execute(text("SELECT 41 + 1"))).scalar() == 42
        raw = (await connection.get_raw_connection()).driver_connection
        assert isinstance(raw, InlineConnection)
        assert not raw._thread.is_alive()
        with pytest.raises(OperationalError):
            await connection.execute(text("SELECT * FROM no_such_table"))
        await connection.rollback()
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
    await database.dispose()


async def test_a_committed_turn_keeps_the_connection_for_the_next_and_gives_it_to_anyone_else(
    tmp_path: Path,
) -> None:
    """KA1: a turn that committed leaves SQLite's one connection checked out, idle, and the
    next turn takes it as it is, without the pool's check-in and check-out; a session (a tick,
    the inbox) asking the pool has it checked in first and reads what the turns stored; a
    turn that fails gives it back rolled back, nothing of it stored; closing the database
    closes it."""
    from sqlalchemy import event

    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'f.db'}")
    pool = database.engine.sync_engine.pool
    moves: list[str] = []
    for name in ("checkout", "checkin"):
        event.listen(pool, name, lambda *_a, name=name: moves.append(name))
    async with database.transaction() as connection:
        await connection.execute(text("CREATE TABLE said (n INTEGER)"))
    moves.clear()

    drivers = []
    for n in (1, 2, 3):
        async with database.turn() as held:
            assert held.sqlite is not None
            held.sqlite.execute("INSERT INTO said VALUES (?)", (n,))
            drivers.append(held.sqlite)
    assert moves == ["checkout"] and drivers[0] is drivers[1] is drivers[2]

    async with database.sessions() as session:  # the pool's other users: checked in first
        assert (await session.execute(text("SELECT count(*) FROM said"))).scalar() == 3
    assert moves == ["checkout", "checkin", "checkout", "checkin"]

    with pytest.raises(RuntimeError):
        async with database.turn() as held:
            assert held.sqlite is not None
            held.sqlite.execute("INSERT INTO said VALUES (4)")
            raise RuntimeError("a step failed")
    assert moves[-2:] == ["checkout", "checkin"]  # back in the pool, rolled back
    async with database.turn() as held:
        assert held.sqlite is not None
        assert not held.sqlite.in_transaction
        assert held.sqlite.execute("SELECT max(n) FROM said").fetchone() == (3,)

    async def turn_waiting_on_something() -> None:  # a step that awaits, holding the connection
        async with database.turn() as held:
            assert held.sqlite is not None
            held.sqlite.execute("INSERT INTO said VALUES (5)")
            await asyncio.sleep(0.05)

    async def read_meanwhile() -> int | None:
        await asyncio.sleep(0.01)
        async with database.sessions() as session:  # waits for the pool: gets it at the commit
            return (await session.execute(text("SELECT max(n) FROM said"))).scalar()

    assert (await asyncio.gather(turn_waiting_on_something(), read_meanwhile()))[1] == 5

    async with database.turn():
        pass
    moves.clear()
    await database.dispose()
    assert moves == ["checkin"]
