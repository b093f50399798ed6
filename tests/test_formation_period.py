"""A formation's dates typed as a trainer types them (bot/conversations/formations/period.py):
at creation, and with « Modifier les dates » (outside test).

The demo clock says Monday 23 November 2026, 10:00 in Paris; "Agent de restauration
(démo)" runs from Saturday 24 October 2026 to Thursday 7 January 2027.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, step_of, survives
from tests.test_formation import HAPPY, answer


async def at_the_dates_step(trainer: Person) -> None:
    await trainer.says("/formation")
    await trainer.says("Agent de restauration")
    await trainer.presses("Une formation")
    await trainer.presses("Région Normandie")
    await trainer.presses("De date à date")
    assert "Quelles sont les dates de la formation" in trainer.last
    assert "« le 2 mars 2027 » pour une formation d'une journée" in trainer.last  # ED2


async def test_days_counted_from_today_and_shortened_weekdays_are_understood(
    trainer: Person, clock: Clock
) -> None:
    await at_the_dates_step(trainer)
    await trainer.says("du lundi prochain au 15/01/2027")
    assert trainer.last.startswith(
        "J'ai compris : du lundi 30 novembre 2026 au vendredi 15 janvier 2027."
    )
    await trainer.presses("Non, corriger")
    await trainer.says("à partir de lundi prochain jusqu'au 15/01/2027")
    assert trainer.last.startswith(
        "J'ai compris : du lundi 30 novembre 2026 au vendredi 15 janvier 2027."
    )

    clock.advance(days=9)  # Wednesday 2 December, as the tester: 23 November is past
    await at_the_dates_step(trainer)
    await trainer.says("du lun 23 nov au ven 4 déc")
    assert trainer.last.startswith(
        "J'ai compris : du lundi 23 novembre 2026 au vendredi 4 décembre 2026."
    )


async def test_a_formation_of_one_day_is_typed_as_its_day(db: Database, trainer: Person) -> None:
    """Explorer ED2: « le 27 novembre 2026 » was refused (« il me faut la date de début et la
    date de fin »), and « du 27 au 27 novembre » said back « du vendredi 27 novembre 2026 au
    vendredi 27 novembre 2026 »."""
    await trainer.says("/formation")
    for step, kind, value in HAPPY:
        if step == "period" and kind == "say":
            await trainer.says("le 15 mars 2027")
            assert trainer.last.startswith(
                "J'ai compris : une formation d'une journée, le lundi 15 mars 2027. C'est bien ça ?"
            )
            await survives(db, trainer, FOR_CHOICES)
        else:
            await answer(trainer, kind, value)
    said = "\n".join(trainer.transcript)
    assert "\nLe lundi 15 mars 2027\n" in said and "au lundi 15 mars 2027" not in said
    assert trainer.last.startswith(
        "C'est enregistré : Agent de restauration, le lundi 15 mars 2027, 3 stagiaires."
    )
    async with db.sessions() as session:
        saved = await session.scalar(
            select(Formation).where(Formation.title == "Agent de restauration")
        )
    assert saved is not None and (saved.start_date, saved.end_date) == (
        date(2027, 3, 15),
        date(2027, 3, 15),
    )


async def test_what_cannot_be_dates_is_said_precisely(db: Database, trainer: Person) -> None:
    await at_the_dates_step(trainer)
    await trainer.says("du 2 au 31 février 2027")
    assert trainer.last.startswith("Le 31 février 2027 n'existe pas. Redonnez les dates")
    await trainer.says("31 février à 14h")
    assert trainer.last.startswith("Le 31 février n'existe pas.")
    await trainer.says("jusqu'au 18 décembre")  # nothing to keep at creation
    assert trainer.last.startswith("Il me faut aussi la date de début : donnez les deux")
    await trainer.says("à partir du 7 décembre")
    assert trainer.last.startswith("Il me faut aussi la date de fin : donnez les deux")
    await trainer.says("du 15/06/2027 au 02/03/2027")
    assert trainer.last.startswith("La date de fin est avant la date de début.")
    # Without years, the same slip is no year-long formation begun eleven months ago (AS2).
    for slip in ("du 15 décembre au 10 décembre", "du 15 janvier au 10 janvier"):
        await trainer.says(slip)
        assert trainer.last.startswith("La date de fin est avant la date de début."), slip
    await trainer.says("01/01/2020")  # one day, too old as a period would be
    assert trainer.last.startswith("Le début remonterait à plus de deux ans")
    await trainer.says("du 1er janvier 2020 au 2 mars 2020")
    assert trainer.last.startswith("Le début remonterait à plus de deux ans")
    await trainer.says("du 1er mars 2099 au 2 mars 2099")  # explorer AD4: 2029 mistyped
    assert trainer.last.startswith("Le début tomberait dans plus de deux ans : vérifiez l'année.")
    await trainer.says("du 2 mars 2027 au 15 juin 2035")
    assert trainer.last.startswith("Plus de trois ans entre le début et la fin")
    await trainer.says("n'importe quoi")
    assert trainer.last.startswith("Je n'ai pas compris ces dates.")
    await survives(db, trainer, FOR_CHOICES)


async def test_a_year_no_one_means_is_named_at_the_dates(db: Database, trainer: Person) -> None:
    """Explorer GD8: « du 1/12/2026 au 31/12/9999 » was « Je n'ai pas compris ces dates »."""
    await at_the_dates_step(trainer)
    await trainer.says("du 1/12/2026 au 31/12/9999")
    assert trainer.last.startswith(
        "L'année 9999 semble fausse : vérifiez-la et redonnez les dates, par exemple « du 2 mars"
    )
    await trainer.says("du 12/03/2226 au 12/05/2226")
    assert trainer.last.startswith("L'année 2226 semble fausse")
    assert await step_of(db, trainer) == ("formation", "period")


async def test_an_impossible_day_typed_at_c_est_bien_ca_is_said(
    db: Database, trainer: Person
) -> None:
    """Outside test: « du 4 janvier au 31 fevrier » typed instead of « Oui » read « Répondez
    « Oui » ou « Non » », though the first question says which day does not exist."""
    await at_the_dates_step(trainer)
    await trainer.says("du 4 janvier au 15 mars 2027")
    await trainer.says("du 4 janvier au 31 fevrier")
    assert "Le 31 février n'existe pas." in trainer.all_text
    assert "Répondez « Oui » ou « Non »" not in trainer.all_text
    assert "du lundi 4 janvier 2027 au lundi 15 mars 2027. C'est bien ça ?" in trainer.last
    await trainer.says("ni oui ni non")
    assert "Répondez « Oui » ou « Non », ou donnez directement d'autres dates." in trainer.last
    # Explorer AD3: other dates, wrong ones, are said why, as at the question itself.
    for typed, why in (
        ("du 1er janvier 1990 au 2 février 1990", "remonterait à plus de deux ans"),
        ("du 2 mars 2027 au 15 juin 2035", "Plus de trois ans entre le début et la fin"),
        ("du 1er mars 2099 au 2 mars 2099", "dans plus de deux ans"),
    ):
        await trainer.says(typed)
        assert why in trainer.last and "Répondez « Oui »" not in trainer.last
        assert "du lundi 4 janvier 2027 au lundi 15 mars 2027. C'est bien ça ?" in trainer.last


async def test_new_dates_can_move_one_end_and_keep_the_other(db: Database, trainer: Person) -> None:
    """« Modifier les dates », "jusqu'au 18 décembre": the end moves, the start stays."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Modifier les dates")
    assert "« jusqu'au 18 décembre » pour ne changer que la fin" in trainer.last
    await trainer.says("jusqu'au 18 décembre")
    assert trainer.last.startswith(
        "J'ai compris : du lundi 19 octobre 2026 au vendredi 18 décembre 2026."
    )
    await trainer.presses("Oui")
    assert "Nouvelles dates enregistrées" in trainer.all_text
    await trainer.presses("Modifier les dates")
    await trainer.says("à partir du lundi 26 octobre")
    await trainer.presses("Oui")
    await trainer.presses("Modifier les dates")
    await trainer.says("jusqu'au 2 octobre")  # before the start: said, not stored
    assert trainer.last.startswith("La date de fin est avant la date de début.")
    await trainer.says("jusqu'au 31 avril")
    assert trainer.last.startswith("Le 31 avril n'existe pas.")
    await survives(db, trainer, FOR_CHOICES)
    async with db.sessions() as session:
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent de restauration"))
        )
    assert formation is not None
    assert (formation.start_date, formation.end_date) == (date(2026, 10, 26), date(2026, 12, 18))


async def test_new_dates_move_the_first_day_entries_and_say_the_absences_left_out(
    db: Database, trainer: Person
) -> None:
    """Explorer E: a start moved after absences noted said nothing, and every trainee kept
    the old first day as entry."""
    await trainer.says("Karim absent de mercredi à vendredi")  # 18 to 20 November
    await trainer.presses("Enregistrer")
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Modifier les dates")
    await trainer.says("du 23 novembre 2026 au 22 janvier 2027")
    await trainer.presses("Oui")
    assert (
        "Attention, 3 absences notées entre le mercredi 18 novembre 2026 et le vendredi 20 "
        "novembre 2026 tombent maintenant en dehors de ces dates : je les garde"
    ) in trainer.all_text
    async with db.sessions() as session:
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent de restauration"))
        )
        assert formation is not None
        await session.refresh(formation, ["trainees"])
        assert {t.entered_on for t in formation.trainees} == {date(2026, 11, 23)}


async def test_its_own_dates_again_are_said_to_be_its_dates(db: Database, trainer: Person) -> None:
    """Explorer AD22: the formation's own dates typed again asked « C'est bien ça ? », as if
    something would change; moving a bilan says « C'est déjà la date prévue » (one text for
    both).  The question stays open for the dates meant, or /annuler."""
    said = "Ce sont déjà ses dates : donnez les nouvelles dates, ou tapez /annuler pour ne rien changer."
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Modifier les dates")
    for typed in (
        "du 19 octobre 2026 au 8 janvier 2027",
        "jusqu'au 8 janvier",
        "du 19/10 au 08/01",
    ):
        await trainer.says(typed)
        assert trainer.last.startswith(f"{said}\n\nQuelles sont les nouvelles dates"), typed
        assert "C'est bien ça" not in trainer.last
        assert await step_of(db, trainer) == ("formation_dates", "period")
    await trainer.says("jusqu'au 15 janvier")
    assert "C'est bien ça ?" in trainer.last
    await trainer.says("non, du 19 octobre 2026 au 8 janvier 2027")  # at « C'est bien ça ? »
    assert trainer.last.startswith(f"{said}\n\nQuelles sont les nouvelles dates"), trainer.last
    await trainer.says("Oui")  # nothing pending any more: not the 15 January
    assert "Nouvelles dates enregistrées" not in trainer.all_text
    await trainer.says("/annuler")
    async with db.sessions() as session:
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent de restauration"))
        )
    assert formation is not None
    assert (formation.start_date, formation.end_date) == (date(2026, 10, 19), date(2027, 1, 8))
