"""The words typed after /absences besides a formation's or a trainee's name (explorer MB6).

Read as :mod:`bot.conversations.formations.after_command` reads them, among the formations
holding absences to correct; what they may mean besides is said here: a day (« /absences
22/11 », the day every absence's label starts with, answered « Aucune formation ne
correspond »), and a formation that holds no absence (« /absences projet » beside
« Projet professionnel (démo) », read as a misspelling).
"""

from __future__ import annotations

import re
from datetime import date

from bot import dates
from bot.absences.line import names_a_day_only
from bot.absences.log import formations_with_editable
from bot.conversations.formations.after_command import fitting_formations
from bot.conversations.formations.choose import (
    formation_options,
    formations_of_trainee,
    listed_formations,
)
from bot.conversations.kit.carry import NARROWED
from bot.conversations.kit.context import Context
from bot.conversations.kit.steps import Option
from bot.dates import Prefer
from bot.formations.labels import told_apart


def typed_day(ctx: Context, typed: str, prefer: Prefer = "past") -> date | None:
    """The day ``typed`` names alone (« 22/11 », « hier », « vendredi dernier »), leaning to
    the past as an absence does (or as ``prefer`` says: a bilan's day, explorer DC12);
    ``None`` for anything else (a name, a title, an hour)."""
    if not typed or len(typed) > 60 or not names_a_day_only(typed):
        return None
    understood = dates.understand(typed, ctx.now, prefer)
    if understood is None or not understood.has_date or understood.has_time:
        return None
    return understood.when.date()


async def formation_and_day(
    ctx: Context, typed: str, offered: list[Option]
) -> tuple[str, str] | None:
    """« /absences 19/11 Projet », « /absences Projet 19/11 »: the one formation (of those
    ``offered``) the words besides a day fit, and the day's words, the absences' day as in
    « /absences 22/11 » (explorer SA8: read as a start day, « Aucune formation … ne commence le
    19 novembre »); ``None`` otherwise (a year alone stays the twins' start: « agent 2026 »)."""
    words = typed.split()
    for cut in range(1, len(words)):
        for day, rest in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
            said = " ".join(day)
            if re.fullmatch(r"\d{4}", said) or typed_day(ctx, said) is None:
                continue
            fit = await fitting_formations(ctx, " ".join(rest), offered, trainees=False)
            if len(fit.found) == 1 and not fit.missed:
                return fit.found[0], said
    return None


async def day_and_trainee(ctx: Context, typed: str) -> tuple[date, str] | None:
    """« /absences 20/11 Karim », « /absences Karim 20/11 »: the day and a trainee's name
    typed with it (explorer UA9: « Aucune formation ne correspond à « 20/11 Karim » »), or
    ``None``."""
    words = typed.split()
    for cut in range(1, len(words)):
        for day, rest in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
            when = typed_day(ctx, " ".join(day))
            if when is not None and await formations_of_trainee(ctx, " ".join(rest)):
                return when, " ".join(rest)
    return None


async def formations_of_day(ctx: Context, offered: list[Option], day: date, typed: str) -> None:
    """« /absences 22/11 » with several formations holding absences: those holding some that
    day offered alone (the one chosen), none said so above them all."""
    holding = await formations_with_editable(
        ctx.session,
        organisation_id=ctx.organisation_id,
        person_id=ctx.person_id,
        admin=bool(ctx.actor and ctx.actor.is_admin),
        day=day,
    )
    found = [o.value for o in offered if int(o.value) in holding]
    if not found:
        ctx.say("absence.none_that_day", day=day)
    elif len(found) == 1:
        ctx.data["formation_id"] = int(found[0])
    elif len(found) < len(offered):
        ctx.data[NARROWED] = {"_only": found, "_sought": typed[:60], "_page": 0}


async def said_without_absences(ctx: Context, typed: str, offered: list[Option]) -> bool:
    """Whether ``typed``, fitting none of the formations ``offered`` (those holding absences)
    nor a trainee, names formations that hold none, and was said so (explorer MB6:
    « Aucune formation ne correspond à « projet » » beside « Projet professionnel (démo) »)."""
    if not typed:
        return False
    fit = await fitting_formations(ctx, typed, offered)
    if fit.found or fit.by_name:
        return False
    besides = await fitting_formations(ctx, typed, await formation_options(ctx), trainees=False)
    if not besides.found:
        return False
    names = told_apart((f.id, f.title, f.start_date) for f in await listed_formations(ctx))
    ctx.say(
        "absence.nothing_to_correct",
        names=[names[int(i)] for i in besides.found if int(i) in names],
        typed=typed[:60],
    )
    return True
