"""Health in what people write, pointed out once before it is kept."""

from __future__ import annotations

import pytest

from bot.privacy.health import (
    HEALTH,
    MEDICAL_DETAIL,
    SAID,
    keeping_explicitly,
    kept,
    point_out_once,
    refusing,
    said_digest,
)


@pytest.mark.parametrize(
    "typed",
    [
        "arrêt maladie, gastro",
        "son traitement contre la dépression",
        "Migraine",
        "opérée du genou",
        "GRIPPE",
        "enceinte",
    ],
)
def test_a_diagnosis_or_a_treatment_is_a_medical_detail(typed: str) -> None:
    assert point_out_once({}, typed, MEDICAL_DETAIL)


@pytest.mark.parametrize(
    "typed",
    ["arrêt maladie", "raison de santé", "rendez-vous médical", "convocation France Travail"],
)
def test_a_motive_s_category_is_no_medical_detail_but_speaks_of_health(typed: str) -> None:
    """« arrêt maladie » is the motive the absence's question itself offers; the Région,
    which reads a participant's reason, needs not even that."""
    assert not point_out_once({}, typed, MEDICAL_DETAIL)
    assert point_out_once({}, typed, HEALTH) is (typed != "convocation France Travail")


def test_it_is_said_once_then_kept_when_sent_again_unchanged() -> None:
    data: dict[str, object] = {}
    assert point_out_once(data, "arrêt maladie, gastro", MEDICAL_DETAIL)
    assert data[SAID] == said_digest("arrêt maladie, gastro")  # never the words (ZA18)
    assert "gastro" not in str(data[SAID])
    assert not point_out_once(data, "Arrêt maladie, gastro", MEDICAL_DETAIL)  # the same, kept
    assert point_out_once(data, "gastro-entérite", MEDICAL_DETAIL)  # another one: said
    assert not point_out_once(data, "empêchement", MEDICAL_DETAIL)


@pytest.mark.parametrize("agreeing", ["oui", "OK", "je la garde", "telle quelle", "c'est bon"])
def test_agreeing_to_the_warning_keeps_the_answer_pointed_out(agreeing: str) -> None:
    """Explorer AK7: « oui » after the warning had become the answer itself."""
    data: dict[str, object] = {}
    assert kept(data, "arrêt maladie, gastro", MEDICAL_DETAIL) is None
    assert kept(data, agreeing, MEDICAL_DETAIL) == "arrêt maladie, gastro"


def test_agreeing_keeps_only_right_after_the_warning() -> None:
    data: dict[str, object] = {}
    assert kept(data, "arrêt maladie, gastro", MEDICAL_DETAIL) is None
    assert kept(data, "arrêt maladie", MEDICAL_DETAIL) == "arrêt maladie"  # corrected
    assert kept(data, "oui", MEDICAL_DETAIL) == "oui"  # a later answer is only itself


@pytest.mark.parametrize(
    "correcting", ["ok je corrige", "non merci", "pardon", "D'accord, je corrige"]
)
def test_saying_a_correction_comes_is_no_answer(correcting: str) -> None:
    """Explorer AN9: « ok je corrige » was stored as the motive."""
    data: dict[str, object] = {}
    assert kept(data, "arrêt maladie, gastro", MEDICAL_DETAIL) is None
    assert kept(data, correcting, MEDICAL_DETAIL) is None  # asked again
    assert kept(data, "arrêt maladie", MEDICAL_DETAIL) == "arrêt maladie"


@pytest.mark.parametrize(
    ("typed", "health"),
    [
        ("parti à 14h30, urgence", False),
        ("une urgence familiale", False),
        ("urgence professionnelle", False),
        ("soins à un proche", False),
        ("j'étais aux urgences", True),
        ("urgence médicale", True),
    ],
)
def test_an_urgence_or_soins_alone_is_no_word_of_health(typed: str, health: bool) -> None:
    """Explorer HB8: « parti à 14h30, urgence » was answered « Votre réponse parle de santé »;
    an urgence is as often a family's or a job's. The emergency ward still is health."""
    assert point_out_once({}, typed, HEALTH) is health


@pytest.mark.parametrize(
    ("typed", "health"),
    [
        ("soins médicaux", True),
        ("soins dentaires", True),
        ("Soins infirmiers à domicile", True),
        ("frais médicaux", True),
        ("urgences", True),
        ("Urgences de Rouen", True),
        ("urgences pédiatriques avec mon fils", True),
        ("passé à l'urgence", True),
        ("urgence vitale", True),
        ("parti à 14h30, urgence", False),
        ("soins à un proche", False),
        ("des urgences familiales", False),
        ("urgences professionnelles à gérer", False),
    ],
)
def test_the_ward_and_medical_soins_stay_words_of_health(typed: str, health: bool) -> None:
    """Explorer JB8: dropping « soins » and « urgence » alone (HB8) had dropped « soins
    médicaux », « soins dentaires », « urgences » (the ward) and « urgences pédiatriques »
    too: a reason sent to the Région without the one warning."""
    assert point_out_once({}, typed, HEALTH) is health


@pytest.mark.parametrize(
    ("typed", "health"),
    [
        ("j'ai dû parer à l'urgence", False),
        ("faire face à l'urgence d'un dossier", False),
        ("il fallait répondre à l'urgence", False),
        ("urgences pro", False),
        ("urgences perso", False),
        ("urgences client à gérer", False),
        ("plusieurs urgences ce jour-là", False),
        ("passé à l'urgence", True),
        ("aux urgences", True),
        ("je travaillais aux urgences", True),
        ("urgences de Rouen", True),
    ],
)
def test_an_urgence_to_face_or_a_job_s_urgences_are_no_word_of_health(
    typed: str, health: bool
) -> None:
    """Explorer KA5: « faire face à l'urgence d'un dossier », « urgences pro » got « Si votre
    réponse parle de santé … » and nothing was saved: « à l'urgence » was matched anywhere,
    and only the long words after « urgences » (« professionnelles ») were known."""
    assert point_out_once({}, typed, HEALTH) is health


@pytest.mark.parametrize(
    "keeping",
    ["je le garde tel quel", "je vous le renvoie tel quel", "Transmettez-le quand même"],
)
def test_keeping_in_a_sentence_keeps_the_answer_pointed_out(keeping: str) -> None:
    """Explorer MA7: « je le garde tel quel » (the warning says « renvoyez-le tel quel »)
    became the answer itself; « merci » or « je corrige » still keep nothing."""
    data: dict[str, object] = {}
    assert kept(data, "arrêt maladie, gastro", MEDICAL_DETAIL) is None
    assert kept(data, keeping, MEDICAL_DETAIL) == "arrêt maladie, gastro"
    assert kept(data, "merci", MEDICAL_DETAIL) == "merci"  # no warning pending: itself


@pytest.mark.parametrize(
    ("typed", "health"),
    [
        ("Bonne année et bonne santé à toute l'équipe !", False),
        ("Bonne santé à tous", False),
        ("à votre santé !", False),
        ("j'ai dû partir pour une opération de maintenance au travail", False),
        ("une opération commerciale au magasin", False),
        ("l'opération portes ouvertes de l'entreprise", False),
        ("raison de santé", True),
        ("un problème de santé", True),
        ("je n'étais pas en bonne santé", True),
        ("opération du genou", True),
        ("une opération la semaine dernière", True),
        ("ma séance de chimiothérapie", True),
        ("aux urgences", True),
        ("soins médicaux", True),
    ],
)
def test_a_new_year_wish_or_a_work_operation_is_no_word_of_health(typed: str, health: bool) -> None:
    """Explorer MA8: « Bonne année et bonne santé à toute l'équipe ! » and « une opération de
    maintenance » written before attesting got the health warning (a paragraph on health
    data in the Région's dossier for a greeting); the message was then dropped."""
    assert point_out_once({}, typed, HEALTH) is health
    assert point_out_once({}, "opération de maintenance", MEDICAL_DETAIL) is False


@pytest.mark.parametrize(
    ("typed", "keeps", "refuses"),
    [
        ("oui", False, False),
        ("ok", False, False),
        ("tel quel", True, False),
        ("oui vous pouvez le transmettre", True, False),
        ("oui transmettez-le à Camille", True, False),
        ("c'est bon vous pouvez le garder", True, False),
        ("oui tel quel s'il vous plaît", True, False),
        ("ne le transmettez pas", False, True),
        ("non supprimez ce message svp", False, True),
        ("non", False, True),
        ("je laisse tomber", False, True),
        ("oui je l'atteste", False, False),
        ("je suis partie à 15 h pour un rendez-vous personnel", False, False),
    ],
)
def test_a_reply_to_the_warning_keeps_or_drops_only_when_it_says_so(
    typed: str, keeps: bool, refuses: bool
) -> None:
    """Explorer MB3, MB9: only an explicit keep keeps the words pointed out, an explicit
    refusal drops them; « oui » alone is neither (at the oath, it is the oath)."""
    assert (keeping_explicitly(typed, "Camille Durand"), refusing(typed)) == (keeps, refuses)
