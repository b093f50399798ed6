"""Each trainee's path without a dialogue: entry, exit and reason, extension (issue 11, item 12)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.formations import paths
from bot.storage.audit import AuditEntry
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from tests.auxil.formations import a_formation, cast


async def due(session: AsyncSession, formation_id: int) -> dict[str, date]:
    rows = await session.scalars(
        select(StoredDeadline).where(StoredDeadline.formation_id == formation_id)
    )
    return {r.key: r.due_on for r in rows}


async def test_exit_extension_and_entry_date_the_deadlines(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(
            session, people.formateur, funder="cvl", programme="visa", mode="esp"
        )
        karim, marie = formation.trainees
        f = formation.id
        before = await due(session, f)
        assert before[f"CVL-EOS-EXIT:trainee:{karim.id}"] == date(2027, 6, 15)
        assert before[f"CVL-BQ-END:formation:{f}"] == date(2027, 7, 15)

        left = await paths.record_exit(
            session, people.formateur, f, karim.id, date(2027, 2, 12), "emploi"
        )
        assert left is not None
        assert (karim.left_on, karim.exit_reason) == (date(2027, 2, 12), "emploi")
        extended = await paths.extend_path(
            session, people.formateur, f, marie.id, date(2027, 7, 30)
        )
        assert extended is not None and marie.path_end == date(2027, 7, 30)
        moved = await paths.set_entry(session, people.formateur, f, marie.id, date(2027, 1, 4))
        assert moved is not None and marie.entered_on == date(2027, 1, 4)

        after = await due(session, f)
        assert after[f"CVL-EOS-EXIT:trainee:{karim.id}"] == date(2027, 2, 12)
        assert after[f"CVL-EOS-ENTRY:trainee:{marie.id}"] == date(2027, 1, 4)
        assert after[f"CVL-EOS-EXIT:trainee:{marie.id}"] == date(2027, 7, 30)
        # The final bilan once every path has ended: after Marie's extension.
        assert after[f"CVL-BQ-END:formation:{f}"] == date(2027, 8, 30)
        assert paths.last_path_end(formation) == date(2027, 7, 30)
        actions = (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == f).order_by(AuditEntry.id)
            )
        ).all()
        assert actions[-3:] == ["trainee_exit", "trainee_extension", "trainee_entry"]


async def test_days_outside_a_path_are_refused(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        karim = formation.trainees[0]
        assert paths.exit_problem(formation, karim, date(2026, 11, 30)) == "before_entry"
        assert paths.exit_problem(formation, karim, date(2027, 6, 16)) == "after_end"
        assert paths.entry_problem(formation, karim, date(2026, 11, 30)) == "before_start"
        assert paths.extension_problem(formation, karim, date(2027, 6, 15)) == "not_later"
        with pytest.raises(ValueError):
            await paths.record_exit(
                session, people.formateur, formation.id, karim.id, date(2027, 7, 1), "emploi"
            )
        with pytest.raises(ValueError):
            await paths.record_exit(
                session, people.formateur, formation.id, karim.id, date(2027, 3, 1), "licencié"
            )
        await paths.record_exit(
            session, people.formateur, formation.id, karim.id, date(2027, 3, 1), "abandon"
        )
        assert paths.extension_problem(formation, karim, date(2027, 9, 1)) == "already_left"
        assert paths.entry_problem(formation, karim, date(2027, 3, 2)) == "after_exit"
        for stranger in (people.colleague, people.outsider):
            assert (
                await paths.set_entry(session, stranger, formation.id, karim.id, date(2027, 1, 4))
                is None
            )
        assert (
            await paths.set_entry(session, people.formateur, formation.id, 999, date(2027, 1, 4))
            is None
        )


async def test_a_trainee_s_name_and_company_are_corrected_never_onto_another(
    store: Database,
) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        karim, marie = formation.trainees
        with pytest.raises(ValueError):
            await paths.correct_trainee(
                session, people.formateur, formation.id, karim.id, name="MARIE dupont"
            )
        assert paths.name_taken(formation, karim.id, "Marie Dupont")
        assert not paths.name_taken(formation, marie.id, "Marie Dupont")
        done = await paths.correct_trainee(
            session, people.formateur, formation.id, marie.id, clear_company=True
        )
        assert done is not None and marie.company is None
        await paths.correct_trainee(
            session, people.formateur, formation.id, karim.id, name="Karim Benali-Haddad"
        )
        assert (karim.full_name, karim.name_key) == ("Karim Benali-Haddad", "karim benali haddad")
        details = (
            await session.scalars(
                select(AuditEntry.details).where(AuditEntry.action == "trainee_correct")
            )
        ).all()
        assert details == [{"trainee_id": marie.id}, {"trainee_id": karim.id}]
