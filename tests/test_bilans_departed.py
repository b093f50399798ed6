"""A trainee gone before the bilan's day, at « Qui participe ? » (explorers F F19, AU6)."""

from __future__ import annotations

from datetime import date

from bot.storage.db import Database
from tests.auxil.absences import record_exit
from tests.auxil.dialogue import Person
from tests.test_bilan import REMOTE, answer


async def test_neither_the_day_chosen_nor_tous_ticks_her(db: Database, trainer: Person) -> None:
    await record_exit(db, "Léa Martin", date(2026, 11, 25))
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:11]:
        await answer(trainer, kind, value)
    assert "Léa Martin : sortie de formation avant le bilan, je n'ai pas coché ce nom." in (
        trainer.last
    )
    await trainer.presses("Hugo Moreau")  # unticked, to see « tous » tick him back
    await trainer.says("tous")
    await trainer.presses("Non, préparer le message")
    assert "☑ Hugo Moreau (pour les stagiaires)" in trainer.buttons
    assert "☐ Léa Martin – sortie le mercredi 25 novembre 2026" in trainer.buttons
