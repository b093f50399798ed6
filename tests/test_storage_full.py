"""What is taken for a full disk: SQLite's, PostgreSQL's, a file's; nothing else."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.storage.db import Database
from bot.storage.full import disk_full
from tests.auxil.disk import fill_the_disk


async def test_sqlite_s_full_base_is_a_full_disk(db: Database) -> None:
    await fill_the_disk(db)
    with pytest.raises(OperationalError) as refused:
        async with db.engine.begin() as connection:
            await connection.execute(text("CREATE TABLE encore (x TEXT)"))
    assert disk_full(refused.value)


def test_a_locked_base_or_a_missing_table_is_not(tmp_path: Path) -> None:
    first = sqlite3.connect(tmp_path / "b.db", timeout=0)
    second = sqlite3.connect(tmp_path / "b.db", timeout=0)
    first.execute("CREATE TABLE t (x)")
    first.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as locked:
        second.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as missing:
        second.execute("SELECT * FROM absente")
    assert not disk_full(locked.value) and not disk_full(missing.value)


def test_postgresql_s_disk_full_and_a_file_s_no_space_are() -> None:
    wrapped = DBAPIError.instance("INSERT …", {}, asyncpg.exceptions.DiskFullError("x"), Exception)
    assert disk_full(wrapped)
    assert disk_full(OSError(errno.ENOSPC, "No space left on device"))
    unique = asyncpg.exceptions.UniqueViolationError("x")
    assert not disk_full(DBAPIError.instance("INSERT …", {}, unique, Exception))
    assert not disk_full(OSError(errno.EACCES, "Permission denied"))
