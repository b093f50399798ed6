"""Every example a date step shows is accepted by that very step, the day it is shown.

An outside tester was told « par exemple « jeudi 26 novembre à 14 h » » for a
bilan after that day had passed, « vendredi 4 décembre » to postpone a deadline
whose earliest new date was the 9th, and « demain » for an absence, which
absences refuse.  Here each example the bot gives (in its question, after a date
it could not read, after a refused one, after « Non, corriger ») is typed back
to the same step, on a Friday and on a Sunday.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.db import Database
from tests.auxil.dialogue import Clock, Person
from tests.auxil.formations import a_crowd
from tests.auxil.hostile import FOR_CHOICES, step_of, survives

FRIDAY = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
SUNDAY = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
QUOTED = re.compile(r"« ([^«»]+) »")


@pytest.fixture(params=[FRIDAY, SUNDAY], ids=["friday", "sunday"])
def clock(request: pytest.FixtureRequest) -> Clock:
    return Clock(now=request.param)


def examples(text: str) -> list[str]:
    found = QUOTED.findall(text)
    assert found, text
    return found


async def each_example_is_accepted(who: Person, shown: str) -> None:
    """Type back every example of ``shown``: each is understood, then corrected away (the
    correction's own example is typed back too)."""
    for example in examples(shown):
        await who.says(example)
        assert "J'ai compris" in who.last, (example, who.last)
        await who.presses("Non, corriger")
        for again in examples(who.last):
            await who.says(again)
            assert "J'ai compris" in who.last, (again, who.last)
            await who.presses("Non, corriger")


async def unclear_and_refused(who: Person, refused: str) -> None:
    """A date the step cannot read, then one it refuses: their examples are accepted too."""
    await who.says("le jour du poisson")
    assert "Je n'ai pas compris cette date" in who.last
    await each_example_is_accepted(who, who.last)
    await who.says(refused)
    assert "J'ai compris" not in who.last
    await each_example_is_accepted(who, who.last)


async def start_bilan(trainer: Person) -> None:
    await trainer.says("/bilan")
    await trainer.says("Agent de restauration")
    await trainer.presses("Programmer le bilan de fin")
    await trainer.presses("À distance")


async def test_the_bilan_dates_examples(trainer: Person) -> None:
    await start_bilan(trainer)
    assert "Quand ?" in trainer.last
    await each_example_is_accepted(trainer, trainer.last)
    await unclear_and_refused(trainer, "hier à 10 h")


async def test_the_postponement_examples(trainer: Person) -> None:
    await start_bilan(trainer)
    (when,) = examples(trainer.last)
    for line in (when, "oui", "2 heures", "https://visio.example.org/bilan", "oui", "oui"):
        await trainer.says(line)
    for line in ("non", "Terminé", "Terminé"):
        await trainer.says(line)
    await trainer.presses("Programmer le bilan")
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Envoyer les justificatifs de participation")
    await trainer.presses("Reporter")
    assert "À quelle date la reporter" in trainer.last
    await each_example_is_accepted(trainer, trainer.last)
    await unclear_and_refused(trainer, "aujourd'hui")


async def test_the_absence_date_examples(trainer: Person) -> None:
    await trainer.says("/absence")
    await trainer.presses("Agent de restauration")
    await trainer.says("karim")
    assert "Quel jour a eu lieu l'absence" in trainer.last
    await each_example_is_accepted(trainer, trainer.last)
    await unclear_and_refused(trainer, "demain")


SPRING = datetime(2027, 3, 25, 9, 0, tzinfo=UTC)  # Thursday 25 March 2027, 10 h in Paris


@pytest.mark.parametrize("clock", [Clock(now=SPRING)], ids=["spring"])
async def test_an_hour_the_change_of_time_moves_is_said_in_the_confirmation(
    trainer: Person, clock: Clock
) -> None:
    """Explorer IB1: « dimanche 28 mars à 2h30 » was confirmed as « 3 h 30 », an hour
    never typed, with no word why; said in the date question every dialogue shares."""
    from tests.test_decrochage import open_followup

    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("dimanche 28 mars à 2h30")
    assert "J'ai compris : dimanche 28 mars 2027 à 3 h 30. C'est bien ça ?" in trainer.last
    assert (
        "2 h 30 n'existe pas cette nuit-là : c'est le passage à l'heure d'été, on avance d'une"
        " heure. J'ai donc compté 3 h 30."
    ) in trainer.last
    # The day first, then the hour alone: the same (it was 2 h 30 « +01:00 », shown 2 h 30).
    await trainer.presses("Non, corriger")
    await trainer.says("dimanche 28 mars")
    await trainer.says("2h30")
    assert "dimanche 28 mars 2027 à 3 h 30" in trainer.last
    assert "2 h 30 n'existe pas cette nuit-là" in trainer.last
    await trainer.says("dimanche 28 mars à 4h")  # another hour instead of « Oui »: no word
    assert "à 4 h 00" in trainer.last and "n'existe pas" not in trainer.last
    await trainer.says("dimanche 31 octobre à 2h30")
    assert "dimanche 31 octobre 2027 à 2 h 30" in trainer.last
    assert (
        "2 h 30 revient deux fois cette nuit-là : c'est le passage à l'heure d'hiver, on recule"
        " d'une heure. J'ai compté la première fois, avant le changement d'heure."
    ) in trainer.last


@pytest.mark.parametrize("clock", [Clock(now=SPRING + timedelta(days=4))], ids=["monday"])
async def test_a_day_asked_without_its_hour_says_nothing_of_the_change_of_time(
    trainer: Person, clock: Clock
) -> None:
    """Explorer IB1: the hour an absence's day drops is not commented on."""
    await trainer.says("/absence")
    await trainer.presses("Agent de restauration")
    await trainer.says("karim")
    await trainer.says("dimanche 28 mars à 2h30")
    assert "J'ai compris : dimanche 28 mars 2027" in trainer.last
    assert "n'existe pas" not in trainer.last


# --- a list narrowed by what is typed ------------------------------------------------------
# An outside tester with forty formations typed « cariste » and « rouen »: the bot said
# « Plusieurs choix correspondent à « cariste » » and showed page 1 unchanged, without one
# Cariste formation on it.


async def test_part_of_a_label_shows_the_options_it_fits(db: Database, trainer: Person) -> None:
    await a_crowd(db, trainer.engine.clock().date())
    await trainer.says("/formations")
    await trainer.says("cariste")
    assert "4 choix sur" in trainer.last and "correspondent à « cariste »" in trainer.last
    shown = [line.split(" (")[0] for line in trainer.numbered]
    # Numbered afresh; the formations running today (Le Havre, Évreux) first.
    assert [s.split(". ")[0] for s in shown[:4]] == ["1", "2", "3", "4"]
    assert {s.split(" – ")[1] for s in shown[:2]} == {"Le Havre", "Évreux"}
    assert {s.split(". ")[1] for s in shown[:4]} == {
        f"Cariste – {city}" for city in ("Caen", "Rouen", "Le Havre", "Évreux")
    }
    assert shown[4:] == ["– Toute la liste"]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("Toute la liste")
    assert trainer.buttons[-1].startswith("Suivants") and "Toute la liste" not in trainer.buttons
    await trainer.says("EVREUX")  # accents and case aside
    assert all("Évreux" in line for line in trainer.numbered[:-1])
    await trainer.says("cariste")  # among those shown: the one Cariste of Évreux
    assert "Que voulez-vous faire de « Cariste – Évreux » ?" in trainer.last


async def test_a_number_after_narrowing_is_the_one_shown(db: Database, trainer: Person) -> None:
    await a_crowd(db, trainer.engine.clock().date())
    await trainer.says("/formations")
    await trainer.says("rouen")
    second = trainer.numbered[1]
    assert second.startswith("2. ") and "Rouen" in second
    await trainer.says("2")
    assert f"« {second.removeprefix('2. ').rsplit(' (', 1)[0]} »" in trainer.last


async def test_nothing_fits_says_so(db: Database, trainer: Person) -> None:
    await a_crowd(db, trainer.engine.clock().date())
    await trainer.says("/formations")
    await trainer.says("boulangerie")
    assert trainer.last.startswith(
        "Je n'ai pas reconnu ce choix : rien dans la liste ne correspond à « boulangerie »."
    )
    assert "ou tapez son numéro ou une partie de son nom." in trainer.last  # a list to search
    # « annuler » without its slash, where no option says it: the way out is named.
    for typed in ("annuler", "Stop", "arrêter"):
        await trainer.says(typed)
        assert trainer.last.startswith("Pour tout arrêter, tapez /annuler"), typed
    assert await step_of(db, trainer) == ("formations", "formation")


async def test_a_short_choice_does_not_ask_for_a_part_of_a_name(trainer: Person) -> None:
    """Explorer O: « … ou une partie de son nom » at « Oui / Non » and « De quoi s'agit-il ? »."""
    await trainer.says("/formation")
    await trainer.says("Cuisine niveau 2")
    await trainer.says("Cuisine niveau 2")  # at « De quoi s'agit-il ? » (three kinds)
    assert trainer.last.startswith("Je n'ai pas reconnu ce choix")
    assert "tapez son numéro." in trainer.last and "partie de son nom" not in trainer.last
    # Explorer AD1, AD25: never echoed back as typed (a U+202E turned the reply round),
    # and a huge answer told its length, as at a text question; a long echo cut with « … ».
    for hostile in ("\u202eFormation test", "Agent\x07 de\x1b[31m cuisine"):
        await trainer.says(hostile)
        assert trainer.last.startswith(
            "Votre message contient des caractères de contrôle invisibles"
        ), hostile
    await trainer.says("b" * 5000)
    assert trainer.last.startswith(
        "Votre message est trop long (5\u202f000 caractères, pour 4\u202f000 au plus)."
    )
    for nothing in ("", "   ", "\u200b\u200b"):  # explorer AD2: nothing typed, said so
        await trainer.says(nothing)
        assert trainer.last.startswith("Je n'ai rien reçu : choisissez une des réponses"), nothing
    for sign in ("%", "*", "_"):  # something received, no choice (explorer AK9)
        await trainer.says(sign)
        assert trainer.last.startswith("Je n'ai pas reconnu ce choix"), sign
    await trainer.says("Agent " * 30)
    assert "« Agent Agent Agent Agent Agent Agent Agent Agent Agent Agent…" in trainer.last


async def test_a_stop_word_typed_at_a_free_text_or_date_question_is_not_an_answer(
    db: Database, trainer: Person
) -> None:
    """Explorer D (F33): « annuler » at « Quel motif ? » was saved as the absence's reason."""
    await trainer.says("/absence hugo lundi matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")  # not justified: the reason is optional
    asked = await step_of(db, trainer)
    for word in ("annuler", "Stop", "  quitter "):
        await trainer.says(word)
        assert trainer.last.startswith("Pour tout arrêter, tapez /annuler (avec la barre oblique)")
        assert await step_of(db, trainer) == asked
    await trainer.says("Annulation du train")  # a reason that says it in a sentence is one
    assert "Récapitulatif" in trainer.last and "Annulation du train" in trainer.last
    await trainer.says("/annuler")
    await trainer.says("/absence hugo")
    await trainer.says("arrêter")
    assert "Pour tout arrêter, tapez /annuler" in trainer.last
    assert "écrivez la date, par exemple « " in trainer.last


async def test_a_file_at_a_written_question_is_told_where_files_go(
    db: Database, trainer: Person
) -> None:
    """Explorer DG3: a second list sent at « Qui sont les délégués ? » got « J'attends une
    réponse écrite ici » and nothing said where a list, a proof or a signed sheet goes."""
    await trainer.says("/formation")
    await trainer.sends_file("stagiaires.xlsx", "application/vnd.ms-excel", b"PK x")
    assert "pas un fichier ni une photo" in trainer.last
    assert (
        "une liste de stagiaires avec /formations, « Ajouter des stagiaires », une fois la "
        "formation enregistrée" in trainer.last
    )
    assert await step_of(db, trainer) == ("formation", "title")


async def test_a_file_outside_any_question_is_told_the_follow_up_takes_documents(
    trainer: Person,
) -> None:
    """Explorer AA4: a compte rendu sent outside any question was told where a proof, a
    signed sheet and a list go, never the follow-up's « Joindre un document »."""
    await trainer.sends_file("cr.pdf", "application/pdf", b"%PDF-1.4 x")
    assert "il n'est pas enregistré" in trainer.last, trainer.last
    assert (
        "un compte rendu signé ou des notes d'un suivi de décrochage avec /decrochage, "
        "« Joindre un document »" in trainer.last
    ), trainer.last


async def test_a_file_with_words_at_a_written_question_is_refused_whole(
    db: Database, trainer: Person
) -> None:
    """Explorer EC7: « Mon constat en PJ » sent with a PDF became a compte rendu's constat,
    the file dropped unsaid."""
    await trainer.says("/formation")
    await trainer.sends_file("intitule.pdf", "application/pdf", b"%PDF-1.4 x", "Cariste")
    assert trainer.last.startswith(
        "J'attends une réponse écrite ici, pas un fichier ni une photo. Je ne garde ni le "
        "fichier ni le texte envoyé avec lui : écrivez votre réponse dans un message seul."
    )
    assert await step_of(db, trainer) == ("formation", "title")
    await trainer.says("Cariste")
    assert trainer.last == "De quoi s'agit-il ?"  # the title taken from its own message
