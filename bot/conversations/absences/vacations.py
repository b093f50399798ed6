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
from datetime import date, timedelta

from sqlalchemy import select

from bot import dates
from bot.answers import Invalid, clean_line
from bot.conversations.absences.steps import current_formation, single_formation
from bot.conversations.formations.choose import load_formation, visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry
from bot.conversations.kit.steps import Option, Pick, PickMany, Text
from bot.rules.settings import SettingError, rounding_setting
from bot.rules.vacations import compute_vacations
from bot.storage.absences import Absence
from bot.storage.formations import Formation
from bot.storage.people import Organisation, Role

MAX_HOURS = 500


async def rectorat_first(ctx: Context) -> list[Option]:
    formations = await visible_formations(ctx)
    ordered = sorted(
        formations,
        key=lambda f: (f.funder != "rectorat", not f.remote_coaching),
    )
    return [Option(f"{f.title} ({dates.spell_date(f.start_date)})", str(f.id)) for f in ordered]


async def vacations_start(ctx: Context) -> Outcome | None:
    if not await single_formation(ctx):
        ctx.say("vacations.no_formation")
        return Leave()
    if "formation_id" in ctx.data:
        return await _prepare(ctx)
    return None


async def choose_formation(ctx: Context, picked: str) -> Outcome:
    formation = await load_formation(ctx, picked)
    if formation is None:
        return Retry(ctx.render("formation.not_found"))
    ctx.data["formation_id"] = formation.id
    outcome = await _prepare(ctx)
    return outcome or Next()


async def _prepare(ctx: Context) -> Outcome | None:
    formation = await current_formation(ctx)
    if formation is None:
        ctx.say("formation.not_found")
        return Leave()
    if not formation.trainees:
        ctx.say("absence.no_trainees", f=formation)
        return Leave()
    ctx.data["title"] = formation.title
    ctx.data["rectorat"] = formation.funder == "rectorat"
    absent = await absent_all_along(ctx, formation)
    ctx.data["participants"] = [str(t.id) for t in formation.trainees if t.id not in absent]
    ctx.data["absent_all_along"] = len(absent)
    return None


def working_days(start: date, end: date) -> list[date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


async def absent_all_along(ctx: Context, formation: Formation) -> set[int]:
    """Trainees absent (whole days) on every working day of the formation so far."""
    end = min(formation.effective_end, ctx.now.date())
    days = working_days(formation.start_date, end)
    if not days:
        return set()
    rows = await ctx.session.scalars(
        select(Absence).where(
            Absence.formation_id == formation.id,
            Absence.deleted_at.is_(None),
            Absence.period != "retard",
        )
    )
    halves: dict[int, dict[date, set[str]]] = {}
    for absence in rows:
        marks = {"matin": {"m"}, "apres_midi": {"a"}, "journee": {"m", "a"}}[absence.period]
        halves.setdefault(absence.trainee_id, {}).setdefault(absence.day, set()).update(marks)
    return {
        trainee_id
        for trainee_id, by_day in halves.items()
        if all(by_day.get(day) == {"m", "a"} for day in days)
    }


_DECIMAL_HOURS = re.compile(r"^(\d{1,3})(?:[.,](\d{1,2}))?\s*(?:h|heures?)?$")


async def parse_hours(ctx: Context, text: str) -> int | Invalid:
    """Minutes of remote coaching: "9", "9,5", "9h30", "12 heures", "90 min"."""
    line = clean_line(text, limit=60)
    if isinstance(line, Invalid):
        return Invalid(ctx.render("vacations.hours_unclear"))
    minutes: int | None = None
    decimal = _DECIMAL_HOURS.match(line.lower())
    if decimal:
        whole, fraction = decimal.group(1), decimal.group(2) or "0"
        minutes = int(whole) * 60 + round(float(f"0.{fraction}") * 60)
    else:
        duration = dates.understand_duration(line)
        if duration is not None:
            minutes = int(duration.total_seconds() // 60)
    if minutes is None:
        return Invalid(ctx.render("vacations.hours_unclear"))
    if not 1 <= minutes <= MAX_HOURS * 60:
        return Invalid(ctx.render("vacations.hours_range", limit=MAX_HOURS))
    return minutes


async def participant_options(ctx: Context) -> list[Option]:
    formation = await current_formation(ctx)
    if formation is None:
        return []
    return [Option(t.full_name, str(t.id)) for t in formation.trainees]


async def show_result(ctx: Context) -> None:
    formation = await current_formation(ctx)
    if formation is None:
        ctx.say("formation.not_found")
        return
    known = {str(t.id) for t in formation.trainees}
    participants = len([p for p in ctx.data.get("participants") or [] if p in known])
    organisation = await ctx.session.get(Organisation, ctx.organisation_id)
    try:
        rounding = rounding_setting(organisation.settings if organisation else {})
    except SettingError:
        rounding = "down"
    result = compute_vacations(int(ctx.data["minutes"]), participants, rounding)
    ctx.audit(
        "vacations",
        "formation",
        formation.id,
        minutes=int(ctx.data["minutes"]),
        participants=participants,
        vacations=result.vacations,
        cap=result.cap,
        rounding=rounding,
    )
    ctx.say("vacations.result", r=result, participants=participants, f=formation)


VACATIONS = Flow(
    "vacations",
    command="vacations",
    role=Role.FORMATEUR,
    summary="calculer les vacations d'un accompagnement à distance (Rectorat)",
    start=vacations_start,
    steps=[
        Pick(
            "formation",
            ask="vacations.ask_formation",
            options=rectorat_first,
            then=choose_formation,
            when=lambda c: "formation_id" not in c.data,
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
            options=participant_options,
            minimum=1,
            help="vacations.help_participants",
        ),
    ],
    finish=show_result,
)

FLOWS = [VACATIONS]
