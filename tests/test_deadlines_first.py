"""The deadlines of a formation just created, computed from the formation in hand
(:mod:`bot.deadlines.first`): the same rows as a recomputation, the organisation's settings,
the digest told to look again when one falls this week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.service import refresh_deadlines
from bot.formations import service
from bot.formations.service import NewFormation
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.people import Organisation
from tests.auxil.formations import Cast, cast, cvl_metiers, restauration


async def test_the_deadlines_stored_at_creation_are_those_a_recomputation_finds(
    store: Database,
) -> None:
    """Computed from the formation in hand, not read back: the same rows as the general path
    (every key with the right trainee and session ids, nothing to add, move or remove)."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await service.create_formation(session, people.formateur, cvl_metiers())
        stored = (
            await session.scalars(
                select(StoredDeadline).where(StoredDeadline.formation_id == formation.id)
            )
        ).all()
        keys = {row.key for row in stored}
        for trainee in formation.trainees:
            assert f"CVL-EOS-ENTRY:trainee:{trainee.id}" in keys
        assert all(
            (row.status, row.organisation_id) == ("open", people.formateur.organisation_id)
            for row in stored
        )
        again = await refresh_deadlines(session, formation.id)
        assert (again.added, again.moved, again.removed) == ([], [], [])
        assert len(keys) == len(stored) > len(formation.trainees)


async def home_of(session: AsyncSession, people: Cast, **values: object) -> Organisation:
    """The formateur's organisation, with these columns changed."""
    home = await session.get(Organisation, people.formateur.organisation_id)
    assert home is not None
    for name, value in values.items():
        setattr(home, name, value)
    await session.flush()
    return home


def rectorat_from(start: date) -> NewFormation:
    """Remote coaching for the Rectorat: its contract is due the day before the start."""
    return restauration(
        funder="rectorat", remote_coaching=True, start=start, end=start + timedelta(days=90)
    )


async def test_a_formation_with_nothing_due_soon_leaves_the_digest_alone(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        later = datetime(2027, 1, 1, 7, 0, tzinfo=UTC)
        home = await home_of(session, people, digest_next_at=later)
        far = rectorat_from(date.today() + timedelta(days=200))
        quiet = await service.create_formation(session, people.formateur, far)
        await session.refresh(home)
        assert home.digest_next_at == later
        assert await session.scalar(
            select(func.count(StoredDeadline.id)).where(StoredDeadline.formation_id == quiet.id)
        )
        soon = rectorat_from(date.today() + timedelta(days=3))
        await service.create_formation(session, people.formateur, soon)
        await session.refresh(home)
        assert home.digest_next_at is None


async def test_the_organisation_s_settings_apply_at_creation_and_a_bad_one_does_not_block(
    store: Database,
) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        await home_of(
            session,
            people,
            settings={"cvl_table_parcours_metiers": True, "cvl_bq_end_months": "x"},
        )
        formation = await service.create_formation(
            session, people.formateur, cvl_metiers(sessions=(), end=date(2027, 6, 15))
        )
        due = {
            row.rule_id: row.due_on
            for row in await session.scalars(
                select(StoredDeadline).where(StoredDeadline.formation_id == formation.id)
            )
        }
        assert "CVL-TABLE" in due  # switched on by the organisation
        assert due["CVL-BQ-END"] == date(2027, 7, 15)  # "x" refused: one month after the end
