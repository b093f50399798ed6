"""Her answer read from what she types, and as /bilans shows it (bot/bilans/cm_answers.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.bilans.cm_answers import (
    ANSWERS,
    answer_choices,
    answer_in_sentence,
    answer_line,
    answer_of,
)
from bot.storage.bilans import Bilan
from bot.storage.formations import Formation

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1", "confirmed"),
        (" 1. ", "confirmed"),
        ("JE CONFIRME MA PRÉSENCE", "confirmed"),
        ("C'est noté !", "confirmed"),
        ("2", "other_date"),
        ("Une autre date", "other_date"),
        ("3", "cannot"),
        ("Empêchée.", "cannot"),
        ("je ne pourrai pas venir", "cannot"),
        ("Je ne pourrai pas venir, désolée.", "cannot"),  # explorer AG5
        ("Bonjour Madame, je serai présente. Cordialement", "confirmed"),
        ("Bonjour", None),
        ("Merci", None),
        ("1 question : faut-il un ordinateur ?", None),
        ("je propose le 15 à 10 h", None),
        ("4", None),
        ("", None),
        ("x" * 10_000, None),
        ("<b>1</b>", None),
        # Explorer BE14: a question is passed on as a message, never her answer.
        ("je serai là ?", None),
        ("OK ?", None),
        ("d'accord ?", None),
        ("présente ?", None),
        ("Je confirme ？", None),
        ("1 ?", None),
    ],
)
def test_her_words_give_her_answer_or_none(typed: str, code: str | None) -> None:
    assert answer_of(typed) == code


def test_the_choices_are_numbered_in_the_order_of_the_answers() -> None:
    assert [c.label for c in answer_choices()] == list(ANSWERS.values())
    assert [c.data for c in answer_choices()] == ["cm:confirmed", "cm:other_date", "cm:cannot"]


def _bilan(**answer: object) -> tuple[Bilan, Formation]:
    formation = Formation(
        title="F",
        cm_name="Mme Sophie Leroy",
        cm_matrix="@sophie:tchap.example",
        start_date=date(2026, 9, 1),
        end_date=date(2027, 3, 1),
    )
    bilan = Bilan(kind="fin", sequence=1, starts_at=datetime(2026, 12, 10, 13, tzinfo=UTC))
    for key, value in answer.items():
        setattr(bilan, key, value)
    return bilan, formation


def test_the_answer_counts_for_its_version_only_and_says_when() -> None:
    answered = {
        "cm_answer": "other_date",
        "cm_answer_sequence": 1,
        "cm_answered_at": datetime(2026, 12, 3, 8, 30, tzinfo=UTC),
        "cm_proposed_at": datetime(2026, 12, 15, 9, 0, tzinfo=UTC),
        "cm_note": "Le jeudi, je suis en commission.",
    }
    line = answer_line(*_bilan(**answered), PARIS)
    assert line is not None
    assert (line.name, line.answer, line.day) == ("Mme Sophie Leroy", "other_date", "3 décembre")
    assert line.proposed == "mardi 15 décembre 2026 à 10 h 00"
    moved = answer_line(*_bilan(**{**answered, "cm_answer_sequence": 0}), PARIS)
    assert moved is not None and moved.answer is None  # to the old date: not yet answered
    bilan, formation = _bilan(**answered)
    formation.cm_matrix = None
    assert answer_line(bilan, formation, PARIS) is None  # she cannot answer through the bot


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Je serai présente le 15. Cordialement", "confirmed"),
        ("Très bien, je serai présente.", "confirmed"),
        ("Parfait, merci, je confirme.", "confirmed"),
        ("Je ne serai pas disponible le 15, désolée", "cannot"),
        ("Je ne serai pas là", "cannot"),
        ("je ne pourrai pas être présent, pouvez-vous décaler ?", "other_date"),
        ("Je ne confirme pas encore", None),
        ("Je ne pourrai pas vous envoyer la fiche avant lundi", None),  # not her presence
        ("Je ne pourrai pas assister au bilan", "cannot"),
        # Explorer AQ1: common ways to say it, passed on as messages only.
        ("Je ne pourrai malheureusement pas être présente", "cannot"),
        ("Je ne vais pas pouvoir venir", "cannot"),
        ("Je vous confirme ma présence", "confirmed"),
        ("J'y serai", "confirmed"),
        ("Je participerai au bilan", "confirmed"),
        ("Je serai présente sauf imprévu", None),
        ("Je serai là ?", None),
        ("Je vous confirme ma présence ？", None),
        ("Merci pour le document", None),
        ("x" * 10_000, None),
        # Explorer DB1: a sign of approval alone, Tchap's « ok », asked as a confirmation.
        ("👍", "confirmed"),
        ("👍🏽 ", "confirmed"),
        ("👌", "confirmed"),
        ("✅", "confirmed"),
        ("👎", None),
        ("👍 mais je serai en retard", None),
    ],
)
def test_her_answer_is_read_in_a_sentence_of_her_own(typed: str, code: str | None) -> None:
    """Explorer AL1: whole sentences were only passed on as messages."""
    assert answer_in_sentence(typed) == code
