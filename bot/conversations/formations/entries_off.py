"""A trainee's entry typed on a day nobody trains, questioned before it is kept.

    Vous Léa Martin ; entrée le 15 août 2027
    Bot  Attention, Léa Martin entrerait le 15 août 2027, un dimanche. C'est bien ça ?
         [Oui, c'est ça] [Non, corriger]

As the formation's own start on such a day is (« Attention, elle commencerait un jour férié
(jour de l'An) », ``formation.period_understood``), the same words (:func:`bot.dates.day_off`);
« Oui » keeps the list as typed, « Non » asks it again (explorer UB1: taken without a word).
A later part of a list the chat cut (:mod:`.list_parts`) is questioned the same way, about
its own trainees (:data:`PART`): « Non » takes that part back, the first is kept (WB).
The list pasted again there is the new list (or part), « non, le 4 janvier » the new day of
the one entry asked (explorer XA3: both were thrown away).
"""

from __future__ import annotations

import re
from typing import Any

from bot.answers import Invalid
from bot.conversations.formations.answers import parse_trainees, trainee_bounds
from bot.conversations.formations.list_parts import a_name_first, looks_like_a_list, read_part
from bot.conversations.formations.trainee_file import IMPORT, NEXT_PART
from bot.conversations.formations.years import day_in_context
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome, Retry, Stay
from bot.conversations.kit.steps import Confirm
from bot.formations.labels import name_key
from bot.imports.rows import entries_off as entries_off_among

STEP = "entries_off"
PART = "_off_part"
"""The names of a later part of the list, questioned at the delegates question (WB)."""


def entries_off(ctx: Context) -> list[dict[str, str]]:
    """The trainees of the list (or of its part asked about) whose entry falls on a day off:
    their name and that day."""
    part = ctx.data.get(PART)
    listed = ctx.data.get("trainees") or []
    return entries_off_among(t for t in listed if part is None or t["name"] in part)


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


_NEW_DAY = re.compile(
    r"^\s*(?:non\b[\s,.:!]*)?(?:(?:elle|il)\s+entre\s+|(?:son\s+)?entr[ée]e\s+)?(?P<when>.+)$",
    re.I,
)
"""« non, le 4 janvier », « non elle entre le 4 janvier », « le 4 janvier »: a new day."""


async def _typed(ctx: Context) -> Outcome | None:
    """What is neither button: the list pasted again, corrected, is the new list (its days
    off asked again, if any); a day alone is the new entry of the one person asked (explorer
    XA3: the list was thrown away, « non, le 4 janvier » asked the whole list again)."""
    text = ctx.incoming.text
    if looks_like_a_list(text) and a_name_first(text):
        return await _new_list(ctx, text)
    match = _NEW_DAY.match(text)
    day = day_in_context(match["when"], ctx.now, trainee_bounds(ctx)) if match else None
    if day is None:
        return None  # « non, … »: its first word, the list asked again
    asked = entries_off(ctx)
    if len(asked) != 1:  # whose day, unknown: the list again, saying why
        ctx.say("formation.entry_off_whose", day=day)
        return await _again(ctx)
    bounds = trainee_bounds(ctx)
    if bounds is not None and not bounds[0] <= day <= bounds[1]:
        return Retry(
            ctx.render("formation.entry_off_outside", day=day, start=bounds[0], end=bounds[1])
        )
    for trainee in ctx.data.get("trainees") or []:
        if trainee["name"] == asked[0]["name"]:
            trainee["entered_on"] = day.isoformat()
    return Stay() if entries_off(ctx) else await _yes(ctx)


async def _new_list(ctx: Context, text: str) -> Outcome:
    """The list (or the later part) typed anew in place of the one asked about."""
    part = ctx.data.get(PART)
    if part is not None:
        kept = [t for t in ctx.data.get("trainees") or [] if t["name"] not in part]
        found = read_part(ctx, text, [name_key(str(t["name"])) for t in kept])
        if isinstance(found, Invalid):
            return Retry(found.message)
        ctx.data["trainees"] = [*kept, *found]
        return question_part(ctx, found) or Next("delegates")
    found_list = await parse_trainees(ctx, text)
    if isinstance(found_list, Invalid):
        return Retry(found_list.message)
    for key in (IMPORT, NEXT_PART, "delegates"):
        ctx.data.pop(key, None)
    ctx.data["trainees"] = found_list
    return Stay() if entries_off(ctx) else Next()


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
        other=_typed,
        when=lambda c: bool(entries_off(c)),
    )
