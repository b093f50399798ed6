"""Logging an absence by chat (/absence), the one-line form, the checks, and corrections
(/absences), with what is stored and audited."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from bot.app import setup_logging
from bot.storage import people
from bot.storage.absences import Absence, FollowUp, StoredDocument
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.absences import (
    absences,
    add_formation,
    audit_entries,
    note_unjustified,
    record_exit,
    rows,
    trainee_id,
    writing_this_morning_s_compte_rendu,
)
from tests.auxil.dialogue import Clock, Person
from tests.auxil.formations import TRADES, a_crowd
from tests.auxil.hostile import (
    A_FILE,
    FOR_CHOICES,
    FOR_NAMES,
    FOR_TEXT,
    Bad,
    step_of,
    survives,
)
from tests.auxil.race import second_admin

PDF = b"%PDF-1.4 arret de travail"


async def answer(who: Person, kind: str, value: str) -> None:
    if kind == "say":
        await who.says(value)
    elif kind == "press":
        await who.presses(value)
    else:
        await who.sends_file("arret.pdf", "application/pdf", PDF)


# /absence step by step: (step, kind of answer, answer, bad inputs that step must survive)
STEP_BY_STEP = [
    ("formation", "press", "Agent de restauration", FOR_CHOICES),
    ("trainee", "say", "karim", FOR_CHOICES),
    ("date", "say", "hier", FOR_NAMES),
    ("date", "press", "Oui", FOR_CHOICES),
    ("weekend", "press", "Oui, l'enregistrer", FOR_CHOICES),
    ("period", "press", "Le matin", FOR_CHOICES),
    ("justified", "press", "Oui", FOR_CHOICES),
    ("reason", "say", "arrêt maladie", FOR_NAMES),
    ("proof", "file", "", tuple(b for b in FOR_CHOICES if b is not A_FILE)),
    ("recap", "press", "Enregistrer", FOR_CHOICES),
]


async def test_an_absence_step_by_step_with_its_proof(db: Database, trainer: Person) -> None:
    await trainer.says("/absence")
    assert "Dans quelle formation" in trainer.last
    for step, kind, value, _bads in STEP_BY_STEP:
        assert (await step_of(db, trainer))[1] == step
        await answer(trainer, kind, value)
        if value == "hier":
            assert "dimanche 22 novembre 2026" in trainer.last
    assert "C'est noté : Karim Benali, matin du dimanche 22 novembre 2026" in trainer.all_text
    saved = await absences(db)
    assert len(saved) == 1
    a = saved[0]
    assert a.trainee_id == await trainee_id(db, "Karim Benali")
    assert (a.day, a.period, a.justified, a.reason) == (
        date(2026, 11, 22),
        "matin",
        True,
        "arrêt maladie",
    )
    assert a.recorded_at is not None and a.recorded_by is not None
    proof = (await rows(db, StoredDocument, id=a.proof_id))[0]
    assert (proof.kind, proof.filename, proof.mime_type) == (
        "justificatif",
        "arret.pdf",
        "application/pdf",
    )
    assert proof.content == PDF and proof.sha256 == hashlib.sha256(PDF).hexdigest()
    assert proof.size == len(PDF) and proof.followup_id is None
    entry = (await audit_entries(db, "absence"))[-1]
    assert (entry.action, entry.entity_id) == ("create", a.id)
    assert "maladie" not in str(entry.details) and "Karim" not in str(entry.details)
    assert await step_of(db, trainer) == (None, None)


async def test_a_day_corrected_after_a_no_is_taken_as_the_new_day(
    db: Database, trainer: Person
) -> None:
    """Explorer U U1: « non en fait jeudi » at « J'ai compris : … C'est bien ça ? »."""
    await trainer.says("/absence karim")
    await trainer.says("hier")
    assert "dimanche 22 novembre 2026" in trainer.last
    await trainer.says("non en fait jeudi")
    assert trainer.last.startswith("J'ai compris : jeudi 19 novembre 2026. C'est bien ça ?")
    await trainer.says("bof")  # one day asked: « une autre date » (explorer AD26)
    assert "ou donnez directement une autre date." in trainer.last
    await trainer.presses("Oui, c'est ça")
    assert "Quand, ce jeudi 19 novembre 2026 ?" in trainer.last


async def test_a_day_of_the_month_in_words_is_a_date_not_a_choice_number(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer GA1: « le premier » typed to correct the day was « Oui, c'est ça » (choice 1)
    at the date's confirmation and « Le matin » at « Quand ? », the absence kept silently on
    the wrong day, and « Oui, noter » at a sentence's recap; « le deux » was « Non »."""
    clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # a Thursday
    await trainer.says("/absence karim")
    await trainer.says("hier")
    await trainer.says("le deux")  # no date the reader knows, no « Non » either: asked again
    assert trainer.last.startswith("Répondez « Oui » ou « Non », ou donnez directement")
    await trainer.says("le premier")
    assert trainer.last.startswith("J'ai compris : mardi 1er décembre 2026. C'est bien ça ?")
    await trainer.says("non, hier")
    await trainer.says("un")  # a number word alone stays the choice shown
    assert "Quand, ce mercredi 2 décembre 2026 ?" in trainer.last
    await trainer.says("le premier")
    assert trainer.last.startswith("J'ai compris : mardi 1er décembre 2026. C'est bien ça ?")
    await trainer.says("/annuler")
    await trainer.says("Karim absent hier")
    assert "Noter l'absence de Karim Benali" in trainer.last
    await trainer.says("le premier")
    assert not await absences(db)


async def test_another_day_typed_at_the_half_day_question_is_that_day_to_confirm(
    db: Database, trainer: Person
) -> None:
    """Explorer U U12: « non en fait mercredi aprem » at « Quand, ce … ? » was « Je n'ai pas
    reconnu ce choix », with no way to change the day."""
    await trainer.says("/absence karim")
    await trainer.says("vendredi")
    await trainer.presses("Oui, c'est ça")
    assert "Quand, ce vendredi 20 novembre 2026 ?" in trainer.last
    await trainer.says("non en fait mercredi aprem")
    assert trainer.last.startswith(
        "J'ai compris : mercredi 18 novembre 2026, l'après-midi. C'est bien ça ?"
    )
    await trainer.presses("Oui, c'est ça")
    assert "justifiée" in trainer.last
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    [saved] = await absences(db)
    assert (saved.day, saved.period) == (date(2026, 11, 18), "apres_midi")


async def test_a_half_day_in_other_words_at_the_half_day_question_is_that_half_day(
    db: Database, trainer: Person
) -> None:
    """Explorer Y, Y5: « non c'était le matin » was « Je n'ai pas compris cette date »."""
    await trainer.says("/absence karim")
    await trainer.says("vendredi")
    await trainer.presses("Oui, c'est ça")
    await trainer.says("non c'était le matin")
    assert trainer.last.startswith("Cette absence est-elle justifiée ?")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    await trainer.says("/absence julie")
    await trainer.says("vendredi")
    await trainer.presses("Oui, c'est ça")
    await trainer.says("plutôt en retard de 10 min")
    assert trainer.last.startswith("Ce retard est-il justifié ?")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert [(a.day, a.period, a.late_minutes) for a in await absences(db)] == [
        (date(2026, 11, 20), "matin", None),
        (date(2026, 11, 20), "retard", 10),
    ]


async def test_a_day_to_come_typed_at_the_half_day_question_is_refused_and_the_day_kept(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/absence karim")
    await trainer.says("vendredi")
    await trainer.presses("Oui, c'est ça")
    await trainer.says("non en fait demain")
    assert "Quand, ce vendredi 20 novembre 2026 ?" in trainer.last
    assert "mardi 24 novembre 2026" in trainer.last  # why: a day still to come
    await trainer.presses("Le matin")
    assert "justifiée" in trainer.last


async def test_every_step_of_absence_survives_bad_input(db: Database, trainer: Person) -> None:
    await trainer.says("/absence")
    for step, kind, value, bads in STEP_BY_STEP:
        await survives(db, trainer, bads)
        assert await absences(db) == [], f"something saved at {step}"
        await answer(trainer, kind, value)
    assert len(await absences(db)) == 1


async def test_no_at_the_recap_corrects_one_answer_and_keeps_the_others(
    db: Database, trainer: Person
) -> None:
    """Explorer D (F28): « Tout est juste ? » → « non » threw the whole absence away."""
    await trainer.says("/absence julie vendredi matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    assert "Tout est juste ?" in trainer.last
    await trainer.says("non")
    assert trainer.last.startswith("Que voulez-vous corriger ?")
    assert "Le justificatif" not in trainer.buttons  # an unjustified absence has none
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Le jour")
    await trainer.says("jeudi")
    await trainer.presses("Oui")
    assert "jeudi 19 novembre 2026, matin" in trainer.last and "Non justifiée" in trainer.last
    await trainer.presses("Corriger")
    await trainer.presses("Justifiée ou non")
    await trainer.presses("Oui")
    await trainer.says("rdv France Travail")
    await trainer.sends_file("convocation.pdf", "application/pdf", PDF)
    assert "Justifiée : rdv France Travail" in trainer.last
    assert "Justificatif : convocation.pdf" in trainer.last
    await trainer.presses("Corriger")
    await trainer.presses("La demi-journée")
    await trainer.presses("Toute la journée")
    await trainer.presses("Corriger")
    await trainer.presses("Le motif")
    await trainer.says("convocation France Travail")
    recap = trainer.last
    assert "jeudi 19 novembre 2026, journée" in recap
    assert "Justifiée : convocation France Travail" in recap
    assert "Justificatif : convocation.pdf" in recap  # kept through the other corrections
    assert await absences(db) == []
    await trainer.presses("Enregistrer")
    a = (await absences(db))[-1]
    assert (a.day, a.period, a.justified, a.reason) == (
        date(2026, 11, 19),
        "journee",
        True,
        "convocation France Travail",
    )
    assert a.proof_id is not None
    await trainer.says("/absence julie vendredi matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Abandonner")
    assert "je n'enregistre rien" in trainer.last
    assert len(await absences(db)) == 1


async def test_a_number_typed_where_a_proof_is_asked_is_told_what_is_expected(
    db: Database, trainer: Person
) -> None:
    """Explorer GD2: « 0 » at « Avez-vous un justificatif ? » was « tapez un numéro entre 1
    et 1 », not that a file (or « Pas de justificatif ») is what the question wants."""
    await trainer.says("Karim absent vendredi matin, justifié, rdv France Travail")
    await trainer.presses("Oui")
    for typed in ("0", "-1", "2"):
        await trainer.says(typed)
        assert trainer.all_text.startswith(
            "J'attends un fichier ou une photo ici (ou choisissez la réponse proposée si vous"
            " n'en avez pas)."
        ), typed
        assert await step_of(db, trainer) == ("absence", "proof")
    await trainer.says("1")  # the number shown: « Pas de justificatif »
    assert "Justifiée : rdv France Travail" in trainer.last


async def test_the_motive_after_the_day_in_the_command_is_kept(
    db: Database, trainer: Person
) -> None:
    """Explorer UA9: « /absence Karim vendredi matin pour maladie » dropped the motive and
    asked « Un motif connu ? », while the same words as a sentence keep it: one reader."""
    await trainer.says("/absence Karim vendredi matin pour maladie")
    for button in ("Oui", "Non"):
        await trainer.presses(button)
    assert "Un motif connu" not in trainer.all_text
    assert "Non justifiée : pour maladie" in trainer.last
    await trainer.presses("Enregistrer")
    assert [(a.day, a.period, a.reason) for a in await absences(db)] == [
        (date(2026, 11, 20), "matin", "pour maladie")
    ]


async def test_the_reason_written_in_the_line_is_kept_not_asked(
    db: Database, trainer: Person
) -> None:
    """Explorer D (F21): « justifié, rdv France Travail » lost its reason and asked for one."""
    await trainer.says("Karim absent vendredi matin, justifié, rdv France Travail")
    await trainer.presses("Oui")  # « Noter l'absence de Karim Benali … ? »
    assert "Quel motif" not in trainer.all_text
    await trainer.presses("Pas de justificatif")
    assert "Justifiée : rdv France Travail" in trainer.last
    await trainer.presses("Enregistrer")
    await trainer.says("/absence Julie du 16 au 17 novembre justifiée (arrêt maladie)")
    assert "Motif : arrêt maladie" in trainer.last
    await trainer.presses("Enregistrer")
    assert {(a.day.day, a.justified, a.reason) for a in await absences(db)} == {
        (20, True, "rdv France Travail"),
        (16, True, "arrêt maladie"),
        (17, True, "arrêt maladie"),
    }


async def test_a_motive_naming_pole_emploi_is_kept_as_typed_on_screen_and_in_exports(
    db: Database, trainer: Person
) -> None:
    """Explorer KC8, decided: a motive is the trainer's sentence, confirmed as typed before
    « Enregistrer »; the export says what was confirmed (a structure, which the bot prints as
    the partner's organisation, is written « France Travail »: explorer AD14)."""
    from bot.absences.exports import absence_rows

    await trainer.says("Karim absent vendredi matin, justifié, convocation Pôle emploi")
    await trainer.presses("Oui")
    await trainer.presses("Pas de justificatif")
    assert "Justifiée : convocation Pôle emploi" in trainer.last
    await trainer.presses("Enregistrer")
    async with db.sessions() as session:
        (row,) = await absence_rows(session)
    assert row["motif"] == "convocation Pôle emploi"


async def test_a_late_arrival_and_a_half_day_absence_the_same_day_are_questioned(
    db: Database, trainer: Person
) -> None:
    """Explorer D (F29): late and absent the same morning were both saved without a word;
    on two half-days they are both true, so the bot asks rather than refuses."""
    await note_unjustified(trainer, "/absence nadia retard de 10 min vendredi")
    await trainer.says("/absence nadia vendredi matin")
    await trainer.presses("Oui")
    assert (
        "Pour Nadia Roux, le vendredi 20 novembre 2026, un retard est déjà noté (retard de "
        "10 min, noté par Camille Durand"
    ) in trainer.last
    assert "deux demi-journées différentes" in trainer.last
    await trainer.presses("Abandonner")
    assert len(await absences(db)) == 1
    await trainer.says("/absence nadia vendredi après-midi")
    await trainer.presses("Oui")
    await trainer.presses("Enregistrer quand même")  # late in the morning, away after lunch
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert sorted(a.period for a in await absences(db)) == ["apres_midi", "retard"]
    await trainer.says("/absence julie vendredi matin")  # the other way round
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    await trainer.says("/absence julie retard de 5 min vendredi")
    await trainer.presses("Oui")
    assert "une absence est déjà notée (matin, noté par" in trainer.last


@pytest.mark.parametrize(
    "typed",
    [
        "non",
        "Non.",
        "je sais pas",
        "pas de motif",
        "sans motif",
        "aucun",
        "inconnu",
        "aucune idée",
        "non, aucun",
        "motif inconnu",
        "j'en sais rien",
    ],
)
async def test_no_known_motive_in_words_is_no_motive(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer QB10: « Un motif connu ? » answered « non », « je sais pas », « pas de
    motif »… was saved as the motive, then shown in the exports and the Qualiopi bundle."""
    await trainer.says("/absence julie vendredi matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    assert trainer.last.startswith("Un motif connu ?")
    await trainer.says(typed)
    assert "Récapitulatif" in trainer.last
    assert "Non justifiée\n" in trainer.last  # no « Non justifiée : non »
    await trainer.presses("Enregistrer")
    [saved] = await absences(db)
    assert (saved.justified, saved.reason) == (False, None)


@pytest.mark.parametrize(
    ("justified", "asked", "typed", "recap"),
    [
        ("Non", "Un motif connu ? (en quelques mots, ou « Passer »)", "Oui", "Non justifiée : "),
        ("Non", "Un motif connu ? (en quelques mots, ou « Passer »)", "ouais", "Non justifiée : "),
        (
            "Non",
            "Un motif connu ? (en quelques mots, ou « Passer »)",
            "oui oui",
            "Non justifiée : ",
        ),
        ("Oui", "Quel motif ? (en quelques mots", "Oui", "Justifiée : "),
    ],
)
async def test_a_bare_yes_to_the_motive_asks_which(
    db: Database, trainer: Person, justified: str, asked: str, typed: str, recap: str
) -> None:
    """Explorer CD1: « Un motif connu ? » reads as a yes-or-no question; « Oui » was saved as
    the motive, the recap said « Non justifiée : Oui », and so did the exports (« Quel
    motif ? » of a justified absence likewise).  Now the motive itself is asked for."""
    await trainer.says("/absence julie vendredi matin")
    await trainer.presses("Oui")
    await trainer.presses(justified)
    assert trainer.last.startswith(asked)
    await trainer.says(typed)
    assert trainer.last.startswith(f"« {typed} » ne dit pas lequel : écrivez le motif en"), (
        trainer.last
    )
    assert trainer.last.splitlines()[-1].startswith(asked)
    await trainer.says("bus en panne")
    if justified == "Oui":
        await trainer.presses("Pas de justificatif")
    assert f"{recap}bus en panne" in trainer.last
    await trainer.presses("Enregistrer")
    [saved] = await absences(db)
    assert saved.reason == "bus en panne"


@pytest.mark.parametrize(
    ("justified", "typed", "recap"),
    [
        ("Non", "oui, rdv France Travail", "Non justifiée : rdv France Travail"),
        ("Non", "Ouais bus en panne", "Non justifiée : bus en panne"),
        ("Oui", "Oui : rdv France Travail", "Justifiée : rdv France Travail"),
    ],
)
async def test_a_yes_before_the_motive_is_left_out_of_it(
    db: Database, trainer: Person, justified: str, typed: str, recap: str
) -> None:
    """Explorer DC2, CD1's neighbour: « oui, rdv France Travail » at « Un motif connu ? » was
    saved as the motive « oui, rdv France Travail », in the recap, the exports and the
    Qualiopi bundle; the yes answers the question, the motive is what follows."""
    await trainer.says("/absence julie vendredi matin")
    await trainer.presses("Oui")
    await trainer.presses(justified)
    await trainer.says(typed)
    if justified == "Oui":
        await trainer.presses("Pas de justificatif")
    assert recap in trainer.last.splitlines(), trainer.last
    await trainer.presses("Enregistrer")
    [saved] = await absences(db)
    assert saved.reason == recap.split(" : ")[1]


@pytest.mark.parametrize("typed", ["oui mais je ne sais plus lequel", "oui exactement"])
async def test_a_yes_with_no_motive_after_it_asks_which(trainer: Person, typed: str) -> None:
    """Explorer DC2: what follows a yes is the motive only when it says one."""
    await trainer.says("/absence julie vendredi matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.says(typed)
    assert trainer.last.startswith(f"« {typed} » ne dit pas lequel : écrivez le motif"), (
        trainer.last
    )


async def test_a_motive_saying_no_in_passing_is_a_motive(db: Database, trainer: Person) -> None:
    """Explorer QB10: only an answer that is wholly « no motive » is none; « non prévenu »
    or « pas de bus » is what the trainer knows."""
    await trainer.says("/absence julie vendredi matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.says("pas de bus")
    assert "Non justifiée : pas de bus" in trainer.last
    await trainer.presses("Enregistrer")
    [saved] = await absences(db)
    assert saved.reason == "pas de bus"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "/absence Julie absente du 16 au 18 novembre",
            "du lundi 16 novembre au mercredi 18 novembre 2026 (3 jours), pour :\n· Julie Petit",
        ),
        (
            "/absence Karim absent de jeudi à lundi",
            "du jeudi 19 novembre au lundi 23 novembre 2026 (3 jours), pour :\n· Karim Benali",
        ),
    ],
)
async def test_a_span_after_absent_in_the_command_is_its_days(
    db: Database, trainer: Person, typed: str, said: str
) -> None:
    """Explorer CD3: « /absence Julie absente du 16 au 18 novembre » asked « Quel jour a eu
    lieu l'absence … ? », the days typed dropped unsaid, where the same words without the
    command, or without « absente », gave the recap of the three days."""
    await trainer.says(typed)
    assert f"Noter une absence non justifiée {said}" in trainer.last, trainer.last
    await trainer.presses("Enregistrer")
    assert "chacun de ces jours" in trainer.all_text, trainer.last
    assert len(await absences(db)) == 3


async def test_the_one_line_form_asks_only_what_is_missing(db: Database, trainer: Person) -> None:
    await trainer.says("/absence Benali hier matin")
    assert "J'ai compris : dimanche 22 novembre 2026, le matin. C'est bien ça ?" in trainer.last
    await trainer.presses("Oui")
    assert "Le 22 novembre est un dimanche : je l'enregistre quand même ?" in trainer.last
    await trainer.presses("Oui, l'enregistrer")
    assert "justifiée" in trainer.last
    await trainer.presses("Non")
    await trainer.presses("Passer")
    assert "Récapitulatif" in trainer.last and "matin" in trainer.last
    assert "Non justifiée" in trainer.last  # « une absence »
    await trainer.presses("Enregistrer")
    a = (await absences(db))[-1]
    assert (a.day, a.period, a.justified, a.reason) == (date(2026, 11, 22), "matin", False, None)

    await trainer.says("/absence Julie retard de 20 min ce matin justifié")
    assert "lundi 23 novembre 2026" in trainer.last
    await trainer.presses("Oui")
    assert "Quel motif" in trainer.last
    await trainer.says("Passer")  # no such button here: not a motive (it was stored as one)
    assert trainer.last.startswith("Un retard justifié a un motif")
    await trainer.says("non")  # explorer E: « non » was stored as the motive
    assert trainer.last.startswith("Un retard justifié a un motif")
    assert "il sera noté non justifié" in trainer.last
    await trainer.says("bus en panne")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    a = (await absences(db))[-1]
    assert a.trainee_id == await trainee_id(db, "Julie Petit")
    assert (a.day, a.period, a.late_minutes, a.justified, a.reason) == (
        date(2026, 11, 23),
        "retard",
        20,
        True,
        "bus en panne",
    )


async def test_a_medical_detail_said_with_the_absence_is_pointed_out_too(
    db: Database, trainer: Person
) -> None:
    """Explorer UA10: a motive taken from the sentence (« … pour sa chimiothérapie ») or from
    « oui justifiée, séance de chimiothérapie » was saved without the warning the motive
    question gives: one health reading wherever it comes from, said once at the recap, where
    « Corriger » changes it and « Enregistrer » keeps it.  (« oui justifiée, séance de
    chimiothérapie » no longer reads as a motive since UA1: the motive is asked, warned.)"""
    warning = "Ce motif donne un détail médical (une maladie, un traitement)"
    await trainer.says("Karim absent vendredi matin pour sa chimiothérapie")
    await trainer.presses("Oui, noter")
    await trainer.presses("Non")
    assert warning in trainer.last and trainer.last.endswith("Tout est juste ?")
    await trainer.presses("Corriger")
    await trainer.presses("Le motif")
    await trainer.says("raison de santé")
    assert warning not in trainer.last
    await trainer.presses("Enregistrer")
    await trainer.says("Julie absente vendredi matin")
    await trainer.says("oui justifiée, pour sa séance de chimiothérapie")
    await trainer.presses("Pas de justificatif")
    assert warning in trainer.last
    await trainer.presses("Enregistrer")  # the trainer's choice, once told
    assert [a.reason for a in await absences(db)] == [
        "raison de santé",
        "pour sa séance de chimiothérapie",
    ]
    await trainer.says("Léa absente vendredi matin pour maladie")  # no detail: nothing said
    await trainer.presses("Oui, noter")
    await trainer.presses("Non")
    assert warning not in trainer.last


async def test_a_medical_detail_in_the_motive_is_pointed_out_once(
    db: Database, trainer: Person
) -> None:
    """Explorer Z, Z5: « arrêt maladie, gastro » was kept and exported though the question
    says « sans détail médical »; sent again unchanged, it is the trainer's choice."""
    await trainer.says("/absence Julie ce matin justifiée")
    await trainer.presses("Oui")
    await trainer.says("arrêt maladie, gastro")
    assert trainer.last.startswith("Votre réponse donne un détail médical")
    assert "Quel motif" in trainer.last
    assert await step_of(db, trainer) == ("absence", "reason")
    await trainer.says("arrêt maladie")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert [a.reason for a in await absences(db)] == ["arrêt maladie"]

    await trainer.says("/absence Karim ce matin justifiée")
    await trainer.presses("Oui")
    await trainer.says("opéré du genou")
    await trainer.says("opéré du genou")  # kept, as sent again
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert [a.reason for a in await absences(db)] == ["arrêt maladie", "opéré du genou"]


@pytest.mark.parametrize(
    ("typed", "motive"),
    [
        ("mettez raison personnelle", "raison personnelle"),
        ("noter un empêchement", "un empêchement"),
        ("écrivez plutôt rendez-vous personnel", "rendez-vous personnel"),
        ("garde d'enfant", "garde d'enfant"),
        ("mettez raison personnelle svp", "raison personnelle"),
        ("raison personnelle svp", "raison personnelle"),
        ("raison personnelle, merci", "raison personnelle"),
        ("raison personnelle please", "raison personnelle"),
        ("ok, raison personnelle stp", "raison personnelle"),
        ("mettez raison personnelle s'il vous plaît", "raison personnelle"),
        ("mettez raison personnelle merci beaucoup", "raison personnelle"),
        ("svp raison personnelle", "raison personnelle"),
        ("non, raison personnelle", "raison personnelle"),  # fixer KD2's leftover
        ("non-venue du bus", "non-venue du bus"),
    ],
)
async def test_an_instruction_after_the_medical_warning_saves_the_words_it_gives(
    db: Database, trainer: Person, typed: str, motive: str
) -> None:
    """Explorer BB13: after « Votre réponse donne un détail médical … », « mettez raison
    personnelle » was saved whole as the motive, where the participant's reason for the Région
    keeps the words given (XA15, AM1); a motive that merely starts like a verb stays whole."""
    await trainer.says("/absence Julie ce matin justifiée")
    await trainer.presses("Oui")
    await trainer.says("arrêt maladie, gastro")
    assert trainer.last.startswith("Votre réponse donne un détail médical")
    await trainer.says(typed)
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert [a.reason for a in await absences(db)] == [motive]


async def test_another_absence_s_command_at_a_recap_sets_the_first_aside(
    db: Database, trainer: Person
) -> None:
    """Explorer AM4: « /absence julie lundi » at Karim's recap dropped Karim's absence, fully
    answered, with « Je reprends … depuis le début »; the sentence set it aside."""
    await trainer.says("/absence Julie ce matin justifiée")
    await trainer.presses("Oui")
    await trainer.says("arrêt maladie")
    await trainer.presses("Pas de justificatif")
    assert "Tout est juste" in trainer.last
    await trainer.says("/absence Karim ce matin")
    assert "Je mets de côté « noter une absence" in trainer.all_text
    assert "depuis le début" not in trainer.all_text
    await trainer.says("/reprendre")
    assert "Tout est juste" in trainer.last and "Julie" in trainer.last
    await trainer.presses("Enregistrer")
    assert [a.reason for a in await absences(db)] == ["arrêt maladie"]


async def test_the_bare_command_at_the_first_question_starts_over(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/absence")
    await trainer.says("/absence")
    assert "Je reprends « noter une absence" in trainer.all_text
    assert "Je mets de côté" not in trainer.all_text


async def test_oui_to_the_medical_warning_keeps_the_motive_not_the_word(
    db: Database, trainer: Person
) -> None:
    """Explorer AK7: « oui » (keep it) after the warning was saved as the motive itself."""
    await trainer.says("/absence Julie ce matin justifiée")
    await trainer.presses("Oui")
    await trainer.says("arrêt maladie, gastro")
    assert trainer.last.startswith("Votre réponse donne un détail médical")
    await trainer.says("oui")
    await trainer.presses("Pas de justificatif")
    assert "arrêt maladie, gastro" in trainer.last
    await trainer.presses("Enregistrer")
    assert [a.reason for a in await absences(db)] == ["arrêt maladie, gastro"]


@pytest.mark.parametrize("stray", ["bof", "hmm ?", "🤔"])
async def test_a_stray_word_at_the_confirmation_keeps_the_half_day(
    db: Database, trainer: Person, stray: str
) -> None:
    """Explorer AC10: « bof » at « …, le matin. C'est bien ça ? » asked again without « le
    matin », and « oui » then asked the half-day already given."""
    await trainer.says("/absence karim")
    await trainer.says("vendredi matin")
    await trainer.says(stray)
    assert "J'ai compris : vendredi 20 novembre 2026, le matin. C'est bien ça ?" in trainer.last
    await trainer.says("oui")
    assert "justifiée" in trainer.last and "Quand, ce" not in trainer.all_text


async def test_a_half_day_typed_with_the_date_is_shown_back_and_not_asked_again(
    db: Database, trainer: Person
) -> None:
    """« hier matin » at the date question used to be shown back as the day alone, and the
    half-day was asked again (« Quand, ce … ? »)."""
    await trainer.says("/absence karim")
    await trainer.says("vendredi matin")
    assert "J'ai compris : vendredi 20 novembre 2026, le matin. C'est bien ça ?" in trainer.last
    await trainer.presses("Oui")
    assert "justifiée" in trainer.last and "Quand, ce" not in trainer.all_text
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    a = (await absences(db))[-1]
    assert (a.day, a.period, a.late_minutes) == (date(2026, 11, 20), "matin", None)

    await trainer.says("/absence julie")
    await trainer.says("jeudi dernier, retard de 20 minutes")
    assert "jeudi 19 novembre 2026, un retard de 20 min. C'est bien ça ?" in trainer.last
    await trainer.presses("Oui")
    assert "Ce retard est-il justifié" in trainer.last
    await trainer.presses("Oui")
    await trainer.says("bus en panne")
    await trainer.presses("Pas de justificatif")
    assert "Justifié : bus en panne" in trainer.last  # « un retard », not « justifiée »
    await trainer.presses("Enregistrer")
    a = (await absences(db))[-1]
    assert (a.day, a.period, a.late_minutes) == (date(2026, 11, 19), "retard", 20)


async def test_an_impossible_day_typed_instead_of_confirming_is_said(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/absence léa")
    await trainer.says("vendredi")
    await trainer.says("31 fevrier")
    assert "Le 31 février n'existe pas. Donnez une autre date" in trainer.all_text
    assert "J'ai compris : vendredi 20 novembre 2026. C'est bien ça ?" in trainer.last
    await trainer.presses("Oui")
    assert "Quand, ce vendredi 20 novembre 2026" in trainer.last


async def test_a_negative_or_huge_lateness_is_said_so(db: Database, trainer: Person) -> None:
    """Explorer GD7: « -5 minutes » was a 5-minute lateness, « 5000 » and « 1441 » « Je n'ai
    pas compris cette durée » where « 0 » got the range."""
    await trainer.says("/absence léa vendredi")
    await trainer.presses("Oui")
    await trainer.presses("Un retard")
    for typed in ("-5 minutes", "-5"):
        await trainer.says(typed)
        assert trainer.all_text.startswith(
            "Une durée ne peut pas être négative : écrivez-la sans le signe moins, par exemple"
            " « 20 »."
        ), typed
        assert await step_of(db, trainer) == ("absence", "late_minutes")
    for typed in ("5000", "1441", "9" * 20):
        await trainer.says(typed)
        assert trainer.all_text.startswith("Un retard se compte entre 1 et 480 minutes"), typed
    await trainer.says("20")
    assert "Ce retard est-il justifié ?" in trainer.last


async def test_an_hour_of_arrival_typed_for_the_lateness_is_asked_as_a_length(
    db: Database, trainer: Person
) -> None:
    """Explorer BB20: at « De combien de minutes, ce retard ? » « 8h » was a retard of
    480 minutes, « 10h » « Un retard se compte entre 1 et 480 minutes », « il est arrivé à
    10h » and « 10:30 » « Je n'ai pas compris cette durée »: an hour of arrival, and the
    hour the session starts at is not known, so the length is asked in those words."""
    await trainer.says("/absence léa vendredi")
    await trainer.presses("Oui")
    await trainer.presses("Un retard")
    arrivals = ("8h", "7h30", "10h", "dix heures", "il est arrivé à 10h", "à 9h", "10:30")
    for typed in (*arrivals, "il est là depuis 10h", "présente depuis 9h45"):  # CB15
        await trainer.says(typed)
        assert trainer.all_text.startswith(
            f"« {typed} » se lit comme une heure d'arrivée, pas la durée du retard, et je ne "
            "connais pas l'heure où commence la séance : donnez la durée, par exemple « 45 »."
        ), trainer.all_text
        assert await step_of(db, trainer) == ("absence", "late_minutes")
    await trainer.says("4h30")  # up to four hours and a half, a length
    assert "Ce retard est-il justifié ?" in trainer.last
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert [a.late_minutes for a in await absences(db)] == [270]


@pytest.mark.parametrize(("typed", "minutes"), [("0:45", 45), ("1:30", 90), ("4:59", 299)])
async def test_a_length_written_as_a_clock_is_that_length(
    db: Database, trainer: Person, typed: str, minutes: int
) -> None:
    """Explorer DC4: « 0:45 », « 1:30 » at « De combien de minutes, ce retard ? » were said
    to be « une heure d'arrivée » (BB20's « 10:30 »): under five hours, a length as a clock
    writes it."""
    await trainer.says("/absence léa vendredi")
    await trainer.presses("Oui")
    await trainer.presses("Un retard")
    await trainer.says(typed)
    assert "heure d'arrivée" not in trainer.all_text, trainer.all_text
    assert "Ce retard est-il justifié ?" in trainer.last
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert [a.late_minutes for a in await absences(db)] == [minutes]


async def test_a_year_far_off_typed_in_digits_is_said_to_be_the_problem(
    db: Database, trainer: Person
) -> None:
    """Explorer GD8: « le 12/03/2226 » got « Je n'ai pas compris cette date », though the
    date is well formed and the year alone is wrong; typed at « C'est bien ça ? » too."""
    await trainer.says("/absence léa")
    await trainer.says("le 12/03/2226")
    assert trainer.all_text.startswith(
        "L'année 2226 semble fausse : vérifiez-la et redonnez la date, par exemple « vendredi"
    )
    assert await step_of(db, trainer) == ("absence", "date")
    await trainer.says("vendredi")
    await trainer.says("le 12 mars 1826")
    assert "L'année 1826 semble fausse" in trainer.all_text
    assert "J'ai compris : vendredi 20 novembre 2026. C'est bien ça ?" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("/absence léa le 3/12/2226 matin")  # the one-line form says it too
    assert "L'année 2226 semble fausse" in trainer.all_text
    assert await absences(db) == []


async def test_ouais_and_nan_answer_a_confirmation(db: Database, trainer: Person) -> None:
    await trainer.says("/absence léa")
    await trainer.says("vendredi")
    await trainer.says("nan")
    assert "corrigeons" in trainer.last
    assert trainer.last.count("par exemple") == 1  # the question's only (explorer GE6)
    await trainer.says("jeudi dernier")
    await trainer.says("ouais")
    assert "Quand, ce jeudi 19 novembre 2026" in trainer.last


async def test_a_half_day_typed_then_corrected_away_is_asked(db: Database, trainer: Person) -> None:
    await trainer.says("/absence léa")
    await trainer.says("vendredi après-midi")
    assert "vendredi 20 novembre 2026, l'après-midi" in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("jeudi dernier")
    assert "J'ai compris : jeudi 19 novembre 2026. C'est bien ça ?" in trainer.last
    await trainer.presses("Oui")
    assert "Quand, ce jeudi 19 novembre 2026" in trainer.last


async def test_the_one_line_forms_half_day_goes_with_its_corrected_date(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/absence léa vendredi retard de 20 min")
    assert "vendredi 20 novembre 2026, un retard de 20 min" in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("jeudi dernier")
    assert "J'ai compris : jeudi 19 novembre 2026. C'est bien ça ?" in trainer.last
    await trainer.presses("Oui")
    assert "Quand, ce jeudi 19 novembre 2026" in trainer.last
    await trainer.presses("Le matin")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    a = (await absences(db))[-1]
    assert (a.day, a.period, a.late_minutes) == (date(2026, 11, 19), "matin", None)


async def test_words_that_name_nobody_after_the_command_pick_no_trainee(
    db: Database, trainer: Person
) -> None:
    """Left by TB: « /absence et un retard ce matin » took a trainee from « et un » (the
    words inside a name): words that are no name pick nobody, who is asked."""
    for typed in (
        "/absence et un retard ce matin",
        "/absence un retard ce matin",
        "/absence le retard ce matin",
        "/absence un absent ce matin",
    ):
        await trainer.says(typed)
        assert trainer.last.startswith("Dans quelle formation ?"), typed
        assert "Je ne trouve pas" not in trainer.all_text, typed
        await trainer.says("/annuler")
    await trainer.says("/absence et un retard ce matin")
    await trainer.presses("Agent de restauration")
    assert await step_of(db, trainer) == ("absence", "trainee")
    await trainer.says("Karim")
    assert "lundi 23 novembre 2026, un retard le matin" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("/absence et Karim ce matin")  # a name after the words: Karim's
    assert "J'ai compris : lundi 23 novembre 2026, le matin." in trainer.last
    assert await absences(db) == []


async def test_names_are_matched_tolerantly(db: Database, trainer: Person) -> None:
    await add_formation(
        db, title="Cuisine", trainees=("Jean Dupont", "Marie Dupont", "Éloïse Lefèvre")
    )
    await trainer.says("/absence Dupont J hier")
    assert "dimanche 22 novembre 2026" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("/absence dupon hier")
    assert "Plusieurs stagiaires correspondent à « dupon » : de qui s'agit-il ?" in trainer.last
    assert trainer.numbered[:2] == ["1. Jean Dupont · Cuisine", "2. Marie Dupont · Cuisine"]
    assert await step_of(db, trainer) == ("absence", "person")
    await trainer.says("marie")
    await trainer.presses("Oui")  # the date from the line, confirmed
    await trainer.presses("Oui, l'enregistrer")  # a Sunday
    await trainer.presses("L'après-midi")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert (await absences(db))[-1].trainee_id == await trainee_id(db, "Marie Dupont")
    await trainer.says("/absence eloise lefevre lundi")
    assert "lundi 23 novembre 2026" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("/absence")
    await trainer.presses("Agent de restauration")
    await trainer.says("benaly")  # one typo
    assert "l'absence ou le retard de Karim Benali" in trainer.last
    await trainer.says("/absence")
    await trainer.presses("Agent de restauration")
    await trainer.says("zorglub")
    assert "Je ne trouve personne qui corresponde à « zorglub »" in trainer.last
    assert "suit « " not in trainer.last
    for stop in ("annuler", "Stop"):  # explorer AD24: the way out, as at any other question
        await trainer.says(stop)
        assert trainer.last.startswith("Pour tout arrêter, tapez /annuler (avec la barre oblique)")
    await trainer.says("eloise")  # in the other formation: said, with the way back
    assert (
        "Je ne trouve personne qui corresponde à « eloise » dans cette formation. "
        "Éloïse Lefèvre suit « Cuisine » : tapez « Retour » pour choisir une autre formation."
    ) in trainer.last
    await trainer.says("Retour")
    await trainer.presses("Cuisine")
    await trainer.says("eloise")
    assert "l'absence ou le retard d'Éloïse Lefèvre" in trainer.last


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("hier", "dimanche 22 novembre 2026"),
        ("ce matin", "lundi 23 novembre 2026, le matin"),
        ("lundi", "lundi 23 novembre 2026"),
        ("vendredi dernier", "vendredi 20 novembre 2026"),
        ("le 20 novembre", "vendredi 20 novembre 2026"),
        ("le 15 juin", "lundi 15 juin 2026"),
    ],
)
async def test_dates_lean_towards_the_past(
    db: Database, trainer: Person, typed: str, shown: str
) -> None:
    await trainer.says("/absence léa")
    await trainer.says(typed)
    assert f"J'ai compris : {shown}. C'est bien ça ?" in trainer.last


@pytest.mark.parametrize("typed", ["03/12", "le 3 décembre", "3 déc"])
async def test_a_day_ahead_this_month_is_not_last_year_s(trainer: Person, typed: str) -> None:
    """Explorers D and I: « 03/12 » on 23 November was read as 3 December 2025, eleven
    months back, a year before the formation; the nearer day, ahead, is refused as such."""
    await trainer.says("/absence léa")
    await trainer.says(typed)
    assert trainer.last.startswith("Le jeudi 3 décembre 2026 est à venir")


async def test_unclear_future_and_corrected_dates(db: Database, trainer: Person) -> None:
    await trainer.says("/absence léa")
    await trainer.says("dès que possible")
    assert "pas compris cette date" in trainer.last
    assert "par exemple « vendredi 20 novembre »" in trainer.last  # Monday: the last weekday
    await trainer.says("03/12/2026")
    assert "jeudi 3 décembre 2026 est à venir" in trainer.last
    assert "annoncée à l'avance, notez-la ce jour-là" in trainer.last  # and how to stop
    assert "/annuler" in trainer.last
    assert await step_of(db, trainer) == ("absence", "date")
    await trainer.says("vendredi dernier")
    await trainer.presses("Non, corriger")
    assert "corrigeons" in trainer.last
    await trainer.says("jeudi dernier")
    assert "jeudi 19 novembre 2026" in trainer.last
    await trainer.presses("Oui")
    assert "Quand, ce jeudi 19 novembre 2026" in trainer.last


async def test_a_date_outside_the_formation_is_said_and_can_be_kept_or_corrected(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/absence léa le 3/12/2025 matin")
    assert "mercredi 3 décembre 2025" in trainer.last
    await trainer.presses("Oui")
    assert "en dehors de la période de formation de Léa Martin" in trainer.last
    assert "lundi 19 octobre 2026" in trainer.last and "vendredi 8 janvier 2027" in trainer.last
    await trainer.presses("Corriger la date")
    assert await step_of(db, trainer) == ("absence", "date")
    await trainer.says("le 3/11")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert (await absences(db))[-1].day == date(2026, 11, 3)

    await trainer.says("/absence léa le 16 octobre matin")
    await trainer.presses("Oui")
    await trainer.presses("Enregistrer quand même")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert (await absences(db))[-1].day == date(2026, 10, 16)


async def test_a_day_years_away_from_the_formation_is_refused_not_offered_anyway(
    db: Database, trainer: Person
) -> None:
    """Explorer GD1: « il y a 200 ans » was « jeudi 23 novembre 1826 », « en dehors de la
    période » then « Enregistrer quand même »: an absence in 1826 saved after two presses.
    The override is for a day near the trainee's dates; a year away, the year is wrong."""
    await trainer.says("/absence léa")
    await trainer.says("il y a 200 ans")
    assert trainer.all_text.startswith(
        "Le jeudi 23 novembre 1826 est à plus d'un an de la période de formation de Léa"
        " Martin (du lundi 19 octobre 2026 au vendredi 8 janvier 2027) : vérifiez l'année"
        " et redonnez la date, par exemple « vendredi 20 novembre »."
    )
    assert "Enregistrer quand même" not in trainer.buttons
    assert await step_of(db, trainer) == ("absence", "date")
    await trainer.says("il y a 2 ans")
    assert "Le samedi 23 novembre 2024 est à plus d'un an de la période" in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("/absence léa il y a 50 ans matin")  # the one-line form, confirmed
    await trainer.presses("Oui")
    assert "mardi 23 novembre 1976 est à plus d'un an" in trainer.all_text
    assert await step_of(db, trainer) == ("absence", "date")
    assert await absences(db) == []


async def test_nothing_is_noted_after_a_trainee_s_exit(db: Database, trainer: Person) -> None:
    """Explorer E E11: an absence after a departure was one tap away (« quand même »)."""
    await record_exit(db, "Karim Benali", date(2026, 11, 18))
    await trainer.says("/absence")
    await trainer.presses("Agent de restauration")
    assert "Karim Benali – sortie le mercredi 18 novembre 2026" in trainer.buttons
    assert "Julie Petit" in trainer.buttons
    await trainer.says("karim")  # the name, not the words beside it, is matched
    await trainer.says("vendredi 20 novembre")
    refusal = (
        "Le vendredi 20 novembre 2026 vient après la sortie de formation de Karim Benali "
        "(le mercredi 18 novembre 2026) : je ne note rien après une sortie."
    )
    assert refusal in trainer.last
    assert "corrigez-la d'abord avec /formations → « Entrées et sorties »" in trainer.last
    assert await step_of(db, trainer) == ("absence", "date")
    await trainer.says("le 17 novembre")
    await trainer.presses("Oui")
    assert "Quelle demi-journée" in trainer.last or "Quand, ce mardi" in trainer.last
    await trainer.says("/annuler")

    # Read from a sentence, the day is refused at once, and the question's example is a
    # day it takes (explorer I: « hier » was offered, then refused).
    await trainer.says("Karim absent vendredi matin")
    await trainer.presses("Oui")  # « Noter l'absence de Karim Benali … ? »
    assert refusal in trainer.all_text
    assert trainer.last.endswith(
        "(par exemple « mercredi 18 novembre », le jour de sa sortie de formation)"
    )
    assert await step_of(db, trainer) == ("absence", "date")
    assert await absences(db) == []


async def test_the_same_half_day_cannot_be_logged_twice(db: Database, trainer: Person) -> None:
    async def log(line: str) -> None:
        await trainer.says(line)
        await trainer.presses("Oui")

    await log("/absence hugo vendredi dernier matin")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    await log("/absence hugo vendredi dernier journée")
    assert (
        "Pour Hugo Moreau, le vendredi 20 novembre 2026 est déjà noté (matin, noté par "
        "Camille Durand à 10 h 00)" in trainer.last
    ), trainer.last
    assert "Enregistrer quand même" not in trainer.buttons
    await trainer.presses("Changer la période")
    await trainer.presses("L'après-midi")
    assert "justifiée" in trainer.last
    await trainer.presses("Oui")
    await trainer.says("rendez-vous médical")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert [a.period for a in await absences(db)] == ["matin", "apres_midi"]

    await trainer.says("/absence hugo retard 10 min vendredi dernier")
    await trainer.presses("Oui")
    # Absent the morning and the afternoon: no half-day left to be late (explorer D F29).
    assert "cette demi-journée ne peut pas compter deux fois" in trainer.last
    assert "Enregistrer quand même" not in trainer.buttons
    await trainer.presses("Abandonner")
    await trainer.says("/absence karim retard 10 min vendredi dernier")
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    await trainer.says("réveil")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    await log("/absence karim retard 5 min vendredi dernier")
    assert "second retard le même jour" in trainer.last
    await trainer.presses("Enregistrer quand même")
    await trainer.presses("Oui")
    await trainer.says("train")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert [a.late_minutes for a in await absences(db)] == [None, None, 10, 5]


@pytest.mark.parametrize("typed", ["Terminé", "c'est tout"])
async def test_termine_at_what_to_correct_is_nothing_to_correct(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer BF8: « Terminé » at /absences' « que voulez-vous corriger ? » got « Je n'ai
    pas reconnu ce choix : rien dans la liste ne correspond à « Terminé » »."""
    await note_unjustified(trainer, "/absence karim vendredi dernier matin")
    await trainer.says("/absences")
    await trainer.presses("20/11 matin")
    assert "que voulez-vous corriger ?" in trainer.last
    await trainer.says(typed)
    assert trainer.all_text == "D'accord, rien n'a changé."
    assert await step_of(db, trainer) == (None, None)


async def test_termine_typed_at_another_choice_names_the_way_out(trainer: Person) -> None:
    """Explorer BF8: « Terminé » where no choice says it and none means « nothing »: the way
    to stop named, not « rien dans la liste ne correspond »."""
    await trainer.says("/absence karim vendredi dernier")
    await trainer.presses("Oui")
    assert "Quand, ce vendredi 20 novembre 2026 ?" in trainer.last
    await trainer.says("Terminé")
    assert trainer.all_text.startswith(
        "Cette question n'a pas de choix « Terminé » : choisissez une des réponses proposées, "
        "ou tapez /annuler pour tout arrêter (ce qui n'était pas validé ne sera pas enregistré)."
    ), trainer.all_text


async def test_back_at_the_follow_up_opened_after_saving_says_the_absence_is_kept(
    db: Database, trainer: Person
) -> None:
    """Explorer BB6: « Retour » at the follow-up's first question, opened by « Ouvrir un
    suivi » once the absence was saved, said « Tapez /annuler pour tout arrêter sans rien
    enregistrer », and /aide the same, though the absence stays saved."""
    for line in ("/absence karim vendredi dernier matin", "/absence karim jeudi après-midi"):
        await note_unjustified(trainer, line)
    await trainer.presses("Ouvrir un suivi")
    await trainer.says("Retour")
    said = (
        "C'est la première question du suivi : il n'y a rien avant. Ce que vous venez de noter "
        "reste enregistré, rien du suivi n'est encore gardé : tapez /annuler pour en rester là."
    )
    assert trainer.all_text.startswith(said), trainer.all_text
    assert "Quels signes de décrochage avez-vous observés chez Karim Benali" in trainer.last
    await trainer.says("/aide")
    assert "sans rien enregistrer" not in trainer.all_text
    assert (
        "ou tapez /annuler pour en rester là : ce que vous venez de noter reste enregistré, "
        "rien du suivi n'est encore gardé." in trainer.all_text
    ), trainer.all_text
    await trainer.says("/annuler")
    assert len(await absences(db)) == 2


async def test_repeated_absence_is_said_at_once_and_opens_a_follow_up(
    db: Database, trainer: Person
) -> None:
    async def unjustified(line: str) -> None:
        await trainer.says(line)
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")

    await unjustified("/absence karim vendredi dernier matin")
    assert "Attention" not in trainer.all_text
    await unjustified("/absence karim jeudi après-midi")
    assert (
        "Attention : Karim Benali compte 2 absences non justifiées en 14 jours" in trainer.all_text
    )
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    signal = [e for e in await audit_entries(db, "trainee") if e.action == "repeated_absence"]
    assert signal and signal[-1].details["unjustified"] == 2
    await trainer.presses("Ouvrir un suivi")
    assert "Quels signes de décrochage avez-vous observés chez Karim Benali" in trainer.last
    assert "☑ Absences répétées" in trainer.buttons
    await trainer.presses("Baisse de motivation")
    await trainer.presses("Terminé")
    await trainer.presses("Non")  # not subcontracted: the sign's day is the absence's, not asked
    assert "absences répétées, baisse de motivation" in trainer.last
    assert "Premier signe : l'absence du jeudi 19 novembre 2026" in trainer.last
    await trainer.presses("Ouvrir le suivi")
    assert (
        "Entretien individuel avec Karim Benali à tenir au plus tard le jeudi 26 novembre 2026"
        in trainer.all_text
    )  # seven days after the absence, not after today's opening
    followups = await rows(db, FollowUp)
    assert len(followups) == 1
    f = followups[0]
    assert (f.path, f.trainee_id) == ("long", await trainee_id(db, "Karim Benali"))
    assert f.absence_id == (await absences(db))[-1].id
    assert f.sign_on == date(2026, 11, 19)

    # A third absence: the follow-up is already open, no second offer.
    await unjustified("/absence karim ce matin")
    assert "Un suivi de décrochage est déjà ouvert pour Karim Benali" in trainer.all_text
    assert await step_of(db, trainer) == (None, None)


async def test_the_offer_left_after_saving_is_named_by_what_waits_not_by_the_absence(
    trainer: Person,
) -> None:
    """Explorer HB3: the absences saved, the décrochage offer left for something else was
    called « noter une absence ou un retard » at every later message and at /reprendre, as if
    nothing had been saved: a trainer in a hurry types the absence again."""
    for line in ("/absence karim vendredi dernier matin", "/absence karim jeudi après-midi"):
        await trainer.says(line)
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    await trainer.says("/echeances")
    await trainer.says("/annuler")
    await trainer.says("qsdfgh")
    assert "Vous aviez mis de côté « ouvrir un suivi de décrochage » : tapez /reprendre" in (
        trainer.last
    )
    assert "noter une absence" not in trainer.last
    await trainer.says("/reprendre")
    assert "Je reprends « ouvrir un suivi de décrochage » là où vous en étiez." in (
        trainer.all_text
    )
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last


async def test_back_at_the_offer_after_saving_never_reopens_the_saved_recap(
    db: Database, trainer: Person
) -> None:
    """Explorer AD1: « Retour » at « Ouvrir un suivi de décrochage maintenant ? » reopened the
    recap of the absence already saved: « Abandonner » there said « je n'enregistre rien »
    with the absence kept, « Corriger » then « Enregistrer » saved a second one; /aide
    offered « Retour » and « /annuler … sans rien enregistrer »."""
    for line in ("/absence karim vendredi dernier matin", "/absence karim jeudi après-midi"):
        await trainer.says(line)
        for label in ("Oui", "Non", "Passer", "Enregistrer"):
            await trainer.presses(label)
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    await trainer.says("/aide")
    assert "Retour" not in trainer.all_text
    assert "sans rien enregistrer" not in trainer.all_text
    assert "tapez /annuler pour en rester là : ce qui est déjà enregistré le reste" in (
        trainer.all_text
    )
    for back in ("Retour", "retour"):
        await trainer.says(back)
        assert trainer.all_text.startswith("C'est déjà enregistré : je ne reviens pas")
        assert "Récapitulatif" not in trainer.all_text
        assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    assert len(await absences(db)) == 2
    await trainer.says("/annuler")
    assert len(await absences(db)) == 2


async def test_the_offer_left_after_saving_lapsed_says_what_was_saved_stays(
    trainer: Person, clock: Clock, db: Database
) -> None:
    """Explorer JA1: the offer set aside after the absences were saved, lapsed, was said at
    /reprendre as « « noter une absence ou un retard » … rien n'en a été enregistré.
    Recommencez avec /absence », both absences saved: HB3's trap on its last path."""
    for line in ("/absence karim vendredi dernier matin", "/absence karim jeudi après-midi"):
        await trainer.says(line)
        for label in ("Oui", "Non", "Passer", "Enregistrer"):
            await trainer.presses(label)
    await trainer.says("/echeances")
    await trainer.says("/annuler")
    clock.advance(days=3)
    await trainer.says("/reprendre")
    assert trainer.all_text.startswith(
        "Vous aviez mis de côté « ouvrir un suivi de décrochage » jusqu'au "
    )
    assert trainer.all_text.endswith(
        " : sans reprise avant, je l'ai refermé ; ce qui avait été enregistré le reste."
    )
    assert "Recommencez" not in trainer.all_text
    assert len(await absences(db)) == 2


async def test_repeated_late_arrivals_are_a_sign_and_open_a_follow_up_on_retards(
    db: Database, trainer: Person
) -> None:
    """Explorer AO1: four unjustified retards in eight days, two hours missed, and not a word;
    the follow-up counts from the retard with which they repeated."""
    for line in (
        "/absence karim en retard de 15 min mercredi",
        "/absence karim retard 20 min jeudi",
        "/absence karim retard 30 min vendredi dernier",
    ):
        assert "Attention" not in trainer.all_text
        await trainer.says(line)
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")
    assert (
        "Attention : Karim Benali compte 3 retards non justifiés en 14 jours "
        "(du mercredi 18 novembre 2026 au vendredi 20 novembre 2026)" in trainer.all_text
    )
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    signal = [e for e in await audit_entries(db, "trainee") if e.action == "repeated_lateness"]
    assert signal and signal[-1].details["late"] == 3
    await trainer.presses("Ouvrir un suivi")
    assert "☑ Retards" in trainer.buttons
    assert "☑ Absences répétées" not in trainer.buttons
    await trainer.presses("Terminé")
    await trainer.presses("Non")
    assert "Premier signe : le retard du vendredi 20 novembre 2026" in trainer.last
    await trainer.presses("Ne rien ouvrir")
    await trainer.says("/decrochage karim")
    await trainer.presses("Retards")
    await trainer.presses("Terminé")
    assert "« vendredi 20 novembre », le jour où les retards ont atteint le seuil fixé dans" in (
        trainer.last
    )


async def test_three_half_days_even_justified_make_a_sign_and_can_be_declined(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/absence nadia vendredi dernier journée justifiée")
    await trainer.presses("Oui")
    await trainer.says("enfant malade")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    # « Projet professionnel » is a short formation: one absence is enough (ELY-SHORT).
    assert "Nadia Roux est dans une formation courte" in trainer.all_text
    await trainer.presses("Pas maintenant")
    # No follow-up, no deadline: said (explorer AS1: « Pas maintenant », and never a word).
    assert "rien ne vous rappellera le contact avec la personne et son entreprise" in (trainer.last)
    await trainer.says("/absence nadia jeudi matin justifiée")
    await trainer.presses("Oui")
    await trainer.says("enfant malade")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert "Nadia Roux a manqué 3 demi-journées en 14 jours" in trainer.all_text
    await trainer.presses("Pas maintenant")
    assert "plus tard avec /decrochage" in trainer.last
    assert await rows(db, FollowUp) == []
    declined = [e for e in await audit_entries(db, "trainee") if e.action == "decline_followup"]
    assert len(declined) == 2


async def test_a_correction_to_the_same_day_says_nothing_changed_and_journals_nothing(
    db: Database, trainer: Person
) -> None:
    """Explorer EC9: « Corriger la date » answered with the day noted read « Correction
    enregistrée » and journaled a « modification » of no field."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    before = (await absences(db))[0]
    await trainer.says("/absences")
    await trainer.presses("20/11 matin – Léa Martin")
    await trainer.presses("Corriger la date")
    await trainer.says("vendredi 20 novembre")
    if "C'est bien ça" in trainer.last:
        await trainer.presses("Oui")
    await trainer.presses("Enregistrer la correction")
    assert trainer.last == (
        "Rien n'a changé : c'est déjà ce qui est noté (Léa Martin, matin du vendredi "
        "20 novembre 2026, absence non justifiée)."
    )
    assert [e.action for e in await audit_entries(db, "absence")] == ["create"]
    after = (await absences(db))[0]
    assert (after.updated_at, after.updated_by) == (before.updated_at, before.updated_by)


async def test_a_justificatif_replaced_by_a_correction_is_erased_as_the_recap_says(
    db: Database, trainer: Person
) -> None:
    """Explorer FA2: a correction's new justificatif left the old one linked to nothing, kept
    for ever (a medical certificate, maybe) and out of reach of the trainee's erasure."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    for name, content in (("arret.pdf", b"%PDF-1.4 first"), ("arret-lisible.pdf", b"%PDF-1.4 2")):
        await trainer.says("/absences")
        await trainer.presses("20/11 matin – Léa Martin")
        await trainer.presses("Justification et motif")
        await trainer.presses("Oui")
        await trainer.says("arrêt maladie")
        await trainer.sends_file(name, "application/pdf", content)
        if name == "arret-lisible.pdf":
            assert (
                "Nouveau justificatif : arret-lisible.pdf (il remplace arret.pdf, qui sera effacé)"
            ) in trainer.last
        else:
            assert "il remplace" not in trainer.last
        await trainer.presses("Enregistrer la correction")
        assert "Correction enregistrée" in trainer.last
    [kept] = await rows(db, StoredDocument)
    assert (kept.filename, kept.id) == ("arret-lisible.pdf", (await absences(db))[0].proof_id)


async def test_an_absence_can_be_corrected_then_deleted(db: Database, trainer: Person) -> None:
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    original = (await absences(db))[0]

    await trainer.says("/absences")  # one formation holds absences: no question
    await trainer.presses("20/11 matin – Léa Martin")
    await trainer.presses("Corriger la date")
    trainer.replies.clear()
    await trainer.says("/aide")  # promises no span here (explorer E E12 d)
    assert "Une absence notée porte sur un seul jour : pour d'autres jours" in trainer.all_text
    assert "du 16 au 18 novembre" not in trainer.all_text
    # Several days for one absence: one day asked, and how to note the others.
    await trainer.says("du 16 au 18 novembre")
    assert trainer.last.startswith(
        "Une absence notée porte sur un seul jour : donnez le jour corrigé. Pour noter les "
        "autres jours, écrivez ensuite par exemple « Absence de Léa Martin du 16 au 18 novembre »."
    )
    await trainer.says("jeudi dernier")
    await trainer.presses("Oui")
    assert "jeudi 19 novembre 2026" in trainer.last
    await trainer.presses("Enregistrer la correction")
    assert "Correction enregistrée" in trainer.last

    await trainer.says("/absences")  # one formation holds absences: no question
    await trainer.presses("19/11 matin")
    await trainer.presses("Justification et motif")  # explorer AI26
    await trainer.presses("Oui")
    await trainer.says("convocation")
    await trainer.sends_file("convocation.png", "image/png", b"\x89PNG fake")
    await trainer.presses("Enregistrer la correction")
    corrected = (await absences(db))[0]
    assert corrected.id == original.id
    assert (corrected.day, corrected.justified, corrected.reason) == (
        date(2026, 11, 19),
        True,
        "convocation",
    )
    assert corrected.updated_by is not None and corrected.proof_id is not None
    updates = [e for e in await audit_entries(db, "absence") if e.action == "update"]
    assert updates[0].details["fields"] == ["day"]
    assert updates[0].details["previous"]["day"] == "2026-11-20"
    assert "convocation" not in str([e.details for e in updates])

    await trainer.says("/absences")  # one formation holds absences: no question
    await trainer.presses("19/11 matin")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Supprimer")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, supprimer")
    assert await absences(db) == []
    deleted = await absences(db, deleted=True)
    assert deleted[0].id == original.id and deleted[0].deleted_by is not None
    assert [e.action for e in await audit_entries(db, "absence")] == [
        "create",
        "update",
        "update",
        "delete",
    ]
    await trainer.says("/absences")
    assert "Je ne trouve aucune absence à corriger : ni notée par vous" in trainer.last


async def test_correction_steps_survive_bad_input(db: Database, trainer: Person) -> None:
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    await note_unjustified(trainer, "/absence nadia vendredi dernier matin")  # two formations
    await trainer.says("/absences")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Agent de restauration")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Léa Martin")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Corriger la période")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Un retard")
    await survives(db, trainer, FOR_TEXT)
    await trainer.says("500")
    assert "entre 1 et 480 minutes" in trainer.last
    await trainer.says("1 h 15")
    await survives(db, trainer, FOR_CHOICES)
    assert (await absences(db))[0].period == "matin"
    await trainer.presses("Enregistrer la correction")
    saved = (await absences(db))[0]
    assert (saved.period, saved.late_minutes) == ("retard", 75)


async def test_retour_from_a_correction_begun_finds_the_absence_as_stored(
    db: Database, trainer: Person
) -> None:
    """Explorer E (high): « retour » at « Corriger la date »'s question failed every time."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    await trainer.says("/absences")  # one formation holds absences: no question
    await trainer.presses("Léa Martin")
    await trainer.presses("Corriger la date")
    await trainer.says("retour")
    assert trainer.last.startswith("Léa Martin, vendredi 20 novembre 2026 : que voulez-vous")
    await trainer.presses("Corriger la date")
    await trainer.says("jeudi")
    await trainer.says("retour")  # at « J'ai compris : jeudi 19 novembre 2026 … ? »
    assert trainer.last.startswith("Léa Martin, vendredi 20 novembre 2026 : que voulez-vous")
    await trainer.presses("Corriger la période")
    await trainer.presses("L'après-midi")
    await trainer.presses("Enregistrer la correction")
    saved = (await absences(db))[0]
    assert (saved.day, saved.period) == (date(2026, 11, 20), "apres_midi")


async def test_a_signed_number_is_no_choice_even_a_deletion(db: Database, trainer: Person) -> None:
    """Explorer E: « -1 » at « Supprimer … ? » was read as 1 and deleted the absence."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    await trainer.says("/absences")  # one formation holds absences: no question
    await trainer.presses("Léa Martin")
    await trainer.presses("Supprimer")
    for typed in ("-1", "+1", " - 1"):
        await trainer.says(typed)
        assert "n'est pas un des choix" in trainer.last, typed
        assert len(await absences(db)) == 1
    await trainer.says("1")
    assert "C'est supprimé" in trainer.last


async def test_not_in_a_group_chat(db: Database, person: Callable[..., Person], demo: None) -> None:
    group = person("formateur", chat="groupe-1", is_group=True)
    for command in (
        "/absence karim hier",
        "/absences",
        "/decrochage karim",
        "/suivi karim",
        "Karim absent vendredi après-midi",  # said why, not « pas sûr » (explorer EF7)
    ):
        await group.says(command)
        assert "je ne fais pas cela dans un groupe" in group.last
        assert "Karim" not in group.all_text
        assert await step_of(db, group) == (None, None)


async def test_nothing_about_a_trainee_reaches_the_logs(
    db: Database, trainer: Person, caplog: pytest.LogCaptureFixture
) -> None:
    setup_logging("DEBUG")  # what `formabot run` does with FORMABOT_LOG_LEVEL=DEBUG
    caplog.set_level(logging.DEBUG)
    try:
        await trainer.says("/absence karim jeudi journée")
        await trainer.presses("Oui")
        await trainer.presses("Oui")
        await trainer.says("hospitalisation Pitié-Salpêtrière")
        await trainer.sends_file("bulletin.pdf", "application/pdf", PDF)
        await trainer.presses("Enregistrer")
        await trainer.says("/absence karim ce matin")
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.says("injoignable depuis jeudi")
        await trainer.presses("Enregistrer")
        await trainer.presses("Ouvrir un suivi")
        await trainer.presses("Autre")
        await trainer.presses("Terminé")
        await trainer.says("conflit avec Madame Zébulon")
        await trainer.presses("Non")
        await writing_this_morning_s_compte_rendu(trainer, "karim")
        await trainer.says("Constat confidentiel Quiberon")
        await trainer.says("Cause confidentielle Ouessant")
        await trainer.says("Mesure confidentielle Belle-Île")
        await trainer.presses("Pas de prochain point")
        await trainer.presses("Produire")
        await trainer.presses("ticket")
        await trainer.says("Note confidentielle Groix")
        await trainer.presses("Enregistrer le ticket")
        await trainer.says("/suivi karim")
        await trainer.presses("PDF")
        logged = caplog.text
        records = len(caplog.records)
    finally:
        for name in ("aiosqlite", "asyncio", "httpx", "httpcore", "nio"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert records, "the run logged nothing: the capture is not working"
    assert any("TQ-2026-0001" in line for line in trainer.transcript), trainer.transcript
    assert len(await absences(db)) == 2
    for secret in (
        "Karim",
        "Benali",
        "hospitalisation",
        "Pitié",
        "injoignable",
        "Zébulon",
        "Quiberon",
        "Ouessant",
        "Belle-Île",
        "Groix",
        "Camille",
        "bulletin.pdf",
    ):
        assert secret not in logged, secret


async def test_a_file_that_is_not_a_proof_is_refused(db: Database, trainer: Person) -> None:
    await trainer.says("/absence léa jeudi justifiée")
    await trainer.presses("Oui")
    await trainer.presses("Le matin")
    await trainer.says("rendez-vous")
    await trainer.sends_file("virus.exe", "application/x-msdownload", b"MZ")
    assert "photos, des PDF" in trainer.last
    await trainer.sends_file("vide.pdf", "application/pdf", b"")
    assert "vide" in trainer.last
    await trainer.sends_file("gros.pdf", "application/pdf", b"x" * (5 * 1024 * 1024 + 1))
    assert "dépasse 5 Mo" in trainer.last
    assert await step_of(db, trainer) == ("absence", "proof")
    await trainer.sends_file("../../etc/passwd.jpg", "image/jpeg", b"\xff\xd8\xff")
    await trainer.presses("Enregistrer")
    saved = await rows(db, StoredDocument)
    assert saved[0].filename == "passwd.jpg"
    assert (await rows(db, Absence))[0].proof_id == saved[0].id


async def test_a_file_whose_bytes_are_not_its_type_is_refused(
    db: Database, trainer: Person
) -> None:
    """Explorer EC4: an SVG « photo » holding a script, an HTML page named .pdf and a
    one-byte « PDF » were kept as proofs, and handed to the auditor in the Qualiopi bundle
    (the SVG's script running in her browser).  Refused, nothing kept; a real one is."""
    await trainer.says("/absence léa jeudi justifiée")
    await trainer.presses("Oui")
    await trainer.presses("Le matin")
    await trainer.says("rendez-vous")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    await trainer.sends_file("capture.svg", "image/svg+xml", svg)
    assert trainer.last.startswith("Je ne garde que des photos, des PDF")
    await trainer.sends_file("arret.pdf", "application/pdf", b"<html><script>x</script></html>")
    assert trainer.last.startswith(
        "« arret.pdf » n'a pas le contenu qu'annonce son type (fichier renommé ou abîmé ?) :"
        " je ne le garde pas. Envoyez une photo, ou le document enregistré en PDF."
    )
    await trainer.sends_file("photo.jpg", "image/jpeg", b"x")
    assert "« photo.jpg » n'a pas le contenu qu'annonce son type" in trainer.last
    assert await step_of(db, trainer) == ("absence", "proof")
    await trainer.sends_file("arret.pdf", "application/pdf", b"\r\n" + PDF)  # junk first: read
    await trainer.presses("Enregistrer")
    [saved] = await rows(db, StoredDocument)
    assert (saved.filename, saved.content) == ("arret.pdf", b"\r\n" + PDF)


async def test_the_checks_and_optional_steps_survive_bad_input(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/absence léa le 16 octobre")
    await trainer.presses("Oui")
    assert await step_of(db, trainer) == ("absence", "outside")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Enregistrer quand même")
    await trainer.presses("Le matin")
    await trainer.presses("Non")
    await survives(db, trainer, FOR_TEXT)
    await trainer.says("pas venue")
    await trainer.presses("Enregistrer")
    await trainer.says("/absence léa le 16 octobre journée")
    await trainer.presses("Oui")
    await trainer.presses("Enregistrer quand même")
    assert await step_of(db, trainer) == ("absence", "conflict")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Abandonner")
    assert len(await absences(db)) == 1


async def test_an_absence_on_a_sunday_is_questioned_once(db: Database, trainer: Person) -> None:
    """Issue 11 item 19: "Le 15 novembre est un dimanche : je l'enregistre quand même ?"."""
    await trainer.says("/absence karim le 15 novembre matin")
    await trainer.presses("Oui")
    assert trainer.last.startswith("Le 15 novembre est un dimanche : je l'enregistre quand même ?")
    assert await step_of(db, trainer) == ("absence", "weekend")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Corriger la date")
    assert await step_of(db, trainer) == ("absence", "date")
    await trainer.says("samedi 14 novembre")
    await trainer.presses("Oui")
    assert "Le 14 novembre est un samedi" in trainer.last
    await trainer.presses("Oui, l'enregistrer")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")  # the recap checks again: no second question
    saved = await absences(db)
    assert [(a.day, a.period) for a in saved] == [(date(2026, 11, 14), "matin")]
    assert sum("est un samedi" in line for line in trainer.transcript) == 1

    await trainer.says("/absences")  # correcting it does not ask again
    await trainer.presses("14/11 matin")
    await trainer.presses("Justification et motif")
    await trainer.presses("Oui")
    await trainer.says("convocation")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer la correction")
    assert "Correction enregistrée" in trainer.last
    assert sum("est un samedi" in line for line in trainer.transcript) == 1

    await trainer.says("/absence karim vendredi dernier matin")  # a weekday: no question
    await trainer.presses("Oui")
    assert "est un" not in trainer.last and "justifiée" in trainer.last


async def test_a_name_many_trainees_share_is_a_choice_showing_their_formation(
    db: Database, trainer: Person
) -> None:
    """An outside tester's « /absence Benali ce matin », in forty formations, listed
    twenty-seven names on one line, then eight formations not started yet."""
    await a_crowd(db, trainer.engine.clock().date())
    await trainer.says("/absence Benali ce matin")
    assert "Plusieurs stagiaires correspondent à « Benali » : de qui s'agit-il ?" in trainer.last
    shown = trainer.numbered
    assert shown[0].startswith("1. ") and " · " in shown[0]
    # The way out on every page, after the page turn (explorer H H9).
    assert shown[-2].startswith("– Suivants ▶")
    assert shown[-1] == "– Aucun d'eux : choisir la formation"
    # Formations running today first: the crowd's first eight start next month.
    later = {f"{t} – Caen" for t in TRADES} | {f"{t} – Rouen" for t in TRADES[:3]}
    assert not any(line.split(" · ")[1] in later for line in shown[:-2])
    assert "Karim Benali · Agent de restauration (démo)" in trainer.buttons
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("Karim")  # two Karim Benali: those two, numbered
    assert sorted(line.split(". ", 1)[-1] for line in trainer.numbered) == [
        "Karim Benali · Agent de restauration (démo)",
        "Karim Benali · Remise à niveau – Rouen",
        "– Toute la liste",
    ]
    await trainer.presses("Agent de restauration (démo)")
    assert trainer.last.startswith("J'ai compris : lundi 23 novembre 2026")
    assert await step_of(db, trainer) == ("absence", "date")


async def test_two_groups_of_one_training_are_told_apart_by_their_start_day(
    db: Database, trainer: Person
) -> None:
    """Explorer BD1: two « Karim Benali · Agent de restauration » buttons, one per group."""
    await add_formation(db, title="Agent de restauration (démo)", trainees=("Karim Benali",))
    await trainer.says("/absence Karim Benali hier")
    assert sorted(b for b in trainer.buttons if b.startswith("Karim")) == [
        "Karim Benali · Agent de restauration (démo) (lundi 19 octobre 2026)",
        "Karim Benali · Agent de restauration (démo) (mardi 3 novembre 2026)",
    ]


async def test_the_formations_running_come_first(db: Database, trainer: Person) -> None:
    await a_crowd(db, trainer.engine.clock().date())
    await trainer.says("/absence")
    first_page = [line.split(". ", 1)[1].rsplit(" (", 1)[0] for line in trainer.numbered[:-1]]
    starting_later = {f"{t} – Caen" for t in TRADES} | {f"{t} – Rouen" for t in TRADES[:3]}
    assert not starting_later & set(first_page)
    await trainer.says("Benali")  # a trainee's name instead of a formation
    assert "Plusieurs stagiaires correspondent à « Benali »" in trainer.last
    assert await step_of(db, trainer) == ("absence", "person")
    await trainer.says("Aucun d'eux")
    assert await step_of(db, trainer) == ("absence", "formation")


async def test_an_absence_on_a_public_holiday_is_questioned_once(
    db: Database, trainer: Person
) -> None:
    """The 11th of November is no training day: asked once, as a weekend day is."""
    await trainer.says("/absence karim le 11 novembre matin")
    await trainer.presses("Oui")
    assert trainer.last.startswith(
        "Le 11 novembre est férié (Armistice) : je l'enregistre quand même ?"
    )
    await trainer.presses("Oui, l'enregistrer")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert [(a.day, a.period) for a in await absences(db)] == [(date(2026, 11, 11), "matin")]
    assert sum("est férié" in line for line in trainer.transcript) == 1


async def test_a_name_with_an_apostrophe_reads_as_typed_in_the_lists(trainer: Person) -> None:
    """Explorer J: the pickers showed « Seán O&#39;Brien » (a label rendered as markup)."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Seán O'Brien")
    for command in ("/absence", "/decrochage", "/suivi"):
        await trainer.says("/annuler")
        await trainer.says(command)
        if any(b.startswith("Agent de restauration") for b in trainer.buttons):
            await trainer.presses("Agent de restauration")
        assert "Seán O'Brien" in trainer.buttons, command
    await trainer.says("/annuler")
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Entrées et sorties")
    assert any(b.startswith("Seán O'Brien – entrée le") for b in trainer.buttons)


async def test_repeated_absences_count_from_their_repetition_whichever_way_it_opens(
    trainer: Person,
) -> None:
    """Explorer K: opened from /absence and from /decrochage, two first signs, two entretien
    deadlines; explorer S S8: the sign appears with the absence that makes them repeat, not
    with the first of them (an isolated absence weeks before made the entretien overdue)."""
    await note_unjustified(trainer, "/absence karim lundi 26 octobre matin")  # 24 days before
    for line in ("/absence karim jeudi après-midi", "/absence karim vendredi dernier matin"):
        await trainer.says(line)
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")
    await trainer.presses("Ouvrir un suivi")
    await trainer.presses("Terminé")
    await trainer.presses("Non")
    assert "Premier signe : l'absence du vendredi 20 novembre 2026" in trainer.last
    await trainer.presses("Ne rien ouvrir")
    await trainer.says("/decrochage karim")
    await trainer.presses("Absences répétées")
    await trainer.presses("Terminé")
    assert "« vendredi 20 novembre », le jour où les absences ont atteint le seuil fixé dans" in (
        trainer.last
    )


async def test_a_second_follow_up_counts_from_its_own_absences_not_the_closed_ones(
    db: Database, trainer: Person
) -> None:
    """Explorer GF1: Karim's first follow-up, on his absences of 10 and 12 November, closed on
    the 17th; absent again on the 20th and the 23rd, his second follow-up took « Premier
    signe : l'absence du jeudi 12 novembre », its entretien « dépassé » at its opening, the
    ticket and the timeline contradicting the first one's. Explorer HA3: the sign itself
    counts from the closing too."""
    await note_unjustified(trainer, "/absence karim mardi 10 novembre journée")
    await note_unjustified(trainer, "/absence karim jeudi 12 novembre journée")
    await trainer.presses("Pas maintenant")
    karim = await trainee_id(db, "Karim Benali")
    async with db.sessions() as session, session.begin():
        formation = await session.get(Formation, (await absences(db))[0].formation_id)
        assert formation is not None
        session.add(
            FollowUp(
                organisation_id=formation.organisation_id,
                formation_id=formation.id,
                trainee_id=karim,
                path="long",
                sign_on=date(2026, 11, 12),
                opened_at=datetime(2026, 11, 12, 16, tzinfo=UTC),
                closed_at=datetime(2026, 11, 17, 16, tzinfo=UTC),
            )
        )
    await note_unjustified(trainer, "/absence karim vendredi dernier journée")
    # Explorer HA3: the closed follow-up's absences raised « 3 absences non justifiées en 14
    # jours (du mardi 10 novembre … au vendredi 20 novembre) » again, on one absence.
    assert "C'est noté : Karim Benali, journée du vendredi 20 novembre 2026" in trainer.all_text
    assert "Ouvrir un suivi" not in trainer.buttons
    assert "signe de décrochage" not in trainer.all_text
    await note_unjustified(trainer, "/absence karim ce matin")
    assert "2 absences non justifiées en 14 jours (du vendredi 20 novembre" in trainer.all_text
    await trainer.presses("Ouvrir un suivi")
    await trainer.presses("Terminé")
    await trainer.presses("Non")
    assert "Premier signe : l'absence du lundi 23 novembre 2026" in trainer.last
    await trainer.presses("Ouvrir le suivi")
    assert (
        "Entretien individuel avec Karim Benali à tenir au plus tard le lundi 30 novembre 2026"
        in trainer.all_text
    )
    assert "dépassé" not in trainer.all_text
    assert [f.sign_on for f in await rows(db, FollowUp)] == [
        date(2026, 11, 12),
        date(2026, 11, 23),
    ]
    second = (await rows(db, FollowUp))[-1]
    due = await rows(db, StoredDeadline, subject="followup", subject_id=second.id)
    assert date(2026, 11, 30) in [d.due_on for d in due]  # what the deadlines export reads
    await trainer.says("/suivi karim")
    assert "premier signe observé le lundi 23 novembre 2026" in trainer.all_text


async def test_absences_offers_only_the_formations_holding_some(
    db: Database, trainer: Person
) -> None:
    """Explorer M: /absences asked among 68 formations, most with no absence, and ended
    the dialogue on one of them."""
    await add_formation(db, title="Cariste", trainees=("Zoé Lambert", "Paul Roc"))
    await trainer.says("/absences")
    assert "Je ne trouve aucune absence à corriger : ni notée par vous" in trainer.last
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    await note_unjustified(trainer, "/absence nadia vendredi dernier matin")
    await trainer.says("/absences")
    offered = trainer.buttons
    assert any(b.startswith("Agent de restauration") for b in offered)
    assert any(b.startswith("Projet professionnel") for b in offered)
    assert not any(b.startswith("Cariste") for b in offered)


async def test_a_formation_deleted_before_the_absence_is_saved_is_said(
    db: Database, trainer: Person
) -> None:
    """Explorer BA1: a colleague deleted the formation at the recap; « Je ne trouve pas ce
    stagiaire dans cette formation. », masculine, and no word of why."""
    await trainer.says("/absence léa vendredi dernier matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Formation).values(deleted_at=datetime(2026, 11, 23, tzinfo=UTC))
        )
    await trainer.presses("Enregistrer")
    assert trainer.last.startswith(
        "Je ne trouve plus cette personne dans cette formation : la formation ou la personne a "
        "sans doute été supprimée"
    )
    assert await absences(db) == []


async def test_the_trainer_in_charge_corrects_an_absence_a_colleague_noted(
    db: Database, trainer: Person
) -> None:
    """Explorer BD4: a formation handed over by /membres held its former trainer's absences,
    which only an administrator could correct."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    async with db.sessions() as session, session.begin():
        marc = people.Person(display_name="Marc Dubois")
        session.add(marc)
        await session.flush()
        await session.execute(update(Absence).values(recorded_by=marc.id))
        # Camille is no administrator: in charge of the formation only.
        await session.execute(update(people.Membership).values(role=people.Role.FORMATEUR.value))
    await trainer.says("/absences")
    assert "Je ne trouve aucune absence" not in trainer.last
    assert any("Léa Martin" in b for b in trainer.buttons)


async def test_a_sick_leave_in_a_bilan_de_competences_offers_its_procedure(
    db: Database, trainer: Person
) -> None:
    """Explorer AF3: « arrêt maladie » noted during a bilan de compétences said nothing of
    ELY-BILAN-COMP (a solution agreed: report, maintien, avenant), whose very case it is."""
    await add_formation(
        db, title="Bilan Zoé Durand", kind="bilan_competences", trainees=("Zoé Durand",)
    )
    await trainer.says("/absence zoé vendredi dernier journée justifiée")
    await trainer.presses("Oui")
    await trainer.says("en arrêt maladie")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert "Zoé Durand est en arrêt maladie pendant son bilan de compétences" in trainer.all_text
    assert "report des dates du bilan, maintien, ou avenant à la convention" in trainer.all_text
    await trainer.presses("Ouvrir un suivi")
    await trainer.presses("Terminé")  # the sign ticked
    assert trainer.last.startswith(
        "Pour ce bilan de compétences, intervenez-vous en sous-traitance"  # not « formation »
    )
    await trainer.presses("Non")
    assert "Pour quelle raison" not in trainer.all_text  # the cause is known: not asked
    await trainer.presses("Ouvrir le suivi")
    [followup] = await rows(db, FollowUp)
    assert (followup.path, followup.cause) == ("bilan_comp", "sick_leave")
    await trainer.says("/annuler")
    await trainer.says("/absence zoé jeudi dernier matin justifiée")  # a child's illness: none
    await trainer.presses("Oui")
    await trainer.says("enfant malade")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert "arrêt maladie" not in trainer.all_text


@pytest.mark.parametrize(
    "typed", ["je sais pas encore", "non pas encore", "on verra", "jsp", "chais pas", "jsais pas"]
)
async def test_not_knowing_yet_whether_it_is_justified_is_an_answer(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer AG12: the morning after, before Karim has called, « je sais pas encore » got
    « Répondez par « Oui » ou « Non » », twice."""
    await trainer.says("/absence karim vendredi dernier matin")
    await trainer.presses("Oui")
    await trainer.says(typed)
    assert "Répondez par" not in trainer.all_text
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert (
        "absence non justifiée pour l'instant : quand vous en saurez plus, /absences, puis "
        "« Justification et motif »." in trainer.all_text
    )
    assert [a.justified for a in await absences(db)] == [False]


async def test_an_answer_neither_yes_nor_no_to_justified_says_what_if_not_known_yet(
    db: Database, trainer: Person
) -> None:
    """Explorer KF10: « jsp » at « Cette absence est-elle justifiée ? » got « Répondez par
    « Oui » ou « Non » », which said nothing of not knowing yet."""
    await trainer.says("/absence karim vendredi dernier matin")
    await trainer.presses("Oui")
    await trainer.says("peut-être")
    assert trainer.all_text == (
        "Répondez par « Oui » ou « Non » (ou choisissez une des réponses proposées). Vous ne "
        "savez pas encore ? Répondez « je ne sais pas » : elle sera notée non justifiée pour "
        "l'instant, à changer avec /absences quand vous en saurez plus.\n\n"
        "Cette absence est-elle justifiée ?"
    ), trainer.all_text
    await trainer.says("je ne sais pas")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    assert [a.justified for a in await absences(db)] == [False]


async def test_answers_said_in_a_sentence_are_read(db: Database, trainer: Person) -> None:
    """Explorer AW8: « la formation agent de restauration », « c'est Karim » and « non, il n'a
    pas prévenu » were refused, the person answering as to a colleague."""
    await trainer.says("/absence")
    await trainer.says("la formation agent de restauration")
    assert trainer.last.startswith("De qui s'agit-il ?")
    await trainer.says("c'est Karim")
    assert "Karim Benali" in trainer.last
    await trainer.says("vendredi dernier")
    if "Oui, c'est ça" in trainer.buttons:
        await trainer.presses("Oui, c'est ça")
    await trainer.presses("Toute la journée")
    await trainer.says("non, il n'a pas prévenu")
    assert trainer.last.startswith("Un motif connu ?")


async def test_the_words_after_a_list_of_days_reach_the_recap(
    db: Database, trainer: Person
) -> None:
    """Explorer EA1: « /absence Karim jeudi et vendredi malade » noted both days without
    « malade », « … Julie aussi » noted Karim alone, Julie unsaid; at « Quel jour … ? » and at
    « Changer le jour » alike."""
    await trainer.says("/absence Karim jeudi et vendredi malade")
    assert trainer.last.endswith("(2 jours), pour :\n· Karim Benali\nMotif : malade")
    await trainer.says("/annuler")
    await trainer.says("/absence Karim jeudi et vendredi Julie aussi")
    assert "vous parlez aussi de « Julie » après ce que vous dites de Karim" in trainer.last
    assert "Je n'ai rien noté" in trainer.last and await step_of(db, trainer) == (None, None)
    await trainer.says("/absence Karim")
    assert "Quel jour" in trainer.last
    await trainer.says("jeudi et vendredi sans nouvelles")
    assert trainer.last.endswith("(2 jours), pour :\n· Karim Benali\nMotif : sans nouvelles")
    await trainer.presses("Changer le jour")
    await trainer.says("mardi et mercredi rdv France Travail")
    assert trainer.last.endswith("(2 jours), pour :\n· Karim Benali\nMotif : rdv France Travail")
    await trainer.presses("Enregistrer")
    assert {(a.day, a.reason) for a in await absences(db)} == {
        (date(2026, 11, 17), "rdv France Travail"),
        (date(2026, 11, 18), "rdv France Travail"),
    }


async def test_two_people_after_the_command_are_noted_both(db: Database, trainer: Person) -> None:
    """Explorer EC6: « /absence Hugo et Léa vendredi matin » noted Hugo alone, Léa dropped
    without a word; « /absence Hugo, Léa … » found nobody."""
    for typed in ("/absence Hugo et Léa vendredi matin", "/absence Hugo, Léa vendredi matin"):
        await trainer.says(typed)
        assert trainer.last.startswith(
            "Noter une absence non justifiée, matin du vendredi 20 novembre 2026, pour :"
        ), trainer.last
        assert "· Hugo Moreau\n· Léa Martin" in trainer.last
        await trainer.says("/annuler")
    await trainer.says("/absence Julie en retard vendredi et Karim")  # two events (EE3)
    assert "vous parlez aussi de « Karim »" in trainer.last and "Je n'ai rien noté" in trainer.last
    await trainer.says("/absence Hugo et Léa vendredi matin")
    await trainer.presses("Enregistrer")
    names = {await trainee_id(db, n): n for n in ("Hugo Moreau", "Léa Martin")}
    assert sorted(names[a.trainee_id] for a in await absences(db)) == ["Hugo Moreau", "Léa Martin"]


async def test_the_motive_sent_as_the_caption_of_the_proof_keeps_both(
    db: Database, trainer: Person
) -> None:
    """Explorer EE6: the scan of the arrêt sent with « arrêt maladie » at « Quel motif ? » was
    refused whole, the trainer left thinking the scan unwanted."""
    await trainer.says("/absence")
    for step, kind, value, _bads in STEP_BY_STEP:
        if step == "reason":
            await trainer.sends_file("arret.pdf", "application/pdf", PDF, "arrêt maladie")
            assert await step_of(db, trainer) == ("absence", "recap")  # no proof asked again
            assert "Justificatif : arret.pdf" in trainer.last  # the recap names the proof kept
        elif step != "proof":
            await answer(trainer, kind, value)
    [saved] = await absences(db)
    assert (saved.reason, saved.proof_id is not None) == ("arrêt maladie", True)


async def test_a_file_alone_at_the_motive_is_told_where_it_goes_in_this_dialogue(
    db: Database, trainer: Person
) -> None:
    """Explorer JA2: the justificatif sent at « Quel motif ? » got the list of where files go
    (« se joint avec /absences (ou en notant l'absence) »), while it is the next question;
    at « Un motif connu ? » (not justified), how to get that question."""
    await trainer.says("/absence karim vendredi dernier matin")
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    await trainer.sends_file("arret.pdf", "application/pdf", PDF)
    assert trainer.all_text.startswith(
        "J'attends d'abord le motif, en quelques mots. Le justificatif vous est demandé juste "
        "après : renvoyez-le à la question suivante."
    )
    assert await step_of(db, trainer) == ("absence", "reason")
    await trainer.says("arrêt maladie")
    assert trainer.last.startswith("Avez-vous un justificatif (photo ou fichier PDF) ?")
    await trainer.says("/annuler")
    await trainer.says("/absence karim vendredi dernier matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.sends_file("arret.pdf", "application/pdf", PDF)
    assert trainer.all_text.startswith(
        "J'attends une réponse écrite ici, pas un fichier ni une photo. Vous avez répondu que "
        "cette absence n'est pas justifiée : si elle l'est, choisissez au récapitulatif "
        "« Corriger », puis « Justifiée ou non », et le justificatif vous sera demandé."
    )
    assert "/absences" not in trainer.all_text
    await trainer.presses("Passer")  # the way said is there
    await trainer.presses("Corriger")
    await trainer.presses("Justifiée ou non")
    await trainer.presses("Oui")
    await trainer.says("arrêt maladie")
    assert trainer.last.startswith("Avez-vous un justificatif (photo ou fichier PDF) ?")


async def test_29_february_in_a_year_without_one_is_named_at_every_date_question(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer IB6: « le 29 février » typed in 2027 was « J'ai compris : jeudi 29 février
    2024 », then refused as a year from Karim's dates: no such day this year, said at once."""
    clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # Monday 4 January 2027
    none = "Le 29 février 2027 n'existe pas. Donnez une autre date, par exemple « "
    await trainer.says("/absence karim le 29 février")
    assert trainer.all_text.startswith(none) and "2024" not in trainer.all_text
    await trainer.says("29/02")  # at the date's question
    assert trainer.all_text.startswith(none) and "2024" not in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("Karim absent le 29 février")
    assert trainer.all_text.startswith(none)
    await trainer.says("/annuler")
    await trainer.says("Karim et Léa absents le 29 février")
    assert trainer.all_text.startswith(none) and "plus d'un an" not in trainer.all_text
    assert not await absences(db)


async def test_the_words_after_absences_choose_the_formation_and_the_trainee(
    db: Database, trainer: Person
) -> None:
    """Explorer KB7: « /absences Karim Benali » asked « Dans quelle formation ? » of all,
    the name used nowhere."""
    await noted(
        trainer, "/absence karim hier matin", "/absence léa hier matin", "/absence nadia hier"
    )
    await trainer.says("/absences Karim Benali")
    assert trainer.last.startswith("Quelle absence ?")
    # Explorer MA6: « 1 choix sur 2 correspondent ».
    assert "\n1 choix sur 2 correspond à « Karim Benali » :" in trainer.last
    assert trainer.buttons == ["22/11 matin – Karim Benali", "Toute la liste"]
    await trainer.says("/annuler")
    await trainer.says("/absences projet")
    assert trainer.last.startswith("Quelle absence ?")
    assert [b for b in trainer.buttons if "Nadia Roux" in b]


async def noted(trainer: Person, *lines: str) -> None:
    """Absences noted with /absence, each confirmed as the morning's, no document."""
    for line in lines:
        await trainer.says(line)
        await trainer.presses("Oui")
        if "Oui, l'enregistrer" in trainer.buttons:
            await trainer.presses("Oui, l'enregistrer")
        if "Le matin" in trainer.buttons:
            await trainer.presses("Le matin")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")
        if "Pas maintenant" in trainer.buttons:
            await trainer.presses("Pas maintenant")


async def test_the_words_after_absences_are_answered_with_one_formation_holding_them(
    db: Database, trainer: Person
) -> None:
    """Explorer MA10: with one formation holding the absences, « /absences zorglub » and
    « /absences Nadia Roux » (a trainee with none) showed every absence without a word, where
    several formations got « Aucune formation ne correspond … »."""
    await noted(trainer, "/absence karim hier matin", "/absence léa hier matin")
    await trainer.says("/absences zorglub")
    assert trainer.replies[-2].text == (
        "Aucune formation ne correspond à « zorglub », ni aucun stagiaire : choisissez dans la "
        "liste."
    )
    assert trainer.last.startswith("Quelle absence ?") and len(trainer.buttons) == 2
    await trainer.says("/annuler")
    await trainer.says("/absences Nadia Roux")
    assert trainer.replies[-2].text == (
        "Aucune absence à corriger pour « Nadia Roux » : choisissez dans la liste."
    )
    assert trainer.last.startswith("Quelle absence ?") and len(trainer.buttons) == 2
    await trainer.says("/annuler")
    await trainer.says("/absences restauration")  # its formation: every absence, nothing said
    assert len(trainer.replies) == 1 and trainer.last.startswith("Quelle absence ?")
    await trainer.says("/annuler")
    await trainer.says("/absences léa")
    assert trainer.buttons == ["22/11 matin – Léa Martin", "Toute la liste"]


async def test_the_words_after_absences_are_answered_with_one_formation_only(
    db: Database, trainer: Person
) -> None:
    """Explorer DC7's neighbour: with one formation in all, « /absences zorglub » showed every
    absence without a word (MA10 read them when one of several held the absences)."""
    async with db.sessions() as session, session.begin():
        projet = update(Formation).where(Formation.title.like("Projet%"))
        await session.execute(projet.values(deleted_at=datetime(2026, 11, 1, tzinfo=UTC)))
    await noted(trainer, "/absence karim hier matin", "/absence léa hier matin")
    await trainer.says("/absences zorglub")
    assert trainer.replies[-2].text == (
        "Aucune formation ne correspond à « zorglub », ni aucun stagiaire : choisissez dans la "
        "liste."
    )
    assert trainer.last.startswith("Quelle absence ?") and len(trainer.buttons) == 2
    await trainer.says("/annuler")
    await trainer.says("/absences léa")
    assert trainer.buttons == ["22/11 matin – Léa Martin", "Toute la liste"]


async def test_absences_after_a_day_and_a_formation_lists_that_day_s_absences(
    db: Database, trainer: Person
) -> None:
    """Explorer SA8: « /absences 19/11 Projet » read the day as the formation's start day,
    « Aucune formation « Projet professionnel (démo) » ne commence le 19 novembre »; the day
    is the absences' day, as « /absences 22/11 » alone, in the formation named."""
    await noted(trainer, "/absence nadia jeudi", "/absence nadia hier")
    for typed in ("/absences 19/11 Projet", "/absences Projet 19/11"):
        await trainer.says(typed)
        assert "ne commence" not in trainer.all_text, typed
        assert trainer.last.startswith("Quelle absence ?"), typed
        assert trainer.buttons == ["19/11 matin – Nadia Roux", "Toute la liste"], typed
        await trainer.says("/annuler")
    await noted(trainer, "/absence karim hier matin")  # a second formation holds absences
    await trainer.says("/absences 19/11 Projet")
    assert "ne commence" not in trainer.all_text
    assert trainer.buttons == ["19/11 matin – Nadia Roux", "Toute la liste"]


async def test_absences_after_a_day_and_a_name_lists_that_one_s_that_day(
    db: Database, trainer: Person
) -> None:
    """Explorer UA9: « /absences 20/11 Karim » got « Aucune formation ne correspond à « 20/11
    Karim », ni aucun stagiaire », while « /absences 20/11 » and « /absences Karim » are read."""
    await noted(trainer, "/absence karim jeudi", "/absence karim vendredi", "/absence léa vendredi")
    await noted(trainer, "/absence nadia jeudi")  # a second formation holds absences
    for typed in ("/absences 20/11 Karim", "/absences Karim 20/11"):
        await trainer.says(typed)
        assert "Aucune formation ne correspond" not in trainer.all_text, typed
        assert trainer.buttons == ["20/11 matin – Karim Benali", "Toute la liste"], typed
        await trainer.says("/annuler")
    await trainer.says("/absences Karim 18/11")
    assert trainer.all_text.startswith("Aucune absence à corriger le mercredi 18 novembre")


async def test_absences_after_a_formation_without_absences_or_a_day(
    db: Database, trainer: Person
) -> None:
    """Explorer MB6: « /absences projet » said « Aucune formation ne correspond à « projet » »
    beside « Projet professionnel (démo) », which only holds no absence; « /absences 22/11 »,
    the day the absences' labels start with, was read as a formation's name."""
    await noted(trainer, "/absence karim hier matin", "/absence léa vendredi matin")
    await trainer.says("/absences projet")
    assert trainer.replies[-2].text == (
        "« Projet professionnel (démo) » n'a aucune absence à corriger : choisissez dans la liste."
    )
    assert trainer.last.startswith("Quelle absence ?") and len(trainer.buttons) == 2
    await trainer.says("/annuler")
    await trainer.says("/absences 22/11")
    assert "Aucune formation" not in trainer.all_text
    assert "\n1 choix sur 2 correspond à « 22/11 » :" in trainer.last
    assert trainer.buttons == ["22/11 matin – Karim Benali", "Toute la liste"]
    await trainer.says("/annuler")
    await trainer.says("/absences samedi")  # no absence that day: said, all of them shown
    assert trainer.replies[-2].text == (
        "Aucune absence à corriger le samedi 21 novembre 2026 : choisissez dans la liste."
    )
    assert trainer.last.startswith("Quelle absence ?") and len(trainer.buttons) == 2
    await trainer.says("/annuler")
    await noted(trainer, "/absence nadia hier")  # a second formation holds absences
    await trainer.says("/absences vendredi")  # only Léa's formation holds one that day
    assert trainer.last.startswith("Quelle absence ?")
    assert trainer.buttons == ["20/11 matin – Léa Martin", "Toute la liste"]
    await trainer.says("/annuler")
    await trainer.says("/absences 22/11")  # both hold one: asked, then that day's alone
    assert trainer.last.startswith("Dans quelle formation ?") and len(trainer.buttons) == 2
    assert "Aucune formation" not in trainer.all_text
    await trainer.says("Agent de restauration")
    assert trainer.buttons == ["22/11 matin – Karim Benali", "Toute la liste"]


async def test_an_absence_left_unanswered_a_day_names_what_was_lost_and_how_to_note_it(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer QB5: « hier matin » typed 30 hours after « Quel jour a eu lieu l'absence … de
    Karim Benali ? » got « j'ai refermé « noter une absence ou un retard » … Recommencez quand
    vous voulez », not whose absence was lost nor how to note it again."""
    await trainer.says("/absence")
    await trainer.says("1")
    await trainer.says("Karim")
    assert "Karim Benali" in trainer.last
    clock.advance(hours=30)
    await trainer.says("merci")  # no answer to the question (« hier matin »: read, QB5)
    assert trainer.all_text == (  # no day given yet: none in the example (explorer SA10)
        "Sans réponse depuis un moment, j'ai refermé « noter une absence ou un retard » : "
        "l'absence de Karim Benali n'est pas notée. Pour la noter, envoyez une seule phrase : "
        "« Absence de Karim Benali » suivi de son jour."
    )
    assert await step_of(db, trainer) == (None, None)
    await trainer.says("Karim retard ce matin")  # the sentence's question, left a day too
    clock.advance(hours=30)
    await trainer.says("oui")
    assert "le retard de Karim Benali n'est pas noté" in trainer.all_text
    # its half-day kept (explorer DC11: without « matin », sent back it lost it)
    assert "« Retard de Karim Benali mardi 24 novembre 2026 matin »" in trainer.all_text
    await trainer.says("/absence")  # nobody chosen yet: the usual notice
    clock.advance(hours=30)
    await trainer.says("1")
    assert "rien de ce qui n'avait pas été validé n'est enregistré" in trainer.all_text


async def test_the_day_typed_to_a_lapsed_question_is_read_as_the_notice_s_sentence(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer QB5's rest: « hier matin » typed 30 hours after « Quel jour … de Karim
    Benali ? » got the lapse notice alone, the answer dropped: read as the sentence the notice
    suggests, « Absence de Karim Benali hier matin », and confirmed as usual."""
    await trainer.says("/absence")
    await trainer.says("1")
    await trainer.says("Karim")
    clock.advance(hours=30)
    await trainer.says("hier matin")
    assert trainer.all_text.startswith(
        "Sans réponse depuis un moment, j'ai refermé « noter une absence ou un retard » : "
        "l'absence de Karim Benali n'est pas encore notée ; je lis votre réponse comme "
        "« Absence de Karim Benali hier matin »."
    )
    assert trainer.last.startswith(
        "Noter l'absence de Karim Benali, hier matin (lundi 23 novembre 2026) ?"
    )
    await trainer.presses("Oui, noter")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    saved = await absences(db)
    assert [(a.trainee_id, a.day, a.period) for a in saved] == [
        (await trainee_id(db, "Karim Benali"), date(2026, 11, 23), "matin")
    ]
    await trainer.says("/absence")  # anything but a day after it: the notice alone
    await trainer.says("1")
    await trainer.says("Julie")
    clock.advance(hours=30)
    await trainer.says("Julie")  # no day: the notice alone, as before
    assert "Pour la noter, envoyez une seule phrase" in trainer.all_text
    assert await step_of(db, trainer) == (None, None)


async def test_a_lapsed_absence_s_example_sentence_holds_its_own_day(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer SA10: the lapse notice's example was always « Absence de Karim Benali hier
    matin » (« Retard … ce matin »), not the absence's day: sent the next day, it noted
    another one. Now the day the dialogue held, spelled as a date, or none and how to add it."""
    await trainer.says("Karim absent hier matin")  # Monday 23: Sunday 22
    clock.advance(hours=25)
    await trainer.says("merci")
    example = "Absence de Karim Benali dimanche 22 novembre 2026 matin"
    assert f"par exemple « {example} »" in trainer.all_text
    assert "hier" not in trainer.all_text
    await trainer.says(example)  # followed on Tuesday: that Sunday, not Monday
    assert trainer.last.startswith(
        "Noter l'absence de Karim Benali, dimanche 22 novembre 2026, le matin ?"
    )
    await trainer.says("/annuler")

    await trainer.says("/absence Karim vendredi après-midi")
    clock.advance(hours=25)
    await trainer.says("merci")
    assert "« Absence de Karim Benali vendredi 20 novembre 2026 après-midi »" in (trainer.all_text)

    await trainer.says("Karim en retard de 20 min ce matin")  # Wednesday 25
    clock.advance(hours=25)
    await trainer.says("merci")
    # Its length too (explorer CB9: « Retard de Karim Benali mercredi … », sent back, noted
    # the retard without its 20 min), and its half-day (explorer DC11: without « matin »).
    late = "Retard de Karim Benali de 20 min mercredi 25 novembre 2026 matin"
    assert f"par exemple « {late} »" in trainer.all_text
    await trainer.says(late)
    assert trainer.last.startswith(
        "Noter le retard de 20 min de Karim Benali, mercredi 25 novembre 2026, le matin ?"
    ), trainer.last
    await trainer.says("/annuler")

    # /absence keeps a retard's half-day apart from its period (« retard »): given back too.
    await trainer.says("/absence Karim retard vendredi matin de 25 min")
    await trainer.presses("Oui")
    clock.advance(hours=25)
    await trainer.says("merci")
    assert "« Retard de Karim Benali de 25 min vendredi 20 novembre 2026 matin »" in (
        trainer.all_text
    ), trainer.all_text

    await trainer.says("/annuler")
    await trainer.says("/absence")
    await trainer.says("1")
    await trainer.says("Karim")
    clock.advance(hours=25)
    await trainer.says("merci")
    assert trainer.all_text == (
        "Sans réponse depuis un moment, j'ai refermé « noter une absence ou un retard » : "
        "l'absence de Karim Benali n'est pas notée. Pour la noter, envoyez une seule phrase : "
        "« Absence de Karim Benali » suivi de son jour."
    )
    assert await absences(db) == []


async def test_a_day_with_its_weekday_weeks_ahead_is_said_to_come_not_misread(
    trainer: Person, clock: Clock
) -> None:
    """Explorer AB1: in December, « lundi 11 janvier » was « pas compris » where « 11
    janvier » is said to be still to come."""
    clock.now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    await trainer.says("/absence karim")
    await trainer.says("lundi 11 janvier")
    assert trainer.last.startswith("Le lundi 11 janvier 2027 est à venir : une absence se note")
    await trainer.says("/annuler")
    await trainer.says("/absence Karim Benali absent lundi 11 janvier")
    assert "Le lundi 11 janvier 2027 est à venir" in trainer.all_text
    await trainer.says("/annuler")
    # Explorer BE10: « mardi 11 janvier », the 11th a Monday: either day meant is to come.
    await trainer.says("/absence Karim Benali absent mardi 11 janvier")
    assert "tombe un" not in trainer.all_text
    assert trainer.all_text.startswith("C'est à venir : une absence se note le jour même")


async def test_every_step_of_a_date_or_justification_correction_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """/absences' date and justification corrections (the day, a weekend, the justification,
    the reason, the proof) re-ask on wrong, empty, huge or hostile input and change nothing
    (coverage AR)."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")

    async def stored() -> tuple[object, ...]:
        a = (await absences(db))[0]
        return (a.day, a.period, a.justified, a.reason, a.proof_id, a.late_minutes)

    original = await stored()

    async def bad_at(step: str, bads: tuple[Bad, ...]) -> None:
        assert await step_of(db, trainer) == ("absences", step), trainer.last
        await survives(db, trainer, bads)
        assert await stored() == original

    await trainer.says("/absences")
    await trainer.presses("20/11 matin – Léa Martin")
    await trainer.presses("Corriger la date")
    await bad_at("date", FOR_TEXT)
    await trainer.says("samedi dernier")
    await bad_at("date", FOR_CHOICES)  # its confirmation
    await trainer.presses("Oui, c'est ça")
    await bad_at("weekend", FOR_CHOICES)
    await trainer.says("/annuler")

    await trainer.says("/absences")
    await trainer.presses("20/11 matin – Léa Martin")
    await trainer.presses("Justification et motif")
    await bad_at("justified", FOR_CHOICES)
    await trainer.presses("Oui")
    await bad_at("reason", FOR_TEXT)
    await trainer.says("convocation")
    await bad_at("proof", tuple(b for b in FOR_CHOICES if not b.file))  # a file is the answer
    await trainer.presses("Pas de justificatif")
    assert await step_of(db, trainer) == ("absences", "recap")
    await trainer.presses("Abandonner")
    assert await stored() == original


async def test_the_offer_of_a_follow_up_survives_bad_input(db: Database, trainer: Person) -> None:
    """The offer to open a follow-up after an absence is saved re-asks on wrong, empty, huge
    or hostile input and opens none (coverage AR)."""
    await trainer.says("/absence nadia vendredi dernier journée justifiée")
    await trainer.presses("Oui")
    await trainer.says("enfant malade")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    assert await step_of(db, trainer) == ("absence", "offer")
    await survives(db, trainer, FOR_CHOICES)
    assert await rows(db, FollowUp) == []
    assert len(await absences(db)) == 1


async def test_the_minutes_of_a_late_arrival_survive_bad_input(
    db: Database, trainer: Person
) -> None:
    """How late, asked of a retard noted without its minutes, re-asks on wrong, empty, huge
    or hostile input and saves nothing (coverage AR)."""
    await trainer.says("/absence")
    await trainer.presses("Agent de restauration")
    await trainer.says("léa")
    await trainer.says("vendredi dernier")
    await trainer.presses("Oui")
    await trainer.presses("Un retard")
    assert await step_of(db, trainer) == ("absence", "late_minutes")
    await survives(db, trainer, FOR_TEXT)
    assert await absences(db) == []


async def test_a_corrected_date_s_clash_and_one_outside_the_path_survive_bad_input(
    db: Database, trainer: Person
) -> None:
    """A corrected day already noted, or outside the person's path: the question what to do
    re-asks on wrong, empty, huge or hostile input and changes nothing (coverage AR)."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    await note_unjustified(trainer, "/absence léa jeudi dernier matin")
    days = sorted(a.day for a in await absences(db))
    for typed, step in (("vendredi dernier", "conflict"), ("le 2 janvier 2026", "outside")):
        await trainer.says("/absences")
        await trainer.presses("19/11 matin")
        await trainer.presses("Corriger la date")
        await trainer.says(typed)
        await trainer.presses("Oui, c'est ça")
        assert await step_of(db, trainer) == ("absences", step)
        await survives(db, trainer, FOR_CHOICES)
        await trainer.says("/annuler")
    assert sorted(a.day for a in await absences(db)) == days


async def correcting_the_justification(trainer: Person, justified: str) -> None:
    """/absences, Léa Martin's morning of Friday 20 November, « Justification et motif »,
    answered ``justified``."""
    await trainer.says("/absences")
    await trainer.presses("20/11 matin – Léa Martin")
    await trainer.presses("Justification et motif")
    await trainer.presses(justified)


async def test_the_optional_motive_of_a_correction_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """/absences' motive of an absence corrected to unjustified, which takes any words or
    « Passer », still re-asks on empty, huge, emoji-only or hostile input, a file or a forged
    button, and changes nothing (coverage BC)."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    original = [(a.day, a.period, a.justified, a.reason) for a in await absences(db)]
    await correcting_the_justification(trainer, "Non")
    assert await step_of(db, trainer) == ("absences", "reason_optional"), trainer.last
    await survives(db, trainer, FOR_NAMES)
    assert trainer.buttons == ["Passer"]
    await trainer.presses("Passer")
    await trainer.presses("Abandonner")
    assert [(a.day, a.period, a.justified, a.reason) for a in await absences(db)] == original


async def test_a_file_at_a_correction_s_optional_motive_is_told_a_way_that_exists(
    db: Database, trainer: Person
) -> None:
    """Coverage BC1: a file sent at /absences' « Un motif connu ? » (the absence corrected to
    unjustified) was told to choose « Corriger », then « Justifiée ou non », at the recap,
    whose only buttons are « Enregistrer la correction » and « Abandonner »."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    await correcting_the_justification(trainer, "Non")
    await trainer.sends_file("arret.pdf", "application/pdf", PDF)
    assert trainer.all_text.startswith(
        "J'attends une réponse écrite ici, pas un fichier ni une photo. Vous avez répondu que "
        "cette absence n'est pas justifiée : si elle l'est, abandonnez cette correction "
        "(/annuler), puis reprenez /absences, cette absence et « Justification et motif », en "
        "répondant « Oui » : le justificatif vous sera demandé."
    )
    assert "« Corriger »" not in trainer.all_text
    await trainer.says("/annuler")  # the way said is there
    await correcting_the_justification(trainer, "Oui")
    await trainer.says("arrêt maladie")
    assert trainer.last.startswith("Avez-vous un justificatif (photo ou fichier PDF) ?")


@pytest.mark.parametrize("kind", ["bilan_competences", "vae"])
async def test_the_one_person_of_a_bilan_de_competences_is_not_asked_for(
    db: Database, trainer: Person, kind: str
) -> None:
    """Explorer CD7: in a bilan de compétences (or a VAE) of one person, /absence asked « De
    qui s'agit-il ? » with her one button, and a day typed there was « Je ne trouve personne
    qui corresponde à « vendredi dernier » »: she is the one, named in the day's question."""
    await add_formation(db, title="Bilan Zoé Durand", kind=kind, trainees=("Zoé Durand",))
    await trainer.says("/absence")
    await trainer.presses("Bilan Zoé Durand")
    assert "De qui s'agit-il" not in trainer.all_text
    assert trainer.last.startswith("Quel jour a eu lieu l'absence ou le retard de Zoé Durand ?")
    await trainer.says("vendredi dernier")
    assert "Je ne trouve personne" not in trainer.all_text
    await trainer.presses("Oui")
    await trainer.presses("Toute la journée")
    await trainer.presses("Oui")  # justified
    await trainer.says("rendez-vous administratif")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    [absence] = await absences(db)
    assert absence.trainee_id == await trainee_id(db, "Zoé Durand")


async def test_a_justified_absence_corrected_to_unjustified_says_its_proof_stays(
    db: Database, trainer: Person
) -> None:
    """Explorer EC8: a justified absence with its proof, corrected to « Non », kept the proof
    without a word, and the exports read « justifiée : non » beside the file. The file stays
    (the erasure of the trainee finds it through the absence: unlinked, it would outlive her),
    and the recap says so before « Enregistrer la correction »."""
    await trainer.says("/absence léa vendredi dernier matin")
    await trainer.presses("Oui")  # the day
    await trainer.presses("Oui")  # justified
    await trainer.says("arrêt maladie")
    await trainer.sends_file("arret.pdf", "application/pdf", PDF)
    await trainer.presses("Enregistrer")
    await correcting_the_justification(trainer, "Non")
    await trainer.presses("Passer")
    assert (
        "Le justificatif déjà joint (arret.pdf) reste conservé avec l'absence et nommé dans "
        "les exports, à côté de « justifiée : non »." in trainer.last
    ), trainer.last
    await trainer.presses("Enregistrer la correction")
    (a,) = await absences(db)
    assert not a.justified and a.proof_id is not None


async def test_a_correction_of_an_absence_a_colleague_deleted_meanwhile_says_so(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer KC8: Camille and Bruno, both administrators, opened Léa's absence in
    /absences; Camille deleted it while Bruno corrected its justification, and at
    « Enregistrer la correction » he read « Je ne trouve pas cette absence parmi celles que
    vous pouvez corriger », as if he lacked the right.  Now: who deleted it, and when."""
    await note_unjustified(trainer, "/absence léa vendredi dernier matin")
    await second_admin(db)
    bruno = person("bruno")
    for who in (trainer, bruno):
        await who.says("/absences")
        await who.presses("Léa Martin")
    await bruno.presses("Corriger la période")
    await trainer.presses("Supprimer")
    await trainer.presses("Oui, supprimer")
    assert "C'est supprimé" in trainer.all_text
    await bruno.presses("L'après-midi")
    await bruno.presses("Enregistrer la correction")
    assert bruno.all_text == (
        "Cette absence a été supprimée entre-temps par Camille Durand, le lundi 23 novembre "
        "2026 à 10 h 00 : rien n'est enregistré. Pour la noter de nouveau : /absence."
    ), bruno.all_text
    async with db.sessions() as session:
        [deleted] = (await session.scalars(select(Absence))).all()
    assert deleted.deleted_at is not None and deleted.period == "matin"  # not corrected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("non c'est bon", "chimiothérapie"),
        ("c'est bon, garde", "chimiothérapie"),
        ("je le garde tel quel", "chimiothérapie"),
        ("non merci", "chimiothérapie"),
        ("non, raison personnelle", "raison personnelle"),
        ("mettez raison de santé", "raison de santé"),
        ("<b>raison</b>", "<b>raison</b>"),  # as typed at « Quel motif ? », shown escaped
    ],
)
async def test_the_words_after_one_person_s_medical_warning_read_as_several_people_s(
    db: Database, trainer: Person, typed: str, reason: str
) -> None:
    """Explorer LB1: after « Ce motif donne un détail médical » at one person's recap, « non
    c'est bon », « c'est bon, garde » were « Je n'ai pas reconnu ce choix », where several
    people's confirmation reads them: one reader, the motive kept or replaced, the recap
    asked again."""
    await trainer.says("Karim absent vendredi matin, chimiothérapie")
    await trainer.presses("Oui, noter")
    await trainer.presses("Oui")
    await trainer.presses("Pas de justificatif")
    assert "Ce motif donne un détail médical" in trainer.last
    await trainer.says(typed)
    assert "Je n'ai pas reconnu" not in trainer.all_text
    assert trainer.last.startswith("Récapitulatif :") and "détail médical" not in trainer.last
    assert f"Justifiée : {reason}\n" in trainer.last
    assert await absences(db) == []
    await trainer.presses("Enregistrer")
    assert [a.reason for a in await absences(db)] == [reason]


async def test_wrong_words_after_one_person_s_medical_warning_keep_the_motive(
    db: Database, trainer: Person
) -> None:
    """Explorer LB1: nothing, a page, control characters, « oui mais non » after the warning:
    said in French, the motive pointed out unchanged, the warning still waiting for its
    answer; once answered, words at the recap are refused as before."""
    await trainer.says("Karim absent vendredi matin, chimiothérapie")
    await trainer.presses("Oui, noter")
    await trainer.presses("Oui")
    await trainer.presses("Pas de justificatif")
    for typed, said in (
        ("", "Je n'ai rien reçu"),
        ("x" * 5000, "Votre message est trop long"),
        ("raison\u202e perso", "Votre message contient des caractères de contrôle"),
        ("oui mais non", "Je n'ai pas reconnu ce choix"),
    ):
        await trainer.says(typed)
        assert trainer.all_text.startswith(said), typed[:20]
        assert "Justifiée : chimiothérapie\n" in trainer.last
    await trainer.says("raison de santé")  # still its answer, after the wrong ones
    assert "Justifiée : raison de santé\n" in trainer.last
    await trainer.says("c'est bon, garde")  # answered: refused as any words there
    assert trainer.all_text.startswith("Je n'ai pas reconnu ce choix")
    assert await absences(db) == []
