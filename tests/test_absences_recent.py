"""A trainee's recent absences, from the database: the days noted, and when they repeated."""

from __future__ import annotations

from datetime import date

from bot.absences.recent import recent_absence_days, repetition_day
from bot.storage.db import Database
from tests.auxil.absences import note_unjustified, trainee_id
from tests.auxil.dialogue import Person


async def test_the_days_noted_and_the_day_they_repeated(db: Database, trainer: Person) -> None:
    await note_unjustified(trainer, "/absence karim lundi 26 octobre matin")
    await note_unjustified(trainer, "/absence karim jeudi après-midi")  # 19 November
    karim = await trainee_id(db, "Karim Benali")
    today = date(2026, 11, 23)
    async with db.sessions() as session:
        noted = await recent_absence_days(session, karim, today)
        assert noted == [date(2026, 10, 26), date(2026, 11, 19)]
        assert await repetition_day(session, karim, today, {}) is None  # 24 days apart
        stricter = {"absences_window_days": 30}
        assert await repetition_day(session, karim, today, stricter) == date(2026, 11, 19)
