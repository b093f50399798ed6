"""Whole conversations generated from the flow definitions, to replay elsewhere.

:func:`walk` drives a conversation in process, one step at a time: it reads
which step the person is at (the stored state), looks the step up in the
features' flows, and answers it by its kind — a confirmation is accepted, a
choice takes its first offered button, a multiple choice is closed with
"Terminé", a date gets a working day a week ahead (a week ago where the step expects the past).  Only what a kind cannot guess
(the text of a formation's title, the trainees' names…) comes from a table
of sample answers, keyed ``flow.step``; a step the walker cannot answer fails
the test and names itself, so a new step is never skipped silently.

The result is the list of turns a person made, each with the step it
answered and a fragment of the bot's answer, which the kill tests replay on
real processes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot import texts
from bot.app import FEATURES
from bot.conversations.kit.flow import Step
from bot.conversations.kit.steps import Confirm, DateStep, Menu, Pick, PickMany, Text
from bot.storage.db import Database
from tests.auxil.dialogue import Person
from tests.auxil.hostile import step_of

NOT_FORWARD = {"annuler", "retour", "précédent", "page précédente", "◀", "⬅"}
"""Buttons that never move a conversation forward: the walker never takes them first."""


@dataclass(frozen=True)
class Turn:
    """One message of the walk: what was typed or pressed, and what showed it was answered."""

    act: str  # "say" (typed), "press" (a button of the latest question), "toggle" (in place)
    text: str
    expect: str
    step: str  # "flow.step" answered, or "" for the command that opened the flow


def working_day(after: date, days: int) -> date:
    """``days`` from ``after``, moved off a weekend away from ``after``'s side: a day in the
    past stays in the past (a Sunday's « yesterday » is Friday, never Monday to come: the
    walk failed every Sunday)."""
    day = after + timedelta(days=days)
    step = timedelta(days=-1 if days < 0 else 1)
    while day.weekday() >= 5:
        day += step
    return day


def flow_step(flow: str, step: str) -> Step:
    return FEATURES.flows[flow].step(step)


def forward_buttons(who: Person) -> list[str]:
    latest = who.replies[-1].choices if who.replies else ()
    return [c.label for c in latest if c.label.strip().lower() not in NOT_FORWARD]


def expectation(who: Person) -> str:
    """A stable fragment of the bot's latest message: its first non-empty line, shortened."""
    for line in texts.plain(who.replies[-1].text).splitlines() if who.replies else []:
        if line.strip():
            return line.strip()[:40]
    return ""


async def walk(
    db: Database,
    who: Person,
    command: str,
    answers: Mapping[str, str | Sequence[str]],
    *,
    today: date,
    limit: int = 80,
) -> list[Turn]:
    """Answer every step of ``command`` until the conversation ends; the turns made."""
    await who.says(command)
    turns = [Turn("say", command, expectation(who), "")]
    visits: dict[str, int] = {}  # arrivals at each step (a menu comes back)
    streak = 0  # iterations in a row at the same step
    while len(turns) < limit:
        flow, step_name = await step_of(db, who)
        if flow is None or step_name is None:
            return turns
        key = f"{flow}.{step_name}"
        arrived = turns[-1].step != key
        visits[key] = visits.get(key, 0) + arrived
        streak = 1 if arrived else streak + 1
        assert streak <= 4, f"the walk is stuck at {key}: {who.last!r}"
        step = flow_step(flow, step_name)
        planned = answers.get(key)
        if not isinstance(step, PickMany) and not isinstance(planned, str | None):
            planned = planned[min(visits[key], len(planned)) - 1] or None  # one per visit
        if isinstance(step, PickMany):
            if planned is None:  # the fewest ticks the question accepts, from the top
                offered = [b.removeprefix("☐ ") for b in forward_buttons(who) if b != "Terminé"]
                planned = offered[: getattr(step, "minimum", 0)]
            for label in [planned] if isinstance(planned, str) else planned:
                await who.presses(label)
                turns.append(Turn("toggle", label, f"☑ {label}", key))
            await who.presses("Terminé")
            turns.append(Turn("press", "Terminé", expectation(who), key))
            continue
        if turns[-1].step == key and turns[-1].act == "say":
            # Typed, and still here: a confirmation ("C'est bien ça ?") or a re-ask.
            buttons = forward_buttons(who)
            assert buttons, f"{key} asked again: {who.last!r}"
            await who.presses(buttons[0])
            turns.append(Turn("press", buttons[0], expectation(who), key))
            continue
        if isinstance(planned, str):
            buttons = forward_buttons(who)
            if planned in buttons:
                await who.presses(planned)
                turns.append(Turn("press", planned, expectation(who), key))
            else:
                await who.says(planned)
                turns.append(Turn("say", planned, expectation(who), key))
            continue
        buttons = forward_buttons(who)
        if isinstance(step, Confirm | Pick | Menu) or (
            buttons and type(step) not in (Text, DateStep)
        ):  # also a file step's "Pas de justificatif", a custom picker
            assert buttons, f"{key} offers no button to go on: give it a sample answer"
            await who.presses(buttons[0])
            turns.append(Turn("press", buttons[0], expectation(who), key))
            continue
        if isinstance(step, DateStep):
            past = getattr(step, "prefer", "future") == "past"
            # In the past, within the formation (begun three days ago): a contact or a sign
            # dated before its start is refused.
            day = working_day(today, -1 if past else 7)
            text = f"le {day:%d/%m/%Y} à 10 h"
            await who.says(text)
            turns.append(Turn("say", text, expectation(who), key))
            continue
        raise AssertionError(f"no sample answer for {key} ({type(step).__name__}): {who.last!r}")
    raise AssertionError(f"{command} did not end in {limit} turns")


def sample_answers(today: date) -> dict[str, dict[str, str | Sequence[str]]]:
    """What the walker cannot guess, per command; every other step is answered by its kind."""
    start, end = today - timedelta(days=3), today + timedelta(days=60)
    return {
        "/formation": {
            "formation.title": "Cuisine du monde",
            "formation.funder": "Région Normandie",
            "formation.period": f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}",
            "formation.certifying": "Non",
            "formation.cm_name": "Sophie Leroy",
            "formation.cm_email": "sophie.leroy@region.example",
            "formation.trainees": "Ana Lopes\nBen Kaci\nChloé Roy",
            "formation.delegates": ["Ben Kaci"],
        },
        "/bilan": {
            "bilan.duration": "2 heures",
            "bilan.visio_url": "https://visio.example.org/bilan",
            "bilan.visio_password_text": "cuisine2026",
            "bilan.partners": ["Ajouter un partenaire", "Terminé"],
            "bilan_partner.name": "M. Karim Haddad",
            "bilan_partner.structure": "Mission locale de Caen",
            "bilan_partner.contact": "k.haddad@ml-caen.example",
        },
        "/absence": {"absence.reason": "convocation administrative"},
        "/decrochage": {
            "decrochage.subcontracted": "Non",
            "decrochage.menu": ["Noter un contact", "Terminé"],
            "decrochage_compte_rendu.constat": "Absences répétées depuis deux semaines",
            "decrochage_compte_rendu.causes": "Difficultés de transport",
            "decrochage_compte_rendu.mesures": "Covoiturage proposé",
            "decrochage_compte_rendu.prochain_point": "Lundi prochain",
            "decrochage_contact.outcome": "Joint par téléphone, revient lundi",
        },
    }
