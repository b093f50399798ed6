"""Working days, Monday to Friday but the French public holidays: where a deadline falling on a
day off is best done, and the last day to be reminded of one before it.

Training days are working days (:func:`bot.dates.weekend_day`, :func:`day_off`).
The funders' texts shift nothing to a working day (48 h before is 48 h
before), so a deadline on a Saturday, a Sunday or a public holiday keeps its
date and is *pointed* to the working day before.  The holidays are the eleven
of the Code du travail (article L3133-1) kept everywhere in France; Alsace and
Moselle's two more (Good Friday, 26 December) are not known: there they are
working days here, and the bot's hints only come a day late, never wrong.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from bot.dates.spelling import spell_date, weekend_day


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the "anonymous" computus, Meeus's form):
    the first Sunday after the ecclesiastical full moon on or after 21 March."""
    golden = year % 19
    century, of_century = divmod(year, 100)
    leap_skips, leap_rest = divmod(century, 4)
    moon_fix = (century + 8) // 25
    moon_lag = (century - moon_fix + 1) // 3
    epact = (19 * golden + century - leap_skips - moon_lag + 15) % 30
    quarter, rest = divmod(of_century, 4)
    weekday_fix = (32 + 2 * leap_rest + 2 * quarter - epact - rest) % 7
    correction = (golden + 11 * epact + 22 * weekday_fix) // 451
    month, day = divmod(epact + weekday_fix - 7 * correction + 114, 31)
    return date(year, month, day + 1)


@cache
def public_holidays(year: int) -> dict[date, str]:
    """The year's public holidays, each with the name people use for it."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): "jour de l'An",
        easter + timedelta(days=1): "lundi de Pâques",
        date(year, 5, 1): "fête du Travail",
        date(year, 5, 8): "Victoire de 1945",
        easter + timedelta(days=39): "Ascension",
        easter + timedelta(days=50): "lundi de Pentecôte",
        date(year, 7, 14): "fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice",
        date(year, 12, 25): "Noël",
    }


def public_holiday(day: date) -> str | None:
    """The holiday's name (« lundi de Pâques ») when ``day`` is one, else ``None``."""
    return public_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and public_holiday(day) is None


def day_off(day: date) -> str | None:
    """What ``day`` is when nobody trains, as the end of « Le 25 décembre est … » or « C'est … »:
    « un samedi », « un dimanche », « férié (Noël) »; ``None`` on a working day.  A holiday
    on a weekend is said as the weekend day: that is what people know it as."""
    weekend = weekend_day(day)
    if weekend:
        return f"un {weekend}"
    holiday = public_holiday(day)
    return f"férié ({holiday})" if holiday else None


EARLIEST_HOUR, LATEST_HOUR = 7, 21
"""A meeting (bilan, entretien) outside these hours, local time, is pointed out: more often
a slip (« 4h46 », « 3h ») than a plan."""


def odd_hour(moment: datetime) -> bool:
    """Whether ``moment`` (local time) is outside the usual hours of a meeting."""
    return not EARLIEST_HOUR <= moment.hour < LATEST_HOUR


def previous_working_day(day: date) -> date:
    """The working day before ``day``: a Saturday's, a Sunday's or a Monday's is the Friday,
    unless that Friday is a holiday too (then the Thursday)."""
    before = day - timedelta(days=1)
    while not is_working_day(before):
        before -= timedelta(days=1)
    return before


def next_working_day(day: date) -> date:
    """The working day after ``day`` (a Saturday's is the Monday, or the Tuesday after a
    holiday Monday)."""
    after = day + timedelta(days=1)
    while not is_working_day(after):
        after += timedelta(days=1)
    return after


def day_to_act(day: date, known: date | None = None) -> date | None:
    """The working day before a deadline of ``day`` that falls on a day off, whatever
    today is (a document, an export: read later); ``None`` on a working day, and for a
    deadline ``known`` only in the days off before it, when no working day was left to do it
    (explorer DG10: a Friday advised for a deadline created on the Sunday it is due). One
    known after its day was late from the start: the texts' working day stays its advice."""
    if is_working_day(day):
        return None
    before = previous_working_day(day)
    return None if known is not None and before < known <= day else before


def working_day_before(day: date, today: date) -> date | None:
    """The working day to do a deadline of ``day`` by when it falls on a day off, while that
    day is still to come (``today`` or later): on the day off itself it is past, and
    pointing to it would call late what the texts still allow."""
    if is_working_day(day):
        return None
    before = previous_working_day(day)
    return before if before >= today else None


def weekend_words(day: date, today: date) -> tuple[str, str]:
    """(« un dimanche », « vendredi 4 décembre 2026 ») for a deadline on a day off, the words
    of « (un dimanche : à faire plutôt le vendredi 4 décembre 2026) »; for a holiday
    (« jour férié, lundi de Pâques », « vendredi 26 mars 2027 »)
    (``templates/chat/_weekend_hint.j2``); ("", "") on a working day, or once the day
    before is past (:func:`working_day_before`).  The day is spelled, not
    « aujourd'hui »: a message is often read a day later."""
    before = working_day_before(day, today)
    if before is None:
        # Its working day before gone by, a holiday still says it is one (explorer AS4:
        # « À faire demain : lundi 25 mai » on the Sunday, nothing of Whit Monday).
        holiday = public_holiday(day) if not weekend_day(day) else None
        return (f"jour férié, {holiday}", "") if holiday else ("", "")
    weekend = weekend_day(day)
    what = f"un {weekend}" if weekend else f"jour férié, {public_holiday(day)}"
    return what, spell_date(before)
