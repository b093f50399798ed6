"""Dates typed without a year, read in the formation's context.

"du 5 octobre au 27 novembre", typed on 1 December, is the formation that
has just ended, not one starting in ten months; "Session 1 : du 2 mars au
10 avril" is the March inside the formation's own dates.  :mod:`bot.dates`
reads a year-less date towards the future, which suits an appointment; a
formation's dates are typed before, while and just after it runs, so here
the year is the one that puts the dates inside the formation (when there is
one), else nearest to today.  A year typed by the person is never changed.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from bot import dates
from bot.dates.periods import counted_from_today

_EXPLICIT_YEAR = re.compile(r"\b\d{4}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b")
_SHIFTS = (-2, -1, 0, 1, 2)
_MONTH = re.compile(
    r"\b(?:janvier|janv|f[eé]vrier|f[eé]vr|mars|avril|avr|mai|juin|juillet|juil|ao[uû]t"
    r"|septembre|sept|octobre|oct|novembre|nov|d[eé]cembre|d[eé]c)\b"
    r"|\b\d{1,2}[/.-]\d{1,2}\b",
    re.I,
)

Period = tuple[date, date]


def has_year(text: str) -> bool:
    return _EXPLICIT_YEAR.search(text) is not None


def names_a_day(text: str) -> bool:
    """Whether ``text`` names a month or a day of a month ("30 novembre", "30/11")."""
    return _MONTH.search(text) is not None


def _shift(day: date, years: int) -> date | None:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February of a year that has none
        return None


def _distance(period: Period, today: date) -> tuple[int, int]:
    """Days between the period and today (0 when today is inside); the future wins a tie."""
    start, end = period
    if start <= today <= end:
        return (0, 0)
    if start > today:
        return ((start - today).days, 0)
    return ((today - end).days, 1)


def _gap(period: Period, within: Period) -> int:
    """Days between two periods (0 when they overlap)."""
    return max((within[0] - period[1]).days, (period[0] - within[1]).days, 0)


def _candidates(period: Period) -> list[Period]:
    found = []
    for years in _SHIFTS:
        start, end = _shift(period[0], years), _shift(period[1], years)
        if start is not None and end is not None:
            found.append((start, end))
    return found


def in_context(period: Period, today: date, within: Period | None = None) -> Period:
    """The year of ``period`` (read without one) that fits ``within``, else nearest today."""
    candidates = _candidates(period) or [period]
    if within is not None:
        inside = [c for c in candidates if within[0] <= c[0] and c[1] <= within[1]]
        if inside:
            return min(inside, key=lambda c: _distance(c, today))
        # None fits: the one nearest the formation, so the re-ask is about a sensible year.
        return min(candidates, key=lambda c: _gap(c, within))
    return min(candidates, key=lambda c: _distance(c, today))


def period_in_context(text: str, now: datetime, within: Period | None = None) -> Period | None:
    """:func:`bot.dates.understand_period`, its year read in context when none was typed."""
    period = dates.understand_period(text, now)
    if period is None or has_year(text) or counted_from_today(text):
        return period
    return in_context(period, now.date(), within)


def day_in_context(text: str, now: datetime, within: Period | None = None) -> date | None:
    """One day ("le 30 novembre"), its year read in context when a month but no year was typed.

    A relative day ("hier", "lundi dernier") is left as :mod:`bot.dates` reads it.  A day
    with its weekday (« lundi 11 janvier ») is of the year where it is that weekday, inside
    the formation when it can be (explorer AB1: refused in December for January); ``None``
    when none near is (:func:`bot.dates.weekday_year` says which weekday it falls on).
    """
    by_weekday = dates.weekday_year(text, now, within)
    if by_weekday is not None:
        return by_weekday if isinstance(by_weekday, date) else None
    understood = dates.understand(text, now, "past")
    if understood is None:
        return None
    day = understood.when.date()
    if has_year(text) or not names_a_day(text):
        return day
    return in_context((day, day), now.date(), within)[0]
