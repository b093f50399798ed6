"""Rectorat remote coaching pay (``/vacations``), rules REC-* (seed 004 §3).

    You  /vacations
    Bot  Pour quelle formation ? (Rectorat d'abord)
    Bot  Combien d'heures d'accompagnement à distance au total ?
    You  9h30
    Bot  Qui a effectivement participé ? (cochés : ceux qui n'ont pas été absents tout du long)
    You  Terminé
    Bot  Temps d'accompagnement à distance : 9 h 30 … Résultat : 4 vacations.

"Une vacation pour deux heures", "une vacation par stagiaire ayant
effectivement participé", "huit pour un groupe": the arithmetic and its
working are :func:`bot.rules.vacations.compute_vacations`; the rounding of
a started pair of hours is the organisation's ``rec_vacation_rounding``
setting (down by default).  A trainee is proposed as a participant unless
absent on every working day of the formation so far.
"""

from __future__ import annotations

import re

from bot import dates
from bot.absences.vacations import absent_all_along, count_vacations
from bot.answers import Invalid, clean_line
from bot.conversations.absences.steps import (
    chosen_formation,
    current_formation,
    single_formation,
    trainee_options,
)
from bot.conversations.formations.choose import (
    by_relevance,
    day_of,
    options_of,
    visible_formations,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry
from bot.conversations.kit.steps import Option, Pick, PickMany, Text

MAX_HOURS = 500


def vacations_flow() -> Flow:
    """The dialogue above; its answers are handled by the functions below."""
    return Flow(
        "vacations",
        # Its command, /aide line and who may use it: bot/features/absences.py.
        start=vacations_start,
        steps=[
            Pick(
                "formation",
                ask="vacations.ask_formation",
                options=rectorat_first,
                store="formation_id",
                unless_known=True,
                then=choose_formation,
            ),
            Text(
                "minutes",
                ask="vacations.ask_hours",
                parse=parse_hours,
                help="vacations.help_hours",
            ),
            PickMany(
                "participants",
                ask="vacations.ask_participants",
                options=trainee_options,
                minimum=1,
                help="vacations.help_participants",
            ),
        ],
        finish=show_result,
    )


async def rectorat_first(ctx: Context) -> list[Option]:
    formations = by_relevance(await visible_formations(ctx), day_of(ctx))
    ordered = sorted(
        formations,
        key=lambda f: (f.funder != "rectorat", not f.remote_coaching),
    )
    # The question says « celles du Rectorat d'abord » only where there are some (explorer DF3).
    ctx.data["_rectorat"] = any(f.funder == "rectorat" for f in ordered)
    return await options_of(ctx, ordered)


async def vacations_start(ctx: Context) -> Outcome | None:
    if not await single_formation(ctx):
        ctx.say("vacations.no_formation")
        return Leave()
    if "formation_id" in ctx.data:
        return await _prepare(ctx)
    return None


async def choose_formation(ctx: Context, picked: str) -> Outcome:
    if await chosen_formation(ctx, picked) is None:
        return Retry(ctx.render("formation.not_found"))
    outcome = await _prepare(ctx)
    return outcome or Next()


async def _prepare(ctx: Context) -> Outcome | None:
    formation = await current_formation(ctx)
    if formation is None:
        ctx.say("formation.not_found")
        return Leave()
    if not formation.named_trainees:
        ctx.say("absence.no_trainees", f=formation)
        return Leave()
    ctx.data["title"] = formation.title
    ctx.data["rectorat"] = formation.funder == "rectorat"
    absent = await absent_all_along(ctx.session, formation, ctx.now.date())
    ctx.data["participants"] = [str(t.id) for t in formation.trainees if t.id not in absent]
    ctx.data["absent_all_along"] = len(absent)
    return None


_DECIMAL_HOURS = re.compile(r"^(\d{1,3})(?:[.,](\d{1,2}))?\s*(?:h|heures?)?$")


async def parse_hours(ctx: Context, text: str) -> int | Invalid:
    """Minutes of remote coaching: "9", "9,5", "9h30", "12 heures", "90 min"."""
    line = clean_line(text, limit=60)
    if isinstance(line, Invalid):
        return Invalid(ctx.render("vacations.hours_unclear"))
    wrong = dates.wrong_duration(line)  # « -9 h », « 9999 »: explorer GD7
    if wrong == "negative":
        return Invalid(ctx.render("common.duration_negative", example="9"))
    minutes: int | None = None
    decimal = _DECIMAL_HOURS.match(line.lower())
    if decimal:
        whole, fraction = decimal.group(1), decimal.group(2) or "0"
        minutes = int(whole) * 60 + round(float(f"0.{fraction}") * 60)
    else:
        duration = dates.understand_duration(line)
        if duration is not None:
            minutes = int(duration.total_seconds() // 60)
    if minutes is None and not wrong:
        return Invalid(ctx.render("vacations.hours_unclear"))
    if minutes is None or not 1 <= minutes <= MAX_HOURS * 60:
        return Invalid(ctx.render("vacations.hours_range", limit=MAX_HOURS))
    return minutes


async def show_result(ctx: Context) -> None:
    formation = await current_formation(ctx)
    if formation is None:
        ctx.say("formation.not_found")
        return
    counted = await count_vacations(
        ctx.session,
        formation,
        int(ctx.data["minutes"]),
        ctx.data.get("participants") or [],
        by=ctx.person_id,
    )
    ctx.say("vacations.result", r=counted.result, participants=counted.participants, f=formation)


VACATIONS = vacations_flow()
FLOWS = [VACATIONS]
