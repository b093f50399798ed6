"""The rules' time arithmetic: calendar months, and hours across the clocks' changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.rules.arithmetic import add_months, shift_hours

PARIS = ZoneInfo("Europe/Paris")


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=PARIS)


def test_shift_hours_into_the_spring_gap_lands_after_it() -> None:
    # 02:30 on Sunday 29 March 2026 does not exist in Paris: 48 h after Friday 02:30 CET
    # is 03:30 CEST, both readings agree once the gap is skipped.
    moved = shift_hours(at(2026, 3, 27, 2, 30), 48, PARIS)
    assert moved.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (moved.hour, moved.minute, moved.utcoffset()) == (3, 30, timedelta(hours=2))


def test_shift_hours_in_the_repeated_autumn_hour_takes_the_first_occurrence() -> None:
    # 24 h before Monday 26 Oct 2026 02:10 CET: both readings say "Sunday 02:10", which
    # happens twice; the earlier instant (02:10 CEST, 00:10 UTC) is kept.
    moved = shift_hours(at(2026, 10, 26, 2, 10), -24, PARIS)
    assert moved.astimezone(UTC) == datetime(2026, 10, 25, 0, 10, tzinfo=UTC)
    assert moved.utcoffset() == timedelta(hours=2)


def test_add_months_both_ways() -> None:
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 15), -1) == date(2026, 12, 15)
    assert add_months(date(2027, 1, 15), 0) == date(2027, 1, 15)
    assert add_months(date(2027, 1, 15), 25) == date(2029, 2, 15)
