"""A new version of the rules reaches the stored deadlines in the background (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.app import build_scheduler
from bot.config import Settings
from bot.deadlines.catch_up import RULES_VERSION, bring_up_to_date
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Organisation
from tests.auxil.dialogue import Clock
from tests.auxil.statements import counting

EARLY = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # 6:00 in Paris: no digest yet


async def entries(db: Database) -> int:
    """The demo's stored EOS entries still to do."""
    async with db.sessions() as session:
        rows = await session.scalars(
            select(StoredDeadline).where(StoredDeadline.title.like("Saisir l'entrée%"))
        )
        return len(rows.all())


async def funded_elsewhere(db: Database, version: str | None) -> None:
    """Every formation's funder changed past the services, the rules version set as given."""
    async with db.sessions() as session, session.begin():
        for formation in (await session.scalars(select(Formation))).all():
            formation.funder = "autre"
        for organisation in (await session.scalars(select(Organisation))).all():
            organisation.rules_version = version


async def test_deadlines_computed_by_other_rules_are_recomputed_once(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    assert await entries(db) == 3
    await funded_elsewhere(db, "0" * 16)  # as after an upgrade of the rules
    clock.now = EARLY
    scheduler = build_scheduler(db, settings, clock=clock)
    await scheduler.tick()
    assert await entries(db) == 0  # recomputed with these rules: no EOS for "autre"
    async with db.sessions() as session:
        versions = (await session.scalars(select(Organisation.rules_version))).all()
    assert versions == [RULES_VERSION]
    await scheduler.tick()  # none found outdated any more
    with counting(db) as sent:
        await scheduler.tick()
    assert not [s for s in sent if "WHERE organisations.rules_version" in s]  # not asked again


async def test_deadlines_of_these_rules_are_left_as_stored(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    await funded_elsewhere(db, RULES_VERSION)
    clock.now = EARLY
    await build_scheduler(db, settings, clock=clock).tick()
    assert await entries(db) == 3  # nothing recomputed wholesale


async def test_two_processes_recompute_an_organisation_once(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    await funded_elsewhere(db, None)  # the first start after the upgrade adding the column
    async with db.sessions() as session, session.begin():
        await bring_up_to_date(session, 1, EARLY, settings)
    await funded_elsewhere(db, RULES_VERSION)  # written past the services afterwards
    async with db.sessions() as session, session.begin():
        await bring_up_to_date(session, 1, EARLY, settings)  # the second process: too late
    assert await entries(db) == 0  # the first one's recomputation, left alone by the second
