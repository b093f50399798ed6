"""Counting the SQL statements a piece of work sends, for a test or a benchmark."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.sql import Executable

from bot.storage.base import utcnow
from bot.storage.db import Database
from bot.storage.state import ProcessedEvent


@contextmanager
def _listening(engine: Any, listeners: tuple[tuple[str, Any], ...]) -> Iterator[None]:
    """``listeners`` (event name, function) on ``engine`` while inside."""
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """Every statement sent to ``db`` while inside, in order (BEGIN/COMMIT included)."""
    sent: list[str] = []
    engine = db.engine.sync_engine

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        sent.append(" ".join(sql.split())[:120])

    def begin(_conn: Any) -> None:
        sent.append("BEGIN")

    def commit(_conn: Any) -> None:
        sent.append("COMMIT")

    def rollback(_conn: Any) -> None:
        sent.append("ROLLBACK")

    listeners = (
        ("before_cursor_execute", statement),
        ("begin", begin),
        ("commit", commit),
        ("rollback", rollback),
    )
    with _listening(engine, listeners):
        yield sent


@contextmanager
def recording(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent to ``db`` while inside, whole, with its parameters (for EXPLAIN)."""
    sent: list[tuple[str, Any]] = []
    engine = db.engine.sync_engine

    def statement(
        _conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, many: bool
    ) -> None:
        if not many:
            sent.append((sql, parameters))

    event.listen(engine, "before_cursor_execute", statement)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", statement)


async def plans(db: Database, statements: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    """(statement, its plan) for each distinct statement, as the database would run it.

    SQLite: ``EXPLAIN QUERY PLAN``.  PostgreSQL: ``EXPLAIN`` with sequential
    scans discouraged (``enable_seqscan = off``), so that a small test table
    shows the plan a populated one would get: a ``Seq Scan`` left means no
    index can serve the statement.  Nothing is executed.
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    postgres = db.engine.dialect.name == "postgresql"
    async with db.engine.connect() as connection:
        if postgres:
            await connection.exec_driver_sql("SET enable_seqscan = off")
        for sql, parameters in statements:
            if sql in seen or not sql.lstrip().upper().startswith(
                ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
            ):
                continue
            seen.add(sql)
            prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            result = await connection.exec_driver_sql(prefix + sql, parameters)
            rows = result.all()
            plan = "\n".join(str(row[0] if postgres else row[-1]) for row in rows)
            found.append((sql, plan))
        await connection.rollback()
    return found


async def unanalyzed_events(db: Database, count: int) -> None:
    """``count`` Telegram event records, ``e0`` … the newest first, in a table PostgreSQL has
    not analyzed: a new database before autovacuum's first pass (kept away from this one)."""
    now = utcnow()
    async with db.engine.begin() as connection:
        await connection.exec_driver_sql(
            "ALTER TABLE processed_events SET (autovacuum_enabled = off)"
        )
        await connection.execute(
            insert(ProcessedEvent.__table__),
            [
                {
                    "platform": "telegram",
                    "event_id": f"e{n}",
                    "processed_at": now - timedelta(seconds=n),
                    "replies": [{"text": "Bonjour"}],
                }
                for n in range(count)
            ],
        )


async def generic_plan(db: Database, statement: Executable, values: Mapping[str, Any]) -> str:
    """PostgreSQL's plan of ``statement`` made for any value, the one a driver's prepared
    statement keeps after its first runs (``plan_cache_mode = force_generic_plan``)."""
    import asyncpg

    compiled = statement.compile(dialect=db.engine.dialect)
    given = {**compiled.params, **values}
    url = db.engine.url
    connection = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    try:
        await connection.execute("SET plan_cache_mode = force_generic_plan")
        await connection.execute(f"PREPARE probe AS {compiled}")
        arguments = ", ".join(_literal(given[name]) for name in compiled.positiontup or ())
        rows = await connection.fetch(f"EXPLAIN EXECUTE probe({arguments})")
    finally:
        await connection.close()
    return "\n".join(str(row[0]) for row in rows)


def _literal(value: Any) -> str:
    """``value`` written in SQL, for ``EXECUTE``'s arguments (test data only)."""
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, datetime):
        text = value.replace(tzinfo=None).isoformat()
    elif isinstance(value, list | dict):
        text = json.dumps(value)
    else:
        text = str(value)
    return "'" + text.replace("'", "''") + "'"


def scans(found: list[tuple[str, str]], tables: set[str]) -> list[str]:
    """The statements that read a whole table of ``tables`` (no index): their SQL and plan."""
    bad = []
    for sql, plan in found:
        for line in plan.splitlines():
            words = line.replace("->", " ").split()
            for index, word in enumerate(words):
                if word == "SCAN" and index + 1 < len(words):
                    table = _table(words[index + 1])
                    # "SCAN t USING (COVERING) INDEX i" without a range is a whole read too.
                    if table in tables:
                        bad.append(f"{sql}\n  {line}")
                if word == "Seq" and words[index + 1 : index + 3][:1] == ["Scan"]:
                    table = _table(words[index + 3]) if len(words) > index + 3 else ""
                    if table in tables:
                        bad.append(f"{sql}\n  {line}")
    return bad


def _table(name: str) -> str:
    """``deadlines_1`` (an alias SQLAlchemy made) is ``deadlines``."""
    base, _, number = name.rpartition("_")
    return base if base and number.isdigit() else name


@contextmanager
def transactions(db: Database) -> Iterator[list[float]]:
    """The duration of every transaction committed or rolled back while inside."""
    began: dict[int, float] = {}
    durations: list[float] = []
    engine = db.engine.sync_engine

    def begin(connection: Any) -> None:
        began[id(connection)] = time.perf_counter()

    def end(connection: Any) -> None:
        start = began.pop(id(connection), None)
        if start is not None:
            durations.append(time.perf_counter() - start)

    listeners = (("begin", begin), ("commit", end), ("rollback", end))
    with _listening(engine, listeners):
        yield durations


@contextmanager
def timed(db: Database) -> Iterator[dict[str, float]]:
    """The time spent in each distinct statement (its first 110 characters) while inside."""
    spent: dict[str, float] = {}
    engine = db.engine.sync_engine

    def before(connection: Any, *_args: Any) -> None:
        connection.info["bench.started"] = time.perf_counter()

    def after(connection: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        key = " ".join(sql.split())[:110]
        elapsed = time.perf_counter() - connection.info.pop("bench.started", time.perf_counter())
        spent[key] = spent.get(key, 0.0) + elapsed

    listeners = (("before_cursor_execute", before), ("after_cursor_execute", after))
    with _listening(engine, listeners):
        yield spent
