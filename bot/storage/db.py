"""Opening the database and bringing its schema up to date.

SQLite (a file, nothing to install) is the default; PostgreSQL when
``DATABASE_URL`` says so, which is what several processes share.  The
schema only ever changes through Alembic migrations, applied here at
start-up and by ``formabot migrate``.

Alembic (with Mako and Pygments) takes a tenth of a second or more to
import; a start on a database already up to date does not need it: the
versions the database records are compared with the heads read from the
migration files (:func:`schema_heads`), and Alembic is imported only when
they differ.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, MissingGreenlet
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool, PoolProxiedConnection, QueuePool
from sqlalchemy.util import greenlet_spawn

from bot.files import make_private, private_dir
from bot.storage.checkpoints import FALLBACK_PAGES, Checkpointer
from bot.storage.held import (
    Held,
    adapter_runs_turns,
    end_connection,
    writes_open_the_transaction,
)
from bot.storage.inline import ParkingPool, creator, reset_inline
from bot.storage.json_text import dumps, loads
from bot.storage.ping import Pings, may_be_lost
from bot.storage.revisions import SchemaMismatch, is_mismatch, schema_heads, unknown

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

Sessions = Callable[[], AsyncSession]
"""Opens a session: :attr:`Database.sessions`, or one bound to a connection (:meth:`Database.series`)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, foreign_keys: bool = True) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _migrating_pragmas(dbapi_connection: Any, record: Any) -> None:
    """A migration's connection: foreign keys unenforced, as SQLite's way of altering a table
    wants (the table copied, the old one dropped).  Enforced, dropping ``trainees`` deleted
    every absence and follow-up of its trainees by their ON DELETE CASCADE (migration 0042,
    test_storage_invariants_migration); :func:`_upgrade` checks the keys before committing."""
    _sqlite_pragmas(dbapi_connection, record, foreign_keys=False)


def _checkpoints_elsewhere(dbapi_connection: Any, _record: Any) -> None:
    """The loop's connection leaves checkpoints to :class:`Checkpointer`, up to its fallback."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")
    cursor.close()


def _driver_leaves_transactions_to_us(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _explicit_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The engine and session factory for one database URL.

    ``pool_size``, ``max_overflow`` and ``pool_timeout`` size a PostgreSQL
    pool (the settings ``FORMABOT_DB_*``); SQLite always has one connection.
    ``sqlite_checkpoints_apart=False`` leaves SQLite's checkpoints to the
    commits, its default (for ``bench.scale`` to compare).
    """

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        sqlite_inline: bool = True,
        sqlite_checkpoints_apart: bool = True,
        pool_size: int = 15,
        max_overflow: int = 0,
        pool_timeout: float = 30.0,
    ) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.inline = False
        """SQLite calls run in the loop's thread (:class:`bot.storage.inline.InlineConnection`): they never wait."""
        # The JSON columns' text (:mod:`bot.storage.json_text`): json's own, with less work.
        kwargs: dict[str, Any] = {
            "echo": echo,
            "json_serializer": dumps,
            "json_deserializer": loads,
        }
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:":
                private_dir(Path(database).parent)
            # SQLite lets one writer in at a time; with several connections the
            # others poll the file lock and the unlucky ones wait seconds.  One
            # connection makes the pool a fair queue (measured: same throughput,
            # p99 divided by six with 20 concurrent users).  Code must therefore
            # never hold a session while opening another.
            kwargs.update(pool_size=1, max_overflow=0, pool_timeout=60)
            if sqlite_inline and database and database != ":memory:":
                kwargs["async_creator"] = creator(database)
                kwargs["pool_reset_on_return"] = None  # done by reset_inline
                kwargs["poolclass"] = ParkingPool  # a turn keeps it for the next (KA1)
                self.inline = True
        else:
            kwargs.update(
                pool_size=pool_size,
                max_overflow=max_overflow,
                pool_timeout=pool_timeout,
            )
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        self.connections = 1 if self.is_sqlite else pool_size + max_overflow
        """The most connections the pool opens at once."""
        self.direct = self.inline or (
            not self.is_sqlite and adapter_runs_turns(self.engine.sync_engine.dialect)
        )
        """A turn runs the engine's statements on the driver's connection (:meth:`turn`)."""
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "connect", self._private_files)
        self.pings = None if self.is_sqlite else Pings(self.engine.sync_engine.pool)
        """The check-out's check of a PostgreSQL connection, when it is in doubt."""
        if self.direct and not self.is_sqlite:
            event.listen(
                self.engine.sync_engine, "before_cursor_execute", writes_open_the_transaction
            )
        self.checkpoints: Checkpointer | None = None
        """The thread that copies the log into the file (a SQLite file's main engine)."""
        if self.inline:
            event.listen(self.engine.sync_engine.pool, "reset", reset_inline)
        if self.inline and sqlite_checkpoints_apart:
            event.listen(self.engine.sync_engine, "connect", _checkpoints_elsewhere)
            self.checkpoints = Checkpointer(parsed.database or "")
            self.checkpoints.start()
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    async def open_connections(self, wait: float = 5.0) -> int:
        """Open the PostgreSQL pool's connections now, all at once; how many it held.

        A process started in the middle of a peak (a restart, a new worker)
        would otherwise open them one by one under its first turns: each
        connection's set-up (authentication, SQLAlchemy's first-connection
        queries, the ping) was a tenth of the first wave's time at 500
        people.  They are opened together and handed back together, so
        the pool keeps ``pool_size`` of them.  A turn that comes meanwhile
        waits for the first of them given back, a few milliseconds; one that
        is slow to open (a distant server) holds the others ``wait`` seconds
        at most.  SQLite opens its one connection on the first turn, as before.
        """
        if self.is_sqlite:
            return 0
        pool = self.engine.sync_engine.pool
        size = pool.size() if isinstance(pool, QueuePool) else 1
        opened = asyncio.Event()
        held = 0

        async def hold() -> None:
            nonlocal held
            try:
                async with self.engine.connect():
                    held += 1
                    if held == size:
                        opened.set()
                    with suppress(TimeoutError):
                        await asyncio.wait_for(opened.wait(), wait)
            except BaseException:
                opened.set()  # the others give theirs back: as many as could be opened
                raise

        results = await asyncio.gather(*(hold() for _ in range(size)), return_exceptions=True)
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:  # too many clients (max_connections), or the server is away
            log.warning(
                "%s of the pool's %s connections could not be opened at start (%s)",
                len(failed),
                size,
                type(failed[0]).__name__,
            )
        return size - len(failed)

    async def check(self, within: float = 2.0) -> None:
        """A ``SELECT 1`` answered within ``within`` seconds, or the reason it was not."""
        async with asyncio.timeout(within), self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def answers(self) -> bool:
        """Whether the database answers at all: what tells a database away (a restart, a
        maintenance) from one statement that failed."""
        try:
            await self.check()
        except Exception:  # down, locked or unreachable
            return False
        return True

    @asynccontextmanager
    async def series(self) -> AsyncIterator[Sessions]:
        """Sessions for a series of short transactions, such as a scheduler tick's jobs.

        On PostgreSQL they share one pooled connection, checked out (and
        pinged) once for the series rather than once a transaction: the
        check-outs were a third of a quiet tick's round trips.  A transaction
        whose connection the server dropped fails alone; SQLAlchemy takes a
        new connection for the next one.  On SQLite, or a PostgreSQL pool of
        one connection, the usual factory: the pool's one connection is the
        chats' too, and goes back between two transactions so that a turn
        can come in.
        """
        if self.connections < 2:
            yield self.sessions
            return
        async with self.engine.connect() as connection:
            yield partial(self.sessions, bind=connection)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a transaction: committed if the block ends well, else rolled back.

        What ``async with engine.connect() as c, c.begin()`` does, in fewer
        steps when the connection is inline: opening (check-out and begin)
        and ending (commit or rollback, and check-in) each cross into
        SQLAlchemy's synchronous side once instead of twice, and the end is
        not moved to a task of its own (which guards an await that a
        cancellation could interrupt; inline calls never wait).  Those
        crossings were a third of a turn's time.
        """
        if not self.inline:
            async with self.engine.connect() as connection, connection.begin():
                yield connection
            return
        sync = await greenlet_spawn(_open, self.engine.sync_engine)
        try:
            yield AsyncConnection(self.engine, sync)
        except BaseException:
            await greenlet_spawn(end_connection, sync, False)
            raise
        await greenlet_spawn(end_connection, sync, True)

    def turn(self) -> AbstractAsyncContextManager[Held]:
        """A conversation turn's hold on the database: committed if the block ends well.

        On SQLite in memory this is :meth:`transaction`.  Elsewhere the turn
        takes a pooled connection and keeps SQLAlchemy out of its way: the
        engine's own statements go to the driver (:mod:`bot.storage.turn_rows`),
        the SQLAlchemy connection (for an ORM session) is made only if a step
        asks for one, and a turn that asked for none ends with the driver's
        commit.  On a SQLite file the statements go to its cursor and the
        check-in needs no crossing into SQLAlchemy's synchronous side (check-out,
        begin, commit and check-in through SQLAlchemy were about a tenth of a
        question turn); a turn that committed keeps the connection for the next
        one, until anyone else asks the pool (:class:`~bot.storage.inline.ParkingPool`).  On PostgreSQL they go to the coroutine of SQLAlchemy's
        asyncpg adapter that its own cursor awaits (SQLAlchemy's connection,
        its greenlet and its execution context were a third of a turn's CPU),
        and the connection starts in ``autocommit``: the turn's reads, its
        own and a session's, run alone, each seeing what it would see in a
        ``READ COMMITTED`` transaction (what was committed when it starts),
        and a turn that only reads ends with one statement writing its state
        and its event together, atomic by itself.  The first other write, or
        a read that locks rows, opens the transaction
        (:func:`writes_open_the_transaction`, ``AdaptedRows.write``); what
        follows runs in it, the last statement included.  Each exchange with
        the server costs a turn about a tenth of a millisecond of CPU: a
        question turn made six, it makes two (the read, the write), and a
        third when the connection is in doubt (the check-out's ping).
        The guarantees are those of :meth:`transaction`.  SQLAlchemy's
        listeners see every statement (``before_cursor_execute``); its
        ``begin`` and ``commit`` events fire only for a turn that made its
        connection.  On the direct path it is a class (:class:`_DirectTurn`), not an
        async generator: the generator's context manager was ten calls a turn (AQ).
        """
        return _DirectTurn(self) if self.direct else self._held_transaction()

    @asynccontextmanager
    async def _held_transaction(self) -> AsyncIterator[Held]:
        async with self.transaction() as connection:
            yield Held(self.engine, None, connection)

    async def _check_out(self) -> PoolProxiedConnection:
        """The pool's connection for a turn: taken at once when it is idle, else waited for.

        On SQLite, taking an idle connection needs no await, so no crossing
        into SQLAlchemy's synchronous side (a tenth of what a turn's own
        Python costs); waiting for it, or reconnecting, does, and SQLAlchemy
        says so (``MissingGreenlet``) before it has changed anything.  On
        PostgreSQL the check-out may ping (:mod:`bot.storage.ping`): always an await.
        """
        engine = self.engine.sync_engine
        pool = engine.pool
        if isinstance(pool, ParkingPool) and (parked := pool.take_parked()) is not None:
            return parked  # left by the turn before, committed (KA1)
        if self.inline and isinstance(pool, QueuePool) and pool.checkedin():
            try:
                return engine.raw_connection()
            except MissingGreenlet:
                pass
        return await greenlet_spawn(engine.raw_connection)

    def _private_files(self, _dbapi_connection: Any, _record: Any) -> None:
        """The database file and its WAL companions: personal data, for the bot's user only."""
        database = make_url(self.url).database or ""
        if database and database != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                make_private(Path(database + suffix))

    async def migrate(self, target: str = "head") -> None:
        """Apply every Alembic migration not yet applied (idempotent), all or nothing.

        On SQLite the driver commits DDL as it goes unless told otherwise, so a
        kill half-way through a migration used to leave tables that the next
        start tripped over ("table … already exists").  Migrations therefore
        run on a connection of their own where formabot emits ``BEGIN``
        itself: SQLite's DDL is transactional, and an interrupted upgrade
        leaves the database exactly as it was before it.

        A base that records a version this code does not know, or whose tables
        are not those of the version it records, raises :class:`SchemaMismatch`
        (explorer GC1), nothing changed.
        """
        recorded = await self.recorded()
        if target == "head" and recorded == schema_heads():
            return
        if recorded and unknown(recorded):
            raise SchemaMismatch(recorded, newer=True)
        try:
            await self._upgrade(target)
        except DBAPIError as exc:
            if is_mismatch(exc):
                raise SchemaMismatch(recorded) from exc
            raise

    async def _upgrade(self, target: str) -> None:
        if not self.is_sqlite:
            async with self.engine.begin() as connection:
                await connection.run_sync(_upgrade, target)
            return
        engine = create_async_engine(self.url, poolclass=NullPool)
        event.listen(engine.sync_engine, "connect", _migrating_pragmas)
        event.listen(engine.sync_engine, "connect", self._private_files)
        event.listen(engine.sync_engine, "connect", _driver_leaves_transactions_to_us)
        event.listen(engine.sync_engine, "begin", _explicit_begin)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(_upgrade, target)
        finally:
            await engine.dispose()

    async def recorded(self) -> frozenset[str] | None:
        """The versions the database records; ``None`` without a version table (a new base)."""
        async with self.engine.connect() as connection:
            try:
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            except DBAPIError as exc:
                if is_mismatch(exc):  # no version table yet: a new database
                    return None
                raise  # a refusal (explorer GC8: « permission denied »), said as such
            return frozenset(row[0] for row in rows)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.checkpoints is not None:
            self.checkpoints.stop()


class _DirectTurn:
    """:meth:`Database.turn` on the direct path: the pool's connection, given back committed
    if the block ends well, rolled back if not."""

    __slots__ = ("db", "held")

    def __init__(self, db: Database) -> None:
        self.db = db

    async def __aenter__(self) -> Held:
        held = self.held = Held(self.db.engine, await self.db._check_out(), None)
        if held.adapted is not None:
            held.adapted.autocommit = True  # reads alone until something writes
        return held

    async def __aexit__(self, _kind: object, failed: BaseException | None, _trace: object) -> None:
        held = self.held
        try:
            if failed is None:
                try:
                    await held.end(commit=True)
                except BaseException as exc:
                    failed = exc
                    raise
            else:
                if isinstance(failed, DBAPIError) and held.lost():
                    failed.connection_invalidated = True  # what SQLAlchemy says of a disconnect
                await held.end(commit=False)
        finally:
            pings = self.db.pings
            if pings is not None and failed is not None and may_be_lost(failed):
                pings.doubt()  # after the check-in: this connection is checked too


def _open(engine: Engine) -> Connection:
    connection = engine.connect()
    connection.begin()
    return connection


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), target)
    if connection.dialect.name == "sqlite":
        # Keys left unenforced while migrating (:func:`_migrating_pragmas`): a row the
        # migration left pointing nowhere undoes the whole upgrade.
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
        if broken is not None:
            raise RuntimeError(f"migration left a broken foreign key in {broken[0]}")
