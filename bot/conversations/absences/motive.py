"""An absence's motive: what, typed where it is asked, says there is none.

    Bot  Un motif connu ? (en quelques mots, ou « Passer »)
    You  non, je sais pas
    Bot  Récapitulatif : … Non justifiée

« Un motif connu ? » is a question answered yes or no: « non », « je sais pas », « pas de
motif », « inconnu » are no motive, stored as none, not a motive « non » shown in the
exports and the Qualiopi bundle (explorer QB10). Only an answer made wholly of such words:
« pas de bus » or « non prévenu » is what the trainer knows.  A bare « oui » says there is
one, not which: it is asked for, here and at a justified absence's « Quel motif ? »
(explorer CD1: « Non justifiée : Oui » saved).
"""

from __future__ import annotations

import re

from bot.answers import Invalid, fold
from bot.conversations.absences.steps import parse_note
from bot.conversations.kit.context import Context
from bot.conversations.kit.suggestion import YES
from bot.privacy.health import SAID_TEXT

_NONE = (
    r"non|nan|aucun|aucune|rien|inconnue?|pas connue?|je ne sais pas|on verra"
    r"|(?:pas|sans|aucun) (?:de )?motif(?: connu)?|(?:pas|sans|aucune) (?:de )?raison"
    r"|motif inconnu|raison inconnue|aucune idee|pas d idee|pas que je sache"
    r"|(?:(?:je|j|on) )?(?:(?:ne|n) )?(?:en )?(?:sais|sait) (?:pas|rien)(?: encore)?"
)
NO_MOTIVE = re.compile(rf"(?:{_NONE})(?: (?:{_NONE}))*(?: merci)?")
"""Folded, the whole answer: « non », « je sais pas », « non aucun », « j'en sais rien »."""


def no_motive(text: str) -> bool:
    """Whether ``text``, typed where a motive is asked, says there is none."""
    return NO_MOTIVE.fullmatch(fold(text)) is not None


def yes_not_which(ctx: Context, text: str) -> Invalid | None:
    """What a bare « oui » typed where a motive is asked is told: it says there is one, not
    which (explorer CD1); ``None`` for any other answer, and right after a medical detail was
    pointed out, where « oui » keeps the motive said (explorer AK7)."""
    if ctx.data.get(SAID_TEXT) is not None or YES.fullmatch(fold(text)) is None:
        return None
    return Invalid(ctx.render("absence.motive_which", said=" ".join(text.split())))


_NOTE = parse_note(300)


async def optional_reason(ctx: Context, text: str) -> str | Invalid | None:
    """The motive of an unjustified absence: none said in words is none (explorer QB10),
    as « Passer » is; a bare yes is asked which (CD1)."""
    if no_motive(text):
        return None
    return yes_not_which(ctx, text) or await _NOTE(ctx, text)
