"""SQLite's driver called in the event loop's thread, for a file only one process writes.

What :class:`bot.storage.db.Database` uses for a SQLite file: the connection
(:class:`InlineConnection`), the pool's reset on check-in without a crossing
into SQLAlchemy's synchronous side (:func:`reset_inline`), the pool's
way to make a connection (:func:`creator`), and the pool that lets the turns
keep its one connection between them (:class:`ParkingPool`).
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.pool import (
    AsyncAdaptedQueuePool,
    ConnectionPoolEntry,
    PoolProxiedConnection,
    PoolResetState,
)


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


class ParkingPool(AsyncAdaptedQueuePool):
    """The pool of a SQLite file's one connection, which a turn may leave parked after its commit.

    A conversation turn on the direct path (:meth:`bot.storage.db.Database.turn`)
    that committed leaves the connection checked out, idle (no transaction
    open: the commit ended it), as :attr:`parked`; the next turn takes it as it
    is (:meth:`take_parked`), without the pool's check-out and check-in (their
    queue, locks, events and reset: some 6 % of a turn, KA1).
    Anyone else asking the pool for a connection (a session, a scheduler's
    tick) has the parked one checked in first, reset as any other
    (:meth:`_do_get`), and a turn ending while someone waits for the pool
    checks its connection in rather than park it: the pool stays the one way
    to the connection.  A turn that failed checks its connection in as before.
    """

    _sqla_logger_namespace = "sqlalchemy.pool.impl.AsyncAdaptedQueuePool"
    """Its log is SQLAlchemy's pool's, as quiet as that one (not under ``bot.``, whose
    INFO is shown)."""

    parked: PoolProxiedConnection | None = None
    """The connection a committed turn left checked out, idle; None when it is in the pool
    or in use."""

    asking = 0
    """How many are asking the pool for its connection at this moment (waiting for it)."""

    def park(self, fairy: PoolProxiedConnection) -> None:
        """Keep ``fairy`` (committed, no transaction open) for the next turn, unless someone
        waits for the pool: then it goes back, to them."""
        if self.asking or self.parked is not None:
            fairy.close()
        else:
            self.parked = fairy

    def take_parked(self) -> PoolProxiedConnection | None:
        fairy, self.parked = self.parked, None
        return fairy

    def unpark(self) -> None:
        """The parked connection back in the pool, through its ordinary check-in."""
        fairy = self.take_parked()
        if fairy is not None:
            fairy.close()

    def _do_get(self) -> ConnectionPoolEntry:
        self.unpark()
        self.asking += 1
        try:
            return super()._do_get()
        finally:
            self.asking -= 1

    def dispose(self) -> None:
        self.unpark()
        super().dispose()
