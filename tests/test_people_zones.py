"""The zones an organisation may work in: each one real, each one named in French."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.people.zones import ZONES
from bot.storage.people import DEFAULT_TIMEZONE


def test_every_zone_offered_exists_and_its_words_name_it() -> None:
    assert next(iter(ZONES)) == DEFAULT_TIMEZONE  # offered first, at /start and in /reglages
    for zone, words in ZONES.items():
        ZoneInfo(zone)  # a typo would make every hour of that organisation fail
        assert words.endswith(f"({zone})")
