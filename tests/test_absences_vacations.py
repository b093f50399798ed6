"""Vacations as a service: who was absent all along, the count with the rounding, its audit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import demo
from bot.absences.log import Details, delete_absence, record_absence
from bot.absences.vacations import absent_all_along, count_vacations, working_days
from bot.storage.absences import Absence
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Organisation, Person

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def demo_formation(session: AsyncSession) -> tuple[Formation, Person]:
    await demo.fill(session, today=TODAY)
    formation = await session.scalar(select(Formation).where(Formation.title.startswith("Agent")))
    camille = await session.scalar(select(Person))
    assert formation is not None and camille is not None
    await session.refresh(formation, ["trainees"])
    return formation, camille


def test_working_days_are_monday_to_friday() -> None:
    assert working_days(date(2026, 11, 20), date(2026, 11, 24)) == [
        date(2026, 11, 20),
        date(2026, 11, 23),
        date(2026, 11, 24),
    ]
    assert working_days(date(2026, 11, 21), date(2026, 11, 22)) == []


async def test_absent_all_along_needs_every_half_day_of_every_working_day(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        formation, camille = await demo_formation(session)
        formation.start_date = date(2026, 11, 19)  # Thursday: 19, 20 and 23 so far
        lea, karim, hugo = (
            next(t for t in formation.trainees if t.full_name == name)
            for name in ("Léa Martin", "Karim Benali", "Hugo Moreau")
        )

        async def log(trainee_id: int, day: date, period: str) -> Absence:
            trainee = next(t for t in formation.trainees if t.id == trainee_id)
            details = Details(day, period, 20 if period == "retard" else None, True, "x")
            recorded = await record_absence(
                session, formation, trainee, details, by=camille.id, now=NOW
            )
            return recorded.absence

        leas = [await log(lea.id, day, "journee") for day in (date(2026, 11, 19), TODAY)]
        await log(lea.id, date(2026, 11, 20), "journee")
        for day in (date(2026, 11, 19), date(2026, 11, 20), TODAY):
            await log(hugo.id, day, "retard")
        await log(karim.id, date(2026, 11, 19), "journee")
        await log(karim.id, date(2026, 11, 20), "matin")
        await log(karim.id, date(2026, 11, 20), "apres_midi")
        await log(karim.id, TODAY, "matin")
        assert await absent_all_along(session, formation, TODAY) == {lea.id}
        # Tomorrow, a working day with no absence yet: nobody was absent all along.
        assert await absent_all_along(session, formation, date(2026, 11, 24)) == set()
        await log(karim.id, TODAY, "apres_midi")
        assert await absent_all_along(session, formation, TODAY) == {lea.id, karim.id}
        # A deleted absence no longer counts.
        await delete_absence(session, leas[0], by=camille.id, now=NOW)
        await session.flush()
        assert await absent_all_along(session, formation, TODAY) == {karim.id}
        # Before the formation has had a working day: nobody.
        assert await absent_all_along(session, formation, date(2026, 11, 1)) == set()


async def test_the_count_uses_the_participants_of_the_formation_and_the_rounding(
    db: Database,
) -> None:
    async with db.sessions() as session, session.begin():
        formation, camille = await demo_formation(session)
        ids = [t.id for t in formation.trainees]
        counted = await count_vacations(
            session, formation, 570, [str(i) for i in ids] + ["999999"], by=camille.id
        )
        assert counted.participants == 4 and counted.rounding == "down"
        assert (counted.result.vacations, counted.result.cap) == (4, None)
        entry = (await session.scalars(select(AuditEntry))).one()
        assert (entry.action, entry.entity, entry.entity_id, entry.actor_id) == (
            "vacations",
            "formation",
            formation.id,
            camille.id,
        )
        assert entry.details == {
            "minutes": 570,
            "participants": 4,
            "vacations": 4,
            "cap": None,
            "rounding": "down",
        }

        organisation = await session.get(Organisation, formation.organisation_id)
        assert organisation is not None
        organisation.settings = {"rec_vacation_rounding": "up"}
        up = await count_vacations(session, formation, 570, ids[:2], by=camille.id)
        assert (up.rounding, up.participants, up.result.vacations, up.result.cap) == (
            "up",
            2,
            2,
            "trainee",
        )
        organisation.settings = {"rec_vacation_rounding": "sideways"}
        fallback = await count_vacations(session, formation, 570, ids, by=camille.id)
        assert fallback.rounding == "down"
