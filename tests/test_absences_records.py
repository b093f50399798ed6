"""The follow-up services (:mod:`bot.absences.records`, ``open_followup``), called directly:
what they store, what they audit, and which of the rules' deadlines they mark done."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences import followup_deadlines
from bot.absences.facts import followup_facts
from bot.absences.followups import open_followup
from bot.absences.records import (
    Report,
    Upload,
    add_more_signs,
    close_followup,
    file_livret,
    file_ticket,
    note_solution,
    record_contact,
    schedule_entretien,
    write_compte_rendu,
)
from bot.storage.absences import Entretien, FollowUp, FollowUpSign, StoredDocument
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation, Person
from tests.auxil.pdf import pdf_words

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.sessions() as s, s.begin():
        yield s


async def setup(
    session: AsyncSession, *, kind: str = "formation", long: bool = False, **settings: object
) -> tuple[Organisation, Person, Formation, Trainee]:
    org = Organisation(name="OF", timezone="Europe/Paris", settings=dict(settings))
    camille = Person(display_name="Camille Durand")
    session.add_all([org, camille])
    await session.flush()
    formation = Formation(
        organisation_id=org.id,
        owner_id=camille.id,
        title="Agent de restauration",
        funder="autre",
        kind=kind,
        long=long,
        start_date=date(2026, 9, 1),
        end_date=date(2027, 3, 1),
    )
    formation.trainees.append(Trainee(full_name="Karim Benali", name_key="karim benali"))
    session.add(formation)
    await session.flush()
    return org, camille, formation, formation.trainees[0]


async def opened(
    session: AsyncSession, *, cause: str | None = None, applies: bool = True, **where: object
) -> tuple[FollowUp, Person, Formation, Trainee]:
    org, camille, formation, trainee = await setup(session, **where)  # type: ignore[arg-type]
    followup = await open_followup(
        session,
        organisation=org,
        formation=formation,
        trainee=trainee,
        actor_id=camille.id,
        now=NOW,
        signs=["retards", "autre", "inconnu"],
        note="s'isole",
        cause=cause,
        applies=applies,
        absence_id=None,
        subcontracted=not applies,
    )
    assert isinstance(followup, FollowUp)
    return followup, camille, formation, trainee


async def due(session: AsyncSession, followup: FollowUp) -> dict[str, tuple[str, date]]:
    return {
        followup_deadlines.milestone_of(r): (r.status, r.due_on)
        for r in await followup_deadlines.deadlines_of(session, followup)
    }


async def actions(session: AsyncSession) -> list[str]:
    rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [f"{e.entity}:{e.action}" for e in rows]


async def test_opening_dates_the_steps_through_the_rules(session: AsyncSession) -> None:
    followup, _, formation, _ = await opened(session)
    assert (followup.path, followup.procedure_applies) == ("short", True)
    assert await due(session, followup) == {
        "CONTACT": ("open", date(2026, 11, 24)),
        "TICKET": ("open", date(2026, 12, 7)),
    }
    signs = (await session.scalars(select(FollowUpSign))).all()
    assert sorted((s.code, s.note) for s in signs) == [("autre", "s'isole"), ("retards", None)]
    assert formation.subcontracted is False
    assert await actions(session) == ["formation:set_subcontracted", "followup:open"]


async def test_no_deadline_when_the_procedure_does_not_apply(session: AsyncSession) -> None:
    followup, camille, formation, _ = await opened(session, applies=False)
    assert formation.subcontracted is True and await due(session, followup) == {}
    await close_followup(session, followup, camille.id, NOW)
    assert followup.closed_at == NOW and await due(session, followup) == {}
    assert (await actions(session))[-1] == "followup:close"


async def test_contacts_with_the_trainee_and_the_company_are_the_contact_done(
    session: AsyncSession,
) -> None:
    followup, camille, _, _ = await opened(session)
    later = NOW + timedelta(hours=2)
    other = await record_contact(
        session,
        followup,
        camille.id,
        later,
        with_whom="autre",
        channel="telephone",
        contacted_on=date(2026, 11, 23),
        outcome="La mère rappelle",
    )
    assert other.proof_id is None and (await due(session, followup))["CONTACT"][0] == "open"
    contact = await record_contact(
        session,
        followup,
        camille.id,
        later,
        with_whom="stagiaire",
        channel="sms",
        contacted_on=date(2026, 11, 23),
        outcome="Jointe",
        proof=Upload("capture.png", "image/png", b"\x89PNG"),
    )
    proof = await session.get(StoredDocument, contact.proof_id)
    assert proof is not None and (proof.kind, proof.content) == ("preuve_contact", b"\x89PNG")
    assert (await due(session, followup))["CONTACT"][0] == "open"  # the company is left
    await record_contact(
        session,
        followup,
        camille.id,
        later,
        with_whom="entreprise",
        channel="email",
        contacted_on=date(2026, 11, 23),
        outcome="Tuteur informé",
    )
    [row] = [r for r in await followup_deadlines.deadlines_of(session, followup) if r.is_done]
    assert (row.key, row.done_at, row.done_by) == (
        f"ELY-SHORT-CONTACT:followup:{followup.id}",
        later,
        camille.id,
    )
    assert (await actions(session))[-1] == "followup:contact"


async def test_entretien_then_compte_rendu_then_ticket(session: AsyncSession) -> None:
    followup, camille, formation, trainee = await opened(session, long=True)
    assert set(await due(session, followup)) == {"ENTRETIEN", "TICKET"}
    first = await schedule_entretien(
        session,
        followup,
        camille.id,
        NOW,
        kind="individuel",
        when=datetime(2026, 11, 26, 13, 0, tzinfo=UTC),
    )
    assert (first.rescheduled, first.expected_by, first.compte_rendu_by) == (
        False,
        date(2026, 11, 30),
        date(2026, 11, 29),
    )
    second = await schedule_entretien(
        session,
        followup,
        camille.id,
        NOW,
        kind="individuel",
        when=datetime(2026, 12, 1, 8, 30, tzinfo=UTC),
    )
    assert second.rescheduled and first.entretien.cancelled_at == NOW
    assert second.compte_rendu_by == date(2026, 12, 4)
    held = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    document = await write_compte_rendu(
        session,
        followup,
        second.entretien,
        camille.id,
        held + timedelta(hours=3),
        report=Report(held, "Constat", "Plus de voiture", "Covoiturage", None),
        formation=formation,
        trainee=trainee,
        author="Camille Durand",
        organisation_name="OF",
        tz=PARIS,
    )
    assert document is not None and document.kind == "compte_rendu"
    assert second.entretien.compte_rendu_id == document.id
    words = pdf_words(document.content)
    assert "Covoiturage" in words
    # Its rule, said once (explorer AM7: « Procédure procédure Elycoop … »).
    assert "Règle suivie" in words and "Procédure procédure" not in words
    assert await due(session, followup) == {
        "ENTRETIEN": ("done", date(2026, 11, 30)),
        "COMPTE-RENDU": ("done", date(2026, 12, 4)),
        "TICKET": ("open", date(2026, 12, 7)),
    }
    ticket = await file_ticket(
        session,
        followup,
        camille.id,
        NOW + timedelta(days=9),
        formation=formation,
        trainee=trainee,
        note=None,
        zone="Europe/Paris",
    )
    assert (ticket.reference, ticket.rule_id) == ("TQ-2026-0001", "ELY-LONG")
    assert followup.closed_at == NOW + timedelta(days=9)
    kept = await due(session, followup)  # closing keeps them, done
    assert set(kept) == {"ENTRETIEN", "COMPTE-RENDU", "TICKET"}
    assert {status for status, _ in kept.values()} == {"done"}
    assert await followup_facts(session, formation.id) == ()
    assert len((await session.scalars(select(Entretien))).all()) == 2
    assert (await actions(session))[2:] == [
        "entretien:schedule",
        "entretien:reschedule",
        "entretien:compte_rendu",
        "followup:ticket",
    ]


async def test_a_ticket_filed_early_settles_what_is_left(session: AsyncSession) -> None:
    followup, camille, formation, trainee = await opened(session)
    closing = NOW + timedelta(days=1)
    await file_ticket(
        session,
        followup,
        camille.id,
        closing,
        formation=formation,
        trainee=trainee,
        note="Abandon",
        zone="Europe/Paris",
    )
    rows = await followup_deadlines.deadlines_of(session, followup)
    assert {(followup_deadlines.milestone_of(r), r.done_at) for r in rows} == {
        ("CONTACT", closing),
        ("TICKET", closing),
    }
    assert await followup_deadlines.left(session, followup) == []


async def test_solution_livret_and_more_signs(session: AsyncSession) -> None:
    sick, camille, _, _ = await opened(session, kind="bilan_competences", cause="sick_leave")
    assert set(await due(session, sick)) == {"SOLUTION"}
    await note_solution(
        session, sick, camille.id, NOW, solution="avenant", with_employer=True, note=None
    )
    assert (sick.solution, sick.solution_with_employer, sick.solution_at) == ("avenant", True, NOW)
    assert (await due(session, sick))["SOLUTION"][0] == "done"
    assert (
        await add_more_signs(session, sick, camille.id, NOW, signs=["retards", "nope"], note=None)
        == 1
    )

    vae, camille, _, _ = await opened(session, kind="vae")
    document = await file_livret(
        session, vae, camille.id, NOW, Upload("livret.pdf", "application/pdf", b"%PDF-1.4")
    )
    assert (document.kind, document.followup_id) == ("livret_suivi", vae.id)
    assert await due(session, vae) == {
        "LIVRET": ("done", date(2026, 11, 30)),
        "TICKET": ("open", date(2026, 12, 7)),
    }


WHEN = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)


async def racing(pg_db: Database, call: Any, *ids: int) -> tuple[Any, Any]:
    """``call(session, *ids)`` in a transaction left open, then in a second one started while
    the first holds; the first committed, what each returned."""
    async with pg_db.sessions() as first:
        await first.begin()
        won = await call(first, *ids)

        async def second() -> Any:
            async with pg_db.sessions() as s, s.begin():
                return await call(s, *ids)

        pressing = asyncio.create_task(second())
        await asyncio.sleep(0.3)
        await first.commit()
    return won, await asyncio.wait_for(pressing, 10)


async def scheduling(session: AsyncSession, followup_id: int, actor_id: int) -> Any:
    followup = await session.get(FollowUp, followup_id)
    assert followup is not None
    return await schedule_entretien(session, followup, actor_id, NOW, kind="individuel", when=WHEN)


@pytest.mark.postgres
async def test_two_admins_scheduling_one_entretien_at_once_on_postgresql(pg_db: Database) -> None:
    """Explorer IB3: both pressed « Oui » at once, both were told « programmé », two live
    entretiens stood (two reminders, two lines in the timeline).  Now the second waits for
    the first and reschedules it."""
    async with pg_db.sessions() as s, s.begin():
        followup, camille, _, _ = await opened(s, long=True)
        ids = followup.id, camille.id
    won, second = await racing(pg_db, scheduling, *ids)
    assert not won.rescheduled and won.replaced is None
    assert second.rescheduled and second.replaced.id == won.entretien.id
    async with pg_db.sessions() as s:
        live = (await s.scalars(select(Entretien).where(Entretien.cancelled_at.is_(None)))).all()
        assert [e.id for e in live] == [second.entretien.id]
        assert (await actions(s))[-2:] == ["entretien:schedule", "entretien:reschedule"]


async def writing(session: AsyncSession, followup_id: int, entretien_id: int, actor_id: int) -> Any:
    followup = await session.get(FollowUp, followup_id)
    entretien = await session.get(Entretien, entretien_id)
    formation = await session.get(Formation, followup.formation_id if followup else 0)
    trainee = await session.get(Trainee, followup.trainee_id if followup else 0)
    assert followup and entretien and formation and trainee
    return await write_compte_rendu(
        session,
        followup,
        entretien,
        actor_id,
        NOW + timedelta(hours=3),
        report=Report(NOW, "Constat", "Plus de voiture", "Covoiturage", None),
        formation=formation,
        trainee=trainee,
        author="Camille Durand",
        organisation_name="OF",
        tz=PARIS,
    )


@pytest.mark.postgres
async def test_two_admins_writing_one_compte_rendu_at_once_on_postgresql(pg_db: Database) -> None:
    """Explorer IB4: both pressed « Produire le compte rendu » at once: two PDFs kept, the
    entretien pointing at the second.  Now the second writes nothing (``None``)."""
    async with pg_db.sessions() as s, s.begin():
        followup, camille, _, _ = await opened(s, long=True)
        scheduled = await schedule_entretien(
            s, followup, camille.id, NOW, kind="individuel", when=NOW
        )
        ids = followup.id, scheduled.entretien.id, camille.id
    won, second = await racing(pg_db, writing, *ids)
    assert won is not None and second is None
    async with pg_db.sessions() as s:
        kept = (await s.scalars(select(StoredDocument))).all()
        assert [d.id for d in kept] == [won.id]
        entretien = await s.get(Entretien, ids[1])
        assert entretien is not None and entretien.compte_rendu_id == won.id
        assert (await actions(s)).count("entretien:compte_rendu") == 1
