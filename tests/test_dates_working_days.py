"""French public holidays: Easter's computus against the published dates, and what a deadline
on a holiday is pointed to."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import (
    day_off,
    day_to_act,
    is_working_day,
    next_working_day,
    previous_working_day,
    public_holiday,
    weekend_words,
    working_day_before,
)
from bot.dates.working_days import easter_sunday, public_holidays


@pytest.mark.parametrize(
    "easter",
    [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2028, 4, 16),
        date(2029, 4, 1),
        date(2030, 4, 21),
        date(2038, 4, 25),  # the latest possible
        date(2285, 3, 22),  # the earliest possible
        date(2000, 4, 23),
    ],
)
def test_easter_sunday_is_the_published_date(easter: date) -> None:
    assert easter_sunday(easter.year) == easter
    assert easter.weekday() == 6


def test_the_eleven_holidays_of_2027() -> None:
    assert public_holidays(2027) == {
        date(2027, 1, 1): "jour de l'An",
        date(2027, 3, 29): "lundi de Pâques",
        date(2027, 5, 1): "fête du Travail",
        date(2027, 5, 8): "Victoire de 1945",
        date(2027, 5, 6): "Ascension",
        date(2027, 5, 17): "lundi de Pentecôte",
        date(2027, 7, 14): "fête nationale",
        date(2027, 8, 15): "Assomption",
        date(2027, 11, 1): "Toussaint",
        date(2027, 11, 11): "Armistice",
        date(2027, 12, 25): "Noël",
    }


def test_a_holiday_is_no_working_day_and_is_said_as_such() -> None:
    assert not is_working_day(date(2026, 12, 25))  # a Friday
    assert public_holiday(date(2026, 12, 25)) == "Noël"
    assert day_off(date(2026, 12, 25)) == "férié (Noël)"
    assert day_off(date(2026, 12, 26)) == "un samedi"
    assert day_off(date(2027, 5, 8)) == "un samedi"  # a holiday on a weekend: the weekend day
    assert day_off(date(2026, 12, 24)) is None and is_working_day(date(2026, 12, 24))
    assert public_holiday(date(2026, 12, 26)) is None  # Alsace-Moselle's only: not known


def test_a_deadline_on_easter_monday_is_pointed_to_the_friday_before() -> None:
    monday = date(2027, 3, 29)
    assert previous_working_day(monday) == date(2027, 3, 26)
    assert weekend_words(monday, date(2027, 3, 22)) == (
        "jour férié, lundi de Pâques",
        "vendredi 26 mars 2027",
    )
    assert working_day_before(monday, date(2027, 3, 22)) == date(2027, 3, 26)
    # On the holiday itself the day before is past: no working day to point to, but it is
    # still said to be a holiday (explorer AS4).
    assert weekend_words(monday, monday) == ("jour férié, lundi de Pâques", "")


def test_a_weekend_after_a_friday_holiday_is_done_on_the_thursday() -> None:
    saturday = date(2026, 12, 26)
    assert previous_working_day(saturday) == date(2026, 12, 24)
    assert weekend_words(saturday, date(2026, 12, 21)) == ("un samedi", "jeudi 24 décembre 2026")
    assert working_day_before(saturday, date(2026, 12, 21)) == date(2026, 12, 24)
    # A Tuesday after Easter Monday: the working day before is the Friday.
    assert previous_working_day(date(2027, 3, 30)) == date(2027, 3, 26)


def test_the_day_to_act_whatever_today_is() -> None:
    """For documents read later (an export, a calendar): no « while it is to come »."""
    assert day_to_act(date(2026, 11, 28)) == date(2026, 11, 27)  # a Saturday: the Friday
    assert day_to_act(date(2026, 12, 25)) == date(2026, 12, 24)  # Christmas
    assert day_to_act(date(2026, 11, 27)) is None  # a working day


def test_no_day_to_act_before_the_deadline_was_known() -> None:
    """Explorer DG10: created on the Sunday it is due, no Friday before it existed."""
    sunday = date(2026, 11, 29)
    assert day_to_act(sunday, known=sunday) is None
    assert day_to_act(sunday, known=date(2026, 11, 28)) is None
    assert day_to_act(sunday, known=date(2026, 11, 27)) == date(2026, 11, 27)
    # Known after its day: late from the start, the texts' working day stays the advice.
    assert day_to_act(sunday, known=date(2026, 12, 1)) == date(2026, 11, 27)


def test_the_working_day_after_a_weekend_or_a_holiday() -> None:
    assert next_working_day(date(2027, 1, 9)) == date(2027, 1, 11)  # Saturday → Monday
    assert next_working_day(date(2027, 3, 27)) == date(2027, 3, 30)  # past Easter Monday
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)  # Christmas, weekend
    assert next_working_day(date(2027, 1, 4)) == date(2027, 1, 5)
