"""« lundi 11 janvier » typed without a year: the year in which that day is a Monday.

A day written with its weekday, as the bot itself writes every day, tells its year: typed
in December 2026 for a January entry, « lundi 11 janvier » is 2027, months ahead though the
question leans to the past (explorer AB1: the trainee list, a file's entry column, « Sa date
d'entrée » and a planned exit refused it as « pas compris »).  Inside a formation's dates
when it has them, else the year nearest today within :data:`NEAR` days; a weekday that fits
no such year (« mardi 11 janvier » in December 2026) is a :class:`WeekdayMiss`, said back
with the day it falls on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.dates.moments import understand
from bot.dates.spelling import spell_date, spell_day_month
from bot.dates.words import (
    ANY_MONTH,
    ANY_WEEKDAY,
    MAX_LENGTH,
    WEEKDAY_WORDS,
    fold,
    rewrite,
    valid_date,
)

_WEEKDAY = re.compile(rf"\b({ANY_WEEKDAY})\b")
_MONTH = re.compile(rf"\b(?:{ANY_MONTH})\b|\b\d{{1,2}}[/.\-]\d{{1,2}}\b")
_YEAR = re.compile(r"\b\d{4}\b|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}\b")
_SHIFTS = (-2, -1, 0, 1, 2)
NEAR = 366
"""Days either side of today within which a weekday's year is looked for, no formation
settling it: further, the weekday or the day is a typo."""

Period = tuple[date, date]


@dataclass(frozen=True)
class WeekdayMiss:
    """The day typed, read in its year nearest today (or the formation), falls on another
    weekday than the one typed, and no near year has it on that one."""

    day: date
    typed: int

    def said(self) -> dict[str, str]:
        """For the templates: « le {day} tombe un {falls}, pas un {typed} »."""
        typed_day = self.day.toordinal() + (self.typed - self.day.weekday())
        return {
            "day": f"{spell_day_month(self.day)} {self.day.year}",
            "falls": spell_date(self.day).split()[0],
            "typed": spell_date(date.fromordinal(typed_day)).split()[0],
        }


def weekday_year(
    text: str, now: datetime, within: Period | None = None
) -> date | WeekdayMiss | None:
    """The day of ``text`` (a weekday, a day and a month, no year) in the year where it is
    that weekday; ``None`` when ``text`` is not such a day."""
    if len(text) > MAX_LENGTH:
        return None
    folded = rewrite(fold(text))
    named = _WEEKDAY.search(folded)
    if named is None or _YEAR.search(folded) or not _MONTH.search(folded):
        return None
    alone = understand(folded[: named.start()] + " " + folded[named.end() :], now, "past")
    if alone is None or not alone.has_date:
        return None
    month, day = alone.when.month, alone.when.day
    today = now.date()
    years = [valid_date(today.year + shift, month, day) for shift in _SHIFTS]
    every = [d for d in years if d is not None]
    typed = WEEKDAY_WORDS[named.group(1)]
    fitting = [d for d in every if d.weekday() == typed]
    if within is not None:
        inside = [d for d in fitting if within[0] <= d <= within[1]]
        if inside:
            return min(inside, key=lambda d: _distance(d, today))
    near = [d for d in fitting if abs((d - today).days) <= NEAR]
    if near:
        return min(near, key=lambda d: _distance(d, today))
    inside_any = [d for d in every if within is not None and within[0] <= d <= within[1]]
    return WeekdayMiss(min(inside_any or every, key=lambda d: _distance(d, today)), typed)


def _distance(day: date, today: date) -> tuple[int, int]:
    """Days from today; the coming one wins a tie."""
    return (abs((day - today).days), 0 if day >= today else 1)
