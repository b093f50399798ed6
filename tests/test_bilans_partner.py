"""Who counts as the chargée de mission a formation names, and what of her text is passed on."""

from __future__ import annotations

from bot.bilans.partner import FORWARD_LIMIT, capped


def test_a_long_message_is_cut_and_its_length_kept_to_say_so() -> None:
    assert capped("  je propose le 15 à 10 h \u202e ") == ("je propose le 15 à 10 h", None)
    shown, full = capped("é" * (FORWARD_LIMIT + 5))
    assert (len(shown), full) == (FORWARD_LIMIT, FORWARD_LIMIT + 5)
