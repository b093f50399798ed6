"""The French words of dates (bot/dates/words.py)."""

from __future__ import annotations

import pytest

from bot.dates.words import a_day_of_the_month


@pytest.mark.parametrize("said", ["le premier", "premier", "1er", "le deux", "le trente et un"])
def test_a_day_of_the_month_as_french_says_it(said: str) -> None:
    assert a_day_of_the_month(said)


@pytest.mark.parametrize("said", ["un", "deux", "la premiere", "le deuxieme", "le trente-deux"])
def test_a_choice_s_number_in_words_is_no_day(said: str) -> None:
    """Explorer GA1: only these forms are left to a question's reading of a date."""
    assert not a_day_of_the_month(said)
