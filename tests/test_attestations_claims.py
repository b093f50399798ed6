"""What a participant's sentence claims (bot/attestations/claims.py): the oath typed, a claim of
having taken part; the dialogues' tests show what each does at its question."""

from __future__ import annotations

import pytest

from bot.attestations.claims import sworn, took_part


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("J'atteste sur l'honneur avoir participé", True),
        ("je l'atteste sur l'honneur", True),
        ("Oui je certifie avoir bien participé au bilan, merci", True),
        ("J'atteste que le lien ne marchait pas", False),
        ("oui", False),
    ],
)
def test_the_oath_typed_is_told_from_a_sentence_about_it(typed: str, expected: bool) -> None:
    """Explorer MB4: the oath typed was passed on as a message, or saved as a reason."""
    assert sworn(typed) is expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mais si j'ai participé, la date est fausse", True),
        ("j'y étais", True),
        ("J'ai participé à une journée de recrutement", False),
        ("si j'étais venue, j'aurais perdu ma journée", False),
        ("J'étais la seule de l'équipe au magasin", False),
        ("j'y étais pas autorisée", False),
    ],
)
def test_a_claim_of_taking_part_is_no_reason_for_not_taking_part(
    typed: str, expected: bool
) -> None:
    """Explorers DB5, EA5: a reason that says one took part, refused; true reasons kept."""
    assert took_part(typed) is expected
