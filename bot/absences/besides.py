"""A past day said besides a day to come, in the words after the comma: « Karim et Léa absents
demain, ils étaient absents hier aussi ».  Nothing is noted for it; the answer says so and gives
the sentence that notes it, made of those very words with the names for the pronoun (« Karim et
Léa étaient absents hier »), and only when that sentence reads as a past absence, late arrival
or leaving for the same people (explorer JB6: « Absence de Karim hier » dropped Léa, said
« Absence » for a departure at 15 h, and came for « rdv pris hier »)."""

from __future__ import annotations

import re

from bot.absences.leaving import read_early_leaving
from bot.absences.line import names_a_day_only, soft_fold
from bot.absences.sentence import AbsenceSentence, read_absence_sentence

_PAST_DAY = re.compile(r"\b(?:avant-hier|hier)\b")
_CLAUSE = re.compile(
    r"^(?:(?:et|mais)\s+)?(?P<pronoun>il|elle|iel|ils|elles)\s+(?P<said>.+?)"
    r"(?:\s+(?:aussi|également|egalement|déjà|deja))?[\s.!]*$",
    re.IGNORECASE,
)
_A_KIND = re.compile(
    r"\b(?:absente?s?|retard|(?:est|sont|etait|etaient)\s+partie?s?|a\s+quitte"
    r"|(?:n'est|ne\s+sont|n'etait|n'etaient)\s+pas\s+venue?s?)\b"
)


_PLURAL = frozenset({"ils", "elles"})
_FEMININE = re.compile(r"\b(?:absentes?|parties?|arrivees?|venues?|sorties?)\b")
_MASCULINE = re.compile(r"\b(?:absents?|partis?|arrives?|venus?|sortis?)\b")
_JOINED = re.compile(r"\b(?:et|avec)\s+(?P<next>[\w'-]+)")


def _fits(names: tuple[str, ...], pronoun: str, said: str, typed: str) -> bool:
    """Whether the pronoun stands for all the names, and nobody else is in the words: « elle »
    after « Karim et Léa » is one of them (explorer KA2: « Karim et Léa était absente hier »
    was dictated, and noted Karim too), « il » after « Julie absente » is not Julie
    (« Julie était absent hier »), « … et Julie » adds someone the bot then refuses."""
    pronoun = pronoun.lower()
    if (pronoun in _PLURAL) != (len(names) > 1):
        return False
    head = soft_fold(typed.partition(",")[0])
    feminine, masculine = bool(_FEMININE.search(head)), bool(_MASCULINE.search(head))
    if pronoun.startswith("elle") and masculine and not feminine:
        return False
    if pronoun.startswith("il") and feminine and not masculine:
        return False
    return all(names_a_day_only(m["next"]) for m in _JOINED.finditer(soft_fold(said)))


def past_said_besides(sentence: AbsenceSentence, typed: str = "") -> dict[str, str]:
    """``past`` (« hier ») and ``past_sentence`` (« Karim et Léa étaient absents hier ») for
    the words after the comma of a sentence about a day to come, or nothing when unsure;
    ``typed``, the whole sentence, tells whom a pronoun may stand for: when it may not stand
    for them all, ``past`` alone (no sentence is dictated)."""
    names = sentence.names
    for clause in (sentence.reason or "").split(","):
        match = _CLAUSE.match(clause.strip())
        folded = soft_fold(match["said"]) if match else ""
        past = _PAST_DAY.search(folded)
        if match is None or past is None or not _A_KIND.search(folded):
            continue
        if not _fits(names, match["pronoun"], match["said"], typed):
            return {"past": past[0]}  # said not noted, with no sentence to type (KA2)
        who = " et ".join((", ".join(names[:-1]), names[-1])) if len(names) > 1 else names[0]
        said = f"{who} {match['said']}"
        read = read_absence_sentence(said) or read_early_leaving(said)
        if read is not None and len(read.names) == len(names) and not read.future:
            return {"past": past[0], "past_sentence": said}
    return {}
