"""What a trainer types at the one confirmation of several absences (« Noter une absence …
pour : · Karim Benali · Julie Petit »): « justifiée » or not, « oui, … » with the motive
(explorer UA9), and the motive that replaces one whose medical detail was pointed out
(closing 38's Left, explorer UA10).  Kept apart from :mod:`.group` (over 500 lines)."""

from __future__ import annotations

import re

from bot.answers import fold
from bot.conversations.absences.details import keep_reason
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome
from bot.privacy.health import MEDICAL_DETAIL, SAID_TEXT, point_out_once


def other_justified(ctx: Context) -> Outcome:
    """« Justifiée » / « Non justifiée »: the recap again saying the other; a justified one
    has a motive, asked first."""
    ctx.data.pop("_justifying", None)
    ctx.data.pop("recap", None)
    if not _wants_justified(ctx):
        ctx.data["justified"] = False
        ctx.data.pop("reason", None)
        return Next("recap")
    if ctx.data.get("justified"):  # « justifiée » typed while it is: nothing changes
        return Next("recap")
    ctx.data["_justifying"] = True
    return Next("reason")


def medical_said(ctx: Context) -> bool:
    """Whether the motive gives a medical detail not pointed out yet (it is now, once), as
    one person's recap does; the motive typed next replaces it (closing 38's Left, explorer
    UA10: several people's was saved unwarned, their confirmation has no « Corriger »)."""
    reason = ctx.data.get("reason")
    said = isinstance(reason, str) and point_out_once(ctx.data, reason, MEDICAL_DETAIL)
    ctx.data.pop(SAID_TEXT, None)  # « Enregistrer » keeps it, no « oui » to a question
    ctx.data["_rewording"] = said
    return said


_NOT_JUSTIFIED = re.compile(r"\b(?:non|pas)\s+justif|\binjustif")


def _wants_justified(ctx: Context) -> bool:
    """The button toggles; typed, the words say which (« justifiée » is inside the label
    « Non justifiée »: typed while it is justified, it must not undo it)."""
    typed = fold(ctx.incoming.text) if ctx.incoming.choice is None else ""
    if "justif" in typed:
        return _NOT_JUSTIFIED.search(typed) is None
    return not ctx.data.get("justified")


_YES_AND = re.compile(r"(?i)^\s*(?:oui|ok|d'accord)\b[\s,.;:!-]*(?P<rest>\S.*)$")
_JUSTIFIED_WORD = re.compile(r"(?i)\b(?:non\s+|pas\s+|in)?justifi[ée]e?s?\b[\s,.;:!-]*")


async def yes_and_words(ctx: Context) -> Outcome | None:
    """« oui, justifiée », « oui, malades » at the recap: justified (its motive asked, as the
    button does) or that motive, the recap shown again with it (explorer UA9: « Je n'ai pas
    reconnu ce choix », where one person's question takes them)."""
    found = _YES_AND.match(ctx.incoming.text[:300])
    if found is None or ctx.incoming.choice is not None:
        return None
    words = _JUSTIFIED_WORD.sub("", found["rest"]).strip(" ,.;:!-")
    if words:
        keep_reason(ctx, words)
    if _JUSTIFIED_WORD.search(found["rest"]) and not (words and _wants_justified(ctx)):
        return other_justified(ctx)
    if words and _JUSTIFIED_WORD.search(found["rest"]):
        ctx.data["justified"] = True
    ctx.data.pop("recap", None)
    return Next("recap")


async def words_at_recap(ctx: Context) -> Outcome | None:
    """« oui, … » (:func:`yes_and_words`), or, right after the medical detail was pointed
    out, the motive that replaces it (« raison de santé »), the recap shown again with it."""
    said = await yes_and_words(ctx)
    if said is not None or not ctx.data.get("_rewording") or ctx.incoming.choice is not None:
        return said
    keep_reason(ctx, ctx.incoming.text)
    ctx.data.pop("recap", None)
    return Next("recap")
