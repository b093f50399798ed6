"""A trainee's recent absences, from the database: the days noted, and when they repeated."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.absences.recent import recent_absence_days, repetition_day
from bot.storage.absences import FollowUp
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.absences import formation_id, note_unjustified, trainee_id
from tests.auxil.dialogue import Person

PARIS = ZoneInfo("Europe/Paris")


async def test_the_days_noted_and_the_day_they_repeated(db: Database, trainer: Person) -> None:
    await note_unjustified(trainer, "/absence karim lundi 26 octobre matin")
    await note_unjustified(trainer, "/absence karim jeudi après-midi")  # 19 November
    karim = await trainee_id(db, "Karim Benali")
    today = date(2026, 11, 23)
    async with db.sessions() as session:
        noted = await recent_absence_days(session, karim, today)
        assert noted == [date(2026, 10, 26), date(2026, 11, 19)]
        assert await repetition_day(session, karim, today, {}, tz=PARIS) is None  # 24 days apart
        stricter = {"absences_window_days": 30}
        assert await repetition_day(session, karim, today, stricter, tz=PARIS) == date(2026, 11, 19)


async def test_absences_a_closed_follow_up_covered_do_not_count_again(
    db: Database, trainer: Person
) -> None:
    """Explorer GF1: the follow-up closed on the 17th covered the absences of the 2nd and
    4th; the days they repeat again start after it (its closing day counts: a trainee
    absent that afternoon was not in its ticket)."""
    for line in (
        "/absence karim lundi 2 novembre journée",
        "/absence karim mercredi 4 novembre journée",
        "/absence karim mardi 17 novembre journée",
        "/absence karim ce matin",  # Monday 23 November
    ):
        await note_unjustified(trainer, line)
    karim = await trainee_id(db, "Karim Benali")
    today = date(2026, 11, 23)
    restauration = await formation_id(db, "Agent de restauration")
    async with db.sessions() as session, session.begin():
        assert await repetition_day(session, karim, today, {}, tz=PARIS) == date(2026, 11, 4)
        formation = await session.get(Formation, restauration)
        assert formation is not None
        first = FollowUp(
            organisation_id=formation.organisation_id,
            formation_id=formation.id,
            trainee_id=karim,
            path="long",
            sign_on=date(2026, 11, 4),
            opened_at=datetime(2026, 11, 4, 15, tzinfo=UTC),
            closed_at=datetime(2026, 11, 16, 23, 30, tzinfo=UTC),  # the 17th in Paris
        )
        session.add(first)
        await session.flush()
        assert await repetition_day(session, karim, today, {}, tz=PARIS) == today
        first.closed_at = datetime(2026, 11, 18, 9, tzinfo=UTC)
        await session.flush()
        assert await repetition_day(session, karim, today, {}, tz=PARIS) is None
