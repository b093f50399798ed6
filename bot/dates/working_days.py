"""Working days, Monday to Friday: where a weekend's deadline is best done, and the last day
to be reminded of one before the weekend.

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


def previous_working_day(day: date) -> date:
    """The working day before ``day``: a weekend's or a Monday's is the Friday."""
    before = day - timedelta(days=1)
    while not is_working_day(before):
        before -= timedelta(days=1)
    return before


def weekend_friday(day: date, today: date) -> date | None:
    """The Friday to do a deadline of ``day`` by when it falls on a weekend, while that
    Friday is still to come (``today`` or later): on the weekend itself it is past, and
    pointing to it would call late what the texts still allow."""
    if is_working_day(day) or friday_before(day) < today:
        return None
    return friday_before(day)


def weekend_words(day: date, today: date) -> tuple[str, str]:
    """(« dimanche », « vendredi 4 décembre 2026 ») for a deadline on a weekend, the words of
    « (un dimanche : à faire plutôt le vendredi 4 décembre 2026) »
    (``templates/chat/_weekend_hint.j2``); ("", "") on a working day, or once that Friday
    is past (:func:`weekend_friday`).  The Friday is spelled, not « aujourd'hui »: a
    message is often read a day later."""
    friday = weekend_friday(day, today)
    return (weekend_day(day) or "", spell_date(friday)) if friday else ("", "")
