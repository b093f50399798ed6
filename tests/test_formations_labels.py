"""The words of a formation: labels of every code the rules know, the key of a name."""

from __future__ import annotations

from datetime import date

import pytest

from bot.formations.labels import (
    LABELS,
    full_name_given,
    name_key,
    told_apart,
    written_like_a_company,
)


def test_a_name_key_ignores_case_accents_and_spacing() -> None:
    assert name_key("  Zoé   LAMBERT-Durand ") == name_key("zoe lambert durand")
    assert name_key("Marie Dupont") != name_key("Marie Dupond")


def test_every_code_has_a_label() -> None:
    assert LABELS["funder"]["cvl"] == "Région Centre-Val de Loire"
    assert set(LABELS["funder"]) == {"normandie", "cvl", "rectorat", "autre"}
    assert set(LABELS["mode"]) == {"dates", "esp"}
    assert all(label.strip() for labels in LABELS.values() for label in labels.values())


def test_a_company_s_name_holds_no_markup_nor_formula() -> None:
    """Explorer L: « <i>SARL</i> » was printed as is; « =HYPERLINK(…) » runs in a sheet."""
    for good in ("Boulangerie Martin", "SARL Dupont & Fils", "Garage (Rouen)", "3M France"):
        assert written_like_a_company(good), good
    for bad in ("<i>SARL</i>", '=HYPERLINK("x")', "+33 SARL", "@SUM(1)", "Garage {x}"):
        assert not written_like_a_company(bad), bad


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("Karim Benali", True),
        ("DUPONT, Zoé", True),
        ("Marie de la Tour", True),
        ("J. Dupont", True),  # an initial is a part
        ("Gaston", False),
        ("Jean-Pierre", False),
        ("Jean .", False),  # explorer M: punctuation is no part
        ("M. Dupont", False),  # nor a civility
        ("Mme Martin", False),
        ("Madame Martin", False),
    ],
)
def test_a_full_name_has_two_parts_besides_a_civility(name: str, given: bool) -> None:
    assert full_name_given(name) is given


def test_formations_of_one_title_are_told_apart_by_their_start_day() -> None:
    """Explorer BD1, BD2: three « Agent de restauration » read alike in every list."""
    assert told_apart(
        [
            (1, "Agent de restauration", date(2026, 9, 14)),
            (2, "agent de restauration", date(2026, 11, 2)),
            (3, "Cariste", date(2026, 11, 2)),
        ]
    ) == {
        1: "Agent de restauration (lundi 14 septembre 2026)",
        2: "agent de restauration (lundi 2 novembre 2026)",
        3: "Cariste",
    }
