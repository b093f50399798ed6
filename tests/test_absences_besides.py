"""A past day said besides a day to come (bot/absences/besides.py, explorer JB6)."""

from __future__ import annotations

from bot.absences.besides import past_said_besides
from bot.absences.sentence import read_absence_sentence


def besides(typed: str) -> dict[str, str]:
    sentence = read_absence_sentence(typed)
    assert sentence is not None, typed
    return past_said_besides(sentence)


def test_the_past_day_is_given_back_as_a_sentence_for_everyone_named() -> None:
    said = besides("Karim et Léa absents demain, ils étaient absents hier aussi")
    assert said.get("past_sentence") == "Karim et Léa étaient absents hier"


def test_a_past_day_that_is_no_event_gives_nothing() -> None:
    assert besides("Julie absente demain, rdv pris hier") == {}
