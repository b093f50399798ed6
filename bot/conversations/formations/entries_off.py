"""A trainee's entry typed on a day nobody trains, questioned before it is kept.

    Vous Léa Martin ; entrée le 15 août 2027
    Bot  Attention, Léa Martin entrerait le 15 août 2027, un dimanche. C'est bien ça ?
         [Oui, c'est ça] [Non, corriger]

As the formation's own start on such a day is (« Attention, elle commencerait un jour férié
(jour de l'An) », ``formation.period_understood``), the same words (:func:`bot.dates.day_off`);
« Oui » keeps the list as typed, « Non » asks it again (explorer UB1: taken without a word).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import dates
from bot.conversations.formations.trainee_file import IMPORT
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome
from bot.conversations.kit.steps import Confirm

STEP = "entries_off"


def entries_off(ctx: Context) -> list[dict[str, str]]:
    """The trainees of the list whose entry falls on a day off: their name and that day."""
    found = []
    for trainee in ctx.data.get("trainees") or []:
        entry = trainee.get("entered_on")
        if entry and dates.day_off(date.fromisoformat(entry)):
            found.append({"name": str(trainee["name"]), "day": entry})
    return found


async def _values(ctx: Context) -> dict[str, Any]:
    return {"off": entries_off(ctx)}


async def _again(ctx: Context) -> Outcome:
    for key in (IMPORT, "trainees", "delegates", STEP):
        ctx.data.pop(key, None)
    return Next("trainees")


def confirm_entries_off() -> Confirm:
    """Asked right after the list (and a file's import), only when an entry is on a day off."""
    return Confirm(
        STEP,
        ask="formation.entries_off",
        values=_values,
        no=_again,
        yes_label="Oui, c'est ça",
        no_label="Non, corriger",
        when=lambda c: bool(entries_off(c)),
    )
