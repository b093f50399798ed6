"""The part of the day said with a day, and the hours held to it (explorer KF5b)."""

from __future__ import annotations

from datetime import time

from bot.dates.day_parts import in_part, near_day, part_of_day


def test_the_part_said_is_read_as_typed() -> None:
    """« aprem », « après-midi », « matinée »: one part; two, none, or a page: none."""
    assert part_of_day("bilan demain aprem") == "apresmidi"
    assert part_of_day("jeudi après-midi") == "apresmidi"
    assert part_of_day("vendredi en matinée") == "matin"
    assert part_of_day("lundi soir") == "soir"
    assert part_of_day("lundi matin ou soir") is None
    assert part_of_day("bilan vendredi") is None
    assert part_of_day("matin " * 1000) is None
    assert near_day("bilan après-demain matin") == "après-demain"
    assert near_day("bilan aujourd'hui aprem") == "aujourd'hui"
    assert near_day("bilan jeudi") is None


def test_an_hour_is_held_to_the_part_said() -> None:
    """« 3 h » in the afternoon is 15 h, « 8 h » in the evening 20 h; « 9 h » is no hour of
    the afternoon, « 15 h » none of the morning."""
    assert in_part(time(3), "apresmidi") == time(15)
    assert in_part(time(15, 30), "apresmidi") == time(15, 30)
    assert in_part(time(12), "apresmidi") == time(12)
    assert in_part(time(9), "apresmidi") is None
    assert in_part(time(20), "apresmidi") is None
    assert in_part(time(8), "soir") == time(20)
    assert in_part(time(9), "matin") == time(9)
    assert in_part(time(15), "matin") is None
