"""The check-out's check of a PostgreSQL connection: only when the connection is in doubt."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from bot import demo
from bot.app import build_engine
from bot.config import Settings
from bot.storage.db import Database
from tests.auxil.dialogue import Clock, Person

pytestmark = pytest.mark.postgres


async def backend(db: Database) -> int:
    async with db.sessions() as session:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
    assert isinstance(pid, int)
    return pid


async def drop_every_connection_of(db: Database, server_url: str) -> None:
    """What a restart of the server does to the pool: every connection of ``db`` is closed."""
    admin = Database(server_url)
    try:
        async with admin.transaction() as connection:
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": db.engine.url.database},
            )
    finally:
        await admin.dispose()


async def test_a_connection_given_back_a_moment_ago_is_lent_again_without_a_check(
    pg_db: Database,
) -> None:
    assert pg_db.pings is not None
    first = await backend(pg_db)
    checks = pg_db.pings.sent
    assert checks >= 1  # a new connection is checked once
    for _ in range(3):
        assert await backend(pg_db) == first
    assert pg_db.pings.sent == checks


async def test_a_connection_idle_for_a_while_is_checked_and_replaced_if_the_server_dropped_it(
    pg_db: Database, pg_server_url: str
) -> None:
    """A restart or an idle timeout while nobody wrote: the next session gets a live one."""
    assert pg_db.pings is not None
    pg_db.pings.trusted_for = 0.05
    mine = await backend(pg_db)
    await drop_every_connection_of(pg_db, pg_server_url)
    await asyncio.sleep(0.1)
    checks = pg_db.pings.sent
    for _ in range(3):
        assert await backend(pg_db) != mine
    assert pg_db.pings.sent > checks


async def test_a_message_on_a_connection_the_server_just_dropped_is_answered_as_usual(
    pg_db: Database, pg_server_url: str, settings: Settings
) -> None:
    """A restart in the middle of a conversation: the turn that finds its connection dead is
    started over on a checked one, and the person reads the answer, not an apology."""
    clock = Clock()
    async with pg_db.sessions() as session, session.begin():
        await demo.fill(session, today=clock.now.date())
    trainer = Person(build_engine(pg_db, settings, clock=clock), "formateur")
    await trainer.says("/formation")
    await trainer.says("Soudeur TIG")
    assert pg_db.pings is not None
    checks = pg_db.pings.sent
    await drop_every_connection_of(pg_db, pg_server_url)
    await trainer.presses("Une formation")  # at once: the connection is still trusted
    assert "Région Normandie" in trainer.buttons, trainer.all_text
    await trainer.presses("Région Normandie")  # the next turn too, on another connection
    assert "De date à date (un groupe)" in trainer.buttons, trainer.all_text
    assert pg_db.pings.sent > checks  # the connections were checked once in doubt


def test_both_ways_the_server_ends_a_connection_start_the_turn_over() -> None:
    """Depending on timing, a terminated backend is « connection is closed » or the server's
    own 57P01 message: either is a lost connection; a unique key or a bug is not."""
    from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, ProgrammingError

    from bot.storage.ping import connection_lost

    class Driver(Exception):
        def __init__(self, sqlstate: str | None) -> None:
            super().__init__("driver")
            self.sqlstate = sqlstate

    def error(kind: type[DBAPIError], sqlstate: str | None) -> DBAPIError:
        return kind("SELECT 1", None, Driver(sqlstate))

    assert connection_lost(error(InterfaceError, None))
    assert connection_lost(error(DBAPIError, "57P01"))  # pg_terminate_backend, a shutdown
    assert connection_lost(error(DBAPIError, "08006"))  # connection failure
    mid_statement = error(DBAPIError, None)  # « another operation is in progress »
    assert not connection_lost(mid_statement)
    mid_statement.connection_invalidated = True  # the turn saw its connection closed
    assert connection_lost(mid_statement)
    assert not connection_lost(error(IntegrityError, "23505"))
    assert not connection_lost(error(ProgrammingError, "42P01"))
    assert not connection_lost(ValueError("a bug of ours"))


def test_a_server_that_cannot_be_reached_is_away_not_a_bug() -> None:
    """Explorer BA9: the retry met the server still down (« connection refused », « the
    database system is starting up »), was answered « quelque chose s'est mal passé », and
    the message dropped."""
    import socket

    from sqlalchemy.exc import OperationalError

    from bot.storage.ping import database_away

    class Starting(Exception):
        sqlstate = "57P03"

    assert database_away(ConnectionRefusedError(111, "Connect call failed"))
    assert database_away(OperationalError("connect", None, ConnectionResetError()))
    assert database_away(socket.gaierror(-2, "Name or service not known"))
    assert database_away(Starting("the database system is starting up"))
    assert not database_away(ValueError("a bug of ours"))
    assert not database_away(OSError(28, "No space left on device"))
