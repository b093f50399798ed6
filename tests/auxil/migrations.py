"""An empty database brought to an old revision, and the rows every old schema can hold.

What the migration tests share: they upgrade to the revision before theirs,
store what databases held then, upgrade to head and read the result.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation, Person
from tests.auxil.postgres import fresh_database


@pytest.fixture(params=["sqlite", "postgres"])
async def empty(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no schema yet, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
        yield database
        await database.dispose()
        return
    async with fresh_database(request.getfixturevalue("pg_server_url"), prefix="m") as database:
        yield database


async def upgrade(db: Database, revision: str) -> None:
    """As formabot upgrades a base (:meth:`Database.migrate`: on SQLite, its own connection,
    foreign keys checked at the end rather than enforced on each table copied)."""
    await db.migrate(revision)


@dataclass(frozen=True)
class OldFormation:
    organisation: int
    owner: int
    formation: int


async def old_formation(
    session: AsyncSession, *, at: datetime, organisation: int | None = None
) -> OldFormation:
    """A trainer's formation (and its organisation, unless given) with only the columns the
    schema had from 0005 on: later ones (``cm_matrix``, a person's ``address_form``,
    ``organisations.founding``…) are not there yet."""
    if organisation is None:
        organisation = await session.scalar(
            insert(Organisation)
            .values(name="OF", timezone="Europe/Paris", settings={}, created_at=at)
            .returning(Organisation.id)
        )
    owner = await session.scalar(
        insert(Person).values(display_name="Camille", created_at=at).returning(Person.id)
    )
    formation = await session.scalar(
        insert(Formation)
        .values(
            organisation_id=organisation,
            owner_id=owner,
            title="F",
            funder="autre",
            mode="dates",
            kind="formation",
            start_date=date(2026, 9, 1),
            end_date=date(2027, 3, 1),
            certifying=False,
            long=False,
            remote_coaching=False,
            created_at=at,
        )
        .returning(Formation.id)
    )
    assert organisation is not None and owner is not None and formation is not None
    return OldFormation(organisation, owner, formation)


async def old_trainee(
    session: AsyncSession, formation: int, name: str, *, at: datetime, delegate: bool = False
) -> int:
    """A trainee with only the columns of the first schemas (no ``exit_reason`` yet)."""
    trainee = await session.scalar(
        insert(Trainee)
        .values(
            formation_id=formation,
            full_name=name,
            name_key=name.lower(),
            is_delegate=delegate,
            created_at=at,
        )
        .returning(Trainee.id)
    )
    assert trainee is not None
    return trainee
