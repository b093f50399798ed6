"""Several days of absence in one phrase: « du 1er au 3 décembre », « lundi et mardi ».

A trainee off sick for a week is one thing to say, not five absences to log
one by one.  :func:`read_days` reads, leaning towards the past (an absence
is noted once it happened):

- a span, both ends included: « du 30 novembre au 2 décembre », « du 1er au
  3 », « de lundi à mercredi », « entre lundi et mercredi »; its Saturdays,
  Sundays and public holidays are left out (nobody is trained then) and
  said so;
- « depuis jeudi »: the span from that day to today;
- a list: « lundi et mardi », « le 3, le 4 et le 7 décembre »: exactly those
  days, a weekend day included if named (the confirmation points it out).

A span's ends may have half-days of their own: « de jeudi après-midi à lundi
matin » is Thursday afternoon, Friday, Monday morning (:func:`span_halves`);
a half-day said of every day (« du 16 au 18, le matin ») stays every day's.

One day alone is not "several days": ``None``, and the one-day readers
answer as before (a span whose other days are off, « du 10 au 11
novembre », is one day to note and a day left out, said so).  A span longer than :data:`MOST_DAYS` is refused rather
than written as weeks of rows by a slip of the finger.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot import dates
from bot.absences.line import (
    courtesy_only,
    date_words,
    names_a_day_only,
    read_period,
    soft_fold,
    trailing_words,
)

MOST_DAYS = 31
"""The longest span read, in calendar days: a month."""

_SPAN = re.compile(
    r"^(?:du|de|depuis)\s+(?P<a>.+?)\s+(?:au|a|jusqu'?\s*au|jusqu'?\s*a)\s+(?P<b>.+)$"
)
_SINCE = re.compile(r"(?:^|\s)depuis\s+(?P<a>.+)$")
_BETWEEN = re.compile(r"^entre\s+(?P<a>.+?)\s+et\s+(?P<b>.+)$")
_LIST = re.compile(r"\s*(?:,|\bet\b)\s*")
_WEEKDAY = re.compile(r"^(?:le\s+)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)$")
_THIS_WEEK = re.compile(
    r"^(?:toute\s+(?:la|cette)\s+semaine|cette\s+semaine|depuis\s+(?:le\s+)?debut\s+de\s+"
    r"(?:la|cette)\s+semaine)$"
)
"""Monday to today: what has passed of this week."""
_LAST_WEEK = re.compile(r"^(?:toute\s+)?la\s+semaine\s+derniere$")
"""Monday to Friday of the week before."""
_NEXT_WEEK = re.compile(r"^(?:toute\s+)?(?:la\s+)?(?:semaine|sem)\s+(?:prochaine|proch|pro)$")
"""Monday to Friday of the week after: to come, said so (explorer BG8: « la semaine pro »
was « Je n'ai pas compris la date « la semaine » »)."""
_DAY_ONLY = re.compile(r"^(?:les?\s+)?(?P<day>\d{1,2})(?:er)?$")
_MONTH_AFTER = re.compile(r"^(?:les?\s+)?(?:[a-z]+\s+)?\d{1,2}(?:er)?\s+(?P<month>\D.*)$")


@dataclass(frozen=True)
class Days:
    """The days an absence covers, in order, and the days off a span left out."""

    days: tuple[date, ...]
    skipped: tuple[date, ...] = ()
    span: bool = False
    """Read from « du … au … »: its working days, said as the span."""
    too_long: bool = False
    """A span over :data:`MOST_DAYS`: nothing to note, the person is told why."""
    backwards: bool = False
    """Its end typed before its start (« du 2/12 au 30/11 », read as a year long): ``days``
    are the two ends as typed, in the same year; nothing to note, the person is told why."""

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]


def _one_day(text: str, now: datetime) -> date | None:
    understood = dates.understand(re.sub(r"^les\s", "le ", text.strip()), now, "past")
    if understood is None or not understood.has_date:
        return None
    return understood.when.date()


YEAR_BACK = 180
"""Days before today past which a span typed without its year is the coming one."""


def _span(text: str, now: datetime) -> tuple[date, date] | None:
    """Both ends: dates (« du 1er au 3 décembre », the month of one end lends to the other)
    or weekdays (« de lundi à mercredi »: the last such days, the start before the end)."""
    begun = dates.understand_period(text, now)  # on 2 December, « du 1er au 3 décembre »
    if begun is not None and begun[0] <= now.date():  # is this year's, not last year's
        return begun
    period = dates.understand_period(text, now, "past")
    if (
        period is not None
        and begun is not None
        and (now.date() - period[1]).days > YEAR_BACK
        and (begun[0] - now.date()).days <= dates.NEAR_AHEAD  # « du 1er au 3 juin »: last June
    ):
        # « du 28/12 au 2/01 » said on 4 December: the coming one, refused as to come, not
        # last winter's, a year before the formation (explorer I: it was offered to save).
        return begun
    if period is not None:
        return period
    match = _SPAN.match(text) or _BETWEEN.match(text)
    if match is None:
        # « pas venu depuis jeudi »: from Thursday to today (explorer AW9: Thursday alone).
        since = _SINCE.match(text)
        start = _since_days(since["a"], now.date()) if since else None
        start = start or (_one_day(since["a"], now) if since else None)
        return (start, now.date()) if start is not None and start < now.date() else None
    start, end = _one_day(match["a"], now), _one_day(match["b"], now)
    if start is None or end is None:
        return None
    # « de vendredi à mardi »: the Friday before; « de demain à mardi » (explorer M): the
    # Tuesday after, not the Saturday a week back; two days typed as such stay as typed.
    if start > end and _WEEKDAY.match(match["a"].strip()):
        while start > end:
            start -= timedelta(days=7)
    elif start > end and _WEEKDAY.match(match["b"].strip()):
        while start > end:
            end += timedelta(days=7)
    return start, end


_COUNT = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7}
_COUNT |= {"huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13}
_COUNT |= {"quatorze": 14, "quinze": 15, "vingt": 20}
_DAYS_BACK = re.compile(
    r"^(?P<n>\d{1,2}|[a-z]+)\s+(?:(?P<weeks>semaines?)|jours?)(?P<training>\s+de\s+formation)?$"
)
_WEEKS_SAID_IN_DAYS = {7: 1, 8: 1, 14: 2, 15: 2}
"""« huit jours », « quinze jours »: a week, a fortnight, as French says them (explorer AZ5:
15 days of training went back three weeks)."""


def _since_days(text: str, today: date) -> date | None:
    """« depuis 3 jours »: the first of the last three working days, today among them (on a
    Monday: Thursday, Friday, Monday, as a trainer counts the days of training); « depuis une
    semaine », « depuis 8 jours »: the same weekday a week before (or the working day after)."""
    match = _DAYS_BACK.match(text.strip())
    count = match and (int(match["n"]) if match["n"].isdigit() else _COUNT.get(match["n"], 0))
    if not match or not count or count > MOST_DAYS:
        return None
    # « 7 jours de formation » counts days of training, as said (explorer CB6).
    weeks = (
        count if match["weeks"] else None if match["training"] else _WEEKS_SAID_IN_DAYS.get(count)
    )
    if weeks is not None:
        day = today - timedelta(weeks=weeks)
        while not dates.is_working_day(day):
            day += timedelta(days=1)
        return day
    day = today
    while count > 1 or not dates.is_working_day(day):
        count -= dates.is_working_day(day)
        day -= timedelta(days=1)
    return day


def _listed(text: str, now: datetime) -> list[date] | None:
    found = _listed_in_order(text, now)
    if found is None:
        return None
    days = sorted(set(found))
    if (days[-1] - days[0]).days >= MOST_DAYS:
        return None  # one read in another year
    return days


def _listed_in_order(text: str, now: datetime) -> list[date] | None:
    """The days of a list, in the order typed (a day per part), words after the last one
    left out (:func:`~bot.absences.line.trailing_words`)."""
    parts = [p for p in _LIST.split(trailing_words(text)[0]) if p]
    if len(parts) < 2 or not all(names_a_day_only(part) for part in parts):
        return None
    # « les 30 et 31 octobre »: a day alone takes the month (and year) of the last one.
    month = _MONTH_AFTER.match(parts[-1])
    for n, part in enumerate(parts):
        alone = _DAY_ONLY.match(part)
        if alone is not None:
            parts[n] = f"le {alone['day']}" + (f" {month['month']}" if month else "")
    found = [_one_day(part, now) for part in parts]
    if any(day is None for day in found):
        return None
    # « lundi et mardi » said on a Monday: last week's, the weekdays of a list in one run.
    for n in range(len(parts) - 2, -1, -1):
        later, day = found[n + 1], found[n]
        if day is not None and later is not None and day > later and _WEEKDAY.match(parts[n]):
            found[n] = day - timedelta(days=7 * (1 + (day - later).days // 7))
    return [day for day in found if day is not None]


def list_periods(text: str, now: datetime) -> dict[date, str] | None:
    """Each listed day's own half-day, when the list gives them: « lundi matin et mardi
    après-midi », « hier après-midi et ce matin », « lundi matin, mardi toute la journée »
    (explorer E: every day took the last one typed); a day said without one is whole.
    ``None`` when only the last part has one (« lundi et mardi matin »: every day's, as
    before) or none does."""
    folded = " ".join(soft_fold(text).strip(" .!?;").split())
    periods = [read_period(part)[0] for part in _LIST.split(folded) if part]
    if not any(periods[:-1]) or "retard" in periods:
        return None
    days = _listed_in_order(date_words(text), now)
    if days is None or len(days) != len(periods):
        return None
    return {day: period or "journee" for day, period in zip(days, periods, strict=True)}


_HALF = re.compile(
    r"\b(?:(?P<pm>apres\s*-?\s*midi|aprem)|(?P<am>matin(?:ee)?)"
    r"|(?P<noon>midi|1[23]\s*h(?:eures?)?(?:\s*\d{2})?))(?![\w-])"
)
_ENDS = re.compile(
    r"\b(?:du|de|depuis|entre)\s+(?P<a>.+?)\s+(?:au|a|jusqu'?\s*au|jusqu'?\s*a|et)\s+(?P<b>.+)$"
)
_EVERY_DAY = re.compile(r"(?:\bles?|\bl'|\bchaque|\btous\s+les|\bdans\s+la|,)\s*$")


def _half(text: str) -> tuple[str | None, bool]:
    """The half-day ``text`` names (``matin`` | ``apres_midi``, or ``midi`` for noon: « midi »,
    « 12h », a morning's end and an afternoon's start), and whether it is said of
    every day (« le matin », « chaque après-midi ») rather than of the day before it."""
    match = _HALF.search(text)
    if match is None:
        return None, False
    return ("apres_midi" if match["pm"] else "midi" if match["noon"] else "matin"), bool(
        _EVERY_DAY.search(text[: match.start()])
    )


def span_halves(text: str) -> tuple[str, str] | None:
    """The periods of a span's two ends, when they are half-days: « de jeudi après-midi à
    lundi matin » → (``apres_midi``, ``matin``), « de jeudi à lundi matin » → (``journee``,
    ``matin``). A half-day said at an end that leaves it whole (« du lundi matin au mercredi
    après-midi », « depuis jeudi matin jusqu'à lundi »): ``(journee, journee)``, every day
    whole, never that half-day of every day (explorer AA3: the mornings only were saved).
    « jusqu'à vendredi après-midi » is up to Friday's afternoon included: all Friday. ``None``
    when no end has a half-day (« du 16 au 18 novembre »), or when the half-day is said of
    every day (« du 16 au 18 novembre le matin »)."""
    folded = " ".join(soft_fold(text).split())
    match = _ENDS.search(folded)
    since = _SINCE.search(folded) if match is None else None
    if since is not None:
        # « depuis mercredi matin »: the half-day is the start's, every day after it whole
        # (then ``(journee, journee)``: not every day's morning).
        first, _ = _half(since["a"])
        return (
            None
            if first is None
            else ("apres_midi" if first in ("apres_midi", "midi") else "journee", "journee")
        )
    if match is None:
        return None
    first, _ = _half(match["a"])
    last, every = _half(match["b"])
    if every or (first is None and last is None):
        return None
    # Away from Thursday afternoon is Thursday's afternoon, from Monday morning all Monday;
    # back after Monday morning is Monday's morning, after its afternoon all Monday.  Noon
    # (« midi », « 12h ») ends a morning and starts an afternoon (explorer ZA4: « jusqu'à
    # vendredi midi » was all Friday).
    ends = (
        ("apres_midi" if first in ("apres_midi", "midi") else "journee"),
        ("matin" if last in ("matin", "midi") else "journee"),
    )
    return ends


def day_periods(
    days: Sequence[date], period: str, own: Mapping[str, str] | None = None
) -> list[tuple[date, str]]:
    """Each day with its period: its own when it has one (``own``, by ISO day: a span's ends,
    a listed day's half-day), else ``period``."""
    return [(day, (own or {}).get(day.isoformat(), period)) for day in days]


def read_days(text: str, now: datetime) -> Days | None:
    """The several days ``text`` names (its half-day words already taken out); ``None`` for
    one day or for text that names no days, but for « toute la semaine » said on a Monday:
    that Monday, said as the week typed (explorer EA9: « Je n'ai pas compris la date »)."""
    folded = " ".join(soft_fold(text).strip(" .!?;").split())
    if not folded or len(folded) > 200:
        return None
    folded = trailing_words(folded)[0]  # « du lundi au mercredi malade »: the days (EA6)
    week = _THIS_WEEK.match(folded) or _LAST_WEEK.match(folded) or _NEXT_WEEK.match(folded)
    if week is not None:  # « toute la semaine », « cette semaine » (explorer DA15)
        today = now.date()
        monday = today - timedelta(days=today.weekday())
        if week.re is _LAST_WEEK:
            return _every_day(monday - timedelta(days=7), monday - timedelta(days=3))
        if week.re is _NEXT_WEEK:
            return _every_day(monday + timedelta(days=7), monday + timedelta(days=11))
        if today == monday:  # Monday's « toute la semaine »: today, not « pas compris » (EA9)
            return Days(days=(today,), span=True) if dates.is_working_day(today) else None
        # On a weekend, Monday to Friday: the weekend, not typed, is not « laissé de côté »
        return _every_day(monday, min(today, monday + timedelta(days=4)))
    span = _span(folded, now)
    if span is not None:
        start, end = span
        if start == end:
            return None
        # « du 5 au 3 décembre »: not from 5 November (explorer M); « du 30 au 2 décembre »,
        # a few days over the month's turn, is how it is said.
        typed = _bare_day_after_end(folded, end, now) if (end - start).days > 14 else None
        if typed is not None:
            return Days(days=typed, span=True, too_long=True, backwards=True)
        if (end - start).days >= MOST_DAYS:
            typed_end = _same_year(end, start.year)
            if typed_end is not None and 0 < (start - typed_end).days < MOST_DAYS:
                return Days(days=(start, typed_end), span=True, too_long=True, backwards=True)
            return Days(days=(start, end), span=True, too_long=True)
        return _every_day(start, end)
    listed = _listed(folded, now)
    if listed is None or len(listed) < 2:
        return None
    return Days(days=tuple(listed))


def _every_day(start: date, end: date) -> Days:
    """The working days from ``start`` to ``end``, the days off between them set apart."""
    every = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    kept = tuple(day for day in every if dates.is_working_day(day))
    skipped = tuple(day for day in every if not dates.is_working_day(day))
    if not kept:  # « du samedi au dimanche »: the days as named, pointed out in the recap
        return Days(days=tuple(every), span=True)
    return Days(days=kept, skipped=skipped, span=True)


def read_days_and_words(text: str, now: datetime, *, late: bool = False) -> tuple[Days | None, str]:
    """:func:`read_days` of ``text``, or of its part before a comma when only that part names
    days, with the words after it: « hier et aujourd'hui, pas de nouvelles, je l'appelle
    demain » (explorer AW2: « Je n'ai pas compris la date »), the words kept as its motive.
    ``late``: a retard « depuis mardi » is one day's, no span (explorer AY4)."""
    if late and _SINCE.search(text):
        return None, ""
    head, comma, tail = text.partition(",")
    first = read_days(head, now) if comma else None
    if first is not None:  # « depuis jeudi, convocation … », « …, le 25 il revient » (AY3, AY5)
        return first, "" if courtesy_only(tail) else tail.strip(" ,.")  # « …, svp »: EA13
    since = _SINCE.search(tail) if comma else None
    if since is not None:
        # « absent aujourd'hui, malade depuis jeudi »: Thursday to today, « malade » its motive
        # (explorer AY6: Thursday and Monday, Friday left out); « hier, malade depuis jeudi »
        # up to yesterday (AZ4), « …, revient mercredi » after a second comma is motive (AZ1).
        start, _, after = since["a"].partition(",")
        spanned, last = read_days(f"depuis {start}", now), _one_day(head, now)
        begin = _one_day(start.strip(), now) if _WEEKDAY.match(start.strip()) else None
        if begin is not None and last is not None and begin > last:
            # « vendredi, malade depuis mardi »: that week's Tuesday, not this one (DA9).
            spanned = _every_day(begin - timedelta(days=7 * (1 + (begin - last).days // 7)), last)
        if spanned is not None and last is not None and min(spanned.days + spanned.skipped) < last:
            # No day of training in it (« hier, malade depuis samedi » on a Monday): the day
            # said, a day off pointed out as such (explorer CB6).
            days = tuple(day for day in spanned.days if day <= last) or (last,)
            skipped = tuple(day for day in spanned.skipped if day <= last and day not in days)
            words = (tail[: since.start()], after)
            if days:  # one day of training in it (« aujourd'hui, malade depuis samedi »): CA5
                return replace(spanned, days=days, skipped=skipped), ", ".join(
                    w.strip(" ,.") for w in words if w.strip(" ,.")
                )
    found = read_days(text, now)
    if found is None:
        return None, ""
    # « lundi et mardi malade », « du lundi au mercredi grippe »: the words after the last
    # day, its motive (explorer EA1, EA6: dropped unsaid).
    return found, trailing_words(" ".join(soft_fold(text).strip(" .!?;").split()))[1]


def _bare_day_after_end(text: str, end: date, now: datetime) -> tuple[date, date] | None:
    """The start typed as a bare day after the end's (« du 5 au 3 décembre »), in the end's
    month: a span typed end first, which the month lent to the start hid.  With no month at
    all (« du 3 au 2 », explorer N), the end is the last such day, not next month's."""
    match = _SPAN.match(text)
    bare = _DAY_ONLY.match(match["a"]) if match else None
    if match is None or bare is None:
        return None
    typed_end = _DAY_ONLY.match(match["b"])
    if typed_end is not None:
        end = _one_day(f"le {typed_end['day']}", now) or end
    if int(bare["day"]) <= end.day:
        return None
    try:
        return end.replace(day=int(bare["day"])), end
    except ValueError:
        return None


def _same_year(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None


_END_WORDS = {"matin": " matin", "apres_midi": " après-midi", "journee": ""}


def spell_days(days: Sequence[date], *, span: bool, own: Mapping[str, str] | None = None) -> str:
    """The days as a sentence says them: « du lundi 30 novembre au mercredi 2 décembre 2026
    (3 jours) » for a span, « le lundi 30 novembre et le mardi 1er décembre 2026 (2 jours) »
    for a list; a day's own half-day (``own``) after it, « du jeudi 26 novembre après-midi
    au lundi 30 novembre 2026 matin (3 jours) »; one day alone, spelled in full."""
    if len(days) == 1:
        return dates.spell_date(days[0])
    half = {d: _END_WORDS[p] for d, p in (own or {}).items()}
    count = f"({len(days)} jours)"
    last = f"{dates.spell_date(days[-1])}{half.get(days[-1].isoformat(), '')}"
    if span:
        first = dates.spell_date_before(days[0], days[-1]) + half.get(days[0].isoformat(), "")
        return f"du {first} au {last} {count}"
    named = [
        f"le {dates.spell_date_before(day, days[-1])}{half.get(day.isoformat(), '')}"
        for day in days[:-1]
    ]
    return f"{', '.join(named)} et le {last} {count}"
