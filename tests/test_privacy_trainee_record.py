"""What an organisme noted about a trainee, as her /mesdonnees gives it (explorer AH7)."""

from __future__ import annotations

from bot.privacy.trainee_record import noted_about
from bot.storage.db import Database
from tests.auxil.absences import note_unjustified, trainee_id
from tests.auxil.dialogue import Person
from tests.test_absences_timeline import contact
from tests.test_decrochage import open_followup


async def test_absences_and_a_follow_up_in_the_chat_s_words(db: Database, trainer: Person) -> None:
    await note_unjustified(trainer, "/absence thomas vendredi dernier matin")
    await trainer.presses("Pas maintenant")
    await open_followup(trainer, "thomas")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage thomas")
    await trainer.presses("Noter un contact")
    await contact(trainer, "aujourd'hui", "L'entreprise")
    thomas = await trainee_id(db, "Thomas Fabre")
    async with db.sessions() as session:
        noted = await noted_about(session, [thomas])
        nothing = await noted_about(session, [])
    [absence] = noted["absences"]
    assert (absence["jour"], absence["période"], absence["justifiée"]) == (
        "2026-11-20",
        "matin",
        False,
    )
    [followup] = noted["suivis de décrochage"]
    assert followup["parcours"] == "formation courte" and followup["clos le"] is None
    assert followup["signes"] == ["Absences répétées"]
    [call] = followup["contacts"]
    assert (call["avec"], call["moyen"], call["ce qui a été dit"]) == (
        "l'entreprise",
        "téléphone",
        "Joint",
    )
    assert nothing == {"absences": [], "suivis de décrochage": []}
