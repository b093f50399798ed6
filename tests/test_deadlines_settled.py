"""A deadline closed with its follow-up without being done reads so everywhere (explorer AH4)."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from bot.deadlines import exports as deadline_exports
from bot.deadlines.settled import SETTLED
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.dialogue import Person
from tests.test_absences_timeline import contact
from tests.test_deadlines_exports import args
from tests.test_decrochage import open_followup


async def test_the_contact_never_made_is_not_done_in_the_export_nor_the_calendar(
    db: Database, trainer: Person
) -> None:
    """The ticket filed after a contact with Thomas only: the timeline said « Échéance non
    tenue, close avec le suivi », the échéances CSV « fait, faite par Camille Durand »."""
    await open_followup(trainer, "thomas")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage thomas")
    await trainer.presses("Noter un contact")
    await contact(trainer, "aujourd'hui")  # with Thomas, not his company
    await trainer.says("/decrochage thomas")
    await trainer.presses("Saisir le ticket qualité")
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Enregistrer le ticket")
    await trainer.says("/suivi thomas")
    # What was not done, in the words of what was left of it (explorer HB10).
    assert (
        "Échéance non tenue, close avec le suivi : Contacter l'entreprise de la personne"
        in trainer.last
    )
    async with db.sessions() as session:
        formation = await session.scalar(
            select(Formation.id).where(Formation.title.startswith("Projet"))
        )
        rows = await deadline_exports.rows(session, args(formation=formation))
        data = await deadline_exports.calendar(session, args(formation=formation, format="ics"))
    [row] = [r for r in rows if r["titre"].startswith("Contacter")]
    assert (row["statut"], row["faite le"], row["faite par"]) == (SETTLED, None, None)
    [ticket] = [r for r in rows if "ticket qualité" in r["titre"]]
    assert ticket["statut"] == "fait" and ticket["faite par"] == "Camille Durand"
    [event] = [e for e in Calendar.from_ical(data).events if "Contacter" in str(e["SUMMARY"])]
    assert f"Statut : {SETTLED}" in str(event["DESCRIPTION"])
