"""What the bilan dialogues read (bot/bilans/queries.py), called directly on the demo data.

The demo clock says Monday 23 November 2026, 10:00 in Paris; the demo admin
Camille Durand (person 1) owns both demo formations.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilans.queries import (
    LeftOut,
    bilan_formation,
    bilan_formations,
    bilans_left_out,
    deadlines_of_bilan,
    documents_due,
    owed_by,
    visible_bilan,
    visible_bilans,
)
from bot.deadlines.service import refresh_deadlines
from bot.formations.queries import Member, load_formation
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Membership, Person, Role
from tests.auxil.dialogue import Clock

ADMIN = Member(organisation_id=1, person_id=1, admin=True)
OWNER = Member(organisation_id=1, person_id=1)


async def formation_titled(session: AsyncSession, start: str) -> Formation:
    found = await session.scalar(select(Formation).where(Formation.title.startswith(start)))
    assert found is not None
    return found


async def colleague(session: AsyncSession) -> Member:
    """A formateur of the same organisation who owns nothing."""
    claire = Person(display_name="Claire Martin")
    session.add(claire)
    await session.flush()
    session.add(Membership(organisation_id=1, person_id=claire.id, role=Role.FORMATEUR.value))
    return Member(organisation_id=1, person_id=claire.id)


def bilan(formation: Formation, starts_at: datetime, **values: object) -> Bilan:
    return Bilan(
        organisation_id=formation.organisation_id,
        formation_id=formation.id,
        kind=values.pop("kind", "fin"),
        owed_key=values.pop("owed_key", "fin"),
        remote=values.pop("remote", True),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        # Booked ten days before (NOR-VISIO and NOR-DELEGATES are due that day).
        created_at=values.pop("created_at", starts_at - timedelta(days=10)),
        **values,
    )


@pytest.mark.usefixtures("demo")
async def test_formations_that_owe_a_bilan_are_the_ones_the_viewer_may_see(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        titles = [f.title for f in await bilan_formations(session, ADMIN)]
        assert titles == ["Agent de restauration (démo)", "Projet professionnel (démo)"]
        assert [f.title for f in await bilan_formations(session, OWNER)] == titles
        claire = await colleague(session)
        assert await bilan_formations(session, claire) == []
        restauration = await formation_titled(session, "Agent")
        assert await load_formation(session, claire, restauration.id) is None
        assert await bilan_formation(session, claire, restauration.id) is None
        other_org = Member(organisation_id=2, person_id=1, admin=True)
        assert await load_formation(session, other_org, restauration.id) is None
        assert await load_formation(session, ADMIN, "abc") is None
        restauration.funder = "autre"
        await session.flush()
        assert await load_formation(session, ADMIN, restauration.id) is not None
        assert await bilan_formation(session, ADMIN, restauration.id) is None
        assert [f.title for f in await bilan_formations(session, ADMIN)] == [
            "Projet professionnel (démo)"
        ]


@pytest.mark.usefixtures("demo")
async def test_visible_bilans_come_upcoming_first_then_past_most_recent_first(
    db: Database, clock: Clock
) -> None:
    now = clock.now
    async with db.sessions() as session, session.begin():
        restauration = await formation_titled(session, "Agent")
        projet = await formation_titled(session, "Projet")
        later = bilan(restauration, now + timedelta(days=10))
        soon = bilan(projet, now + timedelta(days=2), kind="etape", owed_key="etape")
        long_ago = bilan(projet, now - timedelta(days=20), kind="etape", owed_key="etape:2")
        recently = bilan(restauration, now - timedelta(days=3), owed_key="fin:2")
        cancelled = bilan(restauration, now + timedelta(days=1), cancelled_at=now)
        session.add_all([later, soon, long_ago, recently, cancelled])
        await session.flush()
        seen = await visible_bilans(session, ADMIN, now)
        assert [b.id for b, _ in seen] == [soon.id, later.id, recently.id, long_ago.id]
        assert [f.title for _, f in seen][:2] == [projet.title, restauration.title]
        assert await visible_bilans(session, await colleague(session), now) == []
        found = await visible_bilan(session, ADMIN, str(soon.id))
        assert found is not None and found[1].id == projet.id
        assert await visible_bilan(session, ADMIN, cancelled.id) is None
        assert await visible_bilan(session, ADMIN, "9999") is None
        assert await visible_bilan(session, ADMIN, "'; DROP") is None


@pytest.mark.usefixtures("demo")
async def test_what_a_formation_owes_and_what_is_already_scheduled(
    db: Database, clock: Clock
) -> None:
    async with db.sessions() as session, session.begin():
        projet = await formation_titled(session, "Projet")
        owed, scheduled = await owed_by(session, projet, clock.now.date())
        assert [(o.key, o.kind, o.label) for o in owed] == [
            ("etape", "etape", "bilan d'étape"),
            ("fin", "fin", "bilan de fin de formation"),
        ]
        assert owed[0].suggested_on == date(2026, 12, 23)
        assert (
            "pièces pédagogiques exigées, Parcours Métiers, Région Centre-Val de Loire (002), §2"
            in owed[0].reason
        )
        assert not any(o.scheduled or o.past for o in owed) and scheduled == []
        session.add(bilan(projet, clock.now + timedelta(days=10), kind="etape", owed_key="etape"))
        await session.flush()
        owed, scheduled = await owed_by(session, projet, clock.now.date())
        assert [o.scheduled for o in owed] == [True, False]
        assert [b.kind for b in scheduled] == ["etape"]


@pytest.mark.usefixtures("demo")
async def test_the_documents_deadline_of_a_remote_normandie_bilan(
    db: Database, clock: Clock
) -> None:
    starts_at = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
    async with db.sessions() as session, session.begin():
        restauration = await formation_titled(session, "Agent")
        due = await documents_due(
            session, restauration, kind="fin", starts_at=starts_at, minutes=120
        )
        assert due == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 48 h before
        projet = await formation_titled(session, "Projet")
        assert (
            await documents_due(session, projet, kind="fin", starts_at=starts_at, minutes=120)
            is None
        )
        # Moving a stored bilan: the preview stands in for it.
        stored = bilan(restauration, starts_at)
        session.add(stored)
        await session.flush()
        later = starts_at + timedelta(days=7)
        assert await documents_due(
            session, restauration, kind="fin", starts_at=later, minutes=120, exclude=stored.id
        ) == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)


@pytest.mark.usefixtures("demo")
async def test_a_bilans_deadlines_in_order(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        restauration = await formation_titled(session, "Agent")
        stored = bilan(restauration, datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
        session.add(stored)
        await session.flush()
        await refresh_deadlines(session, restauration.id)
        rows = await deadlines_of_bilan(session, stored)
        assert {r.rule_id for r in rows[:2]} == {"NOR-VISIO", "NOR-DELEGATES"}  # at booking
        assert [r.due_on for r in rows] == sorted(r.due_on for r in rows)
        assert {r.rule_id for r in rows} == {
            "NOR-VISIO",
            "NOR-PREP",
            "NOR-GUIDES",
            "NOR-DELEGATES",
            "NOR-DOCS",
            "NOR-PROOF",
        }


@pytest.mark.usefixtures("demo")
async def test_the_bilans_new_dates_leave_outside(db: Database) -> None:
    """Explorer AD22: a bilan beyond an end brought forward (or before a start put back) is
    named; not one already past, cancelled, or beyond an end that did not come nearer (a
    bilan booked just after the end, as the rules allow, is no news when only the start
    moves).
    Its day is the organisation's: 0 h 30 in Paris on 5 January is 4 January in UTC."""
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    was = (date(2026, 10, 19), date(2027, 1, 8))
    async with db.sessions() as session, session.begin():
        restauration = await formation_titled(session, "Agent")
        held = bilan(restauration, datetime(2026, 11, 2, 13, 0, tzinfo=UTC), kind="etape")
        etape = bilan(restauration, datetime(2026, 11, 25, 13, 0, tzinfo=UTC), kind="etape")
        fin = bilan(restauration, datetime(2027, 1, 4, 23, 30, tzinfo=UTC))
        cancelled = bilan(restauration, datetime(2026, 12, 15, 13, 0, tzinfo=UTC))
        cancelled.cancelled_at = now
        after_end = bilan(restauration, datetime(2027, 1, 12, 13, 0, tzinfo=UTC))
        session.add_all([held, etape, fin, cancelled, after_end])
        await session.flush()

        def left(new: tuple[date, date]) -> Awaitable[list[LeftOut]]:
            return bilans_left_out(session, restauration.id, was, new, now=now, tz=paris)

        assert await left(was) == []
        assert await left((date(2026, 10, 19), date(2027, 1, 29))) == []
        assert await left((date(2026, 10, 19), date(2027, 1, 5))) == [  # fin: 5 January in Paris
            LeftOut(after_end, after=True)
        ]
        assert await left((date(2026, 10, 19), date(2027, 1, 4))) == [
            LeftOut(fin, after=True),
            LeftOut(after_end, after=True),
        ]
        assert await left((date(2026, 11, 30), date(2027, 1, 8))) == [LeftOut(etape, after=False)]
        assert await left((date(2026, 11, 30), date(2026, 12, 4))) == [
            LeftOut(etape, after=False),
            LeftOut(fin, after=True),
            LeftOut(after_end, after=True),
        ]
        assert await left((date(2026, 10, 5), date(2026, 11, 20))) == [
            LeftOut(etape, after=True),
            LeftOut(fin, after=True),
            LeftOut(after_end, after=True),
        ]
        later = (date(2027, 2, 1), date(2027, 6, 4))  # put back by months: all before it
        assert await left(later) == [
            LeftOut(etape, after=False),
            LeftOut(fin, after=False),
            LeftOut(after_end, after=False),
        ]
