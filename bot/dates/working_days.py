"""Working days, Monday to Friday: where a weekend's deadline is best done, and when the
digest speaks.

Training days are weekdays (:func:`bot.dates.weekend_day`).  The funders' texts
shift nothing to a working day (48 h before is 48 h before), so a deadline on
a Saturday or a Sunday keeps its date and is *pointed* to the Friday before.
Public holidays are not known: a Monday off is a working day here.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.dates.spelling import spell_date, weekend_day


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def friday_before(day: date) -> date:
    """The last working day before a Saturday or a Sunday."""
    return day - timedelta(days=day.weekday() - 4)


def working_day_of(day: date) -> date:
    """The day a deadline is best done by: its own, or the Friday before a weekend's."""
    return day if is_working_day(day) else friday_before(day)


def next_working_day(day: date) -> date:
    """The working day after ``day``: Friday's (or a weekend day's) is the Monday."""
    following = day + timedelta(days=1)
    while not is_working_day(following):
        following += timedelta(days=1)
    return following


def previous_working_day(day: date) -> date:
    """The working day before ``day``: Monday's is the Friday."""
    before = day - timedelta(days=1)
    while not is_working_day(before):
        before -= timedelta(days=1)
    return before


def weekend_words(day: date) -> tuple[str, str]:
    """(« dimanche », « vendredi 4 décembre 2026 ») for a deadline on a weekend, the words of
    « (un dimanche : à faire plutôt le vendredi 4 décembre 2026) »
    (``templates/chat/_weekend_hint.j2``); ("", "") on a working day."""
    weekend = weekend_day(day)
    return (weekend, spell_date(friday_before(day))) if weekend else ("", "")
