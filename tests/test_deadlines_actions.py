"""What a person does with one deadline, called directly: done, postponed, undone, audited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.actions import (
    Limit,
    PostponeRefused,
    complete,
    done_by_name,
    done_just_now,
    mark_done_by_answers,
    postpone_deadline,
    postpone_limit,
    postpone_problem,
    reopen,
    to_do,
    visible_deadline,
)
from bot.deadlines.postponed import MAX_POSTPONE_DAYS
from bot.deadlines.service import refresh_deadlines, refresh_organisation
from bot.storage.audit import AuditEntry
from bot.storage.bilans import BilanParticipant, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Trainee
from bot.storage.people import Organisation, Person
from tests.test_deadlines import bilan, formation, organisation, paris

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.sessions() as s, s.begin():
        yield s


async def normandie(session: AsyncSession) -> tuple[int, dict[str, StoredDeadline]]:
    """A Normandie formation with a remote bilan on Thursday 26 November: its owner, its rows."""
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    await bilan(session, f, paris(2026, 11, 26, 14))
    await refresh_deadlines(session, f.id)
    rows = (
        await session.scalars(select(StoredDeadline).where(StoredDeadline.formation_id == f.id))
    ).all()
    return owner.id, {r.rule_id: r for r in rows}


async def trail(session: AsyncSession) -> list[tuple[str, str, int | None, dict[str, object]]]:
    entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    return [(e.action, e.entity, e.actor_id, e.details) for e in entries]


async def test_complete_keeps_who_and_when_and_audits(session: AsyncSession) -> None:
    actor, rows = await normandie(session)
    docs = rows["NOR-DOCS"]
    done = await complete(session, actor, docs.id, NOW)
    assert done is docs
    assert (docs.status, docs.done_by, docs.done_at, docs.updated_at) == ("done", actor, NOW, NOW)
    details = {"rule_id": "NOR-DOCS", "formation_id": docs.formation_id}
    assert await trail(session) == [("done", "deadline", actor, details)]
    assert (await session.scalar(select(AuditEntry.entity_id))) == docs.id
    assert (await session.scalar(select(AuditEntry.organisation_id))) == docs.organisation_id


async def test_a_deadline_done_already_is_left_as_it_was(session: AsyncSession) -> None:
    """Explorer R R13: two « Fait » on one deadline; the first stays, the second knows."""
    actor, rows = await normandie(session)
    docs = rows["NOR-DOCS"]
    first = await complete(session, actor, docs.id, NOW)
    assert first is not None and done_just_now(first, actor, NOW)
    again = await complete(session, actor + 1, docs.id, datetime(2026, 11, 23, 9, 5, tzinfo=UTC))
    assert again is not None and not done_just_now(again, actor + 1, NOW)
    assert (again.done_by, again.done_at) == (actor, NOW)
    assert [action for action, *_ in await trail(session)] == ["done"]
    assert await done_by_name(session, again)


@pytest.mark.postgres
async def test_two_admins_pressing_done_at_once_on_postgresql(pg_db: Database) -> None:
    """Explorer R R13: both were told « C'est noté »; the journal said both did it."""
    async with pg_db.sessions() as s, s.begin():
        actor, rows = await normandie(s)
        docs_id = rows["NOR-DOCS"].id
    async with pg_db.sessions() as first:
        await first.begin()
        await complete(first, actor, docs_id, NOW)  # locked, not committed yet

        async def second() -> tuple[int | None, bool]:
            async with pg_db.sessions() as s, s.begin():
                row = await complete(s, actor, docs_id, datetime(2026, 11, 23, 9, 1, tzinfo=UTC))
                assert row is not None
                return row.done_by, done_just_now(row, actor, row.done_at or NOW)

        pressing = asyncio.create_task(second())
        await asyncio.sleep(0.3)
        await first.commit()
    done_by, _ = await asyncio.wait_for(pressing, 10)
    assert done_by == actor
    async with pg_db.sessions() as s:
        done = await s.scalars(select(AuditEntry).where(AuditEntry.action == "done"))
        assert len(done.all()) == 1
        stored = await s.get(StoredDeadline, docs_id)
        assert stored is not None and stored.done_at == NOW


async def test_a_deadline_gone_is_none_and_nothing_is_audited(session: AsyncSession) -> None:
    actor, _ = await normandie(session)
    assert await complete(session, actor, 10_000, NOW) is None
    assert await reopen(session, actor, 10_000, NOW) is None
    missing = await postpone_deadline(
        session, actor, 10_000, NOW, to=date(2026, 12, 1), reason="salle", today=TODAY
    )
    assert missing is None
    assert await trail(session) == []


async def test_postpone_keeps_date_and_reason_on_the_deadline_not_in_the_trail(
    session: AsyncSession,
) -> None:
    actor, rows = await normandie(session)
    prep = rows["NOR-PREP"]
    await postpone_deadline(
        session, actor, prep.id, NOW, to=date(2026, 11, 25), reason="groupe en stage", today=TODAY
    )
    assert (prep.status, prep.postponed_to, prep.postpone_reason) == (
        "postponed",
        date(2026, 11, 25),
        "groupe en stage",
    )
    assert (prep.postponed_by, prep.postponed_at, prep.due_on) == (actor, NOW, date(2026, 11, 19))
    assert prep.effective_due == date(2026, 11, 25)
    [(action, entity, who, details)] = await trail(session)
    assert (action, entity, who) == ("postpone", "deadline", actor)
    assert "groupe en stage" not in str(details)


async def test_postpone_refuses_a_fixed_date_a_date_too_early_or_too_far(
    session: AsyncSession,
) -> None:
    actor, rows = await normandie(session)
    docs, prep, proof = rows["NOR-DOCS"], rows["NOR-PREP"], rows["NOR-PROOF"]
    bilan_day = date(2026, 11, 26)
    bound = Limit(bilan_day, "bilan")
    assert await postpone_limit(session, prep) == bound
    assert await postpone_limit(session, proof) is None  # after the bilan: no such bound
    cases = [
        (docs, date(2026, 11, 30), "fixed", None),
        (prep, date(2026, 11, 22), "too_early", bound),  # after the due day, before today
        (prep, date(2026, 11, 19), "too_early", bound),  # not after the due day
        (prep, date(2026, 11, 26), "after_bilan", bound),  # the bilan's own day
        (prep, date(2026, 11, 27), "after_bilan", bound),
        (proof, date(2027, 7, 1), "too_far", None),
    ]
    for row, day, problem, limit in cases:
        assert postpone_problem(row, day, TODAY, limit) == problem
        with pytest.raises(PostponeRefused) as refused:
            await postpone_deadline(
                session, actor, row.id, NOW, to=day, reason="raison", today=TODAY
            )
        assert refused.value.problem == problem
        assert row.status == "open" and row.postponed_to is None
    assert postpone_problem(prep, date(2026, 11, 25), TODAY, bound) is None
    assert MAX_POSTPONE_DAYS == 180
    assert await trail(session) == []


async def bilan_d_etape(
    session: AsyncSession, start: date, end: date
) -> tuple[Person, StoredDeadline]:
    """A Centre-Val de Loire formation from ``start`` to ``end``: its owner and its bilan
    d'étape (CVL-BQ-MID)."""
    org, owner = await organisation(session)
    f = await formation(
        session,
        org,
        owner,
        funder="cvl",
        programme="parcours_metiers",
        mode="esp",
        start_date=start,
        end_date=end,
    )
    await refresh_deadlines(session, f.id)
    mid = await session.scalar(select(StoredDeadline).where(StoredDeadline.rule_id == "CVL-BQ-MID"))
    assert mid is not None
    return owner, mid


async def test_a_bilan_d_etape_moves_no_further_than_the_end_of_its_span(
    session: AsyncSession,
) -> None:
    """Explorer F F10: postponed past the end, it reviewed nothing mid-way."""
    owner, mid = await bilan_d_etape(session, date(2026, 9, 7), date(2027, 1, 29))
    assert mid is not None and mid.postponable
    bound = Limit(date(2027, 1, 30), "end")
    assert await postpone_limit(session, mid) == bound
    assert postpone_problem(mid, date(2027, 1, 29), TODAY, bound) is None
    for day in (date(2027, 1, 30), date(2027, 2, 14)):
        assert postpone_problem(mid, day, TODAY, bound) == "after_end"
        with pytest.raises(PostponeRefused) as refused:
            await postpone_deadline(session, owner.id, mid.id, NOW, to=day, reason="r", today=TODAY)
        assert refused.value.problem == "after_end" and mid.postponed_to is None
    moved = await postpone_deadline(
        session, owner.id, mid.id, NOW, to=date(2027, 1, 29), reason="convenu", today=TODAY
    )
    assert moved is not None and moved.effective_due == date(2027, 1, 29)


async def test_a_bilan_d_etape_takes_the_earlier_date_agreed_with_the_referent(
    session: AsyncSession,
) -> None:
    """Explorer T T7: the date « arrêtée avec le référent territorial » could not be earlier
    than the default mid-way point; « Reporter » only took later days."""
    owner, mid = await bilan_d_etape(session, date(2026, 11, 2), date(2027, 6, 25))
    assert mid is not None and mid.effective_due > date(2026, 12, 15)
    default = mid.effective_due
    assert postpone_problem(mid, date(2026, 12, 15), TODAY) is None  # earlier, agreed
    assert postpone_problem(mid, date(2026, 11, 20), TODAY) == "too_early"  # gone by
    assert postpone_problem(mid, default, TODAY) == "too_early"  # the same day
    moved = await postpone_deadline(
        session, owner.id, mid.id, NOW, to=date(2026, 12, 15), reason="convenu", today=TODAY
    )
    assert moved is not None and moved.effective_due == date(2026, 12, 15)


async def test_reopen_undoes_done_and_a_postponement(session: AsyncSession) -> None:
    actor, rows = await normandie(session)
    visio, prep = rows["NOR-VISIO"], rows["NOR-PREP"]
    await complete(session, actor, visio.id, NOW)
    await postpone_deadline(
        session, actor, prep.id, NOW, to=date(2026, 11, 25), reason="salle prise", today=TODAY
    )
    later = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    await reopen(session, actor, visio.id, later)
    await reopen(session, actor, prep.id, later)
    assert (visio.status, visio.done_at, visio.done_by) == ("open", None, None)
    assert (prep.status, prep.postponed_to, prep.postpone_reason, prep.postponed_by) == (
        "open",
        None,
        None,
        None,
    )
    assert prep.effective_due == date(2026, 11, 19) and prep.updated_at == later
    await reopen(session, actor, prep.id, later)  # already open: nothing to undo
    actions = [(a, d.get("undone")) for a, _, _, d in await trail(session)]
    assert actions == [
        ("done", None),
        ("postpone", None),
        ("reopen", "done"),
        ("reopen", "postponed"),
    ]


async def test_a_deadline_is_visible_only_within_the_formations_given(
    session: AsyncSession,
) -> None:
    _, rows = await normandie(session)
    docs = rows["NOR-DOCS"]
    assert await visible_deadline(session, docs.id, {docs.formation_id}) is docs
    assert await visible_deadline(session, str(docs.id), [docs.formation_id]) is docs
    assert await visible_deadline(session, docs.id, {docs.formation_id + 1}) is None
    for forged in ("d:1", "", None, "1e3", "9" * 30):
        assert await visible_deadline(session, forged, {docs.formation_id}) is None


async def test_the_list_is_read_as_stored_and_leaves_done_ones_out(session: AsyncSession) -> None:
    """Issue 14: the list recomputes nothing; the services that change the facts do."""
    actor, rows = await normandie(session)
    docs, visio = rows["NOR-DOCS"], rows["NOR-VISIO"]
    stored_due = docs.due_at
    await complete(session, actor, visio.id, NOW)
    organisation_row = await session.get(Organisation, docs.organisation_id)
    assert organisation_row is not None
    organisation_row.settings = {"nor_docs_hours_before": 72}  # written past the services
    listed = await to_do(session, [docs.formation_id], NOW)
    assert visio not in listed and docs in listed
    assert docs.due_at == stored_due != datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert [r.effective_due for r in listed] == sorted(r.effective_due for r in listed)
    assert await to_do(session, [], NOW) == []
    await refresh_organisation(session, docs.organisation_id)  # what /reglages calls
    assert docs.due_at == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


async def test_what_booking_answered_is_done_and_audited(session: AsyncSession) -> None:
    """Issue 11 item 15: a visio with a password that manages who speaks, delegates only."""
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    delegate = Trainee(formation_id=f.id, full_name="Léa Martin", name_key="lea", is_delegate=True)
    other = Trainee(formation_id=f.id, full_name="Karim Benali", name_key="karim")
    session.add_all([delegate, other])
    await session.flush()
    checked = await bilan(session, f, paris(2026, 11, 26, 14))
    checked.visio_url = "https://visio.example.org/b"
    checked.visio_password_required = checked.visio_manages_speakers = True
    checked.participants.append(
        BilanParticipant(kind="delegate", trainee_id=delegate.id, name="Léa Martin")
    )
    unchecked = await bilan(session, f, paris(2026, 12, 10, 14))
    unchecked.visio_url = "https://visio.example.org/c"
    unchecked.visio_password_required, unchecked.visio_manages_speakers = True, False
    unchecked.participants.append(
        BilanParticipant(kind="delegate", trainee_id=delegate.id, name="Léa Martin")
    )
    unchecked.participants.append(
        BilanParticipant(kind="trainee", trainee_id=other.id, name="Karim Benali")
    )
    await session.flush()
    await refresh_deadlines(session, f.id)
    marked = await mark_done_by_answers(session, checked.id, owner.id, NOW)
    assert sorted(r.rule_id for r in marked) == ["NOR-DELEGATES", "NOR-VISIO"]
    assert all((r.status, r.done_by, r.done_at) == ("done", owner.id, NOW) for r in marked)
    assert await mark_done_by_answers(session, unchecked.id, owner.id, NOW) == []
    assert await mark_done_by_answers(session, checked.id, owner.id, NOW) == []  # once
    assert [(a, d.get("by")) for a, _, _, d in await trail(session)] == [
        ("done", "reponse"),
        ("done", "reponse"),
    ]
