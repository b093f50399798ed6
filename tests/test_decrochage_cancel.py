"""Cancelling an entretien that will not be held (explorer GF3): the trainee left, or did
not come and will not be seen again.  Only « Reprogrammer » was offered, though the bot
itself said to « annuler » it when the exit was saved, and the closing ticket read « pas
encore tenu » in a closed file."""

from __future__ import annotations

from datetime import date

import pytest

from bot.storage.db import Database
from tests.auxil.absences import Entretien, record_exit, rows
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_TEXT, survives
from tests.test_decrochage import open_followup, tasks


async def karim_s_entretien_on_thursday(trainer: Person) -> None:
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("jeudi 16h")
    await trainer.presses("Oui")


async def test_an_entretien_after_the_exit_is_cancelled_and_the_ticket_says_so(
    db: Database, trainer: Person, clock: Clock
) -> None:
    await karim_s_entretien_on_thursday(trainer)
    await record_exit(db, "Karim Benali", date(2026, 11, 23))
    await trainer.says("/decrochage karim")
    assert "Annuler l'entretien" in trainer.buttons
    await trainer.presses("Annuler l'entretien")
    assert trainer.last.startswith(
        "Annuler l'entretien individuel du jeudi 26 novembre 2026 à 16 h 00 avec Karim Benali : "
        "pour quelle raison ?"
    )
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("La personne a quitté la formation")
    assert trainer.last.startswith(
        "Annuler l'entretien individuel du jeudi 26 novembre 2026 à 16 h 00 avec Karim Benali : "
        "la personne a quitté la formation (sortie le lundi 23 novembre 2026) ?"
    )
    await trainer.presses("Oui, l'annuler")
    assert (
        "C'est noté : l'entretien individuel du jeudi 26 novembre 2026 à 16 h 00 est annulé, "
        "sans rappel ; raison : la personne a quitté la formation (sortie le lundi 23 novembre "
        "2026)."
    ) in trainer.all_text
    [entretien] = await rows(db, Entretien)
    assert entretien.cancelled_at is not None and entretien.cancel_reason == "sortie"
    assert entretien.cancelled_by is not None
    assert "COMPTE-RENDU" not in await tasks(db)  # no compte rendu due for it
    assert "Programmer l'entretien individuel" in trainer.buttons  # back to the menu
    assert "entretien individuel prévu" not in trainer.all_text.rsplit("Suivi de", 1)[-1]

    await trainer.presses("Saisir le ticket qualité")
    assert (
        "Entretien individuel du jeudi 26 novembre 2026 à 16 h 00 annulé le lundi 23 novembre "
        "2026 : la personne a quitté la formation (sortie le lundi 23 novembre 2026)."
    ) in trainer.last
    assert "pas encore tenu" not in trainer.last
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Enregistrer le ticket")
    await trainer.says("/suivi karim")
    assert "programmé pour le jeudi 26 novembre 2026 à 16 h 00 (annulé ensuite)" in (
        trainer.all_text
    )
    assert (
        "Entretien individuel du jeudi 26 novembre 2026 à 16 h 00 annulé : la personne a quitté "
        "la formation (Camille Durand)"
    ) in trainer.all_text


async def test_a_no_show_is_cancelled_from_the_compte_rendu_s_question(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """« a-t-il eu lieu ? » offered only « reprogrammer » for a trainee who did not come."""
    await karim_s_entretien_on_thursday(trainer)
    clock.advance(days=3, hours=9)  # Thursday 26, 18 h
    await trainer.says("/decrochage karim")
    await trainer.presses("Rédiger le compte rendu")
    await trainer.presses("Non, et il n'aura pas lieu")
    await trainer.presses("La personne ne s'est pas présentée")
    await trainer.presses("Oui, l'annuler")
    assert "est annulé, sans rappel ; raison : la personne ne s'est pas présentée." in (
        trainer.all_text
    )
    [entretien] = await rows(db, Entretien)
    assert entretien.cancel_reason == "absente"


async def test_another_reason_is_asked_and_kept(db: Database, trainer: Person) -> None:
    await karim_s_entretien_on_thursday(trainer)
    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    await trainer.presses("Une autre raison")
    assert trainer.last.startswith("Quelle raison ?")
    await survives(db, trainer, FOR_TEXT)
    await trainer.says("hospitalisé pour trois semaines")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Non, le garder")
    assert (await rows(db, Entretien))[0].cancelled_at is None
    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    await trainer.presses("Une autre raison")
    await trainer.says("hospitalisé pour trois semaines")
    await trainer.presses("Oui, l'annuler")
    [entretien] = await rows(db, Entretien)
    assert (entretien.cancel_reason, entretien.cancel_note) == (
        "autre",
        "hospitalisé pour trois semaines",
    )
    await trainer.presses("Saisir le ticket qualité")
    assert "annulé le lundi 23 novembre 2026 : hospitalisé pour trois semaines." in trainer.last


async def test_a_held_entretien_is_not_offered_to_cancel(trainer: Person) -> None:
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("aujourd'hui 8h")
    await trainer.presses("Oui")
    await trainer.says("/decrochage karim")
    assert "Annuler l'entretien" not in trainer.buttons


async def test_before_its_hour_only_reasons_that_can_be_true_are_offered(
    db: Database, trainer: Person
) -> None:
    """Explorer HB4: on Monday, « La personne ne s'est pas présentée » was offered (and
    written so in the ticket qualité) for an entretien on Thursday, and « La personne a
    quitté la formation » for someone whose exit was not recorded."""
    await karim_s_entretien_on_thursday(trainer)
    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    assert trainer.buttons == [
        "La personne a prévenu qu'elle ne viendrait pas",
        "Une autre raison",
        "Ne pas l'annuler",
    ]
    assert (
        "Si Karim Benali a quitté la formation, enregistrez d'abord sa sortie : /formations, "
        "puis « Entrées et sorties »"
    ) in trainer.last
    await trainer.says("il ne s'est pas présenté")
    assert trainer.all_text.startswith(
        "L'entretien individuel est prévu le jeudi 26 novembre 2026 à 16 h 00 : il n'a pas "
        "encore eu lieu, je ne peux pas noter que la personne ne s'est pas présentée."
    )
    await trainer.says("il a quitté la formation")
    assert trainer.all_text.startswith(
        "Aucune sortie n'est enregistrée pour Karim Benali : enregistrez-la d'abord"
    )
    await trainer.presses("Une autre raison")
    await trainer.says("ne s'est pas présenté")
    assert "il n'a pas encore eu lieu" in trainer.all_text
    assert "Écrivez une autre raison" in trainer.last and "Quelle raison ?" in trainer.last
    await trainer.says("a abandonné la formation")
    assert "Aucune sortie n'est enregistrée pour Karim Benali" in trainer.all_text
    await trainer.says("/annuler")
    assert (await rows(db, Entretien))[0].cancelled_at is None

    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    await trainer.presses("La personne a prévenu qu'elle ne viendrait pas")
    await trainer.presses("Oui, l'annuler")
    assert (
        "est annulé, sans rappel ; raison : la personne a prévenu qu'elle ne viendrait pas."
    ) in trainer.all_text
    [entretien] = await rows(db, Entretien)
    assert entretien.cancel_reason == "prevenu"
    await trainer.presses("Saisir le ticket qualité")
    assert (
        "annulé le lundi 23 novembre 2026 : la personne a prévenu qu'elle ne viendrait pas."
    ) in trainer.last
    assert "ne s'est pas présentée" not in trainer.last


@pytest.mark.parametrize(
    "typed",
    [
        "hospitalisé, absent depuis lundi",
        "il sera absent jeudi, convocation au tribunal",
        "pas venu en formation depuis une semaine",
        "il a quitté la région",
    ],
)
async def test_a_reason_typed_at_the_buttons_is_read_as_written(
    db: Database, trainer: Person, typed: str
) -> None:
    """Explorer JA11: before the entretien's hour, any « absent » or « pas venu » typed at the
    buttons was refused as a no-show at the entretien, and « a quitté la région » as an
    exit not recorded; they are another reason, to write at its question."""
    await karim_s_entretien_on_thursday(trainer)
    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    await trainer.says(typed)
    assert trainer.all_text.startswith(
        "Je n'ai pas reconnu ce choix. Pour écrire la raison vous-même, choisissez « Une autre "
        "raison » : je vous la demanderai ensuite."
    )
    await trainer.presses("Une autre raison")
    await trainer.says(typed)
    assert trainer.all_text.startswith(
        "Annuler l'entretien individuel du jeudi 26 novembre 2026 à 16 h 00 avec Karim Benali : "
        f"{typed} ?"
    )
    await trainer.presses("Oui, l'annuler")
    [entretien] = await rows(db, Entretien)
    assert (entretien.cancel_reason, entretien.cancel_note) == ("autre", typed)


async def test_a_no_show_typed_short_at_the_buttons_is_still_refused_before_the_hour(
    trainer: Person,
) -> None:
    """Explorer JA11 narrowed the words read as a no-show at the buttons; said alone they
    still are one (explorer HB4)."""
    await karim_s_entretien_on_thursday(trainer)
    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    for typed in ("absent", "il n'est pas venu", "no show"):
        await trainer.says(typed)
        assert "il n'a pas encore eu lieu" in trainer.all_text


async def test_past_its_hour_a_no_show_is_offered_and_an_exit_once_recorded(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer HB4: « ne s'est pas présentée » once the hour is past; « a quitté la
    formation » only with an exit recorded."""
    await karim_s_entretien_on_thursday(trainer)
    clock.advance(days=3, hours=9)  # Thursday 26, 18 h
    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    assert "La personne ne s'est pas présentée" in trainer.buttons
    assert "La personne a quitté la formation" not in trainer.buttons
    await trainer.says("/annuler")
    await record_exit(db, "Karim Benali", date(2026, 11, 25))
    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    assert "La personne a quitté la formation" in trainer.buttons
    assert "enregistrez d'abord sa sortie" not in trainer.last


async def test_the_cancel_typed_twice_is_said_taken_once(db: Database, trainer: Person) -> None:
    """Explorer EC11: « Oui, l'annuler » typed twice (a double send on Matrix or the console)
    cancelled the entretien, and the second reached the follow-up's menu, which answered
    « Pour tout arrêter, tapez /annuler … ». It is said taken once, as at a dialogue's end;
    the same words again after that are read by the menu as before."""
    await karim_s_entretien_on_thursday(trainer)
    await record_exit(db, "Karim Benali", date(2026, 11, 23))
    await trainer.says("/decrochage karim")
    await trainer.presses("Annuler l'entretien")
    await trainer.presses("La personne a quitté la formation")
    await trainer.says("Oui, l'annuler")
    assert "est annulé" in trainer.all_text
    await trainer.says("Oui, l'annuler")
    assert trainer.all_text == (
        "C'est déjà fait : votre message « Oui, l'annuler » m'est parvenu deux fois, je ne l'ai "
        "pris en compte qu'une fois."
    )
    [entretien] = await rows(db, Entretien)
    assert entretien.cancelled_at is not None
    await trainer.says("Oui, l'annuler")  # a third: the menu's answer, as before
    assert "C'est déjà fait" not in trainer.all_text
