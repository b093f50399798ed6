"""Migrations are all or nothing: an interrupted upgrade never bricks a SQLite database."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url

from bot.storage import db as db_module
from bot.storage.db import Database
from bot.storage.models import Base
from bot.storage.revisions import SchemaMismatch


class Interrupted(Exception):
    """Stands for a Ctrl-C or a crash at one precise statement of a migration."""


NOW = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)


def url_of(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def schema_is_complete(database: Database) -> bool:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    async with database.engine.connect() as connection:
        return await connection.run_sync(differences) == []


def interrupt_at(monkeypatch: pytest.MonkeyPatch, statement: int) -> list[int]:
    """Make the next migration fail at its ``statement``-th SQL statement; count them."""
    seen = [0]
    original = db_module._upgrade

    def failing(connection: Connection, target: str = "head") -> None:
        def count(*_: Any) -> None:
            seen[0] += 1
            if seen[0] == statement:
                raise Interrupted()

        event.listen(connection, "before_cursor_execute", count)
        try:
            original(connection, target)
        finally:
            event.remove(connection, "before_cursor_execute", count)

    monkeypatch.setattr(db_module, "_upgrade", failing)
    return seen


async def statements_of_a_first_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    seen = interrupt_at(monkeypatch, -1)
    database = Database(url_of(tmp_path / "count.db"))
    await database.migrate()
    await database.dispose()
    monkeypatch.undo()
    return seen[0]


async def test_a_first_start_interrupted_anywhere_starts_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = await statements_of_a_first_start(tmp_path, monkeypatch)
    assert total > 50
    for point in range(1, total, max(1, total // 25)):
        path = tmp_path / f"first-{point}.db"
        database = Database(url_of(path))
        interrupt_at(monkeypatch, point)
        with pytest.raises(Interrupted):
            await database.migrate()
        monkeypatch.undo()
        await database.migrate()
        assert await schema_is_complete(database), point
        await database.dispose()


async def test_an_upgrade_interrupted_anywhere_keeps_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for point in (1, 3, 8, 20, 40, 80, 120):
        path = tmp_path / f"upgrade-{point}.db"
        database = Database(url_of(path))
        await database.migrate("0001")
        async with database.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO organisations (name, timezone, settings, created_at) "
                    "VALUES ('Forma', 'Europe/Paris', '{}', '2026-11-02 09:00:00')"
                )
            )
        seen = interrupt_at(monkeypatch, point)
        try:
            await database.migrate()
        except Interrupted:
            pass
        monkeypatch.undo()
        await database.migrate()
        assert await schema_is_complete(database), (point, seen[0])
        async with database.engine.connect() as connection:
            names = (await connection.execute(text("SELECT name FROM organisations"))).all()
        assert [n for (n,) in names] == ["Forma"]
        await database.dispose()


KILLED = """
import asyncio, sys
from bot.storage.db import Database
from bot.storage.revisions import SchemaMismatch
database = Database(sys.argv[1])
print("go", flush=True)
asyncio.run(database.migrate())
print("done", flush=True)
"""


def run_and_kill(path: Path, delay: float | None) -> bool:
    """Migrate in a child process, SIGKILLed ``delay`` seconds in (or left to finish)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, url_of(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "go\n"
    if delay is None:
        return child.wait(60) == 0
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(60)
    return False


async def starts(path: Path) -> bool:
    database = Database(url_of(path))
    try:
        await database.migrate()
        return await schema_is_complete(database)
    finally:
        await database.dispose()


@pytest.mark.slow
def test_a_first_start_killed_with_sigkill_starts_afterwards(tmp_path: Path) -> None:
    started = time.monotonic()
    assert run_and_kill(tmp_path / "whole.db", None)
    whole = time.monotonic() - started
    for index in range(10):
        path = tmp_path / f"killed-{index}.db"
        run_and_kill(path, whole * index / 10)
        assert asyncio.run(starts(path)), index


def test_the_heads_read_from_the_files_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    alembic_heads = ScriptDirectory.from_config(db_module.alembic_config()).get_heads()
    assert db_module.schema_heads() == frozenset(alembic_heads)
    assert len(db_module.schema_heads()) == 1  # one history, never a merge left undone


async def test_a_database_up_to_date_is_not_handed_to_alembic_again(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart skips Alembic (and its import); a database behind still gets every migration."""
    upgrades: list[str] = []
    original = db_module._upgrade

    def counted(connection: Connection, target: str = "head") -> None:
        upgrades.append(target)
        original(connection, target)

    monkeypatch.setattr(db_module, "_upgrade", counted)
    await store.migrate()
    assert upgrades == []

    (head,) = db_module.schema_heads()
    async with store.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    with pytest.raises(SchemaMismatch, match="older"):  # an unknown version: said, no Alembic
        await store.migrate()
    assert upgrades == []
    async with store.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    await store.migrate()
    assert upgrades == []
    async with store.engine.begin() as connection:
        await connection.execute(text("DROP TABLE alembic_version"))
    with pytest.raises(SchemaMismatch):  # behind: handed to Alembic, which finds the tables
        await store.migrate()
    assert upgrades == ["head"]


async def recorded(database: Database) -> str:
    async with database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
        return str(rows.scalar_one())


async def test_a_base_whose_tables_are_not_its_recorded_version_is_refused_in_french(
    store: Database,
) -> None:
    """Explorer GC1: a pre-upgrade dump restored by `pg_restore --clean` over the upgraded
    base left the dump's 0011 recorded beside the upgraded tables, and `formabot migrate`
    died on 0016's « column "address_form" already exists » in a 100-line traceback."""
    async with store.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = '0011_retention'"))
    with pytest.raises(SchemaMismatch) as refused:
        await store.migrate()
    assert str(refused.value) == (
        "La base ne correspond pas à la version de formabot qu'elle enregistre "
        "(0011_retention) : des tables ou des colonnes d'une autre version y sont déjà, ou y "
        "manquent, comme après une sauvegarde restaurée par-dessus une base plus récente ; "
        "rien n'a été modifié : restaurez la sauvegarde dans une base vide (voir « Mettre en "
        "production » dans le README), puis relancez."
    )
    assert await recorded(store) == "0011_retention"  # all or nothing: nothing done


async def test_a_base_from_a_newer_formabot_is_refused_in_french(store: Database) -> None:
    """Explorer GC1: the code rolled back without the base: Alembic's « Can't locate
    revision » traceback."""
    async with store.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = '0099_later'"))
    with pytest.raises(SchemaMismatch) as refused:
        await store.migrate()
    assert str(refused.value) == (
        "La base a été mise à jour par une version de formabot plus récente que celle-ci "
        "(0099_later) : rien n'a été modifié ; lancez la version qui l'a mise à jour, ou "
        "restaurez dans une base vide la sauvegarde prise avant cette mise à jour (voir "
        "« Mettre en production » dans le README)."
    )
    assert await recorded(store) == "0099_later"
    assert await schema_is_complete(store)


async def test_a_transaction_keeps_its_rows_and_its_sessions_or_neither(store: Database) -> None:
    """``Database.transaction``, as a turn uses it (direct rows on SQLite, Core on PostgreSQL,
    and an ORM session joined to it that never commits by itself): all or nothing."""
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.storage.people import Person

    async def names() -> list[str]:
        async with store.sessions() as session:
            return list(await session.scalars(select(Person.display_name).order_by(Person.id)))

    async def write(name: str, fail: bool) -> None:
        before = len(await names())
        async with store.transaction() as connection:
            await connection.execute(
                Person.__table__.insert().values(display_name=f"{name} (Core)")
            )
            session = AsyncSession(bind=connection, join_transaction_mode="rollback_only")
            session.add(Person(display_name=f"{name} (ORM)"))
            await session.commit()  # only a flush: the transaction's end decides
            assert await session.scalar(select(func.count(Person.id))) == before + 2
            if fail:
                raise RuntimeError("the step failed")

    await write("Inès", fail=False)
    with pytest.raises(RuntimeError):
        await write("Bruno", fail=True)
    assert await names() == ["Inès (Core)", "Inès (ORM)"]
    assert store.inline == store.is_sqlite  # the fixture's SQLite is a file: the direct path


async def test_a_turn_keeps_its_direct_rows_and_its_session_or_neither(store: Database) -> None:
    """``Database.turn``: the engine's rows (straight to SQLite's cursor on a file) and
    an ORM session made on demand in the same transaction: all or nothing."""
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.storage import turn_rows as rows
    from bot.storage.people import Person
    from bot.storage.state import ProcessedEvent

    async def stored() -> tuple[list[str], list[str]]:
        async with store.sessions() as session:
            people = await session.scalars(select(Person.display_name).order_by(Person.id))
            events = await session.scalars(select(ProcessedEvent.event_id))
            return list(people), list(events)

    async def turn(name: str, *, session: bool, fail: bool) -> None:
        async with store.turn() as held:
            assert (held.sqlite is not None) == store.inline
            record = {"event_platform": "console", "event": name, "processed_at": NOW}
            await rows.on(held).write(rows.RECORD, {**record, "event_replies": []})
            if session:
                orm = AsyncSession(bind=held.connection, join_transaction_mode="rollback_only")
                orm.add(Person(display_name=name))
                await orm.commit()  # only a flush: the turn's end decides
            if fail:
                raise RuntimeError("the step failed")

    await turn("Inès", session=True, fail=False)
    await turn("question", session=False, fail=False)
    for session in (True, False):
        with pytest.raises(RuntimeError):
            await turn(f"Bruno {session}", session=session, fail=True)
    assert await stored() == (["Inès"], ["Inès", "question"])
    assert store.inline == store.is_sqlite  # the fixture's SQLite is a file: the direct path


async def test_a_turn_waits_for_the_connection_a_session_holds(db: Database) -> None:
    """SQLite's one connection: a turn taken while a session has it waits, then runs."""
    from sqlalchemy import select

    from bot.storage import turn_rows as rows
    from bot.storage.state import ProcessedEvent

    done: list[str] = []

    async def turn() -> None:
        async with db.turn() as held:
            record = {"event_platform": "console", "event": "e1", "processed_at": NOW}
            await rows.on(held).write(rows.RECORD, {**record, "event_replies": []})
        done.append("turn")

    async with db.sessions() as session, session.begin():
        await session.execute(select(ProcessedEvent))  # holds the pool's one connection
        waiting = asyncio.create_task(turn())
        await asyncio.sleep(0.05)
        assert done == []  # queued behind the session, not interleaved with it
    await asyncio.wait_for(waiting, 5)
    async with db.sessions() as session:
        assert list(await session.scalars(select(ProcessedEvent.event_id))) == ["e1"]


async def test_a_commit_refused_by_sqlite_is_sqlalchemys_error_and_frees_the_connection(
    db: Database,
) -> None:
    """The engine starts a turn over on SQLAlchemy's errors: the direct commit raises them
    too, rolls back, and gives the connection back to the pool."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import IntegrityError

    from bot.storage.people import Membership

    with pytest.raises(IntegrityError):
        async with db.turn() as held:
            assert held.sqlite is not None
            held.sqlite.execute("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT
            held.sqlite.execute(
                "INSERT INTO memberships (organisation_id, person_id, role, created_at) "
                "VALUES (999, 999, 'formateur', '2026-12-01 16:30:00.000000')"
            )
    async with db.sessions() as session:  # the pool's connection is back, nothing kept
        assert await session.scalar(select(func.count(Membership.id))) == 0


async def test_a_turn_whose_connection_the_server_drops_before_its_commit_keeps_nothing(
    pg_db: Database, pg_server_url: str
) -> None:
    """The direct path on PostgreSQL: the commit's failure is SQLAlchemy's error, the dead
    connection leaves the pool, and the next turn runs on a live one."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import DBAPIError

    from bot.storage import turn_rows as rows

    backend = select(func.pg_backend_pid().label("pid"))
    record = {"event_platform": "console", "processed_at": NOW, "event_replies": []}
    admin = Database(pg_server_url)
    try:
        with pytest.raises(DBAPIError):
            async with pg_db.turn() as held:
                assert held.adapted is not None  # the direct path
                await rows.on(held).write(rows.RECORD, {**record, "event": "lost"})
                mine = (await rows.on(held).one(backend, {}))["pid"]
                async with admin.transaction() as connection:
                    await connection.execute(
                        text("SELECT pg_terminate_backend(:pid)"), {"pid": mine}
                    )
    finally:
        await admin.dispose()
    assert await only_the_next_turn_is_kept(pg_db) == ["next"]


async def test_a_cancelled_turn_gives_its_connection_back_and_keeps_nothing(
    store: Database,
) -> None:
    """A stop cancels the turns under way: each connection goes back to the pool, rolled back."""
    from bot.storage import turn_rows as rows

    record = {"event_platform": "console", "processed_at": NOW, "event_replies": []}
    started = asyncio.Event()

    async def turn() -> None:
        async with store.turn() as held:
            await rows.on(held).write(rows.RECORD, {**record, "event": "cancelled"})
            started.set()
            await asyncio.sleep(30)

    running = asyncio.create_task(turn())
    await started.wait()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert await only_the_next_turn_is_kept(store) == ["next"]


async def only_the_next_turn_is_kept(db: Database) -> list[str]:
    """The pool has its connection back, and a turn after the failed one records its event:
    the events stored then."""
    from bot.storage import turn_rows as rows

    assert db.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    async with db.turn() as held:
        record = {"event_platform": "console", "processed_at": NOW, "event_replies": []}
        await rows.on(held).write(rows.RECORD, {**record, "event": "next"})
    async with db.sessions() as session:
        return list((await session.scalars(text("SELECT event_id FROM processed_events"))).all())


async def test_the_pool_s_connections_are_opened_before_the_first_turn(store: Database) -> None:
    """PostgreSQL: every connection of the pool opened at once, distinct and kept; the turns
    that follow open none.  SQLite: nothing opened before its first turn."""
    await store.engine.dispose()  # the migration's connection gone: a pool as at the start
    pool = store.engine.sync_engine.pool  # dispose() made a new one
    opened = await store.open_connections()
    if store.is_sqlite:
        assert opened == 0 and pool.checkedin() == 0  # type: ignore[attr-defined]
        return
    assert opened == store.connections == 15
    assert pool.checkedin() == 15  # type: ignore[attr-defined]
    made = []
    event.listen(pool, "connect", lambda *_: made.append(1))
    async with store.sessions() as session:
        backends = await session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    assert backends == 14  # the others, idle in the pool
    for _ in range(20):
        async with store.turn() as held:
            await held.connection.execute(text("SELECT 1"))
    assert made == [] and pool.checkedin() == 15  # type: ignore[attr-defined]


@pytest.mark.postgres
async def test_opening_the_pool_on_a_server_that_is_not_there_gives_up_without_waiting(
    pg_server_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The start goes on (the transports, the first turns retry): nothing opened, no hang,
    and the log says so for whoever runs the bot."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    database = Database(str(make_url(pg_server_url).set(port=port)), pool_timeout=2)
    try:
        assert await asyncio.wait_for(database.open_connections(), 20) == 0
        assert "15 of the pool's 15 connections could not be opened at start" in caplog.text
    finally:
        await database.dispose()


@pytest.mark.postgres
async def test_opening_the_pool_does_not_hold_the_others_for_a_connection_slow_to_come(
    pg_db: Database,
) -> None:
    """One connection busy elsewhere: the fourteen opened are given back after ``wait``, the
    fifteenth then comes, and nothing waits for the pool's 30 s timeout."""
    await pg_db.engine.dispose()
    pool = pg_db.engine.sync_engine.pool
    async with pg_db.engine.connect() as busy:
        await busy.execute(text("SELECT 1"))
        assert await asyncio.wait_for(pg_db.open_connections(wait=0.2), 10) == 15
        assert pool.checkedin() == 14  # type: ignore[attr-defined]
