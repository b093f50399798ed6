"""The engine's own rows: the direct path (SQLite's cursor, asyncpg's adapter) stores and reads
exactly what Core does, and fails as SQLAlchemy does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.storage import turn_rows as rows
from bot.storage.audit import _INSERT as INSERT_AUDIT
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import _INSERT_FORMATION as INSERT_FORMATION
from bot.storage.formations import _INSERT_TRAINEES as INSERT_TRAINEES
from bot.storage.formations import Formation, Trainee
from bot.storage.people import ChatIdentity, Membership, Organisation, Person, Role
from bot.storage.state import ConversationState, ProcessedEvent
from tests.auxil.statements import counting, generic_plan, unanalyzed_events

CHAT = {"platform": "console", "chat": "nadia", "user": "nadia"}
NOW = datetime(2026, 12, 1, 16, 30, 15, 123456, tzinfo=UTC)


def event(name: str) -> dict[str, Any]:
    return {"event_platform": "console", "event": name}


def state(version: int, **data: Any) -> dict[str, Any]:
    return {
        "new_flow": "formation",
        "new_step": "title",
        "new_data": data,
        "new_version": version,
        "new_expires_at": NOW + timedelta(hours=24),
        "new_updated_at": NOW,
    }


async def nadia(db: Database) -> None:
    """A formatrice of one organisation, writing from the console."""
    async with db.sessions() as session, session.begin():
        organisation = Organisation(name="Atelier Sud", timezone="Europe/Paris")
        person = Person(display_name="Nadia Kaci")
        session.add_all([organisation, person])
        await session.flush()
        session.add(
            ChatIdentity(person_id=person.id, platform="console", user_id="nadia", chat_id="nadia")
        )
        session.add(
            Membership(
                organisation_id=organisation.id, person_id=person.id, role=Role.FORMATEUR.value
            )
        )


async def test_the_direct_path_reads_and_writes_what_core_does(store: Database) -> None:
    db = store
    await nadia(db)
    async with db.turn() as held:
        direct = rows.on(held)
        # A SQLite file or PostgreSQL: the direct path.
        assert isinstance(direct, rows.InlineRows if db.is_sqlite else rows.AdaptedRows)
        core = rows.Rows(held.connection)  # in the same transaction
        await direct.write(rows.CREATE_STATE, {**CHAT, **state(1, title="Cuisine « du monde »")})
        read = await direct.one(rows.LOAD, {**CHAT, **event("e1")})
        assert read == dict(await core.one(rows.LOAD, {**CHAT, **event("e1")}))
        replies = [{"text": "Quel est l'intitulé ?", "choices": [["Oui", "1|yes"]]}]
        await direct.write(
            rows.RECORD, {**event("e1"), "processed_at": NOW, "event_replies": replies}
        )
        again = await direct.one(rows.LOAD, {**CHAT, **event("e1")})
        assert again == dict(await core.one(rows.LOAD, {**CHAT, **event("e1")}))
    assert read["seen"] is None and again["seen"] == replies
    assert read["data"] == {"title": "Cuisine « du monde »"}
    assert read["expires_at"] == NOW + timedelta(hours=24)  # aware UTC, to the microsecond
    assert (read["person_name"], read["role"], read["timezone"]) == (
        "Nadia Kaci",
        "formateur",
        "Europe/Paris",
    )
    async with db.sessions() as session:  # what the ORM reads back
        stored = await session.scalar(select(ConversationState))
        recorded = await session.get(ProcessedEvent, ("console", "e1"))
    assert stored is not None and stored.data == {"title": "Cuisine « du monde »"}
    assert stored.updated_at == NOW and stored.version == 1
    assert recorded is not None and recorded.processed_at == NOW and recorded.replies == replies


async def test_a_stranger_with_no_state_reads_one_row_of_nothing(store: Database) -> None:
    async with store.turn() as held:
        read = await rows.on(held).one(rows.LOAD, {**CHAT, **event("e1")})
    assert set(read.values()) == {None}


async def test_a_person_of_two_organisations_is_read_in_her_first_one(store: Database) -> None:
    """The turn reads the oldest membership alone, whatever the newer ones; without one, the
    person and NULLs (a member no longer: her first membership removed, the second read)."""
    db = store
    await nadia(db)
    async with db.sessions() as session, session.begin():
        second = Organisation(name="Cuisines du Nord", timezone="America/Cayenne")
        session.add(second)
        await session.flush()
        person = await session.scalar(select(Person.id))
        session.add(Membership(organisation_id=second.id, person_id=person, role=Role.ADMIN.value))
    read = []
    for _ in range(2):
        async with db.turn() as held:
            read.append(await rows.on(held).one(rows.LOAD, {**CHAT, **event("e1")}))
        async with db.sessions() as session, session.begin():
            first = await session.scalar(select(Membership).order_by(Membership.id))
            await session.delete(first)
    async with db.turn() as held:
        read.append(await rows.on(held).one(rows.LOAD, {**CHAT, **event("e1")}))
    assert [(r["organisation_name"], r["role"], r["timezone"]) for r in read] == [
        ("Atelier Sud", "formateur", "Europe/Paris"),
        ("Cuisines du Nord", "admin", "America/Cayenne"),
        (None, None, None),
    ]
    assert read[2]["person_name"] == "Nadia Kaci"


async def test_a_turns_read_sorts_nothing_on_sqlite(db: Database) -> None:
    """SQLite's sorter, opened at every turn to keep the first membership, was a third of the
    turn's read: the membership is now found by its id (MA)."""
    await nadia(db)
    plan = await db_plan(db, rows.LOAD, {**CHAT, **event("e1")})
    assert "USE TEMP B-TREE" not in plan, plan
    assert "SCAN memberships" not in plan and "SCAN earlier" not in plan, plan


async def db_plan(db: Database, statement: Any, values: dict[str, Any]) -> str:
    """SQLite's plan of ``statement`` for ``values``, one line a step."""
    from bot.storage.prepared import prepared_for

    prepared = prepared_for(statement, db.engine.dialect)
    async with db.turn() as held:
        assert held.sqlite is not None
        found = held.sqlite.execute(
            f"EXPLAIN QUERY PLAN {prepared.sql}", prepared.values(values)
        ).fetchall()
    return "\n".join(str(row[-1]) for row in found)


async def test_a_version_already_moved_on_changes_nothing(store: Database) -> None:
    db = store
    async with db.turn() as held:
        turn = rows.on(held)
        await turn.write(rows.CREATE_STATE, {**CHAT, **state(1, step="one")})
        state_id = (await turn.one(rows.LOAD, {**CHAT, **event("e1")}))["state_id"]
        stale = {**state(2, step="two"), "state_id": state_id, "seen_version": 0}
        assert await turn.write(rows.SAVE_STATE, stale) == 0
        fresh = {**state(2, step="three"), "state_id": state_id, "seen_version": 1}
        assert await turn.write(rows.SAVE_STATE, fresh) == 1
    async with db.sessions() as session:
        stored = await session.scalar(select(ConversationState))
    assert stored is not None and (stored.version, stored.data) == (2, {"step": "three"})


async def test_the_same_event_twice_fails_as_sqlalchemy_says_and_keeps_the_first(
    store: Database,
) -> None:
    """The engine's retry catches SQLAlchemy's IntegrityError, not the driver's; the
    connection, rolled back, serves the next turn."""
    db = store
    record = {**event("e1"), "processed_at": NOW, "event_replies": [{"text": "premier"}]}
    async with db.turn() as held:
        await rows.on(held).write(rows.RECORD, record)
    with pytest.raises(IntegrityError) as failed:
        async with db.turn() as held:
            await rows.on(held).write(rows.RECORD, {**record, "event_replies": []})
    assert "e1" not in str(failed.value)  # parameters hidden: they may quote a person
    async with db.turn() as held:
        await rows.on(held).write(rows.RECORD, {**record, **event("e2")})
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 2
        kept = await session.get(ProcessedEvent, ("console", "e1"))
    assert kept is not None and kept.replies == [{"text": "premier"}]


async def test_a_missing_parameter_is_an_error_not_a_null(store: Database) -> None:
    async with store.turn() as held:
        with pytest.raises(KeyError):
            await rows.on(held).write(rows.RECORD, event("e1"))


async def test_statement_counters_see_the_direct_statements(store: Database) -> None:
    """The tests' counter and bench.turns listen to SQLAlchemy: they must see these too."""
    with counting(store) as sent:
        async with store.turn() as held:
            await rows.on(held).one(rows.LOAD, {**CHAT, **event("e1")})
    statements = [s for s in sent if s not in ("BEGIN", "COMMIT")]
    assert [s.split()[0] for s in statements] == ["SELECT"]
    assert "FROM processed_events" in statements[0]


async def test_every_row_of_a_read_comes_as_core_reads_it(store: Database) -> None:
    """:meth:`TurnRows.every` (a step's read of many rows, ZP): the same tuples on the direct
    path as through Core, their types converted (an aware moment, to the microsecond)."""
    await nadia(store)
    moments = select(Person.id, Person.display_name, Person.created_at).order_by(Person.id)
    async with store.turn() as held:
        direct = rows.on(held)
        read = await direct.every(moments, {})
        assert read == await rows.Rows(held.connection).every(moments, {})
    assert [name for _, name, _ in read] == ["Nadia Kaci"]
    assert read[0][2].tzinfo is not None


def formation_row(organisation: int | None, person: int | None) -> dict[str, Any]:
    """Every column of a formation, as the saving turn writes it."""
    return {
        "organisation_id": organisation,
        "owner_id": person,
        "title": "Cuisine « du monde »",
        "funder": "normandie",
        "funder_name": None,
        "programme": "qualif",
        "action_type": None,
        "mode": "dates",
        "kind": "formation",
        "start_date": date(2026, 12, 1),
        "end_date": date(2027, 6, 15),
        "extended_end": None,
        "certifying": True,
        "long": False,
        "remote_coaching": False,
        "cm_name": "Mme Sophie Leroy",
        "cm_email": "sophie.leroy@example.org",
        "cm_matrix": None,
        "subcontracted": None,
        "created_at": NOW,
        "deleted_at": None,
    }


async def test_the_rows_of_a_saving_turn_written_straight_are_those_core_writes(
    store: Database,
) -> None:
    """ZP: the formation (its id returned) and the audit entry go to the driver on a SQLite
    file; column for column, what is stored is what SQLAlchemy's ``insert(table)`` stored."""
    await nadia(store)
    formations: Table = Formation.__table__  # type: ignore[assignment]
    audit_log: Table = AuditEntry.__table__  # type: ignore[assignment]
    async with store.sessions() as session:
        organisation = await session.scalar(select(Organisation.id))
        person = await session.scalar(select(Person.id))
    formation = formation_row(organisation, person)
    entry = {
        "organisation_id": organisation,
        "actor_id": person,
        "action": "create",
        "entity": "formation",
        "entity_id": 1,
        "details": {"trainees": 3, "nom": "Zoé « Z »"},
        "at": NOW,
    }
    async with store.turn() as held:
        direct, core = rows.on(held), held.connection
        straight = (await direct.one(INSERT_FORMATION, formation))["id"]
        through = await core.execute(insert(formations).returning(formations.c.id), formation)
        await direct.write(INSERT_AUDIT, entry)
        await core.execute(insert(audit_log), entry)
        written = (await core.execute(select(formations).order_by(formations.c.id))).all()
        logged = (await core.execute(select(audit_log).order_by(audit_log.c.id))).all()
    assert [row.id for row in written] == [straight, through.scalar_one()]
    assert written[0][1:] == written[1][1:] and logged[0][1:] == logged[1][1:]
    assert written[0].created_at == NOW and logged[0].details == entry["details"]


@pytest.mark.parametrize("count", [1, 3, rows.ROWS_AT_ONCE + 2])
async def test_trainees_written_straight_in_one_statement_are_those_core_writes(
    store: Database, count: int
) -> None:
    """AP: a saving turn's trainees go to the driver as one multi-row ``INSERT`` (a hundred
    rows a statement at most); column for column, what is stored and the ids returned are
    what SQLAlchemy's batching of ``insert(table)`` stored and returned."""
    await nadia(store)
    trainees: Table = Trainee.__table__  # type: ignore[assignment]
    async with store.sessions() as session:
        organisation = await session.scalar(select(Organisation.id))
        person = await session.scalar(select(Person.id))

    def listed(formation: int) -> list[dict[str, Any]]:
        return [
            {
                "formation_id": formation,
                "full_name": f"Élise Nguyễn {n}",
                "name_key": f"elise nguyen {n}",
                "company": "Boulangerie « Martin »" if n % 2 else None,
                "email": None,
                "phone": "06 12 34 56 78",
                "is_delegate": n == 1,
                "entered_on": date(2026, 12, 1) + timedelta(days=n),
                "left_on": None,
                "exit_reason": None,
                "path_end": None,
                "session_id": None,
                "created_at": NOW,
            }
            for n in range(count)
        ]

    with counting(store) as sent:
        async with store.turn() as held:
            direct, core = rows.on(held), held.connection
            row = formation_row(organisation, person)
            first = (await direct.one(INSERT_FORMATION, row))["id"]
            second = (await direct.one(INSERT_FORMATION, row))["id"]
            before = len(sent)
            straight = await direct.inserted(INSERT_TRAINEES, listed(first))
            assert len(sent) - before == -(-count // rows.ROWS_AT_ONCE)
            through = (await core.execute(INSERT_TRAINEES, listed(second))).all()
            written = (await core.execute(select(trainees).order_by(trainees.c.id))).all()
    assert sorted(straight) == sorted(
        (row.name_key, row.id) for row in written if row.formation_id == first
    )
    assert sorted(tuple(row) for row in through) == sorted(
        (row.name_key, row.id) for row in written if row.formation_id == second
    )
    mine = [row._asdict() for row in written]
    for row in mine:
        del row["id"], row["formation_id"]
    assert mine[:count] == mine[count:]
    assert mine[0]["entered_on"] == date(2026, 12, 1) and mine[0]["created_at"] == NOW
    assert [row["is_delegate"] for row in mine[:count]] == [n == 1 for n in range(count)]


def test_a_column_left_to_its_default_is_refused_when_prepared() -> None:
    """A default is filled in by SQLAlchemy's execution, which the direct path skips."""
    from sqlalchemy import insert
    from sqlalchemy.dialects.sqlite import aiosqlite

    defaulted = insert(ProcessedEvent.__table__).values(  # type: ignore[arg-type]
        platform="console", event_id="e1", replies=[]
    )
    with pytest.raises(ValueError, match="processed_at"):
        rows.Prepared.of(defaulted, aiosqlite.dialect())


async def test_the_event_is_recorded_only_with_the_state(store: Database) -> None:
    """The turn's last writes (one statement on PostgreSQL): a version that moved on
    records nothing and leaves the state as it was."""
    await nadia(store)

    def recorded(name: str) -> dict[str, Any]:
        return {**event(name), "processed_at": NOW, "event_replies": [{"text": name}]}

    async with store.turn() as held:
        assert await rows.on(held).finish(rows.CREATE_STATE, {**CHAT, **state(1)}, recorded("e1"))
    async with store.turn() as held:
        turn = rows.on(held)
        state_id = (await turn.one(rows.LOAD, {**CHAT, **event("e2")}))["state_id"]
        stale = {**state(2, step="two"), "state_id": state_id, "seen_version": 0}
        assert not await turn.finish(rows.SAVE_STATE, stale, recorded("e2"))
        fresh = {**state(2, step="three"), "state_id": state_id, "seen_version": 1}
        assert await turn.finish(rows.SAVE_STATE, fresh, recorded("e3"))
    async with store.sessions() as session:
        stored = await session.scalar(select(ConversationState))
        events = (await session.scalars(select(ProcessedEvent.event_id))).all()
    assert stored is not None and (stored.version, stored.data) == (2, {"step": "three"})
    assert sorted(events) == ["e1", "e3"]


async def test_a_steps_rows_and_the_last_writes_are_one_transaction(store: Database) -> None:
    """What a step wrote through its session is kept with the state and the event, or
    dropped with them when the version moved on."""
    from sqlalchemy.ext.asyncio import AsyncSession

    async with store.turn() as held:
        await rows.on(held).finish(rows.CREATE_STATE, {**CHAT, **state(1)}, event_row("e1"))

    async def turn(name: str, seen: int) -> None:
        async with store.turn() as held:
            turn = rows.on(held)
            state_id = (await turn.one(rows.LOAD, {**CHAT, **event(name)}))["state_id"]
            orm = AsyncSession(bind=held.connection, join_transaction_mode="rollback_only")
            orm.add(Person(display_name=name))
            await orm.flush()
            saved = {**state(seen + 1), "state_id": state_id, "seen_version": seen}
            if not await turn.finish(rows.SAVE_STATE, saved, event_row(name)):
                raise RuntimeError("stale")

    with pytest.raises(RuntimeError):
        await turn("Inès", seen=0)
    await turn("Bruno", seen=1)
    async with store.sessions() as session:
        people = (await session.scalars(select(Person.display_name))).all()
        events = (await session.scalars(select(ProcessedEvent.event_id))).all()
    assert people == ["Bruno"] and sorted(events) == ["Bruno", "e1"]


def event_row(name: str) -> dict[str, Any]:
    return {**event(name), "processed_at": NOW, "event_replies": []}


@pytest.mark.postgres
async def test_a_question_turn_holds_no_transaction_open_on_postgresql(
    pg_db: Database, pg_server_url: str
) -> None:
    """The read runs alone: the server sees the turn's connection idle, not "idle in
    transaction", until something writes; a write opens the transaction."""
    from sqlalchemy import text

    admin = Database(pg_server_url)

    async def seen(pid: int) -> str:
        async with admin.transaction() as connection:
            query = text("SELECT state FROM pg_stat_activity WHERE pid = :pid")
            return str(await connection.scalar(query, {"pid": pid}))

    try:
        async with pg_db.turn() as held:
            turn = rows.on(held)
            await turn.one(rows.LOAD, {**CHAT, **event("e1")})
            pid = (await turn.one(select(func.pg_backend_pid().label("pid")), {}))["pid"]
            assert await seen(pid) == "idle"
            await turn.write(rows.RECORD, event_row("e1"))
            assert await seen(pid) == "idle in transaction"
    finally:
        await admin.dispose()
    async with pg_db.sessions() as session:
        assert (await session.scalars(select(ProcessedEvent.event_id))).all() == ["e1"]


@pytest.mark.postgres
async def test_a_new_database_finds_the_event_by_its_key(pg_db: Database) -> None:
    """Issue 14: the turn's look-up, planned once for any value on a table not analyzed yet,
    reads the event through its primary key.  It took the sweep's index (``platform`` then
    the time) and read every record of the platform at each turn, for the connection's life."""
    await unanalyzed_events(pg_db, 300)
    plan = await generic_plan(pg_db, rows.LOAD, {**CHAT, **event("e7")})
    assert "pk_processed_events" in plan, plan
    assert "ix_processed_events" not in plan, plan
