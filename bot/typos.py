"""Words typed for a command without its slash: "absense" → /absence, "aide", "retour".

The engine offers them when a person types a command that does not exist,
or one or two words outside any dialogue.  What people type there repeats
("merci", "ok", "terminé"), so each answer is kept per word and list of
commands, in the process's memory only (never written anywhere); comparing
the word with every command (``difflib``) was most of such a turn.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from bot.answers import fold

HELP_WORDS = frozenset(
    {"aide", "help", "l aide", "aide moi", "aidez moi", "au secours", "commandes", "menu"}
    | {"tu peux m aider", "peux tu m aider", "vous pouvez m aider", "pouvez vous m aider"}
    | {"j ai besoin d aide", "besoin d aide", "aide svp", "aide moi svp", "aidez moi svp"}
    | {"comment ca marche", "je suis perdu", "je suis perdue"}
)
"""Typed without a slash, these answer like ``/aide`` (outside a free-text question); asked
in a sentence too (explorer QB20: « tu peux m'aider ? » was « Je ne suis pas sûr … »)."""

GREETINGS = ("bonjour", "rebonjour", "bjr", "bonsoir", "salut", "hello", "coucou")
"""A greeting, alone (a member's « bonjour », :data:`bot.conversations.kit.runner.COURTESY`)
or before a sentence (« Bonjour, Karim absent aujourd'hui »)."""

SIGN_OFFS = (
    "merci",
    "merci bien",
    "merci d'avance",
    "bonne journee",
    "bonne fin de journee",
    "bonne soiree",
    "bonne semaine",
    "a demain",
    "a bientot",
    "a plus",
    "au revoir",
    "cordialement",
    "bien cordialement",
    "bises",
    "bisous",
    "merci beaucoup",
    "merci de noter",
    "merci de le noter",
    "merci de la noter",
    "bon courage",
    "cdt",
    "cdlt",
    "bonne journee a toutes",
    "bonne journee a tous",
    "bon week-end",
    "bon weekend",
    "bonne fin de semaine",
    "bonne soiree a vous",
    "bonne journee a vous",
    "a plus tard",
    "bien a vous",
    "a toute",
    "svp",
    "stp",
    "s'il vous plait",
    "s'il te plait",
    "sil vous plait",
    "sil te plait",
    "s il vous plait",
    "s il te plait",
)
"""Folded words that close a message (« …, merci », « …, bonne journée », « svp »): said, not
read as a motive or a half-day (explorer AZ15: « bonne journée » was « toute la journée »;
EA13: « svp » was a motive)."""

BACK_WORDS = frozenset(
    {"retour", "revenir", "retour arriere", "revenir en arriere", "en arriere", "back"}
    | {"question precedente", "revenir a la question precedente"}
)
"""Typed at any question, these go back to the one before (``Runner.back``)."""


def closest_commands(word: str, commands: list[str]) -> list[str]:
    """At most three of ``commands`` within a typo or two of ``word`` ("absense", "formaton")."""
    typed = fold(word).replace(" ", "")
    if not typed:
        return []
    return list(_closest_to(typed, tuple(commands)))


CLOSE_ENOUGH = 0.75
"""How alike a typed word and a command must be (``difflib``'s ratio) to be offered."""


@lru_cache(maxsize=4096)
def _closest_to(typed: str, commands: tuple[str, ...]) -> tuple[str, ...]:
    """The commands close to ``typed`` (folded, no spaces), the closest first.

    ``difflib``'s two quick ratios bound the real one from above, so a command
    they put under :data:`CLOSE_ENOUGH` is skipped without changing the answer.
    """
    if typed in commands:
        return (typed,)
    ratios: dict[str, float] = {}
    for command in commands:
        if 2 * min(len(typed), len(command)) < CLOSE_ENOUGH * (len(typed) + len(command)):
            continue  # the real quick ratio, without building the matcher
        matcher = difflib.SequenceMatcher(None, typed, command)
        if matcher.quick_ratio() >= CLOSE_ENOUGH:
            ratios[command] = matcher.ratio()
    best = max(ratios.values(), default=0.0)
    # Only the best ones: "absense" is /absence, not also /absences.
    return tuple(
        sorted(
            (c for c, r in ratios.items() if r >= CLOSE_ENOUGH and r >= best - 0.03),
            key=lambda c: -ratios[c],
        )[:3]
    )


def spoken_commands(commands: list[str]) -> str:
    """ "/absence", "/absence ou /absences", "/a, /b ou /c": as a sentence says them."""
    named = [f"/{c}" for c in commands]
    return " ou ".join(filter(None, (", ".join(named[:-1]), *named[-1:])))
