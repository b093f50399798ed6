"""The words typed after a command whose first question is « Quelle formation ? ».

« /formations Maçon – Caen », « /exporter maçon », « /absences Karim Benali »: at forty
formations the words after a command are the quickest way in, and the bot's own hints teach
that form (« /decrochage Karim Benali »); they were dropped without a word (explorer KB7).
They are read as the answer to that question would be: the one formation they fit chosen,
several shown alone (paged, with « Toute la liste »), a trainee's name standing for the
formations she is in; words that fit nothing are said not to, above the whole list.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.answers import fold, has_control_characters
from bot.conversations.formations.choose import day_of, formations_of_trainee, listed_formations
from bot.conversations.formations.start_words import read_start
from bot.conversations.kit.carry import NARROWED
from bot.conversations.kit.context import Context
from bot.conversations.kit.matching import matching
from bot.conversations.kit.steps import Option
from bot.formations.queries import Listed
from bot.formations.twins import twin_marks

LONGEST = 200
"""Past this, what follows a command is no formation's name (a paste): said unread."""


def typed_after(ctx: Context, command: str) -> str:
    """What follows ``/command`` in the message that started the flow, spaces tidied."""
    text = ctx.incoming.argument if ctx.incoming.command == command else ""
    return " ".join(text.split())


class Fitting(NamedTuple):
    """The options (formation ids) words fit; whether they did as a trainee's name; the start
    day they said that none of the title's formations has (« en 2024 »), the one title those
    have (or "") and the words read as a title."""

    found: list[str]
    by_name: bool = False
    missed: str = ""
    title: str = ""
    words: str = ""


async def fitting_formations(
    ctx: Context, typed: str, options: list[Option], *, trainees: bool = True
) -> Fitting:
    """The options (formation ids) ``typed`` fits, and whether it did as a trainee's name.

    Read in the formations' titles, never in what the bot adds to them in a label, their
    start day or count: « /formations lundi » picked those starting on a Monday, « /echeances
    démo 4 » the one with « (4 à faire ») (explorer MA4). A whole label typed still fits, and
    a start day typed beside title words narrows those they fit (explorer MB5: « /formations
    agent 2026 », the twins' only difference, said no formation fitted)."""
    if len(typed) > LONGEST or has_control_characters(typed):
        return Fitting([])
    whole = [o.value for o in options if fold(o.label) == fold(typed)]
    if whole:
        return Fitting(whole[:1])
    listed = {str(f.id): f for f in await listed_formations(ctx)}
    labels = {
        o.value: f.title if (f := listed.get(o.value)) else o.search or o.label for o in options
    }
    values = [o.value for o in options]
    found = title_fits(typed, values, labels)
    said = None if found else read_start(typed)
    if said and said[0]:
        words, marked = await without_mark(ctx, said[0], list(listed.values()))
        fitting = [v for v in title_fits(words, values, labels) if not marked or v in marked]
        starting = [v for v in fitting if v in listed and said[1].fits(listed[v].start_date)]
        if said[1].day and not said[1].year and len(starting) > 1:
            # « (03/11) »: a button's day without its year is the one nearest today.
            today = day_of(ctx)
            near = min(abs((listed[v].start_date - today).days) for v in starting)
            starting = [v for v in starting if abs((listed[v].start_date - today).days) == near]
        if fitting and not starting:  # none starting then: those of the title, said so
            titled = {fold(labels[v]): labels[v] for v in fitting}
            title = next(iter(titled.values())) if len(titled) == 1 else ""
            return Fitting(fitting, missed=said[1].said(), title=title, words=said[0])
        found = starting
    if found or not trainees:
        return Fitting(found)
    named = await formations_of_trainee(ctx, typed)
    holding = {str(f.id) for f in named or []}
    return Fitting([o.value for o in options if o.value in holding], named is not None)


async def without_mark(ctx: Context, words: str, listed: list[Listed]) -> tuple[str, set[str]]:
    """``words`` without the mark of a twin of one day that ends them (« agent de restauration
    avec karim », a button's own text: explorer MA3), and the formations of that mark."""
    marks = await twin_marks(ctx.session, [(f.id, f.title, f.start_date) for f in listed])
    for mark in set(marks.values()):
        said = " ".join(fold(re.sub(r"[(),]", " ", mark)).split())
        if said and words.endswith(f" {said}"):
            kept = words.removesuffix(f" {said}")
            return kept, {str(f) for f, m in marks.items() if m == mark}
    return words, set()


def title_fits(typed: str, values: list[str], labels: dict[str, str]) -> list[str]:
    """The values whose title ``typed`` fits, every formation of a title it names: a title
    typed whole named the first of its twins only (explorer MB5)."""
    first: dict[str, str] = {}
    for value in values:
        first.setdefault(fold(labels[value]), value)
    named = {fold(labels[v]) for v in matching(typed, list(first.values()), labels=labels)}
    return [v for v in values if fold(labels[v]) in named]


async def read_after_command(
    ctx: Context,
    command: str,
    options: list[Option],
    *,
    store: str = "formation_id",
    trainees: bool = True,
) -> list[str]:
    """The words after ``/command`` as the answer to « Quelle formation ? » (``options``):
    the one they fit stored under ``store`` (the question then skipped), several left for
    the question to show alone, none said so. The formations they fit, for the caller."""
    typed = typed_after(ctx, command)
    if not typed:
        return []
    fit = await fitting_formations(ctx, typed, options, trainees=trainees)
    found, by_name = fit.found, fit.by_name
    if fit.missed:  # « /exporter agent 2024 »: « Aucune formation « Agent… » ne commence en 2024 »
        said = {
            "answer": typed[:60],
            "when": fit.missed,
            "title": fit.title[:80],
            "words": fit.words[:60],
            "count": len(found),
        }
        if len(found) == 1:
            ctx.say("formation.after_command_no_start", **said)
        else:
            ctx.data["_missed"] = said
    if len(found) == 1:
        ctx.data[store] = int(found[0])
    elif found:
        sought = typed[:60]
        ctx.data[NARROWED] = {"_only": found, "_sought": sought, "_page": 0}
        if by_name:
            ctx.data["_by_name"] = sought  # « Le nom « martin » figure dans … » (KB3)
    elif by_name:  # « /absences Nadia Roux »: she has none there (explorer MA10)
        ctx.say("formation.after_command_elsewhere", typed=typed[:60], command=command)
    else:
        say_none_fits(ctx, typed, command, trainees=trainees)
    return found


def say_none_fits(ctx: Context, typed: str, command: str, *, trainees: bool) -> None:
    """« Aucune formation ne correspond à « zorglub » … », above the whole list (KB7)."""
    ctx.say(
        "formation.after_command_unknown",
        typed=typed[:60] if len(typed) <= LONGEST else "",
        command=command,
        trainees=trainees,
    )
