"""What part of a label a typed answer may be, to name an option.

A choice is pressed, numbered or typed; typed, it names an option by its whole label, a
synonym, or words inside the label give or take a typo (« rouen » is « Cariste – Rouen »),
except where the answer is sworn or cannot be undone (``exact``).  Kept apart from
:mod:`.context`, which asks the question and reads the other kinds of answer.
"""

from __future__ import annotations

import re

from bot.answers import close_words, fold
from bot.dates.words import ANY_MONTH

MAX_FUZZY = 200
"""Longer answers are not compared word by word with every choice (time, and no meaning)."""


def matching(
    typed: str,
    values: list[str] | tuple[str, ...],
    *,
    labels: dict[str, str],
    synonyms: dict[str, str] | None = None,
    exact: bool = False,
) -> list[str]:
    """The values whose label (or synonym) fits what was typed, in their order.

    The whole label or a synonym names one; otherwise every word typed is
    inside the label (« rouen » in « Cariste – Rouen », accents and case
    aside), or else is one of its words give or take one typo.  ``exact``, for
    an answer sworn or that cannot be undone, stops at the whole label, a
    synonym or a number: « test » is inside « Je l'atteste sur l'honneur »,
    « fini » inside « Effacer définitivement » (explorer XA4, XA14: a test
    message swore the attestation, « fini » erased a trainee for good).
    """
    answer = _NUMBER_SIGN.sub(r"n \1", _compared(typed))
    if not answer:
        return []
    for value in values:
        if _compared(labels.get(value, value)) == answer:
            return [value]
    if synonyms and synonyms.get(answer) in values:
        return [synonyms[answer]]
    if _NUMBERED.fullmatch(answer):
        # « n° 4 » names the label numbered 4, never one whose hour has a 4 in it.
        sign = re.compile(rf"\b{answer}\b")
        return [v for v in values if sign.search(_compared(labels.get(v, v)))]
    if exact:  # the whole label give or take one typo a word (explorer ZA1, ZA2), no part
        return [v for v in values if _whole_label(answer.split(), _compared(labels.get(v, v)))]
    if len(answer) == 1:  # a stray key (« s », AD8) names no label it sits inside
        return []
    words = answer.split()
    dated = any(_MONTH.fullmatch(w) for w in words)
    matches = [
        v for v in values if all(_inside(w, _compared(labels.get(v, v)), dated) for w in words)
    ]
    if len(matches) > 1:  # « activé » is « Activer », not the « active » inside « Désactiver »
        heads = [
            v for v in matches if all(_starts_a_word(w, _compared(labels.get(v, v))) for w in words)
        ]
        matches = heads or matches
    if len(matches) > 1 and not _NEGATION.search(answer):
        # « ouvrir » is « Ouvrir le suivi », not « Ne rien ouvrir » (explorer DG8).
        matches = [v for v in matches if not _NEGATION.search(_compared(labels.get(v, v)))] or (
            matches
        )
    if not matches and (plain := _FILLERS.sub("", answer)) != answer:
        # « la restauration », « c'est Karim »: what a person says around the choice (AW8).
        return matching(plain, values, labels=labels, synonyms=synonyms)
    if not matches and len(answer) <= MAX_FUZZY:
        # One typo per word, as names tolerate ("presentiel", "a distnce"); a synonym of
        # several words lends none of them to a single word typed (explorer AM11: « merci »
        # was « non merci », and the absence just described was not noted).
        alone = len(words) == 1
        also = {
            v: [
                s
                for s, target in (synonyms or {}).items()
                if target == v and not (alone and " " in s)
            ]
            for v in values
        }
        matches = [
            v
            for v in values
            if close_words(words, _compared(" ".join([labels.get(v, v), *also[v]])).split())
        ]
    return matches


_NEGATION = re.compile(r"\b(?:ne|n'|non|pas|rien|aucun|aucune|sans)\b")


def _compared(text: str) -> str:
    """A label or an answer as they are compared: folded, a « + » read as the word it is
    (explorer AD18: « Visa+ » folded to « visa », the whole label of the other programme)."""
    return fold(text.replace("+", " plus "))


_MONTH = re.compile(rf"(?:{ANY_MONTH})\b")

_FILLERS = re.compile(r"^(?:c est |celle de |celui de |la formation |la |le |les |l )+")
_NUMBER_SIGN = re.compile(r"^(?:no|num|numero)\s(\d+)$")
"""« numéro 2 », « no 2 », « nº 2 » (folded « no 2 ») as « n° 2 » (folded « n 2 ») in a label
(explorer P P9)."""

_NUMBERED = re.compile(r"n \d+")


def _inside(word: str, label: str, dated: bool = False) -> bool:
    """A word typed is inside a label; a number, only as a number of its own (explorer H
    H11: « Accueil groupe 20 » fitted groupe 40 too, by the « 2026 » of its date), and not
    as the day of a date unless a month is typed too (explorer M: « Formation 23 » fitted
    « Formation 22 (lundi 23 novembre 2026) »)."""
    if word.isdecimal():
        day = "" if dated else rf"(?!\s+(?:{_MONTH.pattern}))"
        return re.search(rf"(?<!\d){word}(?!\d){day}", label) is not None
    return word in label


def _starts_a_word(word: str, label: str) -> bool:
    """(explorer AD16: « activé », the very word the setting shows, was « plusieurs choix »)."""
    return re.search(rf"(?<!\w){re.escape(word)}", label) is not None


def _whole_label(words: list[str], label: str) -> bool:
    """Every word of ``label`` typed in its place, a long one give or take a typo: « Oui
    supprimr », « Je l'atteste sur l'honeur » (explorer ZA1, ZA2: refused, or the oath passed
    on as a message), never « supprimer » alone nor « sur l'honneur »."""
    parts = label.split()
    return len(words) == len(parts) and all(
        w == p or (len(w) >= 4 and close_words([w], [p])) for w, p in zip(words, parts, strict=True)
    )
