"""The day of an absence, checked as it is typed: past, not after the trainee's exit, and
not years away from her dates.

A day outside the trainee's dates but near them is only questioned (« Enregistrer quand
même »: the dates typed at creation may be approximate, :mod:`.details`); a day more than
a year away is a slip of the year, refused like a date in digits whose year is far off
(explorer GD1: « il y a 200 ans » saved an absence in 1826 after two presses). A sentence
naming several people (:mod:`.group`) is held to the same bound by :func:`far_from_dates`
(explorer HA4: « karim et léa absents il y a 200 ans » saved two absences in 1826).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime, timedelta

from bot import dates
from bot.absences.log import outside
from bot.conversations.absences.steps import current_formation, current_trainee
from bot.conversations.kit.context import Context
from bot.conversations.kit.steps import past_example
from bot.storage.formations import Formation, Trainee

NEAR_DATES = timedelta(days=366)
"""How far outside the trainee's dates a day may still be kept after « quand même »."""


async def check_not_future(ctx: Context, when: datetime) -> str | None:
    if when.date() > ctx.now.date():
        return ctx.render("absence.future", day=when.date())
    return None


async def absence_example(ctx: Context) -> str:
    """Yesterday's working day, or the trainee's exit before it (explorer I: « hier » was
    offered after an exit, then refused); the question then offers no « aujourd'hui »."""
    trainee = await current_trainee(ctx)
    yesterday = ctx.now.astimezone(ctx.tz).date() - timedelta(days=1)
    gone = trainee.left_on if trainee is not None and trainee.left_before(yesterday) else None
    ctx.data["_gone"] = gone is not None
    return dates.spell_example(gone) if gone is not None else await past_example(ctx)


async def check_day(ctx: Context, when: datetime) -> str | None:
    """A past day, and not after the trainee's exit (the exit's date is corrected in
    /formations, not worked around here), nor more than a year from her dates."""
    problem = await check_not_future(ctx, when)
    if problem is not None:
        return problem
    trainee = await current_trainee(ctx)
    if trainee is not None and trainee.left_before(when.date()):
        return ctx.render("absence.after_exit", day=when.date(), t=trainee)
    formation = await current_formation(ctx)
    if formation is None or trainee is None:
        return None
    return await far_from_dates(ctx, [(formation, trainee)], [when.date()], absence_example)


def far_span(formation: Formation, trainee: Trainee, day: date) -> tuple[date, date] | None:
    """The trainee's dates when ``day`` is more than :data:`NEAR_DATES` away from them."""
    span = outside(formation, trainee, day)
    if span is None or span[0] - NEAR_DATES <= day <= span[1] + NEAR_DATES:
        return None
    return span


async def far_from_dates(
    ctx: Context,
    people: Iterable[tuple[Formation, Trainee]],
    days: Iterable[date],
    example: Callable[[Context], Awaitable[str]],
) -> str | None:
    """Why the first of ``days`` a year away from the dates of one of ``people`` is refused
    (a slip of the year), or ``None``: the one check of one absence and of a sentence naming
    several people or days (explorer HA4)."""
    days = list(days)
    for formation, trainee in people:
        for day in days:
            span = far_span(formation, trainee, day)
            if span is not None:
                said = {"start": span[0], "end": span[1], "example": await example(ctx)}
                return ctx.render("absence.far_from_dates", day=day, t=trainee, **said)
    return None
