"""A follow-up opened by an absence follows that absence's corrections (explorer AF4)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.storage.absences import FollowUp
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from tests.auxil.absences import note_unjustified, rows
from tests.auxil.dialogue import Person


async def test_an_absence_that_opened_a_follow_up_moves_its_first_sign_when_corrected(
    db: Database, trainer: Person
) -> None:
    """Explorer AF4: moved from Friday to Thursday, the absence left its follow-up counting
    from Friday (« premier signe observé le vendredi »), its contact due a day late; deleted,
    it left the follow-up open without a word."""
    await note_unjustified(trainer, "/absence nadia vendredi dernier matin")
    await trainer.presses("Ouvrir un suivi")
    for label in ("Terminé", "Non", "Ouvrir le suivi"):
        if any(label in b for b in trainer.buttons):
            await trainer.presses(label)
    [followup] = await rows(db, FollowUp)
    assert followup.sign_on == date(2026, 11, 20)
    contact = await due_of(db, "ELY-SHORT-CONTACT")
    await trainer.says("/annuler")
    await trainer.says("/absences")
    await trainer.presses("20/11 matin – Nadia Roux")
    await trainer.presses("Corriger la date")
    await trainer.says("jeudi dernier")
    await trainer.presses("Oui")
    await trainer.presses("Enregistrer la correction")
    assert "Le suivi de décrochage ouvert après cette absence part désormais de ce jour" in (
        trainer.last
    )
    [followup] = await rows(db, FollowUp)
    assert followup.sign_on == date(2026, 11, 19)
    assert await due_of(db, "ELY-SHORT-CONTACT") == contact - timedelta(days=1)
    await trainer.says("/absences")
    await trainer.presses("19/11 matin – Nadia Roux")
    await trainer.presses("Supprimer")
    await trainer.presses("Oui, supprimer")
    assert "Le suivi de décrochage ouvert après cette absence reste ouvert" in trainer.last
    assert "/decrochage Nadia Roux" in trainer.last


async def due_of(db: Database, rule: str) -> date:
    async with db.sessions() as session:
        due = await session.scalar(
            select(StoredDeadline.due_on).where(StoredDeadline.key.startswith(rule))
        )
    assert due is not None, rule
    return due


async def test_an_exit_that_opened_a_follow_up_moves_its_first_sign_when_corrected(
    db: Database, trainer: Person
) -> None:
    """Explorer AF4, the same with an exit: corrected from Friday to Wednesday, the follow-up
    still said « premier signe observé le vendredi »."""

    async def exit_on(day: str) -> None:
        await trainer.says("/formations")
        await trainer.presses("Projet professionnel")
        await trainer.presses("Entrées et sorties")
        await trainer.presses("Thomas Fabre")
        await trainer.presses("Sa sortie")
        await trainer.says(day)
        await trainer.presses("Oui")
        await trainer.presses("Abandon")
        await trainer.presses("Oui")

    await exit_on("vendredi")
    await trainer.presses("Ouvrir un suivi")
    await trainer.presses("Terminé")
    await trainer.presses("Non")  # not subcontracted
    await trainer.presses("Ouvrir le suivi")
    contact = await due_of(db, "ELY-SHORT-CONTACT")
    await trainer.says("/annuler")
    await exit_on("mercredi")
    assert (
        "Le suivi de décrochage ouvert après cette sortie part désormais du mercredi 18 "
        "novembre 2026, ses échéances avec lui." in trainer.all_text
    )
    [followup] = await rows(db, FollowUp)
    assert followup.sign_on == date(2026, 11, 18)
    assert await due_of(db, "ELY-SHORT-CONTACT") == contact - timedelta(days=2)
