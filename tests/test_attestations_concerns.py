"""What the trainer must look at before an answer counts (bot/attestations/concerns.py)."""

from __future__ import annotations

from bot.attestations.concerns import concerns_of, reserves
from bot.storage.attestations import Attestation, AttestationReview


def typed(
    name_matches: bool, answer: str = "attested", *, version: int = 1, id: int = 7
) -> Attestation:
    return Attestation(
        id=id,
        participant_id=1,
        version=version,
        answer=answer,
        name_matches=name_matches,
        role_matches=True,
        platform="console",
        chat_user_id="lea",
    )


def test_a_name_other_than_the_invited_one_awaits_the_trainer_until_validated() -> None:
    """Outside test C, defect 1: `nom_conforme: false` yet `à_vérifier: []`, `complet`."""
    assert concerns_of(typed(True), [], [], []) == ()
    assert concerns_of(typed(False), [], [], []) == ("name",)
    # A refusal typed under another name accounts for nobody either.
    assert concerns_of(typed(False, "declined"), [], [], []) == ("name",)
    validated = AttestationReview(attestation_id=7, concern="name", decision="validated")
    assert concerns_of(typed(False), [], [], [validated]) == ()


def test_an_attestation_after_a_refusal_awaits_the_trainer_unless_the_refusal_was_set_aside() -> (
    None
):
    """Explorer W, W5: « Arrêt maladie ce jour-là », then ✅ and a complete file."""
    refused = typed(True, "declined", version=1, id=6)
    attested = typed(True, version=2)
    assert concerns_of(attested, [refused, attested], [], []) == ("reversal",)
    assert concerns_of(refused, [refused], [], []) == ()  # a refusal is no reversal
    # The refusal the trainer set aside (someone else's) is not held against her.
    set_aside = AttestationReview(attestation_id=6, concern="identity", decision="rejected")
    assert concerns_of(attested, [refused, attested], [], [set_aside]) == ()
    validated = AttestationReview(attestation_id=7, concern="reversal", decision="validated")
    assert concerns_of(attested, [refused, attested], [], [validated]) == ()


def test_an_account_that_attested_a_simultaneous_bilan_for_someone_else_is_flagged() -> None:
    """Explorer W, W6; a refusal from that account says nothing of where it was."""
    elsewhere = frozenset({("console", "lea")})
    assert concerns_of(typed(True), [], [], [], elsewhere) == ("elsewhere",)
    assert concerns_of(typed(True, "declined"), [], [], [], elsewhere) == ()
    assert concerns_of(typed(True), [], [], [], frozenset({("telegram", "lea")})) == ()


def test_a_concern_weighed_for_an_earlier_answer_of_the_same_account_is_no_news() -> None:
    """Explorer DB6: after the trainer validated Léa's attestation that followed her
    declaration, the same confirmation again from her account made the dossier
    incomplete for the same concern."""
    refused = typed(True, "declined", version=1, id=6)
    attested = typed(True, version=2, id=7)
    again = typed(True, version=3, id=8)
    validated = AttestationReview(attestation_id=7, concern="reversal", decision="validated")
    history = [refused, attested, again]
    assert concerns_of(again, history, [], [validated]) == ()
    assert concerns_of(again, history, [], []) == ("reversal",)  # weighed by nobody yet
    elsewhere = typed(True, version=3, id=9)
    elsewhere.chat_user_id = "someone-else"  # another account: weighed anew
    assert "reversal" in concerns_of(elsewhere, [refused, attested, elsewhere], [], [validated])


def test_words_written_before_attesting_await_the_trainer_until_validated() -> None:
    """Explorer GB5: « oui mais je suis partie à midi », then « OUI !!! », counted unflagged;
    words before a declaration of non-participation contradict nothing."""
    attested = typed(True)
    attested.words_before = "oui mais je suis partie à midi"
    assert concerns_of(attested, [], [], []) == ("reserve",)
    declined = typed(True, "declined")
    declined.words_before = "je ne pouvais pas me connecter"
    assert concerns_of(declined, [], [], []) == ()
    validated = AttestationReview(attestation_id=7, concern="reserve", decision="validated")
    assert concerns_of(attested, [], [], [validated]) == ()


def test_only_words_that_may_take_the_oath_back_are_a_reserve() -> None:
    """Explorer IA3: thanks and confirmation held the oath back like a reservation."""
    for said in (
        "Bonjour, merci pour ce bilan très intéressant",
        "oui j'ai bien participé au bilan",
        "c'est bien moi Hugo Moreau",
        None,
        "",
    ):
        assert not reserves(said, "Hugo Moreau"), said
    for said in (
        "oui mais je suis partie à midi",
        "je n'étais là que la première heure",
        "merci, j'ai eu des soucis de connexion",
        "j'ai participé à la moitié",
    ):
        assert reserves(said, "Hugo Moreau"), said


def test_a_role_confirmed_is_no_reserve() -> None:
    """Explorer JB5: « oui je suis bien le délégué de la formation », written before the
    oath, held it back (« ❔ … ne compte pas tant que vous ne l'avez pas examinée »)."""
    for said in (
        "oui je suis bien le délégué de la formation",
        "oui, c'est moi le délégué du groupe",
        "je suis la déléguée des stagiaires",
        "représentante des stagiaires de la promo",
        "je suis partenaire",
    ):
        assert not reserves(said, "Hugo Moreau"), said
    for said in (
        "je ne suis plus délégué depuis lundi",
        "délégué mais je suis partie à midi",
    ):
        assert reserves(said, "Hugo Moreau"), said


def test_another_role_than_the_one_sworn_is_a_reserve() -> None:
    """Explorer KA6: « j'ai participé comme stagiaire » written before swearing to represent
    the stagiaires counted at once (✅): the role words, added for the role question, were no
    reserve whatever role they named. Only the role sworn is confirmed by them."""
    for said in (
        "j'ai participé comme stagiaire",
        "fait comme stagiaire de la session",
        "je suis partenaire",
    ):
        assert reserves(said, "Hugo Moreau", "delegate"), said
    assert reserves("je suis le délégué", "Hugo Moreau", "partner")
    for said, role in (
        ("oui je suis bien le délégué de la formation", "delegate"),
        ("je suis la déléguée des stagiaires", "delegate"),
        ("je suis partenaire", "partner"),
        ("je suis bien stagiaire de la formation", "trainee"),
    ):
        assert not reserves(said, "Hugo Moreau", role), said
