"""A day that no calendar has ("31 février", "31/04", "29/02/2027"), named back; a year no
one means ("12/03/2226"), named too; a weekday that does not match its date ("mercredi 10
décembre", a Thursday), said so.

Readers answer ``None`` for it like for anything they cannot read; the
dialogues ask this first, so the person learns what is wrong rather than
that they were not understood.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.dates.moments import Prefer, understand
from bot.dates.spelling import day_and_month
from bot.dates.words import (
    ANY_MONTH,
    ANY_WEEKDAY,
    MAX_LENGTH,
    MONTH_WORDS,
    WEEKDAY_WORDS,
    YEARS,
    fold,
    rewrite,
    valid_date,
)

_TEXTUAL = re.compile(rf"(?<![\d/.\-])(\d{{1,2}})\s*({ANY_MONTH})\b(?:\s+(\d{{4}})\b)?")
_NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}))?(?![\d/.\-])")


def impossible_day(text: str, now: datetime | None = None, prefer: Prefer = "past") -> str | None:
    """The first day named in ``text`` that does not exist, spelled ("31 février",
    "29 février 2027"), or ``None``.  A month number past 12 is not a day at all.  With
    ``now``, a 29 February without a year is of the year the readers give it (leaning to
    ``prefer``), named when that year has none (explorer IB6)."""
    if len(text) > MAX_LENGTH:
        return None
    text = rewrite(fold(text))
    found = [(m.start(), m, MONTH_WORDS[m.group(2)]) for m in _TEXTUAL.finditer(text)]
    found += [(m.start(), m, int(m.group(2))) for m in _NUMERIC.finditer(text)]
    for _, match, month in sorted(found, key=lambda f: f[0]):
        day, year = int(match.group(1)), match.group(3)
        if not 1 <= month <= 12:
            continue
        if not year and now is not None and (month, day) == (2, 29):
            year = str(_leap_year_read(now, prefer))
        if valid_date(int(year) if year else 2000, month, day) is None:
            named = day_and_month(day, month)
            return f"{named} {year}" if year else named
    return None


def _leap_year_read(now: datetime, prefer: Prefer) -> int:
    """The year « le 29 février » is read in: that of « le 28 février », unless this year
    has its own on the side ``prefer`` leans to (:meth:`.moments.Resolver.leap_day`)."""
    leap = understand("29/02", now, prefer)
    if leap is not None:
        return leap.when.year
    stand_in = understand("28/02", now, prefer)
    return stand_in.when.year if stand_in is not None else now.year


_YEAR = re.compile(
    rf"(?<![\d/.\-])(?:\d{{1,2}}(?:[/.\-]\d{{1,2}}[/.\-]|\s*(?:{ANY_MONTH})\s+)(\d{{3,8}})"
    r"|(\d{4,8})-\d{1,2}-\d{1,2})(?![\d/.\-])"
)


def wrong_year(text: str) -> str | None:
    """The first year of a date in ``text`` that is none of :data:`~bot.dates.words.YEARS`,
    as typed (« le 12/03/2226 », « 12 mars 1826 », « 31/12/99999 »), or ``None``: the
    readers refuse such a date, and the person learns that the year is what is wrong
    (explorer GD8: « Je n'ai pas compris cette date »)."""
    if len(text) > MAX_LENGTH:
        return None
    for match in _YEAR.finditer(rewrite(fold(text))):
        year = match.group(1) or match.group(2)
        if not YEARS[0] <= int(year) <= YEARS[1]:
            return year
    return None


_WEEKDAY = re.compile(rf"\b({ANY_WEEKDAY})\b")


def wrong_weekday(text: str, now: datetime, prefer: Prefer) -> tuple[date, date] | None:
    """ "mercredi 10 décembre" when the 10th is a Thursday: the day the date names and the
    day the weekday names in its week (Wednesday 9th), either of which was meant; ``None``
    when ``text`` names no weekday, or one that fits (« le mardi 12 » read as the next
    12th that is a Tuesday, not « samedi 12 ou mardi 8 décembre »: explorer GE1), or no
    day without it."""
    if len(text) > MAX_LENGTH:
        return None
    folded = rewrite(fold(text))
    named = _WEEKDAY.search(folded)
    if named is None or understand(folded, now, prefer) is not None:
        return None
    alone = understand(folded[: named.start()] + " " + folded[named.end() :], now, prefer)
    if alone is None or not alone.has_date:
        return None
    day = alone.when.date()
    typed = WEEKDAY_WORDS[named.group(1)]
    if typed == day.weekday():
        return None
    return day, day + timedelta(days=typed - day.weekday())
