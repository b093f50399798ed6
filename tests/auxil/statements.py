"""Counting the SQL statements a piece of work sends, for a test or a benchmark."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bot.storage.db import Database


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
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield sent
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)
