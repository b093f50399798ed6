"""One day and/or time of day, read from what a trainer types.

dateparser misreads most of what a trainer types in a chat ("14h" as a
duration, "mardi 10h" as the 10th, "jeudi prochain" not at all), and with a
time zone set it shifts or drops bare times. So the time of day and the date
parts are pulled out with patterns of our own, and dateparser only gets the
relative phrases that remain ("dans trois jours", "il y a 2 semaines"), with
a naive wall-clock base and no time zone; the zone is attached here, DST
included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from bot.dates.day_parts import PART_WORD
from bot.dates.wall_clock import at_wall
from bot.dates.words import (
    ANY_MONTH,
    ANY_NUMBER,
    ANY_WEEKDAY,
    DATE_WORDS,
    MAX_LENGTH,
    MONTH_WORDS,
    NUMBER_WORDS,
    WEEKDAY_WORDS,
    Unclear,
    fold,
    parse_year,
    rewrite,
    valid_date,
)
from bot.dates.working_days import easter_sunday

Prefer = Literal["future", "past"]

# Places where a number is glued to another one (dates, times): never split them.
_NB = r"(?<![\d/.:\-])"
_NA = r"(?![\d/.:\-])"

# Answers that name no day, or a span of days; reading one day out of them
# would be exactly the silent guess we refuse.
_VAGUE = re.compile(
    r"\bdes\s+que\s+possible\b|\bau\s+plus\s+(?:vite|tot)\b|\basap\b|\bbientot\b"
    r"|\bun\s+jour\b|\bun\s+de\s+ces\s+jours\b|\b(?:fin|debut|milieu)\s+(?:de|d|du)\b"
    rf"|\b(?:fin|debut)\s+(?:{ANY_MONTH})\b|\bmi\s*-?\s*(?:{ANY_MONTH}|semaine|journee)\b"
    r"|\bsemaine\s+proch|\bcette\s+semaine\b|\bmois\s+proch|\bce\s+mois\b|\bplus\s+tard\b"
    r"|\bquand\s+(?:tu\s+veux|vous\s+voulez)\b|\bn\s+importe\s+quand\b|\bpeu\s+importe\b"
    r"|\bon\s+verra\b|\bsais\s+pas\b|\btous\s+les\b|\bchaque\b|\bentre\b"
    # "dans 3 heures" is a delay, not three o'clock
    r"|\b(?:dans|il\s+y\s+a|ici|pendant|durant|depuis)\s+\S+\s*(?:heures?|hrs?|h|min|minutes?|mn)\b"
)

_TIME_WORD = re.compile(
    r"\b(midi|minuit)(?:\s+(et\s+demie?|et\s+quart|moins\s+(?:le\s+)?quart|trente|30))?\b"
)
_TIME_H = re.compile(
    _NB + r"(\d{1,2})\s*(?:heures?|hrs?|h)"
    r"(?:\s*(\d{2})" + _NA + rf"(?!\s*(?:{ANY_MONTH})\b)(?:\s*(?:minutes?|min|mn))?"
    r"|\s+(et\s+demie?|et\s+quart|moins\s+(?:le\s+)?quart))?"
    r"(?![a-z0-9])"
)
_TIME_COLON = re.compile(_NB + r"(\d{1,2}):(\d{2})(?![\d:])")
_PART_DEFAULT = {"matin": time(9), "apresmidi": time(14), "soir": time(18)}

_ISO = re.compile(_NB + r"(\d{4})-(\d{1,2})-(\d{1,2})" + _NA)
_NUMERIC = re.compile(_NB + r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?" + _NA)
_TEXTUAL = re.compile(_NB + rf"(\d{{1,2}})\s*({ANY_MONTH})\b\.?(?:\s*(\d{{4}})(?![\d/.:\-h]))?")
_WEEKDAY = re.compile(
    rf"(?:\b(prochain|dernier)\s+)?\b({ANY_WEEKDAY})\b"
    r"(?:\s+(?:le\s+)?(\d{1,2})" + _NA + r"(?![h\d]))?"
    r"(?:\s+(prochain|dernier|enhuit|enquinze|semprochaine)\b)?"
)
_RELATIVE = re.compile(
    r"\b(aujourdhui|demain|apresdemain|hier|avanthier)\b(?:\s+(enhuit|enquinze))?"
)
_RELATIVE_DAYS = {"aujourdhui": 0, "demain": 1, "apresdemain": 2, "hier": -1, "avanthier": -2}
_DAY_ONLY = re.compile(r"\ble\s+(\d{1,2})" + _NA + r"(?![h\d])")
_OFFSET = re.compile(
    rf"\b(dans|il\s+y\s+a)\s+(\d{{1,3}}|{ANY_NUMBER})\s+(jours?|semaines?|mois|ans?|annees?)\b"
)


@dataclass(frozen=True)
class Understood:
    """A date read from a message; ``has_time`` tells whether to ask for the hour.

    ``has_date`` is false for an hour alone ("14h"), whose day is today's
    only by default: a question that already knows the day keeps it.
    """

    when: datetime
    has_time: bool
    has_date: bool = field(default=True, compare=False)
    typed: time | None = field(default=None, compare=False)
    """The hour as said, on the wall clock: not ``when``'s on the night of a change of time
    (:func:`clock_change`)."""


def _take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """Matches, and the text with them blanked so nothing is read twice."""
    found = list(pattern.finditer(text))
    for match in reversed(found):
        text = text[: match.start()] + " " + text[match.end() :]
    return found, text


def _clock(hour: int, minute: int, extra: str | None) -> time:
    if extra:
        if extra.startswith("et demi") or extra in ("trente", "30"):
            minute = 30
        elif extra.startswith("et quart"):
            minute = 15
        else:  # moins le quart
            hour, minute = (hour - 1) % 24, 45
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise Unclear
    return time(hour, minute)


def _extract_time(text: str) -> tuple[time | None, str]:
    found: list[time] = []
    words, text = _take(_TIME_WORD, text)
    for m in words:
        found.append(_clock(12 if m.group(1) == "midi" else 0, 0, m.group(2)))
    hours, text = _take(_TIME_H, text)
    for m in hours:
        found.append(_clock(int(m.group(1)), int(m.group(2) or 0), m.group(3)))
    colons, text = _take(_TIME_COLON, text)
    for m in colons:
        found.append(_clock(int(m.group(1)), int(m.group(2)), None))
    if len(found) > 1:
        raise Unclear
    return (found[0] if found else None), text


def _with_part(clock: time | None, part: str | None) -> time | None:
    """An hour said with a part of the day: "8h du soir" is 20:00, "15h le matin" is nonsense."""
    if part is None:
        return clock
    if clock is None:
        return _PART_DEFAULT[part]
    hour = clock.hour
    if part == "matin":
        if hour > 12:
            raise Unclear
        return clock
    if 1 <= hour <= 11:
        hour += 12
    if hour < 12:
        raise Unclear
    return clock.replace(hour=hour)


@dataclass(frozen=True)
class _Weekday:
    index: int
    modifier: str | None


@dataclass(frozen=True)
class PartialDate:
    """A date missing its month and/or year: "le 7", "3/12", "3 déc"."""

    day: int
    month: int | None


NEAR_AHEAD = 62
"""Days ahead within which a day and month said of the past may be the coming one."""


class Resolver:
    """Turns the parts found into one date, leaning towards ``prefer``."""

    def __init__(self, now: datetime, prefer: Prefer, clock: time | None) -> None:
        self.now = now
        self.today = now.date()
        self.prefer = prefer
        self.clock = clock

    def flipped(self) -> Resolver:
        other: Prefer = "past" if self.prefer == "future" else "future"
        return Resolver(self.now, other, self.clock)

    def at(self, day: date) -> datetime:
        return at_wall(day, self.clock or time(0), self.now.tzinfo)

    def is_past(self, day: date) -> bool:
        if self.clock is not None:
            return self.at(day) < self.now
        return day < self.today

    def is_future(self, day: date) -> bool:
        if self.clock is not None:
            return self.at(day) > self.now
        return day > self.today

    def weekday(self, spec: _Weekday) -> date:
        ahead = (spec.index - self.today.weekday()) % 7
        behind = (self.today.weekday() - spec.index) % 7
        if spec.modifier == "dernier":
            return self.today - timedelta(days=behind or 7)
        if spec.modifier == "semprochaine":
            monday = self.today - timedelta(days=self.today.weekday() - 7)
            return monday + timedelta(days=spec.index)
        if spec.modifier is not None:  # prochain, en huit, en quinze
            extra = {"prochain": 0, "enhuit": 7, "enquinze": 14}[spec.modifier]
            return self.today + timedelta(days=(ahead or 7) + extra)
        if self.prefer == "future":
            if ahead == 0 and (self.clock is None or self.at(self.today) < self.now):
                ahead = 7
            return self.today + timedelta(days=ahead)
        if behind == 0 and self.clock is not None and self.at(self.today) > self.now:
            behind = 7
        return self.today - timedelta(days=behind)

    def partial(self, spec: PartialDate) -> date:
        step = 1 if self.prefer == "future" else -1
        rejected = self.is_past if self.prefer == "future" else self.is_future
        if spec.month is None:
            for k in range(4):
                month0 = self.today.month - 1 + k * step
                candidate = valid_date(self.today.year + month0 // 12, month0 % 12 + 1, spec.day)
                if candidate is not None and not rejected(candidate):
                    return candidate
            raise Unclear
        if (spec.month, spec.day) == (2, 29):
            return self.leap_day()
        for k in range(2):
            candidate = valid_date(self.today.year + k * step, spec.month, spec.day)
            if candidate is not None and not rejected(candidate):
                return candidate
        raise Unclear

    def leap_day(self) -> date:
        """29 February without a year: this year's when on the side leant to, else of the
        year « le 28 février » is read in or the one before, or none (explorer IB6: typed in
        2027, it went back to 2024, confirmed, then refused as years away;
        :func:`bot.dates.impossible_day` names it instead)."""
        rejected = self.is_past if self.prefer == "future" else self.is_future
        this_year = valid_date(self.today.year, 2, 29)
        if this_year is not None and not rejected(this_year):
            return this_year
        stand_in = PartialDate(28, 2)
        base = self.partial(stand_in)
        # The near one ahead when it has one (on 1 January 2028), else the year before.
        for year in dict.fromkeys((self.nearer(base, stand_in).year, base.year)):
            found = valid_date(year, 2, 29)
            if found is not None:
                return found
        raise Unclear

    def on_weekday(self, spec: PartialDate, weekday: int) -> date | None:
        """« mardi 12 » with no month: the next 12th that is a Tuesday on the side the
        question leans to (12 January 2027 on 6 December 2026), within
        :data:`NEAR_AHEAD` days: further, the weekday or the day is a typo (explorer GE1)."""
        step = 1 if self.prefer == "future" else -1
        rejected = self.is_past if self.prefer == "future" else self.is_future
        for k in range(3):
            month0 = self.today.month - 1 + k * step
            found = valid_date(self.today.year + month0 // 12, month0 % 12 + 1, spec.day)
            if found is None or found.weekday() != weekday or rejected(found):
                continue
            return found if abs((found - self.today).days) <= NEAR_AHEAD else None
        return None

    def nearer(self, past: date, spec: PartialDate) -> date:
        """A day and month leaning to the past, unless the same day ahead is nearer and
        within :data:`NEAR_AHEAD`: « le 28/12 » on 4 December is this month's (refused as to
        come, explorers D and I), « le 3 juin » last June's (explorer L)."""
        if self.prefer != "past" or spec.month is None:
            return past
        ahead = valid_date(past.year + 1, spec.month, spec.day)
        near = ahead is not None and (ahead - self.today).days <= NEAR_AHEAD
        return ahead if near and ahead and ahead - self.today < self.today - past else past

    def bare_time(self) -> date:
        assert self.clock is not None
        if self.prefer == "future" and self.at(self.today) < self.now:
            return self.today + timedelta(days=1)
        if self.prefer == "past" and self.at(self.today) > self.now:
            return self.today - timedelta(days=1)
        return self.today


def _offset(match: re.Match[str], now: datetime) -> date:
    """Relative phrases are what dateparser reads well, given a naive wall-clock base.

    Its French data takes about 0.6 s to load: :func:`bot.app.warm_up` pays
    it in the background after the start, so neither the start nor the first
    "dans 15 jours" waits for it.
    """
    import dateparser  # deferred: the console and most turns never need it

    raw = match.group(2)
    count = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    direction = "dans" if match.group(1) == "dans" else "il y a"
    phrase = f"{direction} {count} {match.group(3)}"
    try:
        parsed = dateparser.parse(
            phrase,
            languages=["fr"],
            settings={
                "DATE_ORDER": "DMY",
                "PREFER_DATES_FROM": "future" if direction == "dans" else "past",
                "RELATIVE_BASE": now.replace(tzinfo=None),
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
    except (OverflowError, ValueError):  # "dans 9999999 ans": past the calendar
        raise Unclear from None
    if not isinstance(parsed, datetime):
        raise Unclear
    return parsed.date()


# Days named by their holiday (« Noël à 10 h », « le lundi de Pâques »): read as that day,
# the nearest on the side the question leans to.  Before the weekdays: « lundi de Pâques »
# is no plain Monday.
_HOLIDAYS: dict[str, Callable[[int], date]] = {
    r"(?:(?:le\s+)?jour\s+de\s+)?noel": lambda y: date(y, 12, 25),
    r"(?:la\s+)?veille\s+de\s+noel": lambda y: date(y, 12, 24),
    r"(?:(?:le\s+)?jour\s+de\s+l\s+an|(?:le\s+)?nouvel\s+an)": lambda y: date(y, 1, 1),
    r"(?:la\s+)?toussaint": lambda y: date(y, 11, 1),
    r"(?:l\s+)?armistice": lambda y: date(y, 11, 11),
    r"(?:la\s+)?fete\s+du\s+travail": lambda y: date(y, 5, 1),
    r"(?:la\s+)?fete\s+nationale": lambda y: date(y, 7, 14),
    r"(?:l\s+)?assomption": lambda y: date(y, 8, 15),
    r"(?:l\s+)?ascension": lambda y: easter_sunday(y) + timedelta(days=39),
    r"(?:le\s+)?lundi\s+de\s+paques": lambda y: easter_sunday(y) + timedelta(days=1),
    r"(?:le\s+)?(?:dimanche\s+de\s+)?paques": lambda y: easter_sunday(y),
    r"(?:le\s+)?lundi\s+de\s+pentecote": lambda y: easter_sunday(y) + timedelta(days=50),
    r"(?:le\s+)?(?:dimanche\s+de\s+)?pentecote": lambda y: easter_sunday(y) + timedelta(days=49),
}
_HOLIDAY = re.compile(r"\b(" + "|".join(f"(?:{k})" for k in _HOLIDAYS) + r")\b")
_HOLIDAY_PATTERNS = [(re.compile(rf"^{k}$"), day) for k, day in _HOLIDAYS.items()]


def _holiday(named: str, resolver: Resolver) -> date:
    """The holiday ``named`` (folded) nearest today on the resolver's side."""
    day_of = next(day for pattern, day in _HOLIDAY_PATTERNS if pattern.match(named))
    year = resolver.today.year
    candidates = [day_of(y) for y in (year - 1, year, year + 1)]
    if resolver.prefer == "future":
        return next(d for d in candidates if not resolver.is_past(d) or d == resolver.today)
    return next(d for d in reversed(candidates) if not resolver.is_future(d))


def _understand(text: str, now: datetime, prefer: Prefer) -> Understood | None:
    if len(text) > MAX_LENGTH:
        return None
    text = rewrite(fold(text))
    if not text or _VAGUE.search(text):
        return None

    clock, text = _extract_time(text)
    parts, text = _take(PART_WORD, text)
    if len(parts) > 1:
        raise Unclear
    part = parts[0].group(1).removesuffix("ee") if parts else None
    clock = _with_part(clock, part)
    resolver = Resolver(now, prefer, clock)

    dates: list[date | PartialDate] = []
    weekdays: list[_Weekday] = []

    found, text = _take(_HOLIDAY, text)
    for m in found:
        dates.append(_holiday(m.group(1).strip(), resolver))
    found, text = _take(_ISO, text)
    for m in found:
        year = parse_year(m.group(1))
        assert year is not None
        dates.append(_checked(year, int(m.group(2)), int(m.group(3))))
    found, text = _take(_NUMERIC, text)
    for m in found:
        year = parse_year(m.group(3))
        day, month = int(m.group(1)), int(m.group(2))
        dates.append(possible_date(day, month) if year is None else _checked(year, month, day))
    found, text = _take(_TEXTUAL, text)
    for m in found:
        year = parse_year(m.group(3))
        day, month = int(m.group(1)), MONTH_WORDS[m.group(2)]
        dates.append(possible_date(day, month) if year is None else _checked(year, month, day))
    found, text = _take(_WEEKDAY, text)
    for m in found:
        if m.group(1) and m.group(4):
            raise Unclear
        weekdays.append(_Weekday(WEEKDAY_WORDS[m.group(2)], m.group(1) or m.group(4)))
        if m.group(3):
            dates.append(possible_date(int(m.group(3)), None))
    found, text = _take(_RELATIVE, text)
    for m in found:
        shift = _RELATIVE_DAYS[m.group(1)] + {None: 0, "enhuit": 7, "enquinze": 14}[m.group(2)]
        dates.append(now.date() + timedelta(days=shift))
    found, text = _take(_DAY_ONLY, text)
    for m in found:
        dates.append(possible_date(int(m.group(1)), None))
    if not dates and not weekdays:
        found, text = _take(_OFFSET, text)
        for m in found:
            dates.append(_offset(m, now))

    leftover = text.split()
    if any(c.isdigit() for c in text) or any(w in DATE_WORDS for w in leftover):
        raise Unclear
    if len(dates) > 1 or len(weekdays) > 1:
        raise Unclear

    resolved: date
    if dates:
        spec = dates[0]
        resolved = resolver.partial(spec) if isinstance(spec, PartialDate) else spec
        if isinstance(spec, PartialDate) and not weekdays:  # a weekday tells the year
            resolved = resolver.nearer(resolved, spec)
        if weekdays:
            named = weekdays[0]
            if isinstance(spec, PartialDate) and resolved.weekday() != named.index:
                # The weekday tells which month was meant, even when it lies on
                # the unexpected side of today ("mercredi 2 décembre" for an
                # absence): the caller then re-asks precisely. A year away is
                # a typo in the day, not a meaning. The coming one is also read
                # as the day alone is (« lundi 11 janvier » as « le 11 janvier »
                # in December: explorer AB1).
                flipped = resolver.flipped().partial(spec)
                near = abs((flipped - resolver.today).days) <= 31
                if near or resolver.nearer(resolved, spec) == flipped:
                    resolved = flipped
                if resolved.weekday() != named.index and spec.month is None:
                    resolved = resolver.on_weekday(spec, named.index) or resolved
            if resolved.weekday() != named.index:
                raise Unclear
            if named.modifier is not None:
                expected = resolver.weekday(named)
                # "mardi prochain" is this coming Tuesday to some, next week's
                # to others; a date given alongside settles which.
                allowed = {expected, expected + timedelta(days=7)}
                if named.modifier != "prochain":
                    allowed = {expected}
                if resolved not in allowed:
                    raise Unclear
    elif weekdays:
        resolved = resolver.weekday(weekdays[0])
    elif clock is not None:
        resolved = resolver.bare_time()
    else:
        return None
    return Understood(
        when=resolver.at(resolved),
        has_time=clock is not None,
        has_date=bool(dates or weekdays),
        typed=clock,
    )


def _checked(year: int, month: int, day: int) -> date:
    found = valid_date(year, month, day)
    if found is None:
        raise Unclear
    return found


def possible_date(day: int, month: int | None) -> PartialDate:
    """Reject 31/02 at once, rather than after trying eight years."""
    if not 1 <= day <= 31 or (month is not None and valid_date(2000, month, day) is None):
        raise Unclear
    return PartialDate(day, month)


def understand(text: str, now: datetime, prefer: Prefer) -> Understood | None:
    """Read a French date and/or time; ``None`` when it is vague, impossible or contradictory.

    ``prefer`` says which way an incomplete answer leans: a bilan is
    scheduled ahead ("future"), an absence is logged after the fact ("past").
    """
    try:
        return _understand(text, now, prefer)
    except Unclear:
        return None
