"""A sentence outside any conversation that no feature understood gets the closest commands."""

from __future__ import annotations

from collections.abc import Callable

from bot.storage.db import Database
from tests.auxil.dialogue import Person
from tests.auxil.hostile import step_of


async def test_a_sentence_gets_the_command_its_words_point_to(
    db: Database, trainer: Person
) -> None:
    await trainer.says("je voudrais créer une nouvelle formation")
    assert trainer.last.startswith("Vous voulez peut-être :\n/formation : créer une formation")
    assert "/formations" not in trainer.last
    assert await step_of(db, trainer) == (None, None)

    await trainer.says("comment je note un retard ?")
    assert "/absence : noter une absence ou un retard\n" in trainer.last
    assert "(ex." not in trainer.last

    await trainer.says("Où en sont les attestations du bilan ?")
    assert "/attestations : suivre les attestations d'un bilan" in trainer.last


async def test_nothing_close_gets_the_usual_answer(db: Database, trainer: Person) -> None:
    await trainer.says("il fait beau aujourd'hui sur la plage")
    assert "peut-être" not in trainer.last
    await trainer.says("Karim absent hier matin")  # a feature's own reader comes first
    assert trainer.last.startswith("Noter l'absence de Karim Benali")


async def test_only_commands_the_person_may_use(
    db: Database, person: Callable[..., Person], demo: None
) -> None:
    stranger = person("inconnu")
    await stranger.says("je voudrais créer une nouvelle formation")
    assert "/formation :" not in stranger.last
    assert await step_of(db, stranger) == (None, None)
