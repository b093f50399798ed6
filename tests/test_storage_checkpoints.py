"""The log is copied into the database file by the checkpoint thread, never by a turn's commit."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage import checkpoints
from bot.storage.checkpoints import FALLBACK_PAGES, Checkpointer
from bot.storage.db import Database

ROWS = 1_500
"""Rows of a page each: more log in one commit than SQLite's own threshold (1,000 pages)."""


def url_of(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def write_past_the_threshold(database: Database) -> None:
    async with database.transaction() as connection:
        await connection.execute(text("CREATE TABLE filler (body TEXT)"))
    async with database.transaction() as connection:
        await connection.execute(
            text("INSERT INTO filler (body) VALUES (:body)"), [{"body": "x" * 4000}] * ROWS
        )


async def test_a_commit_leaves_the_log_to_the_thread_which_copies_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit past SQLite's threshold returns with the file as it was (it did not copy the
    log, nor wait for the disk); one round of the thread puts every row in the file."""
    monkeypatch.setattr(checkpoints, "EVERY", 3600.0)  # the thread stays asleep: run by hand
    path = tmp_path / "f.db"
    database = Database(url_of(path))
    await write_past_the_threshold(database)
    assert path.stat().st_size < 100_000  # the rows are in the log only
    assert database.checkpoints is not None and database.checkpoints.run_once()
    assert path.stat().st_size > ROWS * 4000
    async with database.transaction() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM filler"))).scalar() == ROWS
        autocheckpoint = await connection.execute(text("PRAGMA wal_autocheckpoint"))
        assert autocheckpoint.scalar() == FALLBACK_PAGES
    await database.dispose()


async def test_the_thread_copies_the_log_by_itself_and_stops_with_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoints, "EVERY", 0.05)
    path = tmp_path / "f.db"
    database = Database(url_of(path))
    assert database.checkpoints is not None and database.checkpoints.running
    await write_past_the_threshold(database)
    for _ in range(200):  # ten seconds at most: a liveness check, not a timing
        if path.stat().st_size > ROWS * 4000:
            break
        await asyncio.sleep(0.05)
    assert path.stat().st_size > ROWS * 4000
    await database.dispose()
    assert not database.checkpoints.running


def test_a_missing_file_is_never_created(tmp_path: Path) -> None:
    """Before the first start has created the database, a checkpoint finds nothing to do; it
    does not make an empty file (which would be readable by others, and not migrated)."""
    path = tmp_path / "not-yet.db"
    assert not Checkpointer(str(path)).run_once()
    assert not path.exists()


@pytest.mark.postgres
async def test_postgresql_has_no_thread_and_room_in_the_outboxs_pages(pg_db: Database) -> None:
    """PostgreSQL checkpoints by itself; its outbox pages keep a fifth free for the erased
    texts' versions (migration ``0026_outbox_room``)."""
    assert pg_db.checkpoints is None
    async with pg_db.transaction() as connection:
        options = await connection.execute(
            text("SELECT reloptions FROM pg_class WHERE relname = 'outbox'")
        )
        assert options.scalar() == ["fillfactor=80"]


async def test_without_the_thread_the_commit_checkpoints_as_sqlite_does(tmp_path: Path) -> None:
    """SQLite's default, kept for ``bench.scale --checkpoints-on-commit``: the commit past
    1,000 pages copies the log into the file before it returns (what a turn used to pay)."""
    path = tmp_path / "f.db"
    database = Database(url_of(path), sqlite_checkpoints_apart=False)
    assert database.checkpoints is None
    await write_past_the_threshold(database)
    assert path.stat().st_size > ROWS * 4000
    await database.dispose()


def test_failing_checkpoints_are_said_once_and_tried_less_often(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer AJ6: with the disk full, « checkpoint put off » fifty times a second in the
    log, the thread retrying every 20 ms; said once now, the pause doubling."""
    path = tmp_path / "abime.db"
    path.write_bytes(b"pas une base SQLite " * 500)  # every checkpoint fails
    monkeypatch.setattr(checkpoints, "EVERY", 0.005)
    monkeypatch.setattr(checkpoints, "LONGEST", 0.02)
    caplog.set_level(logging.INFO, logger="bot.storage.checkpoints")
    thread = Checkpointer(str(path))
    thread.start()
    try:
        for _ in range(200):
            if thread.put_off >= 5:
                break
            time.sleep(0.01)
    finally:
        thread.stop()
    assert thread.put_off >= 5
    said = [r.getMessage() for r in caplog.records]
    assert said == ["sqlite checkpoints put off (DatabaseError); said again when they go on"]
