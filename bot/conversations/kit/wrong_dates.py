"""What a date question says of a date typed that it cannot take: a day no calendar has
(« Le 31 février n'existe pas »), a year no one means (« L'année 2226 semble fausse »), a
weekday at odds with its date (« Le 10 décembre 2026 tombe un jeudi »); and of an hour the
change of time moves (« 2 h 30 n'existe pas cette nuit-là »).

Said rather than « Je n'ai pas compris cette date »: the person learns what to correct.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Literal

from bot import dates

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context


def impossible_said(
    ctx: Context, text: str, example: str, prefer: Literal["future", "past"] = "past"
) -> str | None:
    """The day of ``text`` that does not exist, or its year far off (explorer GD8: « le
    12/03/2226 » was « pas compris »), said with ``example``; ``None`` when neither. A 29
    February without a year is of the year the question reads it in, leaning to ``prefer``
    (explorer IB6: « le 29 février » typed in 2027 was read as 29 February 2024)."""
    impossible = dates.impossible_day(text, ctx.now, prefer)
    if impossible is not None:
        return ctx.render("common.date_impossible", day=impossible, example=example)
    year = dates.wrong_year(text)
    if year is not None:
        return ctx.render("common.date_wrong_year", year=year, example=example)
    return None


def wrong_weekday_said(ctx: Context, text: str, prefer: Literal["future", "past"]) -> str | None:
    """« mercredi 10 décembre », a Thursday: which is which, both offered; ``None`` when the
    text names no weekday at odds with its date."""
    mismatch = dates.wrong_weekday(text, ctx.now, prefer)
    if mismatch is None:
        return None
    named, meant = mismatch
    one = dates.spell_example(named)
    return ctx.render(
        "common.date_wrong_weekday",
        day=f"{dates.spell_day_month(named)} {named.year}",
        weekday=one.split()[0],
        one=one,
        other=dates.spell_example(meant),
    )


def weekday_at_odds_to_come(ctx: Context, text: str) -> bool:
    """« mardi 11 janvier » typed in December, the 11th a Monday: whichever of the two days
    was meant is to come, which a question of days past says at once rather than ask which
    (explorer BE10: asked, then either refused as to come)."""
    mismatch = dates.wrong_weekday(text, ctx.now, "past")
    return mismatch is not None and min(mismatch) > ctx.now.date()


def clock_change_said(ctx: Context, moment: datetime, typed: object) -> list[str]:
    """Under « J'ai compris : dimanche 28 mars 2027 à 3 h 30 », why not the 2 h 30 typed
    (``typed``, ISO; anything else when the hour is not shown): it does not exist that
    night, or comes twice (explorer IB1: moved, no word why)."""
    said = time.fromisoformat(typed) if isinstance(typed, str) and typed else None
    change = dates.clock_change(moment.astimezone(ctx.tz), said)  # kept as a bare offset
    if change is None or said is None:
        return []
    return [ctx.render("common.clock_change", change=change, typed=said, moment=moment)]
