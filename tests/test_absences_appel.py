"""/appel: the roll call of a half-day on the console, one confirmation, one transaction."""

from __future__ import annotations

from datetime import date

from bot.storage.db import Database
from tests.auxil.absences import absences, trainee_id
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, step_of, survives


async def test_scratch(db: Database, trainer: Person) -> None:
    import sys; sys.path.insert(0, "/tmp/rc"); import dbg  # noqa
    await trainer.says("/appel")
    print("\n".join(trainer.transcript))
    await trainer.says("restauration")
    await trainer.says("Ce matin")
    await trainer.says("absents : 2, 4 ; retard : 3")
    await trainer.says("Enregistrer l'appel")
    print("\n".join(trainer.transcript))
    print(trainer.buttons)
