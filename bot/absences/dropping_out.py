"""A trainee who stops coming, said in a sentence outside any conversation: « Inès a pas donné
de nouvelles depuis lundi », « Karim ne vient plus », « Julie pas là depuis 3 jours ».

What a trainer types between two sessions about someone drifting away: the first signs of a
décrochage, which ``/decrochage`` follows (signs, contacts, entretien, ticket qualité).
:func:`read_dropping_out` only reads the name; the dialogue opens ``/decrochage`` for it
(explorer BG3, BG9: « Je ne suis pas sûr de ce que vous voulez faire », or the list of
commands, /effacer among them).
"""

from __future__ import annotations

import re

from bot.absences.line import as_typed
from bot.absences.names_said import NOT_NAMES, looks_like_a_name
from bot.absences.sentence import sentence_words

_NEWS = r"(?:de\s+|des\s+|d'\s*|aucune?\s+)?(?:nouvelles?|signe\s+de\s+vie)"
_SIGNS = (
    # « a pas donné de nouvelles », « n'a plus donné signe de vie », « ne donne plus de nouvelles »
    rf"(?:n'a\s+|a\s+|ne\s+|n')?(?:(?:toujours|plus|pas|jamais|encore)\s+)+(?:re)?donnee?\s+{_NEWS}"
    rf"|(?:ne\s+|n')?(?:re)?donne\s+(?:plus|pas|jamais)\s+{_NEWS}"
    rf"|(?:(?:toujours|plus|pas|jamais)\s+)+{_NEWS}"  # « Julie pas de nouvelles depuis lundi »
    # « ne vient plus », « répond plus », « ne se présente plus »
    r"|(?:ne\s+|n')?(?:vient|viens|repond|se\s+presente|revient)\s+(?:plus|jamais)"
    r"|(?:ne\s+|n')?(?:repond|decroche)\s+pas(?:\s+au\s+(?:tel|telephone|portable))?"
    r"|(?:a\s+|est\s+en\s+train\s+de\s+)?decroch(?:e|er|ee)|(?:est\s+)?injoignable"
    r"|(?:est\s+|n'est\s+)?pas\s+(?:la|venue?)\s+depuis\b"  # « pas là depuis 3 jours »
)
_NAMED_FIRST = re.compile(rf"^(?P<who>.+?)\s+(?:{_SIGNS})(?:\s.*)?$")
_NAMED_AFTER = re.compile(
    rf"^(?:toujours\s+)?(?:pas|plus|aucune?)\s+{_NEWS}\s+d(?:e\s+|')(?P<who>.+?)(?:\s+depuis\b.*)?$"
)
"""« pas de nouvelles de Karim depuis lundi », « toujours aucune nouvelle d'Inès »."""


def read_dropping_out(text: str) -> str | None:
    """The name, as typed, of the trainee a sentence says is drifting away; ``None`` when it
    says nothing of the kind, or names no one (« il ne vient plus »)."""
    if len(text) > 300 or "\n" in text.strip():
        return None
    words = sentence_words(text)
    match = _NAMED_FIRST.match(words) or _NAMED_AFTER.match(words)
    if match is None:
        return None
    who = match["who"].strip(" ,")
    if not looks_like_a_name(who) or any(w in NOT_NAMES for w in who.split()):
        return None
    return as_typed(text, who)
