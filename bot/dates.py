"""French dates as trainers type them, and as the bot spells them back.

dateparser alone misreads most of what a trainer types in a chat ("14h" as a
duration, "mardi 10h" as the 10th, "jeudi prochain" not at all), and with a
time zone set it shifts or drops bare times. So this module folds the text
itself (case, accents, typos), pulls out the time of day and the date parts
with its own patterns, and hands dateparser only the relative phrases that
remain ("dans trois jours", "il y a 2 semaines"), with a naive wall-clock
base and no time zone; the zone is attached here, DST included.

Anything ambiguous returns ``None`` rather than a guess: the conversation then
re-asks, and always shows back what it understood.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

__all__ = [
    "Understood",
    "spell_date",
    "spell_datetime",
    "spell_time",
    "understand",
    "understand_duration",
    "understand_period",
]

Prefer = Literal["future", "past"]

MAX_LENGTH = 200
"""Longer answers are not a date someone typed; refusing early keeps parsing cheap."""

_WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# Spellings met in chats, folded (lower case, no accents), with their index.
_WEEKDAY_WORDS: dict[str, int] = {
    "lundi": 0,
    "lindi": 0,
    "mardi": 1,
    "mercredi": 2,
    "mecredi": 2,
    "mercedi": 2,
    "mercrdi": 2,
    "jeudi": 3,
    "jedi": 3,
    "vendredi": 4,
    "vendedi": 4,
    "vendrdi": 4,
    "samedi": 5,
    "samdi": 5,
    "dimanche": 6,
    "dimache": 6,
    "dimance": 6,
}
_MONTH_WORDS: dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevier": 2,
    "fevrie": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juilet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "septembr": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "octobr": 10,
    "oct": 10,
    "novembre": 11,
    "novembr": 11,
    "nov": 11,
    "decembre": 12,
    "decembr": 12,
    "dec": 12,
}
_UNITS = [
    "zero",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_NUMBER_WORDS: dict[str, int] = {word: n for n, word in enumerate(_UNITS)}
_NUMBER_WORDS.update({"une": 1, "premier": 1, "vingt": 20, "trente": 30})
for _n in range(1, 10):
    _joiner = " et " if _n == 1 else "-"
    _NUMBER_WORDS[f"vingt{_joiner}{_UNITS[_n]}"] = 20 + _n
_NUMBER_WORDS["trente et un"] = 31
_NUMBER_WORDS["quarante"] = 40
_NUMBER_WORDS["quarante-cinq"] = 45
_NUMBER_WORDS["cinquante"] = 50
del _n, _joiner


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so that "janvier" wins over "jan"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_WD = _alternation(_WEEKDAY_WORDS)
_MO = _alternation(_MONTH_WORDS)
_NUMW = _alternation(_NUMBER_WORDS)

# Places where a number is glued to another one (dates, times): never split them.
_NB = r"(?<![\d/.:\-])"
_NA = r"(?![\d/.:\-])"

# Phrases rewritten to one token each before anything is extracted.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (
            r"\baujourd\s*hui\b|\baujourdhui\b|\baujourdui\b|\baujourd\b|\bauj\b|\bajd\b",
            "aujourdhui",
        ),
        (r"\bapres[\s-]*midi\b|\baprem\b|\bapm\b|\bap[\s-]+midi\b", "apresmidi"),
        (r"\bapres[\s-]*demain\b", "apresdemain"),
        (r"\bavant[\s-]*hier\b", "avanthier"),
        (r"\bdemin\b|\bdemaim\b|\bdemai\b", "demain"),
        (rf"\b({_WD})\s+(?:de\s+la\s+|la\s+)?semaine\s+proch\w*", r"\1 semprochaine"),
        (rf"\b({_WD})\s+(?:passee?s?)\b", r"\1 dernier"),
        (rf"\b({_WD})\s+qui\s+vient\b", r"\1 prochain"),
        (r"\bproch(?:ain|aine|ains|aines|in|ainne|ian|ai)?\b", "prochain"),
        (r"\bderni(?:er|ere|ers|eres|r|e)\b", "dernier"),
        (r"\ben\s+(?:huit|8)\b", "enhuit"),
        (r"\ben\s+(?:quinze|15)\b", "enquinze"),
        (r"\bce\s+midi\b", "aujourdhui midi"),
        (r"\bce\s+matin\b", "aujourdhui matin"),
        (r"\bcet(?:te)?\s+apresmidi\b", "aujourdhui apresmidi"),
        (r"\bce\s+soir\b", "aujourdhui soir"),
        (r"\b1\s*er\b", "1"),
        (r"\ble\s+premier\s*$", "le 1"),
        (r"\b(heures?|hrs?|h)\s+pile\b", r"\1"),
    )
)
_NUMBER_BEFORE_MONTH = re.compile(rf"\b({_NUMW})\s+(?=(?:{_MO})\b)")

# Answers that name no day, or a span of days; reading one day out of them
# would be exactly the silent guess we refuse.
_VAGUE = re.compile(
    r"\bdes\s+que\s+possible\b|\bau\s+plus\s+(?:vite|tot)\b|\basap\b|\bbientot\b"
    r"|\bun\s+jour\b|\bun\s+de\s+ces\s+jours\b|\b(?:fin|debut|milieu)\s+(?:de|d|du)\b"
    r"|\b(?:fin|debut)\s+(?:" + _MO + r")\b|\bmi\s*-?\s*(?:" + _MO + r"|semaine|journee)\b"
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
    r"(?:\s*(\d{2})" + _NA + rf"(?!\s*(?:{_MO})\b)(?:\s*(?:minutes?|min|mn))?"
    r"|\s+(et\s+demie?|et\s+quart|moins\s+(?:le\s+)?quart))?"
    r"(?![a-z0-9])"
)
_TIME_COLON = re.compile(_NB + r"(\d{1,2}):(\d{2})(?![\d:])")
_PART = re.compile(r"\b(matin(?:ee)?|apresmidi|soir(?:ee)?)\b")
_PART_DEFAULT = {"matin": time(9), "apresmidi": time(14), "soir": time(18)}

_ISO = re.compile(_NB + r"(\d{4})-(\d{1,2})-(\d{1,2})" + _NA)
_NUMERIC = re.compile(_NB + r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?" + _NA)
_TEXTUAL = re.compile(_NB + rf"(\d{{1,2}})\s*({_MO})\b\.?(?:\s*(\d{{4}})(?![\d/.:\-h]))?")
_WEEKDAY = re.compile(
    rf"(?:\b(prochain|dernier)\s+)?\b({_WD})\b"
    r"(?:\s+(?:le\s+)?(\d{1,2})" + _NA + r"(?![h\d]))?"
    r"(?:\s+(prochain|dernier|enhuit|enquinze|semprochaine)\b)?"
)
_RELATIVE = re.compile(
    r"\b(aujourdhui|demain|apresdemain|hier|avanthier)\b(?:\s+(enhuit|enquinze))?"
)
_RELATIVE_DAYS = {"aujourdhui": 0, "demain": 1, "apresdemain": 2, "hier": -1, "avanthier": -2}
_DAY_ONLY = re.compile(r"\ble\s+(\d{1,2})" + _NA + r"(?![h\d])")
_OFFSET = re.compile(
    rf"\b(dans|il\s+y\s+a)\s+(\d{{1,3}}|{_NUMW})\s+(jours?|semaines?|mois|ans?|annees?)\b"
)

# Words that, left over once a date is read, mean the text said more than we
# understood ("lundi ou mardi", "jeudi matin ou soir").
_DATE_WORDS = frozenset(
    [
        *_WEEKDAY_WORDS,
        "janvier",
        "fevrier",
        "mars",
        "avril",
        "juin",
        "juillet",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "decembre",
        "prochain",
        "dernier",
        "semprochaine",
        "enhuit",
        "enquinze",
        "semaine",
        "semaines",
        "mois",
        "jour",
        "jours",
        "heure",
        "heures",
        "minute",
        "minutes",
        "matin",
        "matinee",
        "soir",
        "soiree",
        "apresmidi",
        "midi",
        "minuit",
        "nuit",
        "aujourdhui",
        "demain",
        "apresdemain",
        "hier",
        "avanthier",
        "weekend",
        "week",
    ]
)


@dataclass(frozen=True)
class Understood:
    """A date read from a message; ``has_time`` tells whether to ask for the hour."""

    when: datetime
    has_time: bool


def _fold(text: str) -> str:
    """One spelling for the many a phone keyboard produces: accents, case, quotes, markup."""
    text = html.unescape(text)
    text = re.sub(r"<[^<>]{0,100}>", " ", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("–", "-").replace("—", "-")
    text = re.sub(r"(\d),(\d)", r"\1.\2", text)
    text = re.sub(r"[^a-z0-9/:.\- ]+", " ", text)
    # Separators only mean something between two digits; elsewhere they are
    # punctuation ("déc.", "rdv: jeudi", "jeudi -").
    text = re.sub(r"(?<!\d)[/:.]|[/:.](?!\d)", " ", text)
    text = re.sub(r"(?<![\da-z])-|-(?![\da-z])", " ", text)
    return " ".join(text.split())


def _rewrite(text: str) -> str:
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return _NUMBER_BEFORE_MONTH.sub(lambda m: f"{_NUMBER_WORDS[m.group(1)]} ", text)


def _take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """Matches, and the text with them blanked so nothing is read twice."""
    found = list(pattern.finditer(text))
    for match in reversed(found):
        text = text[: match.start()] + " " + text[match.end() :]
    return found, text


class _Unclear(Exception):
    """The text names something impossible or contradictory."""


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clock(hour: int, minute: int, extra: str | None) -> time:
    if extra:
        if extra.startswith("et demi") or extra in ("trente", "30"):
            minute = 30
        elif extra.startswith("et quart"):
            minute = 15
        else:  # moins le quart
            hour, minute = (hour - 1) % 24, 45
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _Unclear
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
        raise _Unclear
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
            raise _Unclear
        return clock
    if 1 <= hour <= 11:
        hour += 12
    if hour < 12:
        raise _Unclear
    return clock.replace(hour=hour)


@dataclass(frozen=True)
class _Weekday:
    index: int
    modifier: str | None


@dataclass(frozen=True)
class _Partial:
    """A date missing its month and/or year: "le 7", "3/12", "3 déc"."""

    day: int
    month: int | None


class _Resolver:
    """Turns the parts found into one date, leaning towards ``prefer``."""

    def __init__(self, now: datetime, prefer: Prefer, clock: time | None) -> None:
        self.now = now
        self.today = now.date()
        self.prefer = prefer
        self.clock = clock

    def flipped(self) -> _Resolver:
        other: Prefer = "past" if self.prefer == "future" else "future"
        return _Resolver(self.now, other, self.clock)

    def at(self, day: date) -> datetime:
        return _localise(day, self.clock or time(0), self.now.tzinfo)

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

    def partial(self, spec: _Partial) -> date:
        step = 1 if self.prefer == "future" else -1
        rejected = self.is_past if self.prefer == "future" else self.is_future
        if spec.month is None:
            for k in range(4):
                month0 = self.today.month - 1 + k * step
                candidate = _valid_date(self.today.year + month0 // 12, month0 % 12 + 1, spec.day)
                if candidate is not None and not rejected(candidate):
                    return candidate
            raise _Unclear
        for k in range(9):  # 29 February waits for a leap year
            candidate = _valid_date(self.today.year + k * step, spec.month, spec.day)
            if candidate is not None and not rejected(candidate):
                return candidate
        raise _Unclear

    def bare_time(self) -> date:
        assert self.clock is not None
        if self.prefer == "future" and self.at(self.today) < self.now:
            return self.today + timedelta(days=1)
        if self.prefer == "past" and self.at(self.today) > self.now:
            return self.today - timedelta(days=1)
        return self.today


def _localise(day: date, clock: time, zone: tzinfo | None) -> datetime:
    """Wall-clock time to an aware datetime that exists.

    Going through UTC moves a time in the spring-forward gap (02:30) to the
    hour it means (03:30), and keeps the first of two autumn 02:30s.
    """
    naive = datetime.combine(day, clock)
    if zone is None:
        return naive
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    year = int(raw)
    if len(raw) == 2:
        year += 2000
    if not 1900 <= year <= 2200:
        raise _Unclear
    return year


def _offset(match: re.Match[str], now: datetime) -> date:
    """Relative phrases are what dateparser reads well, given a naive wall-clock base."""
    import dateparser  # deferred: loading its language data costs ~0.2 s, rarely needed

    raw = match.group(2)
    count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    direction = "dans" if match.group(1) == "dans" else "il y a"
    unit = match.group(3)
    phrase = f"{direction} {count} {unit}"
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
    if not isinstance(parsed, datetime):
        raise _Unclear
    return parsed.date()


def _understand(text: str, now: datetime, prefer: Prefer) -> Understood | None:
    if len(text) > MAX_LENGTH:
        return None
    text = _rewrite(_fold(text))
    if not text or _VAGUE.search(text):
        return None

    clock, text = _extract_time(text)
    parts, text = _take(_PART, text)
    if len(parts) > 1:
        raise _Unclear
    part = parts[0].group(1).removesuffix("ee") if parts else None
    clock = _with_part(clock, part)
    resolver = _Resolver(now, prefer, clock)

    dates: list[date | _Partial] = []
    weekdays: list[_Weekday] = []

    found, text = _take(_ISO, text)
    for m in found:
        year = _year(m.group(1))
        assert year is not None
        dates.append(_checked(year, int(m.group(2)), int(m.group(3))))
    found, text = _take(_NUMERIC, text)
    for m in found:
        year = _year(m.group(3))
        day, month = int(m.group(1)), int(m.group(2))
        dates.append(_possible(day, month) if year is None else _checked(year, month, day))
    found, text = _take(_TEXTUAL, text)
    for m in found:
        year = _year(m.group(3))
        day, month = int(m.group(1)), _MONTH_WORDS[m.group(2)]
        dates.append(_possible(day, month) if year is None else _checked(year, month, day))
    found, text = _take(_WEEKDAY, text)
    for m in found:
        if m.group(1) and m.group(4):
            raise _Unclear
        weekdays.append(_Weekday(_WEEKDAY_WORDS[m.group(2)], m.group(1) or m.group(4)))
        if m.group(3):
            dates.append(_possible(int(m.group(3)), None))
    found, text = _take(_RELATIVE, text)
    for m in found:
        shift = _RELATIVE_DAYS[m.group(1)] + {None: 0, "enhuit": 7, "enquinze": 14}[m.group(2)]
        dates.append(now.date() + timedelta(days=shift))
    found, text = _take(_DAY_ONLY, text)
    for m in found:
        dates.append(_possible(int(m.group(1)), None))
    if not dates and not weekdays:
        found, text = _take(_OFFSET, text)
        for m in found:
            dates.append(_offset(m, now))

    leftover = text.split()
    if any(c.isdigit() for c in text) or any(w in _DATE_WORDS for w in leftover):
        raise _Unclear
    if len(dates) > 1 or len(weekdays) > 1:
        raise _Unclear

    resolved: date
    if dates:
        spec = dates[0]
        resolved = resolver.partial(spec) if isinstance(spec, _Partial) else spec
        if weekdays:
            named = weekdays[0]
            if isinstance(spec, _Partial) and resolved.weekday() != named.index:
                # The weekday tells which month was meant, even when it lies on
                # the unexpected side of today ("mercredi 2 décembre" for an
                # absence): the caller then re-asks precisely. A year away is
                # a typo in the day, not a meaning.
                flipped = resolver.flipped().partial(spec)
                if abs((flipped - resolver.today).days) <= 31:
                    resolved = flipped
            if resolved.weekday() != named.index:
                raise _Unclear
            if named.modifier is not None:
                expected = resolver.weekday(named)
                # "mardi prochain" is this coming Tuesday to some, next week's
                # to others; a date given alongside settles which.
                allowed = {expected, expected + timedelta(days=7)}
                if named.modifier != "prochain":
                    allowed = {expected}
                if resolved not in allowed:
                    raise _Unclear
    elif weekdays:
        resolved = resolver.weekday(weekdays[0])
    elif clock is not None:
        resolved = resolver.bare_time()
    else:
        return None
    return Understood(when=resolver.at(resolved), has_time=clock is not None)


def _checked(year: int, month: int, day: int) -> date:
    found = _valid_date(year, month, day)
    if found is None:
        raise _Unclear
    return found


def _possible(day: int, month: int | None) -> _Partial:
    """Reject 31/02 at once, rather than after trying eight years."""
    if not 1 <= day <= 31 or (month is not None and _valid_date(2000, month, day) is None):
        raise _Unclear
    return _Partial(day, month)


def understand(text: str, now: datetime, prefer: Prefer) -> Understood | None:
    """Read a French date and/or time; ``None`` when it is vague, impossible or contradictory.

    ``prefer`` says which way an incomplete answer leans: a bilan is
    scheduled ahead ("future"), an absence is logged after the fact ("past").
    """
    try:
        return _understand(text, now, prefer)
    except _Unclear:
        return None


# --- periods ---------------------------------------------------------------

_PERIOD_SEPARATOR = re.compile(r"\s(?:au|a|jusqu\s+au|jusqu\s+a)\s|\s*->\s*|\s*-\s*")
_PERIOD_SIDE = re.compile(
    rf"^(?:du\s+|de\s+)?(?:le\s+)?(?:(?P<wd>{_WD})\s+)?(?:le\s+)?(?:"
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<nd>\d{1,2})[/.\-](?P<nm>\d{1,2})(?:[/.\-](?P<ny>\d{4}|\d{2}))?"
    rf"|(?P<td>\d{{1,2}})(?:\s*(?P<tm>{_MO})(?:\s+(?P<ty>\d{{4}}))?)?"
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
    weekday = _WEEKDAY_WORDS[m.group("wd")] if m.group("wd") else None
    if m.group("iy"):
        return _Side(int(m.group("id")), int(m.group("im")), _year(m.group("iy")), weekday)
    if m.group("nd"):
        return _Side(int(m.group("nd")), int(m.group("nm")), _year(m.group("ny")), weekday)
    month = _MONTH_WORDS[m.group("tm")] if m.group("tm") else None
    return _Side(int(m.group("td")), month, _year(m.group("ty")), weekday)


def _month_after(year: int, month: int, by: int, day: int) -> date | None:
    index = year * 12 + month - 1 + by
    return _valid_date(index // 12, index % 12 + 1, day)


def _end_after(start: date, last: _Side) -> date | None:
    """The end of "du 28 mars au 3": the first such day on or after the start."""
    if last.year is not None and last.month is not None:
        return _valid_date(last.year, last.month, last.day)
    if last.month is not None:
        end = _valid_date(start.year, last.month, last.day)
        if end is None or end < start:
            end = _valid_date(start.year + 1, last.month, last.day)
        return end
    end = _valid_date(start.year, start.month, last.day)
    if end is None or end < start:
        end = _month_after(start.year, start.month, 1, last.day)
    return end


def _start_before(end: date, first: _Side) -> date | None:
    """The start of "du 2 au 15 mars": the last such day on or before the end."""
    if first.month is not None:
        start = _valid_date(end.year, first.month, first.day)
        if start is None or start > end:
            start = _valid_date(end.year - 1, first.month, first.day)
        return start
    start = _valid_date(end.year, end.month, first.day)
    if start is None or start > end:
        start = _month_after(end.year, end.month, -1, first.day)
    return start


def _resolve_period(first: _Side, last: _Side, now: datetime) -> tuple[date, date] | None:
    ahead = _Resolver(now, "future", None)
    start: date | None
    end: date | None
    if first.year is not None and first.month is not None:
        start = _valid_date(first.year, first.month, first.day)
        end = None if start is None else _end_after(start, last)
    elif first.month is not None and last.month is None:
        start = ahead.partial(_possible(first.day, first.month))
        end = _end_after(start, last)
    else:
        if last.year is not None and last.month is not None:
            end = _valid_date(last.year, last.month, last.day)
        else:
            end = ahead.partial(_possible(last.day, last.month))
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
    text = _rewrite(_fold(text))
    text = re.sub(r"^entre\s+(.+?)\s+et\s+", r"\1 au ", text)
    for separator in _PERIOD_SEPARATOR.finditer(text):
        try:
            first = _period_side(text[: separator.start()])
            last = _period_side(text[separator.end() :])
            if first is not None and last is not None:
                return _resolve_period(first, last, now)
        except _Unclear:
            continue
    return None


# --- durations -------------------------------------------------------------

_DURATION_FILLER = re.compile(
    r"^(?:(?:environ|pendant|duree|dure|en|a\s+peu\s+pres|approx|approximativement|ca\s+dure|de)\s+)*"
)
_NUM = rf"(?:\d{{1,4}}(?:\.\d{{1,2}})?|{_NUMW})"
_DURATION_HOURS = re.compile(
    rf"^(?P<h>{_NUM})\s*(?:heures?|hrs?|h)"
    rf"(?:\s*(?:et\s+)?(?P<m>\d{{1,2}}|{_NUMW})\s*(?:minutes?|mins?|mn|m)?"
    r"|\s+(?P<extra>et\s+demie?|et\s+quart|moins\s+(?:le\s+)?quart))?$"
)
_DURATION_MINUTES = re.compile(rf"^(?P<m>\d{{1,5}}|{_NUMW})\s*(?:minutes?|mins?|mn|m)$")
_DURATION_WORDS = {
    "demi-heure": 30,
    "une demi-heure": 30,
    "demi heure": 30,
    "une demi heure": 30,
    "quart d heure": 15,
    "un quart d heure": 15,
    "trois quarts d heure": 45,
    "trois quart d heure": 45,
}


def _count(raw: str) -> float:
    return float(raw) if raw[0].isdigit() else float(_NUMBER_WORDS[raw])


def understand_duration(text: str) -> timedelta | None:
    """Read how long something lasts; days are refused, their length in hours is not ours to guess."""
    if len(text) > MAX_LENGTH:
        return None
    folded = _fold(text)
    folded = re.sub(r"\s+environ$", "", _DURATION_FILLER.sub("", folded))
    minutes: float
    if folded in _DURATION_WORDS:
        minutes = _DURATION_WORDS[folded]
    elif m := _DURATION_HOURS.match(folded):
        minutes = _count(m.group("h")) * 60
        if m.group("m"):
            part = _count(m.group("m"))
            if part >= 60 or "." in m.group("h"):
                return None
            minutes += part
        elif extra := m.group("extra"):
            if extra.startswith("et demi"):
                minutes += 30
            elif extra.startswith("et quart"):
                minutes += 15
            else:  # moins le quart
                minutes -= 15
    elif m := _DURATION_MINUTES.match(folded):
        minutes = _count(m.group("m"))
    else:
        return None
    if minutes <= 0 or minutes > 10_000 * 60:
        return None
    return timedelta(minutes=round(minutes))


# --- spelling --------------------------------------------------------------


def spell_date(d: date | datetime) -> str:
    """Written out in French whatever the process locale, which servers rarely set to fr_FR."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{_WEEKDAY_NAMES[d.weekday()]} {day} {_MONTH_NAMES[d.month - 1]} {d.year}"


def spell_time(t: time | datetime) -> str:
    """French typography puts spaces around the "h" and always two digits of minutes."""
    return f"{t.hour} h {t.minute:02d}"


def spell_datetime(dt: datetime) -> str:
    """In the datetime's own zone: converting to the organisation's is the caller's choice."""
    return f"{spell_date(dt)} à {spell_time(dt)}"
