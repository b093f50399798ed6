"""Migration 0010: invariants added to a database that races had already doubled.

Upgrade to 0009, store what two processes could store before (two
organisations, the same morning twice, a journée over a morning, two late
arrivals, two open follow-ups of one trainee), upgrade to head, then check
the oldest of each is kept and the indexes hold from then on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from bot.storage.absences import Absence, FollowUp
from bot.storage.db import Database
from bot.storage.people import Organisation
from tests.auxil.migrations import empty, old_formation, old_trainee, upgrade

__all__ = ["empty"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 20)

ABSENCE = text(
    "INSERT INTO absences (organisation_id, formation_id, trainee_id, day, period,"
    " late_minutes, justified, recorded_at) VALUES (:org, :formation, :trainee, :day,"
    " :period, :late, FALSE, :at)"
)


async def test_doubled_rows_keep_the_oldest_and_the_indexes_then_hold(empty: Database) -> None:
    await upgrade(empty, "0009_cm_matrix")
    async with empty.sessions() as session, session.begin():
        orgs = []
        for name in ("Forma Plus", "Forma Plus bis"):
            orgs.append(
                await session.scalar(
                    insert(Organisation)
                    .values(name=name, timezone="Europe/Paris", settings={}, created_at=NOW)
                    .returning(Organisation.id)
                )
            )
        old = await old_formation(session, at=NOW, organisation=orgs[0])
        formation_id = old.formation
        trainee_id = await old_trainee(
            session, formation_id, "Léa Martin", at=datetime(2026, 9, 1, tzinfo=UTC)
        )
        where = {
            "org": orgs[0],
            "formation": formation_id,
            "trainee": trainee_id,
            "at": NOW.replace(tzinfo=None),  # as the UTC columns store it
        }
        for period, late in (
            ("matin", None),
            ("matin", None),
            ("journee", None),
            ("apres_midi", None),
            ("retard", 10),
            ("retard", 10),
        ):
            await session.execute(ABSENCE, where | {"day": DAY, "period": period, "late": late})
        for _ in range(2):  # the columns of that time only (``sign_on`` came later)
            await session.execute(
                insert(FollowUp).values(
                    organisation_id=orgs[0],
                    formation_id=formation_id,
                    trainee_id=trainee_id,
                    path="long",
                    procedure_applies=True,
                    opened_at=NOW,
                )
            )
    await upgrade(empty, "head")

    async with empty.sessions() as session:
        founding = (await session.execute(select(Organisation.id, Organisation.founding))).all()
        assert sorted(founding) == [(orgs[0], True), (orgs[1], None)]
        rows = (await session.scalars(select(Absence).order_by(Absence.id))).all()
        live = [(a.period, a.late_rank) for a in rows if a.deleted_at is None]
        assert live == [("matin", None), ("apres_midi", None), ("retard", 1), ("retard", 2)]
        assert [a.period for a in rows if a.deleted_at is not None] == ["matin", "journee"]
        followups = (await session.scalars(select(FollowUp).order_by(FollowUp.id))).all()
        assert [f.closed_at is None for f in followups] == [True, False]

    for statement, values in (
        (ABSENCE, where | {"day": DAY, "period": "journee", "late": None}),
        (ABSENCE, where | {"day": DAY, "period": "matin", "late": None}),
        (text("UPDATE organisations SET founding = TRUE"), {}),
        (text("UPDATE followups SET closed_at = NULL"), {}),
    ):
        with pytest.raises(IntegrityError):
            async with empty.sessions() as session, session.begin():
                await session.execute(statement, values)
