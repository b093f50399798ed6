"""The rules wired to the database: rows in, stored deadlines out, every rule id.

The rules' pure function is tested against the seeds in ``test_rules.py``;
here the same worked examples go end to end through SQL: formations,
sessions, trainees and bilans are stored, :func:`refresh_deadlines` runs,
and the ``deadlines`` table is read back.  Moving a bilan moves its
deadlines and keeps what was done; a cancelled bilan drops what was not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines import facts as deadlines_facts
from bot.deadlines.service import group_of, refresh_deadlines, refresh_organisation
from bot.rules import FollowUpFacts
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, FormationSession, Trainee
from bot.storage.people import Organisation, Person
from tests.auxil.dialogue import Person as Speaker

PARIS = ZoneInfo("Europe/Paris")


def paris(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=PARIS)


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.sessions() as s, s.begin():
        yield s


async def organisation(session: AsyncSession, **settings: object) -> tuple[Organisation, Person]:
    org = Organisation(name="OF test", timezone="Europe/Paris", settings=dict(settings))
    owner = Person(display_name="Formatrice")
    session.add_all([org, owner])
    await session.flush()
    return org, owner


async def formation(
    session: AsyncSession, org: Organisation, owner: Person, **fields: object
) -> Formation:
    values: dict[str, object] = {
        "title": "Formation",
        "funder": "normandie",
        "mode": "dates",
        "kind": "formation",
        "start_date": date(2026, 9, 1),
        "end_date": date(2026, 11, 27),
    }
    values.update(fields)
    f = Formation(organisation_id=org.id, owner_id=owner.id, trainees=[], sessions=[], **values)
    session.add(f)
    await session.flush()
    return f


BOOKED = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
"""When :func:`bilan` books its bilan: NOR-VISIO and NOR-DELEGATES are due that day."""


async def bilan(
    session: AsyncSession, f: Formation, start: datetime, *, remote: bool = True, hours: int = 2
) -> Bilan:
    b = Bilan(
        organisation_id=f.organisation_id,
        formation_id=f.id,
        kind="fin",
        owed_key="fin",
        remote=remote,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        participants=[],
        created_at=BOOKED,
    )
    session.add(b)
    await session.flush()
    return b


async def stored(session: AsyncSession, formation_id: int) -> dict[str, StoredDeadline]:
    rows = (
        await session.scalars(
            select(StoredDeadline).where(StoredDeadline.formation_id == formation_id)
        )
    ).all()
    return {r.key: r for r in rows}


def due(rows: dict[str, StoredDeadline]) -> dict[str, date]:
    return {key: row.due_on for key, row in rows.items()}


# --- Région Normandie -------------------------------------------------------------------


async def test_normandie_remote_bilan_gives_every_nor_deadline(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(session, org, owner, cm_name="Mme Sophie Leroy")
    b = await bilan(session, f, paris(2026, 11, 26, 14))  # Thursday 26 November 2026, 14:00
    await refresh_deadlines(session, f.id)
    rows = await stored(session, f.id)
    k = f":bilan:{b.id}"
    assert due(rows) == {
        "NOR-PREP" + k: date(2026, 11, 19),
        "NOR-GUIDES" + k: date(2026, 11, 19),
        "NOR-DOCS" + k: date(2026, 11, 24),
        "NOR-VISIO" + k: date(2026, 11, 16),  # « at scheduling »: the day it was booked
        "NOR-DELEGATES" + k: date(2026, 11, 16),
        "NOR-PROOF" + k: date(2026, 12, 3),
    }
    docs = rows["NOR-DOCS" + k]
    # Tuesday 24 November, 14:00 Paris (13:00 UTC): 48 h before, stored in UTC.
    assert docs.due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    assert docs.due_at.astimezone(PARIS) == paris(2026, 11, 24, 14)
    assert not docs.postponable and docs.status == "open"
    assert "Mme Sophie Leroy" in docs.explanation
    assert docs.source == "fiche procédure bilan à distance, Région Normandie, §I"
    assert rows["NOR-PREP" + k].postponable
    assert {r.subject for r in rows.values()} == {"bilan"}
    assert {r.audience for r in rows.values()} == {"formateur", "organisation"}


async def test_nor_docs_across_the_autumn_clock_change(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    b = await bilan(session, f, paris(2026, 10, 27, 10))  # Tuesday 27 October 2026, CET
    await refresh_deadlines(session, f.id)
    docs = (await stored(session, f.id))[f"NOR-DOCS:bilan:{b.id}"]
    # Sunday 25 October, 10:00 Paris: the clocks went back that night (CEST → CET).
    assert docs.due_at is not None
    assert docs.due_at.astimezone(PARIS) == paris(2026, 10, 25, 10)
    assert docs.due_at == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
    assert docs.due_on == date(2026, 10, 25)


async def test_on_site_bilan_owes_only_its_proofs(session: AsyncSession) -> None:
    """None of the remote procedure; §III's feuille d'émargement, a week after by default."""
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    await bilan(session, f, paris(2026, 11, 26, 14), remote=False)
    await refresh_deadlines(session, f.id)
    found = await stored(session, f.id)
    assert list(found) == ["NOR-PROOF:bilan:1"]
    assert found["NOR-PROOF:bilan:1"].due_on == date(2026, 12, 3)


async def test_moving_a_bilan_moves_its_deadlines_and_keeps_done_marks(
    session: AsyncSession,
) -> None:
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    b = await bilan(session, f, paris(2026, 11, 26, 14))
    await refresh_deadlines(session, f.id)
    rows = await stored(session, f.id)
    prep = rows[f"NOR-PREP:bilan:{b.id}"]
    done_at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    prep.status, prep.done_at, prep.done_by = "done", done_at, owner.id
    guides = rows[f"NOR-GUIDES:bilan:{b.id}"]
    guides.status, guides.postponed_to, guides.postpone_reason = (
        "postponed",
        date(2026, 11, 21),
        "x",
    )
    ids = {key: row.id for key, row in rows.items()}

    b.starts_at, b.ends_at = paris(2026, 12, 3, 14), paris(2026, 12, 3, 16)
    result = await refresh_deadlines(session, f.id)
    rows = await stored(session, f.id)
    assert {key: row.id for key, row in rows.items()} == ids  # same rows, same keys
    assert rows[f"NOR-DOCS:bilan:{b.id}"].due_at == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert rows[f"NOR-PROOF:bilan:{b.id}"].due_on == date(2026, 12, 10)
    prep = rows[f"NOR-PREP:bilan:{b.id}"]
    assert prep.due_on == date(2026, 11, 26)
    assert (prep.status, prep.done_at, prep.done_by) == ("done", done_at, owner.id)
    # Postponed to a day before its new date: open again at that date, the report told why
    # and from which day (explorer QC1).
    guides = rows[f"NOR-GUIDES:bilan:{b.id}"]
    assert (guides.status, guides.postponed_to, guides.due_on) == ("open", None, date(2026, 11, 26))
    [told] = [m for m in result.moved if m.row is guides]
    assert (told.postponed_to, told.lost) == (date(2026, 11, 21), "later")
    # The four counted from the bilan move; the two due at booking (NOR-VISIO, NOR-DELEGATES) stay.
    assert len(result.moved) == 4 and not result.added and not result.removed

    b.cancelled_at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    result = await refresh_deadlines(session, f.id)
    rows = await stored(session, f.id)
    assert list(rows) == [f"NOR-PREP:bilan:{b.id}"]  # done: kept as history
    assert len(result.removed) == 5


async def test_a_postponement_still_later_and_before_the_bilan_survives_its_move(
    session: AsyncSession,
) -> None:
    """Explorer QC1: a move of the bilan dropped the day the trainer had chosen although it
    still came before the new bilan (and, after it, the proofs' day still after their due)."""
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    b = await bilan(session, f, paris(2026, 12, 10, 14))
    await refresh_deadlines(session, f.id)
    rows = await stored(session, f.id)
    for key, to in (("NOR-PREP", date(2026, 12, 7)), ("NOR-PROOF", date(2026, 12, 22))):
        rows[f"{key}:bilan:{b.id}"].status = "postponed"
        rows[f"{key}:bilan:{b.id}"].postponed_to = to
    b.starts_at, b.ends_at = paris(2026, 12, 9, 10), paris(2026, 12, 9, 12)
    result = await refresh_deadlines(session, f.id)
    rows = await stored(session, f.id)
    prep, proof = rows[f"NOR-PREP:bilan:{b.id}"], rows[f"NOR-PROOF:bilan:{b.id}"]
    assert (prep.status, prep.postponed_to, prep.due_on) == (
        "postponed",
        date(2026, 12, 7),
        date(2026, 12, 2),
    )
    assert (proof.status, proof.postponed_to) == ("postponed", date(2026, 12, 22))
    assert {(m.row.rule_id, m.lost) for m in result.moved if m.postponed_to} == {
        ("NOR-PREP", None),
        ("NOR-PROOF", None),
    }
    b.starts_at, b.ends_at = paris(2026, 12, 7, 14), paris(2026, 12, 7, 16)  # on her day
    result = await refresh_deadlines(session, f.id)
    prep = (await stored(session, f.id))[f"NOR-PREP:bilan:{b.id}"]
    assert (prep.status, prep.postponed_to) == ("open", None)
    assert [m.lost for m in result.moved if m.row is prep] == ["bilan"]


# --- Région Centre-Val de Loire -------------------------------------------------------


async def test_cvl_bilan_qualitatif_one_month_after_the_end(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(
        session,
        org,
        owner,
        funder="cvl",
        programme="visa",
        action_type="projet_pro",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 15),
    )
    await refresh_deadlines(session, f.id)
    assert due(await stored(session, f.id)) == {f"CVL-BQ-END:formation:{f.id}": date(2027, 7, 15)}


async def test_esp_projet_pro_owes_an_etape_and_a_fin(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(
        session,
        org,
        owner,
        funder="cvl",
        programme="visa",
        action_type="projet_pro",
        mode="esp",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 15),
    )
    await refresh_deadlines(session, f.id)
    assert due(await stored(session, f.id)) == {
        f"CVL-BQ-MID:formation:{f.id}": date(2027, 3, 26),  # mid-way: 4 Jan + 81 days
        f"CVL-BQ-END:formation:{f.id}": date(2027, 7, 15),
    }


async def test_premiers_gestes_with_three_sessions_owes_three_fins(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(
        session,
        org,
        owner,
        funder="cvl",
        programme="visa",
        action_type="premiers_gestes",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 30),
    )
    spans = [
        (date(2027, 1, 4), date(2027, 2, 26)),
        (date(2027, 3, 1), date(2027, 4, 30)),
        (date(2027, 5, 3), date(2027, 6, 30)),
    ]
    for number, (start, end) in enumerate(spans, start=1):
        f.sessions.append(
            FormationSession(label=f"Session {number}", start_date=start, end_date=end)
        )
    await session.flush()
    await refresh_deadlines(session, f.id)
    ids = [s.id for s in f.sessions]
    assert due(await stored(session, f.id)) == {
        f"CVL-BQ-END:formation:{f.id}:session:{ids[0]}": date(2027, 3, 26),
        f"CVL-BQ-END:formation:{f.id}:session:{ids[1]}": date(2027, 5, 30),
        f"CVL-BQ-END:formation:{f.id}:session:{ids[2]}": date(2027, 7, 30),
    }


async def test_an_extension_moves_the_final_bilan(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(
        session,
        org,
        owner,
        funder="cvl",
        programme="visa",
        action_type="projet_pro",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 15),
    )
    await refresh_deadlines(session, f.id)
    row = (await stored(session, f.id))[f"CVL-BQ-END:formation:{f.id}"]
    f.extended_end = date(2027, 9, 10)  # bon de commande supplémentaire
    result = await refresh_deadlines(session, f.id)
    again = (await stored(session, f.id))[f"CVL-BQ-END:formation:{f.id}"]
    assert again.id == row.id and again.due_on == date(2027, 10, 10)
    assert [m.old_due_on for m in result.moved] == [date(2027, 7, 15)]


async def cvl_parcours_metiers(session: AsyncSession, **settings: object) -> Formation:
    org, owner = await organisation(session, **settings)
    f = await formation(
        session,
        org,
        owner,
        funder="cvl",
        programme="parcours_metiers",
        action_type="projet_pro",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 15),
    )
    f.trainees.append(
        Trainee(
            full_name="Nadia Roux",
            name_key="nadia roux",
            entered_on=date(2027, 1, 11),
            left_on=date(2027, 5, 28),
        )
    )
    await session.flush()
    return f


async def test_cvl_table_is_off_for_parcours_metiers_and_eos_follows_each_trainee(
    session: AsyncSession,
) -> None:
    f = await cvl_parcours_metiers(session)
    await refresh_deadlines(session, f.id)
    trainee = f.trainees[0].id
    assert due(await stored(session, f.id)) == {
        f"CVL-BQ-END:formation:{f.id}": date(2027, 7, 15),
        f"CVL-EOS-ENTRY:trainee:{trainee}": date(2027, 1, 11),
        f"CVL-EOS-EXIT:trainee:{trainee}": date(2027, 5, 28),
    }


async def test_cvl_table_on_when_the_organisation_switches_it_on(session: AsyncSession) -> None:
    f = await cvl_parcours_metiers(session)
    await refresh_deadlines(session, f.id)
    org = await session.get(Organisation, f.organisation_id)
    assert org is not None
    org.settings = {"cvl_table_parcours_metiers": True}
    result = await refresh_organisation(session, org.id)
    rows = await stored(session, f.id)
    table = rows[f"CVL-TABLE:formation:{f.id}"]  # one per session; this one has none
    assert table.due_on == date(2027, 1, 14)  # 10 days after the group's entry (start), 002 §1
    assert [r.key for r in result.added] == [table.key]
    org.settings = {}
    await refresh_organisation(session, org.id)
    assert table.key not in await stored(session, f.id)


# --- Rectorat ---------------------------------------------------------------------------


async def test_rectorat_contract_before_the_start_and_activity_after_the_end(
    session: AsyncSession,
) -> None:
    org, owner = await organisation(session)
    f = await formation(
        session,
        org,
        owner,
        funder="rectorat",
        remote_coaching=True,
        start_date=date(2027, 3, 1),
        end_date=date(2027, 5, 28),
    )
    await refresh_deadlines(session, f.id)
    assert due(await stored(session, f.id)) == {
        f"REC-CONTRACT:formation:{f.id}": date(2027, 2, 28),
        f"REC-ACTIVITY:formation:{f.id}": date(2027, 6, 12),
    }


# --- follow-ups from the absences feature --------------------------------------------


async def test_follow_ups_turn_into_their_ely_deadlines(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    org, owner = await organisation(session)
    f = await formation(session, org, owner, funder="autre")
    f.trainees.append(Trainee(full_name="Léa Martin", name_key="lea martin"))
    await session.flush()
    trainee = f.trainees[0].id
    opened = paris(2027, 2, 1, 9)

    def followup_facts(s: AsyncSession, formation_id: int) -> list[FollowUpFacts]:
        assert formation_id == f.id
        return [
            FollowUpFacts(id=1, trainee_id=trainee, path="short", opened_at=opened),
            FollowUpFacts(
                id=2,
                trainee_id=trainee,
                path="long",
                opened_at=opened,
                entretien_at=paris(2027, 2, 4, 10),
            ),
            FollowUpFacts(
                id=3, trainee_id=trainee, path="bilan_comp", opened_at=opened, cause="sick_leave"
            ),
            FollowUpFacts(id=4, trainee_id=trainee, path="bilan_comp", opened_at=opened),
            FollowUpFacts(id=5, trainee_id=trainee, path="vae", opened_at=opened),
        ]

    async def stored_followups(s: AsyncSession, formation_id: int) -> list[FollowUpFacts]:
        return followup_facts(s, formation_id)

    monkeypatch.setattr(deadlines_facts, "followup_facts", stored_followups)
    await refresh_deadlines(session, f.id)
    assert due(await stored(session, f.id)) == {
        "ELY-SHORT-CONTACT:followup:1": date(2027, 2, 2),
        "ELY-SHORT-TICKET:followup:1": date(2027, 2, 15),
        "ELY-LONG-ENTRETIEN:followup:2": date(2027, 2, 8),
        "ELY-LONG-COMPTE-RENDU:followup:2": date(2027, 2, 7),
        "ELY-LONG-TICKET:followup:2": date(2027, 2, 15),
        "ELY-BILAN-COMP-SOLUTION:followup:3": date(2027, 2, 8),
        "ELY-BILAN-DIFF-REGARD-CROISE:followup:4": date(2027, 2, 15),
        "ELY-BILAN-DIFF-TICKET:followup:4": date(2027, 2, 15),
        "ELY-VAE-LIVRET:followup:5": date(2027, 2, 8),
        "ELY-VAE-TICKET:followup:5": date(2027, 2, 15),
    }


# --- robustness ---------------------------------------------------------------------------


async def test_codes_the_rules_do_not_know_and_bad_settings_do_not_block(
    session: AsyncSession,
) -> None:
    org, owner = await organisation(session, nor_docs_hours_before=12, cvl_bq_end_months="x")
    f = await formation(
        session,
        org,
        owner,
        funder="cvl",
        programme="autre",
        action_type="autre",  # "Autre type d'action" in /formation: no action type for the rules
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 15),
    )
    b = await bilan(session, await formation(session, org, owner), paris(2026, 11, 26, 14))
    await refresh_organisation(session, org.id)
    assert due(await stored(session, f.id)) == {f"CVL-BQ-END:formation:{f.id}": date(2027, 7, 15)}
    docs = (await stored(session, b.formation_id))[f"NOR-DOCS:bilan:{b.id}"]
    assert docs.due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 12 h refused: 48 h


async def test_settings_move_deadlines_on_refresh(session: AsyncSession) -> None:
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    b = await bilan(session, f, paris(2026, 11, 26, 14))
    await refresh_deadlines(session, f.id)
    org.settings = {"nor_docs_hours_before": 72, "nor_proof_days_after": 14}
    result = await refresh_organisation(session, org.id)
    rows = await stored(session, f.id)
    assert rows[f"NOR-DOCS:bilan:{b.id}"].due_at == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert rows[f"NOR-PROOF:bilan:{b.id}"].due_on == date(2026, 12, 10)
    assert len(result.moved) == 2


async def test_a_deadline_this_week_has_the_digest_look_again(session: AsyncSession) -> None:
    """A bilan scheduled at short notice, after the digest hour: the organisation's digest is
    looked at again at the next tick (``digest_next_at`` cleared); one far off changes nothing."""
    org, owner = await organisation(session)
    later = datetime(2027, 1, 1, 7, 0, tzinfo=UTC)
    org.digest_next_at = later
    f = await formation(
        session, org, owner, start_date=date(2026, 9, 1), end_date=date(2027, 12, 17)
    )
    far = datetime.now(UTC).replace(microsecond=0) + timedelta(days=300)
    # On site: nothing due at booking (a remote one owes its visio check that very day).
    await bilan(session, f, far, remote=False)
    await refresh_deadlines(session, f.id)
    await session.refresh(org)
    assert org.digest_next_at == later
    await bilan(session, f, far - timedelta(days=297))
    await refresh_deadlines(session, f.id)
    await session.refresh(org)
    assert org.digest_next_at is None


# --- the hooks in /formations ---------------------------------------------------------


async def test_editing_a_formation_s_dates_by_chat_recomputes_its_deadlines(
    db: Database, trainer: Speaker
) -> None:
    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Modifier les dates")
    await trainer.says("du 1er octobre 2026 au 30 avril 2027")
    await trainer.presses("Oui")
    assert "Nouvelles dates" in trainer.all_text
    async with db.sessions() as s:
        f = await s.scalar(
            select(Formation).where(Formation.title == "Projet professionnel (démo)")
        )
        assert f is not None
        rows = await stored(s, f.id)
    assert rows[f"CVL-BQ-END:formation:{f.id}"].due_on == date(2027, 5, 30)
    assert rows[f"CVL-BQ-MID:formation:{f.id}"].due_on == date(2027, 1, 14)

    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Paul Henry")
    async with db.sessions() as s:
        paul = await s.scalar(select(Trainee).where(Trainee.full_name == "Paul Henry"))
        assert paul is not None
        rows = await stored(s, f.id)
    assert rows[f"CVL-EOS-ENTRY:trainee:{paul.id}"].due_on == date(2026, 11, 23)

    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Paul Henry")
    await trainer.presses("Oui, retirer")
    async with db.sessions() as s:
        assert f"CVL-EOS-ENTRY:trainee:{paul.id}" not in await stored(s, f.id)


async def test_pre_bilan_items_close_once_the_bilan_begins_and_reopen_if_it_moves(
    session: AsyncSession,
) -> None:
    """Issue 11 item 16, in the service: closed with ``now``, never without it."""
    org, owner = await organisation(session)
    f = await formation(session, org, owner)
    b = await bilan(session, f, paris(2026, 11, 26, 14))
    await refresh_deadlines(session, f.id)  # no clock: nothing closed
    assert {r.status for r in (await stored(session, f.id)).values()} == {"open"}
    after = paris(2026, 11, 26, 15)
    result = await refresh_deadlines(session, f.id, after)
    rows = {r.rule_id: r for r in (await stored(session, f.id)).values()}
    assert sorted(r.rule_id for r in result.missed) == [
        "NOR-DELEGATES",
        "NOR-DOCS",
        "NOR-GUIDES",
        "NOR-PREP",
        "NOR-VISIO",
    ]
    assert rows["NOR-PREP"].status == "missed" and rows["NOR-PROOF"].status == "open"
    b.starts_at, b.ends_at = paris(2026, 12, 10, 14), paris(2026, 12, 10, 16)
    await refresh_deadlines(session, f.id, after)  # moved later: to do again, at new dates
    assert rows["NOR-PREP"].status == "open" and rows["NOR-PREP"].due_on == date(2026, 12, 3)


def test_the_week_group_reaches_the_same_weekday_next_week() -> None:
    """« Dans les 7 jours »: a deadline a week from today is in it, the day after is not."""
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a Wednesday

    def group(day: date) -> str:
        return group_of(StoredDeadline(due_on=day, status="open"), now)

    assert group(date(2026, 12, 1)) == "overdue"
    assert group(date(2026, 12, 2)) == "week"
    assert group(date(2026, 12, 9)) == "week"  # next Wednesday
    assert group(date(2026, 12, 10)) == "later"


def test_a_day_off_counts_in_the_week_from_the_working_day_before() -> None:
    """Explorer K: a ticket due on Friday 1 January, shown « 31/12 », was « plus tard » (and
    out of the digest) until a day later than a deadline of the 31st."""
    now = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)  # a Thursday

    def group(day: date, status: str = "open") -> str:
        postponed = day if status == "postponed" else None
        return group_of(StoredDeadline(due_on=day, status=status, postponed_to=postponed), now)

    assert group(date(2026, 12, 31)) == "week"
    assert group(date(2027, 1, 1)) == "week"  # to do on Thursday the 31st
    assert group(date(2027, 1, 2)) == "week"  # a Saturday: the same Thursday
    assert group(date(2027, 1, 2), "postponed") == "later"  # chosen on purpose: its own day
