"""The answers of a conversation under way, named in French for /mesdonnees."""

from __future__ import annotations

from bot.app import FEATURES
from bot.privacy.answer_words import answer_key


def test_every_answer_a_step_keeps_has_a_french_name() -> None:
    """Explorer Z, Z12: « title », « kind », « formation_id » in the file a person reads."""
    flows = FEATURES.flows
    flows.load_all()
    unnamed = sorted(
        {
            (step.store, name)
            for name in flows
            for step in flows[name].steps
            if not step.store.startswith("_") and answer_key(step.store).startswith("réponse (")
        }
    )
    assert unnamed == []


def test_a_key_is_named_and_an_unknown_one_never_alone() -> None:
    assert answer_key("title") == "intitulé"
    assert answer_key("confirm_move") == "confirmation"
    assert answer_key("zzz") == "réponse (zzz)"
