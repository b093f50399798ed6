"""Vacations for the Rectorat's accompagnement à distance (004 §3)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.rules.vacations import compute_vacations


def test_nine_hours_for_six_participants_rounds_down_to_four() -> None:
    result = compute_vacations(9 * 60, 6)
    assert result.vacations == 4
    assert result.raw == Fraction(9, 2)
    assert result.cap is None
    assert result.working == [
        "Temps d'accompagnement à distance : 9 h 00 (540 minutes).",
        "Une vacation pour deux heures : 9 h 00 ÷ 2 h = 4,5 vacations.",
        "Vacation entamée, arrondi à l'inférieur : 4 vacations (le texte ne dit pas comment "
        "la compter : c'est le réglage de l'organisme, modifiable avec /reglages).",
        "Plafonds : une vacation par stagiaire ayant effectivement participé (6), huit pour un groupe.",
        "Résultat : 4 vacations (l'accompagnement à distance en formation, Rectorat, §3 Rémunération).",
    ]


def test_twenty_hours_with_three_participants_is_capped_per_trainee() -> None:
    result = compute_vacations(20 * 60, 3)
    assert (result.vacations, result.raw, result.cap) == (3, Fraction(10), "trainee")
    assert any("une vacation par stagiaire ayant participé (3)" in line for line in result.working)
    assert (
        result.working[-1]
        == "Résultat : 3 vacations (l'accompagnement à distance en formation, Rectorat, §3 Rémunération)."
    )


def test_forty_hours_with_twelve_participants_is_capped_per_group() -> None:
    result = compute_vacations(40 * 60, 12)
    assert (result.vacations, result.raw, result.cap) == (8, Fraction(20), "group")
    assert any("plafond de 8 vacations pour un groupe" in line for line in result.working)


def test_eight_participants_tie_names_the_group_cap() -> None:
    assert compute_vacations(30 * 60, 8).cap == "group"


def test_nobody_took_part_means_no_vacation() -> None:
    result = compute_vacations(6 * 60, 0)
    assert (result.vacations, result.cap) == (0, "trainee")
    assert (
        result.working[-1]
        == "Résultat : 0 vacation (l'accompagnement à distance en formation, Rectorat, §3 Rémunération)."
    )


def test_no_coaching_means_no_vacation_and_no_cap() -> None:
    result = compute_vacations(0, 5)
    assert (result.vacations, result.raw, result.cap) == (0, Fraction(0), None)


@pytest.mark.parametrize(
    ("minutes", "rounding", "expected"),
    [
        (540, "down", 4),
        (540, "nearest", 5),  # half a vacation counts when rounding to the nearest
        (540, "up", 5),
        (100, "down", 0),
        (100, "nearest", 1),
        (100, "up", 1),
        (150, "nearest", 1),  # 1,25
        (60, "nearest", 1),  # 0,5: half up, not Python's round-half-even
        (300, "nearest", 3),  # 2,5 -> 3 (round() would say 2)
        (480, "up", 4),  # whole: every mode agrees
        (480, "down", 4),
    ],
)
def test_rounding_modes(minutes: int, rounding: str, expected: int) -> None:
    assert compute_vacations(minutes, 8, rounding).vacations == expected  # type: ignore[arg-type]


def test_rounding_then_cap() -> None:
    result = compute_vacations(9 * 60, 4, "up")  # 4,5 -> 5, capped at 4 participants
    assert (result.vacations, result.cap) == (4, "trainee")


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        compute_vacations(-1, 3)
    with pytest.raises(ValueError):
        compute_vacations(60, -3)
    with pytest.raises(ValueError, match="arrondi inconnu"):
        compute_vacations(60, 3, "sideways")  # type: ignore[arg-type]
