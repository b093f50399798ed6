"""Correcting and deleting formations without a dialogue: what is stored, audited, recomputed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.formations import edit
from bot.formations.queries import visible_formations
from bot.formations.service import NewSession, NewTrainee
from bot.formations.sessions import by_session
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import ERASED_NAME, Formation, Trainee
from tests.auxil.formations import Cast, a_formation, cast

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


async def audit_of(session: AsyncSession, formation_id: int) -> list[tuple[str, dict[str, object]]]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "formation", AuditEntry.entity_id == formation_id)
        .order_by(AuditEntry.id)
    )
    return [(r.action, r.details) for r in rows]


async def open_rules(session: AsyncSession, formation_id: int) -> set[str]:
    rows = await session.scalars(
        select(StoredDeadline).where(
            StoredDeadline.formation_id == formation_id, StoredDeadline.status != "done"
        )
    )
    return {r.rule_id for r in rows}


async def test_a_correction_stores_audits_by_field_name_and_recomputes(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur, funder="autre")
        assert await open_rules(session, formation.id) == set()
        edited = await edit.edit_formation(
            session,
            people.formateur,
            formation.id,
            {
                "funder": "cvl",
                "programme": "visa",
                "action_type": None,
                "cm_name": "M. Paul Girard",
            },
        )
        assert edited is not None
        assert edited.fields == ["cm_name", "funder", "programme"]
        assert (formation.funder, formation.programme, formation.cm_name) == (
            "cvl",
            "visa",
            "M. Paul Girard",
        )
        assert "CVL-BQ-END" in await open_rules(session, formation.id)
        # A Région's formation, no e-mail: for the Centre-Val de Loire, no proofs are owed.
        assert edit.proofs_unsendable(formation) == "cvl"
        assert (await audit_of(session, formation.id))[-1] == (
            "edit",
            {"fields": ["cm_name", "funder", "programme"]},
        )
        # Back to another funder: the Centre-Val de Loire's answers no longer apply.
        again = await edit.edit_formation(
            session, people.formateur, formation.id, {"funder": "autre"}
        )
        assert again is not None and again.fields == ["funder", "programme"]
        assert formation.programme is None
        assert await open_rules(session, formation.id) == set()
        # Nothing changed: nothing audited.
        same = await edit.edit_formation(
            session, people.formateur, formation.id, {"title": formation.title}
        )
        assert same is not None and same.fields == []
        assert [a for a, _ in await audit_of(session, formation.id)].count("edit") == 2


async def test_a_single_person_format_drops_the_group_answers(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur, mode="esp")
        edited = await edit.edit_formation(
            session, people.formateur, formation.id, {"kind": "bilan_competences"}
        )
        assert edited is not None
        assert (formation.kind, formation.mode, formation.certifying, formation.long) == (
            "bilan_competences",
            "dates",
            False,
            False,
        )


async def test_bad_values_are_refused_and_strangers_see_nothing(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        for bad in ({"funder": "CVL"}, {"title": ""}, {"long": "oui"}, {"owner_id": 1}):
            with pytest.raises(ValueError):
                await edit.edit_formation(session, people.formateur, formation.id, bad)
        for stranger in (people.colleague, people.outsider):
            assert (
                await edit.edit_formation(session, stranger, formation.id, {"title": "Volé"})
                is None
            )
            assert await edit.delete_formation(session, stranger, formation.id, now=NOW) is None
        assert formation.title == "Agent de restauration"


async def test_a_session_taken_away_leaves_its_trainees_to_the_whole_formation(
    store: Database,
) -> None:
    """Explorer IC5: in « premiers gestes » in two sessions, Nadia Roux (session 1) leaves
    on 31 March, Karim Benali (session 2) on 30 June; the sessions corrected to one, the
    one removed lets Karim go (no session) and both leave at the formation's end."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await premiers_gestes_in_two_sessions(session, people)
        karim, nadia = formation.trainees

        async def exits() -> list[date]:
            return await eos_exits(session, nadia, karim)

        assert await exits() == [date(2027, 3, 31), date(2027, 6, 30)]
        await edit.replace_sessions(
            session,
            people.formateur,
            formation.id,
            [NewSession("Session 1", date(2027, 3, 1), date(2027, 6, 30))],
        )
        # No session followed any more, whatever stays stored (explorer QA7).
        assert by_session(formation, [karim, nadia]) == (("", ("Karim Benali", "Nadia Roux")),)
        assert await exits() == [date(2027, 6, 30), date(2027, 6, 30)]


async def test_sessions_are_replaced_in_place_keeping_their_ids(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(
            session,
            people.formateur,
            funder="cvl",
            action_type="metiers",
            sessions=(
                NewSession("Session 1", date(2026, 12, 1), date(2027, 1, 31)),
                NewSession("Session 2", date(2027, 2, 1), date(2027, 3, 31)),
            ),
        )
        ids = [s.id for s in formation.sessions]
        saved = await edit.replace_sessions(
            session,
            people.formateur,
            formation.id,
            [
                NewSession("Session 1", date(2026, 12, 7), date(2027, 1, 31), "Cuisine"),
                NewSession("Session 2", date(2027, 2, 1), date(2027, 3, 31), "Cuisine"),
                NewSession("Session 3", date(2027, 4, 1), date(2027, 6, 15), "Service"),
            ],
        )
        assert saved is not None
        rows = sorted(formation.sessions, key=lambda s: s.start_date)
        assert [s.id for s in rows][:2] == ids
        assert [(s.start_date, s.composante) for s in rows] == [
            (date(2026, 12, 7), "Cuisine"),
            (date(2027, 2, 1), "Cuisine"),
            (date(2027, 4, 1), "Service"),
        ]
        keys = set(
            (
                await session.scalars(
                    select(StoredDeadline.key).where(StoredDeadline.formation_id == formation.id)
                )
            ).all()
        )
        # Two composantes: "Cuisine" in two sessions owes an étape and a fin, "Service" a fin.
        assert {k for k in keys if k.startswith("CVL-BQ")} == {
            f"CVL-BQ-MID:formation:{formation.id}:composante:cuisine",
            f"CVL-BQ-END:formation:{formation.id}:composante:cuisine",
            f"CVL-BQ-END:formation:{formation.id}:composante:service",
        }
        assert (await audit_of(session, formation.id))[-1] == ("edit_sessions", {"count": 3})


async def test_deleting_hides_closes_the_open_deadlines_and_keeps_the_done_ones(
    store: Database,
) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur, funder="cvl", programme="visa")
        rows = list(
            (
                await session.scalars(
                    select(StoredDeadline).where(StoredDeadline.formation_id == formation.id)
                )
            ).all()
        )
        assert rows
        rows[0].status = "done"
        deleted = await edit.delete_formation(session, people.formateur, formation.id, now=NOW)
        assert deleted is not None and deleted.blocker is None
        assert formation.deleted_at == NOW
        left = (
            await session.scalars(
                select(StoredDeadline).where(StoredDeadline.formation_id == formation.id)
            )
        ).all()
        assert [(r.key, r.status) for r in left] == [(rows[0].key, "done")]
        assert await visible_formations(session, people.formateur) == []
        assert await visible_formations(session, people.admin) == []
        assert (await audit_of(session, formation.id))[-1] == ("delete", {})


async def a_bilan(session: AsyncSession, formation: Formation) -> Bilan:
    """A bilan de fin programmed in 30 days."""
    bilan = Bilan(
        organisation_id=formation.organisation_id,
        formation_id=formation.id,
        kind="fin",
        starts_at=NOW + timedelta(days=30),
        ends_at=NOW + timedelta(days=30, hours=2),
    )
    session.add(bilan)
    await session.flush()
    return bilan


async def test_a_formation_with_a_bilan_is_not_deleted_until_it_is_cancelled(
    store: Database,
) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        bilan = await a_bilan(session, formation)
        blocked = await edit.delete_formation(session, people.formateur, formation.id, now=NOW)
        assert blocked is not None and blocked.blocker == "bilan"
        assert formation.deleted_at is None
        bilan.cancelled_at = NOW
        done = await edit.delete_formation(session, people.formateur, formation.id, now=NOW)
        assert done is not None and done.blocker is None and formation.deleted_at == NOW


async def test_a_bilan_programmed_holds_the_funder_and_the_nature(store: Database) -> None:
    """Explorer F F13: the Normandie bilan stayed, its deadlines vanished, nothing was said."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)
        funder, title = formation.funder, formation.title
        bilan = await a_bilan(session, formation)
        for changes in ({"funder": "rectorat"}, {"kind": "vae"}):
            held = await edit.edit_formation(session, people.formateur, formation.id, changes)
            assert held is not None and held.held_by is bilan and held.fields == []
            assert (formation.funder, formation.kind) == (funder, "formation")
        renamed = await edit.edit_formation(
            session, people.formateur, formation.id, {"title": f"{title} bis", "funder": funder}
        )
        assert renamed is not None and renamed.held_by is None and renamed.fields == ["title"]
        assert [a for a, _ in await audit_of(session, formation.id)].count("edit") == 1
        bilan.cancelled_at = NOW
        moved = await edit.edit_formation(
            session, people.formateur, formation.id, {"funder": "rectorat"}
        )
        assert moved is not None and moved.fields == ["funder"] and formation.funder == "rectorat"


async def test_an_inserted_session_keeps_each_trainee_in_the_session_of_his_entry(
    store: Database,
) -> None:
    """Explorer MA9: « premiers gestes », session 1 from 1 to 31 March 2027, session 2 from 3
    May to 30 June; Nadia Roux entered on 1 March, Karim Benali on 3 May.  A session inserted
    on 6–20 April took session 2's row (rows are reused by position) and Karim with it: his
    EOS exit Tue 20 April, before his entry.  He now follows the session holding his entry,
    « Session 3 » (3 May–30 June), and is said moved; his exit stays Wed 30 June.  A session
    corrected around an entry (Session 1 from 2 March) keeps its trainee; one taken away with
    no other holding the entry leaves its trainee in none: the whole formation."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await premiers_gestes_in_two_sessions(session, people)
        karim, nadia = formation.trainees

        async def exits() -> list[date]:
            return await eos_exits(session, nadia, karim)

        def followed() -> list[str | None]:
            labels = {s.id: s.label for s in formation.sessions}
            return [labels.get(t.session_id or 0) for t in (nadia, karim)]

        april = NewSession("Session 2", date(2027, 4, 6), date(2027, 4, 20))
        may = NewSession("Session 3", date(2027, 5, 3), date(2027, 6, 30))
        saved = await edit.replace_sessions(
            session, people.formateur, formation.id, [MARCH, april, may]
        )
        assert followed() == ["Session 1", "Session 3"]
        assert await exits() == [date(2027, 3, 31), date(2027, 6, 30)]
        assert saved is not None
        assert saved.moved == ()  # he stays in the May–June group (explorer MB2)

        later = NewSession("Session 1", date(2027, 3, 2), date(2027, 3, 31))
        saved = await edit.replace_sessions(
            session, people.formateur, formation.id, [later, april, may]
        )
        assert saved is not None and saved.moved == ()
        assert followed() == ["Session 1", "Session 3"]

        saved = await edit.replace_sessions(session, people.formateur, formation.id, [later, april])
        assert saved is not None and saved.moved == (("", ("Karim Benali",)),)
        assert followed() == ["Session 1", None]
        assert await exits() == [date(2027, 3, 31), date(2027, 6, 30)]


async def test_an_inserted_session_reports_who_changes_group_by_its_dates(
    store: Database,
) -> None:
    """Explorer MB2: « premiers gestes », Session 1 (1–31 March 2027), Session 2 (3 May–30
    June); Nadia Roux entered on 1 March, Karim Benali on 3 May, Inès David on 15 April
    (between them, Session 2 chosen), Léa Martin erased.  A session inserted on 6–20 April:
    Inès really changes group (her EOS exit 30 June → 20 April) and is told so; Karim stays in
    the May–June group and is not; the erased person is never named.  The same two sessions
    typed in the other order move nobody."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await premiers_gestes_in_two_sessions(
            session,
            people,
            (
                *IC5_TRAINEES,
                NewTrainee("Inès David", entered_on=date(2027, 4, 15)),
                NewTrainee("Léa Martin", entered_on=date(2027, 5, 3)),
            ),
            trainee_session=1,
        )
        named = {t.full_name: t for t in formation.trainees}
        karim, ines, lea = named["Karim Benali"], named["Inès David"], named["Léa Martin"]
        lea.full_name = ERASED_NAME.format(id=lea.id)
        await session.flush()
        assert await eos_exits(session, ines) == [date(2027, 6, 30)]
        saved = await edit.replace_sessions(
            session,
            people.formateur,
            formation.id,
            [
                MARCH,
                NewSession("Session 2", date(2027, 4, 6), date(2027, 4, 20)),
                NewSession("Session 3", date(2027, 5, 3), date(2027, 6, 30)),
            ],
        )
        assert saved is not None
        assert saved.moved == (("Session 2 (du 6 au 20 avril 2027)", ("Inès David",)),)
        assert await eos_exits(session, ines, karim) == [date(2027, 4, 20), date(2027, 6, 30)]

        karim.entered_on = ines.entered_on = date(2027, 5, 3)
        saved = await edit.replace_sessions(
            session,
            people.formateur,
            formation.id,
            [NewSession("Session B", date(2027, 5, 3), date(2027, 6, 30)), MARCH],
        )
        assert saved is not None
        assert saved.moved == (("Session B (du 3 mai au 30 juin 2027)", ("Inès David",)),)
        saved = await edit.replace_sessions(
            session,
            people.formateur,
            formation.id,
            [MARCH, NewSession("Session B", date(2027, 5, 3), date(2027, 6, 30))],
        )
        assert saved is not None and saved.moved == ()


async def test_a_session_added_before_the_first_leaves_its_done_bilan_to_session_1(
    store: Database,
) -> None:
    """Explorer MB11: « premiers gestes », Session 1 (1–31 March 2027) whose bilan de fin
    (due 30 April) is done, Session 2 (3 May–30 June).  A Session A (1–10 March) added above
    took Session 1's row by position: its bilan (due 10 April, never sent) was « done » and
    Session 1's own was to do again.  Session 1, now 11–31 March, keeps its row and its done
    bilan; Session A's is to do; Nadia Roux (entered on 1 March) now follows Session A and
    is said so, Karim Benali stays in May's group, unsaid."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await premiers_gestes_in_two_sessions(session, people)
        karim, nadia = formation.trainees
        march, may = sorted(formation.sessions, key=lambda s: s.start_date)
        done = await session.scalar(
            select(StoredDeadline).where(
                StoredDeadline.key == f"CVL-BQ-END:formation:{formation.id}:session:{march.id}"
            )
        )
        assert done is not None and done.due_on == date(2027, 4, 30)
        done.status, done.done_at = "done", NOW
        await session.flush()
        saved = await edit.replace_sessions(
            session,
            people.formateur,
            formation.id,
            [
                NewSession("Session A", date(2027, 3, 1), date(2027, 3, 10)),
                NewSession("Session 1", date(2027, 3, 11), date(2027, 3, 31)),
                NewSession("Session 2", date(2027, 5, 3), date(2027, 6, 30)),
            ],
        )
        assert saved is not None
        assert saved.moved == (("Session A (du 1er au 10 mars 2027)", ("Nadia Roux",)),)
        rows = await session.execute(
            select(StoredDeadline.key, StoredDeadline.due_on, StoredDeadline.status).where(
                StoredDeadline.formation_id == formation.id,
                StoredDeadline.key.like("CVL-BQ-END%"),
            )
        )
        added = next(s for s in formation.sessions if s.label == "Session A")
        ends = {key.rsplit(":", 1)[1]: (due, status) for key, due, status in rows.all()}
        assert ends[str(march.id)][1] == "done"  # Session 1's, now the formation's last
        assert ends[str(added.id)] == (date(2027, 4, 10), "open")
        assert ends[str(may.id)][0] == date(2027, 7, 30) and ends[str(may.id)][1] != "done"
        assert await eos_exits(session, nadia, karim) == [date(2027, 3, 10), date(2027, 6, 30)]


async def march_s_bilan_done(session: AsyncSession, people: Cast) -> Formation:
    """« premiers gestes » in two sessions (March, May–June), Session 1's bilan de fin done."""
    formation = await premiers_gestes_in_two_sessions(session, people)
    march = min(formation.sessions, key=lambda s: s.start_date)
    key = f"CVL-BQ-END:formation:{formation.id}:session:{march.id}"
    done = await session.scalar(select(StoredDeadline).where(StoredDeadline.key == key))
    assert done is not None
    done.status, done.done_at = "done", NOW
    await session.flush()
    return formation


async def test_a_session_added_before_the_first_as_another_goes_leaves_the_first_its_row(
    store: Database,
) -> None:
    """VC (after explorers MB11 and SA): the MB11 correction and Session 2 removed in the
    same edit, Session A (1–10 March) added above Session 1, now 11–31 March: as many
    sessions as before, so Session A, first by dates, took Session 1's row by position, and
    with it its done bilan de fin.  The rows follow the sessions by their dates: Session 1
    keeps its row (21 days in common against Session A's 10), its bilan still done."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await march_s_bilan_done(session, people)
        march, _may = sorted(formation.sessions, key=lambda s: s.start_date)
        saved = await edit.replace_sessions(
            session,
            people.formateur,
            formation.id,
            [
                NewSession("Session A", date(2027, 3, 1), date(2027, 3, 10)),
                NewSession("Session 1", date(2027, 3, 11), date(2027, 3, 31)),
            ],
        )
        assert saved is not None
        labels = {s.id: s.label for s in formation.sessions}
        assert labels[march.id] == "Session 1"
        added = next(s for s in formation.sessions if s.label == "Session A")
        rows = await session.execute(
            select(
                StoredDeadline.key,
                StoredDeadline.due_on,
                StoredDeadline.status,
                StoredDeadline.reopened_from,
            ).where(
                StoredDeadline.formation_id == formation.id,
                StoredDeadline.key.like("CVL-BQ-END%"),
            )
        )
        ends = {key.rsplit(":", 1)[1]: (due, status, was) for key, due, status, was in rows.all()}
        # Session 1's row, its done mark kept; open again, as Session 2's trainees now end in
        # it, after the day it was done (reviewer MD3/KB8).
        assert ends[str(march.id)][1:] == ("open", NOW)
        assert ends[str(added.id)] == (date(2027, 4, 10), "open", None)


async def test_a_session_postponed_into_the_next_keeps_its_own_row(store: Database) -> None:
    """Explorer SA (left by closing 37): « premiers gestes », Session 1 (1–31 March 2027)
    whose bilan de fin is done, Session 2 (3 May–30 June).  Both postponed, Session 1 to 25
    March–20 May (7 days of its old dates, 18 of Session 2's), Session 2 to 21 June–31 August
    (10 days of its old dates): Session 1 took Session 2's row by the larger overlap, Session 2 got a new one and the
    done bilan of Session 1 was deleted.  As many sessions as before: the n-th continues the
    n-th, each keeps its row, the done bilan its done mark (open again, as it now ends
    later: reviewer MD3/KB8)."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await march_s_bilan_done(session, people)
        march, may = sorted(formation.sessions, key=lambda s: s.start_date)
        saved = await edit.replace_sessions(
            session,
            people.formateur,
            formation.id,
            [
                NewSession("Session 1", date(2027, 3, 25), date(2027, 5, 20)),
                NewSession("Session 2", date(2027, 6, 21), date(2027, 8, 31)),
            ],
        )
        assert saved is not None
        dates = {s.id: (s.label, s.start_date, s.end_date) for s in formation.sessions}
        assert dates == {
            march.id: ("Session 1", date(2027, 3, 25), date(2027, 5, 20)),
            may.id: ("Session 2", date(2027, 6, 21), date(2027, 8, 31)),
        }
        kept = (
            await session.execute(
                select(StoredDeadline.status, StoredDeadline.reopened_from).where(
                    StoredDeadline.key == f"CVL-BQ-END:formation:{formation.id}:session:{march.id}"
                )
            )
        ).one()
        # Its row and done mark kept; open again, the session now ending on 20 May, after
        # the day it was done (reviewer MD3/KB8).
        assert tuple(kept) == ("open", NOW)


async def test_action_type_corrected_to_premiers_gestes_places_each_trainee_by_entry(
    store: Database,
) -> None:
    """Explorer MB1: « Se former au(x) métier(s) de », Session 1 (1–31 March 2027), Session
    2 (3 May–30 June), Nadia Roux entered on 1 March, Karim Benali on 3 May.  Its action type
    corrected to « premiers gestes », the sessions become groups: Nadia follows Session 1 and
    leaves EOS on 31 March, Karim Session 2, and the trainer is told who follows which.
    Corrected back, both follow the whole formation again; the session each followed stays
    stored, unread, for the type corrected back once more (explorer QA7)."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await premiers_gestes_in_two_sessions(session, people)
        formation.action_type = "metiers"
        for trainee in formation.trainees:
            trainee.session_id = None
        await session.flush()
        karim, nadia = formation.trainees
        edited = await edit.edit_formation(
            session, people.formateur, formation.id, {"action_type": "premiers_gestes"}
        )
        assert edited is not None and edited.fields == ["action_type"]
        assert edited.grouped == (
            ("Session 1 (du 1er au 31 mars 2027)", ("Nadia Roux",)),
            ("Session 2 (du 3 mai au 30 juin 2027)", ("Karim Benali",)),
        )
        assert not edited.ungrouped
        assert await eos_exits(session, nadia, karim) == [date(2027, 3, 31), date(2027, 6, 30)]

        edited = await edit.edit_formation(
            session, people.formateur, formation.id, {"action_type": "metiers"}
        )
        assert edited is not None and edited.ungrouped and edited.grouped == ()
        march, may = sorted(formation.sessions, key=lambda s: s.start_date)
        assert (nadia.session_id, karim.session_id) == (march.id, may.id)
        assert await eos_exits(session, nadia, karim) == [date(2027, 6, 30), date(2027, 6, 30)]


MARCH = NewSession("Session 1", date(2027, 3, 1), date(2027, 3, 31))
MAY_JUNE = NewSession("Session 2", date(2027, 5, 3), date(2027, 6, 30))
IC5_TRAINEES = (
    NewTrainee("Nadia Roux", entered_on=date(2027, 3, 1)),
    NewTrainee("Karim Benali", entered_on=date(2027, 5, 3)),
)


async def premiers_gestes_in_two_sessions(
    session: AsyncSession,
    people: Cast,
    trainees: tuple[NewTrainee, ...] = IC5_TRAINEES,
    **changes: object,
) -> Formation:
    """Explorer IC5's example: « premiers gestes », sessions 1–31 March and 3 May–30 June
    2027, Nadia Roux entered on 1 March (session 1), Karim Benali on 3 May (session 2);
    ``trainees`` and ``changes`` (another action type, other sessions) for its variants."""
    return await a_formation(
        session,
        people.formateur,
        **{
            "funder": "cvl",
            "programme": "parcours_metiers",
            "action_type": "premiers_gestes",
            "start": date(2027, 3, 1),
            "end": date(2027, 6, 30),
            "sessions": (MARCH, MAY_JUNE),
            "trainees": trainees,
            **changes,
        },
    )


async def eos_exits(session: AsyncSession, *trainees: Trainee) -> list[date]:
    """The EOS exits stored for ``trainees``, in their order."""
    keys = [f"CVL-EOS-EXIT:trainee:{t.id}" for t in trainees]
    rows = await session.execute(
        select(StoredDeadline.key, StoredDeadline.due_on).where(StoredDeadline.key.in_(keys))
    )
    found = dict(rows.all())
    return [found[k] for k in keys]


async def test_action_type_corrected_to_premiers_gestes_places_an_entry_between_sessions_as_adding_does(
    store: Database,
) -> None:
    """Explorer QA7: « Se former au(x) métier(s) de », Session 1 (1–31 March 2027), Session 2
    (3 May–30 June), Inès David entered on 15 April, between them.  Its action type corrected
    to « premiers gestes », she was put in no session (« Aucune session … Pour corriger une
    date d'entrée », her entry right), where adding her places her in the session to come
    (explorer MB8): she now follows Session 2 and leaves EOS with it."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await premiers_gestes_in_two_sessions(
            session,
            people,
            (IC5_TRAINEES[0], NewTrainee("Inès David", entered_on=date(2027, 4, 15))),
            action_type="metiers",
        )
        edited = await edit.edit_formation(
            session, people.formateur, formation.id, {"action_type": "premiers_gestes"}
        )
        assert edited is not None
        assert edited.grouped == (
            ("Session 1 (du 1er au 31 mars 2027)", ("Nadia Roux",)),
            ("Session 2 (du 3 mai au 30 juin 2027)", ("Inès David",)),
        )


async def test_a_session_chosen_survives_the_action_type_toggled_away_and_back(
    store: Database,
) -> None:
    """Explorer QA7: « premiers gestes » in three sessions (March, May, June 2027), Inès David
    entered on 15 April and placed in the June session, chosen for her among those to come.
    The action type pressed away from « premiers gestes » and back (a mistaken press
    corrected) cleared her session and left her in none: she follows the June session again."""
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await premiers_gestes_in_two_sessions(
            session,
            people,
            (NewTrainee("Inès David", entered_on=date(2027, 4, 15)),),
            sessions=(
                MARCH,
                NewSession("Session 2", date(2027, 5, 3), date(2027, 5, 31)),
                NewSession("Session 3", date(2027, 6, 1), date(2027, 6, 30)),
            ),
            trainee_session=2,
        )
        (ines,) = formation.trainees
        june = max(formation.sessions, key=lambda s: s.start_date)
        assert ines.session_id == june.id
        for action_type in ("metiers", "premiers_gestes"):
            edited = await edit.edit_formation(
                session, people.formateur, formation.id, {"action_type": action_type}
            )
        assert edited is not None
        assert edited.grouped == (("Session 3 (du 1er au 30 juin 2027)", ("Inès David",)),)
        assert ines.session_id == june.id
