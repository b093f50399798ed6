"""Replies to the health warning on a participant's words, before attesting (explorer MB).

The demo's bilan is Thursday 26 November 2026, 14 h 00 to 16 h 00 in Paris; Camille Durand
is its formation's trainer, Hugo Moreau a delegate invited to it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.storage.db import Database
from tests.auxil.attestations import after_the_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.test_attestations_words import answers, told_the_trainer

AT_THE_NAME = "Hugo Moreau, j'étais à l'hôpital le matin même"
AT_THE_ROLE = "oui, mais je suis parti à 15 h pour ma chimiothérapie"


@pytest.mark.parametrize(
    "lines",
    [
        [AT_THE_NAME, "Hugo Moreau", "oui", "oui"],
        ["Hugo Moreau", AT_THE_ROLE, "oui", "oui"],
    ],
    ids=["name", "role"],
)
async def test_words_pointed_out_then_left_behind_by_answering_are_never_sent_later(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, lines: list[str]
) -> None:
    """Explorer MB10: words pointed out at the name (or the role), then left behind by
    answering that question, were sent to the trainer and signed by the « oui » that answers
    the oath two questions later. Answering the question ends the warning's memory."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    for line in lines:
        await hugo.says(line)
    assert "J'ai transmis" not in hugo.all_text
    assert "Votre attestation est enregistrée" in hugo.all_text, hugo.all_text
    assert await told_the_trainer(db) == []
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)
