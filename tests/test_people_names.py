"""What a typed name must look like, with the re-ask when it does not."""

from __future__ import annotations

import pytest

from bot.answers import Invalid
from bot.people.names import (
    as_written,
    bare_name,
    current_structure,
    name_and_structure,
    names_a_structure,
    organisation_name,
    person_name,
    reads_like_a_name,
    several_names,
    structure_name,
)


def test_a_person_s_name_needs_letters_and_one_line() -> None:
    assert person_name("  Claire   Martin ", example="Claire Martin") == "Claire Martin"
    refused = person_name("1234", example="Mme Sophie Leroy")
    assert isinstance(refused, Invalid) and "« Mme Sophie Leroy »" in refused.message
    assert isinstance(person_name("", example="x"), Invalid)
    assert isinstance(person_name("a" * 101, example="x"), Invalid)
    assert isinstance(person_name("Zoé\x1b[31m", example="x"), Invalid)


def test_a_name_the_documents_cannot_print_is_refused_as_a_trainee_s_is() -> None:
    """Fixer KD (explorer DC5's ideographs): a partner, a participant or one's own name in
    ideographs (« 王芳 ») was taken, printed « ? » on the attestation and the agenda and
    « participant » in its proof's file name, where a trainee's is refused (explorer AK4)."""
    refused = person_name("王芳", example="M. Karim Haddad")
    assert isinstance(refused, Invalid)
    assert refused.message == (
        "« 王芳 » contient des lettres que les documents (attestations, comptes rendus, "
        "ordres du jour) ne peuvent pas imprimer (王芳) : écrivez ce nom en lettres latines, "
        "par exemple « M. Karim Haddad »."
    )
    assert person_name("Иван Петров", example="x") == "Иван Петров"  # printed as typed
    assert person_name("𝔐𝔞𝔯𝔦𝔢 𝔇𝔲𝔭𝔬𝔫𝔱", example="x") == "Marie Dupont"  # its letters


@pytest.mark.parametrize("typed", ["Mme", "M.", "Madame", "monsieur ", "Mlle", "mme."])
def test_a_civility_alone_is_no_name(typed: str) -> None:
    """Explorer AD5: « Mme » as the chargée de mission gave « Bonjour Mme, » to the Région."""
    refused = person_name(typed, example="Mme Sophie Leroy")
    assert isinstance(refused, Invalid)
    assert refused.message == (
        f"« {typed.strip()} » seul ne suffit pas : écrivez aussi le nom, par exemple "
        "« Mme Sophie Leroy »."
    )
    assert person_name(f"{typed} Leroy", example="x") != refused


def test_an_organisation_s_name_has_two_characters_and_letters() -> None:
    assert organisation_name("Forma Plus") == "Forma Plus"
    for bad in ("F", "42", "", "x" * 121):
        assert isinstance(organisation_name(bad), Invalid), bad
    # Printed on every attestation: no markup nor emoji (explorer J), the usual signs kept.
    for good in ("Forma+ (Rouen)", "AFPA – Caen", "L’École du Bois", "CIDFF 14", "A & B"):
        assert organisation_name(good) == good
    for bad in ("<b>Org</b> & Cie", "Org 😀", "Org {x}"):
        refused = organisation_name(bad)
        assert isinstance(refused, Invalid) and "sans emoji ni balise" in refused.message


def test_what_a_novice_says_to_a_bot_is_no_name() -> None:
    """Outside test C, defect 1: these became the name on a sworn attestation."""
    for said in (
        "je comprends pas",
        "bonjour",
        "c quoi ce truc",
        "?",
        "aide",
        "ok",
        "Je suis arrivé en retard",
        "C'est moi",
        "qu'est-ce que je dois faire",
        "Léa Martin 2",
        "Léa Martin, déléguée des stagiaires de la formation cuisine de Caen",
        "<b>Léa</b>",
    ):
        refused = person_name(said, example="Claire Dubois")
        assert isinstance(refused, Invalid), said
        assert "Claire Dubois" in refused.message
    own = person_name("bonjour", example="x", unclear="Il me faut votre prénom et votre nom.")
    assert isinstance(own, Invalid) and own.message == "Il me faut votre prénom et votre nom."


@pytest.mark.parametrize(
    "said",
    [
        *("pas le temps", "mot de passe", "bonne soirée", "Bonne journée", "pas encore"),
        *("déjà fait", "en attente", "erreur de lien", "ça marche", "à demain"),
    ],
)
def test_a_fragment_of_a_sentence_is_no_name(said: str) -> None:
    """Explorer SB9: « pas le temps », « mot de passe », « bonne soirée » at the attestation's
    name question were offered as names to swear under: a negation, an adverb of time, a
    wish, the link's own words are in no one's name."""
    assert isinstance(person_name(said, example="Claire Dubois"), Invalid), said


def test_names_with_particles_initials_and_short_surnames_are_names() -> None:
    for name in (
        "Jean-Pierre de La Tour d'Auvergne",
        "J.-P. Martin",
        "N'Diaye Moussa",
        "M'Bappé Kylian",
        "O'Neill Sean",
        "Ou Yang",
        "Ma Li",
        "Martin, Léa",
        "Mme Sophie Leroy",
        "Hugo",
    ):
        assert person_name(name, example="x") == name, name
        assert reads_like_a_name(name), name


def test_a_structure_may_hold_digits_and_signs_but_is_no_sentence() -> None:
    for name in ("Mission locale du Pas-de-Calais", "CIDFF 14", "France Travail Caen Est"):
        assert structure_name(name, unclear="non") == name
    for said in ("Je suis arrivé en retard", "bonjour", "?", "x", "c'est quoi"):
        refused = structure_name(said, unclear="Le nom de la structure, s'il vous plaît.")
        assert isinstance(refused, Invalid) and refused.message.startswith("Le nom"), said


@pytest.mark.parametrize(
    "typed", ["<b>CIDFF</b>", '=HYPERLINK("http://x")', "+33 Mission", "Mission locale 🎉", "{x}"]
)
def test_a_structure_is_printed_as_typed_so_takes_no_markup_formula_nor_emoji(typed: str) -> None:
    """Explorer DF6: a partner's « =HYPERLINK(…) » and « Mission locale 🎉 » went onto the
    feuille d'émargement (the emoji printed as nothing) and into the sworn text."""
    refused = structure_name(typed, unclear="Le nom de la structure, s'il vous plaît.")
    assert isinstance(refused, Invalid)
    assert refused.message.startswith("Ce nom est imprimé tel quel sur les attestations")


def test_several_lines_are_no_name_nor_structure() -> None:
    """Explorer U U3: a list pasted at a name question went in as one name."""
    refused = person_name("Anne Un\nBob Deux\n\nCyril Trois", example="Mme Sophie Leroy")
    assert isinstance(refused, Invalid)
    assert refused.message.startswith("Vous avez envoyé 3 lignes")
    assert "Mme Sophie Leroy" in refused.message
    assert person_name("  Sophie Leroy\n\n", example="x") == "Sophie Leroy"  # one line
    assert isinstance(structure_name("CIDFF 14\nMission locale", unclear="non"), Invalid)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("sophie lemaitre", "Sophie Lemaitre"),
        ("mme Hélène Roussel", "Mme Hélène Roussel"),
        ("m. paul martin", "M. Paul Martin"),
        ("JEAN-PIERRE N'DIAYE", "Jean-Pierre N'Diaye"),
        ("marie de la tour", "Marie de la Tour"),
        ("jeanne d'arc", "Jeanne d'Arc"),
        ("McDonald Paul", "McDonald Paul"),  # the person's own spelling, kept
        ("DUPONT Marie", "DUPONT Marie"),
    ],
)
def test_a_name_typed_in_one_case_is_written_as_on_a_document(typed: str, written: str) -> None:
    """Explorer Z, Z9: « sophie lemaitre », « mme Hélène Roussel » were printed as typed on
    every invitation and sworn attestation."""
    assert as_written(typed) == written


def test_a_name_is_the_same_person_whatever_its_civility_case_accents_or_order() -> None:
    """Explorer Y, Y6: « Benali Karim » passed for someone other than Karim Benali."""
    assert bare_name("Benali Karim") == bare_name("M. Karim BENALI") == bare_name("karim benali")
    assert bare_name("Karim Benali") != bare_name("Karim Benamar")


def test_several_names_are_told_from_a_surname_then_a_first_name() -> None:
    assert several_names("Karim Benali, Léa Martin")
    assert several_names("Mission locale de Caen, Julie Vasseur")
    assert not several_names("DUPONT, Marie") and not several_names("Julie Vasseur")


def test_a_structure_is_told_from_a_name_and_pole_emploi_is_france_travail() -> None:
    """Explorer AD14."""
    for structure in ("Pôle emploi", "pole-emploi Caen", "Mission locale de Caen", "CIDFF 14"):
        assert names_a_structure(structure), structure
    for person in ("M. Karim Haddad", "Agnès Centre", "Apolline Martin", "Julie Vasseur"):
        assert not names_a_structure(person), person
    assert current_structure("Pôle emploi Caen") == "France Travail Caen"
    assert current_structure("POLE-EMPLOI") == "France Travail"


def test_a_structure_typed_after_a_person_s_name_is_told_apart() -> None:
    """Explorer DG9: « mme durand pole emploi caen » was printed as a five-word name."""
    assert name_and_structure("Mme Durand Pole Emploi Caen") == ("Mme Durand", "Pole Emploi Caen")
    assert name_and_structure("Julie Vasseur Mission locale de Caen") == (
        "Julie Vasseur",
        "Mission locale de Caen",
    )
    for person in ("M. Karim Haddad", "Agnès Centre", "Marie Greta", "Julie Vasseur"):
        assert name_and_structure(person) is None, person
    assert current_structure("Mission locale de Caen") == "Mission locale de Caen"
