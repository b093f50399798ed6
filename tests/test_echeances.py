"""Seeing the deadlines by chat (``/echeances``): grouped, opened, done, postponed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_scheduler
from bot.config import Settings
from bot.deadlines.exports import rows as deadline_rows
from bot.deadlines.lines import short_scope
from bot.deadlines.service import refresh_deadlines
from bot.messages import Platform
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.people import ChatIdentity, Membership, Role
from bot.storage.people import Person as P
from bot.transports.telegram import keyboard
from tests.auxil.absences import add_formation, move_due, record_exit
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, step_of, survives
from tests.auxil.race import one_after_the_other, second_admin, two_processes
from tests.auxil.statements import counting
from tests.test_bilan import bilan_on, schedule
from tests.test_deadlines_exports import args as export_args
from tests.test_formation import SPRING, TWO_SESSIONS, cvl_sessions_saved


async def stored(db: Database) -> dict[str, StoredDeadline]:
    async with db.sessions() as session:
        rows = (await session.scalars(select(StoredDeadline))).all()
    return {r.rule_id + ":" + r.key: r for r in rows}


async def by_rule(db: Database, rule_id: str) -> StoredDeadline:
    async with db.sessions() as session:
        row = await session.scalar(select(StoredDeadline).where(StoredDeadline.rule_id == rule_id))
    assert row is not None
    return row


async def scheduled_long_ago(trainer: Person) -> None:
    """The demo's remote bilan of Thursday 26 November, as if booked on the 12th: its
    preparation and guides, due the 19th, are late (booked on the Monday before, they
    would be due the Wednesday: explorer EB1)."""
    await schedule(trainer)
    db = trainer.engine.db
    async with db.sessions() as session, session.begin():
        [bilan] = (await session.scalars(select(Bilan))).all()
        bilan.created_at = datetime(2026, 11, 12, 9, 0, tzinfo=UTC)
        await session.flush()
        await refresh_deadlines(session, bilan.formation_id)


async def restauration(trainer: Person) -> None:
    """A bilan scheduled, then /echeances narrowed to « Agent de restauration »."""
    await scheduled_long_ago(trainer)
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")


@pytest.mark.postgres
async def test_done_at_the_same_moment_by_two_people_is_said_to_the_second_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer XB1 (R13 back through the dialogue): Camille and Bruno, in two processes,
    pressed « Fait » on one deadline at once; both turns had read it open before waiting
    at its lock, and both were told « C'est noté », the journal saying both did it.  Now
    the row is read again once locked: the second is told who did it, one entry."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await restauration(camille)
        await camille.presses("Envoyer le bilan pédagogique")
        await bruno.says("/echeances")
        await bruno.presses("Filtrer par formation")
        await bruno.presses("Agent de restauration")
        await bruno.presses("Envoyer le bilan pédagogique")
        docs = await by_rule(pg_db, "NOR-DOCS")
        turns = camille.presses("Fait"), bruno.presses("Fait")
        await one_after_the_other(pg_db, StoredDeadline, docs.id, *turns)
    assert "C'est noté : l'échéance « Envoyer le bilan pédagogique » est faite" in camille.all_text
    assert (
        "L'échéance « Envoyer le bilan pédagogique » était déjà marquée faite par Camille "
        "Durand le lundi 23 novembre 2026 à 10 h 00 : rien de plus à noter."
    ) in bruno.all_text
    assert "C'est noté" not in bruno.all_text
    async with pg_db.sessions() as session:
        done = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "done", AuditEntry.entity_id == docs.id)
        )
        assert [entry.actor_id for entry in done] == [(await by_rule(pg_db, "NOR-DOCS")).done_by]


async def test_the_list_is_grouped_and_computed_for_every_formation(
    db: Database, trainer: Person
) -> None:
    await scheduled_long_ago(trainer)
    await trainer.says("/echeances")
    text = trainer.last
    assert "Échéances de l'organisme" in text  # Camille is an admin
    # Normandie: PREP, GUIDES overdue (VISIO, DELEGATES done by answering /bilan); DOCS
    # (Tue) this week; PROOF on 3 Dec.  Centre-Val de Loire demo: the three EOS entries are
    # overdue (entered 60 days ago), shown as one line and counted as one, as the digest does.
    assert "🔴 en retard : 3" in text
    assert "🟠 cette semaine (7 jours) : 1" in text
    buttons = trainer.buttons
    assert buttons[:2] == ["Filtrer par formation", "Terminé"]  # on every page
    assert not any(b.startswith("Suivants") for b in buttons)  # the lines fit one page
    # One line for the three entries of one formation; each line says which bilan it is for.
    assert "🔴 21/09 3 entrées à saisir dans EOS · Projet professionnel (démo)" in buttons
    # Too long for a label: the title every formation shares is shortened, not the formation.
    assert (
        "🔴 19/11 Préparer le bilan avec le… – bilan de fin du 26/11 · Agent de restauration (démo)"
        in buttons
    )
    assert (
        "🟠 24/11 14 h 00 Envoyer le bilan p… – bilan de fin du 26/11 · Agent de restauration (démo)"
        in buttons
    )
    assert not any("Vérifier l'outil" in b for b in buttons)  # done when booking


@pytest.mark.parametrize("typed", ["Terminé", "fini", "c'est tout"])
async def test_termine_typed_at_the_formation_asked_ends_the_list_as_its_button(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer BF8: at « Filtrer par formation »'s question, which has no « Terminé »,
    typed it got « Je n'ai pas reconnu ce choix : rien dans la liste ne correspond à
    « Terminé » »; the list's own button ends the look, and so does the word here."""
    await scheduled_long_ago(trainer)
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.says(typed)
    assert trainer.all_text == "Très bien. Vos échéances sont toujours là : /echeances."
    assert await step_of(db, trainer) == (None, None)


async def test_a_day_more_than_half_a_year_away_is_listed_with_its_year(
    db: Database, trainer: Person
) -> None:
    """Explorer AG9: « 01/07 » of July 2026 beside « 30/06 » of June 2027, only the colour
    saying which year."""
    await scheduled_long_ago(trainer)
    await move_due(db, "NOR-PREP", date(2027, 6, 30))  # a Wednesday, seven months ahead
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    offered = next(b for b in trainer.buttons if b.startswith("Agent de restauration"))
    await trainer.presses("Agent de restauration")
    # The lines the list then shows, not the rows behind them (explorer AG8).
    shown = [b for b in trainer.buttons if b[:1] in "🔴🟠🔵"]
    assert offered.endswith(f" ({len(shown)} à faire)"), (offered, shown)
    labels = [b for b in trainer.buttons if "Préparer le bilan" in b]
    assert labels and labels[0].startswith("🔵 30/06/2027 "), labels
    assert any(b.startswith("🔴 ") and "/2026" not in b for b in trainer.buttons)


async def test_done_meanwhile_by_a_colleague_is_said_not_noted_twice(
    db: Database, trainer: Person
) -> None:
    """Explorer R R13: two « Fait » on one deadline were both « C'est noté », the journal
    saying both did it; the second press says who did it, and when."""
    await restauration(trainer)
    await trainer.presses("Envoyer le bilan pédagogique")
    async with db.sessions() as session, session.begin():  # done from another chat
        docs = await session.scalar(
            select(StoredDeadline).where(StoredDeadline.rule_id == "NOR-DOCS")
        )
        assert docs is not None
        docs.status, docs.done_by = "done", 1
        docs.done_at = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    await trainer.presses("Fait")
    assert (
        "L'échéance « Envoyer le bilan pédagogique » était déjà marquée faite par Camille "
        "Durand le lundi 23 novembre 2026 à 9 h 30 : rien de plus à noter."
    ) in trainer.all_text
    assert "C'est noté" not in trainer.all_text
    async with db.sessions() as session:
        done = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "done", AuditEntry.entity_id == docs.id)
        )
        assert done.all() == []


async def test_open_mark_done_and_postpone(db: Database, trainer: Person) -> None:
    await restauration(trainer)
    assert "Échéances d'« Agent de restauration (démo) »" in trainer.last
    assert trainer.buttons[:2] == ["Toutes les formations", "Terminé"]
    await trainer.presses("Envoyer le bilan pédagogique")
    text = trainer.last
    assert "Envoyer le bilan pédagogique" in text
    assert "Échéance : mardi 24 novembre 2026 à 14 h 00" in text
    assert (
        "à Mme Sophie Leroy" in text
        and "Source : fiche procédure bilan à distance, Région Normandie, §I\n" in text
    )
    assert "§I)" not in text  # said once, on its own line (explorer DE8)
    assert "Règle : Région Normandie – bilan à distance programmé" in text and ".txt" not in text
    assert "NOR-DOCS" not in text  # its code, no one's words (explorer Z, Z7)
    assert "ne peut pas être reportée" in text
    assert "Reporter" not in trainer.buttons  # 48 h is the seed's, not ours
    stamp = trainer.replies[-1].choices[0].data.split("|")[0]
    await trainer.presses_data(f"{stamp}|postpone")  # a forged "Reporter"
    assert "ne peut pas être reportée" in trainer.last
    assert (await by_rule(db, "NOR-DOCS")).status == "open"
    await trainer.presses("Fait")
    assert "l'échéance « Envoyer le bilan pédagogique » est faite" in trainer.all_text
    docs = await by_rule(db, "NOR-DOCS")
    assert docs.status == "done" and docs.done_by == 1 and docs.done_at is not None
    assert not any("bilan pédagogique" in b for b in trainer.buttons)

    await trainer.presses("Préparer le bilan avec le groupe")
    assert "🔴 en retard" in trainer.last and "Reporter" in trainer.buttons
    await trainer.presses("Reporter")
    await trainer.says("hier")
    assert "Choisissez une date après le lundi 23 novembre 2026" in trainer.last
    await trainer.says("mercredi 25 novembre")
    assert "mercredi 25 novembre 2026" in trainer.last
    await trainer.presses("Oui, c'est ça")
    assert "Pour quelle raison" in trainer.last
    await trainer.says("le groupe est en stage cette semaine")
    assert "reportée au mercredi 25 novembre 2026" in trainer.all_text
    prep = await by_rule(db, "NOR-PREP")
    assert (prep.status, prep.postponed_to, prep.postpone_reason) == (
        "postponed",
        date(2026, 11, 25),
        "le groupe est en stage cette semaine",
    )
    assert prep.postponed_by == 1 and prep.due_on == date(2026, 11, 19)
    assert any(
        b.startswith("🟠 25/11 Préparer le bilan avec le groupe – bilan de fin du 26/11 (reportée)")
        for b in trainer.buttons
    )
    await trainer.presses("Préparer le bilan avec le groupe")
    assert "reportée au mercredi 25 novembre 2026" in trainer.last
    assert "Motif du report : le groupe est en stage cette semaine" in trainer.last
    await trainer.presses("Retour à la liste")
    await trainer.presses("Toutes les formations")
    assert "Échéances de l'organisme" in trainer.last
    await trainer.presses("Terminé")
    assert "/echeances" in trainer.last


async def test_every_step_of_echeances_survives_bad_input(db: Database, trainer: Person) -> None:
    await scheduled_long_ago(trainer)
    await trainer.says("/echeances")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Filtrer par formation")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Agent de restauration")
    await trainer.presses("Préparer le bilan avec le groupe")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Reporter")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("mercredi 25 novembre")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, c'est ça")
    await survives(db, trainer, FOR_NAMES)
    assert (await by_rule(db, "NOR-PREP")).status == "open"
    await trainer.says("salle indisponible")
    assert (await by_rule(db, "NOR-PREP")).postponed_to == date(2026, 11, 25)


async def test_a_formateur_sees_only_the_deadlines_of_their_formations(
    db: Database, trainer: Person, person: Any
) -> None:
    await schedule(trainer)
    async with db.sessions() as s, s.begin():
        claire = P(display_name="Claire Martin")
        s.add(claire)
        await s.flush()
        s.add(Membership(organisation_id=1, person_id=claire.id, role=Role.FORMATEUR.value))
        s.add(
            ChatIdentity(
                person_id=claire.id, platform="console", user_id="claire", chat_id="claire"
            )
        )
    colleague = person("claire")
    await colleague.says("/echeances")
    assert "Aucune échéance en cours pour vos formations" in colleague.last


async def test_none_when_there_is_nothing(db: Database, trainer: Person) -> None:
    async with db.sessions() as s, s.begin():
        from bot.storage.formations import Formation

        for f in (await s.scalars(select(Formation))).all():
            f.funder = "autre"
            await refresh_deadlines(s, f.id)  # as the formation's edit does
    await trainer.says("/echeances")
    assert "Aucune échéance en cours pour l'organisme" in trainer.last
    # Not "quand une formation est créée": most owe nothing until a bilan or a follow-up.
    assert "quand un bilan est programmé (/bilan) ou quand un suivi est ouvert" in trainer.last


async def test_done_stays_done_when_the_bilan_moves(db: Database, trainer: Person) -> None:
    await restauration(trainer)
    await trainer.presses("Envoyer les modes d'emploi du bilan à distance")
    await trainer.presses("Fait")
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    await trainer.says("jeudi 10 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    guides = await by_rule(db, "NOR-GUIDES")
    assert (guides.status, guides.due_on, guides.done_by) == ("done", date(2026, 12, 3), 1)


async def test_the_last_done_and_a_postponement_can_be_undone(
    db: Database, trainer: Person
) -> None:
    await restauration(trainer)
    assert not any(b.startswith("↩") for b in trainer.buttons)
    await trainer.presses("Envoyer les modes d'emploi du bilan à distance")
    await trainer.presses("Fait")
    assert "« Envoyer les modes d'emploi du bilan à distance » est faite" in trainer.all_text
    assert (await by_rule(db, "NOR-GUIDES")).status == "done"
    assert not any("Envoyer les modes d'emploi" in b for b in trainer.buttons)
    await trainer.presses("Annuler le dernier")
    assert (
        "« Envoyer les modes d'emploi du bilan à distance » est de nouveau à faire"
        in trainer.all_text
    )
    visio = await by_rule(db, "NOR-GUIDES")
    assert (visio.status, visio.done_by, visio.done_at) == ("open", None, None)
    assert any("Envoyer les modes d'emploi du bilan à distance" in b for b in trainer.buttons)
    assert not any(b.startswith("↩") for b in trainer.buttons)

    await trainer.presses("Préparer le bilan avec le groupe")
    assert "Annuler le report" not in " ".join(trainer.buttons)
    await trainer.presses("Reporter")
    await trainer.says("mercredi 25 novembre")
    await trainer.presses("Oui, c'est ça")
    await trainer.says("salle indisponible")
    assert (await by_rule(db, "NOR-PREP")).status == "postponed"
    await trainer.presses("Préparer le bilan avec le groupe")
    await trainer.presses("Annuler le report")
    assert "Report annulé" in trainer.all_text and "jeudi 19 novembre 2026" in trainer.all_text
    prep = await by_rule(db, "NOR-PREP")
    assert (prep.status, prep.postponed_to, prep.postpone_reason) == ("open", None, None)
    assert "Échéances d'« Agent de restauration (démo) »" in trainer.last
    async with db.sessions() as session:
        actions = (
            await session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "deadline")
                .order_by(AuditEntry.id)
            )
        ).all()
    # Booking marked NOR-VISIO and NOR-DELEGATES done first (what /bilan answered).
    assert list(actions) == ["done", "done", "done", "reopen", "postpone", "reopen"]


async def test_quitting_from_an_opened_deadline_ends_the_dialogue(
    db: Database, trainer: Person
) -> None:
    await restauration(trainer)
    await trainer.presses("Préparer le bilan avec le groupe")
    assert await step_of(db, trainer) == ("echeance", "deadline")
    await trainer.presses("Terminé")
    assert "Vos échéances sont toujours là : /echeances" in trainer.last
    assert await step_of(db, trainer) == (None, None)


async def test_after_the_bilan_its_pre_bilan_items_are_closed_not_red(
    db: Database, trainer: Person, clock: Clock, settings: Settings
) -> None:
    """Issue 11 item 16: once the bilan has begun, what was not done before it is closed as
    « non fait avant le bilan », kept so, and never red again."""
    await scheduled_long_ago(trainer)
    clock.now = datetime(2026, 11, 26, 13, 30, tzinfo=UTC)  # the bilan began at 14 h
    await build_scheduler(db, settings, clock=clock).tick()  # nobody opens anything
    prep = await by_rule(db, "NOR-PREP")
    assert (prep.status, prep.done_at) == ("missed", None)
    assert (await by_rule(db, "NOR-DOCS")).status == "missed"
    assert (await by_rule(db, "NOR-VISIO")).status == "done"  # done stays done
    assert (await by_rule(db, "NOR-PROOF")).status == "open"  # after the bilan: still owed
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    assert "🔴 en retard : 0" in trainer.last
    assert not any("Préparer le bilan" in b for b in trainer.buttons)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    assert (
        "Préparer le bilan avec le groupe : jeudi 19 novembre 2026 – non fait avant le bilan"
        in (trainer.last)
    )
    async with db.sessions() as session:
        exported = await deadline_rows(session, export_args(formation=1))
    statuses = {r["règle"]: r["statut"] for r in exported}
    assert statuses["NOR-PREP"] == "non fait avant le bilan"
    assert statuses["NOR-VISIO"] == "fait"


async def test_entries_of_one_formation_are_one_line_opening_on_the_names(
    db: Database, trainer: Person
) -> None:
    """Issue 11 item 17: not three red lines, one, the names in its detail."""
    await trainer.says("/echeances")
    [line] = [b for b in trainer.buttons if "entrées à saisir dans EOS" in b]
    assert line == "🔴 21/09 3 entrées à saisir dans EOS"  # one formation with deadlines
    await trainer.presses("3 entrées à saisir dans EOS")
    assert "Thomas Fabre, Inès Garnier, Nadia Roux" in trainer.last
    # What they share, not the first one's sentence (explorer U, U14).
    assert "À faire pour chaque personne, à sa date : données d'entrée dans EOS (" in trainer.last
    assert "Données de" not in trainer.last and "Données d'" not in trainer.last
    assert "🔴 21/09 Saisir l'entrée dans EOS – Inès Garnier" in trainer.buttons
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Saisir l'entrée dans EOS – Inès Garnier")
    await trainer.presses("Fait")
    # Whose, of the three of that title (explorer HB16).
    assert (
        "✅ C'est noté : l'échéance « Saisir l'entrée dans EOS » d'Inès Garnier est faite."
        in trainer.all_text
    )
    assert "Nadia Roux" in trainer.last and "Inès Garnier" not in trainer.last
    await trainer.presses("Toutes faites")
    assert "2 entrées à saisir dans EOS faites (Thomas Fabre, Nadia Roux)" in trainer.all_text
    assert not any("entrée" in b for b in trainer.buttons)
    assert "🔵 26/03 3 sorties à saisir dans EOS" in trainer.buttons  # the exits, later
    async with db.sessions() as session:
        entries = (
            await session.scalars(
                select(StoredDeadline).where(StoredDeadline.key.like("CVL-EOS-ENTRY:%"))
            )
        ).all()
    assert {(r.status, r.done_by) for r in entries} == {("done", 1)}
    # « Toutes faites » comes after the names, and is undone in one touch (explorer E).
    await trainer.presses("↩ Annuler le dernier « Fait »")
    assert "les 2 échéances « Saisir l'entrée dans EOS » sont de nouveau à faire" in (
        trainer.all_text
    )
    await trainer.presses("2 entrées à saisir dans EOS")
    assert trainer.buttons[-2:] == ["✅ Toutes faites", "Retour à la liste"]
    async with db.sessions() as session:
        statuses = (
            await session.scalars(
                select(StoredDeadline.status).where(StoredDeadline.key.like("CVL-EOS-ENTRY:%"))
            )
        ).all()
    assert sorted(statuses) == ["done", "open", "open"]  # Inès' own « Fait » stays


async def test_toutes_faites_after_a_colleague_s_says_who_did_them(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer KC2: Camille and Bruno, two admins, had the EOS entries' names open; Bruno's
    « ✅ Toutes faites » came first (two processes on PostgreSQL, or a moment before), and
    Camille's showed her the list again without a word: nothing said of Bruno's.  Now she
    is told who did them and when, and the journal keeps Bruno's one « fait » each."""
    await second_admin(db)
    bruno = person("bruno")
    for one in (trainer, bruno):
        await one.says("/echeances")
        await one.presses("3 entrées à saisir dans EOS")
    await bruno.presses("Toutes faites")
    assert "3 entrées à saisir dans EOS faites" in bruno.all_text
    await trainer.presses("Toutes faites")
    assert trainer.all_text.startswith(
        "Ces 3 échéances « Saisir l'entrée dans EOS » étaient déjà marquées faites par Bruno "
        "Petit le lundi 23 novembre 2026 à 10 h 00 : rien de plus à noter."
    ), trainer.all_text
    assert "Échéances de l'organisme" in trainer.last
    async with db.sessions() as session:
        done = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "done"))).all()
    assert len(done) == 3 and {entry.actor_id for entry in done} == {2}


async def test_a_name_a_colleague_marked_done_is_said_and_the_others_kept(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer KC2: the group's first name done (by a colleague, or by oneself) lost the
    group: its other names were no longer found, and a press on the name done meanwhile
    said « Je ne trouve pas cette échéance parmi les vôtres (elle a peut-être été
    recalculée) »."""
    await second_admin(db)
    bruno = person("bruno")
    for one in (trainer, bruno):
        await one.says("/echeances")
        await one.presses("3 entrées à saisir dans EOS")
    await bruno.presses("Saisir l'entrée dans EOS – Thomas Fabre")
    await bruno.presses("Fait")
    assert "Inès Garnier" in bruno.last and "Thomas Fabre" not in bruno.last  # still the names
    await trainer.presses("Saisir l'entrée dans EOS – Thomas Fabre")
    assert trainer.all_text.startswith(
        "L'échéance « Saisir l'entrée dans EOS » était déjà marquée faite par Bruno Petit"
    ), trainer.all_text
    assert "Inès Garnier, Nadia Roux" in trainer.last
    assert "Je ne trouve pas" not in trainer.all_text
    await trainer.presses("Toutes faites")
    assert "2 entrées à saisir dans EOS faites (Inès Garnier, Nadia Roux)" in trainer.all_text
    assert set((await entry_statuses(db)).values()) == {"done"}


async def entry_statuses(db: Database) -> dict[int, str]:
    async with db.sessions() as session:
        rows = (
            await session.scalars(
                select(StoredDeadline).where(StoredDeadline.key.like("CVL-EOS-ENTRY:%"))
            )
        ).all()
    return {r.id: r.status for r in rows}


async def test_done_typed_twice_is_said_neither_undone_nor_the_whole_group_done(
    db: Database, trainer: Person
) -> None:
    """Explorer EC3: « Fait » sent twice (a double send) fitted « ✅ Toutes faites » at the
    group's names, every other entry marked done, and « ↩ Annuler le dernier « Fait » » at
    the list, the first « Fait » undone.  The repeat is said; nothing else changes."""
    await trainer.says("/echeances")
    await trainer.presses("3 entrées à saisir dans EOS")
    await trainer.presses("Saisir l'entrée dans EOS – Inès Garnier")
    await trainer.says("Fait")
    await trainer.says("Fait")  # right after: the kit's double send (explorer EC11)
    assert trainer.all_text.startswith(
        "C'est déjà fait : votre message « Fait » m'est parvenu deux fois, je ne l'ai pris en"
        " compte qu'une fois."
    )
    assert sorted((await entry_statuses(db)).values()) == ["done", "open", "open"]
    await trainer.says("Fait")  # once more: what « Fait » means here said
    assert trainer.last.startswith(
        "« Fait » : c'est déjà noté, l'échéance « Saisir l'entrée dans EOS » d'Inès Garnier"
        " est faite. Pour les autres : choisissez un nom, ou « Toutes faites »"
    )
    assert sorted((await entry_statuses(db)).values()) == ["done", "open", "open"]
    await trainer.presses("Retour à la liste")
    await trainer.says("fait")
    assert trainer.last.startswith(
        "« Fait » : c'est déjà noté, l'échéance « Saisir l'entrée dans EOS » d'Inès Garnier"
        " est faite. Pour revenir dessus : « ↩ Annuler le dernier « Fait » »."
    )
    assert sorted((await entry_statuses(db)).values()) == ["done", "open", "open"]
    await trainer.presses("↩ Annuler le dernier « Fait »")  # the button still undoes it
    assert sorted((await entry_statuses(db)).values()) == ["open", "open", "open"]


async def more_formations(db: Database, count: int) -> None:
    """``count`` more formations like the demo's « Projet professionnel », their deadlines stored."""
    async with db.sessions() as session, session.begin():
        model = await session.scalar(select(Formation).where(Formation.funder == "cvl"))
        assert model is not None
        for number in range(count):
            copy = Formation(
                **{
                    c: getattr(model, c)
                    for c in (
                        "organisation_id",
                        "owner_id",
                        "funder",
                        "programme",
                        "action_type",
                        "mode",
                        "kind",
                        "start_date",
                        "end_date",
                        "certifying",
                        "long",
                    )
                },
                title=f"Parcours {number + 1}",
            )
            for name in ("Nadia Roux", "Thomas Fabre", "Inès Garnier"):
                copy.trainees.append(
                    Trainee(full_name=name, name_key=name.lower(), entered_on=model.start_date)
                )
            session.add(copy)
            await session.flush()
            await refresh_deadlines(session, copy.id)


async def test_the_list_costs_a_few_statements_however_many_formations(
    db: Database, trainer: Person
) -> None:
    """Issue 14: 444 statements with 40 formations; one query per section, not per formation."""
    await trainer.says("/aide")  # the conversation's row exists from here on
    costs = []
    for count in (0, 38):
        await more_formations(db, count)
        with counting(db) as sent:
            await trainer.says("/echeances")
        costs.append([s for s in sent if s not in ("BEGIN", "COMMIT", "ROLLBACK")])
        assert "Échéances de l'organisme" in trainer.last
        await trainer.says("Terminé")
    few, many = costs
    # The engine's five, the titles, the begun bilans' closing, the deadlines read for the
    # counts and the buttons, the names they concern, the week's failures (an admin).
    assert len(many) == len(few) <= 14, "\n".join([*few, "----", *many])


async def test_an_exit_in_eos_cannot_be_marked_done_before_the_exit(
    db: Database, trainer: Person
) -> None:
    """Explorer T, T2: « Toutes faites » on 4 December marked done an EOS entry due on
    29 March, a record of data entered before the person entered."""
    await trainer.says("/echeances")
    await trainer.presses("3 sorties à saisir dans EOS")
    await trainer.presses("Toutes faites")
    assert "Trop tôt pour noter « Saisir la sortie dans EOS » comme fait" in trainer.last
    assert "Celle de Thomas Fabre se fait à partir du" in trainer.last
    await trainer.presses("Saisir la sortie dans EOS – Nadia Roux")
    await trainer.presses("Fait")
    assert "se fait à partir du" in trainer.last and "le jour même" not in trainer.last
    async with db.sessions() as session:
        exits = (
            await session.scalars(
                select(StoredDeadline).where(StoredDeadline.key.like("CVL-EOS-EXIT:%"))
            )
        ).all()
        assert {r.status for r in exits} == {"open"}
    # Two exits this week, today's and Wednesday's: two lines (explorer IC1), today's can be
    # noted, Wednesday's not yet.
    first, second = sorted(exits, key=lambda r: r.id)[:2]
    async with db.sessions() as session, session.begin():
        for row_id, day in ((first.id, date(2026, 11, 23)), (second.id, date(2026, 11, 25))):
            row = await session.get(StoredDeadline, row_id)
            assert row is not None
            row.due_on = day
    await trainer.says("/echeances")
    assert "🟠 23/11 Saisir la sortie dans EOS – Thomas Fabre" in trainer.buttons
    assert "🟠 25/11 Saisir la sortie dans EOS – Inès Garnier" in trainer.buttons
    await trainer.presses("25/11 Saisir la sortie")
    await trainer.presses("Fait")
    assert "se fait à partir du mercredi 25 novembre 2026" in trainer.last
    await trainer.says("/echeances")
    await trainer.presses("23/11 Saisir la sortie")
    await trainer.presses("Fait")
    async with db.sessions() as session:
        statuses = {
            r.id: r.status
            for r in (
                await session.scalars(
                    select(StoredDeadline).where(StoredDeadline.key.like("CVL-EOS-EXIT:%"))
                )
            ).all()
        }
    assert (statuses[first.id], statuses[second.id]) == ("done", "open")


async def test_a_deadline_on_a_day_off_gives_the_working_day_before(
    db: Database, trainer: Person
) -> None:
    """Explorer B: /bilan said « (un samedi : à faire plutôt le vendredi …) », the detail of
    /echeances gave the Saturday alone."""
    await schedule(trainer)
    await move_due(db, "NOR-PROOF", date(2026, 11, 28))  # a Saturday
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    # The list gives the day to act, the Friday (explorer B: « 🟠 28/11 »).
    assert any(b.startswith("🟠 27/11 Envoyer les justificatifs") for b in trainer.buttons)
    await trainer.presses("Envoyer les justificatifs")
    assert (
        "Échéance : samedi 28 novembre 2026 (un samedi : à faire plutôt le vendredi 27 novembre "
        "2026)" in trainer.last
    )


async def test_a_deadline_with_an_hour_on_a_day_off_is_listed_on_the_day_before_without_it(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer CD6: the bilan pédagogique of a Monday 14 h bilan, due the Saturday at 14 h,
    was listed « 🟠 27/11 14 h 00 », the Saturday's hour beside the Friday, read as due the
    Friday at 14 h (and still orange past it), where its detail and the digest say « samedi
    28 novembre 2026 à 14 h 00 (un samedi : à faire plutôt le vendredi 27 novembre 2026) »."""
    await schedule(trainer, bilan_on("lundi 30 novembre à 14 h"))
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    [button] = [b for b in trainer.buttons if "bilan pédagogique" in b]
    assert button.startswith("🟠 27/11 Envoyer le bilan pédagogique"), button
    await trainer.presses("bilan pédagogique")
    assert (
        "Échéance : samedi 28 novembre 2026 à 14 h 00 (un samedi : à faire plutôt le vendredi "
        "27 novembre 2026)"
    ) in trainer.last
    await trainer.says("/annuler")
    clock.now = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # the Saturday: its own day and hour
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    [button] = [b for b in trainer.buttons if "bilan pédagogique" in b]
    assert button.startswith("🟠 28/11 14 h 00 Envoyer le bilan pédagogique"), button


async def test_a_big_group_s_actions_are_on_every_page_and_its_names_in_order(
    db: Database, trainer: Person
) -> None:
    """Explorer H H9: « Toutes faites » and « Retour à la liste » were on the last page only,
    page 202 of 202, and the buttons were not in the text's order."""
    names = [
        f"{first} {last}"
        for first, last in zip(
            [
                "Zoé",
                "Théo",
                "Tom",
                "Nadia",
                "Chloé",
                "Clara",
                "Jade",
                "Omar",
                "Marie",
                "Léo",
                "Anne",
            ],
            [
                "Denis",
                "Gauthier",
                "Joly",
                "Lemaire",
                "Leroy",
                "Dumont",
                "Fontaine",
                "Fontanel",
                "Gautier",
                "Abadie",
                "Vidal",
            ],
            strict=True,
        )
    ]
    formation = await add_formation(db, title="Cuisine", funder="cvl", trainees=tuple(names))
    async with db.sessions() as session, session.begin():
        await refresh_deadlines(session, formation)
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Cuisine")
    await trainer.presses("11 entrées à saisir dans EOS")
    buttons = trainer.buttons
    assert buttons[-2:] == ["✅ Toutes faites", "Retour à la liste"]
    assert any(b.startswith("Suivants") for b in buttons)
    listed = [b.split(" ", 2)[2] for b in buttons if b.startswith(("🔴", "🟠", "🔵"))]
    assert listed == sorted(listed, key=lambda n: n.split()[1])  # by surname, as the text
    await trainer.presses("Suivants")
    assert trainer.buttons[-2:] == ["✅ Toutes faites", "Retour à la liste"]
    await trainer.presses("Vidal")  # on page 2
    await trainer.presses("Fait")
    assert any(b.startswith("◀ Précédents") for b in trainer.buttons)  # back on page 2
    await trainer.says("Toutes faites")
    assert "C'est noté" in trainer.all_text


async def test_the_deadlines_are_numbered_alike_on_a_short_list_and_a_paged_one(
    trainer: Person,
) -> None:
    """Explorer I: « 1 » was « Terminé » on a short list, the first deadline on a paged one."""
    await restauration(trainer)
    assert trainer.numbered[:3] == [
        "– Toutes les formations",
        "– Terminé",
        "1. 🔴 19/11 Envoyer les modes d'emploi du bilan à distance – bilan de fin du 26/11",
    ]
    await trainer.says("1")
    assert trainer.last.startswith("Envoyer les modes d'emploi du bilan à distance")


async def echeances_on_telegram(db: Database, person: Any) -> tuple[Person, list[str]]:
    """Camille's /echeances on Telegram, and its buttons as the transport cuts them."""
    async with db.sessions() as s, s.begin():
        camille = await s.scalar(select(P).where(P.display_name == "Camille Durand"))
        assert camille is not None
        s.add(ChatIdentity(person_id=camille.id, platform="telegram", user_id="c", chat_id="c"))
    on_telegram = person("c", Platform.TELEGRAM)
    await on_telegram.says("/echeances")
    markup = keyboard(on_telegram.replies[-1])
    assert markup is not None
    return on_telegram, [b.text for row in markup.inline_keyboard for b in row]


@pytest.mark.parametrize(
    ("titles", "shared"),
    [
        (("CAP Cuisine", "CAP Pâtisserie"), " – Rouen – session de printemps 2027"),
        # Explorer R R6: « Logistique groupe…sion d'hiver Rouen », the number cut away.
        (("Logistique groupe 08", "Logistique groupe 18"), " – session d'hiver Rouen"),
    ],
)
async def test_telegram_buttons_keep_what_tells_two_formations_apart(
    db: Database, trainer: Person, person: Any, titles: tuple[str, str], shared: str
) -> None:
    """Explorer H H5: on Telegram two buttons read « 🔴 07/09 2 entrées à saisir dans…uen –
    session de printemps 2027 », the formation's own name cut by the transport."""
    for title in titles:
        formation = await add_formation(
            db, title=title + shared, funder="cvl", trainees=("Anne Roc", "Ben Sol")
        )
        async with db.sessions() as session, session.begin():
            await refresh_deadlines(session, formation)
    on_telegram, shown = await echeances_on_telegram(db, person)
    for title in titles:  # each formation's button names it
        assert len([b for b in shown if f"· {title}" in b]) == 3, shown
    assert len(shown) == len(set(shown))  # no two buttons alike
    # Explorer ED1: what the buttons cut is listed whole with the question, for Telegram.
    details = [c.detail for c in on_telegram.replies[-1].choices if c.detail]
    assert details and all(len(b) <= 64 for b in shown)
    for title in titles:
        assert any(d.endswith(f"· {title}{shared}") for d in details), details
    # Explorer GE7: every deadline listed, a short one too, the numbers running on.
    lines = [
        c for c in on_telegram.replies[-1].choices if c.data.split("|")[-1][:2] in ("d:", "g:")
    ]
    assert lines and all(c.detail for c in lines)


def test_a_session_or_a_composante_is_named_short_in_a_button() -> None:
    assert (
        short_scope("la session « Session 1 » (du lundi 7 décembre 2026 au jeudi 31 décembre 2026)")
        == "Session 1"
    )
    assert short_scope("la composante « Cuisine »") == "composante Cuisine"
    assert short_scope("Karim Benali") == "Karim Benali"


async def test_a_session_s_deadline_keeps_its_title_in_the_list(trainer: Person) -> None:
    """Explorer AA, AA8: « Envoyer le bila… – la session « Session 1 » (du lundi 7 décembre
    2026 au jeudi 31… »: the title cut for dates the detail gives."""
    await cvl_sessions_saved(
        trainer,
        "Premiers gestes vente",
        "premiers gestes",
        SPRING,
        TWO_SESSIONS,
    )
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Premiers gestes vente")
    assert any("Envoyer le bilan qualitatif de fin – Session 1" in b for b in trainer.buttons), (
        trainer.buttons
    )


async def test_exits_of_different_days_are_not_one_line_dated_by_the_earliest(
    db: Database, trainer: Person
) -> None:
    """Explorer IC1: Nadia's exit on Monday 28 December drew the two others of March into
    « 🔵 28/12 3 sorties à saisir dans EOS »: the admin read three exits to enter that day.
    Exits still to come are taken together only when due the same day."""
    await record_exit(db, "Nadia Roux", date(2026, 12, 25), "emploi")
    async with db.sessions() as session, session.begin():
        nadia = await session.scalar(select(Trainee).where(Trainee.full_name == "Nadia Roux"))
        assert nadia is not None
        await refresh_deadlines(session, nadia.formation_id)
    await trainer.says("/echeances")
    exits = [b for b in trainer.buttons if "sortie" in b]
    assert exits == [
        "🔵 28/12 Saisir la sortie dans EOS – Nadia Roux",
        "🔵 26/03 2 sorties à saisir dans EOS",
    ]
    assert "🔵 plus tard : 4" in trainer.last  # the lines shown, as before
    await trainer.presses("2 sorties à saisir dans EOS")
    assert "Thomas Fabre, Inès Garnier." in trainer.last
    assert not any("Nadia" in b for b in trainer.buttons)


async def test_telegram_buttons_keep_the_trainee_whole_and_the_start_day_of_twins(
    db: Database, trainer: Person, person: Any
) -> None:
    """Explorer KB, KB2: two « Agent de restauration » got the same button, « … – Inès David
    · Agent de restauration (… », their start day cut away, and names were cut in their
    middle (« Youss…ure… »): the deadline's title gives way first, down to a few letters."""
    for today in (date(2026, 11, 23), date(2026, 11, 26)):
        formation = await add_formation(
            db,
            title="Agent de restauration",
            funder="cvl",
            trainees=("Youssef Laurent-Bertrand",),
            today=today,
        )
        async with db.sessions() as session, session.begin():
            await refresh_deadlines(session, formation)
    _, every = await echeances_on_telegram(db, person)
    shown = [b for b in every if b[0] in "🔴🟠🔵"]
    assert len(shown) == len(set(shown)), shown  # no two buttons alike
    assert all(len(b) <= 64 for b in shown), shown
    twins = [b for b in shown if "Agent d" in b]
    assert sorted(b[-7:] for b in twins) == ["(03/11)"] * 3 + ["(06/11)"] * 3, shown
    assert len([b for b in twins if "– Youssef Laurent-Bertrand · Agent d" in b]) == 4


async def test_a_deadline_opened_from_page_2_comes_back_to_page_2(
    db: Database, trainer: Person
) -> None:
    """Explorer KB, KB5: a deadline opened from page 8 of forty formations' deadlines, then
    « Fait » or « Retour à la liste », brought the list back on page 1."""
    for city in ("Caen", "Rouen", "Évreux", "Le Havre"):
        formation = await add_formation(
            db, title=f"Cariste – {city}", funder="cvl", trainees=("Anne Roc", "Ben Sol")
        )
        async with db.sessions() as session, session.begin():
            await refresh_deadlines(session, formation)
    await trainer.says("/echeances")
    await trainer.presses("Suivants")
    second = [b for b in trainer.buttons if b.startswith("🔵") and "Envoyer" in b]
    grouped = [b for b in trainer.buttons if b.startswith("🔵") and "sorties" in b]
    assert second and grouped, trainer.buttons
    await trainer.presses(second[0])
    await trainer.presses("Retour à la liste")
    assert any(b.startswith("◀ Précédents") for b in trainer.buttons), trainer.buttons
    assert second[0] in trainer.buttons
    await trainer.presses(grouped[-1])  # a line of several names, then back
    await trainer.presses("Retour à la liste")
    assert any(b.startswith("◀ Précédents") for b in trainer.buttons), trainer.buttons
    await trainer.presses(second[-1])
    await trainer.presses("Fait")
    assert "C'est noté" in trainer.all_text
    assert any(b.startswith("◀ Précédents") for b in trainer.buttons), trainer.buttons
    assert second[-1] not in trainer.buttons


async def test_telegram_buttons_of_one_bilan_keep_its_day_and_what_tells_titles_apart(
    db: Database, trainer: Person, person: Any
) -> None:
    """Explorer KB, KB2: the label cut as a whole in its middle took the bilan's day
    (« Envoyer les mod… – bilan…fin… »); a title keeps what tells it from the others of its
    bilan (« Envoyer les m… », « Envoyer les j… »), however short the rest makes it."""
    await scheduled_long_ago(trainer)
    await add_formation(db, title="Assistant de vie aux familles – Cherbourg-en-Cotentin")
    _, every = await echeances_on_telegram(db, person)
    shown = [b for b in every if b[0] in "🔴🟠🔵"]
    bilan = [b for b in shown if "– bilan" in b]
    assert len(bilan) == 4 and all(len(b) <= 64 and "26/11 ·" in b for b in bilan), shown
    assert any("Envoyer les m" in b for b in bilan) and any("Envoyer les j" in b for b in bilan)


async def test_the_words_after_echeances_filter_the_list(db: Database, trainer: Person) -> None:
    """Explorer KB7: « /echeances Maçon » listed the whole organisation's deadlines."""
    await scheduled_long_ago(trainer)
    await trainer.says("/echeances restauration")
    assert trainer.last.startswith("Échéances d'« Agent de restauration (démo) » :")
    await trainer.says("/annuler")
    await trainer.says("/echeances démo")  # both demo formations: which one
    assert trainer.last == "Quelle formation ?"
    assert trainer.buttons == [
        "Agent de restauration (démo) (4 à faire)",
        "Projet professionnel (démo) (4 à faire)",
    ]
    await trainer.presses("Projet professionnel")
    assert trainer.last.startswith("Échéances de « Projet professionnel (démo) » :")
    await trainer.says("/annuler")
    await trainer.says("/echeances zorglub")
    assert trainer.replies[-2].text == (
        "Aucune formation ne correspond à « zorglub » : voici toutes les échéances."
    )
    assert trainer.last.startswith("Échéances de l'organisme")


async def test_the_words_after_echeances_are_not_read_in_the_count(
    db: Database, trainer: Person
) -> None:
    """Explorer MA4: « /echeances à faire » asked « Quelle formation ? » of every formation
    (each label ends with « (4 à faire) »), « /echeances démo 4 » opened one by its count:
    « à faire » is the whole list, and a formation is named by its title only."""
    await scheduled_long_ago(trainer)
    await trainer.says("/echeances à faire")
    assert trainer.last.startswith("Échéances de l'organisme")
    assert "Aucune formation" not in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("/echeances démo 4")
    assert trainer.replies[-2].text == (
        "Aucune formation ne correspond à « démo 4 » : voici toutes les échéances."
    )
    assert trainer.last.startswith("Échéances de l'organisme")


async def test_the_words_after_echeances_naming_formations_with_nothing_to_do(
    db: Database, trainer: Person
) -> None:
    """Explorer MA5: « /echeances cariste » said « Aucune formation ne correspond » although
    Cariste formations exist (with nothing to do), and a trainee's name was said to fit no
    formation, as if misspelt: the formations are said to have nothing to do, the name to be
    no formation's."""
    await scheduled_long_ago(trainer)
    await add_formation(db, title="Cariste – Caen", trainees=("Paul Henry",))
    await add_formation(db, title="Cariste – Rouen", trainees=("Inès David",))
    await trainer.says("/echeances cariste caen")
    assert trainer.replies[-2].text == (
        "« Cariste – Caen » n'a aucune échéance à faire : voici toutes les échéances."
    )
    assert trainer.last.startswith("Échéances de l'organisme")
    await trainer.says("/annuler")
    await trainer.says("/echeances cariste")
    assert trainer.replies[-2].text == (
        "Les 2 formations qui correspondent à « cariste » n'ont aucune échéance à faire : "
        "voici toutes les échéances."
    )
    await trainer.says("/annuler")
    await trainer.says("/echeances Paul Henry")
    assert trainer.replies[-2].text == (
        # No agreement with the name (explorer AI5).
        "« Paul Henry » est le nom d'une personne en formation : /echeances ne lit que les noms de "
        "formations. Voici toutes les échéances."
    )
    assert trainer.last.startswith("Échéances de l'organisme")


async def test_telegram_buttons_of_long_names_keep_the_kind_of_deadline(
    db: Database, trainer: Person, person: Any
) -> None:
    """Explorer MA2: with a 32-character name and two formations of one title a year apart,
    an entry and an exit read « 🔴 03/11/2025 S… – Marie-Christine Dupont-Dela… · A… »: the
    title keeps what tells its kind apart (« Saisir l'… », « Saisir la… »), the formation a
    few letters, the name giving way before them."""
    for start in (date(2025, 11, 3), date(2026, 11, 3)):
        f = await add_formation(
            db,
            title="Agent de restauration",
            funder="cvl",
            trainees=("Marie-Christine Dupont-Delacroix",),
            today=start,
        )
        async with db.sessions() as session, session.begin():
            await refresh_deadlines(session, f)
    _, shown = await echeances_on_telegram(db, person)
    theirs = [b for b in shown if "Marie-" in b]
    assert len(theirs) == 4 and all(len(b) <= 64 for b in theirs), shown
    assert sum("Saisir l'…" in b for b in theirs) == 2, theirs
    assert sum("Saisir la…" in b for b in theirs) == 2, theirs
    assert all("· Agent d" in b for b in theirs), theirs


async def test_the_start_day_typed_after_echeances_tells_twins_apart(
    db: Database, trainer: Person
) -> None:
    """Explorer MB5: since MA4 the words after /echeances were read in the titles only, and
    even the text of a twin's own button, « Agent de restauration (03/11/2025) », said
    « Aucune formation ne correspond »: a start day typed with title words now narrows, a
    day without its year (« (03/11) », as the list writes this year's) is the nearest."""
    for today in (date(2026, 11, 23), date(2025, 11, 23)):  # started 3/11/2026, 3/11/2025
        f = await add_formation(db, title="Agent de restauration", funder="cvl", today=today)
        async with db.sessions() as session, session.begin():
            await refresh_deadlines(session, f)
    for words in (
        "Agent de restauration (03/11/2025)",
        "agent 2025",
        "restauration novembre 2025",
        "Agent de restauration (03/11)",
    ):
        await trainer.says(f"/echeances {words}")
        year = 2025 if "2025" in words else 2026
        weekday = "lundi" if year == 2025 else "mardi"
        assert trainer.last.startswith(
            f"Échéances d'« Agent de restauration ({weekday} 3 novembre {year}) » :"
        ), words
        assert "Aucune formation" not in trainer.all_text
        await trainer.says("/annuler")
    await trainer.says("/echeances Agent de restauration")  # both, never the first alone
    assert trainer.last.startswith("Quelle formation ?\n2 choix sur 3 correspondent")
    assert trainer.buttons == [
        "Agent de restauration (lundi 3 novembre 2025) (3 à faire)",
        "Agent de restauration (mardi 3 novembre 2026) (3 à faire)",
        "Toute la liste",
    ]


async def test_twins_of_one_day_have_buttons_of_their_own(
    db: Database, trainer: Person, person: Any
) -> None:
    """Explorer MA3: two « Agent de restauration » started the same day read the same in
    every button of /echeances on Telegram (« … · Agent de restauration (03/11) » twice) and
    in « Quelle formation ? »: what differs is added, here the trainees' first names."""
    for trainees in (("Zoé Lambert", "Karim Benali"), ("Zoé Lambert", "Inès David")):
        f = await add_formation(
            db,
            title="Agent de restauration",
            funder="cvl",
            trainees=trainees,
            today=date(2026, 11, 23),
        )
        async with db.sessions() as session, session.begin():
            await refresh_deadlines(session, f)
    on_telegram, shown = await echeances_on_telegram(db, person)
    twins = [b for b in shown if "Agent de restauration (" in b]
    assert len(twins) == 6 and len(set(twins)) == 6, shown
    assert all(len(b) <= 64 for b in twins), twins
    assert sum(b.endswith("(03/11, avec Karim)") for b in twins) == 3, twins
    assert sum(b.endswith("(03/11, avec Inès)") for b in twins) == 3, twins
    await on_telegram.says("/annuler")
    await on_telegram.says("/echeances agent")
    assert on_telegram.buttons[:2] == [
        "Agent de restauration (mardi 3 novembre 2026, avec Inès) (3 à faire)",
        "Agent de restauration (mardi 3 novembre 2026, avec Karim) (3 à faire)",
    ], on_telegram.buttons
    await on_telegram.says("/annuler")
    await on_telegram.says("/echeances Agent de restauration (03/11, avec Karim)")  # its text
    assert on_telegram.last.startswith(
        "Échéances d'« Agent de restauration (mardi 3 novembre 2026, avec Karim) » :"
    ), on_telegram.last
    await trainer.says("/formations agent")
    assert "Agent de restauration (mardi 3 novembre 2026, avec Karim)" in trainer.buttons
    assert "Agent de restauration (mardi 3 novembre 2026, avec Inès)" in trainer.buttons


async def test_c_fait_typed_under_the_list_asks_which_one_and_marks_that_one(
    db: Database, trainer: Person
) -> None:
    """Explorer KF15: « c fait » typed right under the list, no deadline opened, was « Je n'ai
    pas reconnu ce choix »; no deadline can be guessed: the open ones are offered, the one
    chosen is marked done and can be undone; bad input at that question marks none."""
    await restauration(trainer)
    await trainer.says("c fait")
    assert trainer.last == "Laquelle est faite ? Choisissez-la, je la note faite."
    assert trainer.buttons == [
        "🔴 19/11 Envoyer les modes d'emploi du bilan à distance – bilan de fin du 26/11",
        "🔴 19/11 Préparer le bilan avec le groupe – bilan de fin du 26/11",
        "🟠 24/11 14 h 00 Envoyer le bilan pédagogique – bilan de fin du 26/11",
        "Retour à la liste",
    ]  # the proofs, due after the bilan, cannot be done yet: not offered
    before = await done_rules(db)
    await survives(db, trainer, FOR_CHOICES)
    assert await done_rules(db) == before
    await trainer.presses("Préparer le bilan avec le groupe – bilan de fin du 26/11")
    assert trainer.all_text.startswith(
        "✅ C'est noté : l'échéance « Préparer le bilan avec le groupe » est faite."
    )
    assert await done_rules(db) == {*before, "NOR-PREP"}
    assert "↩ Annuler le dernier « Fait »" in trainer.buttons
    await trainer.says("fait")  # the « Fait » just given: said, not another one marked
    assert await done_rules(db) == {*before, "NOR-PREP"}
    await trainer.says("Terminé")
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    await trainer.says("c'est fait")
    await trainer.presses("Retour à la liste")
    assert trainer.last.startswith("Échéances d'« Agent de restauration (démo) »")
    assert await done_rules(db) == {*before, "NOR-PREP"}


async def done_rules(db: Database) -> set[str]:
    """The rules of the deadlines marked done."""
    async with db.sessions() as session:
        rows = await session.scalars(select(StoredDeadline).where(StoredDeadline.status == "done"))
        return {row.rule_id for row in rows}
