"""The roll-call service: the roster of a day, and a whole call saved in one transaction.

Called directly on a session (SQLite and PostgreSQL), without a dialogue; what is stored
and audited is read back.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import demo
from bot.absences.log import Details, record_absence
from bot.absences.rollcall import Mark, Roll, record_roll, roster
from bot.privacy.erasure import erase_trainee
from bot.storage.absences import Absence
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Person
from tests.auxil.race import queued

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def setup(session: AsyncSession) -> tuple[Formation, Person]:
    await demo.fill(session, today=TODAY)
    formation = await session.scalar(select(Formation).where(Formation.title.startswith("Agent")))
    camille = await session.scalar(select(Person).where(Person.display_name == "Camille Durand"))
    assert formation is not None and camille is not None
    await session.refresh(formation, ["trainees"])
    return formation, camille


def named(formation: Formation, name: str) -> Trainee:
    return next(t for t in formation.trainees if t.full_name == name)


async def note(
    session: AsyncSession, formation: Formation, who: Trainee, day: date, period: str, by: int
) -> None:
    details = Details(day=day, period=period, late_minutes=None, justified=False, reason=None)
    await record_absence(session, formation, who, details, by=by, now=NOW)


async def test_the_roster_is_the_day_s_trainees_by_surname_with_what_is_noted(
    db: Database,
) -> None:
    async with db.sessions() as session, session.begin():
        formation, camille = await setup(session)
        named(formation, "Léa Martin").left_on = date(2026, 11, 20)
        named(formation, "Hugo Moreau").entered_on = date(2026, 11, 21)
        await note(session, formation, named(formation, "Karim Benali"), TODAY, "matin", camille.id)
        await note(session, formation, named(formation, "Julie Petit"), TODAY, "retard", camille.id)
        called = await roster(session, formation, TODAY, "matin")
        assert [(c.trainee.full_name, c.noted) for c in called] == [
            ("Karim Benali", "matin"),
            ("Hugo Moreau", None),
            ("Julie Petit", None),  # late this morning: may still be absent this afternoon
        ]
        called = await roster(session, formation, TODAY, "journee")
        assert [c.noted for c in called] == ["matin", None, "retard"]
        friday = await roster(session, formation, date(2026, 11, 20), "apres_midi")
        assert [c.trainee.full_name for c in friday] == [
            "Karim Benali",
            "Léa Martin",
            "Julie Petit",
        ]
        assert await roster(session, formation, date(2026, 1, 5), "matin") == []


async def test_a_call_saves_reports_flags_and_audits_in_one_transaction(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        formation, camille = await setup(session)
        karim, lea = named(formation, "Karim Benali"), named(formation, "Léa Martin")
        julie, hugo = named(formation, "Julie Petit"), named(formation, "Hugo Moreau")
        await note(session, formation, karim, date(2026, 11, 20), "matin", camille.id)
        await note(session, formation, lea, TODAY, "matin", camille.id)
        await note(session, formation, hugo, TODAY, "retard", camille.id)
        roll = await record_roll(
            session,
            [
                Mark(formation, karim, "absent"),
                Mark(formation, lea, "absent"),  # already noted this morning
                Mark(formation, julie, "retard", 15),
                Mark(formation, julie, "absent"),  # named twice: saved once
                # Late already today, half-day unknown: the morning call's is a second one
                # (its recap says so, explorer U U7).
                Mark(formation, hugo, "retard"),
            ],
            day=TODAY,
            period="matin",
            formation=formation,
            present=0,
            by=camille.id,
            now=NOW,
        )
        assert [(t.full_name, a.period, a.late_minutes) for t, a in roll.saved] == [
            ("Karim Benali", "matin", None),
            ("Julie Petit", "retard", 15),
            ("Hugo Moreau", "retard", None),
        ]
        assert [(t.full_name, c.kind, c.by) for t, c in roll.already] == [
            ("Léa Martin", "duplicate", "Camille Durand"),
        ]
        assert [(f.trainee.full_name, f.signal.unjustified, f.followed) for f in roll.flags] == [
            ("Karim Benali", 2, False)
        ]
    async with store.sessions() as session:
        stored = (await session.scalars(select(Absence).order_by(Absence.id))).all()
        assert len(stored) == 6
        assert [(a.late_half, a.late_rank) for a in stored if a.trainee_id == hugo.id] == [
            (None, 1),
            ("matin", 2),
        ]
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
        calls = [e for e in entries if e.action == "rollcall"]
        assert len(calls) == 1
        assert calls[0].entity_id == formation.id
        assert {k: calls[0].details[k] for k in ("absent", "late", "present", "already")} == {
            "absent": 1,
            "late": 2,
            "present": 0,
            "already": [lea.id],
        }
        assert [e.entity_id for e in entries if e.action == "repeated_absence"] == [karim.id]
        assert "Karim" not in str([e.details for e in entries])


async def test_a_whole_day_call_does_not_confirm_a_second_late_arrival(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        formation, camille = await setup(session)
        hugo = named(formation, "Hugo Moreau")
        await note(session, formation, hugo, TODAY, "retard", camille.id)
        roll = await record_roll(
            session,
            [Mark(formation, hugo, "retard")],
            day=TODAY,
            period="journee",
            formation=formation,
            by=camille.id,
            now=NOW,
        )
    assert roll.saved == []
    assert [(t.full_name, c.kind) for t, c in roll.already] == [("Hugo Moreau", "late_twice")]


async def test_a_call_with_everybody_present_is_audited_only(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        formation, camille = await setup(session)
        roll = await record_roll(
            session,
            [],
            day=TODAY,
            period="apres_midi",
            formation=formation,
            present=4,
            by=camille.id,
            now=NOW,
        )
        assert (roll.saved, roll.already, roll.flags) == ([], [], [])
    async with db.sessions() as session:
        assert (await session.scalars(select(Absence))).all() == []
        [call] = (await session.scalars(select(AuditEntry))).all()
        assert (call.action, call.details["present"], call.details["period"]) == (
            "rollcall",
            4,
            "apres_midi",
        )


async def test_a_call_never_saves_late_and_absent_for_the_same_half_day(db: Database) -> None:
    """Explorer V, V1: a call opened before Zoé noted Julie absent this morning saved her late
    this morning too; late in the morning and absent in the afternoon still goes."""
    async with db.sessions() as session, session.begin():
        formation, camille = await setup(session)
        julie, karim, hugo = (
            named(formation, n) for n in ("Julie Petit", "Karim Benali", "Hugo Moreau")
        )
        await note(session, formation, julie, TODAY, "matin", camille.id)
        await note(session, formation, hugo, TODAY, "retard", camille.id)  # half-day unknown
        morning = await record_roll(
            session,
            [Mark(formation, julie, "retard", late_minutes=10)],
            day=TODAY,
            period="matin",
            formation=formation,
            by=camille.id,
            now=NOW,
        )
        afternoon = await record_roll(
            session,
            [Mark(formation, karim, "absent"), Mark(formation, hugo, "absent")],
            day=TODAY,
            period="apres_midi",
            formation=formation,
            by=camille.id,
            now=NOW,
        )
        late = await record_roll(  # Karim now absent this afternoon: not late then too
            session,
            [Mark(formation, karim, "retard", late_minutes=5)],
            day=TODAY,
            period="apres_midi",
            formation=formation,
            by=camille.id,
            now=NOW,
        )
    assert morning.saved == []
    assert [(t.full_name, c.kind, c.period) for t, c in morning.already] == [
        ("Julie Petit", "late_and_half", "matin")
    ]
    assert sorted(t.full_name for t, _ in afternoon.saved) == ["Hugo Moreau", "Karim Benali"]
    assert late.saved == [] and [t.full_name for t, _ in late.already] == ["Karim Benali"]


async def calling(db: Database, names: tuple[str, ...]) -> Roll:
    """A morning call of the demo's formation, ``names`` absent, in its own transaction."""
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent"))
        )
        camille = await session.scalar(select(Person.id).where(Person.display_name.like("Cam%")))
        assert formation is not None and camille is not None
        await session.refresh(formation, ["trainees"])
        marks = [Mark(formation, named(formation, n), "absent") for n in names]
        return await record_roll(
            session, marks, day=TODAY, period="matin", formation=formation, by=camille, now=NOW
        )


@pytest.mark.postgres
async def test_a_call_saved_as_a_trainee_is_erased_does_not_note_them_on_postgresql(
    pg_db: Database,
) -> None:
    """Explorer UD4: an absence saved while an admin erased the trainee was stored after the
    erasure, under « Personne effacée n° … ».  A call now holds each trainee's row as the
    erasure does: it waits for the erasure, reads Karim again and notes only Julie."""
    async with pg_db.sessions() as session, session.begin():
        formation, camille = await setup(session)
        karim = named(formation, "Karim Benali").id
        ids = formation.organisation_id, camille.id
    async with pg_db.sessions() as erasing:
        await erasing.begin()
        assert await erase_trainee(erasing, ids[0], karim, ids[1], NOW) is not None
        call = asyncio.create_task(calling(pg_db, ("Karim Benali", "Julie Petit")))
        await queued(pg_db, 1)  # the call waits at Karim's row
        await erasing.commit()
    roll = await asyncio.wait_for(call, 10)
    assert [t.full_name for t, _ in roll.saved] == ["Julie Petit"]
    async with pg_db.sessions() as session:
        stored = (await session.scalars(select(Absence))).all()
        assert [a.trainee_id for a in stored] == [named(formation, "Julie Petit").id]
