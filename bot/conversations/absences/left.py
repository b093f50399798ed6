"""A trainee's leaving for good, said in a sentence outside any conversation: « Joao a
abandonné hier », « Karim et Léa ont quitté la formation vendredi à 15h, ils ne reviendront
pas ».  Nothing is noted: the answer says where the exit is (« Pour noter la sortie de Joao Da
Silva : /formations, … »).  Read by :func:`bot.absences.leaving.read_left_sentence`.
"""

from __future__ import annotations

import re

from bot.absences.leaving import read_left_sentence
from bot.answers import fold, match_names
from bot.conversations.absences.sentence_names import named_aside
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Outcome
from bot.formations.labels import EXIT_REASONS

_FOR_A_JOB = re.compile(
    r"\b(?:cdi|cdd|emploi|travail|boulot|job|poste|embauche|embauchee|interim|contrat)\b"
)


def _exit_motive(text: str) -> str:
    """The exit's motive the sentence says: « Emploi » for « elle a trouvé un CDI » (explorer
    AO2: « Abandon » was offered), else « Abandon »."""
    return EXIT_REASONS["emploi" if _FOR_A_JOB.search(fold(text)) else "abandon"]


async def left_sentence(ctx: Context) -> Outcome | None:
    """« Joao a abandonné hier »: where a trainee's leaving is noted (their exit, and a
    follow-up's end), said with their name; nothing is started (explorer Z, Z4: « Je ne suis
    pas sûr de ce que vous voulez faire »). Within a dialogue it starts nothing, so it is
    not read there at all (the question is asked again)."""
    said = await named_aside(ctx, read_left_sentence)
    if said is None:
        return None
    typed, people = said
    names = [n for n, _ in people]
    found = list(dict.fromkeys(match_names(typed, [(n, n) for n in names])))
    several = _each_found(typed, names) if not found else []
    ctx.say(
        "absence.left_said",
        names=several or found,
        several=len(several) > 1,
        typed=typed,
        motive=_exit_motive(ctx.incoming.text),
    )
    return Leave()


def _each_found(typed: str, names: list[str]) -> list[str]:
    """« Karim et Léa »: each one's full name, when each names one trainee and one only
    (explorer KA7: « Karim et Léa ont quitté la formation hier à 15h, ils ne reviendront pas »
    was answered « Je ne trouve pas « Karim et Léa » parmi vos stagiaires »)."""
    found: list[str] = []
    for part in re.split(r"\s*(?:,|\bet\b|&)\s*", typed):
        one = list(dict.fromkeys(match_names(part, [(n, n) for n in names]))) if part else []
        if len(one) != 1:
            return []
        found.append(one[0])
    return list(dict.fromkeys(found))
