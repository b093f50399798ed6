"""SQLite's driver called in the event loop's thread, for a file only one process writes.

What :class:`bot.storage.db.Database` uses for a SQLite file: the connection
(:class:`InlineConnection`), the pool's reset on check-in without a crossing
into SQLAlchemy's synchronous side (:func:`reset_inline`), and the pool's
way to make a connection (:func:`creator`).
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.pool import PoolResetState


class _RunHere:
    """Stands for aiosqlite's queue to its thread: runs each call at once, in the caller's thread."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Any]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # handed to the awaiting caller, as aiosqlite does
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if future is not None and not future.done():
            future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose SQLite calls run in the event loop's thread.

    aiosqlite sends every call to a thread of its own and wakes the loop with
    the result: two thread switches and a loop iteration per statement, about
    a tenth of a turn's time, for calls that take microseconds on a local
    file.  Here the call runs at once and the awaited future is already done,
    so SQLAlchemy's await returns without yielding.  The price: a statement
    that waits for SQLite's lock (another process writing the same file)
    holds the loop meanwhile; one process per SQLite file does not meet it
    (its pool is one connection, so statements never wait on each other).
    """

    def __init__(self, connector: Any) -> None:
        super().__init__(connector, 64)
        self._tx = _RunHere()  # type: ignore[assignment]

    def __await__(self) -> Any:
        return self._connect().__await__()  # no thread to start

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The driver's connection, for calls that need no await (:mod:`bot.storage.turn_rows`)."""
        return self._conn


def reset_inline(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
    """The pool's reset on check-in (a rollback), straight on SQLite: no crossing needed.

    What SQLAlchemy's ``reset_on_return="rollback"`` does, with the same
    conditions, without the await its adapter makes of it: a connection
    checked in by a turn (:meth:`bot.storage.db.Database.turn`) is never lent to a
    greenlet, and a rollback with no transaction open costs nothing.
    """
    if state.asyncio_safe and not state.transaction_was_reset:
        dbapi_connection.driver_connection.sqlite.rollback()


def creator(path: str) -> Any:
    def create() -> InlineConnection:
        return InlineConnection(lambda: sqlite3.connect(path, check_same_thread=False))

    return create
