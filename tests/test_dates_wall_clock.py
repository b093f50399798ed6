"""An hour on a day in the organisation's zone, across the change of time (bot/dates/wall_clock.py)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.dates.wall_clock import at_wall, clock_change

PARIS = ZoneInfo("Europe/Paris")


def test_an_hour_the_spring_change_skips_is_the_hour_it_means_and_said_so() -> None:
    when = at_wall(date(2027, 3, 28), time(2, 30), PARIS)
    assert (when.hour, when.minute) == (3, 30)
    assert clock_change(when, time(2, 30)) == "ete"


def test_an_hour_the_autumn_change_repeats_is_the_first_and_said_so() -> None:
    when = at_wall(date(2027, 10, 31), time(2, 30), PARIS)
    assert when.utcoffset() == datetime(2027, 10, 30, 12, tzinfo=PARIS).utcoffset()
    assert clock_change(when, time(2, 30)) == "hiver"


def test_an_ordinary_hour_says_nothing() -> None:
    when = at_wall(date(2027, 3, 29), time(2, 30), PARIS)
    assert clock_change(when, time(2, 30)) is None
    assert clock_change(when, None) is None
    assert at_wall(date(2027, 3, 29), time(9), None) == datetime(2027, 3, 29, 9)
