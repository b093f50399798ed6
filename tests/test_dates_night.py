"""The night, when what the bot sends by itself waits for the morning (explorers AV7, AV8)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.dates.night import is_night, morning_after

PARIS = ZoneInfo("Europe/Paris")


def at(hour: int, minute: int = 0, day: int = 9) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=PARIS)


def test_the_night_runs_from_21_h_to_the_digest_hour_and_never_past_8_h() -> None:
    assert [h for h in range(24) if is_night(at(h), 8)] == [0, 1, 2, 3, 4, 5, 6, 7, 21, 22, 23]
    assert not is_night(at(7), 7) and is_night(at(6, 59), 7)
    assert not is_night(at(9), 18)  # a digest at 18 h leaves the day open
    assert not is_night(at(20, 59), 8)


def test_what_the_night_finds_goes_in_the_morning() -> None:
    three = at(3).astimezone(UTC)
    assert morning_after(three, PARIS, 8) == at(8)
    assert morning_after(at(22, 10).astimezone(UTC), PARIS, 8) == at(8, day=10)
    assert morning_after(at(10).astimezone(UTC), PARIS, 8) is None
    assert morning_after(at(5).astimezone(UTC), PARIS, 18) == at(8)
