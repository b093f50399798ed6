"""Year-less dates read in the formation's context (issue 11, item 19)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.conversations.formations.years import (
    day_in_context,
    has_year,
    names_a_day,
    period_in_context,
)

DEC_1 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_a_formation_s_period_is_the_one_nearest_today() -> None:
    # Just ended, not ten months ahead.
    assert period_in_context("du 5 octobre au 27 novembre", DEC_1) == (
        date(2026, 10, 5),
        date(2026, 11, 27),
    )
    # Running now, across the new year.
    assert period_in_context("du 1er septembre au 30 juin", DEC_1) == (
        date(2026, 9, 1),
        date(2027, 6, 30),
    )
    # Ahead in three months rather than eight months ago.
    assert period_in_context("du 2 mars au 10 avril", DEC_1) == (
        date(2027, 3, 2),
        date(2027, 4, 10),
    )


def test_a_typed_year_is_never_changed() -> None:
    assert has_year("du 5 octobre au 27 novembre 2027") and has_year("05/10/27 - 27/11/27")
    assert not has_year("du 5 octobre au 27 novembre")
    assert period_in_context("du 5 octobre au 27 novembre 2027", DEC_1) == (
        date(2027, 10, 5),
        date(2027, 11, 27),
    )


def test_a_session_is_read_inside_its_formation() -> None:
    whole_2026 = (date(2026, 1, 5), date(2026, 12, 18))
    assert period_in_context("du 2 mars au 10 avril", DEC_1, whole_2026) == (
        date(2026, 3, 2),
        date(2026, 4, 10),
    )
    school_year = (date(2026, 9, 1), date(2027, 6, 30))
    assert period_in_context("du 2 mars au 10 avril", DEC_1, school_year) == (
        date(2027, 3, 2),
        date(2027, 4, 10),
    )
    # Outside whatever the year: the nearest to the formation, for a sensible re-ask.
    assert period_in_context(
        "du 1er au 31 juillet", DEC_1, (date(2027, 3, 1), date(2027, 6, 30))
    ) == (
        date(2027, 7, 1),
        date(2027, 7, 31),
    )


def test_one_day_with_a_month_is_read_in_context_a_relative_day_is_not() -> None:
    school_year = (date(2026, 9, 1), date(2027, 6, 30))
    assert day_in_context("le 5 janvier", DEC_1, school_year) == date(2027, 1, 5)
    assert day_in_context("le 30 novembre", DEC_1, school_year) == date(2026, 11, 30)
    assert day_in_context("30/11", DEC_1) == date(2026, 11, 30)
    assert day_in_context("hier", DEC_1, (date(2027, 1, 1), date(2027, 6, 30))) == date(
        2026, 11, 30
    )
    assert day_in_context("n'importe quand", DEC_1) is None


def test_what_names_a_day() -> None:
    assert names_a_day("le 30 novembre") and names_a_day("30/11") and names_a_day("2 MARS")
    assert not names_a_day("Composante Innovation") and not names_a_day("Maintenance")


def test_a_weekday_tells_the_year_inside_the_formation_else_near_today() -> None:
    """Explorer AB1: « lundi 11 janvier » typed in December was None (read in a past year
    where the 11th is another weekday); the weekday settles the year, the formation first."""
    dec_7 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert day_in_context("lundi 11 janvier", dec_7) == date(2027, 1, 11)
    assert day_in_context("le vendredi 16 avril", dec_7) == date(2027, 4, 16)
    assert day_in_context("lundi 11/01", dec_7) == date(2027, 1, 11)
    # Sunday 11 January is this past one, not moved into a 2027 formation as a Monday.
    formation = (date(2027, 1, 4), date(2027, 4, 30))
    assert day_in_context("dimanche 11 janvier", dec_7, formation) == date(2026, 1, 11)
    # A Tuesday 11 January: in 2028, only if the formation is then.
    assert day_in_context("mardi 11 janvier", dec_7) is None
    assert day_in_context("mardi 11 janvier", dec_7, (date(2027, 9, 1), date(2028, 6, 30))) == (
        date(2028, 1, 11)
    )
