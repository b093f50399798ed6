"""An absence's motive: what, typed where it is asked, says there is none.

    Bot  Un motif connu ? (en quelques mots, ou « Passer »)
    You  non, je sais pas
    Bot  Récapitulatif : … Non justifiée

« Un motif connu ? » is a question answered yes or no: « non », « je sais pas », « pas de
motif », « inconnu » are no motive, stored as none, not a motive « non » shown in the
exports and the Qualiopi bundle (explorer QB10). Only an answer made wholly of such words:
« pas de bus » or « non prévenu » is what the trainer knows.  A bare « oui » says there is
one, not which: it is asked for, here and at a justified absence's « Quel motif ? »
(explorer CD1: « Non justifiée : Oui » saved); « oui, rdv France Travail » is the motive
after its yes (explorer DC2: saved with its « oui, »).
"""

from __future__ import annotations

import re

from bot.answers import Invalid, clean_line, fold, has_words
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


_YES_THEN = re.compile(
    r"\s*(?:oui|ouais|ouai)(?:\s+oui)?\b[\s,.;:!–—-]+(?P<rest>\S.*)", re.IGNORECASE | re.DOTALL
)
"""« oui, rdv France Travail », « Oui : bus en panne »: the yes to « Un motif connu ? », then
the motive."""
_NOT_WHICH = re.compile(r"(?:mais|enfin|non|nan|exactement|bien sur|tout a fait)\b")
"""Folded, what after a yes says no motive: « oui mais je ne sais plus », « oui exactement »."""


def motive_said(ctx: Context, text: str) -> str | Invalid:
    """The motive in an answer where one is asked: a bare « oui » says there is one, not
    which, and is asked which (explorer CD1); « oui, rdv France Travail » is « rdv France
    Travail » (explorer DC2: saved with its « oui, »), and « oui mais … », « oui exactement »
    are asked which as the bare « oui ».  Right after a medical detail was pointed out, the
    answer as typed: « oui » keeps the motive said (explorer AK7)."""
    if ctx.data.get(SAID_TEXT) is not None:
        return text
    then = _YES_THEN.fullmatch(text)
    if then is not None and not YES.fullmatch(fold(text)):
        if _NOT_WHICH.match(fold(then["rest"])) is None:
            return then["rest"].strip()
    elif YES.fullmatch(fold(text)) is None:
        return text
    return Invalid(ctx.render("absence.motive_which", said=" ".join(text.split())))


_NOTE = parse_note(300)


async def optional_reason(ctx: Context, text: str) -> str | Invalid | None:
    """The motive of an unjustified absence: none said in words is none (explorer QB10),
    as « Passer » is; a bare yes is asked which (CD1), a yes before the motive left out (DC2)."""
    said = motive_said(ctx, text) if not no_motive(text) else None
    if said is None or isinstance(said, Invalid):
        return said
    return None if no_motive(said) else await _NOTE(ctx, said)


def keep_reason(ctx: Context, reason: str | None) -> None:
    """The reason written in the line (« justifiée, rdv France Travail »): the answer to the
    reason question, not asked again (explorer D F21), when it reads as one: « motif inconnu »
    does not, the question is asked (explorer QB10)."""
    if reason is None or no_motive(reason):
        return
    cleaned = clean_line(reason, limit=300)
    if not isinstance(cleaned, Invalid) and has_words(cleaned):
        ctx.data["reason"] = cleaned
