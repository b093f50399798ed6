"""The lines of a pasted trainee list, read without the dialogue around them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.conversations.formations.trainee_lines import (
    CUT_NEAR,
    CUT_TAIL,
    WrongLines,
    keep_tail,
    parse_trainee_lines,
    rejoined,
)
from bot.formations.labels import name_key

NOW = datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Europe/Paris"))
WITHIN = (date(2026, 11, 2), date(2027, 3, 26))


@pytest.mark.parametrize(
    ("typed", "company", "entry"),
    [
        ("Karim Benali ; ; 2 nov", None, "2026-11-02"),
        ("Karim Benali ; Boulangerie du Port ; 02/11", "Boulangerie du Port", "2026-11-02"),
        ("Karim Benali ; 1er décembre 2026 ; Garage Roy", "Garage Roy", "2026-12-01"),
        ("Karim Benali ; le 3 mars", None, "2027-03-03"),
        ("Karim Benali ; Hôtel du 14 juillet", "Hôtel du 14 juillet", None),
        ("Karim Benali ; Garage Roy ; entrée le 8 décembre", "Garage Roy", "2026-12-08"),
    ],
)
def test_a_part_that_is_only_a_day_is_the_entry(
    typed: str, company: str | None, entry: str | None
) -> None:
    (line,) = parse_trainee_lines(typed, now=NOW, within=WITHIN)  # type: ignore[misc]
    assert (line["name"], line["company"], line["entered_on"]) == ("Karim Benali", company, entry)


def test_a_bare_day_outside_the_formation_is_a_wrong_line_said_with_its_number() -> None:
    found = parse_trainee_lines("Léa Martin\nKarim Benali ; 3/3/2030", now=NOW, within=WITHIN)
    assert isinstance(found, WrongLines)
    assert found.message.startswith("Ligne 2 : l'entrée le dimanche 3 mars 2030 tombe hors")


def test_a_line_cut_by_the_chat_is_put_back_together() -> None:
    """Explorer AC14: the next part's first line ends the last line of a long part."""
    data: dict[str, object] = {}
    keep_tail(data, "Anne Petit ; Boulangerie\n" * 10)
    assert CUT_TAIL not in data  # too short to have been cut
    keep_tail(data, "x" * CUT_NEAR + "\nBruno Petit ; Entreprise")
    assert data[CUT_TAIL] == "Bruno Petit ; Entreprise"
    assert rejoined(data[CUT_TAIL], "Petit\nChloé Roux") == (
        "Bruno Petit ; Entreprise Petit\nChloé Roux",
        name_key("Bruno Petit"),
    )
    assert rejoined("Bruno", "Petit ; Entreprise") is None  # no trainee before: nothing cut
    # A first line that is a trainee of its own: cut between two lines, nothing joined.
    assert rejoined("Bruno Petit ; Entreprise", "Chloé Roux\nDenis Blanc") is None
    assert rejoined(None, "Petit") is None


def test_cells_copied_from_a_spreadsheet_are_the_name_and_what_follows_it() -> None:
    """Explorer DG1: rows copied from Excel (tabs between cells) were « ne ressemble pas à
    un nom », the whole list dropped."""
    found = parse_trainee_lines(
        "Léa Martin\tSARL Propre\tlea.martin@free.fr\nKarim Benali\t\tkarim@example.org",
        now=NOW,
        within=WITHIN,
    )
    assert not isinstance(found, WrongLines)
    assert [(t["name"], t["company"], t["email"]) for t in found] == [
        ("Léa Martin", "SARL Propre", "lea.martin@free.fr"),
        ("Karim Benali", None, "karim@example.org"),
    ]


def test_a_line_refused_says_how_to_separate_and_is_quoted_cut_with_an_ellipsis() -> None:
    """Explorer DG1, DG2: no word of « ; », and « … marie.dupont@gmail.c » cut mid-word."""
    found = parse_trainee_lines(
        "DUPONT Marie - Boulangerie Martin - marie.dupont@gmail.com", now=NOW, within=WITHIN
    )
    assert isinstance(found, WrongLines)
    assert "« DUPONT Marie - Boulangerie Martin - mar… »" in found.message
    assert "se sépare du nom par « ; »" in found.message


def test_a_one_line_answer_is_refused_without_its_line_number() -> None:
    """Explorer DG14: « Ligne 1 : « mme aubert » seul ne suffit pas » at a question of one name."""
    found = parse_trainee_lines("mme aubert", now=NOW, within=WITHIN)
    assert isinstance(found, WrongLines)
    assert found.message.startswith("« mme aubert » seul ne suffit pas")
    two = parse_trainee_lines("mme aubert\nLéa Martin", now=NOW, within=WITHIN)
    assert isinstance(two, WrongLines) and two.message.startswith("Ligne 1 : « mme aubert »")


def test_a_company_pasted_with_bidi_marks_is_kept_without_them_and_a_long_one_refused() -> None:
    """Explorer EC1: « *Cie* & _Fils_ \\u202eevil\\u202c » left Hugo with no company, unsaid."""
    [hugo] = parse_trainee_lines("Hugo Moreau ; *Cie* & _Fils_ \u202eevil\u202c")
    assert hugo["company"] == "*Cie* & _Fils_ evil"
    refused = parse_trainee_lines("Hugo Moreau ; " + "Boulangerie " * 12)
    assert isinstance(refused, WrongLines) and "Je ne sais pas où mettre" in refused.message
