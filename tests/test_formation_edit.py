"""Correcting a formation by chat after creating it, and deleting one created by mistake (issue 11, item 10)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.app import build_engine
from bot.config import Settings
from bot.dates import spell_date
from bot.deadlines.service import compute, refresh_deadlines
from bot.storage import people
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.absences import add_formation
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, FOR_TEXT, MARKUP, Bad, step_of, survives
from tests.auxil.race import one_after_the_other, second_admin, two_processes
from tests.test_bilan import REMOTE, answer

DEMO = "Agent de restauration"
NAMES = ("Karim Benali", "Julie Petit", "Léa Martin")
PROJET = "Projet professionnel"


async def stored(db: Database, title: str = DEMO) -> Formation:
    async with db.sessions() as session:
        formation = await session.scalar(select(Formation).where(Formation.title.startswith(title)))
        assert formation is not None
        await session.refresh(formation, ["trainees", "sessions"])
        return formation


async def deadlines_of(db: Database, formation_id: int) -> list[StoredDeadline]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(StoredDeadline).where(StoredDeadline.formation_id == formation_id)
        )
        return list(rows.all())


async def audit(db: Database, formation_id: int) -> list[tuple[str, dict[str, object]]]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "formation", AuditEntry.entity_id == formation_id)
            .order_by(AuditEntry.id)
        )
        return [(r.action, r.details) for r in rows]


async def open_edit(trainer: Person) -> None:
    await trainer.says("/formations")
    await trainer.presses(DEMO)
    await trainer.presses("Modifier la formation")


async def test_every_field_typed_at_creation_is_corrected_and_the_deadlines_follow(
    db: Database, trainer: Person
) -> None:
    before = await stored(db)
    await trainer.says("/echeances")  # the demo's deadlines, computed
    assert not any(d.rule_id.startswith("CVL") for d in await deadlines_of(db, before.id))
    await open_edit(trainer)
    assert trainer.last == f"Que voulez-vous corriger dans « {before.title} » ?"
    assert {"Intitulé", "Financeur et programme", "Courte ou longue", "Certifiante ou non"} <= set(
        trainer.buttons
    )
    assert "Suivi à la Région (nom, e-mail)" in trainer.buttons

    await trainer.presses("Intitulé")
    # Explorer V, V8: not « Créons la formation » for one that exists.
    assert trainer.last.startswith(f"Quel est le nouvel intitulé d'« {before.title} » ?")
    await trainer.says("Agent de restauration – session d'hiver")
    assert "C'est corrigé : intitulé." in trainer.all_text
    # The menu of corrections comes back, with the new title.
    assert (
        trainer.last
        == "Que voulez-vous corriger dans « Agent de restauration – session d'hiver » ?"
    )

    await trainer.presses("Financeur et programme")
    await trainer.presses("Région Centre-Val de Loire")
    assert "programme" in trainer.last
    await trainer.presses("Parcours Métiers")
    await trainer.presses("projet professionnel")
    assert "C'est corrigé : financeur, programme, type d'action." in trainer.all_text
    assert "Les échéances sont recalculées." in trainer.all_text

    await trainer.presses("Courte ou longue")
    await trainer.presses("Courte")
    await trainer.presses("Certifiante ou non")
    await trainer.presses("Non")
    await trainer.presses("Nature")
    await trainer.presses("Une formation")
    assert "Rien n'a changé : c'était déjà ainsi." in trainer.all_text

    await trainer.presses("Suivi à la Région")
    await trainer.says("M. Paul Girard")
    await trainer.presses("Passer")  # no e-mail
    # Now a Centre-Val de Loire formation: no proofs of participation are owed there
    # (explorer T, T9), what cannot go to him is the bilans' invitations.
    assert "je ne pourrai jamais lui envoyer moi-même les invitations aux bilans" in (
        trainer.all_text
    )
    await trainer.presses("Terminé")
    assert trainer.last == "Que voulez-vous faire d'« Agent de restauration – session d'hiver » ?"
    await trainer.presses("Voir le détail")
    assert "Région Centre-Val de Loire – Parcours Métiers" in trainer.all_text
    assert "Non certifiante, courte" in trainer.all_text
    await trainer.presses("Terminé")
    assert await step_of(db, trainer) == (None, None)

    after = await stored(db, "Agent de restauration –")
    assert after.id == before.id
    assert (after.title, after.funder, after.programme, after.action_type) == (
        "Agent de restauration – session d'hiver",
        "cvl",
        "parcours_metiers",
        "projet_pro",
    )
    assert (after.long, after.certifying) == (False, False)
    assert (after.cm_name, after.cm_email) == ("M. Paul Girard", None)
    # The Centre-Val de Loire's rules now apply: its bilan de fin is owed.
    rules = {d.rule_id for d in await deadlines_of(db, after.id)}
    assert "CVL-BQ-END" in rules
    edits = [details for action, details in await audit(db, after.id) if action == "edit"]
    assert {"fields": ["title"]} in edits
    assert {"fields": ["funder", "programme", "action_type"]} in edits
    assert {"fields": ["cm_name", "cm_email"]} in edits
    assert all("Girard" not in str(details) for details in edits)  # names never in the audit


async def test_the_detail_of_someone_else_s_formation_says_who_is_in_charge(
    db: Database, trainer: Person
) -> None:
    """Explorer BD6: an administrator with forty formations could not see whose each was."""
    await trainer.says("/formations")
    await trainer.presses(DEMO)
    await trainer.presses("Voir le détail")
    assert "En charge :" not in trainer.all_text  # her own: nothing to say
    async with db.sessions() as session, session.begin():
        marc = people.Person(display_name="Marc Dubois")
        session.add(marc)
        await session.flush()
        formation = await session.scalar(select(Formation).where(Formation.title.startswith(DEMO)))
        assert formation is not None
        formation.owner_id = marc.id
    await trainer.says("/formations")
    await trainer.presses(DEMO)
    await trainer.presses("Voir le détail")
    assert "En charge : Marc Dubois" in trainer.all_text


async def test_the_detail_says_what_the_texts_ask_that_is_off_here(
    db: Database, trainer: Person
) -> None:
    """Explorer BB3: why a CVL Parcours Métiers owes no tracking table was said only in an
    administrator's /reglages."""
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Voir le détail")
    assert (
        "Ne s'applique pas ici : Le tableau de suivi des orientations et du recrutement est "
        "demandé par les pièces pédagogiques exigées" in trainer.all_text
    )
    assert "pour les Parcours Métiers il n'est plus à compléter" in trainer.all_text
    # The organisation's own procedure switched off: one line, not one per rule (CB9).
    async with db.sessions() as session, session.begin():
        await session.execute(update(people.Organisation).values(settings={"ely_procedure": False}))
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Voir le détail")
    assert trainer.all_text.count("L'organisation n'applique pas la procédure Elycoop") == 1


async def test_a_trainee_s_name_at_which_formation_opens_hers(
    db: Database, trainer: Person
) -> None:
    """Explorer BD9: « Julie Fabre » at « Quelle formation ? » was « pas reconnu »."""
    await trainer.says("/formations")
    await trainer.says("Léa Martin")
    assert trainer.last.startswith("Que voulez-vous faire d'« Agent de restauration (démo) » ?")
    await trainer.says("/annuler")
    await add_formation(db, title="Cariste", trainees=("Léa Martin",))
    await trainer.says("/formations")
    await trainer.says("martin")
    # Explorer KB3: the formations holding the name as the buttons, not named in a paragraph.
    assert trainer.last == (
        "Quelle formation ?\nLe nom « martin » figure dans 2 formations sur 3 : choisissez la "
        "bonne ou tapez son numéro (« Toute la liste » pour revenir à l'ensemble)."
    )
    assert trainer.buttons == [
        "Cariste (mardi 3 novembre 2026)",
        "Agent de restauration (démo) (lundi 19 octobre 2026)",
        "Toute la liste",
    ]
    await trainer.says("zorglub")
    assert "Je n'ai pas reconnu ce choix" in trainer.last


async def test_the_deletion_asks_about_the_formation_as_it_is_named_now(
    db: Database, trainer: Person
) -> None:
    """Explorer BA8: renamed by a colleague meanwhile, it was offered for deletion under the
    name it no longer had."""
    await trainer.says("/formations")
    await trainer.presses(DEMO)
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(select(Formation).where(Formation.title.startswith(DEMO)))
        assert formation is not None
        formation.title = "Titre A"
    await trainer.presses("Supprimer la formation")
    assert trainer.last.startswith("Supprimer la formation « Titre A » ?")


async def test_one_of_two_groups_of_one_title_is_named_by_its_start_day(
    db: Database, trainer: Person
) -> None:
    """Explorer DA16: « Supprimer la formation « Agent de restauration » ? », but which one?"""
    async with db.sessions() as session, session.begin():
        both = (await session.scalars(select(Formation).order_by(Formation.id))).all()
        both[1].title = both[0].title
        title, starts = both[0].title, {spell_date(f.start_date) for f in both}
    await trainer.says("/formations")
    await trainer.says("1")
    shown = trainer.last
    assert shown.startswith(f"Que voulez-vous faire d'« {title} (") or shown.startswith(
        f"Que voulez-vous faire de « {title} ("
    )
    await trainer.presses("Supprimer la formation")
    assert any(
        trainer.last.startswith(f"Supprimer la formation « {title} ({start}) » ?")
        for start in starts
    ), trainer.last


async def test_a_formation_created_by_mistake_is_deleted_after_confirmation(
    db: Database, trainer: Person
) -> None:
    formation = await stored(db, PROJET)
    await trainer.says("/echeances")
    assert [d for d in await deadlines_of(db, formation.id) if d.status != "done"]
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Supprimer la formation")
    assert "créée par erreur" in trainer.last and "le journal garde" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Non, garder")
    assert "rien n'a changé" in trainer.all_text
    assert trainer.last == f"Que voulez-vous faire de « {formation.title} » ?"
    assert (await stored(db, PROJET)).deleted_at is None

    await trainer.presses("Supprimer la formation")
    await trainer.presses("Oui, supprimer")
    assert trainer.last.startswith(f"« {formation.title} » est supprimée")
    assert await step_of(db, trainer) == (None, None)

    gone = await stored(db, PROJET)
    assert gone.deleted_at is not None  # kept, not erased
    assert len(gone.trainees) == 3
    assert [d for d in await deadlines_of(db, gone.id) if d.status != "done"] == []
    assert ("delete", {}) in await audit(db, gone.id)
    await trainer.says("/formations")
    assert not any(b.startswith(PROJET) for b in trainer.buttons)
    await trainer.says("/echeances")  # a daily refresh does not bring its deadlines back
    assert [d for d in await deadlines_of(db, gone.id) if d.status != "done"] == []


async def test_the_funder_of_a_formation_with_a_bilan_is_kept_and_why_is_said(
    db: Database, trainer: Person
) -> None:
    formation = await stored(db)
    async with db.sessions() as session, session.begin():
        session.add(
            Bilan(
                organisation_id=formation.organisation_id,
                formation_id=formation.id,
                kind="fin",
                starts_at=datetime(2026, 12, 15, 13, 0, tzinfo=UTC),
                ends_at=datetime(2026, 12, 15, 15, 0, tzinfo=UTC),
            )
        )
    await open_edit(trainer)
    await trainer.presses("Financeur et programme")
    await trainer.presses("Rectorat")
    said = trainer.all_text
    assert (
        "Rien n'est changé : cette formation a un bilan programmé le mardi 15 décembre 2026 "
        "à 14 h 00, dont les échéances, les documents et les personnes prévenues suivent son "
        "financeur. Annulez-le d'abord avec /bilans"
    ) in said
    assert "C'est corrigé" not in said
    assert (await stored(db)).funder == formation.funder
    assert not [a for a, _ in await audit(db, formation.id) if a == "edit"]
    assert "Que voulez-vous corriger" in trainer.last  # back to the menu


async def test_a_formation_deleted_meanwhile_is_said_once(db: Database, trainer: Person) -> None:
    """Explorer H H3: a colleague deleted it while the dates were being confirmed; the step
    and the menu it returns to both said « Je ne trouve pas cette formation »."""
    await trainer.says("/formations")
    await trainer.presses(DEMO)
    await trainer.presses("Modifier les dates")
    await trainer.says("jusqu'au 15 février 2027")
    formation = await stored(db)
    async with db.sessions() as session, session.begin():
        gone = await session.get(Formation, formation.id)
        assert gone is not None
        gone.deleted_at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    await trainer.presses("Oui, c'est ça")
    assert [r.text for r in trainer.replies] == [
        "Je ne trouve pas cette formation parmi les vôtres : elle a peut-être été supprimée "
        "entre-temps. Tapez /formations pour voir la liste à jour."
    ]
    assert (await stored(db)).end_date == formation.end_date


async def test_entries_given_before_the_new_start_are_said(db: Database, trainer: Person) -> None:
    """Explorer F F21: the start moved later, two trainees kept entries before it (asked of
    EOS) and nothing was said; an entry that was the start follows it."""
    formation = await stored(db)
    async with db.sessions() as session, session.begin():
        trainees = (await session.scalars(select(Trainee).order_by(Trainee.full_name))).all()
        karim, julie, lea = (next(t for t in trainees if t.full_name == n) for n in NAMES)
        karim.entered_on, julie.entered_on = date(2026, 11, 9), date(2026, 11, 12)
        lea.entered_on = formation.start_date  # entered on the first day
    await trainer.says("/formations")
    await trainer.presses(DEMO)
    await trainer.presses("Modifier les dates")
    await trainer.says(f"du 16 novembre 2026 au {formation.end_date:%d/%m/%Y}")
    await trainer.presses("Oui, c'est ça")
    assert (
        "Attention, les entrées de Karim Benali (le lundi 9 novembre 2026) et de Julie Petit (le "
        "jeudi 12 novembre 2026) tombent maintenant en dehors de ces dates : corrigez-les avec "
        "« Entrées et sorties » si besoin."
    ) in trainer.all_text
    async with db.sessions() as session:
        moved = await session.scalar(select(Trainee).where(Trainee.full_name == NAMES[2]))
        assert moved is not None and moved.entered_on == date(2026, 11, 16)


async def test_every_correcting_step_survives_bad_input(db: Database, trainer: Person) -> None:
    before = await stored(db)
    await open_edit(trainer)
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Intitulé")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("ab")
    assert "au moins trois caractères" in trainer.last
    await trainer.says("/annuler")
    await open_edit(trainer)
    await trainer.presses("Financeur et programme")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Région Centre-Val de Loire")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("/annuler")
    await open_edit(trainer)
    await trainer.presses("Suivi à la Région")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("Mme Sophie Leroy")
    await survives(db, trainer, FOR_TEXT)
    await trainer.says("pas une adresse")
    assert "pas une adresse e-mail valable" in trainer.last
    await trainer.says("/annuler")
    after = await stored(db)
    assert (after.title, after.funder, after.cm_email) == (
        before.title,
        before.funder,
        before.cm_email,
    )


async def test_a_cvl_formation_s_sessions_are_corrected_in_place(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Modifier la formation")
    await trainer.presses("Sessions")
    await trainer.says("Session 1 : du 1er octobre au 30 novembre\nSession 2 : du 1er au 20 mars")
    assert "Sessions enregistrées pour « Projet professionnel (démo) » : 2." in trainer.all_text
    f = await stored(db, "Projet professionnel")
    # Year-less, read inside the formation's own dates (24 September 2026 – 23 March 2027).
    assert [(s.label, s.start_date, s.end_date) for s in f.sessions] == [
        ("Session 1", date(2026, 10, 1), date(2026, 11, 30)),
        ("Session 2", date(2027, 3, 1), date(2027, 3, 20)),
    ]
    first_id = f.sessions[0].id
    await trainer.presses("Sessions")
    await trainer.says("Session 1 : du 5 octobre au 27 novembre")
    f = await stored(db, "Projet professionnel")
    assert [(s.id, s.start_date, s.end_date) for s in f.sessions] == [
        (first_id, date(2026, 10, 5), date(2026, 11, 27))  # the same row, moved
    ]
    await trainer.presses("Sessions")
    await trainer.presses("Aucune session")
    assert "n'a plus de sessions" in trainer.all_text
    assert (await stored(db, "Projet professionnel")).sessions == []


async def test_deadlines_moved_by_new_dates_or_a_removal_are_said(
    db: Database, trainer: Person
) -> None:
    """Explorer F F16: removing the one trainee whose path was prolonged brought the bilan
    qualitatif de fin six weeks nearer, and shortening the formation moved it, unsaid."""
    projet = await stored(db, "Projet professionnel")
    async with db.sessions() as session, session.begin():
        session.add(
            Trainee(
                formation_id=projet.id,
                full_name="Chloé Martin",
                name_key="chloe martin",
                entered_on=projet.start_date,
                path_end=projet.end_date + timedelta(days=45),
            )
        )
    async with db.sessions() as session, session.begin():
        await refresh_deadlines(session, projet.id)
    before = {r.rule_id: r.due_on for r in await open_deadlines(db, projet.id)}
    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Retirer un stagiaire")
    await trainer.presses("Chloé Martin")
    await trainer.presses("Oui, retirer")
    after = {r.rule_id: r.due_on for r in await open_deadlines(db, projet.id)}
    assert after["CVL-BQ-END"] < before["CVL-BQ-END"]
    said = trainer.all_text
    assert "Échéances déplacées :" in said
    assert f"(au lieu du {spell_date(before['CVL-BQ-END'])})" in said
    assert spell_date(after["CVL-BQ-END"]) in said

    end = projet.end_date - timedelta(days=14)
    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Modifier les dates")
    await trainer.says(f"jusqu'au {end:%d/%m/%Y}")
    await trainer.presses("Oui, c'est ça")
    moved = {r.rule_id: r.due_on for r in await open_deadlines(db, projet.id)}
    assert moved["CVL-BQ-END"] < after["CVL-BQ-END"]
    assert f"(au lieu du {spell_date(after['CVL-BQ-END'])})" in trainer.all_text
    await trainer.says("/formations")  # the end moved into the past: said as past
    await trainer.presses("Projet professionnel")
    await trainer.presses("Modifier les dates")
    await trainer.says("jusqu'au 6/11/2026")
    await trainer.presses("Oui, c'est ça")
    late = trainer.all_text.split("Nouvelles dates")[-1]
    assert "⚠️ déjà dépassée" in late
    lines = [line for line in late.splitlines() if line.startswith("· ")]
    assert lines and all(line.count("(au lieu du") == 1 for line in lines)  # one per line


async def open_deadlines(db: Database, formation_id: int) -> list[StoredDeadline]:
    async with db.sessions() as session:
        return list(
            await session.scalars(
                select(StoredDeadline).where(
                    StoredDeadline.formation_id == formation_id, StoredDeadline.status == "open"
                )
            )
        )


async def test_a_formation_corrected_to_long_moves_its_open_follow_ups_to_the_long_path(
    db: Database, trainer: Person
) -> None:
    """Explorer T T10: « courte » corrected to « longue » left Thomas Fabre's open follow-up
    on the short path: a contact, never the entretien individuel the procedure asks."""
    for typed in ("/formations", "2", "6", "1", "1", "hier", "oui", "Abandon", "Oui"):
        await trainer.says(typed)
    for typed in ("Ouvrir un suivi", "Terminé", "Non", "Ouvrir le suivi"):
        await trainer.says(typed)
    projet = await stored(db, "Projet professionnel")
    rules = {d.rule_id for d in await deadlines_of(db, projet.id) if ":followup:" in d.key}
    assert rules == {"ELY-SHORT"}
    for typed in ("/formations", "2", "Modifier la formation", "Courte ou longue", "Longue"):
        await trainer.says(typed)
    assert (
        "Le suivi de décrochage ouvert pour Thomas Fabre suit désormais la procédure des "
        "formations longues : un entretien individuel, son compte rendu, puis le ticket qualité"
    ) in trainer.all_text
    keys = {d.key.split(":")[0] for d in await deadlines_of(db, projet.id) if ":followup:" in d.key}
    assert keys == {"ELY-LONG-ENTRETIEN", "ELY-LONG-TICKET"}


async def test_a_new_title_of_digits_only_is_refused_not_saved(
    db: Database, trainer: Person
) -> None:
    """Explorer UC2: renamed « 12345 », the formation was saved at once under that title in
    every list and document. A letter is required, as the refusal says."""
    before = await stored(db)
    await open_edit(trainer)
    await trainer.presses("Intitulé")
    for typed in ("12345", "31/02"):
        await trainer.says(typed)
        assert trainer.last.startswith(
            "Un intitulé d'au moins trois caractères, avec des lettres"
        ), typed
    assert "C'est corrigé" not in trainer.all_text
    assert (await stored(db)).title == before.title


async def test_a_title_another_formation_has_on_these_dates_is_refused(
    db: Database, trainer: Person
) -> None:
    """Explorer AD21: « Projet professionnel (démo) » given to the other demo formation was
    « C'est corrigé : intitulé. », and every list showed two formations alike."""
    projet = await stored(db, PROJET)
    await open_edit(trainer)
    await trainer.presses("Intitulé")
    await trainer.says("projet PROFESSIONNEL (demo)")  # case, accents and signs aside
    assert trainer.last.startswith(
        f"« {projet.title} » est déjà l'intitulé d'une autre formation sur ces dates (du "
        f"{spell_date(projet.start_date)} au {spell_date(projet.end_date)}) : les listes les "
        "montreraient sous le même nom."
    )
    assert (await stored(db)).title.startswith(DEMO)
    await trainer.says("Agent de restauration (démo)")  # its own title again: not another's
    assert "C'est corrigé" not in trainer.all_text
    assert "Rien n'a changé : c'était déjà ainsi." in trainer.all_text


async def test_a_colleague_s_title_on_these_dates_is_refused_to_a_trainer_too(
    db: Database, trainer: Person
) -> None:
    """Explorer CA14: a trainer who is no administrator renamed her formation onto a
    colleague's title and dates; the administration then saw two identical lines."""
    projet = await stored(db, PROJET)
    async with db.sessions() as session, session.begin():
        marc = people.Person(display_name="Marc Dubois")
        session.add(marc)
        await session.flush()
        mine = await session.get(Formation, projet.id)
        assert mine is not None
        mine.owner_id = marc.id
        await session.execute(update(people.Membership).values(role=people.Role.FORMATEUR.value))
    await open_edit(trainer)
    await trainer.presses("Intitulé")
    await trainer.says(projet.title)
    assert trainer.last.startswith(f"« {projet.title} » est déjà l'intitulé d'une autre formation")


async def test_a_name_in_many_formations_narrows_the_paged_list_to_them(
    db: Database, trainer: Person
) -> None:
    """Explorer KB3: « martin », in 26 of 40 formations, was a 1,420-character paragraph
    naming them, and the buttons still the whole list's page 1 of 5."""
    for n in range(1, 13):
        await add_formation(db, title=f"Cariste {n:02}", trainees=("Paul Martin",))
    for n in range(1, 4):
        await add_formation(db, title=f"Maçon {n}", trainees=("Zoé Lambert",))
    await trainer.says("/formations")
    await trainer.says("martin")
    said = trainer.last
    assert said.startswith("Quelle formation ?\nLe nom « martin » figure dans 13 formations sur")
    assert len(said) < 300 and "Cariste 01" not in said
    assert "Maçon 1" not in trainer.buttons and "Toute la liste" in trainer.buttons
    assert "Suivants ▶ (2/2)" in trainer.buttons or any(
        b.startswith("Suivants") for b in trainer.buttons
    )
    await trainer.presses("Suivants")
    assert not [b for b in trainer.buttons if b.startswith("Maçon")]
    await trainer.presses("Toute la liste")
    assert "figure dans" not in trainer.last
    await trainer.says("paul martin")
    await trainer.presses("Cariste 12")
    assert trainer.last.startswith("Que voulez-vous faire de « Cariste 12 » ?")


async def test_the_words_after_formations_answer_which_formation(
    db: Database, trainer: Person
) -> None:
    """Explorer KB7: « /formations Maçon – Caen » showed page 1 of the whole list, the words
    dropped without a word."""
    await add_formation(db, title="Cariste", trainees=("Paul Henry",))
    await trainer.says("/formations cariste")
    assert trainer.last.startswith("Que voulez-vous faire de « Cariste » ?")
    await trainer.says("/annuler")
    await trainer.says("/formations Paul Henry")  # a trainee's name: his formation
    assert trainer.last.startswith("Que voulez-vous faire de « Cariste » ?")
    await trainer.says("/annuler")
    await trainer.says("/formations démo")
    assert trainer.last.startswith("Quelle formation ?\n2 choix sur 3 correspondent à « démo » :")
    assert "Cariste" not in " ".join(trainer.buttons) and "Toute la liste" in trainer.buttons
    await trainer.says("/annuler")
    await trainer.says("/formations zorglub")
    assert trainer.replies[-2].text == (
        "Aucune formation ne correspond à « zorglub », ni aucun stagiaire : choisissez dans la "
        "liste."
    )
    assert trainer.last == "Quelle formation ?" and len(trainer.buttons) == 3


async def test_the_words_after_formations_are_read_in_titles_not_in_start_days(
    db: Database, trainer: Person
) -> None:
    """Explorer MA4: « /formations lundi » picked the formations starting on a Monday, « 2026 »
    those starting in 2026, from the start day the bot adds to each label; the words are read
    in the formations' titles (and trainees' names) only. A label typed whole still opens."""
    await add_formation(db, title="Cariste", trainees=("Paul Henry",))
    await trainer.says("/formations")
    labels = [b for b in trainer.buttons if b.startswith("Cariste")]
    await trainer.says("/annuler")
    weekday = labels[0].split("(")[1].split()[0]  # « lundi »
    for words in (weekday, labels[0].split()[-1].rstrip(")")):  # « lundi », « 2026 »
        await trainer.says(f"/formations {words}")
        assert trainer.replies[-2].text == (
            f"Aucune formation ne correspond à « {words} », ni aucun stagiaire : choisissez "
            "dans la liste."
        )
        await trainer.says("/annuler")
    await trainer.says(f"/formations {labels[0]}")
    assert trainer.last.startswith("Que voulez-vous faire de « Cariste » ?")


async def test_sessions_corrected_say_who_changes_session(db: Database, trainer: Person) -> None:
    """Explorer MA9: in « Premiers gestes cuisine » (session 1: 1–31 March 2027, session 2:
    3 May–30 June), Karim Benali entered on 3 May.  A session inserted on 6–20 April no
    longer takes him (his EOS exit was Tue 20 April, before his entry, unsaid): he follows
    the May–June session, now « Session 3 », the same group: nothing to tell (explorer MB2,
    the report compares dates, not rows); then that session
    taken away, he is told in none, with where to correct his entry."""
    from tests.test_formation import two_sessions_with

    title = "Premiers gestes cuisine"
    await two_sessions_with(
        trainer, title, "premiers gestes", "Karim Benali ; entrée le 3 mai 2027"
    )
    await trainer.presses("Modifier la formation")
    await trainer.presses("Sessions")
    await trainer.says(
        "Session 1 : du 1er au 31 mars 2027\nSession 2 : du 6 au 20 avril 2027\n"
        "Session 3 : du 3 mai au 30 juin 2027"
    )
    assert (
        "Sessions enregistrées pour « Premiers gestes cuisine » : 3. Les échéances sont "
        "recalculées."
    ) in trainer.all_text
    assert "change de session" not in trainer.all_text  # he stays in May's group (explorer MB2)
    await trainer.presses("Sessions")
    await trainer.says("Session 1 : du 1er au 31 mars 2027\nSession 2 : du 6 au 20 avril 2027")
    assert (
        "Sessions enregistrées pour « Premiers gestes cuisine » : 2. Les échéances sont "
        "recalculées.\nSelon sa date d'entrée, Karim Benali change de session :\n"
        "· Aucune session, sortie EOS à la fin de la formation : Karim Benali\n"
        "Pour corriger une date d'entrée : « Entrées et sorties »."
    ) in trainer.all_text


async def test_a_start_day_typed_with_the_title_tells_twins_apart(
    db: Database, trainer: Person
) -> None:
    """Explorer MB5: since MA4 the words after /formations were read in the titles only, and
    two formations of one title, told apart by their start day alone, could no longer be
    named: « /formations agent 2026 » said « Aucune formation ne correspond ». A year, a day
    typed with title words narrows those the title fits; a bare weekday still picks none."""
    for today in (date(2026, 11, 23), date(2025, 11, 23)):  # started 3/11/2026, 3/11/2025
        await add_formation(
            db, title="Agent de restauration", trainees=("Paul Henry",), today=today
        )
    await trainer.says("/formations agent 2026")  # the demo's, started in 2026 too
    assert trainer.last.startswith("Quelle formation ?\n2 choix sur 4 correspondent à « agent")
    assert "Agent de restauration (mardi 3 novembre 2026)" in trainer.buttons
    await trainer.says("/annuler")
    for words in ("Agent de restauration 3 novembre 2026", "restauration 03/11/26"):
        await trainer.says(f"/formations {words}")
        assert trainer.last.startswith(
            "Que voulez-vous faire d'« Agent de restauration (mardi 3 novembre 2026) » ?"
        ), words
        await trainer.says("/annuler")
    await trainer.says("/exporter agent nov. 2025")
    assert "Aucune formation" not in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("/formations agent 2024")  # neither starts then: both, alone
    assert trainer.last.startswith("Quelle formation ?") and len(trainer.buttons) == 4
    await trainer.says("/annuler")
    await trainer.says("/formations agent lundi")
    assert trainer.replies[-2].text.startswith("Aucune formation ne correspond à « agent lundi »")


async def test_action_type_corrected_to_premiers_gestes_says_who_follows_which_session(
    db: Database, trainer: Person
) -> None:
    """Explorer MB1: « Se former au(x) métier(s) de… » « Cuisine MB », Session 1 (1–31 March
    2027) and Session 2 (3 May–30 June), Nadia Roux entered on 1 March, Karim Benali on 3
    May.  Its action type corrected to « premiers gestes », the sessions become groups: the
    trainer is told who follows which, and Nadia's EOS exit is 31 March, no longer 30 June.
    Corrected back, the sessions are no longer groups and the trainer is told so, with whose
    EOS exit moves (explorer QA5)."""
    from tests.test_formation import two_sessions_with

    title = "Cuisine MB"
    both = "Nadia Roux ; entrée le 1er mars 2027\nKarim Benali ; entrée le 3 mai 2027"
    await two_sessions_with(trainer, title, "se former", both)
    await trainer.presses("Modifier la formation")
    await trainer.presses("Financeur et programme")
    await trainer.presses("Région Centre-Val de Loire")
    await trainer.presses("Parcours Métiers")
    await trainer.presses("Acquisition des premiers gestes professionnels")
    assert (
        "C'est corrigé : type d'action. Les échéances sont recalculées.\n"
        "Chaque session est désormais un groupe à part : chaque stagiaire suit celle de sa date "
        "d'entrée et sort d'EOS à sa fin.\n"
        "· Session 1 (du 1er au 31 mars 2027) : Nadia Roux\n"
        "· Session 2 (du 3 mai au 30 juin 2027) : Karim Benali"
    ) in trainer.all_text
    formation = await stored(db, title)
    nadia = next(t for t in formation.trainees if t.full_name == "Nadia Roux")
    exits = {d.key: d.due_on for d in await deadlines_of(db, formation.id)}
    assert exits[f"CVL-EOS-EXIT:trainee:{nadia.id}"] == date(2027, 3, 31)
    await trainer.presses("Financeur et programme")
    await trainer.presses("Région Centre-Val de Loire")
    await trainer.presses("Parcours Métiers")
    await trainer.presses("Se former au(x) métier(s) de")
    assert (
        "Les sessions ne sont plus des groupes à part : chaque stagiaire suit toute la formation "
        "et sort d'EOS à sa fin.\n"
        "· Sortie d'EOS le mercredi 30 juin 2027 au lieu du mercredi 31 mars 2027 : Nadia Roux"
    ) in trainer.all_text  # explorer QA5
    exits = {d.key: d.due_on for d in await deadlines_of(db, formation.id)}
    assert exits[f"CVL-EOS-EXIT:trainee:{nadia.id}"] == date(2027, 6, 30)


async def test_sessions_no_longer_groups_say_so_not_the_entries(
    db: Database, trainer: Person
) -> None:
    """Explorer QA5: « premiers gestes » in two sessions (1–31 March 2027, 3 May–30 June),
    Nadia Roux of Session 1, Karim Benali of Session 2.  Cut to one session, or to none, the
    report said « Selon leur date d'entrée, 2 stagiaires changent de session … Pour corriger
    une date d'entrée : « Entrées et sorties » », though no entry is the cause: the sessions
    are no longer groups, as after « Financeur et programme », and Nadia's EOS exit moves
    from 31 March to 30 June, said."""
    from tests.test_formation import two_sessions_with

    both = "Nadia Roux ; entrée le 1er mars 2027\nKarim Benali ; entrée le 3 mai 2027"
    exit_moved = (
        "Les sessions ne sont plus des groupes à part : chaque stagiaire suit toute la formation "
        "et sort d'EOS à sa fin.\n"
        "· Sortie d'EOS le mercredi 30 juin 2027 au lieu du mercredi 31 mars 2027 : Nadia Roux"
    )
    await two_sessions_with(trainer, "PG une", "premiers gestes", both)
    await trainer.presses("Modifier la formation")
    await trainer.presses("Sessions")
    await trainer.says("Session 2 : du 3 mai au 30 juin 2027")
    said = next(r.text for r in trainer.replies if "Sessions enregistrées" in r.text)
    assert said.startswith(
        "Sessions enregistrées pour « PG une » : 1. Les échéances sont recalculées.\n" + exit_moved
    )
    assert "change" not in said and "Entrées et sorties" not in said
    formation = await stored(db, "PG une")
    nadia = next(t for t in formation.trainees if t.full_name == "Nadia Roux")
    exits = {d.key: d.due_on for d in await deadlines_of(db, formation.id)}
    assert exits[f"CVL-EOS-EXIT:trainee:{nadia.id}"] == date(2027, 6, 30)

    await two_sessions_with(trainer, "PG aucune", "premiers gestes", both)
    await trainer.presses("Modifier la formation")
    await trainer.presses("Sessions")
    await trainer.presses("Aucune session")
    said = next(r.text for r in trainer.replies if "n'a plus de sessions" in r.text)
    assert said.startswith(
        "« PG aucune » n'a plus de sessions : elle se déroule d'un seul tenant. Les échéances "
        "sont recalculées.\nChaque stagiaire suit donc toute la formation et sort d'EOS à sa "
        "fin.\n" + exit_moved.split("\n")[1]
    )
    assert "change" not in said and "Entrées et sorties" not in said


async def test_an_eos_exit_already_done_keeps_its_day_when_sessions_stop_being_groups(
    db: Database, trainer: Person
) -> None:
    """RB's leftover (closing 37): Nadia Roux's EOS exit at Session 1's end (31 March 2027)
    marked done; the sessions cut to one, no longer groups, the exit moved to the
    formation's end (30 June) and stayed done, and the trainer read that it moved.  A done
    item keeps its day: it stays on 31 March, done, and the report says so."""
    from tests.test_formation import two_sessions_with

    both = "Nadia Roux ; entrée le 1er mars 2027\nKarim Benali ; entrée le 3 mai 2027"
    await two_sessions_with(trainer, "PG faite", "premiers gestes", both)
    formation = await stored(db, "PG faite")
    nadia = next(t for t in formation.trainees if t.full_name == "Nadia Roux")
    key = f"CVL-EOS-EXIT:trainee:{nadia.id}"
    async with db.sessions() as session, session.begin():
        row = await session.scalar(select(StoredDeadline).where(StoredDeadline.key == key))
        assert row is not None and row.due_on == date(2027, 3, 31)
        row.status = "done"
    await trainer.presses("Modifier la formation")
    await trainer.presses("Sessions")
    await trainer.says("Session 2 : du 3 mai au 30 juin 2027")
    said = next(r.text for r in trainer.replies if "Sessions enregistrées" in r.text)
    assert said.startswith(
        "Sessions enregistrées pour « PG faite » : 1. Les échéances sont recalculées.\n"
        "Les sessions ne sont plus des groupes à part : chaque stagiaire suit toute la "
        "formation et sort d'EOS à sa fin.\n"
        "· Sortie d'EOS du mercredi 31 mars 2027, déjà faite, gardée à cette date : Nadia Roux"
    )
    [done] = [d for d in await deadlines_of(db, formation.id) if d.key == key]
    assert (done.due_on, done.status) == (date(2027, 3, 31), "done")


async def test_new_dates_say_a_postponement_they_cancel_from_the_day_she_had(
    db: Database, trainer: Person
) -> None:
    """Explorer QC1: a postponement dropped by a change of dates went unsaid, and « au lieu
    du » gave the rule's former day, not the one the trainer had chosen."""
    projet = await stored(db, "Projet professionnel")
    async with db.sessions() as session, session.begin():
        mid = await session.scalar(
            select(StoredDeadline).where(
                StoredDeadline.formation_id == projet.id, StoredDeadline.rule_id == "CVL-BQ-MID"
            )
        )
        assert mid is not None
        agreed = mid.due_on + timedelta(days=3)  # as /echeances « Reporter » stores it
        mid.status, mid.postponed_to, mid.postpone_reason = "postponed", agreed, "référente"
    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Modifier les dates")
    await trainer.says(f"jusqu'au {projet.end_date - timedelta(days=28):%d/%m/%Y}")
    await trainer.presses("Oui, c'est ça")
    [line] = [line for line in trainer.all_text.splitlines() if "bilan d'étape" in line]
    assert f"(au lieu du {spell_date(agreed)}, votre report est annulé)" in line


async def deleting_and_scheduling(
    pg_db: Database, settings: Settings, clock: Clock, *, bilan_first: bool
) -> tuple[Person, Person]:
    """Camille at « Oui, supprimer » and Bruno at « Programmer le bilan » for the demo's
    formation, in two processes, pressed one after the other at its row's lock."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await camille.says("/formations")
        await camille.presses(DEMO)
        await camille.presses("Supprimer la formation")
        await bruno.says("/bilan")
        for _step, kind, value in REMOTE[:-1]:
            await answer(bruno, kind, value)
        formation = await stored(pg_db)
        deleting = camille.presses("Oui, supprimer")
        scheduling = bruno.presses("Programmer le bilan")
        turns = (scheduling, deleting) if bilan_first else (deleting, scheduling)
        await one_after_the_other(pg_db, Formation, formation.id, *turns)
    return camille, bruno


@pytest.mark.postgres
async def test_a_formation_deleted_as_its_bilan_is_confirmed_keeps_the_bilan_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD2: Camille pressed « Oui, supprimer » while Bruno confirmed « Programmer le
    bilan » (two processes): both succeeded, a live bilan with its invitations handed out
    on a deleted formation nobody could see.  Now both hold the formation's row: the
    deletion waits for the bilan and is refused for it, as it is one after the other."""
    camille, bruno = await deleting_and_scheduling(pg_db, settings, clock, bilan_first=True)
    assert bruno.all_text.startswith("C'est programmé")
    assert camille.all_text.startswith("Cette formation a un bilan programmé : annulez-le d'abord")
    assert (await stored(pg_db)).deleted_at is None


@pytest.mark.postgres
async def test_a_bilan_confirmed_as_the_formation_is_deleted_is_not_scheduled_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD2, the other order: the deletion first, Bruno's bilan waits for it and
    finds no formation; nothing stored."""
    camille, bruno = await deleting_and_scheduling(pg_db, settings, clock, bilan_first=False)
    assert "est supprimée" in camille.all_text
    assert bruno.last == "Je ne trouve pas cette formation parmi celles qui doivent un bilan."
    async with pg_db.sessions() as session:
        assert (await session.scalars(select(Bilan))).all() == []


@pytest.mark.postgres
async def test_new_dates_and_a_trainee_added_at_once_keep_the_new_dates_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer XB6: Camille confirmed new dates while Bruno added a trainee (two processes):
    Camille was told the deadlines moved, but Bruno's turn, which had read the formation
    before waiting at its lock behind hers, recomputed them from the former end and wrote
    the old dates back (the order forced: Camille's turn waits at a deadline's row while
    holding the formation's).  Now the deadlines stored are those of the formation stored: the
    new end, the new trainee's exit too."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        before = await stored(pg_db, PROJET)
        end = before.end_date + timedelta(days=35)
        await camille.says("/formations")
        await camille.presses(PROJET)
        await camille.presses("Modifier les dates")
        await camille.says(f"jusqu'au {end:%d/%m/%Y}")
        await bruno.says("/formations")
        await bruno.presses(PROJET)
        await bruno.presses("Ajouter des stagiaires")
        # Camille's turn holds the formation's row (its new dates) and waits at one of its
        # deadlines; Bruno's adds the trainee and waits at the formation, behind hers.
        [end_row] = [d for d in await deadlines_of(pg_db, before.id) if d.rule_id == "CVL-BQ-END"]
        turns = camille.presses("Oui, c'est ça"), bruno.says("Jeanne Nouvelle")
        await one_after_the_other(pg_db, StoredDeadline, end_row.id, *turns)
    assert "Nouvelles dates enregistrées" in camille.all_text
    assert "1 stagiaire ajouté" in bruno.all_text
    formation = await stored(pg_db, PROJET)
    assert formation.end_date == end
    assert "Jeanne Nouvelle" in {t.full_name for t in formation.trainees}
    async with pg_db.sessions() as session:
        now = await session.get(Formation, formation.id)
        assert now is not None
        computed = {d.key: d.due_on for d in await compute(session, now)}
    kept = {d.key: d.due_on for d in await deadlines_of(pg_db, formation.id)}
    assert kept == computed


async def test_every_other_correction_survives_bad_input(db: Database, trainer: Person) -> None:
    """The corrections the walk above does not open (nature, organisation of the group,
    certifying, length, another funder's name, the Parcours Métiers' action type) re-ask on
    wrong, empty, huge or hostile input and change nothing (coverage AR)."""

    async def snapshot() -> dict[str, object]:
        f = await stored(db)
        return {c.key: getattr(f, c.key) for c in Formation.__table__.columns}

    before = await snapshot()
    for label, flow, step, bads in (
        ("Nature", "formation_edit_kind", "kind", FOR_CHOICES),
        ("Organisation du groupe", "formation_edit_mode", "mode", FOR_CHOICES),
        ("Certifiante ou non", "formation_edit_certifying", "certifying", FOR_CHOICES),
        ("Courte ou longue", "formation_edit_length", "length", FOR_CHOICES),
    ):
        await open_edit(trainer)
        await trainer.presses(label)
        assert await step_of(db, trainer) == (flow, step)
        await survives(db, trainer, bads)
        await trainer.says("/annuler")
    await open_edit(trainer)
    await trainer.presses("Financeur et programme")
    await trainer.presses("Autre financeur")
    assert await step_of(db, trainer) == ("formation_edit_funder", "funder_name")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("/annuler")
    await open_edit(trainer)
    await trainer.presses("Financeur et programme")
    await trainer.presses("Région Centre-Val de Loire")
    await trainer.presses("Parcours Métiers")
    assert await step_of(db, trainer) == ("formation_edit_funder", "action_type")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("/annuler")
    assert await snapshot() == before


async def test_the_correction_of_remote_coaching_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """A rectorat formation's « Accompagnement à distance » re-asks on wrong, empty, huge or
    hostile input and changes nothing (coverage AR)."""
    await open_edit(trainer)
    await trainer.presses("Financeur et programme")
    await trainer.presses("Rectorat")
    before = (await stored(db)).remote_coaching
    await trainer.presses("Accompagnement à distance")
    assert await step_of(db, trainer) == ("formation_edit_remote_coaching", "remote_coaching")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("/annuler")
    assert (await stored(db)).remote_coaching == before


async def test_the_correction_of_the_charge_de_mission_s_matrix_id_survives_bad_input(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """On Matrix, « Suivi à la Région » asks the chargée de mission's Matrix ID after her
    e-mail: wrong, empty, huge or hostile input is asked again and changes nothing (coverage
    BC)."""
    on_matrix = replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )
    trainer = Person(build_engine(db, on_matrix, clock=clock), "formateur")
    before = await stored(db)
    await open_edit(trainer)
    await trainer.presses("Suivi à la Région")
    await trainer.says("Mme Sophie Leroy")
    await trainer.says("sophie.leroy@region.example")
    assert await step_of(db, trainer) == ("formation_edit_cm", "cm_matrix"), trainer.last
    await survives(db, trainer, (*FOR_NAMES, Bad("an e-mail", "sophie.leroy@example.org")))
    after = await stored(db)
    assert (after.cm_name, after.cm_email, after.cm_matrix) == (
        before.cm_name,
        before.cm_email,
        before.cm_matrix,
    )
    await trainer.says("@sophie.leroy:agent.tchap.gouv.fr")
    assert (await stored(db)).cm_matrix == "@sophie.leroy:agent.tchap.gouv.fr", trainer.all_text


async def test_the_correction_of_a_formation_s_sessions_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """« Sessions » corrected: wrong, empty, huge or hostile input, or sessions outside the
    formation's dates, are asked again and leave its sessions as they were (coverage BC)."""
    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Modifier la formation")
    before = [(s.label, s.start_date, s.end_date) for s in (await stored(db, PROJET)).sessions]
    await trainer.presses("Sessions")
    assert await step_of(db, trainer) == ("formation_edit_sessions", "sessions"), trainer.last
    outside = Bad("outside the formation", "Session 1 : du 1er au 20 juin 2027")
    await survives(db, trainer, (*FOR_NAMES, MARKUP, outside))
    after = [(s.label, s.start_date, s.end_date) for s in (await stored(db, PROJET)).sessions]
    assert after == before
    await trainer.says("Session 1 : du 1er octobre au 30 novembre")
    assert "Sessions enregistrées pour « Projet professionnel (démo) » : 1." in trainer.all_text
