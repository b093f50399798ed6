"""A final bilan marked done before the end reopens when a path is extended past that day
(reviewer MD3/KB8): said in the chat and in the next digest, stored open; an end that does
not move past it, or comes back, leaves it done."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot import texts
from bot.app import build_scheduler
from bot.config import Settings
from bot.deadlines.reopened import reopened_lines
from bot.deadlines.service import mark_done, refresh_deadlines
from bot.formations.labels import name_key
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Trainee
from tests.auxil.dialogue import Clock, Person
from tests.test_deadlines import PARIS, formation, organisation, stored
from tests.test_deadlines_digest import deliver
from tests.test_formation import two_sessions_with

PROJET = "Projet professionnel"  # the demo's CVL formation: 24 September 2026 – 23 March 2027
FINAL = "Envoyer le bilan qualitatif de fin"


async def final_bilan(db: Database) -> StoredDeadline:
    async with db.sessions() as session:
        row = await session.scalar(
            select(StoredDeadline).where(StoredDeadline.rule_id == "CVL-BQ-END")
        )
        assert row is not None
        return row


async def marked_done(trainer: Person) -> None:
    await trainer.says("/echeances")
    await trainer.presses(FINAL)
    await trainer.presses("Fait")


async def extended(trainer: Person, name: str, until: str) -> None:
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Entrées et sorties")
    await trainer.presses(name)
    await trainer.presses("Une prolongation de parcours")
    await trainer.says(until)
    await trainer.presses("Oui")
    await trainer.presses("Oui")


async def test_a_path_extended_past_the_done_day_reopens_the_final_bilan(
    db: Database, trainer: Person
) -> None:
    """As reported: marked done on 23 November, the final bilan stayed « fait » when Thomas
    Fabre's path was extended to 30 April, past the formation's end (26 March)."""
    await marked_done(trainer)
    assert "✅ C'est noté : l'échéance « Envoyer le bilan qualitatif de fin » est faite." in (
        trainer.all_text
    )
    await extended(trainer, "Thomas Fabre", "le 30 avril")
    assert (
        "Le parcours de Thomas Fabre finit désormais le vendredi 30 avril 2027 : l'échéance "
        "« Envoyer le bilan qualitatif de fin », marquée faite le lundi 23 novembre 2026, est à "
        "refaire après cette date (bilan collectif de formation, Région Centre-Val de Loire "
        "(001), « Bilan collectif de formation » ; pièces pédagogiques exigées, Parcours "
        "Métiers, Région Centre-Val de Loire (002), §2)."
    ) in trainer.all_text
    row = await final_bilan(db)
    assert (row.status, row.due_on, row.anchor_on) == ("open", date(2027, 5, 30), date(2027, 4, 30))
    assert (row.done_at, row.reopened_from) == (None, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await trainer.says("/echeances")
    assert "🔵 28/05/2027 Envoyer le bilan qualitatif de fin" in trainer.buttons
    await trainer.presses(FINAL)
    await trainer.presses("Fait")  # done again, after the new end: it holds for it
    assert (await final_bilan(db)).status == "done"
    await extended(trainer, "Nadia Roux", "le 15 mai")  # past the new done day: again
    assert "Le parcours de Nadia Roux finit désormais le samedi 15 mai 2027" in trainer.all_text


async def test_the_next_digest_tells_it_once(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    scheduler = build_scheduler(db, settings, clock=clock)
    await marked_done(trainer)
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 8 h in Paris: the digest hour
    await scheduler.tick()
    await deliver(db, clock)
    clock.now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    await extended(trainer, "Thomas Fabre", "le 30 avril")
    clock.now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    await scheduler.tick()
    [(_, digest)] = (await deliver(db, clock)).digests()
    assert (
        "🔁 À refaire, depuis le récapitulatif précédent (1) :\n· La formation « Projet "
        "professionnel (démo) » finit désormais le vendredi 30 avril 2027 (fin du dernier "
        "parcours) : l'échéance « Envoyer le bilan qualitatif de fin », marquée faite le lundi "
        "23 novembre 2026, est à refaire après cette date"
    ) in digest
    clock.now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    await scheduler.tick()
    assert all("À refaire" not in text for _, text in (await deliver(db, clock)).digests())


async def test_an_end_moved_no_later_than_the_done_day_leaves_it_done(
    db: Database, clock: Clock, trainer: Person
) -> None:
    """Done on 10 April 2027, after the end (26 March): Thomas Fabre's path extended to 5
    April, a trainee added, one removed, all ends before that day, leave it done, unsaid."""
    clock.now = datetime(2027, 4, 10, 9, 0, tzinfo=UTC)
    await marked_done(trainer)
    await extended(trainer, "Thomas Fabre", "le 5 avril")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Paul Henry ; entrée le 1er avril")
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Nadia Roux")
    await trainer.presses("Oui, retirer")
    assert "finit désormais" not in trainer.all_text
    row = await final_bilan(db)
    assert (row.status, row.anchor_on, row.reopened_at) == ("done", date(2027, 4, 5), None)
    assert row.done_at == datetime(2027, 4, 10, 9, 0, tzinfo=UTC)


async def test_the_extension_removed_with_its_trainee_makes_it_done_again(
    db: Database, trainer: Person
) -> None:
    """The end back to the one it was done for (Thomas Fabre, extended by mistake, removed):
    done again, as it was, who and when; the trainer has nothing more to do."""
    await marked_done(trainer)
    done = await final_bilan(db)
    await extended(trainer, "Thomas Fabre", "le 30 avril")
    assert (await final_bilan(db)).status == "open"
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Thomas Fabre")
    await trainer.presses("Oui, retirer")
    assert (
        "L'échéance « Envoyer le bilan qualitatif de fin » est de nouveau marquée faite, comme "
        "le lundi 23 novembre 2026 : la fin qui compte revient au vendredi 26 mars 2027."
    ) in trainer.all_text
    row = await final_bilan(db)
    assert (row.status, row.anchor_on) == ("done", date(2027, 3, 26))
    assert (row.done_at, row.done_by) == (done.done_at, done.done_by)
    assert (row.reopened_at, row.reopened_from, row.done_anchor_on) == (None, None, None)
    await trainer.says("/echeances")
    assert all(FINAL not in label for label in trainer.buttons)


async def test_the_refresh_reopens_it_on_both_databases(store: Database) -> None:
    """The service alone, on SQLite and PostgreSQL: a path extended past the done day
    reopens the final bilan once; refreshed again, nothing more is told."""
    async with store.sessions() as session, session.begin():
        org, owner = await organisation(session)
        f = await formation(
            session,
            org,
            owner,
            funder="cvl",
            programme="parcours_metiers",
            action_type="projet_pro",
            end_date=date(2027, 3, 26),
        )
        karim = Trainee(
            formation_id=f.id, full_name="Karim Benali", name_key=name_key("Karim Benali")
        )
        session.add(karim)
        await session.flush()
        await refresh_deadlines(session, f.id)
        [row] = [r for r in (await stored(session, f.id)).values() if r.rule_id == "CVL-BQ-END"]
        mark_done(row, owner.id, datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
        karim.path_end = date(2027, 4, 30)
        first = await refresh_deadlines(session, f.id, datetime(2026, 12, 5, 9, 0, tzinfo=UTC))
        again = await refresh_deadlines(session, f.id, datetime(2026, 12, 5, 9, 1, tzinfo=UTC))
        assert ([r.key for r in first.reopened], again.reopened) == ([row.key], [])
    async with store.sessions() as session:
        [row] = [r for r in (await stored(session, f.id)).values() if r.rule_id == "CVL-BQ-END"]
        assert (row.status, row.due_on, row.anchor_on, row.done_by) == (
            "open",
            date(2027, 5, 30),
            date(2027, 4, 30),
            owner.id,
        )
        assert row.reopened_from == datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


async def test_new_dates_ending_later_reopen_it_and_say_so(db: Database, trainer: Person) -> None:
    """The formation's end corrected from 26 March to 16 April, after the done day: said
    with the formation, no trainee named; corrected back, it is done again."""
    await marked_done(trainer)
    for end in ("16/04/2027", "26/03/2027"):
        await trainer.says("/formations")
        await trainer.presses(PROJET)
        await trainer.presses("Modifier les dates")
        await trainer.says(f"jusqu'au {end}")
        await trainer.presses("Oui, c'est ça")
        if end == "16/04/2027":
            assert (
                "La formation « Projet professionnel (démo) » finit désormais le vendredi 16 "
                "avril 2027 (fin du dernier parcours) : l'échéance « Envoyer le bilan qualitatif "
                "de fin », marquée faite le lundi 23 novembre 2026, est à refaire après cette date"
            ) in trainer.all_text
            assert (await final_bilan(db)).status == "open"
    assert "finit désormais" not in trainer.all_text
    assert "est de nouveau marquée faite, comme le lundi 23 novembre 2026" in trainer.all_text
    assert (await final_bilan(db)).status == "done"


async def test_the_bilan_d_activites_after_the_end_reopens_too(db: Database) -> None:
    """REC-ACTIVITY counts from the formation's end, extensions included: the same reasoning
    (the activity it reports goes on); a VAE's livret, from its candidate's own exit, not."""
    async with db.sessions() as session, session.begin():
        org, owner = await organisation(session)
        f = await formation(session, org, owner, funder="rectorat", remote_coaching=True)
        ines = Trainee(formation_id=f.id, full_name="Inès David", name_key=name_key("Inès David"))
        session.add(ines)
        await session.flush()
        await refresh_deadlines(session, f.id)
        [row] = [r for r in (await stored(session, f.id)).values() if r.rule_id == "REC-ACTIVITY"]
        mark_done(row, owner.id, datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
        ines.path_end = date(2026, 12, 18)
        refreshed = await refresh_deadlines(session, f.id)
        assert [r.key for r in refreshed.reopened] == [row.key]
        assert (row.status, row.anchor_on) == ("open", date(2026, 12, 18))
        said = texts.say(
            "digest.to_redo", lines=reopened_lines([(row, f.title)], PARIS), private=False
        )
    assert texts.plain(said) == (
        "🔁 À refaire, depuis le récapitulatif précédent (1) :\n· « Envoyer le bilan "
        "d'activités », marquée faite le lundi 30 novembre 2026 : la fin qui compte est "
        "désormais le vendredi 18 décembre 2026 (détail dans /echeances)."
    )


async def test_a_session_ending_later_reopens_its_own_final_bilan(
    db: Database, trainer: Person
) -> None:
    """« Premiers gestes » owes a final bilan per session: Session 1's, done, reopens when
    Session 1 is corrected to end on 15 April; Session 2's, untouched, is not named.  Its
    dates corrected back, it is done again, said there as « Modifier les dates » says it."""
    title = "Premiers gestes cuisine"
    await two_sessions_with(trainer, title, "premiers gestes", "Karim Benali ; entrée le 1er mars")
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses(title)
    await trainer.presses(f"{FINAL} – Session 1")
    await trainer.presses("Fait")
    await trainer.says("/formations")
    await trainer.presses(title)
    await trainer.presses("Modifier la formation")
    await trainer.presses("Sessions")
    await trainer.says(
        "Session 1 : du 15 mars au 15 avril 2027\nSession 2 : du 3 mai au 30 juin 2027"
    )
    assert (
        "La session « Session 1 » (du lundi 15 mars 2027 au jeudi 15 avril 2027) de « Premiers "
        "gestes cuisine » finit désormais le jeudi 15 avril 2027 (fin de son dernier parcours) : "
        "l'échéance « Envoyer le bilan qualitatif de fin », marquée faite le lundi 23 novembre "
        "2026, est à refaire après cette date"
    ) in trainer.all_text
    assert trainer.all_text.count("finit désormais") == 1
    async with db.sessions() as session:
        rows = await session.scalars(
            select(StoredDeadline).where(StoredDeadline.rule_id == "CVL-BQ-END")
        )
        assert sorted((r.detail, r.status) for r in rows if r.detail) == [
            ("la session « Session 1 » (du lundi 15 mars 2027 au jeudi 15 avril 2027)", "open"),
            ("la session « Session 2 » (du lundi 3 mai 2027 au mercredi 30 juin 2027)", "open"),
        ]
    await trainer.says("/formations")  # corrected back: done again, and said in this chat
    await trainer.presses(title)
    await trainer.presses("Modifier la formation")
    await trainer.presses("Sessions")
    await trainer.says("Session 1 : du 1er au 31 mars 2027\nSession 2 : du 3 mai au 30 juin 2027")
    assert (
        "L'échéance « Envoyer le bilan qualitatif de fin » (Session 1) est de nouveau marquée "
        "faite, comme le lundi 23 novembre 2026 : la fin qui compte revient au mercredi 31 mars "
        "2027."
    ) in trainer.all_text


async def test_opened_in_echeances_a_reopened_one_says_when_it_was_done_and_why(
    db: Database, clock: Clock, trainer: Person
) -> None:
    """Its detail said it open, nothing more: the trainer who had marked it done on 23
    November read it as never done.  Named with the trainee whose path was extended; the
    formation's own end moved, with none."""
    await marked_done(trainer)
    clock.now = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    await extended(trainer, "Thomas Fabre", "le 30 avril")
    await trainer.says("/echeances")
    await trainer.presses(FINAL)
    assert (
        "Marquée faite le lundi 23 novembre 2026, rouverte le vendredi 4 décembre 2026 : le "
        "parcours de Thomas Fabre finit désormais le vendredi 30 avril 2027."
    ) in trainer.last
    await trainer.presses("Fait")  # done for the new end: its history is no more to say
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Thomas Fabre")
    await trainer.presses("Oui, retirer")
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Modifier les dates")
    await trainer.says("jusqu'au 16/04/2027")
    await trainer.presses("Oui, c'est ça")
    await trainer.says("/echeances")
    await trainer.presses(FINAL)
    assert (
        "Marquée faite le vendredi 4 décembre 2026, rouverte le vendredi 4 décembre 2026 : la "
        "formation finit désormais le vendredi 16 avril 2027 (fin du dernier parcours)."
    ) in trainer.last
