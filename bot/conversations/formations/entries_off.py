"""A trainee's entry typed on a day nobody trains, questioned before it is kept.

    Vous Léa Martin ; entrée le 15 août 2027
    Bot  Attention, Léa Martin entrerait le 15 août 2027, un dimanche. C'est bien ça ?
         [Oui, c'est ça] [Non, corriger]

As the formation's own start on such a day is (« Attention, elle commencerait un jour férié
(jour de l'An) », ``formation.period_understood``), the same words (:func:`bot.dates.day_off`);
« Oui » keeps the list as typed, « Non » asks it again (explorer UB1: taken without a word).
A later part of a list the chat cut (:mod:`.list_parts`) is questioned the same way, about
its own trainees (:data:`PART`): « Non » takes that part back, the first is kept (WB).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import dates
from bot.conversations.formations.trainee_file import IMPORT, NEXT_PART
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome
from bot.conversations.kit.steps import Confirm

STEP = "entries_off"
PART = "_off_part"
"""The names of a later part of the list, questioned at the delegates question (WB)."""


def entries_off(ctx: Context) -> list[dict[str, str]]:
    """The trainees of the list whose entry falls on a day off: their name and that day."""
    found = []
    part = ctx.data.get(PART)
    for trainee in ctx.data.get("trainees") or []:
        if part is not None and trainee["name"] not in part:
            continue
        entry = trainee.get("entered_on")
        if entry and dates.day_off(date.fromisoformat(entry)):
            found.append({"name": str(trainee["name"]), "day": entry})
    return found


async def _values(ctx: Context) -> dict[str, Any]:
    return {"off": entries_off(ctx)}


def question_part(ctx: Context, found: list[dict[str, str | None]]) -> Outcome | None:
    """The question about a later part ``found`` at the delegates question, when one of its
    entries falls on a day off (WB: only the first part's were questioned)."""
    ctx.data[PART] = [str(t["name"]) for t in found]
    if entries_off(ctx):
        return Next(STEP)
    ctx.data.pop(PART)
    return None


async def _yes(ctx: Context) -> Outcome:
    return Next("delegates") if ctx.data.pop(PART, None) is not None else Next()


async def _again(ctx: Context) -> Outcome:
    part = ctx.data.pop(PART, None)
    if part is not None:  # a later part: that part taken back, back to the delegates
        kept = [t for t in ctx.data.get("trainees") or [] if t["name"] not in part]
        ctx.data["trainees"] = kept
        ctx.say("formation.list_part_taken_back", count=len(part))
        return Next("delegates")
    for key in (IMPORT, NEXT_PART, "trainees", "delegates", STEP):  # the part typed anew
        ctx.data.pop(key, None)
    return Next("trainees")


def confirm_entries_off() -> Confirm:
    """Asked right after the list (and a file's import), only when an entry is on a day off."""
    return Confirm(
        STEP,
        ask="formation.entries_off",
        values=_values,
        yes=_yes,
        no=_again,
        yes_label="Oui, c'est ça",
        no_label="Non, corriger",
        when=lambda c: bool(entries_off(c)),
    )
