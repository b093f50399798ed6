"""Who counts as the chargée de mission a formation names, and what of her text is passed on."""

from __future__ import annotations

from bot.bilans.partner import FORWARD_LIMIT, capped, same_matrix_id

SOPHIE = "@sophie.leroy:agent.tchap.gouv.fr"


def test_the_server_part_is_read_whatever_its_case_the_user_part_exactly() -> None:
    assert same_matrix_id(SOPHIE, "@sophie.leroy:Agent.TCHAP.gouv.fr")
    assert same_matrix_id(f" {SOPHIE} ", SOPHIE)
    assert not same_matrix_id(SOPHIE, "@Sophie.leroy:agent.tchap.gouv.fr")
    assert not same_matrix_id(SOPHIE, "@sophie.leroy:agent.tchap.gouv.fr.evil.example")


def test_a_long_message_is_cut_and_its_length_kept_to_say_so() -> None:
    assert capped("  je propose le 15 à 10 h \u202e ") == ("je propose le 15 à 10 h", None)
    shown, full = capped("é" * (FORWARD_LIMIT + 5))
    assert (len(shown), full) == (FORWARD_LIMIT, FORWARD_LIMIT + 5)
