"""The words that keep a motive pointed out for its medical detail (explorer LB1)."""

from __future__ import annotations

import pytest

from bot.conversations.absences.warned_motive import keeps_it


@pytest.mark.parametrize(
    "typed",
    [
        "non c'est bon",
        "c'est bon, garde",
        "garde-le tel quel",
        "ça ira comme ça",
        "non merci",
        "je le garde tel quel",
    ],
)
def test_a_keep_in_words_keeps_it(typed: str) -> None:
    assert keeps_it(typed)


@pytest.mark.parametrize(
    "typed",
    ["raison de santé", "non, raison personnelle", "garderie", "", "<b>garde</b>x", "oui"],
)
def test_a_motive_or_a_bare_yes_keeps_nothing(typed: str) -> None:
    """A motive replaces it; « oui » is no answer to the warning (the recap's « Enregistrer »
    reads it); markup around a word is no keep."""
    assert not keeps_it(typed)
