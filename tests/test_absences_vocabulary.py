"""The words of a follow-up: every code the procedure can report has its French words."""

from __future__ import annotations

import inspect
import re

from bot.absences import followups
from bot.absences.vocabulary import GAPS, SIGNS, labels


def test_every_missing_step_reported_has_its_words() -> None:
    """A code `Summary.missing` returns without a label would break the ticket's recap."""
    reported = set(re.findall(r'gaps\.append\("(\w+)"\)', inspect.getsource(followups.Summary)))
    assert reported and reported == set(GAPS)


def test_the_words_are_words_not_codes() -> None:
    """« en_personne », « bilan_comp » are codes: what a person reads has no underscore."""
    tables = labels()
    assert tables["signs"] is SIGNS and tables["gaps"] is GAPS
    for table in tables.values():
        for code, words in table.items():
            assert words.strip() and "_" not in words, (code, words)
