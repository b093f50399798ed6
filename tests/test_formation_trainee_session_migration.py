"""Migration 0042: a trainee may follow one session of a formation; those saved before follow none.

Upgrade to 0041, store a formation and a trainee as the schema then had them, upgrade to
head: the trainee has no session (the whole formation, as before, explorer IC5); one put in
a session is left in none when that session is deleted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select, text

from bot.storage.absences import Absence
from bot.storage.db import Database
from bot.storage.formations import FormationSession, Trainee
from tests.auxil.migrations import empty, old_formation, old_trainee, upgrade

__all__ = ["empty"]

NOW = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)
ABSENCE = text(
    "INSERT INTO absences (organisation_id, formation_id, trainee_id, day, period,"
    " justified, recorded_at) VALUES (:org, :formation, :trainee, :day, 'matin', FALSE,"
    " '2026-12-04 09:00:00')"
)


async def test_old_trainees_follow_no_session_and_a_deleted_session_lets_go(
    empty: Database,
) -> None:
    await upgrade(empty, "0041_words_before")
    async with empty.sessions() as session, session.begin():
        old = await old_formation(session, at=NOW)
        before = await old_trainee(session, old.formation, "Karim Benali", at=NOW)
        await session.execute(
            ABSENCE,
            {
                "org": old.organisation,
                "formation": old.formation,
                "trainee": before,
                "day": date(2026, 12, 4),
            },
        )
    await upgrade(empty, "head")
    async with empty.sessions() as session, session.begin():
        karim = await session.get(Trainee, before)
        assert karim is not None and karim.session_id is None
        # His absence is still there: copying the table on SQLite had deleted it (cascade).
        assert await session.scalar(select(func.count()).select_from(Absence)) == 1
        first = FormationSession(
            formation_id=old.formation,
            label="Session 1",
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 31),
        )
        session.add(first)
        await session.flush()
        karim.session_id = first.id
    async with empty.sessions() as session, session.begin():
        await session.execute(delete(FormationSession))
    async with empty.sessions() as session:
        assert await session.scalar(select(Trainee.session_id)) is None
