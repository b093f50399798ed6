"""The zones an organisation may work in: each one real, each one named in French."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.people.zones import HOURS, ZONES, hour_words
from bot.storage.people import DEFAULT_TIMEZONE


def test_every_zone_offered_exists_and_its_words_name_it() -> None:
    assert next(iter(ZONES)) == DEFAULT_TIMEZONE  # offered first, at /start and in /reglages
    for zone, words in ZONES.items():
        ZoneInfo(zone)  # a typo would make every hour of that organisation fail
        assert words.endswith(f"({zone})")


def test_every_zone_offered_has_its_hour_named_in_french() -> None:
    """Explorer CF5: the sworn text said « heure locale, Indian/Reunion »."""
    assert set(HOURS) == set(ZONES)
    assert hour_words("Indian/Reunion") == "heure de La Réunion"
    assert hour_words("Asia/Tokyo") == "heure locale"
    assert not [words for words in HOURS.values() if "/" in words]
