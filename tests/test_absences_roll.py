"""What a trainer types on a roll-call list (:func:`read_marks`), read without a dialogue."""

from __future__ import annotations

import pytest

from bot.answers import Invalid
from bot.conversations.absences.roll import Said, read_marks
from bot.conversations.kit.flow import Option

GROUP = [
    Option(name, str(n))
    for n, name in enumerate(
        ["Karim Benali", "Léa Martin", "Hugo Moreau", "Julie Petit", "Nadia Roux", "Inès Garnier"],
        start=1,
    )
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "absents : 3, 5 ; retard : 2",
            [Said("absent", ("3", "5"), False), Said("retard", ("2",), False)],
        ),
        (
            "Absentes: 3 et 5 retard 2",
            [Said("absent", ("3", "5"), False), Said("retard", ("2",), False)],
        ),
        ("3-5", [Said("absent", ("3", "4", "5"), False, toggle=True)]),
        ("3 à 5", [Said("absent", ("3", "4", "5"), False, toggle=True)]),
        ("absents : Karim, julie", [Said("absent", ("1", "4"), False)]),
        ("karim et hugo absents", [Said("absent", ("1", "3"), False)]),
        ("en retard : Inès", [Said("retard", ("6",), False)]),
        ("présents : 1", [Said("", ("1",), False)]),
        ("tous présents", [Said("", ("1", "2", "3", "4", "5", "6"), True)]),
        ("Tout le monde est là", [Said("", ("1", "2", "3", "4", "5", "6"), True)]),
        ("aucun absent", [Said("", ("1", "2", "3", "4", "5", "6"), True)]),
        ("absents : tous sauf 2", [Said("absent", ("1", "3", "4", "5", "6"), True)]),
        # Explorer CB5: « Je ne trouve pas « tous » dans la liste … « tous » »; the one
        # named is the only one absent, the others present (the list's « tous présents »).
        ("tous présents sauf 3", [Said("absent", ("3",), True)]),
        ("Tous présents sauf Karim et Julie", [Said("absent", ("1", "4"), True)]),
        ("tout le monde est là, sauf Léa", [Said("absent", ("2",), True)]),
        (
            "tous présents sauf 3 ; retard : 2",
            [Said("absent", ("3",), True), Said("retard", ("2",), False)],
        ),
        # Explorer DC1: « Je ne trouve pas « Karim en retard » dans la liste »: the list's
        # own words after « sauf » say what those named are, the others present.
        (
            "tous présents sauf Karim en retard",
            [Said("", ("1", "2", "3", "4", "5", "6"), True), Said("retard", ("1",), False)],
        ),
        (
            "tout le monde est là sauf Karim et Julie absents",
            [Said("", ("1", "2", "3", "4", "5", "6"), True), Said("absent", ("1", "4"), False)],
        ),
        (
            "absences : 1\nretards : 2",
            [Said("absent", ("1",), False), Said("retard", ("2",), False)],
        ),
    ],
)
def test_what_a_typed_call_says(typed: str, expected: list[Said]) -> None:
    assert read_marks(typed, GROUP) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("absents : 7", "entre 1 et 6"),
        ("3-9", "entre 1 et 6"),
        ("absents : zorro", "« zorro »"),
        ("absents :", ""),
        ("retard", ""),
        ("😀", "« 😀 »"),
    ],
)
def test_what_a_typed_call_cannot_say(typed: str, reason: str) -> None:
    said = read_marks(typed, GROUP)
    assert isinstance(said, Invalid)
    assert reason in said.message


def test_nothing_typed_is_not_a_call() -> None:
    assert read_marks("", GROUP) is None
    assert read_marks(" ; ", GROUP) is None
