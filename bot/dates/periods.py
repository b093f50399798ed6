"""A span of days ("du 2 au 15 mars"), both ends included.

A missing year or month comes from the other end, and a period not yet over
wins: training periods are entered before or while they run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.dates.moments import Resolver, possible_date
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


def _period_side(text: str) -> _Side | None:
    m = _PERIOD_SIDE.match(text.strip())
    if m is None:
        return None
    weekday = WEEKDAY_WORDS[m.group("wd")] if m.group("wd") else None
    if m.group("iy"):
        return _Side(int(m.group("id")), int(m.group("im")), parse_year(m.group("iy")), weekday)
    if m.group("nd"):
        return _Side(int(m.group("nd")), int(m.group("nm")), parse_year(m.group("ny")), weekday)
    month = MONTH_WORDS[m.group("tm")] if m.group("tm") else None
    return _Side(int(m.group("td")), month, parse_year(m.group("ty")), weekday)


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


def _resolve_period(first: _Side, last: _Side, now: datetime) -> tuple[date, date] | None:
    ahead = Resolver(now, "future", None)
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


def understand_period(text: str, now: datetime) -> tuple[date, date] | None:
    """Read a span of days, both ends included; ``None`` rather than a guessed end.

    A missing year or month comes from the other end, and a period not yet
    over wins: training periods are entered before or while they run.
    """
    if len(text) > MAX_LENGTH:
        return None
    # A spaced dash or an arrow separates the ends; folding would drop it as punctuation.
    text = re.sub(r"\s+[-–—]+>?\s+|\s*(?:->|→)\s*", " au ", text)
    text = rewrite(fold(text))
    text = re.sub(r"^entre\s+(.+?)\s+et\s+", r"\1 au ", text)
    for separator in _PERIOD_SEPARATOR.finditer(text):
        try:
            first = _period_side(text[: separator.start()])
            last = _period_side(text[separator.end() :])
            if first is not None and last is not None:
                return _resolve_period(first, last, now)
        except Unclear:
            continue
    return None
