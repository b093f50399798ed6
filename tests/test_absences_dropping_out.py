"""Reading a trainee who stops coming: « Inès a pas donné de nouvelles depuis lundi »."""

from __future__ import annotations

import pytest

from bot.absences.dropping_out import (
    read_contact,
    read_dropping_out,
    read_interview,
    read_partner_contact,
)


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("ines a pas donné de nouvelles depuis lundi", "ines"),
        ("Inès n'a pas donné de nouvelles depuis lundi", "Inès"),
        ("sarah a pas donné de nouvelles depuis vendredi", "sarah"),
        ("Karim ne donne plus de nouvelles", "Karim"),
        ("karim n'a plus donné signe de vie", "karim"),
        ("Julie pas de nouvelles depuis lundi", "Julie"),
        ("pas de nouvelles de Karim Benali depuis lundi", "Karim Benali"),
        ("toujours aucune nouvelle d'Inès", "Inès"),
        ("Karim ne vient plus", "Karim"),
        ("hugo vient plus", "hugo"),
        ("Thomas ne répond plus", "Thomas"),
        ("thomas repond pas au tel", "thomas"),
        ("Nadia décroche", "Nadia"),
        ("nadia a décroché", "nadia"),
        ("Léa injoignable depuis jeudi", "Léa"),
        ("julie pas là depuis 3 jours", "julie"),
    ],
)
def test_a_trainee_drifting_away_is_named(typed: str, who: str) -> None:
    assert read_dropping_out(typed) == who


@pytest.mark.parametrize(
    "typed",
    [
        "il ne vient plus",
        "je ne vient plus",
        "j'ai un stagiaire qui ne vient plus",
        "Karim absent hier",
        "pas de nouvelles",
        "Karim a donné de ses nouvelles",
        "Karim\nne vient plus",
    ],
)
def test_what_names_no_one_drifting_away_is_not_read(typed: str) -> None:
    assert read_dropping_out(typed) is None


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("g appelé karim il revient lundi", "karim"),
        ("j'ai appelé Karim Benali, il revient lundi", "Karim Benali"),
        ("jai appele karim", "karim"),
        ("j'ai eu Julie au tel", "Julie"),
        ("j'ai écrit à Inès pour lui dire", "Inès"),
        ("Karim m'a rappelé", "Karim"),
        ("julie a enfin répondu ce matin", "julie"),
        ("j'ai appelé Mme Leroy", "Leroy"),  # a title: the surname (LB2)
        ("j'ai eu M. Benali au téléphone", "Benali"),
        ("j'ai eu Monsieur Benali", "Benali"),
        ("Mlle Petit m'a rappelé", "Petit"),
        ("j'ai eu Mathis au tel", "Mathis"),  # « M » only as a word of its own
    ],
)
def test_a_contact_with_a_trainee_is_named(typed: str, who: str) -> None:
    """Explorer KF2: read as /appel, the roll call, for its stem « appel »."""
    assert read_contact(typed) == who


@pytest.mark.parametrize(
    "typed",
    [
        *("j'ai appelé la mission locale", "j'ai eu un souci", "j'ai appelé le 06"),
        *("faire l'appel", "Julie a répondu ?"),
    ],
)
def test_a_call_to_no_one_named_is_not_read(typed: str) -> None:
    assert read_contact(typed) is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("j'ai eu France Travail au tel", ("France Travail", None)),
        ("j'ai appelé la mission locale", ("mission locale", None)),
        ("j'ai eu l'employeur de Karim", ("employeur", "Karim")),
        ("j'ai appelé la tutrice de Julie Petit hier", ("tutrice", "Julie Petit")),
        ("j'ai eu le père d'Inès", ("père", "Inès")),
        ("j'ai appelé Karim", None),
        ("j'ai eu l'employeur ?", None),
    ],
)
def test_a_call_to_a_partner_is_no_trainee_s_name(
    typed: str, said: tuple[str, str | None] | None
) -> None:
    """Explorer LB2: « France Travail » was looked up among the trainees."""
    assert read_partner_contact(typed) == said
    assert said is None or read_contact(typed) is None


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("faut faire l entretien de karim", "karim"),
        ("entretien karim demain 10h", "karim"),
        ("programmer un entretien avec Julie Petit jeudi", "Julie Petit"),
        ("l'entretien d'Inès", "Inès"),
        ("entretien individuel de karim à faire", "karim"),
    ],
)
def test_a_trainee_s_entretien_is_named(typed: str, who: str) -> None:
    """Explorer KF3: /suivi, which only shows, was offered."""
    assert read_interview(typed) == who


@pytest.mark.parametrize("typed", ["c quoi un entretien", "comment je fais un entretien ?"])
def test_an_entretien_of_no_one_named_is_not_read(typed: str) -> None:
    assert read_interview(typed) is None
