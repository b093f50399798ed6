"""Storage on SQLite and on a real PostgreSQL: migrations, UTC, constraints, and a
whole dialogue through the engine on each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import TypeDecorator

from bot.app import build_engine
from bot.config import Settings
from bot.storage.base import UTCDateTime
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.models import Base
from bot.storage.people import Organisation
from bot.storage.people import Person as P
from tests.auxil.dialogue import Clock, Person


async def test_migrations_are_idempotent_and_match_the_models(store: Database) -> None:
    await store.migrate()  # a second time: nothing to do, no error

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    async with store.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_every_foreign_key_leads_an_index(store: Database) -> None:
    """A turn or a job filtering on a foreign key never scans the table (issue 14)."""

    def unindexed(connection: Connection) -> list[str]:
        inspector = inspect(connection)
        found: list[str] = []
        for table in inspector.get_table_names():
            leading = {tuple(index["column_names"])[:1] for index in inspector.get_indexes(table)}
            leading |= {
                tuple(unique["column_names"])[:1]
                for unique in inspector.get_unique_constraints(table)
            }
            leading.add(tuple(inspector.get_pk_constraint(table)["constrained_columns"])[:1])
            for key in inspector.get_foreign_keys(table):
                if tuple(key["constrained_columns"])[:1] not in leading:
                    found.append(f"{table}.{key['constrained_columns'][0]}")
        return found

    async with store.engine.connect() as connection:
        missing = await connection.run_sync(unindexed)
    assert missing == [], f"give these foreign keys index=True (and their migration): {missing}"


async def test_timestamps_come_back_aware_in_utc(store: Database) -> None:
    paris = timezone(timedelta(hours=1))
    async with store.sessions() as session, session.begin():
        org = Organisation(name="Test", created_at=datetime(2026, 11, 23, 10, 0, tzinfo=paris))
        session.add(org)
    async with store.sessions() as session:
        loaded = await session.scalar(select(Organisation))
        assert loaded is not None
        assert loaded.created_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        assert loaded.created_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(store: Database) -> None:
    with pytest.raises(Exception, match="naive"):
        async with store.sessions() as session, session.begin():
            session.add(Organisation(name="Test", created_at=datetime(2026, 1, 1)))


def test_sqlite_stores_a_stamp_as_sqlalchemy_s_own_conversion_would() -> None:
    """DA3: on SQLite a stamp goes to the driver in one step; the text stored is the one
    SQLAlchemy's conversion and its ``DATETIME`` made, whatever the zone, and a naive one is
    still refused."""
    dialect = sqlite.dialect()
    stamp = UTCDateTime().dialect_impl(dialect)
    one_step = stamp.bind_processor(dialect)
    generic = TypeDecorator.bind_processor(stamp, dialect)
    assert one_step is not None and generic is not None
    paris, reunion = ZoneInfo("Europe/Paris"), timezone(timedelta(hours=4))
    for moment in (
        datetime(2026, 12, 7, 15, 42, 15, 300821, tzinfo=UTC),
        datetime(2026, 3, 29, 2, 30, tzinfo=paris),  # the hour that does not exist
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=paris),  # the hour seen twice
        datetime(2027, 1, 1, 0, 0, tzinfo=reunion),  # the day before in UTC
        datetime(1, 1, 1, 4, 0, 0, 5, tzinfo=reunion),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 12, 7, tzinfo=ZoneInfo("UTC")),
    ):
        assert one_step(moment) == generic(moment), moment
    assert one_step(datetime(2026, 12, 7, 16, 0, tzinfo=paris)) == "2026-12-07 15:00:00.000000"
    assert one_step(None) is None
    with pytest.raises(ValueError, match="naive"):
        one_step(datetime(2026, 1, 1))


async def test_the_same_trainee_twice_in_a_formation_is_refused(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        org = Organisation(name="OF")
        owner = P(display_name="Owner")
        session.add_all([org, owner])
        await session.flush()
        formation = Formation(
            organisation_id=org.id,
            owner_id=owner.id,
            title="F",
            funder="autre",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 2, 1),
        )
        formation.trainees.append(Trainee(full_name="Marie Dupont", name_key="marie dupont"))
        session.add(formation)
    with pytest.raises(IntegrityError):
        async with store.sessions() as session, session.begin():
            session.add(
                Trainee(
                    formation_id=formation.id, full_name="MARIE DUPONT", name_key="marie dupont"
                )
            )


async def test_a_whole_onboarding_dialogue_on_each_database(
    store: Database, settings: Settings, clock: Clock
) -> None:
    engine = build_engine(store, settings, clock=clock)
    claire = Person(engine, "claire")
    await claire.says("/start")
    await claire.says("Forma Plus")
    await claire.presses("Métropole")
    await claire.says("Claire Martin")
    await claire.presses("Au féminin")
    await claire.says("/formation")
    await claire.says("Cuisine")
    await claire.presses("Une formation")
    await claire.presses("Autre")
    await claire.says("pôle emploi Caen")  # who pays: its current name kept (AD27)
    await claire.presses("De date à date")
    await claire.says("du 1er au 19 décembre 2026")
    await claire.presses("Oui")
    await claire.presses("Non")
    await claire.presses("Courte")
    await claire.says("Ana Lopes\nBen Kaci\nChloé Roy")
    await claire.presses("Ben Kaci")
    await claire.presses("Terminé")
    await claire.presses("Enregistrer")
    async with store.sessions() as session:
        formation = await session.scalar(select(Formation))
        assert formation is not None
        await session.refresh(formation, ["trainees"])
        assert formation.funder_name == "France Travail Caen"
        assert [(t.full_name, t.is_delegate) for t in formation.trainees] == [
            ("Ben Kaci", True),  # by surname: Kaci, Lopes, Roy
            ("Ana Lopes", False),
            ("Chloé Roy", False),
        ]
