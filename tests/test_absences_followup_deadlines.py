"""A follow-up's deadlines (:mod:`bot.absences.followup_deadlines`): keys, steps, what is
left, marking done, settling on closing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences import followup_deadlines as fd
from bot.deadlines.service import refresh_deadlines
from bot.deadlines.settled import settled_among
from bot.storage.absences import FollowUp
from bot.storage.db import Database
from tests.test_absences_records import NOW, setup


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.sessions() as s, s.begin():
        yield s


async def followup(session: AsyncSession, **where: object) -> tuple[FollowUp, int]:
    org, camille, formation, trainee = await setup(session, **where)  # type: ignore[arg-type]
    path = {"vae": "vae"}.get(str(where.get("kind")), "long" if where.get("long") else "short")
    f = FollowUp(
        organisation_id=org.id,
        formation_id=formation.id,
        trainee_id=trainee.id,
        path=path,
        procedure_applies=True,
        opened_by=camille.id,
        opened_at=NOW,
    )
    session.add(f)
    await session.flush()
    return f, camille.id


async def test_keys_and_steps_are_the_rules_own(session: AsyncSession) -> None:
    f, _ = await followup(session, long=True)
    assert fd.milestones_of(f) == ("ENTRETIEN", "COMPTE-RENDU", "TICKET")
    assert fd.deadline_key(f, "ENTRETIEN") == f"ELY-LONG-ENTRETIEN:followup:{f.id}"
    await refresh_deadlines(session, f.formation_id)
    rows = await fd.deadlines_of(session, f)
    assert [(r.key, fd.milestone_of(r)) for r in rows] == [
        (f"ELY-LONG-ENTRETIEN:followup:{f.id}", "ENTRETIEN"),
        (f"ELY-LONG-TICKET:followup:{f.id}", "TICKET"),
    ]


async def test_complete_creates_the_rows_it_needs_and_ignores_other_paths(
    session: AsyncSession,
) -> None:
    f, camille = await followup(session)  # never refreshed: complete refreshes first
    marked = await fd.complete(session, f, ["CONTACT", "LIVRET", "ENTRETIEN"], camille, NOW)
    assert [(r.key, r.status, r.done_at, r.done_by) for r in marked] == [
        (f"ELY-SHORT-CONTACT:followup:{f.id}", "done", NOW, camille)
    ]
    assert [fd.milestone_of(r) for r in await fd.left(session, f)] == ["TICKET"]
    again = await fd.complete(session, f, ["CONTACT"], camille, NOW + timedelta(days=1))
    assert again == []  # done stays done, with its first who and when
    await refresh_deadlines(session, f.formation_id)
    [contact] = [r for r in await fd.deadlines_of(session, f) if r.is_done]
    assert contact.done_at == NOW


async def test_settle_keeps_every_deadline_done_once_closed(session: AsyncSession) -> None:
    f, camille = await followup(session, kind="vae")
    closing = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    settled = await fd.settle(session, f, camille, closing)
    assert sorted(fd.milestone_of(r) for r in settled) == ["LIVRET", "TICKET"]
    f.closed_at = closing
    await session.flush()
    await refresh_deadlines(session, f.formation_id)  # closed: its facts are gone
    rows = await fd.deadlines_of(session, f)
    assert [(fd.milestone_of(r), r.status, r.done_at) for r in rows] == [
        ("LIVRET", "done", closing),
        ("TICKET", "done", closing),
    ]
    assert await fd.left(session, f) == []


async def test_a_step_done_at_the_closing_s_instant_is_held_not_settled(
    session: AsyncSession,
) -> None:
    """Explorer CF6: the livret noted, then the follow-up closed at the same instant (the
    frozen clock): the livret was read « non tenue, close avec le suivi »."""
    f, camille = await followup(session, kind="vae")
    await fd.complete(session, f, ["LIVRET"], camille, NOW)
    closing = await fd.closing_moment(session, f, NOW)
    await fd.settle(session, f, camille, closing)
    f.closed_at = closing
    await session.flush()
    rows = await fd.deadlines_of(session, f)
    closed_with = await settled_among(session, rows)
    assert {fd.milestone_of(r): r.id in closed_with for r in rows} == {
        "LIVRET": False,
        "TICKET": False,  # what closes it: never settled
    }
    assert closing - NOW == timedelta(microseconds=1)  # nothing moved as anyone reads it


async def test_nothing_when_the_procedure_does_not_apply(session: AsyncSession) -> None:
    f, camille = await followup(session)
    f.procedure_applies = False
    assert await fd.complete(session, f, ["CONTACT"], camille, NOW) == []
    assert await fd.settle(session, f, camille, NOW) == []
