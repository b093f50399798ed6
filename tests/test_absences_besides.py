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


def test_a_pronoun_that_is_not_everyone_named_dictates_no_sentence() -> None:
    """Explorer KA2: « Karim et Léa absents demain, elle était absente hier aussi » dictated
    « Karim et Léa était absente hier » (wrong French, and typing it noted Karim too); « il »
    after « Julie absente » dictated « Julie était absent hier »; « … hier avec Julie » a
    sentence the bot then refused or read « hier avec Julie » as the day. The past day is
    still said as not noted, with no sentence to type."""
    for typed in (
        "Karim et Léa absents demain, elle était absente hier aussi",
        "Karim et Léa absents demain, il était absent hier aussi",
        "Julie absente demain, il était absent hier aussi",
        "Karim absent demain, il était absent hier avec Julie",
        "Karim absent demain, il était absent hier et Julie aussi",
    ):
        sentence = read_absence_sentence(typed)
        assert sentence is not None, typed
        assert past_said_besides(sentence, typed) == {"past": "hier"}, typed
    typed = "Julie absente demain, elle était absente hier et avant-hier"
    sentence = read_absence_sentence(typed)
    assert sentence is not None
    assert past_said_besides(sentence, typed)["past_sentence"] == (
        "Julie était absente hier et avant-hier"
    )
