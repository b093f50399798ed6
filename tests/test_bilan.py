"""Scheduling a bilan by chat (``/bilan``), then moving and cancelling it (``/bilans``).

The demo clock says Monday 23 November 2026, 10:00 in Paris.  The demo's
"Agent de restauration (démo)" is funded by the Région Normandie, with two
delegates (Léa Martin, Hugo Moreau) and Mme Sophie Leroy as chargée de
mission; "Projet professionnel (démo)" is a Centre-Val de Loire ESP action.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.app import FEATURES, build_engine, build_scheduler
from bot.config import Settings
from bot.engine import Engine
from bot.manifest import Feature, Features
from bot.messages import Document, Platform
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Membership, Organisation, Role
from bot.storage.people import Person as P
from bot.texts import plain
from tests.auxil.absences import add_formation
from tests.auxil.attestations import BILAN_START, UP_TO_PARTICIPANTS, add_bilan
from tests.auxil.colleague import nina_in_charge
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, FOR_TEXT, step_of, survives
from tests.auxil.pdf import pdf_words
from tests.auxil.race import second_admin

PARIS = ZoneInfo("Europe/Paris")

# The happy path of a remote bilan: (step, kind of answer, answer).
REMOTE = [
    ("formation", "press", "Agent de restauration"),
    ("which", "press", "Programmer le bilan de fin"),
    ("remote", "press", "À distance"),
    ("when", "say", "jeudi 26 novembre à 14 h"),
    ("when", "press", "Oui, c'est ça"),
    ("duration", "press", "2 heures"),
    ("visio_url", "say", "https://visio.example.org/bilan-restauration"),
    ("visio_password", "press", "Oui"),
    ("visio_speakers", "press", "Oui"),
    ("password_in_invite", "press", "Oui, l'ajouter"),
    ("visio_password_text", "say", "Cuisine-2026"),
    ("participants", "press", "Terminé"),
    ("partners", "press", "Ajouter un partenaire"),
    ("partner_name", "say", "M. Karim Haddad"),
    ("partner_structure", "say", "Mission locale de Caen"),
    ("partner_contact", "say", "k.haddad@example.org"),
    ("partners", "press", "Ajouter un partenaire"),
    ("partner_name", "say", "Mme Lina Costa"),
    ("partner_structure", "press", "Passer"),
    ("partner_contact", "press", "Passer"),
    ("partners", "press", "Terminé"),
    ("recap", "press", "Programmer le bilan"),
]
BAD_INPUT = {
    "when": FOR_CHOICES,
    "duration": FOR_CHOICES,
    "visio_url": FOR_CHOICES,
    "visio_password_text": FOR_NAMES,
    "partner_name": FOR_NAMES,
    "partner_structure": FOR_NAMES,
    "partner_contact": FOR_CHOICES,
    "location": FOR_NAMES,
}


async def answer(who: Person, kind: str, value: str) -> None:
    if kind == "say":
        await who.says(value)
    else:
        await who.presses(value)


def bilan_on(when: str) -> list[tuple[str, str, str]]:
    """The steps of :data:`REMOTE`, the bilan on another day (``when`` as typed)."""
    return [(s, k, when if s == "when" and k == "say" else v) for s, k, v in REMOTE]


async def schedule(who: Person, steps: list[tuple[str, str, str]] = REMOTE) -> None:
    await who.says("/bilan")
    for _step, kind, value in steps:
        await answer(who, kind, value)


async def test_a_hurried_trainer_answers_oui_and_non_to_the_questions_that_ask_them(
    db: Database, trainer: Person
) -> None:
    """Explorer AG1: « oui » to the bilan proposed, « oui » and « non » to « Invitez-vous des
    partenaires extérieurs ? », « c'est bon » to the recap were « Je n'ai pas reconnu ce
    choix »."""
    typed = {
        ("which", "Programmer le bilan de fin"): "oui",
        ("partners", "Ajouter un partenaire"): "oui",
        ("partners", "Terminé"): "non",
        ("recap", "Programmer le bilan"): "c'est bon",
    }
    await trainer.says("/bilan")
    for step, kind, value in REMOTE:
        if (step, value) in typed:
            await trainer.says(typed[step, value])
            assert "pas reconnu" not in trainer.last, (step, trainer.last)
        else:
            await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    async with db.sessions() as session:
        names = await session.scalars(
            select(BilanParticipant.name).where(
                BilanParticipant.bilan_id == bilan.id, BilanParticipant.kind == "partner"
            )
        )
        assert sorted(names) == ["M. Karim Haddad", "Mme Lina Costa"]
    # The invitations to forward greet by the civility (explorer DE4: « Bonjour Mme Lina
    # Costa, »), and the surname, so that the trainer tells them apart (explorer HB6).
    shown = [plain(r.text) for r in trainer.replies]
    assert any(t.startswith("Bonjour Madame Costa,\n") for t in shown)
    assert any(t.startswith("Bonjour Monsieur Haddad,\n") for t in shown)
    assert not any(t.startswith(("Bonjour Mme", "Bonjour M. ")) for t in shown)


async def test_two_partners_given_as_madame_get_invitations_that_name_them(
    trainer: Person,
) -> None:
    """Explorer HB6: « Mme Awa Diallo » and « Mme Claire Dubois » got two invitations
    « Bonjour Madame, » that differed only by their personal code; a swap bound each to the
    other's attestation. Each invitation to forward names its addressee."""
    partners = {"M. Karim Haddad": "Mme Awa Diallo", "Mme Lina Costa": "Mme Claire Dubois"}
    await schedule(
        trainer,
        [(s, k, partners.get(v, v) if s == "partner_name" else v) for s, k, v in REMOTE],
    )
    shown = [plain(r.text) for r in trainer.replies]
    assert "Transférez chacune à la personne qu'elle nomme" in trainer.all_text
    [diallo] = [t for t in shown if t.startswith("Bonjour Madame Diallo,\n")]
    [dubois] = [t for t in shown if t.startswith("Bonjour Madame Dubois,\n")]
    assert "/start " in diallo and "/start " in dubois
    assert not any(t.startswith("Bonjour Madame,") for t in shown)


async def test_the_formation_s_charge_de_mission_is_no_partner(
    db: Database, trainer: Person
) -> None:
    """Explorer U U5: Mme Sophie Leroy, who follows the formation for the Région, added as a
    partner, was asked to sign an attestation and listed as a partner in her own letter."""
    first = REMOTE.index(("partner_name", "say", "M. Karim Haddad"))
    await schedule(trainer, REMOTE[:first])
    await trainer.says("Sophie LEROY")
    assert trainer.all_text.startswith(
        "Mme Sophie Leroy suit déjà cette formation pour la Région : l'invitation lui parvient "
        "par le message qui lui est destiné, sans attestation à signer."
    )
    assert await step_of(db, trainer) == ("bilan_partner", "name")
    for _step, kind, value in REMOTE[first:]:
        await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    async with db.sessions() as session:
        names = (
            await session.scalars(
                select(BilanParticipant.name).where(BilanParticipant.bilan_id == bilan.id)
            )
        ).all()
    assert "Sophie Leroy" not in " ".join(n or "" for n in names)


async def test_a_trainee_or_a_partner_already_invited_is_no_new_partner(
    db: Database, trainer: Person
) -> None:
    """Explorer W, W1: Karim Benali, a trainee outside the delegation, slipped in as a
    « partenaire » with no agreement asked (000 §I); W2: the same partner twice got two links."""
    first = REMOTE.index(("partner_name", "say", "M. Karim Haddad"))
    await schedule(trainer, REMOTE[:first])
    await trainer.says("Karim Benali")
    assert trainer.all_text.startswith(
        "Karim Benali suit cette formation comme stagiaire, pas comme partenaire"  # AI17
    )
    assert "l'accord de la personne qui suit la formation à la Région" in trainer.all_text
    assert await step_of(db, trainer) == ("bilan_partner", "name")
    for _step, kind, value in REMOTE[first : first + 4]:  # M. Karim Haddad, then the menu
        await answer(trainer, kind, value)
    await trainer.says("Karim HADDAD")
    assert trainer.all_text.startswith(
        "Karim HADDAD a déjà une invitation comme partenaire à ce bilan : une seule par personne"
    )
    for _step, kind, value in REMOTE[first + 4 :]:
        await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    async with db.sessions() as session:
        partners = (
            await session.scalars(
                select(BilanParticipant.name).where(
                    BilanParticipant.bilan_id == bilan.id, BilanParticipant.kind == "partner"
                )
            )
        ).all()
    assert sorted(partners) == ["M. Karim Haddad", "Mme Lina Costa"]


async def move_bilan(who: Person, picked: str, when: str) -> None:
    """/bilans, the bilan whose button holds ``picked``, « Déplacer » to ``when``, confirmed."""
    await who.says("/bilans")
    await who.presses(picked)
    await who.presses("Déplacer")
    await who.says(when)
    await who.presses("Oui, c'est ça")
    assert "déjà eu lieu" not in who.last  # only for a bilan held already
    await who.presses("Oui, déplacer")


async def bilans(db: Database) -> list[Bilan]:
    """The stored bilans with their participants (read in a short session of their own)."""
    async with db.sessions() as session:
        return list((await session.scalars(select(Bilan).order_by(Bilan.id))).all())


async def deadlines_of(db: Database, bilan: Bilan) -> dict[str, StoredDeadline]:
    async with db.sessions() as session:
        rows = (
            await session.scalars(
                select(StoredDeadline).where(
                    StoredDeadline.subject == "bilan", StoredDeadline.subject_id == bilan.id
                )
            )
        ).all()
    return {r.rule_id: r for r in rows}


async def scalar(db: Database, query: Any) -> Any:
    async with db.sessions() as session:
        return await session.scalar(query)


def documents(who: Person) -> dict[str, Document]:
    found = {}
    for reply in who.replies:
        if reply.document is not None:
            found[reply.document.filename.rsplit(".", 1)[-1]] = reply.document
    return found


def said(who: Person, start: str) -> str:
    """The one message of the last turn that begins with ``start`` (plain text)."""
    [text] = [t for t in map(plain, (r.text for r in who.replies)) if t.startswith(start)]
    return text


def event_of(data: bytes) -> tuple[Calendar, Any]:
    calendar = Calendar.from_ical(data)
    [event] = calendar.events
    return calendar, event


# --- scheduling ----------------------------------------------------------------------


async def test_a_remote_bilan_is_scheduled_with_its_deadlines_and_documents(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    # Labelled as /formations labels them, the start day with the title (explorer O).
    assert any(b.startswith("Agent de restauration (démo) (") for b in trainer.buttons)
    assert any(b.startswith("Projet professionnel (démo) (") for b in trainer.buttons)
    await trainer.presses("Agent de restauration")
    assert "doit à son financeur" in trainer.last
    assert "bilan de fin de formation, vers le vendredi 8 janvier 2027" in trainer.last
    assert "Programmer le bilan de fin de formation (proposé)" in trainer.buttons
    for _step, kind, value in REMOTE[1:]:
        await answer(trainer, kind, value)
        if value == "jeudi 26 novembre à 14 h":
            assert "jeudi 26 novembre 2026 à 14 h 00" in trainer.last
            assert "Attention" not in trainer.last
        if value == "Terminé" and "Récapitulatif" in trainer.last:
            recap = trainer.last
            assert "Stagiaires : Léa Martin, Hugo Moreau" in recap
            assert "M. Karim Haddad (Mission locale de Caen), Mme Lina Costa" in recap
    text = trainer.all_text
    assert (
        "C'est programmé" in text
        and "jeudi 26 novembre 2026 de 14 h 00 à 16 h 00, à distance" in text
    )
    assert "Envoyer le bilan pédagogique : mardi 24 novembre 2026 à 14 h 00" in text
    assert "Envoyer les justificatifs de participation : jeudi 3 décembre 2026" in text

    [bilan] = await bilans(db)
    assert (bilan.kind, bilan.owed_key, bilan.remote, bilan.sequence) == ("fin", "fin", True, 0)
    assert bilan.starts_at == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
    assert bilan.ends_at == datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    assert bilan.visio_url == "https://visio.example.org/bilan-restauration"
    assert (bilan.visio_password_required, bilan.visio_manages_speakers) == (True, True)
    assert bilan.visio_password == "Cuisine-2026"
    assert [(p.kind, p.name, p.structure, p.contact) for p in bilan.participants] == [
        ("delegate", "Léa Martin", None, None),  # by surname: Martin, Moreau
        ("delegate", "Hugo Moreau", None, None),
        ("partner", "M. Karim Haddad", "Mission locale de Caen", "k.haddad@example.org"),
        ("partner", "Mme Lina Costa", None, None),
    ]
    assert all(p.trainee_id for p in bilan.participants if p.kind == "delegate")

    rows = await deadlines_of(db, bilan)
    assert {rule: row.due_on for rule, row in rows.items()} == {
        "NOR-VISIO": date(2026, 11, 23),  # « at scheduling »: today
        # Booked on Monday for Thursday: J-7 was gone, the day before it is left (EB1).
        "NOR-PREP": date(2026, 11, 25),
        "NOR-GUIDES": date(2026, 11, 25),
        "NOR-DELEGATES": date(2026, 11, 23),
        "NOR-DOCS": date(2026, 11, 24),
        "NOR-PROOF": date(2026, 12, 3),
    }
    assert rows["NOR-DOCS"].due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    # What /bilan answered is done (see tests/test_deadlines_answers.py): the visio has a
    # password and manages who speaks, only the delegates are invited.
    done = {rule for rule, row in rows.items() if row.status == "done"}
    assert done == {"NOR-VISIO", "NOR-DELEGATES"}
    assert "Vérifier l'outil de visioconférence : lundi 23 novembre 2026 ✅ faite" in text

    docs = documents(trainer)
    assert set(docs) == {"ics", "pdf", "txt"}
    calendar, event = event_of(docs["ics"].content)
    # No organiser's address is known: published, no « Accepter » that would go nowhere.
    assert calendar["METHOD"] == "PUBLISH"
    assert "ORGANIZER" not in event and "ATTENDEE" not in event
    assert "RSVP" not in docs["ics"].content.decode()
    assert event.start == datetime(2026, 11, 26, 14, 0, tzinfo=PARIS)
    assert event.end == datetime(2026, 11, 26, 16, 0, tzinfo=PARIS)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.start.utcoffset().total_seconds() == 3600
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    # Random, stored: two installations' first bilans are two events (explorer G G6).
    assert re.fullmatch(r"bilan-[0-9a-f]{32}@formabot", str(event["UID"]))
    assert str(event["UID"]) == bilan.ics_uid
    assert int(event["SEQUENCE"]) == 0
    assert str(event["LOCATION"]) == "https://visio.example.org/bilan-restauration"
    description = str(event["DESCRIPTION"])
    assert "https://visio.example.org/bilan-restauration" in description
    assert "Mot de passe : Cuisine-2026" in description  # the trainer asked for it

    agenda = pdf_words(docs["pdf"].content)
    for part in (
        "1. Retour collectif",
        "2. Échange avec les délégués sur leur parcours",
        "3. Temps avec l'équipe pédagogique et les partenaires",
    ):
        assert part in agenda
    assert "14 h 00 – 14 h 40" in agenda and "15 h 20 – 16 h 00" in agenda
    assert "Léa Martin, pour les stagiaires" in agenda
    assert "M. Karim Haddad (Mission locale de Caen), partenaire" in agenda
    assert "Mme Sophie Leroy" in agenda and "§II" in agenda

    email = docs["txt"].content.decode()
    assert email.startswith("Objet : Bilan de fin de formation à distance")
    assert "Bonjour Madame," in email
    assert "au plus tard le mardi 24 novembre 2026 à 14 h 00 : le bilan pédagogique" in email
    assert "d'ici le jeudi 3 décembre 2026 : les justificatifs de participation" in email
    assert "- Léa Martin, pour les stagiaires" in email
    assert "Cuisine-2026" not in email  # the password is only in the invitation


async def test_the_draft_email_ends_the_visio_link_before_the_next_sentence(
    trainer: Person,
) -> None:
    """Outside test: « Lien de connexion : https://…Un mot de passe est demandé… » broke the link."""
    await schedule(trainer)
    email = documents(trainer)["txt"].content.decode()
    assert (
        "Lien de connexion : https://visio.example.org/bilan-restauration\n"
        "Un mot de passe est demandé pour participer"
    ) in email


async def test_every_step_of_bilan_survives_bad_input_and_saves_nothing(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    await survives(db, trainer, FOR_CHOICES)
    for step, kind, value in REMOTE:
        await survives(db, trainer, BAD_INPUT.get(step, FOR_CHOICES))
        assert await scalar(db, select(func.count(Bilan.id))) == 0, step
        await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    assert len(bilan.participants) == 4


async def test_on_site_bilan_for_a_centre_val_de_loire_esp_action(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    await trainer.presses("Projet professionnel")
    text = trainer.last
    assert "bilan d'étape, vers le mercredi 23 décembre 2026" in text
    assert "bilan de fin de formation, vers le vendredi 26 mars 2027" in text
    assert (
        "pièces pédagogiques exigées, Parcours Métiers, Région Centre-Val de Loire (002), §2"
        in text
    )
    assert trainer.buttons[0] == "Programmer le bilan d'étape (proposé)"
    steps = [
        ("which", "press", "Programmer le bilan d'étape"),
        ("remote", "press", "Sur place"),
        ("when", "say", "jeudi 3 décembre à 9 h 30"),
        ("when", "press", "Oui, c'est ça"),
        ("duration", "say", "1 h 30"),
        ("location", "say", "Salle 2, 12 rue des Lilas, Orléans"),
        ("participants", "press", "Thomas Fabre"),
        ("participants", "press", "Terminé"),
        ("partners", "press", "Terminé"),
    ]
    for step, kind, value in steps:
        if step in ("location", "duration"):
            await survives(db, trainer, BAD_INPUT[step])
        await answer(trainer, kind, value)
    assert "Sur place : Salle 2, 12 rue des Lilas, Orléans" in trainer.last
    assert "Stagiaires : Thomas Fabre, Nadia Roux" in trainer.last
    await trainer.presses("Programmer le bilan")
    assert "C'est programmé" in trainer.all_text and "sur place" in trainer.all_text
    # Named as its texts and its agenda name her, not « personne chargée de mission » (DE5).
    assert "et le message pour la personne référente territoriale." in trainer.all_text
    assert "chargée de mission" not in trainer.all_text
    [bilan] = await bilans(db)
    assert (bilan.kind, bilan.owed_key, bilan.remote) == ("etape", "etape", False)
    assert bilan.location == "Salle 2, 12 rue des Lilas, Orléans"
    assert bilan.visio_url is None and bilan.visio_password_required is None
    assert bilan.starts_at == datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
    assert bilan.ends_at == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert [(p.kind, p.name) for p in bilan.participants] == [
        ("trainee", "Thomas Fabre"),  # by surname: Fabre, Roux
        ("delegate", "Nadia Roux"),
    ]
    assert await deadlines_of(db, bilan) == {}  # the Normandie procedure is remote only
    _, event = event_of(documents(trainer)["ics"].content)
    assert str(event["LOCATION"]) == "Salle 2, 12 rue des Lilas, Orléans"
    assert "URL" not in event
    email = documents(trainer)["txt"].content.decode()
    assert "sur place, Salle 2, 12 rue des Lilas, Orléans" in email
    # Not « Camille Durand, pour Organisme de démonstration » (explorer AI13).
    assert "- Camille Durand, équipe pédagogique (Organisme de démonstration)" in email
    # The Centre-Val de Loire's own draft: its written bilan qualitatif, nothing of Normandie.
    assert "le bilan d'étape, d'ici le mercredi 23 décembre 2026" in email
    assert "feuille d'émargement" not in email and "attestations" not in email

    # /bilan again: the étape is scheduled, the fin is proposed, the étape can be opened.
    await trainer.says("/bilan")
    await trainer.presses("Projet professionnel")
    assert "(déjà programmé)" in trainer.last
    assert trainer.buttons == [
        "Programmer le bilan de fin de formation (proposé)",
        "Voir le bilan d'étape du 03/12/2026 à 9 h 30",
    ]
    await trainer.presses("Voir le bilan d'étape")
    assert "Salle 2" in trainer.last and "Déplacer" in trainer.buttons


async def test_a_bilan_d_etape_met_after_its_default_date_moves_the_written_bilan_there(
    db: Database, trainer: Person
) -> None:
    """Explorer W, W8: the letter promised the written bilan d'étape « au plus tard le jour de
    cette rencontre, le mardi 5 janvier 2027 », while its deadline stayed on the default day
    and was overdue in between; moved back before it, the default comes back."""
    await trainer.says("/bilan")
    await trainer.presses("Projet professionnel")
    for _step, kind, value in [
        ("which", "press", "Programmer le bilan d'étape"),
        ("remote", "press", "Sur place"),
        ("when", "say", "mardi 5 janvier 2027 à 10 h"),
        ("when", "press", "Oui, c'est ça"),
        ("duration", "say", "1 h 30"),
        ("location", "say", "Salle 2, Orléans"),
        ("participants", "press", "Terminé"),
        ("partners", "press", "Terminé"),
        ("recap", "press", "Programmer le bilan"),
    ]:
        await answer(trainer, kind, value)
    email = documents(trainer)["txt"].content.decode()
    assert "au plus tard le jour de cette rencontre, le mardi 5 janvier 2027" in email
    # The agenda sent with it says the same, not « transmis ensuite » (explorer BB6).
    [agenda] = [
        pdf_words(r.document.content)
        for r in trainer.replies
        if r.document is not None and r.document.filename.startswith("ordre-du-jour")
    ]
    assert "transmis ensuite" not in agenda and "à la date convenue avec eux" in agenda
    [written] = await written_bilans(db)
    assert (written.status, written.due_on, written.postponed_to) == (
        "postponed",
        date(2026, 12, 23),
        date(2027, 1, 5),
    )
    # Explorer Y, Y11: « Annuler le report » gave back 23/12, before the meeting, overdue;
    # that date follows the bilan.
    await trainer.says("/echeances")
    await trainer.presses("Produire le bilan d'étape")
    assert "jour de la rencontre du bilan d'étape" in trainer.last
    assert not any(b.startswith("↩") for b in trainer.buttons), trainer.buttons
    await trainer.says("/annuler")
    await move_bilan(trainer, "05/01/2027", "jeudi 17 décembre à 10 h")
    [written] = await written_bilans(db)
    assert (written.status, written.postponed_to) == ("open", None)


async def test_another_bilan_at_the_same_time_with_the_same_trainer_is_pointed_out(
    db: Database, trainer: Person
) -> None:
    """Explorer W, W7: a second bilan at the same hour was confirmed without a word."""
    await schedule(trainer)  # Agent de restauration, Thursday 26 at 14 h, two hours
    async with db.sessions() as session, session.begin():  # her too, civility and case aside
        other = await session.scalar(
            select(Formation).where(Formation.title.like("Projet professionnel%"))
        )
        assert other is not None
        other.cm_name = "sophie LEROY"
    await trainer.says("/bilan")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Programmer le bilan d'étape")
    await trainer.presses("Sur place")
    await trainer.says("jeudi 26 novembre à 15 h")
    assert (
        "Attention : le bilan de fin de formation « Agent de restauration (démo) » a lieu à ce "
        "moment-là (jeudi 26 novembre 2026 de 14 h 00 à 16 h 00), avec vous et Mme Sophie Leroy."
    ) in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("jeudi 26 novembre à 16 h")  # right after it: nothing to say
    assert "Attention" not in trainer.last
    await trainer.presses("Oui, c'est ça")
    # Moved onto itself (a move keeps its own length, and is no clash with itself).
    await move_bilan(trainer, "26/11/2026 à 14 h", "jeudi 26 novembre à 14 h 30")
    assert "a lieu à ce moment-là" not in trainer.all_text


async def written_bilans(db: Database) -> list[StoredDeadline]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(StoredDeadline).where(StoredDeadline.rule_id == "CVL-BQ-MID")
        )
        return list(rows.all())


async def test_a_clash_follows_the_trainer_in_charge_not_who_scheduled(
    db: Database, trainer: Person
) -> None:
    """Explorer EA14: once « Agent de restauration » was handed to Nina, its bilan still
    clashed « avec vous » with Camille's, who had scheduled it, and not with Nina's."""
    await schedule(trainer)  # Agent de restauration, Thursday 26 at 14 h, by Camille
    await nina_in_charge(db, chat=False)

    async def schedules_projet() -> str:
        await trainer.says("/bilan")
        await trainer.presses("Projet professionnel")
        await trainer.presses("Programmer le bilan d'étape")
        await trainer.presses("Sur place")
        await trainer.says("jeudi 26 novembre à 15 h")
        said = trainer.last
        await trainer.says("/annuler")
        return said

    assert "Attention" not in await schedules_projet()  # no longer hers
    async with db.sessions() as session, session.begin():
        projet = await session.scalar(select(Formation).where(Formation.title.like("Projet%")))
        handed = await session.scalar(select(Formation).where(Formation.title.like("Agent%")))
        assert projet is not None and handed is not None
        projet.owner_id = handed.owner_id  # Camille, an administrator, schedules for Nina
    assert (
        "Attention : le bilan de fin de formation « Agent de restauration (démo) » a lieu à ce "
        "moment-là (jeudi 26 novembre 2026 de 14 h 00 à 16 h 00), avec Nina Colleague."
    ) in await schedules_projet()


async def test_late_scheduling_warns_at_once_about_the_documents_deadline(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("hier à 10 h")
    assert "déjà passée" in trainer.last
    await trainer.says("jeudi 26 novembre")
    assert "à quelle heure" in trainer.last
    await trainer.says("demain 10 h")
    text = trainer.last
    assert "mardi 24 novembre 2026 à 10 h 00" in text
    assert "déjà dépassé" in text and "dimanche 22 novembre 2026 à 10 h 00" in text
    assert "Mme Sophie Leroy" in text and "dès aujourd'hui" in text
    await trainer.presses("Non, corriger")
    await trainer.says("mercredi 25 novembre à 15 h")
    text = trainer.last
    assert "dans moins de 24 heures" in text and "lundi 23 novembre 2026 à 15 h 00" in text
    await trainer.says("jeudi 26 novembre à 14 h")  # a new date instead of yes/no
    assert "Attention" not in trainer.last
    await trainer.says("mercredi 25 novembre à 15 h")
    await trainer.presses("Oui, c'est ça")
    for _step, kind, value in REMOTE[5:-1]:
        await answer(trainer, kind, value)
    assert "dans moins de 24 heures" in trainer.last  # repeated in the recap
    assert "<b>" not in trainer.last and "&lt;" not in trainer.replies[-1].text


async def test_a_documents_deadline_on_a_day_off_whose_working_day_is_today_is_said(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer AS3: booked on a Friday afternoon for the Tuesday, the bilan pédagogique due
    on the Sunday (44 h away) had to leave that very day, and nothing said so."""
    clock.now = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)  # Friday, 14 h in Paris
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("mardi 1er décembre à 10 h")
    assert "dimanche 29 novembre 2026 à 10 h 00" in trainer.last
    assert "c'est donc aujourd'hui, dernier jour ouvré avant, qu'il faut l'envoyer" in (
        trainer.last
    )


async def test_the_organisation_s_longer_documents_delay_gone_by_is_not_the_fiche_s(
    db: Database, trainer: Person
) -> None:
    """Explorer KB1: NOR-DOCS set to 72 h in /reglages, a bilan booked on Monday at 10 h for
    Thursday at 9 h read « … au plus tard le lundi 23 novembre 2026 à 9 h 00 (au plus tard 48 h
    avant le bilan, fiche procédure bilan à distance, §I) : ce délai est déjà dépassé … envoyez
    le bilan pédagogique dès aujourd'hui en signalant le retard », where the fiche's « 48h avant
    maximum » leaves until Tuesday at 9 h: the organisation's delay and the fiche's are told
    apart."""
    async with db.sessions() as session, session.begin():
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None
        organisation.settings = {"nor_docs_hours_before": 72}
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("jeudi 26 novembre à 9 h")
    assert (
        "⚠️ Attention : à cette date, le bilan pédagogique devait parvenir à Mme Sophie Leroy au "
        "plus tard le lundi 23 novembre 2026 à 9 h 00, selon le délai que l'organisme s'est "
        "donné (modifiable avec /reglages) : ce délai est déjà dépassé. La fiche procédure bilan "
        "à distance, Région Normandie, §I, exige « 48h avant maximum » : si vous gardez cette date, envoyez-le au "
        "plus tard le mardi 24 novembre 2026 à 9 h 00 ; sinon, donnez une date plus lointaine."
    ) in trainer.last
    assert "signalant le retard" not in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("jeudi 26 novembre à 11 h")  # the organisation's delay in an hour
    assert (
        "le bilan pédagogique doit parvenir à Mme Sophie Leroy au plus tard le lundi 23 novembre "
        "2026 à 11 h 00 (délai que l'organisme s'est donné, modifiable avec /reglages ; la fiche "
        "procédure bilan à distance, Région Normandie, §I, exige « 48h avant maximum », soit le mardi 24 novembre "
        "2026 à 11 h 00), c'est-à-dire dans moins de 24 heures."
    ) in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("mercredi 25 novembre à 9 h")  # the fiche's own limit gone by too
    assert (
        "le bilan pédagogique devait parvenir à Mme Sophie Leroy au plus tard le lundi 23 "
        "novembre 2026 à 9 h 00 (au plus tard 48 h avant le bilan, fiche procédure bilan à "
        "distance, Région Normandie, §I) : ce délai est déjà dépassé. Si vous gardez cette date, envoyez le bilan "
        "pédagogique dès aujourd'hui en signalant le retard"
    ) in trainer.last


async def test_on_telegram_a_bilan_s_button_says_its_kind_short_and_lists_the_line_whole(
    db: Database, trainer: Person, person: Any
) -> None:
    """Explorer GE7: « 12/01/2027 à 11 h 00 – bilan de…rmation – Agent de restauration », the
    transport's cut inside a word, and no whole line under the question."""
    await schedule(trainer)
    async with db.sessions() as s, s.begin():
        camille = await s.scalar(select(P).where(P.display_name == "Camille Durand"))
        assert camille is not None
        s.add(ChatIdentity(person_id=camille.id, platform="telegram", user_id="c", chat_id="c"))
    on_telegram = person("c", Platform.TELEGRAM)
    await on_telegram.says("/bilans")
    (choice,) = [c for c in on_telegram.replies[-1].choices if c.label.startswith("26/11/2026")]
    assert choice.label == "26/11/2026 à 14 h 00 – fin – Agent de restauration (démo)"
    assert choice.detail == (
        "26/11/2026 à 14 h 00 – bilan de fin de formation – Agent de restauration (démo)"
    )
    await trainer.says("/bilans")  # where the label fits, the whole line and no detail
    (choice,) = [c for c in trainer.replies[-1].choices if c.label.startswith("26/11/2026")]
    assert "bilan de fin de formation" in choice.label and not choice.detail


async def test_moving_a_bilan_too_close_shows_the_warning_once_escaped(
    db: Database, trainer: Person
) -> None:
    """Outside test: « ce délai est <b>déjà dépassé</b> », tags and all, at the last two steps."""
    await schedule(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    await trainer.says("demain à 10 h")
    await trainer.presses("Oui, c'est ça")
    confirm = trainer.replies[-1].text
    await trainer.presses("Oui, déplacer")
    [done] = [r.text for r in trainer.replies if plain(r.text).startswith("C'est déplacé")]
    for markup in (confirm, done):
        assert "ce délai est <b>déjà dépassé</b>" in markup and "&lt;" not in markup
    moved = said(trainer, "C'est déplacé")
    assert "ce délai est déjà dépassé" in moved and "dimanche 22 novembre 2026" in moved


async def test_a_bilan_moved_to_a_day_alone_keeps_its_hour(db: Database, trainer: Person) -> None:
    """Explorer KF7: « Déplacer », then « vendredi » asked « … mais à quelle heure ? », and
    « même heure » was « Je n'ai pas compris cette date »: a day alone keeps the bilan's hour."""
    await schedule(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    assert "Quelle est la nouvelle date ? Sans heure, je garde la même." in trainer.last
    await trainer.says("vendredi")
    assert trainer.last.startswith("J'ai compris : vendredi 27 novembre 2026 à 14 h 00.")
    await trainer.presses("Non, corriger")
    await trainer.says("mardi 1er décembre même heure")
    assert trainer.last.startswith("J'ai compris : mardi 1er décembre 2026 à 14 h 00.")
    await trainer.says("jeudi 3 décembre à 10h")  # an hour typed is that hour
    assert trainer.last.startswith("J'ai compris : jeudi 3 décembre 2026 à 10 h 00.")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    [bilan] = await bilans(db)
    assert bilan.starts_at.astimezone(ZoneInfo("Europe/Paris")).hour == 10


async def test_the_same_hour_alone_at_move_asks_the_day_and_keeps_the_hour(
    db: Database, trainer: Person
) -> None:
    """Explorer LD7: « même heure » alone at « Déplacer » was read as today at 14 h and
    confirmed; the day is asked, the hour kept; bad input there moves nothing."""
    await schedule(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    for typed in ("même heure", "on garde la même heure", "à la même heure !"):
        await trainer.says(typed)
        assert trainer.last.startswith(
            "Je garde l'heure du bilan, 14 h 00 : quel jour ? Par exemple « vendredi »"
        ), (typed, trainer.last)
    await survives(db, trainer, FOR_TEXT)
    await trainer.says("vendredi")
    assert trainer.last.startswith("J'ai compris : vendredi 27 novembre 2026 à 14 h 00.")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    [bilan] = await bilans(db)
    moved = bilan.starts_at.astimezone(ZoneInfo("Europe/Paris"))
    assert (moved.day, moved.hour) == (27, 14)


async def test_an_on_site_normandie_agenda_claims_no_remote_procedure(
    db: Database, trainer: Person
) -> None:
    """Explorer AC8: the on-site agenda ended « conforme à la fiche procédure bilan à
    distance … §II »."""
    await trainer.says("/bilan")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Programmer")
    await trainer.presses("Sur place")
    await trainer.says("jeudi 3 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.says("2 h")
    await trainer.says("Salle 2, 12 rue des Lilas, Caen")
    while "Programmer le bilan" not in trainer.buttons:
        await trainer.presses("Terminé")
    await trainer.presses("Programmer le bilan")
    [agenda] = [
        pdf_words(r.document.content)
        for r in trainer.replies
        if r.document is not None and r.document.filename.startswith("ordre-du-jour")
    ]
    assert "Le bilan se déroule selon les attentes de la personne chargée de mission." in agenda
    assert "à distance" not in agenda and "§II" not in agenda
    # Nor does the sheet, made for this on-site bilan alone (explorer AI12).
    [sheet] = [
        " ".join(pdf_words(r.document.content).split())
        for r in trainer.replies
        if r.document is not None and r.document.filename.startswith("emargement-")
    ]
    assert (
        "la copie de cette feuille signée est le justificatif de participation à envoyer à la"
        " personne chargée de mission." in sheet
    )
    assert "à distance" not in sheet and "§III" not in sheet


async def test_on_site_bilans_get_no_documents_warning(trainer: Person) -> None:
    await trainer.says("/bilan")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Programmer")
    await trainer.presses("Sur place")
    await trainer.says("demain 10 h")
    assert "Attention" not in trainer.last


async def test_visio_checks_and_the_message_to_the_chargee_de_mission(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:6]:
        await answer(trainer, kind, value)
    for bad in (
        "https://exa mple.org",
        "javascript:alert(1)",
        "ftp://files.example.org/x",
        "https://localhost:99999/x",
        "https://-",
    ):
        await trainer.says(bad)
        assert "https://" in trainer.last and "valable" in trainer.last, bad
    await trainer.says("https://visio.example.org/bilan")
    await trainer.presses("Non")  # no password
    await trainer.presses("Non")  # no control of who speaks
    text = trainer.last
    assert "ne demande pas de mot de passe et ne gère pas la prise de parole" in text
    assert "à Mme Sophie Leroy" in text
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, préparer le message")
    draft = trainer.all_text
    assert "Objet : Bilan à distance – Agent de restauration (démo)" in draft
    assert "Bonjour Madame" in draft
    assert "n'exige pas de mot de passe" in draft and "solution technologique adaptée" in draft
    # Not « le bilan de fin de formation de la formation « … » » (explorer DE3).
    assert "Nous préparons le bilan de fin de formation « Agent de restauration (démo) »" in draft
    assert "Qui participe" in trainer.last  # no password: not asked whether to include it
    for _step, kind, value in REMOTE[11:]:
        await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    assert (bilan.visio_password_required, bilan.visio_manages_speakers) == (False, False)
    assert bilan.visio_password is None
    email = documents(trainer)["txt"].content.decode()
    assert "ne répond pas entièrement aux exigences de la Région" in email


async def test_the_password_stays_out_of_the_invitation_unless_asked(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:8]:
        await answer(trainer, kind, value)
    await trainer.presses("Non")  # speakers: not managed
    assert "ne gère pas la prise de parole" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Non, continuer")
    assert "mot de passe figure dans l'invitation" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Non")
    for _step, kind, value in REMOTE[11:]:
        await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    assert bilan.visio_password is None and bilan.visio_password_required
    _, event = event_of(documents(trainer)["ics"].content)
    assert "Mot de passe : communiqué à part." in str(event["DESCRIPTION"])


async def test_another_trainee_gets_the_explanation_and_a_draft_not_a_seat(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:11]:
        await answer(trainer, kind, value)
    # Explorer KB6: « (fiche procédure, §I) », whose funder the trainer had to guess.
    assert (
        "seuls les délégués des stagiaires sont invités (fiche procédure bilan à distance, "
        "Région Normandie, §I) : je les ai cochés."
    ) in trainer.last
    assert "Karim Benali (hors délégation)" in " ".join(trainer.buttons)
    await trainer.presses("Karim Benali")
    text = trainer.last
    assert "seuls les représentants des stagiaires sont conviés" in text
    assert "(fiche procédure bilan à distance, Région Normandie, §I)." in text
    assert "Avez-vous l'accord de Mme Sophie Leroy pour que Karim Benali participe ?" in text
    await trainer.presses("Non, préparer le message")  # no agreement: a draft, no seat
    text = trainer.all_text
    assert "Je n'ajoute donc pas Karim Benali" in text
    assert "Bonjour Madame" in text and "souhaite prendre la parole" in text
    assert "Qui participe ?" in trainer.last
    await trainer.says("3, 4")  # Julie Petit and Karim Benali typed together
    assert "pour que Karim Benali et Julie Petit participent ?" in trainer.last
    await trainer.presses("Non, préparer le message")
    assert "Je n'ajoute donc pas Karim Benali et Julie Petit" in trainer.all_text
    await trainer.presses("Hugo Moreau")  # untick
    await trainer.presses("Terminé")
    await trainer.presses("Terminé")  # no partner
    assert "Stagiaires : Léa Martin" in trainer.last
    await trainer.presses("Programmer le bilan")
    [bilan] = await bilans(db)
    assert [(p.kind, p.name) for p in bilan.participants] == [("delegate", "Léa Martin")]


async def test_a_formation_without_delegates_says_so_at_a_remote_bilan(
    db: Database, trainer: Person
) -> None:
    """Explorer P P10: « choisissez leurs noms » over a list where nobody is a delegate."""
    async with db.sessions() as session, session.begin():
        await session.execute(update(Trainee).values(is_delegate=False))
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:11]:
        await answer(trainer, kind, value)
    text = trainer.last
    assert (
        "seuls les délégués des stagiaires sont invités (fiche procédure bilan à distance, "
        "Région Normandie, §I), et cette formation n'en a pas."
    ) in text
    assert "cette formation n'en a pas. Choisissez qui prendra la parole pour le groupe" in text
    assert "choisissez leurs noms" not in text
    assert "/formations, « Choisir les délégués »" in text
    await trainer.presses("Terminé")  # nobody: the partners' question, then the recap
    await trainer.presses("Terminé")
    assert "Stagiaires : aucun" in trainer.last


async def test_abandoning_at_the_recap_and_cancelling_save_nothing(
    db: Database, trainer: Person
) -> None:
    await schedule(trainer, [*REMOTE[:-1], ("recap", "press", "Abandonner")])
    assert "je ne programme rien" in trainer.last
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:8]:
        await answer(trainer, kind, value)
    await trainer.says("/annuler")
    assert await bilans(db) == []
    assert (
        await scalar(
            db, select(func.count(StoredDeadline.id)).where(StoredDeadline.subject == "bilan")
        )
        == 0
    )


async def test_a_formateur_without_bilan_formations_is_told_why(
    db: Database, trainer: Person
) -> None:
    async with db.sessions() as s, s.begin():
        for f in (await s.scalars(select(Formation))).all():
            f.funder = "autre"
    await trainer.says("/bilan")
    assert "ne doit de bilan" in trainer.last
    await trainer.says("/bilans")
    assert "aucun bilan programmé" in trainer.last


# --- moving and cancelling --------------------------------------------------------------


@pytest.fixture
def reachable(engine: Engine) -> Any:
    """Léa Martin has a chat (as the attestations feature gives one once a code is redeemed)."""

    async def resolver(session: AsyncSession, participant: BilanParticipant) -> Any:
        return ("console", "lea-martin") if participant.name == "Léa Martin" else None

    extra = Feature(name="reachable", chat_resolvers=(resolver,))
    engine.features = Features([*FEATURES.features, extra])
    return resolver


async def test_a_bilan_of_two_hundred_participants_lists_thirty_in_its_menu(
    db: Database, trainer: Person
) -> None:
    """Explorer DD1: /bilans of a bilan of 203 participants was a menu of 9,000 characters,
    its messages sent one line each on top; Telegram holds 4,096 a message, and a menu edited
    in place keeps its first part. Thirty, the others counted, the agenda holding them all;
    ten messages, those not sent first."""
    names = [f"Participant Numéro{i:03d} Longuenom" for i in range(203)]
    bilan_id = await add_bilan(db, participants=tuple(("partner", n, "Structure") for n in names))
    async with db.sessions() as session, session.begin():
        people = (
            await session.scalars(
                select(BilanParticipant).where(BilanParticipant.bilan_id == bilan_id)
            )
        ).all()
        for number, someone in enumerate(sorted(people, key=lambda p: p.name)):
            session.add(
                OutboxMessage(
                    key=f"test:{number}",
                    platform="console",
                    chat_id=f"c{number}",
                    payload={"text": "…"},
                    status="failed" if number == 150 else "sent",
                    last_error="refusé" if number == 150 else None,
                    sent_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
                    bilan_id=bilan_id,
                    participant_id=someone.id,
                    about="invited",
                )
            )
    await trainer.says("/bilans")
    await trainer.presses("03/12/2026")
    menu = trainer.replies[-1].text or ""
    assert len(menu) <= 4096, len(menu)
    assert (
        "Participants (203) : Participant Numéro000 Longuenom (Structure), Participant Numéro001"
    ) in trainer.last
    assert (
        "Participant Numéro029 Longuenom (Structure) … et 173 autres : tous sont dans l'ordre du "
        "jour (« Renvoyer l'invitation et les documents »)\n"
    ) in trainer.last
    assert "Numéro030" not in trainer.last.partition("Envoyé par moi")[0]
    sent = trainer.last.partition("Envoyé par moi :\n")[2]
    assert sent.startswith("· Invitation pour Participant Numéro150 Longuenom"), sent[:200]
    assert sent.count("· Invitation") == 10 and "· … et 193 autres messages\n" in sent


async def test_a_bilan_moved_by_someone_else_meanwhile_is_said_never_overwritten(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer CE4: two administrators moving one bilan at once, both from « jeudi 26
    novembre »: the second's « Oui, déplacer » silently replaced the first's move. Who
    moved it, and to when, is said, nothing changed, the question asked again from the
    bilan's new date; a date already the bilan's is nothing more to do."""
    await schedule(trainer)
    await second_admin(db)
    bruno = person("bruno")
    for who, when in ((trainer, "jeudi 3 décembre à 14 h"), (bruno, "vendredi 4 décembre à 10 h")):
        await who.says("/bilans")
        await who.presses("26/11/2026")
        await who.presses("Déplacer")
        await who.says(when)
        await who.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    await bruno.presses("Oui, déplacer")
    assert bruno.all_text.startswith(
        "Entre-temps, Camille Durand a déplacé ce bilan au jeudi 3 décembre 2026 de 14 h 00 à "
        "16 h 00 : rien n'est changé.\n\nDéplacer le bilan du jeudi 3 décembre 2026 à 14 h 00 au "
        "vendredi 4 décembre 2026 à 10 h 00, jusqu'à 12 h 00 ?"
    ), bruno.all_text
    assert bruno.buttons == ["Oui, déplacer", "Non, ne rien changer"]
    [bilan] = await bilans(db)
    assert bilan.starts_at == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    await bruno.presses("Oui, déplacer")  # knowingly, this time
    assert "(au lieu du jeudi 3 décembre 2026 à 14 h 00)" in bruno.all_text
    [bilan] = await bilans(db)
    assert bilan.starts_at == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    for who in (trainer, bruno):  # each at the bilan's menu, shown after their move
        assert who.last.endswith("Que voulez-vous faire ?"), who.last
        await who.presses("Déplacer")
        await who.says("lundi 14 décembre à 9 h")
        await who.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    await bruno.presses("Oui, déplacer")
    assert bruno.all_text.startswith(
        "Entre-temps, Camille Durand a déplacé ce bilan au lundi 14 décembre 2026 de 9 h 00 à "
        "11 h 00 : c'est la date que vous vouliez, il n'y a rien de plus à faire."
    ), bruno.all_text
    [bilan] = await bilans(db)
    assert bilan.starts_at == datetime(2026, 12, 14, 8, 0, tzinfo=UTC)


async def test_moving_a_bilan_moves_its_deadlines_keeps_done_marks_and_tells_people(
    db: Database, trainer: Person, reachable: Any
) -> None:
    await schedule(trainer)
    [bilan] = await bilans(db)
    participant_ids = [p.id for p in bilan.participants]
    async with db.sessions() as s, s.begin():
        prep = await s.scalar(select(StoredDeadline).where(StoredDeadline.rule_id == "NOR-PREP"))
        assert prep is not None
        prep.status, prep.done_by = "done", 1
        prep.done_at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    assert "Préparer le bilan avec le groupe : mercredi 25 novembre 2026 ✅ faite" in trainer.last
    await trainer.presses("Déplacer")
    assert "bilan prévu le jeudi 26 novembre 2026 à 14 h 00" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("jeudi 26 novembre à 14 h")
    assert "déjà la date prévue" in trainer.last
    await trainer.says("jeudi 3 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    assert "au jeudi 3 décembre 2026 à 14 h 00, jusqu'à 16 h 00 ?" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, déplacer")
    text = said(trainer, "C'est déplacé")
    assert (
        "C'est déplacé" in text and "jeudi 3 décembre 2026 de 14 h 00 à 16 h 00 (au lieu du" in text
    )
    assert (
        "Envoyer le bilan pédagogique : mardi 1er décembre 2026 à 14 h 00 "
        "(au lieu du mardi 24 novembre 2026 à 14 h 00)"
    ) in text
    assert "Préparer le bilan avec le groupe : jeudi 26 novembre 2026" in text
    assert "✅ déjà faite" in text
    assert "1 participant prévenu par message" in text
    assert "Prévenez vous-même" in text and "Hugo Moreau" in text and "Léa Martin," not in text
    # The bilan's menu comes back, showing the new date.
    assert "Le jeudi 3 décembre 2026 de 14 h 00 à 16 h 00" in trainer.last
    assert "Déplacer" in trainer.buttons

    [bilan] = await bilans(db)
    assert bilan.starts_at == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert bilan.ends_at == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    assert bilan.sequence == 1
    assert [p.id for p in bilan.participants] == participant_ids  # ids stay stable
    rows = await deadlines_of(db, bilan)
    assert rows["NOR-DOCS"].due_at == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert rows["NOR-PROOF"].due_on == date(2026, 12, 10)
    assert rows["NOR-PREP"].due_on == date(2026, 11, 26)
    assert (rows["NOR-PREP"].status, rows["NOR-PREP"].done_by) == ("done", 1)
    assert rows["NOR-PREP"].done_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    _, event = event_of(documents(trainer)["ics"].content)
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == bilan.ics_uid  # the same event
    assert event.start == datetime(2026, 12, 3, 14, 0, tzinfo=PARIS)
    lea = next(p for p in bilan.participants if p.name == "Léa Martin")
    # Her invitation had not left yet: dropped, and the new date comes as her invitation.
    first = await scalar(
        db,
        select(OutboxMessage).where(
            OutboxMessage.key == f"bilan:{bilan.id}:invited:0:participant:{lea.id}"
        ),
    )
    assert first is not None and first.status == "cancelled"
    notice = await scalar(
        db,
        select(OutboxMessage).where(
            OutboxMessage.key == f"bilan:{bilan.id}:invited:1:participant:{lea.id}"
        ),
    )
    assert notice is not None and notice.chat_id == "lea-martin"
    assert notice.payload["text"] == (
        "Votre participation est prévue au bilan de fin de formation"
        " « Agent de restauration (démo) », le jeudi 3 décembre 2026 à 14 h 00."
    )

    await trainer.says("/bilans")
    await trainer.presses("03/12/2026")
    await trainer.presses("Annuler le bilan")
    await survives(db, trainer, FOR_CHOICES)
    for typed in ("le bilan ?", "bilan", "ann"):  # words of the yes cancel nothing (XA14)
        await trainer.says(typed)
        assert trainer.last.startswith(
            "Vous posez une question : ce choix est définitif."  # a question (ZA14)
            if "?" in typed
            else "Répondez par « Oui, annuler le bilan » ou « Non"
        )
    assert [b.cancelled_at for b in await bilans(db)] == [None]
    await trainer.says("garder")  # the no may still be said in part
    assert "rien n'a changé" in trainer.all_text
    await trainer.says("/bilans")
    await trainer.presses("03/12/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Non, le garder")
    assert "rien n'a changé" in trainer.all_text
    assert "Annuler le bilan" in trainer.buttons  # back at the bilan's menu
    await trainer.says("/bilans")
    await trainer.presses("03/12/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    text = trainer.all_text
    assert "C'est annulé" in text and "Envoyer le bilan pédagogique" in text
    kept = next(line for line in text.splitlines() if "gardées pour mémoire" in line)
    assert "Préparer le bilan avec le groupe" in kept
    assert "Vérifier l'outil de visioconférence" in kept  # done by answering /bilan
    [bilan] = await bilans(db)
    assert bilan.cancelled_at is not None and bilan.sequence == 2
    assert set(await deadlines_of(db, bilan)) == {"NOR-PREP", "NOR-VISIO", "NOR-DELEGATES"}
    calendar, event = event_of(documents(trainer)["ics"].content)
    assert calendar["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
    assert await scalar(
        db,
        select(OutboxMessage.id).where(
            OutboxMessage.key == f"bilan:{bilan.id}:cancelled:2:participant:{lea.id}"
        ),
    )
    await trainer.says("/bilans")
    assert "aucun bilan programmé" in trainer.last


async def test_bilans_list_and_actions_survive_bad_input(db: Database, trainer: Person) -> None:
    await schedule(trainer)
    await trainer.says("/bilans")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("26/11/2026")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Renvoyer l'invitation")
    assert set(documents(trainer)) == {"ics", "pdf", "txt"}
    # The bilan's menu comes back (explorer AC8: nothing did, the next word was lost).
    assert "Déplacer" in trainer.buttons and "Terminé" in trainer.buttons
    await trainer.presses("Terminé")
    [bilan] = await bilans(db)
    assert bilan.sequence == 0 and bilan.cancelled_at is None


async def test_resending_the_documents_says_nobody_else_gets_them(
    db: Database, trainer: Person
) -> None:
    """Explorer UE3: « Renvoyer l'invitation et les documents » captioned the invitation « les
    participants, je les préviens moi-même » and the draft « je lui envoie moi-même
    l'invitation », and sent nothing to anyone but the trainer: the captions now say so."""
    await schedule(trainer)
    queued = await scalar(db, select(func.count(OutboxMessage.id)))
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Renvoyer l'invitation")
    found = documents(trainer)
    assert found["ics"].caption == (
        "Invitation à importer dans votre agenda et à transmettre aux participants si besoin :"
        " je ne la renvoie moi-même à personne"
    )
    assert found["txt"].caption.endswith(
        "à lui transmettre si besoin avec l'invitation et l'ordre du jour ci-dessus :"
        " je ne lui renvoie rien moi-même"
    )
    assert "moi-même l'invitation" not in trainer.all_text
    assert await scalar(db, select(func.count(OutboxMessage.id))) == queued  # nothing sent


async def test_only_the_owner_and_admins_see_a_bilan(
    db: Database, trainer: Person, person: Any
) -> None:
    await schedule(trainer)
    await trainer.says("/bilans")
    stamp = trainer.replies[-1].choices[0].data.split("|")[0]
    await trainer.presses_data(f"{stamp}|999")
    assert "n'est pas (ou plus) proposé" in trainer.last
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
    await colleague.says("/bilans")
    assert "aucun bilan programmé" in colleague.last
    await colleague.says("/bilan")
    assert "ne doit de bilan" in colleague.last
    stranger = person("inconnu")
    await stranger.says("/bilans")
    assert "Je ne vous connais pas" in stranger.last


async def test_logs_never_hold_personal_data(
    caplog: pytest.LogCaptureFixture, trainer: Person
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    await schedule(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    await trainer.says("jeudi 3 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    logged = caplog.text
    for secret in ("Léa Martin", "Hugo Moreau", "Karim Haddad", "Lina Costa", "Cuisine-2026"):
        assert secret not in logged
    assert "k.haddad@example.org" not in logged


async def test_text_typed_by_the_user_is_escaped(trainer: Person) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:12]:
        await answer(trainer, kind, value)
    await trainer.presses("Ajouter un partenaire")
    await trainer.says("Zoé <i>Durand</i>")  # markup is no name: refused, not printed
    assert trainer.last.startswith("Un nom s'écrit avec des lettres, sans autres signes")
    await trainer.says("Zoé D'Arc")
    await trainer.says("Durand & fils")
    await trainer.presses("Passer")
    await trainer.presses("Terminé")
    recap = trainer.replies[-1].text
    assert "Zoé D&#x27;Arc" in recap or "Zoé D&#39;Arc" in recap
    assert "Durand &amp; fils" in recap
    await survives(db=trainer.engine.db, who=trainer, bads=FOR_TEXT)


async def test_partners_are_added_one_by_one_up_to_fifteen(db: Database, trainer: Person) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:12]:
        await answer(trainer, kind, value)
    for number in range(1, 16):
        await trainer.presses("Ajouter un partenaire")
        letter = "ABCDEFGHIJKLMNO"[number - 1]
        await trainer.says(f"Partenaire {letter}")
        await trainer.presses("Passer")
        await trainer.presses("Passer")
        assert f"· Partenaire {letter}" in trainer.last
    assert "c'est le maximum" in trainer.last
    assert trainer.buttons == ["Terminé"]
    await trainer.presses("Terminé")
    assert "Partenaire O" in trainer.last and "Récapitulatif" in trainer.last
    await trainer.presses("Programmer le bilan")
    [bilan] = await bilans(db)
    assert len([p for p in bilan.participants if p.kind == "partner"]) == 15


async def test_cancelling_while_adding_a_partner_cancels_the_scheduling(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:12]:
        await answer(trainer, kind, value)
    await trainer.presses("Ajouter un partenaire")
    await trainer.says("M. Karim Haddad")
    await trainer.says("/annuler")
    assert "programmer un bilan" in trainer.last
    assert await bilans(db) == []


async def test_on_matrix_the_charge_de_mission_gets_the_invitation_from_the_bot(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent de restauration"))
        )
        assert formation is not None
        formation.cm_matrix = "@sophie.leroy-normandie.fr:agent.tchap.gouv.fr"
    on_matrix = replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )
    trainer = Person(build_engine(db, on_matrix, clock=clock), "formateur")
    await schedule(trainer)
    assert (
        "J'envoie moi-même l'invitation à Mme Sophie Leroy sur Matrix "
        "(@sophie.leroy-normandie.fr:agent.tchap.gouv.fr)" in trainer.all_text
    )
    # Matrix alone: one way to answer, Tchap's (explorer EF10: « envoyez au bot formabot »).
    invitations = [r.text for r in trainer.replies if "/start " in r.text]
    assert invitations and all("envoyez à l'assistant formabot" not in t for t in invitations)
    assert all(
        "sur Tchap (ou un autre client Matrix), ouvrez une discussion avec @formabot:localhost" in t
        for t in invitations
    )
    # The draft promises the agenda « ci-joint »: hers to send by e-mail, said (DC8).
    [draft] = [
        r.document for r in trainer.replies if r.document and "message" in r.document.filename
    ]
    assert draft.caption == (
        "Message pour Mme Sophie Leroy, à lui envoyer par e-mail avec l'ordre du jour ci-dessus si "
        "vous le souhaitez : sur Matrix, je lui envoie moi-même l'invitation seule"
    )

    async def to_her() -> list[OutboxMessage]:
        async with db.sessions() as session:
            return list(
                (
                    await session.scalars(
                        select(OutboxMessage)
                        .where(OutboxMessage.platform == "matrix")
                        .order_by(OutboxMessage.id)
                    )
                ).all()
            )

    [first] = await to_her()
    assert first.chat_id == "@sophie.leroy-normandie.fr:agent.tchap.gouv.fr"
    text = plain(first.payload["text"])
    assert text == (
        "Bonjour Madame,\n"
        "Organisme de démonstration vous invite au bilan de fin de formation"
        " « Agent de restauration (démo) », le jeudi 26 novembre 2026 de 14 h 00 à 16 h 00,"
        " à distance, animé par Camille Durand.\n"
        "Participants : 2 personnes pour les stagiaires, 2 partenaires et Camille Durand.\n"
        "Lien de la visioconférence : https://visio.example.org/bilan-restauration\n"
        "Un mot de passe est demandé : il figure dans l'invitation jointe.\n"
        "Vous recevrez le bilan pédagogique au plus tard le mardi 24 novembre 2026 à 14 h 00,"
        " puis les attestations sur l'honneur des participants d'ici le jeudi 3 décembre 2026.\n"
        "L'invitation pour votre agenda est jointe. Pour toute question, répondez simplement"
        " ici : je transmets votre message à Camille Durand."
    )
    assert first.payload["document"]["mime_type"] == "text/calendar"

    async def move(old: str, new: str) -> None:
        await move_bilan(trainer, old, new)

    # Moved before the first invitation left: it is dropped, the new date is the invitation.
    await move("26/11/2026", "jeudi 3 décembre à 14 h")
    assert "J'envoie moi-même l'invitation à Mme Sophie Leroy sur Matrix" in trainer.all_text
    dropped, second = await to_her()
    assert dropped.id == first.id and dropped.status == "cancelled"
    assert second.status == "pending"
    assert plain(second.payload["text"]).startswith(
        "Bonjour Madame,\nOrganisme de démonstration vous invite au bilan de fin de formation"
        " « Agent de restauration (démo) », le jeudi 3 décembre 2026 de 14 h 00 à 16 h 00,"
    )
    async with db.sessions() as session, session.begin():
        sent = await session.get(OutboxMessage, second.id)
        assert sent is not None
        sent.status, sent.sent_at = "sent", clock.now

    # Moved once she has it: the message says it moved, with the updated event.
    await move("03/12/2026", "vendredi 4 décembre à 10 h")
    # Explorer AC8: not « j'ouvre la conversation et elle en sera le premier message ».
    assert (
        "J'envoie moi-même la nouvelle date à Mme Sophie Leroy sur Matrix "
        "(@sophie.leroy-normandie.fr:agent.tchap.gouv.fr), avec l'invitation mise à jour."
    ) in trainer.all_text
    assert "premier message" not in trainer.all_text
    _, still_sent, third = await to_her()
    assert still_sent.status == "sent"
    words = plain(third.payload["text"])
    assert words.startswith(
        "Bonjour Madame,\nLe bilan de fin de formation « Agent de restauration (démo) » est"
        " déplacé : il aura lieu le vendredi 4 décembre 2026 de 10 h 00 à 12 h 00"
        " (au lieu du jeudi 3 décembre 2026 à 14 h 00), à distance, animé par Camille Durand."
    )
    assert "vous invite" not in words
    event = Calendar.from_ical(base64.b64decode(third.payload["document"]["content"])).events[0]
    assert str(event["UID"]) == (await bilans(db))[0].ics_uid
    assert int(event["SEQUENCE"]) == 2

    # /bilans: one line per message, the dropped one left out.
    await trainer.says("/bilans")
    await trainer.presses("04/12/2026")
    listing = plain(trainer.last)
    assert listing.count("Mme Sophie Leroy (sur Matrix)") == 2, listing
    assert "Invitation envoyée à Mme Sophie Leroy (sur Matrix) le " in listing
    assert (
        "Invitation mise à jour (nouvelle date) pour Mme Sophie Leroy (sur Matrix) :"
        " en cours d'envoi" in listing
    )


async def test_without_matrix_nothing_is_sent_to_the_charge_de_mission(
    db: Database, trainer: Person
) -> None:
    await schedule(trainer)
    assert "sur Matrix" not in trainer.all_text
    async with db.sessions() as session:
        assert (
            await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.platform == "matrix")
            )
            == 0
        )


async def test_a_day_then_its_hour_keeps_the_day_as_reported(db: Database, trainer: Person) -> None:
    """Issue 11 item 2: "14h" after "J'ai bien le 16 décembre, mais à quelle heure ?"."""
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("16 décembre")
    assert trainer.last.startswith(
        "J'ai bien le mercredi 16 décembre 2026, mais à quelle heure ? Tapez-la seule, par "
        "exemple « 14 h » ou « 9 h 30 » : je garde ce jour."
    )  # explorer GE6: « par exemple « vendredi 15 janvier à 14 h » », another day
    await trainer.says("14h")
    assert "mercredi 16 décembre 2026 à 14 h 00" in trainer.last
    await trainer.says("15 h 30")  # an hour instead of "oui": the same day, that hour
    assert "mercredi 16 décembre 2026 à 15 h 30" in trainer.last
    await trainer.says("jeudi 17 décembre à 9h")  # a whole new date is taken whole
    assert "jeudi 17 décembre 2026 à 9 h 00" in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("14h")  # after "corriger", nothing is assumed: today is meant
    assert "lundi 23 novembre 2026 à 14 h 00" in trainer.last
    await trainer.says("16 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    for _step, kind, value in REMOTE[5:]:
        await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    assert bilan.starts_at.astimezone(PARIS) == datetime(2026, 12, 16, 14, 0, tzinfo=PARIS)


async def test_a_number_at_a_single_choice_is_told_the_one_there_is(
    db: Database, trainer: Person
) -> None:
    """Explorer GD2: « tapez un numéro entre 1 et 1 » where one choice is shown."""
    await trainer.says("/bilan")
    await trainer.presses("Agent de restauration")
    assert trainer.numbered == ["1. Programmer le bilan de fin de formation (proposé)"]
    await trainer.says("2")
    assert trainer.all_text.startswith(
        "Il n'y a pas de choix numéro 2 : tapez 1, ou choisissez la réponse proposée."
    )
    await trainer.says("1")
    assert await step_of(db, trainer) == ("bilan", "remote")


async def test_a_negative_or_huge_duration_is_said_so(db: Database, trainer: Person) -> None:
    """Explorer GD7: « -2 h » was taken as a 2-hour bilan (its words fit the « 2 heures »
    button's), « 99999 h » was « Je n'ai pas compris cette durée »."""
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:5]:
        await answer(trainer, kind, value)
    for typed in ("-2 h", "-90"):
        await trainer.says(typed)
        assert trainer.all_text.startswith(
            "Une durée ne peut pas être négative : écrivez-la sans le signe moins, par exemple"
            " « 2 h »."
        ), typed
        assert await step_of(db, trainer) == ("bilan", "duration")
    for typed in ("99999 h", "9" * 20 + " minutes"):
        await trainer.says(typed)
        assert trainer.all_text.startswith("Un bilan dure entre 30 minutes et 8 heures"), typed
    await trainer.says("2 h")
    assert "lien de la visio" in trainer.last


async def test_the_duration_s_number_is_its_button_and_durations_are_still_typed(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:5]:
        await answer(trainer, kind, value)
    assert trainer.numbered == ["1. 2 heures"]
    await trainer.says("2")  # no such choice, and no duration either
    assert "Il n'y a pas de choix numéro 2" not in trainer.all_text
    assert "Je n'ai pas compris cette durée" in trainer.all_text
    await trainer.says("90 min")
    assert "lien de la visio" in trainer.last
    await trainer.says("Retour")
    await trainer.says("1")
    assert "lien de la visio" in trainer.last
    for _step, kind, value in REMOTE[6:-1]:
        await answer(trainer, kind, value)
    assert "Le jeudi 26 novembre 2026 à 14 h 00, 2 h\n" in plain(trainer.last)
    await trainer.presses("Abandonner")
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:5]:
        await answer(trainer, kind, value)
    await trainer.says("30 minutes")
    for _step, kind, value in REMOTE[6:-1]:
        await answer(trainer, kind, value)
    assert "Le jeudi 26 novembre 2026 à 14 h 00, 30 min\n" in plain(trainer.last)  # not « 0 h 30 »
    await trainer.presses("Programmer le bilan")
    [bilan] = await bilans(db)
    assert bilan.ends_at - bilan.starts_at == timedelta(minutes=30)


async def test_on_site_or_remote_is_understood_with_the_words_people_use(
    trainer: Person,
) -> None:
    """Issue 11 item 23: choices tolerate a typo, "presentiel" means on site."""
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:2]:
        await answer(trainer, kind, value)
    await trainer.says("presentiel")
    await trainer.says("16 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("2 heures")
    assert "Où aura lieu le bilan" in trainer.last
    for markup in ("<script>alert(1)</script>", "Salle <b>3</b>", "Salle 3 🏫"):  # AD15
        await trainer.says(markup)
        assert trainer.last.startswith(
            "Le lieu est imprimé sur la feuille d'émargement et l'ordre du jour : écrivez-le "
            "sans balises (« < > ») ni émoticônes"
        )
    await trainer.says("Retour")
    assert "2 heures" in trainer.buttons  # the duration
    await trainer.says("Retour")
    await trainer.says("Retour")
    assert "À distance, en visio" in trainer.buttons
    await trainer.says("a distnce")  # one letter missing
    await trainer.says("16 décembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("2 heures")
    assert "lien" in trainer.last.lower()


# --- single-person formats (issue 11, item 22) -------------------------------------------


async def test_a_bilan_de_competences_is_not_asked_group_questions(
    db: Database, trainer: Person
) -> None:
    """One beneficiary: no delegates to pick, no delegates-only rule; they take part."""
    async with db.sessions() as session, session.begin():
        demo = await session.scalar(select(Formation).where(Formation.funder == "normandie"))
        assert demo is not None
        single = Formation(
            organisation_id=demo.organisation_id,
            owner_id=demo.owner_id,
            title="Bilan de compétences de Mme Roy",
            funder="normandie",
            mode="dates",
            kind="bilan_competences",
            start_date=date(2026, 11, 2),
            end_date=date(2026, 12, 18),
            cm_name="Mme Sophie Leroy",
        )
        single.trainees.append(Trainee(full_name="Agnès Roy", name_key="agnes roy"))
        session.add(single)
    transcript = []
    for line in (
        "/bilan",
        "Bilan de compétences",
        "Programmer le bilan de fin",
        "À distance",
        "jeudi 10 décembre à 14 h",
        "oui",
        "1 h",
        "https://visio.example.org/roy",
        "oui",
        "oui",
        "non",
    ):
        await trainer.says(line)
        transcript.append(trainer.all_text)
    text = "\n".join(transcript)
    assert "Qui participe ?" not in text and "délégué" not in text
    assert "Invitez-vous des partenaires" in trainer.last  # straight to the partners
    await trainer.presses("Terminé")
    assert "Stagiaires : Agnès Roy" in trainer.last
    await trainer.presses("Programmer le bilan")
    [bilan] = await bilans(db)
    assert [(p.kind, p.name) for p in bilan.participants] == [("trainee", "Agnès Roy")]


async def test_a_day_that_does_not_exist_is_named_at_the_when_step(trainer: Person) -> None:
    """Outside test: "31 février à 14h" got "Je n'ai pas compris cette date"."""
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("31 février à 14h")
    assert trainer.last.startswith("Le 31 février n'existe pas. Donnez une autre date, par exemple")
    await trainer.says("le 31/04/2027 à 9 h")
    assert trainer.last.startswith("Le 31 avril 2027 n'existe pas.")
    # A weekday that does not fit its date is said, with both readings (explorer C, F1).
    await trainer.says("mercredi 26 novembre à 14 h")
    assert trainer.last.startswith(
        "Le 26 novembre 2026 tombe un jeudi : vouliez-vous dire « jeudi 26 novembre » ou "
        "« mercredi 25 novembre » ?"
    )
    await trainer.says("jeudi 26 novembre à 14 h")
    assert trainer.last.startswith("J'ai compris : jeudi 26 novembre 2026 à 14 h 00.")


async def test_a_weekday_and_a_day_number_without_month_name_the_date_they_agree_on(
    trainer: Person,
) -> None:
    """Explorer GE1: « mardi 12 à 10h » got « Je n'ai pas compris cette date », « le mardi
    12 » « samedi 12 décembre » or « mardi 8 décembre » (23 November 2026: the 12th that
    is a Tuesday comes in January)."""
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("mardi 12 à 10h")
    assert trainer.last.startswith("J'ai compris : mardi 12 janvier 2027 à 10 h 00."), trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("le mardi 12 à 10h")
    assert trainer.last.startswith("J'ai compris : mardi 12 janvier 2027 à 10 h 00."), trainer.last


async def test_an_hour_of_the_night_or_a_day_long_after_the_end_is_pointed_out(
    trainer: Person,
) -> None:
    """Explorer C: « aujourd'hui à 4h46 » and a bilan de fin in June 2028 for a formation
    ending in January 2027 went through without a word; pointed out, not refused."""
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("jeudi 26 novembre à 4h30")
    assert "Attention : à 4 h 30, c'est en dehors des heures habituelles" in trainer.last
    assert trainer.buttons == ["Oui, c'est ça", "Non, corriger"]
    await trainer.presses("Non, corriger")
    await trainer.says("15/06/2028 à 14h")
    assert (
        "Attention : c'est plus de deux mois après la fin de la formation (vendredi 8 janvier "
        "2027) ; vérifiez la date, l'année surtout." in trainer.last
    )
    assert "heures habituelles" not in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("jeudi 26 novembre à 14 h")
    assert "Attention" not in trainer.last


async def test_a_bilan_de_fin_months_before_the_end_or_an_etape_after_it_is_pointed_out(
    trainer: Person,
) -> None:
    """Explorer Z, Z6: a « bilan de fin » booked three months and a half before the end went
    into the invitations and the sworn text as such, without a word."""
    await trainer.says("/bilan")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Programmer le bilan de fin")
    await trainer.presses("Sur place")
    assert "par exemple « vendredi 12 mars à 14 h »" in trainer.last  # near the end, unwarned
    await trainer.says("jeudi 10 décembre à 14 h")
    assert (
        "Attention : c'est plus de deux mois avant la fin de la formation (vendredi 26 mars "
        "2027) ; un bilan de fin de formation se tient dans ses dernières semaines." in trainer.last
    )
    await trainer.presses("Non, corriger")
    await trainer.says("lundi 15 mars à 14 h")
    assert "Attention" not in trainer.last
    await trainer.says("/annuler")

    await trainer.says("/bilan")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Programmer le bilan d'étape")
    await trainer.presses("Sur place")
    await trainer.says("mardi 30 mars à 14 h")
    assert "c'est après la fin de la formation (vendredi 26 mars 2027) ; un bilan d'étape" in (
        trainer.last
    )


def test_the_invitation_s_caption_speaks_of_participants_only_when_there_are_some() -> None:
    """Outside test: a bilan with nobody invited was captioned « je l'envoie moi-même aux
    participants »."""
    say = texts.say
    alone = say("bilan.caption_ics", forward=[], invited=False, no_smtp=False)
    assert alone == "Invitation à importer dans votre agenda"
    invited = say("bilan.caption_ics", forward=[], invited=True, no_smtp=False)
    assert invited.endswith("(les participants, je les préviens moi-même)")
    forward = say("bilan.caption_ics", forward=["Léa Martin"], invited=True, no_smtp=False)
    assert forward.endswith("à transmettre à : Léa Martin")


async def test_a_deadline_on_a_weekend_points_to_the_friday_before(trainer: Person) -> None:
    """A Tuesday-morning bilan: the bilan pédagogique is due on the Sunday, 48 h before."""
    await schedule(trainer, bilan_on("mardi 8 décembre à 10 h"))
    said = trainer.all_text
    assert "C'est programmé" in said
    assert (
        "Envoyer le bilan pédagogique : dimanche 6 décembre 2026 à 10 h 00 (un dimanche : à "
        "faire plutôt le vendredi 4 décembre 2026)" in said
    )
    assert said.count("à faire plutôt") == 1  # the others fall on a Tuesday
    await trainer.says("/bilans")
    await trainer.presses("Agent de restauration")
    assert "(un dimanche : à faire plutôt le vendredi 4 décembre 2026)" in trainer.all_text


@pytest.mark.parametrize(
    ("when", "said", "stored"),
    [
        ("vendredi 25 décembre à 10 h", "Attention : ce jour est férié (Noël) ;", "25/12 10:00"),
        ("samedi 28 novembre à 10 h", "Attention : ce jour est un samedi ;", "28/11 10:00"),
    ],
)
async def test_a_bilan_on_a_day_off_is_pointed_out_not_refused(
    db: Database, trainer: Person, when: str, said: str, stored: str
) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says(when)
    assert trainer.last.startswith("J'ai compris") and said in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("jeudi 26 novembre à 14 h")
    assert "Attention" not in trainer.last
    await trainer.says(when)
    await trainer.presses("Oui, c'est ça")
    for _step, kind, value in REMOTE[5:]:
        await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    assert bilan.starts_at.astimezone(PARIS).strftime("%d/%m %H:%M") == stored


@pytest.mark.parametrize(
    ("typed", "until"),
    [("jeudi 3 décembre de 14h à 16h30", "16 h 30"), ("jeudi 3 décembre 9h40-11h", "11 h 00")],
)
async def test_a_move_reads_a_slot_as_scheduling_does(
    db: Database, trainer: Person, typed: str, until: str
) -> None:
    """Explorer AC13: « de 14h à 16h30 » at « Déplacer » was « Je n'ai pas compris cette
    date », where « Quand ? » reads it: the start, and the slot's length."""
    await schedule(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    await trainer.says(typed)
    assert trainer.last.startswith("J'ai compris : jeudi 3 décembre 2026 à ")
    assert f"jusqu'à {until}. C'est bien ça ?" in trainer.last
    await trainer.presses("Oui, c'est ça")
    assert f"jusqu'à {until} ?" in trainer.last
    await trainer.presses("Oui, déplacer")
    [bilan] = await bilans(db)
    end = bilan.ends_at.astimezone(PARIS)
    assert f"{end.hour} h {end.minute:02d}" == until


async def test_the_e_mail_to_the_charge_de_mission_after_a_move_says_it_moved(
    db: Database, settings: Settings, trainer: Person
) -> None:
    trainer.engine.settings = replace(
        settings, smtp_host="127.0.0.1", smtp_from="formabot@example.org"
    )
    await schedule(trainer)
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key.like("bilan:%:charge-de-mission:%:email"))
            .values(status="sent")
        )
    await move_bilan(trainer, "Agent de restauration", "vendredi 27 novembre à 14 h")
    first, moved = (m.payload for m in await charge_de_mission_emails(db))
    assert not first["subject"].startswith("Bilan déplacé")
    assert moved["subject"] == "Bilan déplacé – " + first["subject"].replace(
        "jeudi 26", "vendredi 27"
    )
    greeting, _, news = moved["body"].partition("\n\n")  # the news after the greeting (Y12)
    assert greeting.startswith("Bonjour") and news.startswith(
        "Le bilan de fin de formation « Agent de restauration (démo) » est déplacé : il aura "
        "lieu le vendredi 27 novembre 2026"
    )
    assert (
        "au lieu du jeudi 26 novembre 2026 à 14 h 00. L'invitation ci-jointe remplace"
        in (moved["body"])
    )


async def charge_de_mission_emails(db: Database) -> list[OutboxMessage]:
    async with db.sessions() as session:
        found = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.key.like("bilan:%:charge-de-mission:%:email"))
            .order_by(OutboxMessage.id)
        )
        return list(found.all())


async def test_a_move_before_the_first_e_mail_left_sends_the_invitation_not_a_move(
    db: Database, settings: Settings, trainer: Person
) -> None:
    """The mail server was down: the first e-mail never left, so « déplacé » would be news of
    a bilan she never heard of.  She gets the invitation for the new date, once."""
    trainer.engine.settings = replace(
        settings, smtp_host="127.0.0.1", smtp_from="formabot@example.org"
    )
    await schedule(trainer)
    await move_bilan(trainer, "Agent de restauration", "vendredi 27 novembre à 14 h")
    first, second = await charge_de_mission_emails(db)
    assert first.status == "cancelled" and second.status == "pending"
    assert not second.payload["subject"].startswith("Bilan déplacé")
    assert "vendredi 27 novembre" in second.payload["subject"]
    assert "déplacé" not in second.payload["body"] and "jeudi 26" not in second.payload["body"]


async def test_deadlines_moved_onto_a_day_off_say_the_working_day_before(
    trainer: Person,
) -> None:
    """Explorer B: « Échéances déplacées » gave the Saturday alone, while /bilan's summary
    said « à faire plutôt le vendredi »."""
    await schedule(trainer)
    await move_bilan(trainer, "26/11/2026", "lundi 7 décembre à 14 h")
    moved = said(trainer, "C'est déplacé")
    assert moved.count("\n· ") >= 2 and "\n\n· " not in moved  # no blank line (explorer P)
    assert (
        "Envoyer le bilan pédagogique : samedi 5 décembre 2026 à 14 h 00 (au lieu du mardi "
        "24 novembre 2026 à 14 h 00), un samedi : à faire plutôt le vendredi 4 décembre 2026"
    ) in moved


async def test_a_deadline_whose_working_day_stays_says_so_not_the_same_day_twice(
    trainer: Person,
) -> None:
    """Explorer HB7: moved from Thursday 7 to Friday 8 January, « modes d'emploi » falls on
    New Year's Day and is done the Thursday before, as it was: « à faire plutôt le jeudi
    31 décembre 2026 (au lieu du jeudi 31 décembre 2026) » read as the same day twice."""
    await schedule(trainer, bilan_on("jeudi 7 janvier à 10 h"))
    await move_bilan(trainer, "07/01/2027", "vendredi 8 janvier à 14 h")
    moved = said(trainer, "C'est déplacé")
    assert "(au lieu du jeudi 31 décembre 2026)" in moved
    assert (
        "vendredi 1er janvier 2027 (au lieu du jeudi 31 décembre 2026), jour férié, jour de "
        "l'An : à faire le jeudi 31 décembre 2026, comme avant"
    ) in moved
    assert "plutôt le jeudi 31 décembre 2026" not in moved


async def test_the_participants_question_says_ticked_only_when_some_are(
    trainer: Person,
) -> None:
    """Explorer O: after « aucun délégué » and « Retour », « je les ai cochés » above a list
    where nobody was."""
    for line in UP_TO_PARTICIPANTS:
        await trainer.says(line)
    assert "je les ai cochés" in trainer.last
    await trainer.says("aucun délégué")
    await trainer.says("Retour")
    assert "Qui participe ?" in trainer.last and "je les ai cochés" not in trainer.last
    assert "choisissez leurs noms, puis « Terminé »" in trainer.last


async def test_the_visio_link_later_promises_a_reminder_only_where_one_comes(
    trainer: Person,
) -> None:
    """Explorer AA, AA2: a Centre-Val de Loire bilan was promised « je vous rappellerai de le
    donner », and nothing ever reminded (only the Normandie has that deadline)."""
    await trainer.says("/bilan")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Programmer le bilan d'étape")
    await trainer.presses("À distance")
    await trainer.says("mardi 5 janvier 2027 à 10 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("2 heures")
    assert "Quel est le lien de la visio ?" in trainer.last
    assert "depuis /bilans (« Donner le lien de la visio »)" in trainer.last
    assert "rappellerai" not in trainer.last
    await trainer.says("/annuler")
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:6]:
        await answer(trainer, kind, value)
    assert "je vous rappellerai de le donner" in trainer.last


async def test_a_slot_typed_with_the_date_gives_the_length_too(
    db: Database, trainer: Person
) -> None:
    """Explorer Z, Z12: « jeudi 10/12 de 14h à 16h », the usual way to give a slot, was « Je
    n'ai pas compris cette date »."""
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("jeudi 26 novembre de 14h à 15h30")
    assert trainer.last.startswith(
        "J'ai compris : jeudi 26 novembre 2026 à 14 h 00, jusqu'à 15 h 30. C'est bien ça ?"
    )
    await trainer.presses("Non, corriger")  # another slot, its own length
    await trainer.says("jeudi 26 novembre 14h-16h30")
    await trainer.presses("Oui, c'est ça")
    assert "Combien de temps" not in trainer.last
    for _step, kind, value in REMOTE[6:]:
        await answer(trainer, kind, value)
    [bilan] = await bilans(db)
    assert bilan.ends_at - bilan.starts_at == timedelta(hours=2, minutes=30)


async def test_a_slot_corrected_into_a_mere_hour_asks_the_length(trainer: Person) -> None:
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:3]:
        await answer(trainer, kind, value)
    await trainer.says("jeudi 26 novembre de 14h à 15h30")
    await trainer.presses("Non, corriger")
    for typed in ("jeudi 26 novembre de 20h à 24h", "jeudi 26 novembre de 14h75 à 16h"):
        await trainer.says(typed)  # no hour of a day: no length taken, nothing broken
        assert "mal passé" not in trainer.last and "jusqu'à" not in trainer.last, typed
        if "Non, corriger" in trainer.buttons:  # « 20h »: a day and an hour to confirm
            await trainer.presses("Non, corriger")
    await trainer.says("jeudi 26 novembre à 14 h")
    await trainer.presses("Oui, c'est ça")
    assert "Combien de temps" in trainer.last


async def test_a_trainee_typed_as_a_partner_on_site_is_told_no_agreement(trainer: Person) -> None:
    """Explorer Y, Y6: the remote Normandie bilan's agreement was said for every bilan."""
    await trainer.says("/bilan")
    for _step, kind, value in [
        ("formation", "press", "Agent de restauration"),
        ("which", "press", "Programmer le bilan de fin"),
        ("remote", "press", "Sur place"),
        ("when", "say", "jeudi 26 novembre à 14 h"),
        ("when", "press", "Oui, c'est ça"),
        ("duration", "press", "2 heures"),
        ("location", "say", "Salle 2, Caen"),
        ("participants", "press", "Terminé"),
        ("partners", "press", "Ajouter un partenaire"),
    ]:
        await answer(trainer, kind, value)
    await trainer.says("Karim Benali")
    assert trainer.last.startswith("Karim Benali suit cette formation comme stagiaire")
    assert "accord" not in trainer.last
    await trainer.says("BENALI Karim")  # surname first, as lists write it (explorer Y, Y6)
    assert trainer.last.startswith("Karim Benali suit cette formation comme stagiaire")


CONTACT = REMOTE.index(("partner_contact", "say", "k.haddad@example.org"))


async def test_without_matrix_a_partner_s_contact_is_an_e_mail_not_a_pseudo(
    db: Database, trainer: Person
) -> None:
    """Explorer GE8: « identifiant de messagerie (@pseudo) » was asked, stored, shown, and
    never used: a Telegram bot cannot write to a username."""
    await schedule(trainer, REMOTE[:CONTACT])
    assert trainer.last.startswith("Son adresse e-mail ? Ou « Passer ».")
    await trainer.says("@marclef")
    assert trainer.last.startswith("Je ne peux pas écrire à un pseudo")
    assert await step_of(db, trainer) == ("bilan_partner", "contact")
    await trainer.says("k.haddad@example.org")
    assert "· M. Karim Haddad (Mission locale de Caen) – k.haddad@example.org" in trainer.last
    assert "pseudo" not in trainer.last


async def test_on_matrix_a_partner_s_contact_is_a_whole_matrix_id(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer GE8: a bare « @pseudo » without its server reached nobody on Matrix."""
    on_matrix = replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )
    trainer = Person(build_engine(db, on_matrix, clock=clock), "formateur")
    await schedule(trainer, REMOTE[:CONTACT])
    assert "son identifiant Tchap ou Matrix" in trainer.last
    await trainer.says("@karim_haddad")
    assert "« @prenom.nom:serveur »" in trainer.last
    assert await step_of(db, trainer) == ("bilan_partner", "contact")
    await trainer.says("@karim.haddad:agent.tchap.gouv.fr")
    assert "– @karim.haddad:agent.tchap.gouv.fr" in trainer.last


async def test_on_matrix_a_partner_s_matrix_id_typed_with_capitals_is_kept_lower_case(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer JA12: « @Karim.Haddad:matrix.org », copied from a display name, was refused
    as not « entier, serveur compris »; Matrix user parts are lower-case, as e-mails are
    kept, so it is kept as Matrix writes it, and the list shows it so."""
    on_matrix = replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )
    trainer = Person(build_engine(db, on_matrix, clock=clock), "formateur")
    await schedule(trainer, REMOTE[:CONTACT])
    await trainer.says("@Karim.Haddad:Matrix.org")
    assert "· M. Karim Haddad (Mission locale de Caen) – @karim.haddad:matrix.org" in (trainer.last)


async def test_a_partner_s_name_with_its_structure_glued_is_asked_apart(
    db: Database, trainer: Person
) -> None:
    """Explorer Z, Z11: « Mission locale de Caen, Julie Vasseur » was kept as her name and
    printed on the invitation and the attestation."""
    first = REMOTE.index(("partner_name", "say", "M. Karim Haddad"))
    await schedule(trainer, REMOTE[:first])
    await trainer.says("Mission locale de Caen, Julie Vasseur")
    assert trainer.last.startswith("Écrivez seulement le nom de la personne")
    assert await step_of(db, trainer) == ("bilan_partner", "name")
    await trainer.says("Vasseur, Julie")  # a surname then a first name: a name
    assert await step_of(db, trainer) == ("bilan_partner", "structure")


async def test_a_structure_is_no_partner_s_name_and_pole_emploi_is_france_travail(
    db: Database, trainer: Person
) -> None:
    """Explorer AD14: « Pôle emploi » was taken as the partner's name, and « Pôle emploi
    Caen » printed as her structure on the invitation, years after it was renamed."""
    first = REMOTE.index(("partner_name", "say", "M. Karim Haddad"))
    await schedule(trainer, REMOTE[:first])
    await trainer.says("Pôle emploi")
    assert trainer.last.startswith(
        "« Pôle emploi » est le nom d'une structure : écrivez ici celui de la personne qui "
        "viendra, par exemple « M. Karim Haddad » ; sa structure est la question suivante."
    )
    assert await step_of(db, trainer) == ("bilan_partner", "name")
    await trainer.says("mme julie vasseur pole emploi caen")  # explorer DG9: one name of five
    assert trainer.last.startswith(
        "« Pole Emploi Caen » semble être sa structure : écrivez ici le nom de la personne "
        "seul, par exemple « Mme Julie Vasseur » ; sa structure est la question suivante."
    )
    await trainer.says("Mme Julie Vasseur")
    await trainer.says("pôle emploi Caen")
    assert (
        "« pôle emploi Caen » : cette structure s'appelle France Travail depuis le 1er janvier "
        "2024 ; j'écris « France Travail Caen »." in trainer.all_text
    )
    await trainer.says("j.vasseur@example.org")
    assert "Mme Julie Vasseur (France Travail Caen) – j.vasseur@example.org" in trainer.last


async def test_a_move_keeps_a_postponement_still_before_the_bilan_and_says_when_it_is_lost(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Explorer QC1: the trainer had postponed « Préparer le bilan avec le groupe »; moving
    the bilan (still after that day) dropped it without a word, compared the new date with
    the rule's instead of hers, and the next digest showed it « en retard »."""
    await schedule(trainer, bilan_on("jeudi 10 décembre à 14 h"))
    [bilan] = await bilans(db)
    assert (await deadlines_of(db, bilan))["NOR-PREP"].due_on == date(2026, 12, 3)
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Préparer le bilan avec le groupe")
    await trainer.presses("Reporter")
    await trainer.says("lundi 7 décembre")
    await trainer.presses("Oui, c'est ça")
    await trainer.says("le groupe est en stage")
    assert "reportée au lundi 7 décembre 2026" in trainer.all_text

    await move_bilan(trainer, "10/12/2026", "mercredi 9 décembre à 10 h")
    moved = said(trainer, "C'est déplacé")
    assert (
        "· Préparer le bilan avec le groupe : lundi 7 décembre 2026, votre report est gardé "
        "(la date prévue passe au mercredi 2 décembre 2026)"
    ) in moved
    prep = (await deadlines_of(db, bilan))["NOR-PREP"]
    assert (prep.status, prep.postponed_to, prep.due_on) == (
        "postponed",
        date(2026, 12, 7),
        date(2026, 12, 2),
    )
    assert prep.postpone_reason == "le groupe est en stage"
    from tests.test_deadlines_digest import deliver  # it imports this module

    booked = clock.now
    clock.now = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # Thursday 3 December, 8:00 in Paris
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, digest)] = (await deliver(db)).digests()
    late = digest.split("🔴 En retard")[1].split("\n\n")[0]
    assert "Préparer le bilan" not in late  # it was, from the 3rd, before (explorer QC1)
    [line] = [line for line in digest.splitlines() if "Préparer le bilan" in line]
    assert line.startswith("· lundi 7 décembre 2026 – Préparer le bilan avec le groupe")
    clock.now = booked

    await move_bilan(trainer, "09/12/2026", "lundi 7 décembre à 14 h")  # her day: too late
    moved = said(trainer, "C'est déplacé")
    assert (
        "· Préparer le bilan avec le groupe : lundi 30 novembre 2026 (au lieu du lundi "
        "7 décembre 2026, où vous l'aviez reportée : ce report est annulé, il ne tombe plus "
        "avant le bilan)"
    ) in moved
    prep = (await deadlines_of(db, bilan))["NOR-PREP"]
    assert (prep.status, prep.postponed_to, prep.due_on) == ("open", None, date(2026, 11, 30))


async def test_an_hour_moved_by_the_spring_change_is_explained_once(
    db: Database, trainer: Person
) -> None:
    """WB (after explorer UB4): « C'est programmé » listed « samedi 27 mars 2027 à 13 h 00 »
    for a Monday 14 h bilan, 48 elapsed hours across the spring change, with no word of it
    (the reminder and /echeances explain it): now marked, explained once."""
    async with db.sessions() as session:
        await session.execute(
            update(Formation)
            .where(Formation.funder == "normandie")
            .values(end_date=date(2027, 6, 30))
        )
        await session.commit()
    await schedule(trainer, bilan_on("lundi 29 mars 2027 à 14 h"))
    said = trainer.all_text
    assert "C'est programmé" in said
    assert (
        "Envoyer le bilan pédagogique : samedi 27 mars 2027 à 13 h 00* (un samedi : à faire "
        "plutôt le vendredi 26 mars 2027)"
    ) in said
    assert "\n* 13 h 00 et non 14 h 00 : le changement d'heure retire une heure.\n" in said
    assert said.count("changement d'heure") == 1


async def test_words_after_attestations_fitting_nothing_are_said_with_one_bilan_too(
    db: Database, trainer: Person
) -> None:
    """Explorer CB12: with one bilan, « /attestations zorro » opened it, the words unread and
    unsaid, where « /bilans zorro » says they fit nothing."""
    await add_bilan(db)
    await trainer.says("/attestations zorro")
    assert trainer.all_text.startswith(
        "Aucune formation ne correspond à « zorro », ni aucun stagiaire : choisissez dans la liste."
    ), trainer.all_text
    await trainer.says("/annuler")
    for typed in ("/attestations", "/attestations restauration"):  # it alone, or named: opened
        await trainer.says(typed)
        assert "Aucune formation ne correspond" not in trainer.all_text, typed
        assert "Agent de restauration" in trainer.all_text.split("\n")[0], trainer.all_text
        await trainer.says("/annuler")


async def test_the_words_after_bilans_and_attestations_narrow_the_bilans(
    db: Database, trainer: Person
) -> None:
    """Explorer BF5: forty formations, « /bilans restauration » and « /attestations
    restauration » showed page 1 of thirty bilans, none of restauration on it: the words
    were dropped without a word (KB7, fixed for /formations, /exporter, /absences and
    /echeances only)."""
    for title in ("Cariste", "Commis de cuisine", "Maçon"):
        await add_formation(db, title=title)
        await add_bilan(db, formation_title=title)
    await add_bilan(db, start=datetime(2026, 12, 10, 13, 0, tzinfo=UTC))  # two in the demo's
    await add_bilan(db, start=datetime(2026, 12, 17, 13, 0, tzinfo=UTC))
    for command in ("/bilans", "/attestations"):
        await trainer.says(f"{command} cariste")  # one bilan: opened
        assert trainer.last.startswith("Bilan d'étape – Cariste"), trainer.last
        await trainer.says("/annuler")
        await trainer.says(f"{command} restauration")  # two: those alone
        assert "2 choix sur 5 correspondent à « restauration »" in trainer.all_text
        assert [b for b in trainer.buttons if "Agent de restauration" in b] == [
            b for b in trainer.buttons if b != "Toute la liste"
        ]
        await trainer.says("/annuler")
        await trainer.says(f"{command} zorglub")
        assert trainer.all_text.startswith(
            "Aucune formation ne correspond à « zorglub », ni aucun stagiaire : choisissez "
            "dans la liste."
        )
        await trainer.says("/annuler")


async def test_a_day_after_bilans_and_attestations_picks_that_days_bilans(
    db: Database, trainer: Person
) -> None:
    """Explorer DC12: « /attestations 26/11 » said « Aucune formation ne correspond à
    « 26/11 » »: a day typed is the bilans' day, as « /absences 22/11 » is the absences'."""
    await add_bilan(db)
    await add_bilan(db, start=datetime(2026, 12, 10, 13, 0, tzinfo=UTC))
    await add_bilan(db, start=datetime(2026, 12, 10, 15, 0, tzinfo=UTC))
    for command in ("/bilans", "/attestations"):
        await trainer.says(f"{command} 3/12")  # one that day: opened
        assert "Aucune formation ne correspond" not in trainer.all_text, trainer.all_text
        assert "3 décembre 2026" in trainer.all_text.split("\n\n")[0], trainer.all_text
        assert "Quel bilan" not in trainer.all_text, trainer.all_text
        await trainer.says("/annuler")
        await trainer.says(f"{command} 10/12")  # two that day: those alone
        assert "2 choix sur 3 correspondent à « 10/12 »" in trainer.all_text, trainer.all_text
        assert [b for b in trainer.buttons if "10/12" in b] == [
            b for b in trainer.buttons if b != "Toute la liste"
        ], trainer.buttons
        await trainer.says("/annuler")
        await trainer.says(f"{command} 11/12")
        assert trainer.all_text.startswith(
            "Aucun bilan le vendredi 11 décembre 2026 : choisissez dans la liste."
        ), trainer.all_text
        await trainer.says("/annuler")


async def test_a_day_and_a_formations_words_after_bilans_and_attestations(
    db: Database, trainer: Person
) -> None:
    """Fixer FB: « /attestations 26/11 restauration » was read as a title alone, « Aucune
    formation ne correspond à « 26/11 restauration » »: the day and the formation are read
    together, as « /absences 19/11 Projet » is (explorer SA8)."""
    await add_formation(db, title="Cariste")
    await add_bilan(db, formation_title="Cariste", start=BILAN_START)  # the demo's day too
    await add_bilan(db)  # restauration's next one, 3/12
    for command, words in (("/attestations", "26/11 restauration"), ("/bilans", "cariste 26/11")):
        await trainer.says(f"{command} {words}")  # that formation's bilan of that day: opened
        assert "Aucune formation ne correspond" not in trainer.all_text, trainer.all_text
        head = trainer.all_text.split("\n\n")[0]
        title = "Cariste" if "cariste" in words else "Agent de restauration"
        assert title in head and "26 novembre 2026" in head, trainer.all_text
        assert "Quel bilan" not in trainer.all_text, trainer.all_text
        await trainer.says("/annuler")
    await trainer.says("/attestations 27/11 restauration")
    assert trainer.all_text.startswith(
        "Aucun bilan d'« Agent de restauration (démo) » le vendredi 27 novembre 2026 : "
        "choisissez dans la liste."
    ), trainer.all_text


async def test_a_bilan_cancelled_by_someone_else_meanwhile_says_who(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer KC7: two administrators cancelling one bilan at once (two processes), the
    second's « Oui, annuler le bilan » read « Je ne trouve pas ce bilan parmi les vôtres (il
    a peut-être été annulé) »: not who cancelled it, nor that she has the cancellation to
    pass on."""
    await schedule(trainer)
    await second_admin(db)
    bruno = person("bruno")
    for who in (trainer, bruno):
        await who.says("/bilans")
        await who.presses("26/11/2026")
        await who.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    assert trainer.all_text.startswith("C'est annulé")
    await bruno.presses("Oui, annuler le bilan")
    assert bruno.all_text == (
        "Ce bilan a été annulé entre-temps par Camille Durand, le lundi 23 novembre 2026 à "
        "10 h 00 : rien d'autre n'est changé. L'annulation (.ics) et les messages pour les "
        "participants ont été remis à Camille Durand."
    ), bruno.all_text
