"""The features' registry: commands known at once, dialogues and services imported on first use.

A toy feature's loader records each call, standing for the import of its
dialogue modules; the last test holds the bot's own features to what
their manifests declare.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import pytest

from bot.answers import Invalid, clean_line
from bot.app import FEATURES, build_engine
from bot.config import Settings
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow
from bot.conversations.kit.steps import Text
from bot.manifest import Command, Dialogues, Feature, Features, Services
from bot.storage.db import Database
from tests.auxil.dialogue import Clock, Person

pytestmark = pytest.mark.usefixtures("toy_templates")  # the toy dialogues' texts

LOADS: list[str] = []


async def parse_line(ctx: Context, text: str) -> str | Invalid:
    return clean_line(text, limit=80)


THOUGHT = Flow(
    "pensee",
    steps=[
        Text("note", ask="toy.ask_note", parse=parse_line),
        Text("owner", ask="toy.ask_owner", parse=parse_line),
    ],
)
LATER = Flow(
    "plus_tard", summary="un rappel", steps=[Text("note", ask="toy.ask_note", parse=parse_line)]
)


def thoughts() -> Sequence[Flow]:
    LOADS.append("pensees")
    return (THOUGHT,)


def reminders() -> Sequence[Flow]:
    LOADS.append("rappels")
    return (LATER,)


async def nothing(session: Any, arguments: Any, now: Any, settings: Any) -> list[Any]:
    """Long work for the registry's checks (never run)."""
    return []


def thought_services() -> Services:
    LOADS.append("services")
    return Services(works={"pensees.rien": nothing})


def toy_features() -> Features:
    """A new process's registry: nothing loaded yet."""
    return Features(
        [
            Feature(
                "pensees",
                dialogues=Dialogues(thoughts, (Command("pensee", summary="noter une pensée"),)),
                services=thought_services,
            ),
            Feature("rappels", dialogues=Dialogues(reminders)),
        ]
    )


@pytest.fixture(autouse=True)
def forget_loads() -> None:
    LOADS.clear()


def test_commands_and_menus_are_known_without_loading_anything() -> None:
    features = toy_features()
    assert set(features.commands) == {"pensee"}
    assert features.commands["pensee"].flow == "pensee"
    assert features.menu() == [
        ("aide", "Ce que je peux faire pour vous"),
        ("annuler", "Arrêter la saisie en cours"),
        ("reprendre", "Revenir à la saisie mise de côté"),
    ]
    assert features.flows.get("") is None  # no conversation under way
    assert LOADS == []
    assert features.flows.loaded == frozenset()


def test_a_flow_asked_for_loads_its_feature_only_and_gets_its_command() -> None:
    features = toy_features()
    flow = features.flows["pensee"]
    assert LOADS == ["pensees"]
    assert (flow.command, flow.summary) == ("pensee", "noter une pensée")
    assert features.flows["pensee"] is flow
    assert LOADS == ["pensees"]  # once


def test_a_flow_no_command_names_is_looked_for_in_feature_order() -> None:
    features = toy_features()
    assert features.flows["plus_tard"] is LATER
    assert LOADS == ["pensees", "rappels"]
    assert features.flows.get("disparu") is None  # a flow of an older version: none
    assert LOADS == ["pensees", "rappels"]


def test_a_command_starting_no_flow_is_refused_when_its_feature_loads() -> None:
    features = Features(
        [Feature("x", dialogues=Dialogues(thoughts, (Command("x", flow="absent"),)))]
    )
    with pytest.raises(ValueError, match="starts no flow"):
        features.flows["x"]


def test_two_features_loading_the_same_flow_are_refused() -> None:
    features = Features(
        [Feature("a", dialogues=Dialogues(thoughts)), Feature("b", dialogues=Dialogues(thoughts))]
    )
    with pytest.raises(ValueError, match="flows"):
        list(features.flows)


async def test_a_command_and_a_resume_after_a_restart_load_the_dialogue_then(
    db: Database, settings: Settings, clock: Clock
) -> None:
    features = toy_features()
    lea = Person(build_engine(db, settings, features=features, clock=clock), "lea")
    await lea.says("/aide")
    assert LOADS == []
    await lea.says("/pensee")
    assert lea.last == "Quelle note ajouter ?"
    assert LOADS == ["pensees"]
    restarted = toy_features()
    lea.engine = build_engine(db, settings, features=restarted, clock=clock)
    assert "pensee" not in restarted.flows.loaded
    await lea.says("acheter du pain")
    assert lea.last == "À qui est ce carnet ?"  # the next question of the flow under way
    assert "pensee" in restarted.flows.loaded
    assert LOADS == ["pensees", "pensees"]  # turns that ask no long work load no service
    assert "pensees.rien" in restarted.works
    assert LOADS[-1] == "services"


async def job(session: Any, now: Any, settings: Any) -> None:
    """A job for the registry's checks (never run)."""


def test_services_are_loaded_once_when_first_used() -> None:
    calls: list[str] = []

    def services() -> Services:
        calls.append("services")
        return Services(jobs=(job,), settings=())

    features = Features([Feature("a", services=services), Feature("b", jobs=(forget,))])
    assert calls == []
    assert features.jobs == (forget, job)  # the ones given at once first
    assert features.settings == ()
    assert calls == ["services"]


async def forget(session: Any, now: Any, settings: Any) -> None:
    """Another job for the registry's checks (never run)."""


def test_a_name_given_twice_by_loaded_services_is_refused_when_they_load() -> None:
    features = Features(
        [
            Feature("a", services=lambda: Services(jobs=(job,))),
            Feature("b", services=lambda: Services(jobs=(job,))),
        ]
    )
    with pytest.raises(ValueError, match="jobs"):
        assert features.jobs


async def test_every_features_outbox_follow_up_is_told_through_one() -> None:
    told: list[tuple[str, object]] = []

    async def first(session: Any, message: Any) -> None:
        told.append(("a", message))

    async def second(session: Any, message: Any) -> None:
        told.append(("b", message))

    features = Features(
        [
            Feature("a", services=lambda: Services(delivered=(first,))),
            Feature("b", delivered=(second,)),
        ]
    )
    message = object()
    await features.after_delivery(cast(Any, None), cast(Any, message))
    assert told == [("b", message), ("a", message)]


def test_the_bots_commands_are_what_their_flows_carry_once_loaded() -> None:
    """Each manifest's command starts a flow that runs with its declaration, and no dialogue
    gives itself a command the manifests do not declare."""
    flows = dict(FEATURES.flows)  # loads every dialogue
    for name, command in FEATURES.commands.items():
        flow = flows[command.flow]
        assert (flow.command, flow.summary, flow.menu, flow.role, flow.in_groups) == (
            name,
            command.summary,
            command.menu,
            command.role,
            command.in_groups,
        )
    assert {f.command for f in flows.values() if f.command} == set(FEATURES.commands)
