"""``/mesdonnees``: anyone receives, in private, a document of what is held about them."""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.messages import Platform
from bot.storage.db import Database
from tests.auxil.dialogue import Clock, Person
from tests.auxil.privacy import everywhere


def document_of(who: Person) -> dict[str, object]:
    [reply] = who.replies
    assert reply.document is not None
    assert reply.document.filename == "mes-donnees-formabot.json"
    held: dict[str, object] = json.loads(reply.document.content)
    return held


async def test_a_trainer_receives_their_data(trainer: Person) -> None:
    await trainer.says("/mesdonnees")
    assert "Voici tout ce que formabot garde à votre sujet" in trainer.last
    held = document_of(trainer)
    assert held["personne"]["nom"] == "Camille Durand"  # type: ignore[index]
    assert set(held) == {
        "personne",
        "comptes de messagerie",
        "adhésions",
        "formations dont vous avez la charge",
        "attestations données",
        "journal des actions",
        "conversations en cours",
    }


async def test_a_participant_known_by_their_attestation(
    db: Database, demo: None, clock: Clock, person: Callable[..., Person]
) -> None:
    await everywhere(db, "Karim Benali", at=clock.now)
    karim = person("9001", Platform.TELEGRAM)
    await karim.says("/mesdonnees")
    assert "Voici tout ce que formabot garde" in karim.last
    held = document_of(karim)
    assert len(held["attestations données"]) == 2  # type: ignore[arg-type]


async def test_a_stranger_is_told_nothing_is_held_and_a_group_is_refused(
    demo: None, person: Callable[..., Person]
) -> None:
    stranger = person("inconnu")
    await stranger.says("/mesdonnees")
    assert "Je ne vous connais pas : je ne garde à votre sujet que l'état" in stranger.last
    assert document_of(stranger)["personne"] is None
    group = person("formateur", chat="groupe", is_group=True)
    await group.says("/mesdonnees")
    assert "je ne fais pas cela dans un groupe" in group.last
    assert group.replies[0].document is None
