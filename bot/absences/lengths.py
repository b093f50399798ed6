"""A late arrival's length said in words: « en retard d'un quart d'heure », « dix-huit
minutes de retard », read as « 15 min », « 18 min » for :mod:`bot.absences.line` (moved out of
it whole when the half-days said together were read: explorer UA5)."""

from __future__ import annotations

import re

from bot.dates.words import ANY_NUMBER, NUMBER_WORDS

_LENGTH = (
    r"(?:(?:un|1)\s+quart\s+d'\s*heure|trois\s+quarts?\s+d'\s*heure|une\s+demi\s*-?\s*heure"
    rf"|(?:{ANY_NUMBER}|\d{{1,5}})\s+minutes?"
    rf"|(?:{ANY_NUMBER}|\d{{1,2}})\s*h(?:eures?)?\s+et\s+(?:quart|demie)"
    rf"|(?:{ANY_NUMBER}|\d{{1,2}})\s*h(?:eures?)?\s+(?:{ANY_NUMBER})(?![\w-])"
    rf"|(?:{ANY_NUMBER})\s+heures?)"
)
_SPOKEN = re.compile(
    rf"(?P<before>\bretard\s+(?:de\s+|d'\s*))(?P<after>{_LENGTH})(?![\w-])"
    rf"|(?<![\w-])(?P<ahead>{_LENGTH})(?=\s+(?:de|en)\s+retard\b)"
)
"""A late arrival's length said in words, next to « retard » only (explorers L, M, N: « un
quart d'heure de retard », « dix-huit minutes »; « le train de sept heures » in a reason
stays as typed)."""


_SAID_LENGTH = re.compile(
    r"(?P<count>[a-z0-9-]+(?: et une?)?)\s*(?P<unit>minutes?|h(?:eures?)?)"
    r"(?:\s+et\s+(?P<part>quart|demie)|\s+(?P<more>[a-z-]+(?: et une?)?))?"
)


def _minutes(length: str) -> int:
    """The minutes of a length :data:`_LENGTH` found: « dix-huit minutes » → 18, « deux
    heures et quart » → 135, « un quart d'heure » → 15."""
    said = " ".join(length.replace("'", "' ").split())
    if "quart d'" in said or "quarts d'" in said:
        return 45 if said.startswith("trois") else 15
    if "demi" in said and not said.endswith("demie"):
        return 30
    found = _SAID_LENGTH.fullmatch(said)
    if found is None:
        return 0
    count = found["count"]
    amount = int(count) if count.isdecimal() else NUMBER_WORDS.get(count, 0)
    if found["unit"].startswith("minute"):
        return amount
    more = NUMBER_WORDS.get(found["more"] or "", 0)  # « une heure trente » (explorer Q)
    if more >= 60:
        return 0
    return amount * 60 + {"quart": 15, "demie": 30}.get(found["part"] or "", 0) + more


def spoken_lengths(folded: str) -> str:
    """« en retard d'un quart d'heure » → « en retard de 15 min », « dix-huit minutes de
    retard » → « 18 min de retard », in :func:`soft_fold`'s text; the rest as it was."""

    def said(found: re.Match[str]) -> str:
        length = found["after"] or found["ahead"]
        head = (found["before"] or "").replace("d'", "de ").rstrip()
        return f"{head} {_minutes(length)} min".lstrip()

    return _SPOKEN.sub(said, folded)
