"""/vacations: Rectorat remote coaching pay (REC-*, seed 004 §3), its working and its cap."""

from __future__ import annotations

from datetime import date, timedelta

from bot.dates import is_working_day
from bot.storage.db import Database
from tests.auxil.absences import add_formation, audit_entries, set_org_settings
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, FOR_TEXT, step_of, survives

TRAINEES = ("Anne Roy", "Bruno Colin", "Chloé Faure")


async def test_rectorat_first_hours_participants_and_cap(db: Database, trainer: Person) -> None:
    await add_formation(
        db, title="PAF Numérique", funder="rectorat", remote_coaching=True, trainees=TRAINEES
    )
    await trainer.says("/vacations")
    assert "Pour quelle formation ? (celles du Rectorat d'abord)" in trainer.last
    assert trainer.buttons[0].startswith("PAF Numérique")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("PAF Numérique")
    await survives(db, trainer, FOR_TEXT)
    await trainer.says("beaucoup")
    assert "Je n'ai pas compris cette durée" in trainer.last
    # The bot's own example in French typography (explorer AI21: « 9h30 »).
    assert "par exemple « 9 », « 9 h 30 » ou « 12 heures »." in trainer.last
    await trainer.says("9 h 30")
    assert "Qui a effectivement participé à la formation ?" in trainer.last  # 004 §3 (BB4)
    assert trainer.buttons[:3] == ["☑ Bruno Colin", "☑ Chloé Faure", "☑ Anne Roy"]  # by surname
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Chloé Faure")  # untick: did not take part
    await trainer.presses("Terminé")
    text = trainer.last
    assert "Vacations pour « PAF Numérique », 2 participants" in text
    assert "9 h 30 ÷ 2 h = 4,75 vacations" in text
    assert "Plafond appliqué, plafond d'une vacation par stagiaire ayant participé (2)" in text
    assert "Plafond appliqué, plafond d'une vacation par stagiaire ayant participé (2)" in text
    assert text.count("plafond d'une vacation par stagiaire") == 1  # said once (explorer AA)
    assert "2 vacations" in text
    entry = [e for e in await audit_entries(db, "formation") if e.action == "vacations"][-1]
    assert entry.details == {
        "minutes": 570,
        "participants": 2,
        "vacations": 2,
        "cap": "trainee",
        "rounding": "down",
    }
    assert await step_of(db, trainer) == (None, None)


async def test_no_rectorat_first_where_there_is_none(trainer: Person) -> None:
    """Explorer DF3: forty formations, none of the Rectorat, and the question said « (celles du
    Rectorat d'abord) »."""
    await trainer.says("/vacations")
    assert "Pour quelle formation ?" in trainer.last
    assert "Rectorat" not in trainer.last


async def test_the_group_cap_and_the_rounding_setting(db: Database, trainer: Person) -> None:
    names = tuple(f"Stagiaire {letter}" for letter in "ABCDEFGHIJ")
    await add_formation(db, title="PAF Groupe", funder="rectorat", trainees=names)
    await trainer.says("/vacations")
    await trainer.presses("PAF Groupe")
    await trainer.says("40 heures")
    await trainer.presses("Terminé")
    assert "Plafond appliqué, plafond de 8 vacations pour un groupe" in trainer.last
    assert "s'applique" not in trainer.last and "(2\u202f400 minutes)" in trainer.last
    await set_org_settings(db, rec_vacation_rounding="up")
    await trainer.says("/vacations")
    await trainer.presses("PAF Groupe")
    await trainer.says("9")
    await trainer.presses("Terminé")
    assert "arrondi au supérieur : 5 vacations" in trainer.last
    assert "Aucun plafond ne s'applique." in trainer.last


async def test_negative_or_huge_hours_are_said_so(db: Database, trainer: Person) -> None:
    """Explorer GD7: « -9 h » was nine hours, « 9999 » and « 100000 h » « Je n'ai pas
    compris cette durée » where « 0 » got the range."""
    await add_formation(db, title="PAF Numérique", funder="rectorat", trainees=TRAINEES)
    await trainer.says("/vacations")
    await trainer.presses("PAF Numérique")
    for typed in ("-9 h", "-9"):
        await trainer.says(typed)
        assert trainer.all_text.startswith(
            "Une durée ne peut pas être négative : écrivez-la sans le signe moins, par exemple"
            " « 9 »."
        ), typed
        assert await step_of(db, trainer) == ("vacations", "minutes")
    for typed in ("9999", "100000 h"):
        await trainer.says(typed)
        assert trainer.all_text.startswith("Entre quelques minutes et 500 heures"), typed
    await trainer.says("9")
    assert "Qui a effectivement participé" in trainer.last


async def test_someone_absent_all_along_is_not_proposed(db: Database, trainer: Person) -> None:
    await add_formation(db, title="PAF Court", funder="rectorat", trainees=TRAINEES)
    # The formation started 20 days ago: Chloé absent every working day since (the 11th
    # of November is a public holiday: no training, nothing to log).
    day = date(2026, 11, 3)
    while day <= date(2026, 11, 23):
        if is_working_day(day):
            await trainer.says(f"/absence chloé le {day.day}/{day.month} journée")
            await trainer.presses("Oui")
            if "Enregistrer quand même" in trainer.buttons:
                await trainer.presses("Enregistrer quand même")
            await trainer.presses("Oui")
            await trainer.says("arrêt maladie")
            await trainer.presses("Pas de justificatif")
            await trainer.presses("Enregistrer")
            if "Pas maintenant" in trainer.buttons:
                await trainer.presses("Pas maintenant")
        day += timedelta(days=1)
    await trainer.says("/vacations")
    await trainer.presses("PAF Court")
    await trainer.says("12")
    assert "Je n'ai pas coché 1 personne absente tout du long" in trainer.last
    assert "☐ Chloé Faure" in trainer.buttons
    await trainer.presses("Terminé")
    assert "2 participants" in trainer.last
    await trainer.says("/vacations")
    await trainer.presses("PAF Court")
    await trainer.says("3")
    await trainer.presses("Anne Roy")
    await trainer.presses("Bruno Colin")
    await trainer.presses("Terminé")
    assert "au moins un" in trainer.last


async def test_typed_numbers_untick_trainees_as_reported(db: Database, trainer: Person) -> None:
    """Issue 11 item 1: "3, 4, 5" typed to untick three trainees was silently ignored."""
    names = (*TRAINEES, "Damien Petit", "Élise Marchand")
    await add_formation(db, title="PAF Cinq", funder="rectorat", trainees=names)
    await trainer.says("/vacations")
    await trainer.presses("PAF Cinq")
    await trainer.says("20 heures")
    await trainer.says("3, 4, 5")
    # by surname: Colin, Faure, Marchand, Petit, Roy
    assert "Décoché : 3. Élise Marchand ; 4. Damien Petit ; 5. Anne Roy." in trainer.all_text
    assert "2 cochés sur 5" in trainer.all_text
    await trainer.says("Retour")  # item 21: back to the hours, the ticks kept
    assert "Combien d'heures" in trainer.last
    await trainer.says("20 heures")
    assert [b[0] for b in trainer.buttons[:5]] == ["☑", "☑", "☐", "☐", "☐"]
    await trainer.says("Terminé")
    assert "Vacations pour « PAF Cinq », 2 participants" in trainer.last
    assert "2 vacations" in trainer.last
    entry = [e for e in await audit_entries(db, "formation") if e.action == "vacations"][-1]
    assert entry.details["participants"] == 2 and entry.details["vacations"] == 2
