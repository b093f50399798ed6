"""Following a décrochage (/decrochage) on every path of the Elycoop procedure (003 §2):
what is asked, what is stored, the deadlines met, the compte rendu PDF and the ticket qualité."""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.absences.exports import qualiopi_bundle
from bot.absences.facts import followup_facts
from bot.app import build_engine, build_scheduler
from bot.config import Settings
from bot.dates import spell_date
from bot.storage.absences import (
    Entretien,
    FollowUp,
    FollowUpContact,
    FollowUpSign,
    QualityTicket,
    StoredDocument,
)
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.absences import (
    add_formation,
    audit_entries,
    enrol,
    formation_id,
    rows,
    seen_on,
    set_org_settings,
    trainee_id,
    writing_this_morning_s_compte_rendu,
)
from tests.auxil.dialogue import Clock, Person
from tests.auxil.formations import a_crowd
from tests.auxil.hostile import A_FILE, FOR_CHOICES, FOR_NAMES, step_of, survives
from tests.auxil.pdf import pdf_words
from tests.auxil.privacy import closed_by_the_erasure, erasing_first
from tests.auxil.race import one_after_the_other, second_admin, two_processes
from tests.test_deadlines_digest import deliver
from tests.test_onboarding import CODE

SCREENSHOT = b"\x89PNG capture sms"
NO_FILE = tuple(b for b in FOR_CHOICES if b is not A_FILE)


async def tasks(db: Database) -> dict[str, StoredDeadline]:
    """The follow-ups' deadlines (the rules' steps), by step: ``CONTACT``, ``TICKET``…"""
    found = await rows(db, StoredDeadline, subject="followup")
    return {t.key.split(":")[0].removeprefix(t.rule_id + "-"): t for t in found}


SHORT = {"thomas", "nadia", "ines", "inès"}
"""The demo's short formation: its procedure answers an absence or a rupture (003 §2)."""


async def open_followup(who: Person, name: str, *, subcontracted: str = "Non") -> None:
    await who.says(f"/decrochage {name}")
    await who.presses("Absences répétées" if name in SHORT else "Manque de réactivité")
    await who.presses("Terminé")
    await seen_on(who, "aujourd'hui")
    if subcontracted:
        await who.presses(subcontracted)


async def test_the_next_step_left_after_opening_is_named_by_itself(trainer: Person) -> None:
    """Explorer HB3: the follow-up opened, « Le programmer maintenant ? » left for another
    command was called « suivre un décrochage » later, as if the opening were still to do."""
    await open_followup(trainer, "Karim")
    await trainer.presses("Ouvrir le suivi")
    assert "Le programmer maintenant ?" in trainer.last
    await trainer.says("/echeances")
    await trainer.says("/annuler")
    await trainer.says("bonjour")
    assert "Vous aviez mis de côté « programmer l'entretien individuel »" in trainer.last


async def test_the_next_step_left_after_opening_lapsed_says_the_follow_up_stays(
    trainer: Person, clock: Clock
) -> None:
    """Explorer JA1: that step left until it lapsed was said « suivre un décrochage … rien
    n'en a été enregistré. Recommencez avec /decrochage », the follow-up open."""
    await open_followup(trainer, "Karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.says("/echeances")
    await trainer.says("/annuler")
    clock.advance(days=3)
    await trainer.says("/reprendre")
    assert trainer.all_text.startswith(
        "Vous aviez mis de côté « programmer l'entretien individuel » jusqu'au "
    )
    assert "ce qui avait été enregistré le reste." in trainer.all_text
    assert "Recommencez" not in trainer.all_text


async def test_long_formation_entretien_compte_rendu_and_ticket(
    db: Database, trainer: Person, clock: Clock
) -> None:
    await trainer.says("/decrochage")
    assert "Dans quelle formation" in trainer.last
    await trainer.says("karim")  # a trainee's name picks the formation too
    assert "Quels signes de décrochage avez-vous observés chez Karim Benali" in trainer.last
    await trainer.says("2, 3")
    await trainer.presses("Autre")
    await trainer.presses("Terminé")
    assert "Qu'avez-vous observé d'autre" in trainer.last
    await trainer.says("s'isole du groupe")
    assert "Quel jour avez-vous remarqué le premier de ces signes chez Karim Benali" in trainer.last
    await trainer.says("demain")  # Monday 23 November: a sign is seen, not foreseen
    assert "mardi 24 novembre 2026 n'est pas encore arrivé" in trainer.last
    await trainer.says("le 1er octobre")  # the formation began on 19 October
    assert "avant le début de la formation (le lundi 19 octobre 2026)" in trainer.last
    await seen_on(trainer, "jeudi dernier")
    assert "sous-traitance" in trainer.last
    await trainer.presses("Non")
    assert "retards, manque de réactivité, autre (s'isole du groupe)" in trainer.last
    assert "Premier signe : le jeudi 19 novembre 2026" in trainer.last
    assert "formation longue ou certifiante" in trainer.last
    await trainer.presses("Ouvrir le suivi")
    # The entretien counts from the sign (7 days), the ticket from the opening (14 days).
    assert (
        "Entretien individuel avec Karim Benali à tenir au plus tard le jeudi 26 novembre 2026"
        in (trainer.all_text)
    )
    f = (await rows(db, FollowUp))[0]
    assert (f.path, f.cause, f.procedure_applies, f.closed_at) == ("long", None, True, None)
    assert sorted(s.code for s in await rows(db, FollowUpSign)) == [
        "autre",
        "manque_reactivite",
        "retards",
    ]
    assert [s.note for s in await rows(db, FollowUpSign) if s.code == "autre"] == [
        "s'isole du groupe"
    ]
    planned = await tasks(db)
    assert set(planned) == {"ENTRETIEN", "TICKET"}
    assert (planned["ENTRETIEN"].rule_id, planned["ENTRETIEN"].due_on) == (
        "ELY-LONG",
        date(2026, 11, 26),
    )
    assert f.sign_on == date(2026, 11, 19)
    assert planned["TICKET"].due_on == date(2026, 12, 7)
    assert planned["ENTRETIEN"].key == f"ELY-LONG-ENTRETIEN:followup:{f.id}"
    formation = (await rows(db, Formation, id=f.formation_id))[0]
    assert formation.subcontracted is False

    # Scheduling: with an hour; a moment gone by is one already held (O19), said before « Oui ».
    await trainer.presses("Oui, maintenant")
    await trainer.says("hier à 10h")
    assert "C'est déjà passé : je le note comme un entretien qui a eu lieu" in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("jeudi")
    assert "à quelle heure" in trainer.last
    await trainer.says("jeudi à 14h")
    assert "jeudi 26 novembre 2026 à 14 h 00" in trainer.last
    await trainer.presses("Oui")
    assert "programmé le jeudi 26 novembre 2026 à 14 h 00" in trainer.all_text
    assert "Que voulez-vous faire" in trainer.last  # back to the follow-up's menu
    first = (await rows(db, Entretien))[0]
    assert first.scheduled_at == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
    assert (await tasks(db))["COMPTE-RENDU"].due_on == date(2026, 11, 29)

    # Rescheduling keeps the first row, cancelled.
    await trainer.says("/decrochage karim")
    assert "entretien individuel prévu le jeudi 26 novembre 2026 à 14 h 00" in trainer.last
    await trainer.presses("Reprogrammer")
    await trainer.says("vendredi 27 novembre à 9h30")
    await trainer.presses("Oui")
    entretiens = await rows(db, Entretien)
    assert entretiens[0].cancelled_at is not None and entretiens[1].cancelled_at is None
    assert (await tasks(db))["COMPTE-RENDU"].due_on == date(2026, 11, 30)
    facts = await followup_facts_of(db, f.formation_id)
    assert facts[0].entretien_at == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    assert facts[0].entretien_held_at is None and facts[0].path == "long"

    # The compte rendu, after the entretien.
    clock.advance(days=4, hours=6)
    await trainer.says("/decrochage karim")
    await trainer.presses("Rédiger le compte rendu")
    assert "L'entretien prévu le vendredi 27 novembre 2026 à 9 h 30 a-t-il eu lieu" in trainer.last
    await trainer.presses("Oui, comme prévu")
    await trainer.says("Karim arrive en retard\net ne rend plus ses exercices.")
    await trainer.says("Plus de voiture depuis octobre.")
    await trainer.says("Covoiturage avec un collègue\nHoraires aménagés le lundi")
    await trainer.says("le 11 décembre, en fin de séance")
    assert "Horaires aménagés le lundi" in trainer.last
    # Explorer HB13: « corriger » was « Abandonner », the four answers thrown away unasked.
    await trainer.says("corriger les causes")
    assert trainer.last.startswith("« Abandonner » effacerait ce que vous avez saisi.")
    await trainer.says("Retour")
    await trainer.says("le 11 décembre, en fin de séance")
    assert "Horaires aménagés le lundi" in trainer.last  # nothing lost
    await trainer.presses("Produire le compte rendu")
    document = next(r.document for r in trainer.replies if r.document is not None)
    assert document.mime_type == "application/pdf"
    words = pdf_words(document.content)
    for expected in (
        "Karim Benali",
        "Agent de restauration (démo)",
        "vendredi 27 novembre 2026 à 9 h 30",
        "Covoiturage avec un collègue",
        "Horaires aménagés le lundi",
        "Plus de voiture depuis octobre.",
        "le 11 décembre, en fin de séance",
        "Retards",
        "Autre : s'isole du groupe",  # one line (explorer O: apart)
        # The procedure in words, never its code (explorer Z, Z7).
        "procédure Elycoop de prévention des ruptures – signe de décrochage dans une formation",
        "Camille Durand",
    ):
        assert expected in words, expected
    assert "ELY-" not in words
    stored = (await rows(db, StoredDocument, kind="compte_rendu"))[0]
    assert stored.content == document.content
    assert stored.sha256 == hashlib.sha256(document.content).hexdigest()
    held = (await rows(db, Entretien))[1]
    assert held.held_at == held.scheduled_at and held.compte_rendu_id == stored.id
    assert held.mesures == "Covoiturage avec un collègue\nHoraires aménagés le lundi"
    done = await tasks(db)
    assert done["ENTRETIEN"].done_at is not None and done["COMPTE-RENDU"].done_at is not None
    assert done["ENTRETIEN"].status == "done" and done["ENTRETIEN"].done_by is not None
    assert done["TICKET"].done_at is None and done["TICKET"].status == "open"
    facts = await followup_facts_of(db, f.formation_id)
    assert facts[0].entretien_held_at == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)

    # The ticket qualité closes the follow-up.
    await trainer.presses("Saisir le ticket qualité")
    assert "Entretien individuel tenu le vendredi 27 novembre 2026 à 9 h 30" in trainer.last
    assert "procédure attend aussi" not in trainer.last
    await trainer.says("Point fait avec l'équipe pédagogique")
    await trainer.presses("Enregistrer le ticket")
    assert "Ticket qualité TQ-2026-0001 enregistré" in trainer.last
    ticket = (await rows(db, QualityTicket))[0]
    assert (ticket.reference, ticket.rule_id, ticket.year, ticket.number) == (
        "TQ-2026-0001",
        "ELY-LONG",
        2026,
        1,
    )
    assert ticket.trainee_id == await trainee_id(db, "Karim Benali")
    assert ticket.note == "Point fait avec l'équipe pédagogique"
    assert ticket.document_ids == [stored.id]
    assert any("Covoiturage" in line for line in ticket.actions)
    closed = (await rows(db, FollowUp))[0]
    assert closed.closed_at is not None and closed.closed_by is not None
    kept = await tasks(db)  # closing keeps the follow-up's deadlines, done
    assert set(kept) == {"ENTRETIEN", "COMPTE-RENDU", "TICKET"}
    assert all(t.status == "done" and t.done_at is not None for t in kept.values())
    assert await followup_facts_of(db, f.formation_id) == ()
    # The Qualiopi bundle carries the compte rendu as produced, and the ticket.
    async with db.sessions() as session:
        bundle = await qualiopi_bundle(session, f.formation_id)
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert archive.read(stored.filename) == document.content
        tickets = archive.read("tickets-qualite.csv").decode()
        timeline = pdf_words(archive.read("chronologie-karim-benali.pdf"))
    assert "TQ-2026-0001" in tickets and "Covoiturage avec un collègue" in tickets
    assert "Entretien individuel tenu" in timeline and "Ticket qualité TQ-2026-0001" in timeline
    assert "ELY-" not in timeline  # the procedure in words (explorer Z, Z7)
    assert "procédure Elycoop de prévention des ruptures – signe de décrochage" in timeline
    actions = [e.action for e in await audit_entries(db) if e.entity in ("followup", "entretien")]
    assert actions == ["open", "schedule", "reschedule", "compte_rendu", "ticket"]
    for entry in await audit_entries(db):
        assert "Karim" not in str(entry.details) and "voiture" not in str(entry.details)


async def test_a_sign_noticed_weeks_ago_is_due_already(db: Database, trainer: Person) -> None:
    """Noted late, the entretien is not given a fresh week: it is overdue, and said so."""
    await trainer.says("/decrochage hugo")
    await trainer.presses("Baisse de motivation")
    await trainer.presses("Terminé")
    await seen_on(trainer, "lundi 2 novembre")
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    assert (
        "Entretien individuel avec Hugo Moreau à tenir au plus tard le lundi 9 novembre 2026 "
        "(dépassé : à faire au plus vite)"
    ) in trainer.all_text
    assert (
        "Saisir le ticket qualité du suivi d'Hugo Moreau au plus tard le lundi 7 décembre 2026\n"
        in trainer.all_text
    )  # the ticket counts from the opening, and is not late
    planned = await tasks(db)
    assert planned["ENTRETIEN"].due_on == date(2026, 11, 9)
    assert "premier signe : le lundi 2 novembre 2026" in planned["ENTRETIEN"].explanation
    assert planned["TICKET"].due_on == date(2026, 12, 7)
    opened = [e for e in await audit_entries(db) if e.action == "open"]
    assert opened[-1].details["sign_on"] == "2026-11-02"


async def test_a_contact_due_on_a_saturday_says_the_friday(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """ELY-SHORT: a day after the absence of Friday is a Saturday; the list says so."""
    clock.advance(days=4)  # Friday 27 November
    await open_followup(trainer, "inès")
    await trainer.presses("Ouvrir le suivi")
    assert (
        "Contacter Inès Garnier et son entreprise (absence ou rupture, formation courte) au plus "
        "tard le samedi 28 novembre 2026 (un samedi : à faire plutôt le vendredi 27 novembre 2026)"
    ) in trainer.all_text
    assert (await tasks(db))["CONTACT"].due_on == date(2026, 11, 28)


async def test_an_entretien_on_christmas_after_the_end_is_pointed_out(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer B: 25 December, after the formation's end, was taken without a word."""
    await open_followup(trainer, "hugo")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("jeudi à 14h")  # 26 November: a working day within the formation
    assert "Attention" not in trainer.last
    said = "\n".join(r.text for r in await trainer.presses("Oui"))
    assert "programmé le <b>jeudi 26 novembre 2026 à 14 h 00</b>" in said
    assert (
        "rédigez son compte rendu avec /decrochage, au plus tard le dimanche 29 novembre 2026 "
        "(un dimanche : à faire plutôt le vendredi 27 novembre 2026)."
    ) in trainer.all_text
    formation = (await rows(db, Formation, id=await formation_id(db, "Agent de restauration")))[0]
    await trainer.says("/decrochage hugo")
    await trainer.presses("Reprogrammer")
    await trainer.says("le 25 décembre 2026 à 3 h")  # said before « Oui » (explorer K)
    said = trainer.last
    assert "Attention : ce jour est férié (Noël) ; vérifiez que c'est bien la date voulue." in said
    assert "Attention : à 3 h 00, c'est en dehors des heures habituelles" in said
    assert "après la fin de la formation" not in said  # it ends in January
    await trainer.presses("Non, corriger")
    await trainer.says("le 25 décembre 2026 à 10 h")
    await trainer.presses("Oui")
    entretiens = await rows(db, Entretien)
    assert entretiens[-1].scheduled_at == datetime(2026, 12, 25, 9, 0, tzinfo=UTC)
    after = formation.end_date + timedelta(days=4)  # the Tuesday after its last Friday
    await trainer.says("/decrochage hugo")
    await trainer.presses("Reprogrammer")
    await trainer.says(f"le {after:%d/%m/%Y} à 10 h")
    said = trainer.last
    assert (
        f"Attention : c'est après la fin de la formation (le {spell_date(formation.end_date)})"
    ) in said
    assert "ce jour est" not in said
    # After the organisation's own delay for it (7 days after the sign: 30 November).
    await trainer.presses("Non, corriger")
    await trainer.says("le 3 décembre 2026 à 10 h")
    assert (
        "Attention : l'organisme l'attendait au plus tard le lundi 30 novembre 2026 (délai "
        "réglé dans /reglages)."
    ) in trainer.last


async def test_a_sign_after_the_trainee_left_is_refused(db: Database, trainer: Person) -> None:
    """Explorer E: a follow-up opened for someone who had left, its first sign after the exit."""
    async with db.sessions() as session, session.begin():
        hugo = await session.scalar(select(Trainee).where(Trainee.full_name == "Hugo Moreau"))
        assert hugo is not None
        hugo.left_on, hugo.exit_reason = date(2026, 11, 18), "abandon"
    await trainer.says("/decrochage hugo")
    await trainer.presses("Baisse de motivation")
    await trainer.presses("Terminé")
    assert "« mercredi 18 novembre »" in trainer.last  # an example the question takes
    await trainer.says("vendredi")
    assert (
        "Le vendredi 20 novembre 2026 est après la sortie d'Hugo Moreau (le mercredi 18 "
        "novembre 2026)"
    ) in trainer.last
    await seen_on(trainer, "mardi")
    assert "sous-traitance" in trainer.last or "Récapitulatif" in trainer.last


async def test_a_sign_before_the_trainee_entered_is_refused(db: Database, trainer: Person) -> None:
    """Explorer F F20: someone who entered later, a sign dated before, the contact overdue."""
    async with db.sessions() as session, session.begin():
        hugo = await session.scalar(select(Trainee).where(Trainee.full_name == "Hugo Moreau"))
        assert hugo is not None
        hugo.entered_on = date(2026, 11, 19)
    await trainer.says("/decrochage hugo")
    await trainer.presses("Baisse de motivation")
    await trainer.presses("Terminé")
    await trainer.says("mardi 17 novembre")
    assert (
        "Le mardi 17 novembre 2026 est avant l'entrée d'Hugo Moreau en formation (le jeudi 19 "
        "novembre 2026)"
    ) in trainer.last
    await seen_on(trainer, "vendredi")
    assert "sous-traitance" in trainer.last or "Récapitulatif" in trainer.last


async def test_since_when_suggests_the_absences_already_noted(trainer: Person) -> None:
    """Explorer E E12 i: with absences noted, « Depuis quand ? » suggested « hier »."""
    await trainer.says("Hugo absent du 17 au 18 novembre")
    await trainer.presses("Enregistrer")
    await trainer.says("Hugo absent vendredi matin")
    await trainer.presses("Oui")  # « Noter l'absence …, vendredi matin (vendredi 20 …) ? »
    await trainer.presses("Non")  # not justified
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    await trainer.says("/annuler")
    await trainer.says("/decrochage hugo")
    await trainer.presses("Absences répétées")
    await trainer.presses("Terminé")
    assert (
        # Explorer AI4: « (l'absence avec laquelle les absences se sont répétées …) ».
        "Par exemple « aujourd'hui » ou « mercredi 18 novembre », le jour où les absences ont "
        "atteint le seuil fixé dans /reglages."
    ) in trainer.last
    await trainer.says("Retour")
    await trainer.presses("Absences répétées")  # unticked
    await trainer.presses("Une absence")
    await trainer.presses("Terminé")
    assert "« vendredi 20 novembre » (la dernière absence notée)." in trainer.last
    await trainer.says("vendredi 20 novembre")
    await trainer.presses("Oui, c'est ça")
    assert "Depuis quand" not in trainer.last


async def followup_facts_of(db: Database, formation: int) -> tuple[object, ...]:
    async with db.sessions() as session:
        return await followup_facts(session, formation)


async def test_short_formation_contacts_with_proofs_then_ticket(
    db: Database, trainer: Person
) -> None:
    await open_followup(trainer, "thomas")
    assert "formation courte" in trainer.last
    await trainer.presses("Ouvrir le suivi")
    assert "Contacter Thomas Fabre et son entreprise" in trainer.all_text
    planned = await tasks(db)
    assert set(planned) == {"CONTACT", "TICKET"}
    assert (planned["CONTACT"].rule_id, planned["CONTACT"].due_on) == (
        "ELY-SHORT",
        date(2026, 11, 24),
    )
    await trainer.presses("Oui, maintenant")
    await trainer.presses("Thomas Fabre")
    await trainer.presses("Sms")
    await trainer.says("aujourd'hui")
    await trainer.presses("Oui")
    await trainer.says("Pas de réponse, message laissé")
    await trainer.sends_file("capture.png", "image/png", SCREENSHOT)
    assert "Preuve : capture.png" in trainer.last
    assert "Contact avec Thomas Fabre par SMS le lundi 23 novembre 2026" in trainer.last
    await trainer.presses("Enregistrer")
    assert "C'est noté, avec la preuve" in trainer.all_text
    assert (await tasks(db))["CONTACT"].done_at is None
    await trainer.presses("Noter un contact")
    await trainer.presses("L'entreprise")
    await trainer.presses("Téléphone")
    await trainer.says("demain")
    assert "dans le futur" in trainer.last
    await trainer.says("2 novembre 2025")  # a slip of the year: before the formation began
    assert "dimanche 2 novembre 2025 est avant le début de la formation" in trainer.last
    assert "vérifiez le jour, le mois et l'année.\n\nQuel jour ? (par exemple" in trainer.last
    assert "Quel jour était-ce" not in trainer.last  # the question once (explorer L)
    await trainer.says("ce matin")
    await trainer.presses("Oui")
    await trainer.says("Le tuteur le relance")
    await trainer.presses("Pas de preuve")
    await trainer.presses("Enregistrer")
    assert (await tasks(db))["CONTACT"].done_at is not None
    await trainer.presses("Terminé")
    contacts = await rows(db, FollowUpContact)
    assert [(c.with_whom, c.channel, c.contacted_on) for c in contacts] == [
        ("stagiaire", "sms", date(2026, 11, 23)),
        ("entreprise", "telephone", date(2026, 11, 23)),
    ]
    proof = (await rows(db, StoredDocument))[0]
    assert (proof.kind, proof.followup_id, proof.content) == (
        "preuve_contact",
        contacts[0].followup_id,
        SCREENSHOT,
    )
    assert contacts[0].proof_id == proof.id and contacts[1].proof_id is None

    await trainer.says("/decrochage thomas")
    await trainer.presses("Saisir le ticket qualité")
    assert "Contact avec la personne en formation par SMS le lundi 23 novembre 2026" in trainer.last
    assert "preuve : capture.png" in trainer.last
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Enregistrer le ticket")
    ticket = (await rows(db, QualityTicket))[0]
    assert (ticket.rule_id, ticket.document_ids, ticket.note) == ("ELY-SHORT", [proof.id], None)


async def test_a_ticket_says_what_the_procedure_still_expects(
    db: Database, trainer: Person
) -> None:
    await open_followup(trainer, "ines")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    assert "Vous reprendrez ce suivi avec /decrochage" in trainer.last
    await trainer.says("/decrochage inès")
    await trainer.presses("Saisir le ticket qualité")
    assert "un contact avec la personne et un contact avec l'entreprise" in trainer.last
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Abandonner")
    assert await rows(db, QualityTicket) == []
    await trainer.says("/decrochage inès")
    await trainer.presses("Saisir le ticket qualité")
    await trainer.presses("Rien à ajouter")
    # The procedure in words, never its code (explorer Z, Z7: « (ELY-SHORT) »), and once
    # (explorer HB5: the header and the first line both said it).
    assert "Ticket qualité pour Inès Garnier :" in trainer.last
    assert (
        "Suivi ouvert le lundi 23 novembre 2026 (procédure Elycoop de prévention des ruptures – "
        "absence ou rupture dans une formation courte)." in trainer.last
    )
    assert trainer.last.count("procédure Elycoop") == 1
    assert "ELY-" not in trainer.last
    # Explorer D (F32): the ticket says which steps were not done, not only how many.
    assert "· Non fait à la clôture : un contact avec la personne." in trainer.last
    assert "· Non fait à la clôture : un contact avec l'entreprise." in trainer.last
    await trainer.presses("Enregistrer le ticket")
    # /exporter, the trainer's own command, not the server's (explorer HB5).
    assert "Il figure dans les fichiers exportés de l'organisme (/exporter)." in trainer.all_text
    assert "formabot export" not in trainer.all_text
    ticket = (await rows(db, QualityTicket))[0]
    assert ticket.actions[-2:] == [
        "Non fait à la clôture : un contact avec la personne.",
        "Non fait à la clôture : un contact avec l'entreprise.",
    ]
    async with db.sessions() as session:
        bundle = await qualiopi_bundle(session, ticket.formation_id)
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert "Non fait à la clôture : un contact avec la personne." in (
            archive.read("tickets-qualite.csv").decode()
        )
    await open_followup(trainer, "nadia", subcontracted="")  # known for this formation
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage nadia")
    await trainer.presses("Saisir le ticket qualité")
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Enregistrer le ticket")
    assert [t.reference for t in await rows(db, QualityTicket)] == [
        "TQ-2026-0001",
        "TQ-2026-0002",
    ]


async def test_subcontracting_is_asked_once_and_switches_the_procedure_off(
    db: Database, trainer: Person
) -> None:
    await open_followup(trainer, "thomas", subcontracted="Oui, en sous-traitance")
    assert "la procédure ne s'applique pas" in trainer.last
    await trainer.presses("Ouvrir le suivi")
    assert "pas d'échéance ni de ticket qualité" in trainer.last
    assert await step_of(db, trainer) == (None, None)
    f = (await rows(db, FollowUp))[0]
    assert f.procedure_applies is False and await tasks(db) == {}
    projet = await formation_id(db, "Projet professionnel")
    assert (await rows(db, Formation, id=projet))[0].subcontracted is True
    assert await followup_facts_of(db, projet) == ()

    await open_followup(trainer, "inès", subcontracted="")
    assert "En sous-traitance" in trainer.last  # not asked again
    await trainer.presses("Ouvrir le suivi")
    await trainer.says("/decrochage thomas")
    assert "Saisir le ticket qualité" not in trainer.buttons
    await trainer.presses("Clore le suivi")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, clore")
    assert (await rows(db, FollowUp))[0].closed_at is not None
    assert await rows(db, QualityTicket) == []


async def test_an_organisation_without_the_procedure(db: Database, trainer: Person) -> None:
    await set_org_settings(db, ely_procedure=False)
    await open_followup(trainer, "karim", subcontracted="")
    assert "désactivée pour votre organisme" in trainer.last
    await trainer.presses("Ouvrir le suivi")
    f = (await rows(db, FollowUp))[0]
    assert f.procedure_applies is False and await tasks(db) == {}


async def test_bilan_de_competences_sick_leave_solution(db: Database, trainer: Person) -> None:
    await add_formation(db, title="Bilan Zoé", kind="bilan_competences", trainees=("Zoé Lambert",))
    await open_followup(trainer, "zoé")
    assert "de quoi s'agit-il" in trainer.last
    await trainer.presses("Un arrêt maladie")
    await trainer.presses("Ouvrir le suivi")
    planned = await tasks(db)
    assert set(planned) == {"SOLUTION"}
    assert planned["SOLUTION"].rule_id == "ELY-BILAN-COMP"
    await trainer.presses("Oui, maintenant")
    await trainer.presses("Avenant à la convention")
    await trainer.presses("Oui")
    await trainer.says("Reprise le 15 janvier, nouvelles dates à caler")
    assert "Pensez à l'avenant" in trainer.all_text
    assert "Établir l'avenant à la convention de bilan de Zoé Lambert" in trainer.last
    f = (await rows(db, FollowUp))[0]
    assert (f.cause, f.solution, f.solution_with_employer) == ("sick_leave", "avenant", True)
    assert f.solution_note == "Reprise le 15 janvier, nouvelles dates à caler"
    planned = await tasks(db)
    assert planned["SOLUTION"].done_at is not None and planned["SOLUTION"].status == "done"
    await trainer.says("/decrochage zoé")
    assert "Noter la solution convenue" not in trainer.buttons
    await trainer.presses("Saisir le ticket qualité")
    assert "avenant à la convention (avec l'employeur)" in trainer.last
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Enregistrer le ticket")
    assert (await rows(db, QualityTicket))[0].rule_id == "ELY-BILAN-COMP"
    assert set(await tasks(db)) == {"SOLUTION"}  # kept, done


async def test_bilan_de_competences_difficulty_team_regard_croise_compte_rendu(
    db: Database, trainer: Person, clock: Clock
) -> None:
    await add_formation(db, title="Bilan Zoé", kind="bilan_competences", trainees=("Zoé Lambert",))
    await open_followup(trainer, "zoé")
    await trainer.presses("Une difficulté")
    await trainer.presses("Ouvrir le suivi")
    planned = await tasks(db)
    assert set(planned) == {"REGARD-CROISE", "TICKET"}
    assert {t.rule_id for t in planned.values()} == {"ELY-BILAN-DIFF"}
    assert planned["REGARD-CROISE"].due_on == date(2026, 12, 7)
    await trainer.presses("Oui, maintenant")
    assert "Quel jour avez-vous parlé de la situation en équipe" in trainer.last
    await trainer.says("hier")
    await trainer.presses("Oui")
    await trainer.says("Piste : élargir aux métiers du soin")
    await trainer.presses("Pas de preuve")
    assert "Échange en équipe le dimanche 22 novembre 2026" in trainer.last
    await trainer.presses("Enregistrer")
    await trainer.presses("Programmer le regard croisé")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("Sophie Leroy")
    await trainer.says("mardi 1er décembre à 10h")
    await trainer.presses("Oui")
    regard = (await rows(db, Entretien))[0]
    assert (regard.kind, regard.counsellor) == ("regard_croise", "Sophie Leroy")
    clock.advance(days=9)
    await trainer.says("/decrochage zoé")
    await trainer.presses("Rédiger le compte rendu du regard croisé")
    await trainer.presses("Oui, comme prévu")
    await trainer.says("Projet flou")
    await trainer.says("Manque de confiance")
    await trainer.says("Enquêtes métier auprès de deux professionnels")
    await trainer.presses("Pas de prochain point")
    await trainer.presses("Produire le compte rendu")
    document = next(r.document for r in trainer.replies if r.document is not None)
    words = pdf_words(document.content)
    assert "Regard croisé" in words and "Sophie Leroy" in words and "Zoé Lambert" in words
    # The person of a bilan de compétences, as the bot calls her (explorer AO4: « Stagiaire »).
    assert "Personne accompagnée" in words and "Stagiaire" not in words
    assert "mardi 1er décembre 2026 à 10 h 00" in words
    assert "Enquêtes métier auprès de deux professionnels" in words
    done = await tasks(db)
    assert done["REGARD-CROISE"].done_at and done["COMPTE-RENDU"].done_at
    assert done["TICKET"].done_at is None
    await trainer.presses("Saisir le ticket qualité")
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Enregistrer le ticket")
    assert (await rows(db, QualityTicket))[0].rule_id == "ELY-BILAN-DIFF"
    contact = (await rows(db, FollowUpContact))[0]
    assert (contact.with_whom, contact.channel) == ("equipe", "reunion")


async def test_vae_livret_de_suivi(db: Database, trainer: Person) -> None:
    await add_formation(db, title="VAE Paul", kind="vae", trainees=("Paul Henry",))
    await open_followup(trainer, "paul")
    await trainer.presses("Ouvrir le suivi")
    assert set(await tasks(db)) == {"LIVRET", "TICKET"}
    await trainer.presses("Oui, maintenant")
    await survives(db, trainer, NO_FILE)
    await trainer.sends_file("livret-suivi.pdf", "application/pdf", b"%PDF-1.4 livret")
    assert "Livret de suivi enregistré (livret-suivi.pdf)" in trainer.all_text
    # Where the procedure wants it too, which the bot does not do (explorer AO8).
    assert "Déposez-le aussi dans l'espace de stockage formateur (Dendreo)" in trainer.all_text
    livret = (await rows(db, StoredDocument))[0]
    assert livret.kind == "livret_suivi" and livret.followup_id is not None
    assert (await tasks(db))["LIVRET"].done_at is not None
    await trainer.says("/decrochage paul")
    assert "Déposer le livret de suivi" not in trainer.buttons
    await trainer.presses("Saisir le ticket qualité")
    assert "Livret de suivi déposé le lundi 23 novembre 2026 (livret-suivi.pdf)" in trainer.last


async def test_any_follow_up_takes_a_document_kept_for_the_qualiopi_bundle(
    db: Database, trainer: Person
) -> None:
    """Explorer GF8: a compte rendu signed on paper, notes: nowhere to put them in a long
    formation (the livret is for VAE alone, proofs for contacts alone)."""
    await open_followup(trainer, "julie")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage julie")
    await trainer.presses("Joindre un document")
    assert trainer.last.startswith("Envoyez le document à joindre au suivi de Julie Petit")
    await survives(db, trainer, NO_FILE)
    await trainer.sends_file("cr-signe.pdf", "application/pdf", b"%PDF-1.4 signe")
    assert "Document joint au suivi (cr-signe.pdf)" in trainer.all_text
    [document] = await rows(db, StoredDocument, kind="piece_suivi")
    assert document.followup_id is not None and document.content == b"%PDF-1.4 signe"
    async with db.sessions() as session:
        bundle = await qualiopi_bundle(session, await formation_id(db, "Agent"))
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert archive.read(f"document-suivi-{document.id}-cr-signe.pdf") == b"%PDF-1.4 signe"
    await trainer.says("/decrochage julie")
    await trainer.presses("Saisir le ticket qualité")
    assert "Document joint au suivi le lundi 23 novembre 2026 (cr-signe.pdf)" in trainer.last


async def test_a_document_s_long_name_is_cut_keeping_its_extension(
    db: Database, trainer: Person
) -> None:
    """Explorer AA4: a 300-character file name was cut to 120 characters, its « .pdf »
    dropped: the Qualiopi bundle held a document with no extension."""
    await open_followup(trainer, "julie")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage julie")
    await trainer.presses("Joindre un document")
    await trainer.sends_file("a" * 300 + ".pdf", "application/pdf", b"%PDF-1.4 x")
    [document] = await rows(db, StoredDocument, kind="piece_suivi")
    assert document.filename.endswith("aaa.pdf") and len(document.filename) <= 120
    async with db.sessions() as session:
        bundle = await qualiopi_bundle(session, await formation_id(db, "Agent"))
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        [name] = [n for n in archive.namelist() if n.startswith("document-suivi-")]
    assert name.endswith(".pdf"), name


async def test_a_sign_added_again_the_same_day_is_said_and_not_added_twice(
    db: Database, trainer: Person
) -> None:
    """Explorer EC6: « Abandon de la formation » added twice the same day read « Signes : 2 »
    in the follow-up: the second is the same observation, said and not added (the sign it
    was opened with as well, « Manque de réactivité »)."""
    await open_followup(trainer, "julie")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    signs = len(await rows(db, FollowUpSign))
    for _ in range(2):
        await trainer.says("/decrochage julie")
        await trainer.presses("Ajouter des signes")
        await trainer.presses("Baisse de motivation")
        await trainer.presses("Retards")
        await trainer.presses("Terminé")
    assert (
        "Déjà noté aujourd'hui dans ce suivi, pas ajouté une seconde fois : baisse de "
        "motivation et retards."
    ) in trainer.all_text
    assert "signe ajouté" not in trainer.all_text
    assert len(await rows(db, FollowUpSign)) == signs + 2
    await trainer.says("/decrochage julie")
    await trainer.presses("Ajouter des signes")
    await trainer.presses("Retards")
    await trainer.presses("Difficultés personnelles")
    await trainer.presses("Manque de réactivité")
    await trainer.presses("Terminé")
    assert (
        "1 signe ajouté au suivi. Déjà noté aujourd'hui dans ce suivi, pas ajouté une seconde "
        "fois : retards et manque de réactivité."
    ) in trainer.all_text
    assert len(await rows(db, FollowUpSign)) == signs + 3


async def test_more_signs_and_the_timeline_from_the_menu(db: Database, trainer: Person) -> None:
    await open_followup(trainer, "julie")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage julie")
    await trainer.presses("Ajouter des signes")
    await trainer.presses("Baisse de motivation")
    await trainer.presses("Terminé")
    assert "1 signe ajouté" in trainer.all_text
    assert "enregistrez aussi sa sortie" not in trainer.all_text
    assert len(await rows(db, FollowUpSign)) == 2
    # Explorer E E12 m: an abandon ticked as a sign says where the exit is recorded.
    await trainer.says("/decrochage julie")
    await trainer.presses("Ajouter des signes")
    await trainer.presses("Abandon de la formation")
    await trainer.presses("Terminé")
    assert (
        "Si Julie Petit a quitté la formation, enregistrez aussi sa sortie : /formations, puis "
        "« Entrées et sorties » (motif « Abandon »)"
    ) in trainer.all_text
    await trainer.says("/decrochage julie")
    await trainer.presses("Voir la chronologie")
    assert "Suivi de Julie Petit" in trainer.last
    assert "baisse de motivation" in trainer.last  # mid-line, no capital (explorer AI18)


async def test_the_note_of_another_sign_added_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """« Autre » ticked among the signs added to a follow-up asks what was observed: wrong,
    empty, huge or hostile input is asked again and adds no sign (coverage BC)."""
    await open_followup(trainer, "julie")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    signs = len(await rows(db, FollowUpSign))
    await trainer.says("/decrochage julie")
    await trainer.presses("Ajouter des signes")
    await trainer.presses("Autre")
    await trainer.presses("Terminé")
    assert await step_of(db, trainer) == ("decrochage_signs", "sign_note"), trainer.last
    await survives(db, trainer, FOR_NAMES)
    assert len(await rows(db, FollowUpSign)) == signs
    await trainer.says("Ne répond plus aux messages")
    assert "1 signe ajouté" in trainer.all_text
    assert len(await rows(db, FollowUpSign)) == signs + 1


async def test_the_recap_puts_the_note_on_autre_whatever_the_order_ticked(trainer: Person) -> None:
    """Outside test: ticked 3, 6, 2, the note followed « Retards », the last one ticked."""
    await trainer.says("/decrochage karim")
    await trainer.says("3")
    await trainer.says("6")
    await trainer.says("2")
    await trainer.presses("Terminé")
    await trainer.says("Ne répond plus aux messages")
    await seen_on(trainer, "aujourd'hui")
    await trainer.presses("Non")
    # Lower-case inside the line, as /suivi says them (explorer BE12).
    assert (
        "Signes : manque de réactivité, autre (Ne répond plus aux messages), retards"
        in trainer.last
    )


# --- bad input at every step of every décrochage conversation ------------------------------


async def test_every_step_of_opening_survives_bad_input(db: Database, trainer: Person) -> None:
    await trainer.says("/decrochage")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Agent de restauration")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("hugo")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Terminé")
    assert "au moins un" in trainer.last
    await trainer.presses("Autre")
    await trainer.presses("Terminé")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("Absent des pauses")
    await survives(db, trainer, FOR_NAMES)  # « Depuis quand ? »
    await trainer.says("vendredi")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Non")
    await survives(db, trainer, FOR_CHOICES)
    assert await rows(db, FollowUp) == []
    await trainer.presses("Ouvrir le suivi")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, maintenant")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("demain 9h")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui")
    assert len(await rows(db, Entretien)) == 1

    await trainer.says("/decrochage hugo")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Rédiger le compte rendu")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Il a déjà eu lieu")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("1er octobre")  # explorer D F7: before the formation (19 October)
    assert "avant le début de la formation (le lundi 19 octobre 2026)" in trainer.last
    await trainer.says("ce matin")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui")
    assert "À quelle heure a-t-il commencé" in trainer.last
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("23 h")  # tonight: not yet
    assert "n'est pas encore passé" in trainer.last
    await trainer.says("8 h 45")
    for text in ("Constat", "Causes", "Mesures"):
        await survives(db, trainer, FOR_NAMES)
        await trainer.says(f"{text} <b>&</b> détaillé")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("dans quinze jours")
    await survives(db, trainer, FOR_CHOICES)
    assert await rows(db, StoredDocument) == []
    await trainer.presses("Produire le compte rendu")
    document = next(r.document for r in trainer.replies if r.document is not None)
    assert "Mesures <b>&</b> détaillé" in pdf_words(document.content)
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Saisir le ticket qualité")
    await survives(db, trainer, FOR_NAMES)
    await trainer.presses("Rien à ajouter")
    await survives(db, trainer, FOR_CHOICES)
    assert await rows(db, QualityTicket) == []
    await trainer.presses("Enregistrer le ticket")
    assert len(await rows(db, QualityTicket)) == 1


async def test_every_step_of_the_other_paths_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    await open_followup(trainer, "thomas")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    for bads, action in (
        (FOR_CHOICES, ("press", "L'entreprise")),
        (FOR_CHOICES, ("press", "E-mail")),
        (FOR_NAMES, ("say", "hier")),
        (FOR_CHOICES, ("press", "Oui")),
        (FOR_NAMES, ("say", "Relance envoyée")),
        (NO_FILE, ("file", "")),
        (FOR_CHOICES, ("press", "Enregistrer")),
        (FOR_CHOICES, ("press", "Ajouter des signes")),
        (FOR_CHOICES, ("press", "Retards")),
        (FOR_CHOICES, ("press", "Terminé")),
    ):
        await survives(db, trainer, bads)
        kind, value = action
        if kind == "press":
            await trainer.presses(value)
        elif kind == "say":
            await trainer.says(value)
        else:
            await trainer.sends_file("mail.pdf", "application/pdf", b"%PDF-1.4 mail")
    assert len(await rows(db, FollowUpContact)) == 1
    await add_formation(db, title="Bilan Zoé", kind="bilan_competences", trainees=("Zoé Lambert",))
    await open_followup(trainer, "zoé")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Un arrêt maladie")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Report des dates")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Non")
    await survives(db, trainer, FOR_NAMES)
    assert (await rows(db, FollowUp))[-1].solution is None
    await trainer.presses("Rien à ajouter")
    assert (await rows(db, FollowUp))[-1].solution == "report"
    await open_followup(trainer, "julie")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage julie")
    assert await step_of(db, trainer) == ("decrochage", "menu")
    await survives(db, trainer, FOR_CHOICES)


async def test_forged_buttons_cannot_reach_another_follow_up(db: Database, trainer: Person) -> None:
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage karim")
    stamp = trainer.replies[-1].choices[0].data.split("|")[0]
    await trainer.presses_data(f"{stamp}|ticket_999")
    assert "pas (ou plus) proposé" in trainer.last
    assert await step_of(db, trainer) == ("decrochage", "menu")


async def test_ticket_references_are_unique_per_organisation(store: Database) -> None:
    from bot import demo

    async with store.sessions() as session, session.begin():
        await demo.fill(session, today=date(2026, 11, 23))
    async with store.sessions() as session, session.begin():
        formation = (await session.scalars(select(Formation))).first()
        assert formation is not None
        await session.refresh(formation, ["trainees"])
        trainee = formation.trainees[0]
        followups = [
            FollowUp(
                organisation_id=formation.organisation_id,
                formation_id=formation.id,
                trainee_id=other.id,
                path="long",
            )
            for other in formation.trainees[:2]  # one open follow-up per trainee
        ]
        session.add_all(followups)
        await session.flush()
        session.add(
            QualityTicket(
                organisation_id=formation.organisation_id,
                reference="TQ-2026-0001",
                year=2026,
                number=1,
                followup_id=followups[0].id,
                formation_id=formation.id,
                trainee_id=trainee.id,
                rule_id="ELY-LONG",
                filed_on=date(2026, 11, 23),
            )
        )
        ids = (formation.organisation_id, formation.id, trainee.id, followups[1].id)
    with pytest.raises(IntegrityError):
        async with store.sessions() as session, session.begin():
            session.add(
                QualityTicket(
                    organisation_id=ids[0],
                    reference="TQ-2026-0001",
                    year=2026,
                    number=1,
                    followup_id=ids[3],
                    formation_id=ids[1],
                    trainee_id=ids[2],
                    rule_id="ELY-LONG",
                    filed_on=date(2026, 11, 23),
                )
            )


async def test_an_entretien_already_held_is_noted_then_its_compte_rendu_written(
    db: Database, trainer: Person
) -> None:
    """Explorer O O19: « hier à 14 h » was refused, the trainer told to give a date to come,
    then to correct it in the compte rendu; it is noted at its real moment, since the sign."""
    await trainer.says("/decrochage karim")
    await trainer.presses("Manque de réactivité")
    await trainer.presses("Terminé")
    await seen_on(trainer, "jeudi")  # 19 November
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("mercredi 18 novembre à 10 h")  # before the sign: checked
    assert trainer.last.startswith(
        "Le mercredi 18 novembre 2026 à 10 h 00 vient avant le premier signe de ce suivi (le "
        "jeudi 19 novembre 2026) : vérifiez la date."
    )
    await trainer.says("vendredi dernier à 14 h")
    assert "J'ai compris : vendredi 20 novembre 2026 à 14 h 00" in trainer.last
    assert "C'est déjà passé : je le note comme un entretien qui a eu lieu" in trainer.last
    said = "\n".join(r.text for r in await trainer.presses("Oui"))
    assert "Entretien individuel avec Karim Benali noté le <b>vendredi 20 novembre" in said
    assert "Je vous le rappellerai la veille" not in said
    # Explorer AD13: held, not « prévu », and no longer « à tenir » in the to-do list.
    assert "entretien individuel tenu le vendredi 20 novembre 2026 à 14 h 00" in said
    assert "prévu" not in said and "à tenir" not in said
    [entretien] = await rows(db, Entretien)
    assert entretien.held_at == entretien.scheduled_at
    done = {r.key.split(":")[0] for r in await rows(db, StoredDeadline) if r.is_done}
    assert done == {"ELY-LONG-ENTRETIEN"}
    # Its compte rendu starts at the constat: « a-t-il eu lieu ? » is not asked of it.
    assert (await trainer.presses("Rédiger le compte rendu"))[-1].text.startswith(
        "Compte rendu, 1/4 – <b>Constat</b>"
    )
    for text in ("Constat", "Causes", "Mesures"):
        await trainer.says(f"{text} du jour")
    await trainer.presses("Pas de prochain point")
    await trainer.presses("Produire le compte rendu")
    [entretien] = await rows(db, Entretien)
    assert entretien.held_at == entretien.scheduled_at == datetime(2026, 11, 20, 13, tzinfo=UTC)


async def at_the_day_held(trainer: Person) -> None:
    """Karim's entretien planned tomorrow at 10 h 30; its compte rendu, « Il a déjà eu lieu »."""
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("demain 10h30")
    await trainer.presses("Oui")
    await trainer.says("/decrochage karim")
    await trainer.presses("Rédiger le compte rendu")
    await trainer.presses("Il a déjà eu lieu")


async def test_the_hour_typed_with_the_day_an_entretien_was_held_is_kept_not_asked(
    db: Database, trainer: Person
) -> None:
    """Explorer U U8: « ce matin 9h » got « je garde le jour, pas l'heure », then the very
    next question asked the hour."""
    await at_the_day_held(trainer)
    await trainer.says("aujourd'hui à 23 h")  # not yet: the hour asked, saying why
    await trainer.presses("Oui")
    assert "Le lundi 23 novembre 2026 à 23 h 00 n'est pas encore passé." in trainer.all_text
    assert "À quelle heure a-t-il commencé" in trainer.last
    await trainer.says("/decrochage karim")
    await trainer.presses("Rédiger le compte rendu")
    await trainer.presses("Il a déjà eu lieu")
    await trainer.says("ce matin 9h")
    assert trainer.last.startswith("J'ai compris : lundi 23 novembre 2026 à 9 h 00. C'est bien")
    assert "je garde le jour" not in trainer.last
    await trainer.presses("Oui")
    assert "À quelle heure" not in trainer.all_text
    for text in ("Constat", "Causes", "Mesures"):
        await trainer.says(f"{text} du jour")
    await trainer.presses("Pas de prochain point")
    assert "lundi 23 novembre 2026 à 9 h 00" in trainer.last  # the recap


async def test_an_entretien_held_this_morning_gets_the_hour_typed_not_the_planned_one(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Issue 11 item 4: planned tomorrow at 10 h 30, held this morning; nobody typed 10 h 30."""
    await at_the_day_held(trainer)
    await trainer.says("ce matin")
    await trainer.presses("Oui")
    assert "À quelle heure a-t-il commencé" in trainer.last
    await trainer.says("9h15")
    for text in ("Constat", "Causes", "Mesures"):
        await trainer.says(f"{text} du jour")
    await trainer.presses("Pas de prochain point")
    assert "lundi 23 novembre 2026 à 9 h 15" in trainer.last  # the recap
    await trainer.presses("Produire le compte rendu")
    [entretien] = await rows(db, Entretien)
    assert entretien.held_at == datetime(2026, 11, 23, 8, 15, tzinfo=UTC)  # 9 h 15 in Paris
    document = next(r.document for r in trainer.replies if r.document is not None)
    words = pdf_words(document.content)
    assert "9 h 15" in words and "10 h 30" not in words
    await trainer.presses("Saisir le ticket qualité")
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Enregistrer le ticket")
    [ticket] = await rows(db, QualityTicket)
    assert "10 h 30" not in " ".join(ticket.actions)
    async with db.sessions() as session:
        bundle = await qualiopi_bundle(session, await formation_id(db, "Agent"))
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        told = pdf_words(archive.read("chronologie-karim-benali.pdf"))
        tickets = archive.read("tickets-qualite.csv").decode()
    assert "9 h 15" in told and "tenu le lundi 23 novembre 2026 à 10 h 30" not in told
    assert "10 h 30" not in tickets


# --- one record of what is due: /decrochage, /echeances and the digest agree ----------------


async def test_a_contact_logged_in_decrochage_is_done_in_echeances_and_the_digest(
    db: Database, trainer: Person, clock: Clock, settings: Settings
) -> None:
    """The reported dialogue: a follow-up opened, its contact logged in /decrochage, and the
    contact still listed as overdue in /echeances and in the morning digest."""
    await open_followup(trainer, "thomas")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    contact = "Contacter la personne et son entreprise"
    clock.now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 8:00 in Paris: contact due the 24th
    scheduler = build_scheduler(db, settings, clock=clock)
    await scheduler.tick()
    assert contact in await digest_of_the_day(db)
    await trainer.says("/echeances")
    assert "🔴 24/11 " + contact + " – Thomas Fabre" in trainer.buttons

    for whom in ("Thomas Fabre", "L'entreprise"):  # both, for a short formation
        assert (await tasks(db))["CONTACT"].status == "open"
        await trainer.says("/decrochage thomas")
        await trainer.presses("Noter un contact")
        await trainer.presses(whom)
        await trainer.presses("Téléphone")
        await trainer.says("aujourd'hui")
        await trainer.presses("Oui")
        await trainer.says("Joint, reprend lundi")
        await trainer.presses("Pas de preuve")
        await trainer.presses("Enregistrer")
    assert contact[:20] not in trainer.last  # the menu's "À faire" no longer has it
    assert "Saisir le ticket qualité du suivi de Thomas Fabre" in trainer.last
    row = (await tasks(db))["CONTACT"]
    assert (row.status, row.done_at, row.done_by) == ("done", clock.now, 1)

    await trainer.says("/echeances")
    assert not any(contact in b for b in trainer.buttons)  # overdue ones come first
    assert (
        "🔵 07/12 Déposer les échanges et saisir le ticket qualité – Thomas Fabre"
        in trainer.buttons
    )
    clock.now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    await scheduler.tick()
    digest = await digest_of_the_day(db)
    assert "En retard" in digest and contact not in digest
    await trainer.says("/suivi thomas")
    assert "Échéance faite : " + contact in trainer.last


async def digest_of_the_day(db: Database) -> str:
    recorder = await deliver(db)
    [(_, text)] = recorder.digests()
    return text


async def test_short_formation_one_absence_opens_the_procedure_and_needs_both_contacts(
    db: Database, trainer: Person
) -> None:
    """Issue 11 item 14, as reported: one absence in a short formation, then a contact with
    the trainee alone, which must not close « contacter le stagiaire et l'entreprise »."""
    async with db.sessions() as session, session.begin():
        thomas = await session.get(Trainee, await trainee_id(db, "Thomas Fabre"))
        assert thomas is not None
        thomas.company = "Garage Martin"
    await trainer.says("/absence thomas hier matin non justifiée")
    await trainer.presses("Oui")
    await trainer.presses("Oui, l'enregistrer")  # a Sunday, asked once
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert "Thomas Fabre est dans une formation courte" in trainer.all_text
    assert "dès une absence" in trainer.all_text
    await trainer.presses("Ouvrir un suivi")
    assert "Une absence" in " ".join(trainer.buttons)  # the sign, ticked already
    await trainer.presses("Terminé")
    await trainer.presses("Non")  # not subcontracted
    await trainer.presses("Ouvrir le suivi")
    [followup] = await rows(db, FollowUp)
    assert followup.path == "short" and followup.absence_id is not None
    assert [s.code for s in await rows(db, FollowUpSign)] == ["absence"]
    await trainer.presses("Oui, maintenant")
    await trainer.presses("Thomas Fabre")
    await trainer.presses("Téléphone")
    await trainer.says("aujourd'hui")
    await trainer.presses("Oui")
    await trainer.says("Joint, revient demain")
    await trainer.presses("Pas de preuve")
    await trainer.presses("Enregistrer")
    assert "Reste à contacter son entreprise (Garage Martin)" in trainer.all_text
    assert (await tasks(db))["CONTACT"].status == "open"
    await trainer.presses("Noter un contact")
    await trainer.presses("L'entreprise")
    await trainer.presses("E-mail")
    await trainer.says("aujourd'hui")
    await trainer.presses("Oui")
    await trainer.says("Tuteur informé")
    await trainer.presses("Pas de preuve")
    await trainer.presses("Enregistrer")
    assert "Reste à contacter" not in trainer.last
    contact = (await tasks(db))["CONTACT"]
    assert (contact.status, contact.done_by) == ("done", 1)


async def test_the_next_point_is_a_day_to_come_written_out(db: Database, trainer: Person) -> None:
    """Explorer K: « hier » went as is into the compte rendu's PDF (no telling which day),
    under an example « le 7 décembre » weeks gone by."""
    await open_followup(trainer, "karim")
    await writing_this_morning_s_compte_rendu(trainer, "karim")
    for said in ("Absences répétées", "Transport", "Covoiturage"):
        await trainer.says(said)
    assert "(par exemple « le 30 novembre, en fin de séance »)" in trainer.last  # a week ahead
    await trainer.says("hier")
    assert trainer.last.startswith("Le dimanche 22 novembre 2026 est déjà passé")
    await trainer.says("demain, en fin de séance")
    assert "demain, en fin de séance (mardi 24 novembre 2026)" in trainer.last
    await trainer.says("Retour")  # its first words name the day (explorer O)
    await trainer.says("lundi prochain en fin de séance")
    assert "lundi prochain en fin de séance (lundi 30 novembre 2026)" in trainer.last
    # A day written out is not written again in brackets (explorer AO9).
    await trainer.says("Retour")
    await trainer.says("vendredi 4 décembre, en fin de séance")
    assert "vendredi 4 décembre, en fin de séance" in trainer.last
    assert "(vendredi 4 décembre 2026)" not in trainer.last


async def test_the_next_point_given_as_a_date_in_figures_is_read(
    db: Database, trainer: Person
) -> None:
    """Explorer EC5: « 31/02 » and « 15/12 », a day in figures alone, were « Écrivez-le avec
    des mots, s'il vous plaît (quelques lettres au moins) »."""
    await open_followup(trainer, "karim")
    await writing_this_morning_s_compte_rendu(trainer, "karim")
    for said in ("Absences répétées", "Transport", "Covoiturage"):
        await trainer.says(said)
    await trainer.says("31/02")
    assert trainer.last.startswith("Le 31 février n'existe pas.")
    await trainer.says("20/11/2026")
    assert trainer.last.startswith("Le vendredi 20 novembre 2026 est déjà passé")
    # Gone by three days ago, not the 20 November of next year (explorer EC10).
    await trainer.says("20/11")
    assert trainer.last.startswith("Le vendredi 20 novembre 2026 est déjà passé")
    await trainer.says("le 20 novembre, en fin de séance")
    assert trainer.last.startswith("Le vendredi 20 novembre 2026 est déjà passé")
    await trainer.says("15/12")
    assert "Prochain point : mardi 15 décembre 2026\n" in trainer.last
    await trainer.presses("Produire le compte rendu")
    [entretien] = await rows(db, Entretien)
    assert entretien.prochain_point == "mardi 15 décembre 2026"


async def test_a_short_formation_answers_an_absence_not_any_sign(
    db: Database, trainer: Person
) -> None:
    """Explorer F F20: « Manque de réactivité » in a short formation got the procedure's
    « absence ou rupture » contact and its ticket (003 §2: « le participant absent et/ou en
    rupture »); an absence added to the follow-up then brings them."""
    await trainer.says("/decrochage thomas")
    await trainer.presses("Manque de réactivité")
    await trainer.presses("Terminé")
    await seen_on(trainer, "aujourd'hui")
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    said = trainer.all_text
    assert "ces signes seuls ne demandent ni contact ni ticket qualité" in said
    assert "Noter un contact maintenant ?" not in said
    assert await tasks(db) == {}
    await trainer.says("/decrochage thomas")
    await trainer.presses("Ajouter des signes")
    await trainer.presses("Une absence")
    await trainer.presses("Terminé")
    assert "Contacter Thomas Fabre et son entreprise (absence ou rupture" in trainer.last
    assert set(await tasks(db)) == {"CONTACT", "TICKET"}


async def test_declining_to_open_is_not_abandonner_beside_an_abandon(
    db: Database, trainer: Person
) -> None:
    """Explorer Z, Z12: « Abandonner » was the way out under « Signes : Abandon de la
    formation »."""
    await open_followup(trainer, "karim")
    assert "Ne rien ouvrir" in trainer.buttons and "Abandonner" not in trainer.buttons
    await trainer.presses("Ne rien ouvrir")
    assert "D'accord, aucun suivi n'est ouvert." in trainer.last
    assert await rows(db, FollowUp) == []


async def test_an_entretien_noted_held_by_mistake_can_be_reprogrammed(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer AD13: one given past is held at once; a wrong day is corrected by
    « Reprogrammer l'entretien » (the first kept, cancelled), not held twice."""
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    clock.advance(hours=3)
    await trainer.presses("Oui, maintenant")
    await trainer.says("aujourd'hui à 9 h")
    await trainer.presses("Oui")
    await trainer.presses("Reprogrammer l'entretien")
    await trainer.says("demain 10 h")
    await trainer.presses("Oui")
    assert "programmé le mardi 24 novembre 2026 à 10 h 00" in trainer.all_text
    first, second = sorted(await rows(db, Entretien), key=lambda e: e.id)
    assert first.cancelled_at is not None and second.cancelled_at is None
    assert second.held_at is None
    assert not any(r.is_done for r in await rows(db, StoredDeadline, subject="followup"))
    await trainer.says("/decrochage karim")
    await trainer.presses("Saisir le ticket qualité")
    # When it was moved, and to when (explorer GF4: « … à 9 h 00 reprogrammé. »).
    assert (
        "Entretien individuel du lundi 23 novembre 2026 à 9 h 00 reprogrammé le lundi 23 "
        "novembre 2026 au mardi 24 novembre 2026 à 10 h 00."
    ) in trainer.last


async def test_a_follow_up_s_step_in_the_deadlines_is_noted_in_the_follow_up_not_ticked(
    db: Database, trainer: Person
) -> None:
    """Explorer AF5: « ✅ Fait » in /echeances marked a contact done with nothing noted, and
    the ticket of the same Qualiopi file then said « Non fait à la clôture »."""
    await open_followup(trainer, "ines")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/echeances")
    await trainer.presses("Contacter la personne et son entreprise")
    assert "✅ Fait" not in trainer.buttons
    await trainer.presses("Ouvrir le suivi pour le noter")
    assert "Noter un contact" in trainer.buttons
    assert "Inès Garnier" in trainer.last
    await trainer.presses("Noter un contact")
    assert "Avec qui" in trainer.all_text


async def test_a_sign_on_the_last_day_asks_the_entretien_within_the_formation(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer IC3: a sign on the last day of a long formation (Friday 18 December) gave an
    entretien due on Christmas, and the example offered, « lundi 21 décembre à 14 h », was
    then warned « après la fin de la formation ». The procedure places it « tout au long de
    la formation »: due that last day, the example a moment of it."""
    restauration = await formation_id(db, "Agent de restauration")
    async with db.sessions() as session, session.begin():
        formation = await session.get(Formation, restauration)
        assert formation is not None
        formation.end_date = date(2026, 12, 18)
    clock.now = datetime(2026, 12, 18, 14, 0, tzinfo=UTC)  # 15 h in Paris
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    said = trainer.all_text
    assert (
        "Entretien individuel avec Karim Benali à tenir au plus tard le vendredi 18 décembre 2026"
    ) in said
    assert "25 décembre" not in said
    entretien = (await tasks(db))["ENTRETIEN"]
    assert entretien.due_on == date(2026, 12, 18)
    assert (
        "la procédure le situant « tout au long de la formation », qui finit le vendredi "
        "18 décembre 2026, c'est au plus tard ce jour-là"
    ) in entretien.explanation
    await trainer.presses("Oui, maintenant")
    assert "par exemple « vendredi 18 décembre à 16 h »" in trainer.last
    await trainer.says("vendredi 18 décembre à 16 h")
    assert "Attention" not in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("lundi 21 décembre à 14 h")  # after the end: both warnings agree
    assert "après la fin de la formation (le vendredi 18 décembre 2026)" in trainer.last
    assert "l'organisme l'attendait au plus tard le vendredi 18 décembre 2026" in trainer.last


async def test_a_follow_up_opened_after_the_end_is_not_told_its_entretien_is_after_it(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer IC3: opened once the formation is over, the entretien is due the
    organisation's 7 days after the sign, after the end: a day then is not questioned."""
    restauration = await formation_id(db, "Agent de restauration")
    async with db.sessions() as session, session.begin():
        formation = await session.get(Formation, restauration)
        assert formation is not None
        formation.end_date = date(2026, 12, 18)
    clock.now = datetime(2026, 12, 21, 9, 0, tzinfo=UTC)  # Monday after the last day
    await trainer.says("/decrochage karim")
    await trainer.presses("Manque de réactivité")
    await trainer.presses("Terminé")
    await seen_on(trainer, "jeudi 17 décembre")
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    assert (await tasks(db))["ENTRETIEN"].due_on == date(2026, 12, 24)
    await trainer.presses("Oui, maintenant")
    await trainer.says("mardi 22 décembre à 14 h")
    assert "Attention" not in trainer.last


async def bruno_admin(trainer: Person, bruno: Person) -> None:
    """Camille (the demo's administrator) makes Bruno Petit an administrator too."""
    await trainer.says("/inviter")
    await trainer.presses("Administrateur")
    code = CODE.search(trainer.last)
    assert code, trainer.last
    await bruno.says(f"/start {code[1]}")
    await bruno.says("Bruno Petit")
    await bruno.presses("Au masculin")


async def at_the_entretien_s_confirmation(who: Person, when: str) -> None:
    await who.says("/decrochage karim")
    await who.presses("Programmer l'entretien individuel")
    await who.says(when)
    assert "C'est bien ça ?" in who.last


async def test_an_entretien_scheduled_meanwhile_by_another_admin_is_rescheduled_and_said(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer IB3 (the stale menu): Bruno's menu still offered « Programmer », Camille
    scheduled it meanwhile; Bruno read « programmé », no word of Camille's.  Now one entretien
    stands, Bruno's, and he reads « reprogrammé » and when Camille had it."""
    bruno = person("bruno")
    await bruno_admin(trainer, bruno)
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await at_the_entretien_s_confirmation(trainer, "jeudi à 14h")
    await at_the_entretien_s_confirmation(bruno, "jeudi à 15h")
    await trainer.presses("Oui")
    assert "programmé le jeudi 26 novembre 2026 à 14 h 00. Je vous" in trainer.all_text
    await bruno.presses("Oui")
    assert (
        "Entretien individuel avec Karim Benali reprogrammé le jeudi 26 novembre 2026 à 15 h 00"
        " (Camille Durand l'avait programmé entre-temps pour le jeudi 26 novembre 2026 à 14 h 00)."
        " Je vous le rappellerai la veille."
    ) in bruno.all_text
    first, second = sorted(await rows(db, Entretien), key=lambda e: e.id)
    assert first.cancelled_at is not None and second.cancelled_at is None
    # Rescheduled by the menu's own button, the reply says so, and from when.
    await trainer.says("/decrochage karim")
    await trainer.presses("Reprogrammer l'entretien")
    await trainer.says("vendredi à 9h")
    await trainer.presses("Oui")
    assert (
        "reprogrammé le vendredi 27 novembre 2026 à 9 h 00 (il était prévu le jeudi 26 novembre"
        " 2026 à 15 h 00)."
    ) in trainer.all_text


async def test_the_admin_whose_entretien_another_replaced_is_told_once_in_her_chat(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer IB3, left by IB: Bruno's scheduling replaced Camille's entretien and only
    Bruno's reply said so; Camille, told nothing, still expected hers.  Now Camille reads
    in her chat which one, by whom and for when; Bruno is not told of his own, and each
    replacement is said once."""
    bruno = person("bruno")
    await bruno_admin(trainer, bruno)
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await at_the_entretien_s_confirmation(trainer, "jeudi à 14h")
    await at_the_entretien_s_confirmation(bruno, "jeudi à 15h")
    await trainer.presses("Oui")
    await bruno.presses("Oui")
    told = [
        (chat, text) for chat, text in (await deliver(db)).texts() if "vous aviez programmé" in text
    ]
    assert told == [
        (
            "formateur",
            "L'entretien individuel avec Karim Benali (Agent de restauration (démo)) que vous"
            " aviez programmé le jeudi 26 novembre 2026 à 14 h 00 a été reprogrammé par Bruno"
            " Petit au jeudi 26 novembre 2026 à 15 h 00.",
        )
    ]
    assert [t for t in (await deliver(db)).texts() if "vous aviez programmé" in t[1]] == []
    # Bruno moving his own: nobody told; Camille moving Bruno's: Bruno told.
    for who, when in ((bruno, "vendredi à 9h"), (trainer, "vendredi à 10h")):
        await who.says("/decrochage karim")
        await who.presses("Reprogrammer l'entretien")
        await who.says(when)
        await who.presses("Oui")
    told = [
        (chat, text) for chat, text in (await deliver(db)).texts() if "vous aviez programmé" in text
    ]
    assert told == [
        (
            "bruno",
            "L'entretien individuel avec Karim Benali (Agent de restauration (démo)) que vous"
            " aviez programmé le vendredi 27 novembre 2026 à 9 h 00 a été reprogrammé par"
            " Camille Durand au vendredi 27 novembre 2026 à 10 h 00.",
        )
    ]


async def test_a_compte_rendu_written_meanwhile_by_another_admin_is_not_written_twice(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer IB4: two administrators producing the same entretien's compte rendu: two
    PDFs kept, two in the Qualiopi bundle.  Now the second is told it is written, by whom."""
    bruno = person("bruno")
    await bruno_admin(trainer, bruno)
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("aujourd'hui à 9h")
    await trainer.presses("Oui")
    for who in (trainer, bruno):
        await who.says("/decrochage karim")
        await who.presses("Rédiger le compte rendu")
        for text in ("Constat", "Causes", "Mesures"):
            await who.says(f"{text} du jour")
        await who.presses("Pas de prochain point")
    await trainer.presses("Produire le compte rendu")
    replies = await bruno.presses("Produire le compte rendu")
    assert not any(r.document for r in replies)
    assert bruno.all_text.count(
        "Le compte rendu de cet entretien est déjà rédigé (par Camille Durand, le lundi"
        " 23 novembre 2026 à 10 h 00) : vous le retrouvez avec /suivi."
    )
    [kept] = await rows(db, StoredDocument, kind="compte_rendu")
    [entretien] = await rows(db, Entretien)
    assert entretien.compte_rendu_id == kept.id
    reports = [e for e in await audit_entries(db) if e.action == "compte_rendu"]
    assert len(reports) == 1


@pytest.mark.postgres
async def test_two_admins_confirming_one_entretien_at_once_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer IB3 (two processes, `x/s6.py`): both pressed « Oui, c'est ça » at the same
    moment; both read « programmé », two live entretiens, two reminders the evening before."""
    from bot import demo

    async with pg_db.sessions() as session, session.begin():
        await demo.fill(session, today=clock.now.date())
    here = replace(settings, database_url=pg_db.url)
    other = Database(pg_db.url)
    try:
        trainer = Person(build_engine(pg_db, here, clock=clock), "formateur")
        bruno = Person(build_engine(other, here, clock=clock), "bruno")
        await bruno_admin(trainer, bruno)
        await open_followup(trainer, "karim")
        await trainer.presses("Ouvrir le suivi")
        await trainer.presses("Plus tard")
        await at_the_entretien_s_confirmation(trainer, "jeudi à 14h")
        await at_the_entretien_s_confirmation(bruno, "jeudi à 14h")
        said = await asyncio.gather(trainer.presses("Oui"), bruno.presses("Oui"))
        async with pg_db.sessions() as session:
            live = (
                await session.scalars(select(Entretien).where(Entretien.cancelled_at.is_(None)))
            ).all()
            assert len(live) == 1
        texts_said = [" ".join(r.text for r in replies) for replies in said]
        assert sum("reprogrammé le" in t for t in texts_said) == 1
        assert any("l'avait programmé entre-temps pour le" in t for t in texts_said)
    finally:
        await other.dispose()


async def camille_s_compte_rendu_typed(trainer: Person, bruno: Person) -> None:
    """Bruno an administrator; Karim's entretien planned for Thursday 14 h; Camille writing
    its compte rendu (held this morning at 8 h 30), her four answers typed."""
    await bruno_admin(trainer, bruno)
    await open_followup(trainer, "karim")
    await writing_this_morning_s_compte_rendu(trainer, "karim")
    for text in ("Constat", "Causes", "Mesures"):
        await trainer.says(f"{text} du jour")


async def test_a_compte_rendu_of_an_entretien_moved_meanwhile_is_saved_only_when_held(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer IB, left by IB4's fix: Bruno rescheduled the entretien while Camille wrote
    its compte rendu; « Produire » saved it on the cancelled one, no word said.  Now Camille
    is told, keeps her answers, and « quand même » makes hers the entretien held, Bruno's
    cancelled and Bruno told."""
    bruno = person("bruno")
    await camille_s_compte_rendu_typed(trainer, bruno)
    await trainer.presses("Pas de prochain point")
    assert "Je produis le compte rendu en PDF ?" in trainer.last
    await bruno.says("/decrochage karim")
    await bruno.presses("Reprogrammer l'entretien")
    await bruno.says("vendredi à 10h")
    await bruno.presses("Oui")
    replies = await trainer.presses("Produire le compte rendu")
    assert not any(r.document for r in replies)
    assert (
        "Attention : pendant que vous rédigiez ce compte rendu, Bruno Petit a reprogrammé cet"
        " entretien (prévu le jeudi 26 novembre 2026 à 14 h 00) au vendredi 27 novembre 2026"
        " à 10 h 00.\nS'il a bien eu lieu le lundi 23 novembre 2026 à 8 h 30, enregistrez quand"
        " même le compte rendu : il sera noté comme tenu, et celui du vendredi"
        " 27 novembre 2026 à 10 h 00 annulé."
    ) in trainer.last
    assert "Constat : Constat du jour" in trainer.last  # the answers kept, shown
    assert trainer.buttons == [
        "Enregistrer quand même (l'entretien a bien eu lieu)",
        "Ne pas enregistrer",
    ]
    await survives(db, trainer, FOR_CHOICES)
    replies = await trainer.presses("Enregistrer quand même")
    assert any(r.document for r in replies)
    first, second = await rows(db, Entretien)
    assert first.cancelled_at is None and first.compte_rendu_id is not None
    assert first.held_at == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)  # 8 h 30 in Paris, stored UTC
    assert second.cancelled_at is not None and second.cancel_reason == "autre"
    assert second.cancel_note == "l'entretien du jeudi 26 novembre 2026 à 14 h 00 a bien eu lieu"
    told = [t for t in (await deliver(db)).texts() if "a rédigé le compte rendu" in t[1]]
    assert told == [
        (
            "bruno",
            "Camille Durand a rédigé le compte rendu de l'entretien individuel avec Karim"
            " Benali (Agent de restauration (démo)) du jeudi 26 novembre 2026 à 14 h 00 : il a"
            " bien eu lieu. Celui que vous aviez programmé pour le vendredi 27 novembre 2026"
            " à 10 h 00 est donc annulé.",
        )
    ]
    await trainer.says("/suivi karim")
    assert (
        "Entretien individuel du vendredi 27 novembre 2026 à 10 h 00 annulé : l'entretien du"
        " jeudi 26 novembre 2026 à 14 h 00 a bien eu lieu (Camille Durand)"
    ) in trainer.all_text


@pytest.mark.parametrize("saved", [False, True])
async def test_a_compte_rendu_of_an_entretien_cancelled_meanwhile_is_said_at_the_recap(
    db: Database, trainer: Person, person: Callable[..., Person], saved: bool
) -> None:
    """Explorer IB, left by IB4's fix: cancelled by Bruno before Camille's recap, it is said
    at the recap itself; « Ne pas enregistrer » writes nothing, the entretien stays
    cancelled; « quand même » saves it, the entretien held, no longer cancelled, and Bruno
    is told."""
    bruno = person("bruno")
    await camille_s_compte_rendu_typed(trainer, bruno)
    await bruno.says("/decrochage karim")
    await bruno.presses("Annuler l'entretien")
    await bruno.presses("La personne a prévenu qu'elle ne viendrait pas")
    await bruno.presses("Oui, l'annuler")
    await trainer.presses("Pas de prochain point")
    assert (
        "Attention : pendant que vous rédigiez ce compte rendu, Bruno Petit a annulé cet"
        " entretien (prévu le jeudi 26 novembre 2026 à 14 h 00) ; raison : la personne a"
        " prévenu qu'elle ne viendrait pas.\nS'il a bien eu lieu le lundi 23 novembre 2026 à"
        " 8 h 30, enregistrez quand même le compte rendu : il sera noté comme tenu."
    ) in trainer.last
    told = "a rédigé le compte rendu"
    if not saved:
        await trainer.presses("Ne pas enregistrer")
        assert "Compte rendu non enregistré : le suivi reste tel quel." in trainer.all_text
        assert await rows(db, StoredDocument, kind="compte_rendu") == []
        [entretien] = await rows(db, Entretien)
        assert entretien.cancel_reason == "prevenu" and entretien.compte_rendu_id is None
        assert [t for t in (await deliver(db)).texts() if told in t[1]] == []
        return
    await trainer.presses("Enregistrer quand même")
    [kept] = await rows(db, StoredDocument, kind="compte_rendu")
    [entretien] = await rows(db, Entretien)
    assert entretien.cancelled_at is None and entretien.cancel_reason is None
    assert entretien.compte_rendu_id == kept.id and entretien.held_at is not None
    assert [t for t in (await deliver(db)).texts() if told in t[1]] == [
        (
            "bruno",
            "Camille Durand a rédigé le compte rendu de l'entretien individuel avec Karim"
            " Benali (Agent de restauration (démo)) du jeudi 26 novembre 2026 à 14 h 00, que"
            " vous aviez annulé : il a bien eu lieu, il n'est plus annulé.",
        )
    ]
    await trainer.says("/suivi karim")
    assert "lundi 23 novembre 2026 8 h 30 – Entretien individuel tenu" in trainer.all_text


async def deleting_and_opening(
    pg_db: Database, settings: Settings, clock: Clock, *, followup_first: bool
) -> tuple[Person, Person]:
    """Camille at « Oui, supprimer » and Bruno at « Ouvrir le suivi » for Karim, of the demo's
    formation, in two processes, pressed one after the other at the formation's lock."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await camille.says("/formations")
        await camille.presses("Agent de restauration")
        await camille.presses("Supprimer la formation")
        await open_followup(bruno, "Karim")
        formation = await formation_id(pg_db, "Agent")
        deleting = camille.presses("Oui, supprimer")
        opening = bruno.presses("Ouvrir le suivi")
        turns = (opening, deleting) if followup_first else (deleting, opening)
        await one_after_the_other(pg_db, Formation, formation, *turns)
    return camille, bruno


@pytest.mark.postgres
async def test_a_formation_deleted_as_a_followup_is_opened_keeps_it_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD2: Camille pressed « Oui, supprimer » while Bruno pressed « Ouvrir le
    suivi » for Karim (two processes): both succeeded, an open follow-up with open
    deadlines on a deleted formation.  Now both hold the formation's row: the deletion
    waits for the follow-up and is refused for it."""
    camille, bruno = await deleting_and_opening(pg_db, settings, clock, followup_first=True)
    assert bruno.all_text.startswith("Suivi ouvert pour Karim Benali")
    assert (
        "en cours : clôturez-le d'abord avec /decrochage, « Saisir le ticket qualité »"
        in camille.all_text
    )  # ZA17: /suivi cannot close it
    async with pg_db.sessions() as session:
        formation = await session.get(Formation, await formation_id(pg_db, "Agent"))
        assert formation is not None and formation.deleted_at is None


@pytest.mark.postgres
async def test_a_followup_opened_as_the_formation_is_deleted_is_not_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD2, the other order: the deletion first; Bruno's opening waits for it, finds
    no formation and stores nothing."""
    camille, bruno = await deleting_and_opening(pg_db, settings, clock, followup_first=False)
    assert "est supprimée" in camille.all_text
    assert bruno.last.startswith("Je ne trouve plus cette personne dans cette formation")
    assert await rows(pg_db, FollowUp) == []


@pytest.mark.postgres
async def test_a_followup_opened_as_the_trainee_is_erased_is_not_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD4 (« probably the same for follow-ups »): Camille confirmed the erasure of
    Karim while Bruno pressed « Ouvrir le suivi » for him.  Now the opening holds Karim's
    row as the erasure does: it waits for the erasure, reads him again and opens nothing."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await camille.says("/effacer karim")
        await open_followup(bruno, "Karim")
        karim = await trainee_id(pg_db, "Karim Benali")
        await erasing_first(pg_db, karim, camille, bruno.presses("Ouvrir le suivi"))
    assert bruno.last == closed_by_the_erasure("suivre un décrochage")
    assert await rows(pg_db, FollowUp) == []


@pytest.mark.postgres
async def test_a_contact_noted_as_the_trainee_is_erased_is_not_stored_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """YC (after explorer UD4, the follow-up's rows and documents): Bruno's « Enregistrer »
    of a contact with Karim, its screenshot as proof, pressed as Camille erased him, wrote
    without a look at Karim's row: against a follow-up the erasure was deleting (the turn
    failed), or after its look.  Now every save of a follow-up holds the trainee's row first,
    as the erasure does: it waits for the erasure, and nothing is stored, said so."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        await second_admin(pg_db)
        camille, bruno = first("formateur"), second("bruno")
        await open_followup(bruno, "Karim")
        await bruno.presses("Ouvrir le suivi")
        await bruno.says("/decrochage karim")
        await bruno.presses("Noter un contact")
        await bruno.presses("Karim Benali")
        await bruno.presses("Sms")
        await bruno.says("aujourd'hui")
        await bruno.presses("Oui")
        await bruno.says("Pas de réponse, message laissé")
        await bruno.sends_file("capture.png", "image/png", SCREENSHOT)
        assert "Preuve : capture.png" in bruno.last
        await camille.says("/effacer karim")
        karim = await trainee_id(pg_db, "Karim Benali")
        await erasing_first(pg_db, karim, camille, bruno.presses("Enregistrer"))
    assert bruno.last == closed_by_the_erasure("suivre un décrochage")
    assert await rows(pg_db, FollowUpContact) == []
    assert [d for d in await rows(pg_db, StoredDocument) if d.content == SCREENSHOT] == []


async def test_which_of_the_homonyms_survives_bad_input(db: Database, trainer: Person) -> None:
    """« /decrochage Benali », a name many share: the question which of them re-asks on
    wrong, empty, huge or hostile input and opens nothing (coverage AR)."""
    await a_crowd(db, trainer.engine.clock().date())
    await trainer.says("/decrochage Benali")
    assert await step_of(db, trainer) == ("decrochage", "person")
    await survives(db, trainer, FOR_CHOICES)
    assert await rows(db, FollowUp) == []


async def test_a_trainee_said_to_give_no_news_opens_her_follow_up(
    db: Database, trainer: Person
) -> None:
    """Explorer BG9: « Inès a pas donné de nouvelles depuis lundi », « Karim ne vient plus »
    got the list of commands, /effacer among them, or « Je ne suis pas sûr … »."""
    await trainer.says("ines a pas donné de nouvelles depuis lundi")
    assert trainer.all_text.startswith("J'ouvre le suivi de son décrochage (/decrochage).\n")
    assert "Quels signes de décrochage avez-vous observés chez Inès Garnier" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("karim ne vient plus")
    assert "Quels signes de décrochage avez-vous observés chez Karim Benali" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("zorglub ne vient plus")  # no trainee: said so (explorer KF4)
    assert trainer.all_text == (
        "Je ne trouve pas « zorglub » parmi vos stagiaires : rien n'est ouvert. Pour suivre un "
        "décrochage, tapez /decrochage suivi du nom de la personne, ou /decrochage seul pour "
        "choisir sa formation puis la personne. Une personne qui n'est pas encore dans sa "
        "formation s'y ajoute d'abord avec /formations, « Ajouter des stagiaires »."
    ), trainer.all_text
    assert await step_of(db, trainer) == (None, None)
    # Explorer KF4: « mohamed a decroche » offered /decrochage without a word of Mohamed.
    await trainer.says("karine a decroche")  # a slip: the closest names
    assert trainer.all_text.startswith(
        "Je ne trouve pas « karine » parmi vos stagiaires. Les noms les plus proches : Karim "
    ), trainer.all_text
    assert "par exemple « /decrochage Karim " in trainer.all_text
    await trainer.says("faut faire l entretien de mohamed")
    assert trainer.all_text.startswith("Je ne trouve pas « mohamed » parmi vos stagiaires")


async def test_an_entretien_held_before_the_first_sign_is_refused_as_its_scheduling_is(
    db: Database, trainer: Person
) -> None:
    """Explorer EC1: signs seen on the 23rd, « Il a déjà eu lieu (plus tôt) » « vendredi 20
    novembre » was taken, the compte rendu then « en retard » (due the 23rd) before the
    follow-up was opened; « vendredi 20 novembre à 10 h » as the entretien's moment is
    refused.  The day held is refused the same way, and nothing is noted held."""
    await at_the_day_held(trainer)
    await trainer.says("vendredi 20 novembre")
    assert trainer.last.startswith(
        "Le vendredi 20 novembre 2026 vient avant le premier signe de ce suivi (le lundi 23"
        " novembre 2026) : vérifiez la date. Donnez le jour où il a eu lieu, ce jour-là ou après."
    )
    assert "Quel jour a-t-il eu lieu ?" in trainer.last
    await trainer.says("vendredi 20 novembre à 9h")
    assert "vient avant le premier signe de ce suivi" in trainer.last
    [entretien] = await rows(db, Entretien)
    assert entretien.held_at is None
    await trainer.says("ce matin 9h")
    assert trainer.last.startswith("J'ai compris : lundi 23 novembre 2026 à 9 h 00.")


async def test_a_call_to_a_trainee_opens_her_follow_up_where_a_contact_is_noted(
    db: Database, trainer: Person
) -> None:
    """Explorer KF2: « g appelé karim il revient lundi », « j'ai appelé karim » were offered
    /appel, the roll call (its stem « appel »); a contact is noted in the follow-up."""
    await open_followup(trainer, "Karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("g appelé karim il revient lundi")
    assert trainer.all_text.startswith(
        "J'ouvre son suivi de décrochage (/decrochage) : l'échange s'y note avec"
        " « Noter un contact ».\n"
    )
    assert "Suivi de Karim Benali" in trainer.last and "Noter un contact" in trainer.buttons
    await trainer.presses("Noter un contact")
    assert "Avec qui avez-vous été en contact au sujet de Karim Benali ?" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("Julie m'a rappelé ce matin")  # no follow-up open: one is proposed
    assert trainer.all_text.startswith(
        "Un échange avec une personne en formation se note dans le suivi de son décrochage :"
        " aucun n'est ouvert, je vous propose d'en ouvrir un (/decrochage)."
    )
    assert "Quels signes de décrochage avez-vous observés chez Julie Petit" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("j'ai appelé zorglub hier")  # no trainee: said so (LB2, below)
    assert trainer.all_text.startswith("Je ne trouve pas « zorglub » parmi les stagiaires")
    assert len(await rows(db, FollowUp)) == 1


async def test_a_call_to_no_trainee_of_one_s_formations_is_said_so(
    db: Database, trainer: Person
) -> None:
    """Explorer LB2: « j'ai appelé Zorglub », no trainee of the trainer's formations, got « Je
    ne suis pas sûr de ce que vous voulez faire »: said so, the closest names and what to do,
    nothing noted nor opened for anyone; a hostile or huge one is answered as any sentence."""
    await trainer.says("j'ai appelé Zorglub hier")
    assert trainer.all_text == (
        "Je ne trouve pas « Zorglub » parmi les stagiaires de vos formations : rien n'est"
        " noté. Un échange avec une personne en formation se note dans le suivi de son"
        " décrochage : tapez /decrochage suivi de son nom, puis choisissez « Noter un"
        " contact ». Une personne qui n'est pas encore dans sa formation s'y ajoute d'abord"
        " avec /formations, « Ajouter des stagiaires »."
    )
    assert await step_of(db, trainer) == (None, None)
    await trainer.says("j'ai eu Karine au tel")
    assert trainer.all_text.startswith(
        "Je ne trouve pas « Karine » parmi les stagiaires de vos formations : rien n'est noté."
        " Les noms les plus proches : Karim Benali"
    )
    assert "par exemple « /decrochage Karim Benali », puis choisissez" in trainer.all_text
    for typed, said in (
        ("j'ai appelé <b>Zorglub</b>", "Je ne suis pas sûr de ce que vous voulez faire."),
        ("j'ai appelé Zorglub\u202e", "Je ne suis pas sûr de ce que vous voulez faire."),
        ("j'ai appelé " + "x" * 5000, "Votre message est trop long"),
    ):
        await trainer.says(typed)
        assert trainer.all_text.startswith(said), typed[:30]
        assert "\u202e" not in trainer.all_text and "J'ouvre" not in trainer.all_text
    assert await rows(db, FollowUp) == []
    assert await step_of(db, trainer) == (None, None)


async def test_a_call_to_mme_or_m_surname_is_the_trainee_of_that_surname(
    db: Database, trainer: Person
) -> None:
    """Explorer LB2: « j'ai appelé Mme Petit » got « Je ne trouve pas « Mme Petit » parmi les
    stagiaires »: the title left out, the surname names the trainee, the usual contact flow;
    two trainees of that surname: which one is asked, never guessed."""
    await trainer.says("j'ai eu M. Benali au téléphone")
    assert trainer.all_text.startswith(
        "Un échange avec une personne en formation se note dans le suivi de son décrochage :"
        " aucun n'est ouvert, je vous propose d'en ouvrir un (/decrochage)."
    )
    assert "chez Karim Benali" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("j'ai appelé Mme Petit")
    assert "chez Julie Petit" in trainer.last
    await trainer.says("/annuler")
    await enrol(db, "Projet", "Nadia Petit")
    await trainer.says("j'ai appelé Madame Petit hier")
    assert trainer.last.startswith("Plusieurs stagiaires correspondent à « Petit » : de qui")
    assert trainer.buttons[:2] == [
        "Julie Petit · Agent de restauration (démo)",
        "Nadia Petit · Projet professionnel (démo)",
    ]
    await trainer.says("/annuler")
    await trainer.says("j'ai eu Mme au tel")
    assert trainer.all_text.startswith("Je ne trouve pas « Mme » parmi les stagiaires")
    assert await rows(db, FollowUp) == []


async def test_a_call_to_a_partner_says_where_it_is_noted(db: Database, trainer: Person) -> None:
    """Explorer LB2: « j'ai eu France Travail au tel » got « Je ne trouve pas « France Travail »
    parmi les stagiaires de vos formations »: a partner's exchange is noted in the trainee's
    follow-up, said so, nothing opened; « l'employeur de Karim » opens Karim's, as a contact
    with him; a name nobody bears there is said so."""
    for typed, partner in (
        ("j'ai eu France Travail au tel", "France Travail"),
        ("j'ai appelé la mission locale", "mission locale"),
        ("J'ai eu la tutrice au téléphone ce matin", "tutrice"),
    ):
        await trainer.says(typed)
        assert trainer.all_text == (
            f"Un échange avec « {partner} » se note dans le suivi du décrochage de la personne"
            " en formation dont il s'agit : rien n'est noté. Tapez /decrochage suivi de son nom,"
            " par exemple « /decrochage Dupont », puis choisissez « Noter un contact »."
        ), typed
        assert await step_of(db, trainer) == (None, None)
    await trainer.says("j'ai eu l'employeur de Karim")
    assert trainer.all_text.startswith(
        "Un échange avec « employeur » se note dans le suivi du décrochage de la personne en"
        " formation : aucun n'est ouvert, je vous propose d'en ouvrir un (/decrochage)."
    )
    assert "chez Karim Benali" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("j'ai eu l'employeur de Zorglub")
    assert trainer.all_text.startswith(
        "Je ne trouve pas « Zorglub » parmi les stagiaires de vos formations : rien n'est noté."
    )
    for typed, said in (
        ("j'ai eu France Travail <b>", "Un échange avec « France Travail » se note"),
        ("j'ai eu France Travail\u202e", "Un échange avec « France Travail » se note"),
        ("j'ai eu France Travail " + "x" * 5000, "Votre message est trop long"),
        ("j'ai eu l'employeur de <b>Karim</b>", "Un échange avec « employeur » se note"),
    ):
        await trainer.says(typed)
        assert trainer.all_text.startswith(said), (typed[:40], trainer.all_text)
        assert "\u202e" not in trainer.all_text and "J'ouvre" not in trainer.all_text
    assert await rows(db, FollowUp) == []
    assert await step_of(db, trainer) == (None, None)


async def test_a_trainee_s_entretien_said_opens_her_follow_up_where_it_is_programmed(
    db: Database, trainer: Person
) -> None:
    """Explorer KF3: « faut faire l entretien de karim », « entretien karim demain 10h » were
    offered /suivi, which only shows; the entretien is programmed in the follow-up."""
    await open_followup(trainer, "Karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("faut faire l entretien de karim")
    assert trainer.all_text.startswith(
        "J'ouvre son suivi de décrochage (/decrochage) : l'entretien s'y programme, et son"
        " compte rendu s'y rédige.\n"
    )
    assert "Programmer l'entretien individuel" in trainer.buttons
    await trainer.says("/annuler")
    await trainer.says("entretien julie demain 10h")  # no follow-up open: one is proposed
    assert trainer.all_text.startswith(
        "L'entretien individuel se programme dans le suivi d'un décrochage : aucun n'est"
        " ouvert pour cette personne, je vous propose d'en ouvrir un (/decrochage)."
    )
    assert "Quels signes de décrochage avez-vous observés chez Julie Petit" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("c quoi un entretien individuel")  # no one named: the usual answer
    assert "J'ouvre" not in trainer.all_text
    assert len(await rows(db, FollowUp)) == 1
