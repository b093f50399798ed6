"""The French headers people write, recognised whatever their case, accents and little words."""

from __future__ import annotations

import pytest

from bot.formations.exports import TRAINEE_COLUMNS
from bot.imports.columns import field_of, find_header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nom", "last_name"),
        ("NOM DE FAMILLE", "last_name"),
        ("Nom d'usage", "last_name"),
        ("Prénom", "first_name"),
        ("prenom", "first_name"),
        ("Prénom(s)", "first_name"),
        ("Prénom *", "first_name"),
        ("Nom et prénom", "full_name"),
        ("NOM Prénom", "full_name"),
        ("Stagiaire", "full_name"),
        ("Entreprise", "company"),
        ("Employeur", "company"),
        ("Entreprise d'accueil", "company"),
        ("E-mail", "email"),
        ("email", "email"),
        ("Courriel", "email"),
        ("Adresse e-mail", "email"),
        ("Mail", "email"),
        ("Téléphone", "phone"),
        ("Tél.", "phone"),
        ("Portable", "phone"),
        ("N° de téléphone", "phone"),
        ("Date d'entrée", "entered_on"),
        ("Entrée", "entered_on"),
        ("date entree", "entered_on"),
        ("Date de sortie", "left_on"),
        ("Sortie", "left_on"),
        ("Motif de sortie", "exit_reason"),
        ("Délégué", "delegate"),
        ("Délégué(e)", "delegate"),
        ("DÉLÉGUÉE", "delegate"),
        ("  délégué  ", "delegate"),
        ("Représente les stagiaires", "delegate"),
        ("delegue", "delegate"),
        ("motif_sortie", "exit_reason"),
        ("fin de parcours", "left_on"),
    ],
)
def test_each_variant_names_its_field(header: str, field: str) -> None:
    assert field_of(header) == field


@pytest.mark.parametrize("header", ["Ville", "Code postal", "", "   ", "Observations", None, 12])
def test_other_columns_are_left_aside(header: object) -> None:
    assert field_of(header) is None  # type: ignore[arg-type]


def test_the_header_is_found_below_a_title_and_what_it_leaves_aside_is_said() -> None:
    rows = [
        (1, ["Liste des stagiaires – session de mars"]),
        (2, []),
        (3, ["N°", "NOM", "Prénom", "Ville", "Courriel", "Nom"]),
        (4, [1, "Dupont", "Marie", "Caen", "m@example.org", "doublon"]),
    ]
    header = find_header(rows)
    assert header is not None
    assert header.index == 2
    assert header.columns == {"last_name": 1, "first_name": 2, "email": 4}  # the first « Nom »
    assert header.ignored == ["N°", "Ville"]


def test_no_name_column_is_no_header() -> None:
    assert find_header([(1, ["Prénom", "Entreprise"]), (2, ["Marie", "Boulangerie"])]) is None
    assert find_header([(n, ["x"]) for n in range(1, 12)] + [(12, ["Nom"])]) is None


OLD_TRAINEE_HEADERS = (
    "formation_id",
    "formation",
    "nom",
    "entreprise",
    "delegue",
    "entree",
    "sortie",
    "motif_sortie",
    "fin_parcours",
)
"""The header row of ``formabot export stagiaires`` before its words took their accents."""


def test_a_trainees_export_is_read_the_same_with_its_old_or_new_headers() -> None:
    old = find_header([(1, list(OLD_TRAINEE_HEADERS))])
    new = find_header([(1, list(TRAINEE_COLUMNS))])
    assert old is not None and new is not None
    expected = {
        "last_name": 2,
        "company": 3,
        "delegate": 4,
        "entered_on": 5,
        "left_on": 6,
        "exit_reason": 7,
    }
    assert old.columns == expected
    assert new.columns == expected | {"email": 9, "phone": 10}
    # The journal's number goes back in as nothing (explorer KC4): no name read from it.
    assert new.ignored == ["identifiant de la formation", "formation", "identifiant de stagiaire"]
