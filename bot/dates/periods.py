"""A span of days ("du 2 au 15 mars"), both ends included.

A missing year or month comes from the other end, and a period not yet over
wins: training periods are entered before or while they run.  An end can be
a day relative to today ("du lundi prochain au 15/01/2027"); a bare weekday
cannot ("du lundi au vendredi" says which days of the week, not which week).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.dates.moments import Prefer, Resolver, possible_date, understand
from bot.dates.words import (
    ANY_MONTH,
    ANY_WEEKDAY,
    MAX_LENGTH,
    MONTH_WORDS,
    WEEKDAY_WORDS,
    Unclear,
    fold,
    parse_year,
    rewrite,
    valid_date,
)

# "à partir de lundi prochain jusqu'au …", "depuis le 2 mars", "dès le 7": the start.
_FROM = re.compile(r"^(?:a\s+partir|a\s+compter|depuis|des)\s+(?:du|de|d|le)?\s*")
_UNTIL = re.compile(r"^(?:jusqu\s+(?:au|a)|au)\s+")
# An end read as one day relative to today (a bare weekday is not: see the module).
_RELATIVE = re.compile(
    r"\b(?:prochain|dernier|semprochaine|enhuit|enquinze|aujourdhui|demain|apresdemain|hier"
    r"|avanthier|dans)\b"
)
_PERIOD_SEPARATOR = re.compile(r"\s(?:au|a|jusqu\s+au|jusqu\s+a)\s|\s*->\s*|\s*-\s*")
_PERIOD_SIDE = re.compile(
    rf"^(?:du\s+|de\s+)?(?:le\s+)?(?:(?P<wd>{ANY_WEEKDAY})\s+)?(?:le\s+)?(?:"
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<nd>\d{1,2})[/.\-](?P<nm>\d{1,2})(?:[/.\-](?P<ny>\d{4}|\d{2}))?"
    rf"|(?P<td>\d{{1,2}})(?:\s*(?P<tm>{ANY_MONTH})(?:\s+(?P<ty>\d{{4}}))?)?"
    r")$"
)


@dataclass(frozen=True)
class _Side:
    day: int
    month: int | None
    year: int | None
    weekday: int | None


def _period_side(text: str, now: datetime) -> _Side | None:
    m = _PERIOD_SIDE.match(text.strip())
    if m is None:
        return _relative_side(text, now)
    weekday = WEEKDAY_WORDS[m.group("wd")] if m.group("wd") else None
    if m.group("iy"):
        return _Side(int(m.group("id")), int(m.group("im")), parse_year(m.group("iy")), weekday)
    if m.group("nd"):
        return _Side(int(m.group("nd")), int(m.group("nm")), parse_year(m.group("ny")), weekday)
    month = MONTH_WORDS[m.group("tm")] if m.group("tm") else None
    return _Side(int(m.group("td")), month, parse_year(m.group("ty")), weekday)


def counted_from_today(text: str) -> bool:
    """Whether ``text`` names a day relative to today ("lundi prochain", "demain"): its year
    is then known, not to be read in context."""
    return _RELATIVE.search(rewrite(fold(text))) is not None


def _relative_side(text: str, now: datetime) -> _Side | None:
    """ "lundi prochain", "demain": one day, read by :func:`understand` (no hour: a period is
    made of days)."""
    if _RELATIVE.search(text) is None:
        return None
    read = understand(re.sub(r"^(?:du|de|d)\s+", "", text.strip()), now, "future")
    if read is None or read.has_time:
        return None
    day = read.when.date()
    return _Side(day.day, day.month, day.year, None)


def _month_after(year: int, month: int, by: int, day: int) -> date | None:
    index = year * 12 + month - 1 + by
    return valid_date(index // 12, index % 12 + 1, day)


def _end_after(start: date, last: _Side) -> date | None:
    """The end of "du 28 mars au 3": the first such day on or after the start."""
    if last.year is not None and last.month is not None:
        return valid_date(last.year, last.month, last.day)
    if last.month is not None:
        end = valid_date(start.year, last.month, last.day)
        if end is None or end < start:
            end = valid_date(start.year + 1, last.month, last.day)
        return end
    end = valid_date(start.year, start.month, last.day)
    if end is None or end < start:
        end = _month_after(start.year, start.month, 1, last.day)
    return end


def _start_before(end: date, first: _Side) -> date | None:
    """The start of "du 2 au 15 mars": the last such day on or before the end."""
    if first.month is not None:
        start = valid_date(end.year, first.month, first.day)
        if start is None or start > end:
            start = valid_date(end.year - 1, first.month, first.day)
        return start
    start = valid_date(end.year, end.month, first.day)
    if start is None or start > end:
        start = _month_after(end.year, end.month, -1, first.day)
    return start


def _resolve_period(
    first: _Side, last: _Side, now: datetime, prefer: Prefer = "future"
) -> tuple[date, date] | None:
    ahead = Resolver(now, prefer, None)
    start: date | None
    end: date | None
    if first.year is not None and first.month is not None:
        start = valid_date(first.year, first.month, first.day)
        end = None if start is None else _end_after(start, last)
    elif first.month is not None and last.month is None:
        start = ahead.partial(possible_date(first.day, first.month))
        end = _end_after(start, last)
    else:
        if last.year is not None and last.month is not None:
            end = valid_date(last.year, last.month, last.day)
        else:
            end = ahead.partial(possible_date(last.day, last.month))
        start = None if end is None else _start_before(end, first)
    if start is None or end is None or start > end:
        return None
    for side, resolved in ((first, start), (last, end)):
        if side.weekday is not None and resolved.weekday() != side.weekday:
            return None
    return start, end


def understand_period(
    text: str, now: datetime, prefer: Prefer = "future"
) -> tuple[date, date] | None:
    """Read a span of days, both ends included; ``None`` rather than a guessed end.

    A missing year or month comes from the other end, and a period not yet
    over wins: training periods are entered before or while they run.  With
    ``prefer="past"`` a period already begun wins instead (the days of an
    absence: « du 1er au 3 décembre » on 4 December is this year's).
    """
    if len(text) > MAX_LENGTH:
        return None
    # A spaced dash or an arrow separates the ends; folding would drop it as punctuation.
    text = re.sub(r"\s+[-–—]+>?\s+|\s*(?:->|→)\s*", " au ", text)
    text = _FROM.sub("du ", rewrite(fold(text)))
    text = re.sub(r"^entre\s+(.+?)\s+et\s+", r"\1 au ", text)
    for separator in _PERIOD_SEPARATOR.finditer(text):
        try:
            first = _period_side(text[: separator.start()], now)
            last = _period_side(text[separator.end() :], now)
            if first is not None and last is not None:
                return _resolve_period(first, last, now, prefer)
        except Unclear:
            continue
    return None


End = Literal["start", "end"]


def understand_one_end(
    text: str, now: datetime, current: tuple[date, date] | None = None
) -> tuple[End, date] | None:
    """One end alone: "jusqu'au 18 décembre" is the end, "à partir du 7 décembre" the start.

    Without a year the day is the one nearest that end's ``current`` value
    (a correction moves a date a little, not by a year), else nearest today.
    """
    if len(text) > MAX_LENGTH:
        return None
    text = rewrite(fold(text))
    which: End
    if _UNTIL.match(text):
        which, rest = "end", _UNTIL.sub("", text)
    elif _FROM.match(text) or text.startswith("du "):
        which, rest = "start", _FROM.sub("", text).removeprefix("du ")
    else:
        return None
    if _PERIOD_SEPARATOR.search(f" {rest} ") is not None:
        return None  # both ends after all, or something else
    try:
        side = _period_side(rest, now)
    except Unclear:
        return None
    if side is None:
        return None
    near = now.date() if current is None else current[0 if which == "start" else 1]
    day = _nearest(side, near)
    if day is None or (side.weekday is not None and day.weekday() != side.weekday):
        return None
    return which, day


def _nearest(side: _Side, near: date) -> date | None:
    if side.year is not None and side.month is not None:
        return valid_date(side.year, side.month, side.day)
    found = [
        valid_date(near.year + k, side.month, side.day)
        if side.month is not None
        else _month_after(near.year, near.month, k, side.day)
        for k in (-1, 0, 1)
    ]
    days = [d for d in found if d is not None]
    return min(days, key=lambda d: abs((d - near).days)) if days else None
