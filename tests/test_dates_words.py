"""The French words of dates (bot/dates/words.py)."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest

from bot.dates.words import (
    _HOUR_IN_WORDS,
    _NUMBER_BEFORE_MONTH,
    _REWRITES,
    _TEXTED_HALVES,
    NUMBER_WORDS,
    _hour,
    a_day_of_the_month,
    fold,
    rewrite,
)


@pytest.mark.parametrize("said", ["le premier", "premier", "1er", "le deux", "le trente et un"])
def test_a_day_of_the_month_as_french_says_it(said: str) -> None:
    assert a_day_of_the_month(said)


@pytest.mark.parametrize("said", ["un", "deux", "la premiere", "le deuxieme", "le trente-deux"])
def test_a_choice_s_number_in_words_is_no_day(said: str) -> None:
    """Explorer GA1: only these forms are left to a question's reading of a date."""
    assert not a_day_of_the_month(said)


def _fold_before(text: str) -> str:
    """The fold as it was before its accents were looked for among non-ASCII letters only."""
    text = html.unescape(text)
    text = re.sub(r"<[^<>]{0,100}>", " ", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("–", "-").replace("—", "-")
    text = re.sub(r"(\d),(\d)", r"\1.\2", text)
    text = re.sub(r"[^a-z0-9/:.\- ]+", " ", text)
    text = re.sub(r"(?<!\d)[/:.]|[/:.](?!\d)", " ", text)
    text = re.sub(r"(?<![\da-z])-|-(?![\da-z])", " ", text)
    return " ".join(text.split())


def test_a_date_is_folded_as_before_whatever_its_characters() -> None:
    """Every character below U+3000, alone and beside letters, digits, accents, separators."""
    for code in range(0x3000):
        if 0xD800 <= code < 0xE000:
            continue
        c = chr(code)
        for text in (c, f"a{c}b", f"1{c}2", f"é{c}", f"{c}\u0301x", f"1,{c}", f"{c}-a", f"a.{c}"):
            assert fold(text) == _fold_before(text), repr(text)
    for text in SAID:
        assert fold(text) == _fold_before(text), text


SAID = [
    "du 1er décembre 2026 au 15 juin 2027",
    "Du 1ER DÉCEMBRE au 15/01/2027",
    "demain 14h",
    "aujourd'hui à 9 h 30",
    "ajd 3,5 jours",
    "ce mat",
    "ce aprem",
    "cet après-midi",
    "hier am",
    "jeudi pm",
    "jeu 14h",
    "ven. 4/12",
    "lun 23 nov",
    "ven",
    "mardi de la semaine prochaine",
    "lundi passé",
    "jeudi qui vient",
    "le proch lundi",
    "vendredi dernier",
    "lundi en huit",
    "mardi en 15",
    "ce midi",
    "ce matin",
    "ce soir",
    "le premier",
    "à deux heures et quart",
    "vers 14 h pile",
    "à trois heures moins le quart",
    "après-demain",
    "avant-hier",
    "demaim",
    "sam matin",
    "œuvre – du 3 — au 5 déc.",
    "&amp; <b>le 12/01</b> à 9:30",
    "jeudi -",
]


@pytest.mark.parametrize("said", SAID)
def test_a_pattern_left_unrun_is_one_that_could_not_match(said: str) -> None:
    """Each rewrite runs only where one of its words is: on every text it matches, one is,
    and the text rewritten is the one every pattern run in turn gives."""
    text = fold(said)
    everyone = text
    for pattern, replacement, needles in (*_TEXTED_HALVES, *_REWRITES):
        if pattern.search(everyone):
            assert any(needle in everyone for needle in needles), (pattern.pattern, everyone)
        everyone = pattern.sub(replacement, everyone)
    if _HOUR_IN_WORDS.search(everyone):
        assert "h" in everyone
    everyone = _HOUR_IN_WORDS.sub(_hour, everyone)
    assert rewrite(text) == _NUMBER_BEFORE_MONTH.sub(
        lambda m: f"{NUMBER_WORDS[m.group(1)]} ", everyone
    )
