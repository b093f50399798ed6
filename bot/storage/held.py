"""A conversation turn's hold on its pooled connection, on the direct path.

:meth:`bot.storage.db.Database.turn` checks a connection out and hands the
turn a :class:`Held`: the driver's connection for the engine's own
statements (:mod:`bot.storage.turn_rows`), SQLAlchemy's made on it only if
a step opens a session, and the end (commit or rollback, check-in) without
SQLAlchemy when none was made.  On PostgreSQL the turn's reads run alone
until something writes (:func:`writes_open_the_transaction`).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn

from bot.storage.inline import InlineConnection, ParkingPool

_READS_ALONE = re.compile(
    r"\s*SELECT\b(?!.*\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE|KEY\s+SHARE)\b)", re.I | re.S
)
"""A plain read: ``SELECT`` without a row lock, which needs the transaction to hold it."""


def writes_open_the_transaction(
    connection: Connection | None,
    _cursor: Any,
    sql: str,
    _parameters: Any,
    context: Any,
    _many: bool,
) -> None:
    """A turn's first statement through SQLAlchemy that is not a plain read opens its transaction.

    Until then the turn's connection is in ``autocommit`` (:meth:`bot.storage.db.Database.turn`):
    its reads run alone.  The engine's own statements (no execution context:
    :mod:`bot.storage.turn_rows`) decide for themselves.
    """
    if context is None or connection is None:
        return
    adapted = connection.connection.dbapi_connection
    if adapted is not None and adapted.autocommit and not reads_alone(sql):
        adapted.autocommit = False


def reads_alone(sql: str) -> bool:
    """Whether ``sql`` may run outside the turn's transaction: a read that locks no row."""
    return _READS_ALONE.match(sql) is not None


def adapter_runs_turns(dialect: Any) -> bool:
    """Whether SQLAlchemy's asyncpg adapter has what a direct turn calls (:class:`Held`).

    Four of its private parts, the cursor's coroutine that prepares and
    runs a statement (starting the transaction first, unless the connection
    is in ``autocommit``), the connection's ``_transaction``, the coroutine
    that commits or rolls it back and the method that gives asyncpg's
    errors their classes, and its ``autocommit``.  They
    are checked here rather than assumed: a SQLAlchemy without them gets
    the ordinary path, with the same guarantees.
    """
    if dialect.driver != "asyncpg":
        return False
    from sqlalchemy.dialects.postgresql import asyncpg as adapter

    return (
        hasattr(adapter.AsyncAdapt_asyncpg_cursor, "_prepare_and_execute")
        and hasattr(adapter.AsyncAdapt_asyncpg_connection, "_transaction")
        and hasattr(adapter.AsyncAdapt_asyncpg_connection, "_call_and_discard")
        and hasattr(adapter.AsyncAdapt_asyncpg_connection, "_handle_exception")
        and hasattr(adapter.AsyncAdapt_asyncpg_connection, "autocommit")
    )


class Held:
    """A turn's connection in its transaction (:meth:`bot.storage.db.Database.turn`).

    On the direct path, :attr:`sqlite` is the driver's connection on a
    SQLite file, :attr:`adapted` SQLAlchemy's asyncpg adapter on PostgreSQL
    (each None elsewhere); :attr:`connection` is SQLAlchemy's, in the same
    transaction, made on first use there.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        fairy: PoolProxiedConnection | None,
        connection: AsyncConnection | None,
    ) -> None:
        self.engine = engine
        self._fairy = fairy
        self._connection = connection
        driver = fairy.driver_connection if fairy is not None else None
        self.sqlite = driver.sqlite if isinstance(driver, InlineConnection) else None
        self.adapted: Any = (
            fairy.dbapi_connection if fairy is not None and self.sqlite is None else None
        )

    @property
    def connection(self) -> AsyncConnection:
        """SQLAlchemy's connection in the turn's transaction (an ORM session binds to it).

        Made on the connection already checked out: no I/O (SQLite's begin
        is the driver's at the first write, asyncpg's the adapter's at the
        first write or locking read), so no await.
        """
        if self._connection is None:
            sync = Connection(self.engine.sync_engine, connection=self._fairy)
            sync.begin()
            self._connection = AsyncConnection(self.engine, sync)
        return self._connection

    @property
    def sync_connection(self) -> Connection | None:
        """SQLAlchemy's synchronous connection if one was made (what its event listeners get)."""
        return self._connection.sync_connection if self._connection is not None else None

    def lost(self) -> bool:
        """Whether the server ended this connection (asyncpg knows it; SQLite's never is).

        Checked when a statement failed: the error itself may only say « another
        operation is in progress » when the server's goodbye arrived mid-statement.
        """
        driver = self._fairy.driver_connection if self._fairy is not None else None
        is_closed = getattr(driver, "is_closed", None)
        return bool(is_closed()) if callable(is_closed) else False

    async def end(self, *, commit: bool) -> None:
        """Commit or roll back, and give the connection back to the pool (direct path).

        A PostgreSQL connection goes back transactional: the turn's reads ran
        alone (``autocommit``), the next user of the connection may not.
        """
        assert self._fairy is not None
        if self.adapted is not None:
            self.adapted.autocommit = False  # before any await: a cancellation cannot skip it
        if self._connection is not None:
            sync = self._connection.sync_connection
            assert sync is not None
            await greenlet_spawn(end_connection, sync, commit)
        elif self.sqlite is not None:
            self._end_sqlite(self._fairy, self.sqlite, commit)
        else:
            # Shielded: a cancelled turn still gives its connection back, in a known state.
            await asyncio.shield(self._end_adapted(self._fairy, commit))

    def _end_sqlite(
        self, fairy: PoolProxiedConnection, sqlite: sqlite3.Connection, commit: bool
    ) -> None:
        """Commit or roll back; a committed connection stays checked out for the next turn
        (:class:`~bot.storage.inline.ParkingPool`), any other goes back to the pool."""
        try:
            try:
                if commit:
                    sqlite.commit()
                else:
                    sqlite.rollback()
            except sqlite3.Error as exc:
                sqlite.rollback()
                raise DBAPIError.instance(
                    "COMMIT" if commit else "ROLLBACK",
                    None,
                    exc,
                    sqlite3.Error,
                    hide_parameters=True,
                ) from exc
        except BaseException:
            fairy.close()  # back to the pool even when the rollback failed too (review LD1)
            raise
        # Parked in the pool it came from, if the engine still uses it: a turn ending after
        # the engine's dispose gives it back to its old pool (review LD2).
        pool = getattr(fairy, "_pool", None)
        current = pool is self.engine.sync_engine.pool
        if commit and current and isinstance(pool, ParkingPool) and not sqlite.in_transaction:
            pool.park(fairy)
        else:
            fairy.close()

    async def _end_adapted(self, fairy: PoolProxiedConnection, commit: bool) -> None:
        """asyncpg's commit or rollback, as the adapter's would; a failed one drops the connection.

        Its state after a failed ``COMMIT`` or ``ROLLBACK`` is unknown (the
        server may be gone): the pool closes it rather than lend it again.
        """
        adapted = self.adapted
        transaction = adapted._transaction
        try:
            if transaction is not None:
                ending = transaction.commit if commit else transaction.rollback
                await adapted._call_and_discard(ending)
        except Exception as exc:
            await greenlet_spawn(fairy.invalidate, exc)
            dialect = self.engine.sync_engine.dialect
            raise DBAPIError.instance(
                "COMMIT" if commit else "ROLLBACK",
                None,
                adapter_error(adapted, exc),
                dialect.loaded_dbapi.Error,
                hide_parameters=True,
                dialect=dialect,
            ) from exc
        await greenlet_spawn(fairy.close)


def adapter_error(adapted: Any, exc: Exception) -> Exception:
    """asyncpg's error under the class SQLAlchemy's adapter gives it, as its cursor does."""
    try:
        adapted._handle_exception(exc)
    except Exception as translated:
        return translated
    return exc


def end_connection(connection: Connection, commit: bool) -> None:
    try:
        if commit:
            connection.commit()
        else:
            connection.rollback()
    finally:
        connection.close()
