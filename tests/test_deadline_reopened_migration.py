"""Migration 0046: a done final bilan stored before it keeps its done mark, learns its end
at the first refresh, and reopens when a path is then extended past the day it was done
(reviewer MD3/KB8)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select, update

from bot.deadlines.service import refresh_deadlines
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.migrations import empty, old_formation, old_trainee, upgrade

__all__ = ["empty"]

AT = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


async def test_a_final_bilan_done_before_0046_reopens_once_a_path_ends_later(
    empty: Database,
) -> None:
    await upgrade(empty, "0045_states_expiry_index")
    async with empty.sessions() as session, session.begin():
        old = await old_formation(session, at=AT)
        await session.execute(
            update(Formation)
            .where(Formation.id == old.formation)
            .values(funder="cvl", programme="parcours_metiers", end_date=date(2027, 3, 26))
        )
        karim = await old_trainee(session, old.formation, "Karim Benali", at=AT)
        await session.execute(
            insert(StoredDeadline).values(
                organisation_id=old.organisation,
                formation_id=old.formation,
                key=f"CVL-BQ-END:formation:{old.formation}",
                rule_id="CVL-BQ-END",
                subject="formation",
                subject_id=old.formation,
                due_on=date(2027, 4, 26),
                title="Envoyer le bilan qualitatif de fin",
                explanation="…",
                source="…",
                audience="organisation",
                postponable=False,
                status="done",
                done_at=AT,
                done_by=old.owner,
                created_at=AT,
            )
        )
    await upgrade(empty, "head")
    statuses = []
    for path_end in (None, date(2027, 4, 30)):
        async with empty.sessions() as session, session.begin():
            if path_end is not None:
                await session.execute(
                    update(Trainee).where(Trainee.id == karim).values(path_end=path_end)
                )
            refreshed = await refresh_deadlines(session, old.formation)
            row = await session.scalar(
                select(StoredDeadline).where(StoredDeadline.rule_id == "CVL-BQ-END")
            )
            assert row is not None
            statuses.append((row.status, row.anchor_on, len(refreshed.reopened)))
    assert statuses == [("done", date(2027, 3, 26), 0), ("open", date(2027, 4, 30), 1)]
