"""SQLite's driver in the loop's thread: no aiosqlite thread, the same errors."""

from __future__ import annotations

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
