"""Creating and editing formations without a dialogue: what is stored, audited, recomputed."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.formations import service
from bot.formations.service import NewSession, NewTrainee
from bot.storage.absences import Absence
from bot.storage.audit import AuditEntry
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.formations import a_formation, cast, cvl_metiers, restauration
from tests.auxil.statements import counting

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


async def audit_of(session: AsyncSession, formation_id: int) -> list[tuple[str, dict[str, object]]]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "formation", AuditEntry.entity_id == formation_id)
        .order_by(AuditEntry.id)
    )
    return [(r.action, r.details) for r in rows]


async def test_creating_stores_the_formation_its_sessions_and_trainees(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await service.create_formation(
            session,
            people.formateur,
            restauration(
                funder="cvl",
                programme="parcours_metiers",
                action_type="metiers",
                cm_name="Mme Sophie Leroy",
                cm_email="sophie.leroy@example.org",
                sessions=(
                    NewSession("Session 1", date(2026, 12, 1), date(2027, 1, 31), "Cuisine"),
                    NewSession("Session 2", date(2027, 2, 1), date(2027, 2, 28), "Cuisine"),
                    NewSession("Session 3", date(2027, 3, 1), date(2027, 6, 15), "Service"),
                ),
            ),
        )
        formation_id = formation.id
    async with store.sessions() as session:
        stored = await session.get(Formation, formation_id)
        assert stored is not None
        assert (stored.organisation_id, stored.owner_id) == (
            people.formateur.organisation_id,
            people.formateur.person_id,
        )
        assert (stored.title, stored.funder, stored.programme, stored.action_type) == (
            "Agent de restauration",
            "cvl",
            "parcours_metiers",
            "metiers",
        )
        assert (stored.start_date, stored.end_date) == (date(2026, 12, 1), date(2027, 6, 15))
        assert stored.certifying and stored.long and not stored.remote_coaching
        assert (stored.cm_name, stored.cm_email) == ("Mme Sophie Leroy", "sophie.leroy@example.org")
        # The sessions of one composante share it: they are not composantes of their own.
        assert [(s.label, s.composante) for s in stored.sessions] == [
            ("Session 1", "Cuisine"),
            ("Session 2", "Cuisine"),
            ("Session 3", "Service"),
        ]
        assert [
            (t.full_name, t.name_key, t.company, t.is_delegate, t.entered_on)
            for t in stored.trainees
        ] == [
            ("Karim Benali", "karim benali", None, False, date(2026, 12, 1)),
            ("Marie Dupont", "marie dupont", "Boulangerie Martin", True, date(2026, 12, 1)),
        ]
        assert await audit_of(session, formation_id) == [("create", {"trainees": 2})]
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "create"))
        assert entry is not None and entry.actor_id == people.formateur.person_id
        deadlines = (
            await session.scalars(
                select(StoredDeadline).where(StoredDeadline.formation_id == formation_id)
            )
        ).all()
        assert deadlines, "the deadlines of a new formation are computed at once"


async def test_sessions_are_composantes_only_for_trade_training(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(
            session,
            people.formateur,
            funder="cvl",
            action_type="premiers_gestes",
            sessions=(NewSession("Session 1", date(2026, 12, 1), date(2027, 1, 31)),),
        )
        assert [s.composante for s in formation.sessions] == [None]


async def test_changing_dates_names_the_sessions_left_outside(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(
            session,
            people.formateur,
            sessions=(
                NewSession("Session 1", date(2026, 12, 1), date(2027, 1, 31)),
                NewSession("Session 2", date(2027, 3, 1), date(2027, 6, 15)),
            ),
        )
        changed = await service.change_dates(
            session, people.formateur, formation.id, date(2026, 12, 1), date(2027, 4, 30)
        )
        assert changed is not None and changed.outside == ["Session 2"]
        assert (formation.start_date, formation.end_date) == (date(2026, 12, 1), date(2027, 4, 30))
        assert (await audit_of(session, formation.id))[-1] == ("edit_dates", {})


async def test_nobody_edits_a_formation_they_may_not_see(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        for stranger in (people.colleague, people.outsider):
            assert (
                await service.change_dates(
                    session, stranger, formation.id, date(2027, 1, 1), date(2027, 2, 1)
                )
                is None
            )
            assert (
                await service.add_trainees(
                    session, stranger, formation.id, [NewTrainee("Paul Henry")], now=NOW
                )
                is None
            )
            trainee_id = formation.trainees[0].id
            assert not await service.remove_trainee(session, stranger, formation.id, trainee_id)
            assert await service.set_delegates(session, stranger, formation.id, []) is None
        assert formation.start_date == date(2026, 12, 1)
        assert len(formation.trainees) == 2
        assert [a for a, _ in await audit_of(session, formation.id)] == ["create"]
        # The organisation's admin may.
        assert await service.set_delegates(session, people.admin, formation.id, []) == []


async def test_adding_trainees_skips_those_enrolled_and_dates_their_entry(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        added = await service.add_trainees(
            session,
            people.formateur,
            formation.id,
            [NewTrainee("MARIE DUPONT"), NewTrainee("Paul Henry", "Hôtel des Lys")],
            now=NOW,
        )
        assert added is not None and added.count == 1
        paul = await session.scalar(select(Trainee).where(Trainee.full_name == "Paul Henry"))
        assert paul is not None
        assert (paul.company, paul.entered_on, paul.is_delegate) == (
            "Hôtel des Lys",
            date(2027, 1, 11),  # added on a Sunday: the Monday (explorer Z, Z12)
            False,
        )
        assert (await audit_of(session, formation.id))[-1] == ("add_trainees", {"count": 1})
        # Before the start, a trainee enters at the start.
        early = await a_formation(session, people.formateur, title="Plus tard")
        before = await service.add_trainees(
            session,
            people.formateur,
            early.id,
            [NewTrainee("Zoé Lambert")],
            now=datetime(2026, 11, 2, tzinfo=UTC),
        )
        assert before is not None
        assert [t.entered_on for t in early.trainees if t.full_name == "Zoé Lambert"] == [
            date(2026, 12, 1)
        ]


async def test_removing_a_trainee_and_choosing_delegates(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        karim, _marie = formation.trainees
        assert not await service.remove_trainee(session, people.formateur, formation.id, "999")
        assert await service.remove_trainee(session, people.formateur, formation.id, karim.id)
        assert [t.full_name for t in formation.trainees] == ["Marie Dupont"]
        assert (await audit_of(session, formation.id))[-1] == (
            "remove_trainee",
            {"trainee_id": karim.id},
        )
        added = await service.add_trainees(
            session, people.formateur, formation.id, [NewTrainee("Paul Henry")], now=NOW
        )
        assert added is not None
        paul = next(t for t in formation.trainees if t.full_name == "Paul Henry")
        names = await service.set_delegates(session, people.formateur, formation.id, [str(paul.id)])
        assert names == ["Paul Henry"]
        assert {t.full_name: t.is_delegate for t in formation.trainees} == {
            "Marie Dupont": False,
            "Paul Henry": True,
        }
        assert (await audit_of(session, formation.id))[-1] == ("set_delegates", {"count": 1})
    async with store.sessions() as session:
        left = (await session.scalars(select(Trainee.full_name).order_by(Trainee.id))).all()
        assert list(left) == ["Marie Dupont", "Paul Henry"]


def sent_to(statements: list[str]) -> list[str]:
    """Each statement as its verb and table (``INSERT trainees``), BEGIN/COMMIT left out."""
    named = []
    for statement in statements:
        words = statement.split()
        if words[0] == "INSERT":
            named.append(f"INSERT {words[2]}")
        elif words[0] == "UPDATE":
            named.append(f"UPDATE {words[1]}")
        elif words[0] == "SELECT":
            named.append(f"SELECT {words[1].split('.')[0]}")
    return named


async def test_creating_sends_one_insert_per_table_and_reads_back_nothing(
    store: Database,
) -> None:
    """Issue 14, the saving turn of /formation: the formation, its trainees, the audit entry
    and its deadlines in one INSERT each (its sessions one each, a few at most: SQLite cannot
    order a multi-row RETURNING, and the turn's rows go straight to the driver, BA), the
    organisation's settings read for the rules, and the digest told to look again (a deadline
    falls this week)."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        with counting(store) as sent:
            formation = await service.create_formation(session, people.formateur, cvl_metiers())
            await session.flush()
        sessions = ["INSERT formation_sessions"] * 2
        assert sent_to(sent) == [
            "INSERT formations",
            *sessions,  # first: their ids go with the trainees who follow one (explorer IC5)
            "INSERT trainees",
            "INSERT audit_log",
            "SELECT organisations",
            "INSERT deadlines",
            "UPDATE organisations",
        ]
        # What it returns is in the session as if loaded: reading it sends nothing, and a
        # change to it is written like any other.
        with counting(store) as sent:
            read = (
                formation.created_at,
                formation.subcontracted,
                [(t.id, t.formation_id, t.created_at, t.path_end) for t in formation.trainees],
                [(s.id, s.formation_id, s.label) for s in formation.sessions],
            )
            formation.title = "Agent de restauration (groupe 2)"
            await session.flush()
        assert sent_to(sent) == ["UPDATE formations"]
        assert read[0] is not None and read[1] is None
        formation_id = formation.id
        ids = {t.full_name: t.id for t in formation.trainees}
        parts = {s.label: s.id for s in formation.sessions}
    async with store.sessions() as session:
        stored = await session.get(Formation, formation_id)
        assert stored is not None and stored.title == "Agent de restauration (groupe 2)"
        assert {t.full_name: t.id for t in stored.trainees} == ids
        assert {s.label: s.id for s in stored.sessions} == parts
        assert all(t.created_at is not None for t in stored.trainees)


@pytest.mark.postgres
async def test_an_absence_saved_while_its_trainee_is_removed_is_kept(pg_db: Database) -> None:
    """Explorer R R2: on PostgreSQL, an absence confirmed 30 ms before a colleague's « Oui,
    retirer » was deleted with the trainee (the removal read no history, then its delete
    waited for the absence and took it along).  The trainee is locked before the history is
    read: the removal now sees the absence and refuses."""
    async with pg_db.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        karim = formation.trainees[0]
        ids = (formation.id, karim.id, formation.organisation_id)
    formation_id, karim_id, organisation_id = ids
    async with pg_db.sessions() as noting:
        await noting.begin()
        noting.add(
            Absence(
                organisation_id=organisation_id,
                formation_id=formation_id,
                trainee_id=karim_id,
                day=date(2027, 1, 8),
                period="matin",
            )
        )
        await noting.flush()  # inserted, not committed: the absence's turn goes on

        async def remove() -> object:
            async with pg_db.sessions() as session, session.begin():
                return await service.remove_trainee(
                    session, people.formateur, formation_id, karim_id
                )

        removing = asyncio.create_task(remove())
        await asyncio.sleep(0.3)
        await noting.commit()
    removed = await asyncio.wait_for(removing, 10)
    assert isinstance(removed, service.History) and removed.absences == 1
    async with pg_db.sessions() as session:
        assert await session.scalar(select(func.count(Absence.id))) == 1
        assert await session.get(Trainee, karim_id) is not None
