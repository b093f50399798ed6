"""The commands offered for a word typed without them: the closest, and only those."""

from __future__ import annotations

import difflib
import random

from bot.answers import fold
from bot.app import FEATURES
from bot.typos import closest_commands, spoken_commands


def test_the_closest_commands_are_those_a_full_comparison_finds() -> None:
    """The quick bounds skip only commands too far anyway: same answer as comparing each."""

    def compared(typed: str, commands: list[str]) -> list[str]:
        if typed in commands:
            return [typed]
        ratios = {c: difflib.SequenceMatcher(None, typed, c).ratio() for c in commands}
        best = max(ratios.values(), default=0.0)
        return sorted(
            (c for c, r in ratios.items() if r >= 0.75 and r >= best - 0.03),
            key=lambda c: -ratios[c],
        )[:3]

    commands = [*sorted(FEATURES.commands), "aide", "annuler"]
    typos = random.Random(14)
    typed = ["", "ok", "merci", "terminé", "absense", "formaton", "attestaion", "x" * 500]
    for command in commands:
        for _ in range(40):
            word = list(command)
            for _ in range(typos.randint(0, 3)):
                at = typos.randrange(len(word) + 1)
                kind = typos.choice("dir")
                if kind == "d" and at < len(word):
                    del word[at]
                elif kind == "i":
                    word.insert(at, typos.choice("abcdeéfilmnorstu"))
                elif at < len(word):
                    word[at] = typos.choice("abcdeéfilmnorstu")
            typed.append("".join(word))
    for word in typed:
        assert closest_commands(word, commands) == compared(fold(word), commands), word


def test_the_same_word_gets_the_same_answer_for_the_same_commands_only() -> None:
    everyone = ["absence", "formation", "aide", "annuler"]
    admin = [*everyone, "reglages"]
    assert closest_commands("Réglage", admin) == ["reglages"]
    assert closest_commands("reglage", everyone) == []  # not the admin's answer, kept
    assert closest_commands("reglage", admin) == ["reglages"]
    assert closest_commands("   ", admin) == []


def test_the_commands_are_said_as_a_sentence_says_them() -> None:
    assert spoken_commands(["absence"]) == "/absence"
    assert spoken_commands(["absence", "absences"]) == "/absence ou /absences"
    assert spoken_commands(["a", "b", "c"]) == "/a, /b ou /c"
