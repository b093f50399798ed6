"""Courtesy around a motive typed after the health warning (:mod:`bot.privacy.courtesy`)."""

from __future__ import annotations

import pytest

from bot.privacy.courtesy import without_courtesy


@pytest.mark.parametrize(
    ("typed", "motive"),
    [
        ("raison personnelle svp", "raison personnelle"),
        ("svp raison personnelle", "raison personnelle"),
        ("raison personnelle, merci !", "raison personnelle"),
        ("raison personnelle s'il vous plaît", "raison personnelle"),
        ("Empêchement, merci beaucoup", "Empêchement"),
        ("raison personnelle please", "raison personnelle"),
        # A word inside is the motive's: only its ends are courtesy (explorer BB4).
        (
            "merci de votre compréhension, raison personnelle",
            "merci de votre compréhension, raison personnelle",
        ),
        ("cadeau de merci pour la tutrice", "cadeau de merci pour la tutrice"),
        ("merci", "merci"),  # nothing left: as it was typed
    ],
)
def test_the_courtesy_at_a_motive_s_ends_is_not_its_words(typed: str, motive: str) -> None:
    assert without_courtesy(typed) == motive
