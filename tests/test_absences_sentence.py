"""Reading an absence written as a sentence: "Karim absent hier matin"."""

from __future__ import annotations

import pytest

from bot.absences.sentence import read_absence_sentence


@pytest.mark.parametrize(
    ("typed", "names", "line"),
    [
        ("Karim absent hier matin", ("karim",), "karim hier matin"),
        ("karim benali est absent ce matin", ("karim benali",), "karim benali ce matin"),
        ("Léa absente toute la journée.", ("lea",), "lea toute la journee"),
        ("Julie en retard de 20 min ce matin", ("julie",), "julie retard de 20 min ce matin"),
        ("Absence de Karim Benali hier matin", ("karim benali",), "karim benali hier matin"),
        ("retard d’Éloïse ce matin", ("eloise",), "eloise retard ce matin"),
        ("Nadia absente", ("nadia",), "nadia"),
        ("Karim et Julie absents hier matin", ("karim", "julie"), "karim hier matin"),
        ("Karim, Julie absents lundi", ("karim", "julie"), "karim lundi"),
    ],
)
def test_sentences_that_report_an_absence(typed: str, names: tuple[str, ...], line: str) -> None:
    sentence = read_absence_sentence(typed)
    assert sentence is not None
    assert (sentence.names, sentence.line) == (names, line)


@pytest.mark.parametrize(
    "typed",
    [
        "Bonjour",
        "je suis absent demain",
        "il est absent",
        "les stagiaires sont absents",
        "absent",
        "Karim 3 absent",
        "",
        "x" * 5000 + " absent hier",
        "Karim\nabsent hier",
        "liste des absences",
        "<b>Karim</b> absent hier",
    ],
)
def test_other_text_is_not_an_absence(typed: str) -> None:
    assert read_absence_sentence(typed) is None
