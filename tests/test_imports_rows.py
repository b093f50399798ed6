"""One line of a list: dates in French and Excel's forms, phones, ticks, and what is wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.imports.reading import Cell
from bot.imports.rows import Problem, Row, day_of, delegate_of, phone_of, read_row, reason_of

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BOUNDS = (date(2026, 12, 1), date(2027, 6, 15))
COLUMNS = {
    "last_name": 0,
    "first_name": 1,
    "company": 2,
    "email": 3,
    "phone": 4,
    "entered_on": 5,
    "left_on": 6,
    "exit_reason": 7,
    "delegate": 8,
}


def line(*cells: Cell) -> Row | list[Problem]:
    padded = [*cells, *[None] * (9 - len(cells))]
    return read_row(7, padded, COLUMNS, now=NOW, bounds=BOUNDS)


def codes(found: Row | list[Problem]) -> list[tuple[str, str | None, str]]:
    assert isinstance(found, list), found
    return [(p.code, p.field, p.value) for p in found]


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("07/03/2027", date(2027, 3, 7)),
        ("7/3/27", date(2027, 3, 7)),
        ("07-03-2027", date(2027, 3, 7)),
        ("07.03.2027", date(2027, 3, 7)),
        ("2027-03-07", date(2027, 3, 7)),
        ("07/03/2027 00:00:00", date(2027, 3, 7)),
        ("7 mars 2027", date(2027, 3, 7)),
        ("1er décembre 2026", date(2026, 12, 1)),
        (datetime(2027, 3, 7, 0, 0), date(2027, 3, 7)),
        (date(2027, 3, 7), date(2027, 3, 7)),
        (46453, date(2027, 3, 7)),  # an Excel serial number
        (46453.0, date(2027, 3, 7)),
        ("", None),
        (None, None),
        ("31/02/2026", "date_impossible"),
        ("29/02/2027", "date_impossible"),
        ("2027-13-01", "date_impossible"),
        ("demain ou après", "date_unclear"),
        ("12", "date_unclear"),
        (12, "date_unclear"),
        ("x" * 300, "date_unclear"),
    ],
)
def test_dates_in_every_form_a_list_has(cell: Cell, day: date | str | None) -> None:
    assert day_of(cell, NOW) == day


@pytest.mark.parametrize(
    ("cell", "phone"),
    [
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("0612345678", "06 12 34 56 78"),
        (612345678, "06 12 34 56 78"),  # Excel dropped the 0
        (612345678.0, "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),  # as the others (explorer Z, Z12)
        ("0033612345678", "06 12 34 56 78"),
        ("+32 470 12 34 56", "+32470123456"),  # another country's kept whole
        ("12", None),
        ("appeler le matin", None),
    ],
)
def test_phones(cell: Cell, phone: str | None) -> None:
    assert phone_of(cell) == phone


@pytest.mark.parametrize(
    ("cell", "ticked"),
    [
        ("oui", True),
        ("Oui", True),
        ("x", True),
        ("X", True),
        ("✓", True),
        (1, True),
        (True, True),
        ("Déléguée", True),
        ("non", False),
        ("", False),
        (None, False),
        (0, False),
        (False, False),
        ("peut-être", None),
        ("?", None),
    ],
)
def test_delegate_ticks(cell: Cell, ticked: bool | None) -> None:
    assert delegate_of(cell) is ticked


def test_exit_reasons_in_their_words() -> None:
    assert reason_of("Abandon") == "abandon"
    assert reason_of("CDI") == "emploi"
    assert reason_of("fin de parcours") == "fin_parcours"
    assert reason_of("Réorientation") == "reorientation"
    assert reason_of("démission") is None


def test_a_whole_line_becomes_a_trainee() -> None:
    found = line(
        "DUPONT",
        "Marie",
        " Boulangerie  Martin ",
        "Marie.Dupont@Example.org",
        "612345678",
        "03/12/2026",
        "05/01/2027",
        "emploi",
        "x",
    )
    assert found == Row(
        line=7,
        name="Marie DUPONT",
        company="Boulangerie Martin",
        email="marie.dupont@example.org",
        phone="06 12 34 56 78",
        entered_on=date(2026, 12, 3),
        left_on=date(2027, 1, 5),
        exit_reason="emploi",
        delegate=True,
    )


def test_a_full_name_column_is_taken_as_is() -> None:
    found = read_row(2, ["Karim Benali"], {"full_name": 0}, now=NOW, bounds=None)
    assert isinstance(found, Row) and found.name == "Karim Benali"
    alone = read_row(3, ["Gaston"], {"full_name": 0}, now=NOW, bounds=None)
    assert alone == [Problem(3, "one_word", None, "Gaston")]  # as a typed list refuses it


@pytest.mark.parametrize(
    ("cell", "name"),
    [("Mme Isabelle Caron", "Isabelle Caron"), ("JULIE PETIT", "Julie Petit"), ("Mme Caron", None)],
)
def test_a_name_is_kept_without_its_civility_and_as_written(cell: str, name: str | None) -> None:
    """Explorer Z, Z9: « Mme Isabelle Caron » kept « Mme » in the trainee's name."""
    found = read_row(2, [cell], {"full_name": 0}, now=NOW, bounds=None)
    if name is None:  # a civility and a surname: no first name, refused as before
        assert isinstance(found, list) and found[0].code == "one_word"
    else:
        assert isinstance(found, Row) and found.name == name


def test_every_problem_of_a_line_is_said_with_the_value_as_written() -> None:
    assert codes(
        line("Dupont", "Marie", "", "pas-un-mail", "12", "31/02/2027", "", "", "peut-être")
    ) == [
        ("email_invalid", "email", "pas-un-mail"),
        ("phone_invalid", "phone", "12"),
        ("delegate_unclear", "delegate", "peut-être"),
        ("date_impossible", "entered_on", "31/02/2027"),
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("", "", "Boulangerie"), [("no_name", None, "")]),
        (("1234", ""), [("not_a_name", None, "1234")]),
        # As a typed list refuses them (explorer J): markup, a formula, a first name alone.
        (("<b>Bold</b>", "Ann"), [("not_a_name", None, "Ann <b>Bold</b>")]),
        (('=HYPERLINK("http://x")', "x"), [("not_a_name", None, 'x =HYPERLINK("http://x")')]),
        (("", "SansNom"), [("no_last_name", "first_name", "SansNom")]),
        (("Gaston", ""), [("one_word", None, "Gaston")]),  # a surname alone (explorer L)
        (("王", "伟"), [("unprintable", None, "伟 王")]),  # printed « ? » (explorer AK4)
        (("Martin", "Mme"), [("one_word", None, "Mme Martin")]),  # a civility (explorer M)
        (("Dupont", "Marie", "<i>SARL</i>"), [("company_markup", "company", "<i>SARL</i>")]),
        (("Dupont\x1b[31m", "Marie"), [("unreadable", "last_name", "Dupont\x1b[31m Marie"[:14])]),
        (
            ("Dupont", "Marie", "", "", "", "15/11/2026"),
            [("entry_before_start", "entered_on", "15/11/2026")],
        ),
        (
            ("Dupont", "Marie", "", "", "", "16/06/2027"),
            [("entry_after_end", "entered_on", "16/06/2027")],
        ),
        (
            ("Dupont", "Marie", "", "", "", "10/12/2026", "05/12/2026", "abandon"),
            [("exit_before_entry", "left_on", "05/12/2026")],
        ),
        (
            ("Dupont", "Marie", "", "", "", "", "20/06/2027", "abandon"),
            [("exit_after_end", "left_on", "20/06/2027")],
        ),
        (
            ("Dupont", "Marie", "", "", "", "", "05/01/2027"),
            [("reason_missing", "left_on", "05/01/2027")],
        ),
        (
            ("Dupont", "Marie", "", "", "", "", "05/01/2027", "démission"),
            [("reason_unknown", "exit_reason", "démission")],
        ),
        (
            ("Dupont", "Marie", "", "", "", "", "", "abandon"),
            [("reason_without_exit", "exit_reason", "abandon")],
        ),
    ],
)
def test_each_wrong_line_is_said(
    cells: tuple[Cell, ...], expected: list[tuple[str, str | None, str]]
) -> None:
    found = codes(line(*cells))
    assert [(c, f) for c, f, _ in found] == [(c, f) for c, f, _ in expected]
    if expected[0][0] != "unreadable":
        assert found == expected


def test_a_date_shown_in_a_problem_is_the_day_read_not_excels_number() -> None:
    found = codes(line("Dupont", "Marie", "", "", "", 46300))  # 5 October 2026
    assert found == [("entry_before_start", "entered_on", "05/10/2026")]
