"""The invitation a participant's conversation holds (bot/conversations/attestations/held.py):
a replaced link says whom to ask for the new one, by name only to whoever had opened it."""

from __future__ import annotations

from collections.abc import Callable

from tests.auxil.attestations import after_the_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker


async def test_a_replaced_link_names_whom_to_ask_to_the_one_who_had_opened_it(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Outside test C, defect 11: « demandez le nouveau à votre formateur » for a formatrice."""
    invited = await after_the_bilan(trainer, clock)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("/annuler")
    await trainer.says("/attestations")
    await trainer.presses("Nouveau lien pour un participant")
    await trainer.presses("Léa Martin")
    await lea.says(f"/start {invited['Léa Martin']}")
    assert lea.last == "Ce lien a été remplacé par un nouveau : demandez-le à Camille Durand."
