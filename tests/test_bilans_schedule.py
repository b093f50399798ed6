"""Scheduling a bilan (bot/bilans/schedule.py), called directly on the demo data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import demo as demo_module
from bot.bilans.participants import Derogation
from bot.bilans.schedule import AlreadyScheduled, Partner, Plan, Scheduled, Visio, schedule_bilan
from bot.formations.queries import Member
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Person as P
from tests.auxil.colleague import nina_in_charge
from tests.auxil.dialogue import Clock, Person
from tests.test_absences_records import racing
from tests.test_bilan import REMOTE, answer

ADMIN = Member(organisation_id=1, person_id=1, admin=True)
STARTS = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)


async def ids(db: Database, title: str) -> tuple[int, dict[str, int]]:
    """The formation's id and its trainees' ids by name."""
    async with db.sessions() as session:
        formation = await session.scalar(select(Formation).where(Formation.title.startswith(title)))
        assert formation is not None
        trainees = (
            await session.scalars(select(Trainee).where(Trainee.formation_id == formation.id))
        ).all()
        return formation.id, {t.full_name: t.id for t in trainees}


@pytest.mark.usefixtures("demo")
async def test_a_remote_bilan_is_stored_with_its_participants_deadlines_and_audit(
    db: Database, clock: Clock
) -> None:
    formation_id, trainees = await ids(db, "Agent")
    plan = Plan(
        kind="fin",
        owed_key="fin",
        starts_at=STARTS,
        minutes=90,
        visio=Visio(
            url="https://visio.example.org/b",
            password_required=True,
            manages_speakers=False,
            password="Cuisine-2026",
        ),
        location="ignored for a remote bilan",
        trainee_ids=[trainees["Léa Martin"], trainees["Karim Benali"], trainees["Julie Petit"]],
        partners=[Partner("M. Karim Haddad", "Mission locale de Caen", "k.haddad@example.org")],
        # Karim Benali is not a delegate: the chargée de mission agreed; Julie Petit has no
        # such agreement, so she is not invited to this remote Normandie bilan.
        derogations={
            trainees["Karim Benali"]: Derogation("Mme Sophie Leroy", date(2026, 11, 20), "email")
        },
    )
    async with db.sessions() as session, session.begin():
        done = await schedule_bilan(session, ADMIN, clock.now, formation_id, plan)
        assert done is not None
        assert done.view.start == datetime(2026, 11, 26, 14, 0, tzinfo=done.view.tz)
        assert done.deadlines[-1].rule_id == "NOR-PROOF"
    async with db.sessions() as session:
        [stored] = (await session.scalars(select(Bilan))).all()
        assert (stored.kind, stored.owed_key, stored.remote, stored.sequence) == (
            "fin",
            "fin",
            True,
            0,
        )
        assert (stored.starts_at, stored.ends_at.hour, stored.ends_at.minute) == (STARTS, 14, 30)
        assert stored.location is None
        assert stored.visio_url == "https://visio.example.org/b"
        assert (stored.visio_password_required, stored.visio_manages_speakers) == (True, False)
        assert stored.visio_password == "Cuisine-2026"
        assert (stored.created_by, stored.created_at) == (1, clock.now)
        # Trainees in the formation's order, then the partners.
        assert [(p.kind, p.name, p.structure, p.contact) for p in stored.participants] == [
            ("trainee", "Karim Benali", None, None),
            ("delegate", "Léa Martin", None, None),
            ("partner", "M. Karim Haddad", "Mission locale de Caen", "k.haddad@example.org"),
        ]
        karim = stored.participants[0]
        assert (karim.derogation_by, karim.derogation_on, karim.derogation_how) == (
            "Mme Sophie Leroy",
            date(2026, 11, 20),
            "email",
        )
        assert stored.participants[1].derogation_by is None
        rows = (
            await session.scalars(
                select(StoredDeadline).where(StoredDeadline.subject_id == stored.id)
            )
        ).all()
        assert {r.rule_id: r.due_on for r in rows}["NOR-DOCS"] == date(2026, 11, 24)
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "schedule"))
        assert entry is not None
        assert (entry.entity, entry.entity_id, entry.actor_id) == ("bilan", stored.id, 1)
        assert entry.details == {"formation_id": formation_id, "remote": True, "participants": 3}


@pytest.mark.usefixtures("demo")
async def test_an_on_site_bilan_keeps_its_place_and_no_visio(db: Database, clock: Clock) -> None:
    formation_id, trainees = await ids(db, "Projet")
    plan = Plan(
        kind="etape",
        owed_key="etape",
        starts_at=STARTS,
        minutes=120,
        location="Salle 2",
        trainee_ids=[trainees["Nadia Roux"]],
    )
    async with db.sessions() as session, session.begin():
        assert await schedule_bilan(session, ADMIN, clock.now, formation_id, plan) is not None
    async with db.sessions() as session:
        [stored] = (await session.scalars(select(Bilan))).all()
        assert (stored.remote, stored.location, stored.visio_url) == (False, "Salle 2", None)
        assert stored.visio_password_required is None and stored.visio_password is None
        assert [(p.kind, p.name) for p in stored.participants] == [("delegate", "Nadia Roux")]


@pytest.mark.usefixtures("demo")
async def test_nothing_is_stored_for_a_formation_the_viewer_may_not_see(
    db: Database, clock: Clock
) -> None:
    formation_id, _ = await ids(db, "Agent")
    plan = Plan(kind="fin", owed_key="fin", starts_at=STARTS, minutes=120, location="Ici")
    stranger = Member(organisation_id=1, person_id=99)
    async with db.sessions() as session, session.begin():
        assert await schedule_bilan(session, stranger, clock.now, formation_id, plan) is None
        assert await schedule_bilan(session, ADMIN, clock.now, 9999, plan) is None
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(Bilan.id))) == 0
        assert await session.scalar(select(func.count(AuditEntry.id))) == 0


@pytest.mark.usefixtures("demo")
async def test_an_owed_bilan_scheduled_meanwhile_is_not_scheduled_twice(
    db: Database, clock: Clock
) -> None:
    """Explorer UD5: two people's /bilan for the same final bilan, the second confirmed after
    the first: two live bilans de fin, two invitations per participant.  The second now
    gets the first, nothing stored."""
    formation_id, trainees = await ids(db, "Agent")
    plan = Plan(
        kind="fin",
        owed_key="fin",
        starts_at=STARTS,
        minutes=120,
        location="Salle 1",
        trainee_ids=[trainees["Léa Martin"]],
    )
    async with db.sessions() as session, session.begin():
        first = await schedule_bilan(session, ADMIN, clock.now, formation_id, plan)
        assert isinstance(first, Scheduled)
        first_id = first.bilan.id
    async with db.sessions() as session, session.begin():
        second = await schedule_bilan(session, ADMIN, clock.now, formation_id, plan)
        assert isinstance(second, AlreadyScheduled)
        assert (second.bilan.id, second.by_id, second.by) == (first_id, 1, "Camille Durand")
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(Bilan.id))) == 1
        assert await session.scalar(select(func.count(BilanParticipant.id))) == 1


async def test_the_second_confirmation_of_one_owed_bilan_names_who_scheduled_it(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer UD5: Camille's recap was still open when Nina scheduled the final bilan; her
    « Programmer le bilan » now tells her so, and hands out no second invitations."""
    await nina_in_charge(db)
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:-1]:
        await answer(trainer, kind, value)
    formation_id, _ = await ids(db, "Agent")
    async with db.sessions() as session, session.begin():
        nina = await session.scalar(select(P.id).where(P.display_name == "Nina Colleague"))
        assert nina is not None
        plan = Plan(kind="fin", owed_key="fin", starts_at=STARTS, minutes=60, location="Ici")
        done = await schedule_bilan(session, Member(1, nina), clock.now, formation_id, plan)
        assert isinstance(done, Scheduled)
    await trainer.presses("Programmer le bilan")
    assert trainer.last == (
        "Ce bilan vient d'être programmé par Nina Colleague : bilan de fin de formation du "
        "jeudi 26 novembre 2026 à 14 h 00. Je n'en programme pas un second : retrouvez-le "
        "avec /bilans."
    )
    assert "/start" not in trainer.all_text.split("Programmer le bilan")[-1]
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(Bilan.id))) == 1


async def scheduling(session: AsyncSession, formation_id: int, lea: int) -> Any:
    plan = Plan(
        kind="fin", owed_key="fin", starts_at=STARTS, minutes=60, location="Ici", trainee_ids=[lea]
    )
    return await schedule_bilan(session, ADMIN, STARTS, formation_id, plan)


@pytest.mark.postgres
async def test_two_confirmations_at_once_on_postgresql_make_one_bilan(
    pg_db: Database, clock: Clock
) -> None:
    """Explorer UD5 on PostgreSQL: both pressed « Programmer le bilan » at once.  The second
    waits for the first's lock on the formation, then reads its bilan."""
    async with pg_db.sessions() as session, session.begin():
        await demo_module.fill(session, today=clock.now.date())
    formation_id, trainees = await ids(pg_db, "Agent")
    won, second = await racing(pg_db, scheduling, formation_id, trainees["Léa Martin"])
    assert isinstance(won, Scheduled) and isinstance(second, AlreadyScheduled)
    assert second.bilan.id == won.bilan.id
    async with pg_db.sessions() as session:
        assert await session.scalar(select(func.count(Bilan.id))) == 1
