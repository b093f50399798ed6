"""What tells a deadline apart, and the entries of one formation on one line (item 17)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines import lines
from bot.deadlines.lines import bundle, concerned
from bot.deadlines.service import refresh_deadlines
from bot.storage.absences import FollowUp
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import FormationSession, Trainee
from tests.auxil.statements import counting
from tests.test_deadlines import bilan, formation, organisation, paris

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.sessions() as s, s.begin():
        yield s


async def rows_of(session: AsyncSession, formation_id: int) -> list[StoredDeadline]:
    found = await session.scalars(
        select(StoredDeadline)
        .where(StoredDeadline.formation_id == formation_id)
        .order_by(StoredDeadline.due_on, StoredDeadline.key)
    )
    return list(found.all())


async def eos_entries(session: AsyncSession, names: list[str]) -> list[StoredDeadline]:
    """The EOS entries of a Visa formation whose trainees are ``names``, entered 1 Sept."""
    org, owner = await organisation(session)
    f = await formation(session, org, owner, funder="cvl", programme="visa", mode="esp")
    for name in names:
        f.trainees.append(
            Trainee(full_name=name, name_key=name.lower(), entered_on=date(2026, 9, 1))
        )
    await session.flush()
    await refresh_deadlines(session, f.id)
    return [r for r in await rows_of(session, f.id) if r.key.startswith("CVL-EOS-ENTRY:")]


async def test_cvl_bilans_name_their_composante(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(
        session,
        org,
        owner,
        funder="cvl",
        programme="parcours_metiers",
        action_type="metiers",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 15),
    )
    f.sessions.append(
        FormationSession(
            label="Cariste",
            composante="Cariste",
            start_date=date(2027, 1, 4),
            end_date=date(2027, 3, 26),
        )
    )
    f.sessions.append(
        FormationSession(
            label="Magasinier",
            composante="Magasinier",
            start_date=date(2027, 4, 5),
            end_date=date(2027, 6, 15),
        )
    )
    await session.flush()
    await refresh_deadlines(session, f.id)
    rows = await rows_of(session, f.id)
    ends = [r for r in rows if r.rule_id == "CVL-BQ-END"]
    assert len(ends) == 2 and ends[0].title == ends[1].title
    who = await concerned(session, ends)
    assert [who[r.id] for r in ends] == [
        "la composante « Cariste »",
        "la composante « Magasinier »",
    ]
    lines = bundle(ends, who, NOW)
    assert [line.who for line in lines] == list(who.values())  # two lines, told apart


async def test_trainees_and_follow_ups_are_named_when_shown_not_stored(
    session: AsyncSession,
) -> None:
    org, owner = await organisation(session)
    f = await formation(session, org, owner, funder="cvl", programme="visa", mode="esp")
    names = ["Nadia Roux", "Thomas Fabre", "Inès Garnier", "Émile Abadie"]
    for name in names:
        f.trainees.append(
            Trainee(full_name=name, name_key=name.lower(), entered_on=date(2026, 9, 1))
        )
    await session.flush()
    lonely = Trainee(
        formation_id=f.id, full_name="Zoé Lambert", name_key="zoe", entered_on=date(2026, 11, 20)
    )
    session.add(lonely)
    await session.flush()
    session.add(
        FollowUp(
            organisation_id=org.id,
            formation_id=f.id,
            trainee_id=lonely.id,
            path="short",
            procedure_applies=True,
            opened_by=owner.id,
            opened_at=NOW,
        )
    )
    await session.flush()
    await refresh_deadlines(session, f.id)
    rows = await rows_of(session, f.id)
    assert all(r.detail is None for r in rows if r.subject in ("trainee", "followup"))
    who = await concerned(session, rows)
    contact = next(r for r in rows if r.rule_id == "ELY-SHORT" and "CONTACT" in r.key)
    assert who[contact.id] == "Zoé Lambert"
    entries = [r for r in rows if r.key.startswith("CVL-EOS-ENTRY:")]
    assert {who[r.id] for r in entries} == {*names, "Zoé Lambert"}

    lines = bundle(entries, who, datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    # Four entries of 1 September, overdue, together; Zoé's (20 November) too: same group.
    [together] = lines
    assert together.title == "5 entrées à saisir dans EOS" and together.several
    # By day, then by surname: Zoé's entry, later, last (explorers Y and AA).
    assert together.who == "Émile Abadie, Thomas Fabre, Inès Garnier, Nadia Roux, Zoé Lambert"
    # Before Zoé's entry is due, hers is a line of its own.
    early = bundle(entries, who, datetime(2026, 11, 15, 9, 0, tzinfo=UTC))
    assert [(line.title, line.who) for line in early] == [
        ("4 entrées à saisir dans EOS", "Émile Abadie, Thomas Fabre, Inès Garnier, Nadia Roux"),
        ("Saisir l'entrée dans EOS", "Zoé Lambert"),
    ]


async def test_many_trainees_are_named_a_slice_of_ids_per_query(
    session: AsyncSession, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest hour names the trainees of 25 organisations at once: the ids go in slices
    (PostgreSQL refuses a statement of more than 32,767 parameters)."""
    monkeypatch.setattr(lines, "SLICE", 2)
    names = ["Nadia Roux", "Thomas Fabre", "Inès Garnier", "Émile Abadie", "Zoé Lambert"]
    entries = await eos_entries(session, names)
    with counting(db) as sent:
        who = await concerned(session, entries)
    assert sorted(who[r.id] for r in entries) == sorted(names)
    assert len([s for s in sent if s.startswith("SELECT trainees")]) == 3  # 2 + 2 + 1 ids


async def test_a_big_bundle_is_named_briefly_in_a_chat_and_whole_in_an_export(
    session: AsyncSession,
) -> None:
    """Explorer H H7, H8: 1,614 entries named one by one made the digest eight messages."""
    entries = await eos_entries(session, [f"Prénom{n:04d} Nom{n:04d}" for n in range(1, 1008)])
    [line] = bundle(entries, await concerned(session, entries), NOW)
    assert line.title == "1007 entrées à saisir dans EOS"
    assert line.who.count(",") == 1006  # whole, for the export
    assert line.briefly() == (
        "Prénom0001 Nom0001, Prénom0002 Nom0002, Prénom0003 Nom0003, Prénom0004 Nom0004, "
        "Prénom0005 Nom0005 et 1\u202f002 autres"
    )
    assert line.briefly(2000) == line.who
    [alone] = bundle(entries[:1], await concerned(session, entries[:1]), NOW)
    assert alone.briefly() == alone.who == "Prénom0001 Nom0001"


async def test_a_bilans_items_name_their_bilan(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    await bilan(session, f, paris(2026, 11, 26, 14))
    await refresh_deadlines(session, f.id)
    rows = await rows_of(session, f.id)
    assert {r.detail for r in rows} == {"bilan de fin du 26/11"}
