"""Reading the one-line form ``/absence Dupont hier matin``: names, dates, periods, justification."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.absences.line import (
    as_typed,
    date_words,
    day_words,
    match_names,
    read_period,
    split_reason,
    understand_line,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
PEOPLE = [
    ("Léa Martin", (1, 11)),
    ("Karim Benali", (1, 12)),
    ("Jean Dupont", (2, 21)),
    ("Marie Dupont", (2, 22)),
]


def test_names_match_whole_words_then_starts_then_typos() -> None:
    people = [
        ("Jean Dupont", 1),
        ("Marie Dupont", 2),
        ("Éloïse Lefèvre", 3),
        ("Martin Léa", 4),
        ("Martine Roy", 5),
    ]
    assert match_names("dupon", people) == [1, 2]
    assert match_names("Dupont J", people) == [1]
    assert match_names("DUPONT marie", people) == [2]
    assert match_names("eloise", people) == [3]
    assert match_names("lefebvre", people) == [3]
    assert match_names("martin", people) == [4]  # a whole word beats a start
    assert match_names("mart", people) == [4, 5]
    assert match_names("léa martin", people) == [4]
    assert match_names("😀", people) == []
    assert match_names("zz", people) == []


def test_everything_in_one_line() -> None:
    line = understand_line("Benali hier matin", NOW, PEOPLE)
    assert line.matches == [(1, 12)] and line.name_text == "Benali"  # as typed, to be shown
    assert line.when is not None and line.when.date() == date(2026, 11, 22)
    assert (line.period, line.late_minutes, line.justified) == ("matin", None, None)


@pytest.mark.parametrize(
    ("text", "period", "minutes", "justified"),
    [
        ("karim retard de 20 min ce matin justifié", "retard", 20, True),
        ("karim 15 minutes de retard", "retard", 15, None),
        ("karim retard", "retard", None, None),
        # Hours too (explorer E E12 e: « de 2h » was read as part of the date).
        ("karim en retard de 2h hier", "retard", 120, None),
        ("karim retard d'1 h 30 hier", "retard", 90, None),
        ("karim 1h de retard ce matin", "retard", 60, None),
        ("karim retard de 2 heures", "retard", 120, None),
        ("karim toute la journée non justifiée", "journee", None, False),
        ("karim cet après-midi", "apres_midi", None, None),
        ("karim aprem injustifiée", "apres_midi", None, False),
        # Both halves said are the whole day (explorer UA5: the afternoon alone).
        ("karim vendredi matin et après-midi", "journee", None, None),
        ("karim ce matin et cet aprem", "journee", None, None),
        # Half-days as texted (explorer BG7: « ce mat » not understood, « hier am » the day).
        ("karim ce mat", "matin", None, None),
        ("karim ce mat'", "matin", None, None),
        ("karim ce aprem", "apres_midi", None, None),
        ("karim hier am", "matin", None, None),
        ("karim hier pm", "apres_midi", None, None),
        ("karim lundi mat", "matin", None, None),
        ("karim hier apm", "apres_midi", None, None),
    ],
)
def test_periods_and_justification(
    text: str, period: str, minutes: int | None, justified: bool | None
) -> None:
    line = understand_line(text, NOW, PEOPLE)
    assert line.matches == [(1, 12)]
    assert (line.period, line.late_minutes, line.justified) == (period, minutes, justified)


def test_ce_matin_is_today() -> None:
    line = understand_line("léa ce matin", NOW, PEOPLE)
    assert line.when is not None and line.when.date() == date(2026, 11, 23)
    assert line.period == "matin"


def test_the_name_may_come_after_the_date_and_be_ambiguous() -> None:
    line = understand_line("vendredi dernier dupont", NOW, PEOPLE)
    assert line.matches == [(2, 21), (2, 22)] and line.name_text == "dupont"
    assert line.when is not None and line.when.date() == date(2026, 11, 20)


def test_what_is_not_understood_is_said_back() -> None:
    unknown_date = understand_line("léa quand elle veut", NOW, PEOPLE)
    assert unknown_date.matches == [(1, 11)] and unknown_date.when is None
    assert unknown_date.date_text == "quand elle veut"
    nobody = understand_line("zorglub", NOW, PEOPLE)
    assert (nobody.matches, nobody.name_text, nobody.when) == ([], "zorglub", None)
    only_a_date = understand_line("hier", NOW, PEOPLE)
    assert only_a_date.matches == [] and only_a_date.when is not None
    assert understand_line("   ", NOW, PEOPLE).matches == []


def test_a_first_name_known_with_a_surname_nobody_has_is_nobody() -> None:
    """Explorer BD5: « Karim Dupont hier » dropped « Dupont » and matched Karim Benali."""
    # A surname nobody has, capitalised, is nobody too (explorer CB5: Karim Benali's recap).
    for typed in ("Karim Dupont hier", "hier Karim Dupont", "karim martin hier", "Karim Zorg hier"):
        line = understand_line(typed, NOW, PEOPLE)
        assert line.matches == [] and line.name_text.casefold().startswith("karim"), typed
        assert line.when is not None and line.when.day == 22
    # A word that is no one's stays out of the name, as before, capitalised or not (CA4).
    for typed in ("karim malade hier", "Karim Malade hier"):
        line = understand_line(typed, NOW, PEOPLE)
        assert line.matches == [(1, 12)] and line.when is not None, typed


@pytest.mark.parametrize(
    ("text", "folded", "shown"),
    [
        ("Léa absente le 3 Décembre", "lea", "Léa"),
        ("Léa absente le 3 Décembre", "le 3 decembre", "le 3 Décembre"),
        ("  Jean-Éric   DUPONT  hier", "jean-eric dupont", "Jean-Éric   DUPONT"),
        ("retard d’Éloïse ce matin", "eloise", "Éloïse"),
        ("Straße hier", "strasse", "Straße"),
        ("Lea et Léa", "lea", "Lea"),  # the first, whole words only
        ("Karim absent ce matin", "aujourdhui", "aujourd'hui"),  # a rewrite: spelt right (AM3)
        ("a+b (c) [d] absent", "a+b (c)", "a+b (c)"),  # regular expressions' signs are text
        ("Mariette absente", "marie", "marie"),  # not a whole word: not taken
        ("", "", ""),
    ],
)
def test_what_is_shown_back_is_as_typed(text: str, folded: str, shown: str) -> None:
    assert as_typed(text, folded) == shown


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("du 1er au 3 décembre matin justifiée", "du 1er au 3 decembre"),
        ("Lundi et Mardi, toute la journée, non justifiée", "lundi et mardi"),
        ("lundi, mardi, matin", "lundi, mardi"),
        ("ce matin", "aujourdhui"),
        ("retard de 20 min hier", "hier"),
        ("", ""),
    ],
)
def test_the_words_that_name_the_days(text: str, words: str) -> None:
    assert date_words(text) == words


@pytest.mark.parametrize(
    ("text", "kept", "reason"),
    [
        (
            "Karim absent hier matin, justifié, rdv France Travail",
            "Karim absent hier matin, justifié",
            "rdv France Travail",
        ),
        ("hier justifiée, motif : Convocation", "hier justifiée", "Convocation"),
        ("lundi justifiée (arrêt maladie)", "lundi justifiée", "arrêt maladie"),
        ("justifiés car grève des transports", "justifiés", "grève des transports"),
        ("non justifiée, injoignable", "non justifiée", "injoignable"),
        # What follows is a day or a half-day, or nothing: no reason.
        ("justifiée, hier matin", "justifiée, hier matin", None),
        ("Karim et Julie absents lundi matin justifiés", None, None),
        ("justifié : 12", None, None),
        ("absent hier", None, None),
    ],
)
def test_the_reason_written_after_justifiee(
    text: str, kept: str | None, reason: str | None
) -> None:
    assert split_reason(text, NOW) == (kept or text, reason)


def test_the_day_words_leave_the_reason_out() -> None:
    assert day_words("du 16 au 18 novembre justifiée, arrêt maladie", NOW) == (
        "du 16 au 18 novembre"
    )
    assert day_words("hier matin", NOW) == "hier"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("retard de dix minutes hier", 10),
        ("retard d'un quart d'heure", 15),
        ("retard d'une demi-heure", 30),
        ("retard de trois quarts d'heure", 45),
        ("retard d'une heure et demie", 90),
        ("retard de deux heures", 120),
        ("retard de vingt-cinq minutes", 25),
        ("retard de dix-huit minutes", 18),
        ("retard de deux heures et quart", 135),
        ("retard de 2h et demie", 150),
        ("retard de quarante et une minutes", 41),
        ("retard d'une heure trente ce matin", 90),  # not 1 h (explorer Q Q1)
        ("retard de 1 h quinze", 75),
        ("retard de deux heures vingt-cinq", 145),
    ],
)
def test_a_late_arrival_s_length_in_words(text: str, minutes: int) -> None:
    """Explorers L and M: « un quart d'heure », « dix minutes » were not read."""
    assert read_period(text)[:2] == ("retard", minutes)
