"""The words typed at an absence's confirmation right after its motive's medical detail was
pointed out (« Ce motif donne un détail médical … »), one reader for one person's
« Récapitulatif » and several people's « Noter une absence … pour : »:

    Bot  … Ce motif donne un détail médical … « Corriger » pour le changer, ou
         enregistrez-le tel quel. Tout est juste ?
    You  non c'est bon
    Bot  Récapitulatif : … Justifiée : chimiothérapie  Tout est juste ?

« je le garde tel quel », « non c'est bon », « c'est bon, garde » keep the motive pointed out;
« raison de santé », « non, raison personnelle », « mettez raison personnelle » give the one
that replaces it; the confirmation is asked again either way (explorer LB1: one person's was
« Je n'ai pas reconnu ce choix », where several people's read them: CB4, KD2).
"""

from __future__ import annotations

import re

from bot.answers import fold
from bot.conversations.absences.details import REWORDING
from bot.conversations.absences.motive import keep_reason
from bot.conversations.absences.yes_ahead import cancelling_no, is_a_yes
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome
from bot.privacy.health import keeping_explicitly, reworded

_KEEP_IT = re.compile(
    r"(?:(?:non|ok|oui|bon)\s+)*(?:c\s+est\s+bon|ca\s+va|ca\s+ira)?\s*"
    r"(?:(?:tu\s+)?(?:garde|gardes|laisse|laisses)(?:\s+(?:le|la|l))?)?"
    r"(?:\s*(?:tel quel|telle quelle|comme ca|comme il est|comme elle est|quand meme))*"
    r"(?:\s+merci)?"
)
"""Folded: « c'est bon, garde », « garde-le tel quel », « non c'est bon », « ça ira comme ça »,
the informal keeps (:func:`~bot.privacy.health.keeping_explicitly` reads the others)."""


def keeps_it(text: str) -> bool:
    """Whether ``text`` keeps the motive pointed out: in so many words (« je le garde tel
    quel », « c'est bon, garde »), or a « non » whose words all cancel (« non merci », « non
    c'est bon »: no, nothing to change)."""
    folded = fold(text)
    informal = bool(folded) and _KEEP_IT.fullmatch(folded) is not None
    return informal or keeping_explicitly(text) or cancelling_no(text)


async def motive_warned(ctx: Context) -> Outcome | None:
    """The answer to the warning: the motive kept or replaced, the confirmation asked again;
    ``None`` when the warning was not just given, for a button, or for a yes with words
    (« oui mais non »: refused, no motive: explorer XA8)."""
    if not ctx.data.get(REWORDING) or ctx.incoming.choice is not None:
        return None
    kept = keeps_it(ctx.incoming.text)  # « c'est bon, garde »: a keep, not a yes with words
    if not kept and is_a_yes(ctx.incoming.text):
        return None
    ctx.data[REWORDING] = False  # answered
    if not kept:
        keep_reason(ctx, reworded(ctx.incoming.text))
    ctx.data.pop("recap", None)
    return Next("recap")
