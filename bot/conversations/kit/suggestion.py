"""« Vouliez-vous dire /absence ? » answered « oui »: the command offered, as if typed.

    Vous /absense Karim hier
    Bot  Je ne connais pas la commande /absense. Vouliez-vous dire /absence ?
    Vous oui
    Bot  (as for « /absence Karim hier ») J'ai compris : dimanche 22 novembre 2026. …

The bot asks a question; the natural answer was « Je ne suis pas sûr de ce que vous voulez
faire », and the words typed after the typo had to be typed again (explorer QB17). The
command offered is kept with those words in the conversation's row while nothing is under
way, for the very next message only (any other message forgets it, a voice message, a
file or a button too: explorer SA9) and for an hour at most;
with several commands offered (« /absence ou /absences »), « oui » says none: nothing kept.
Like a conversation set aside (:mod:`bot.conversations.kit.aside`), those words wait in the
person's own row (erased with the person), until the next message they send.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from bot.answers import fold
from bot.conversations.kit.aside import SUGGESTED
from bot.conversations.kit.context import Context

KEPT = timedelta(hours=1)
"""How long « oui » still answers the question."""

_YES = r"oui|ouais|ouai|ok|okay|d accord|oui oui|bien sur|volontiers|exactement|c est ca"
_PLEASE = r"merci|merci beaucoup|stp|svp|s il (?:te|vous) plait|vas y|allez y|c est ca|bien sur"
YES = re.compile(rf"(?:{_YES})(?: (?:{_PLEASE}))*")
"""Folded, a whole yes to the question: « oui », « ouais merci », « ok vas-y »."""
NO = re.compile(r"(?:non|nan|non merci|pas du tout|non non|non c est bon|laisse tomber)")
"""Folded, a whole no to the question: answered « D'accord » (:data:`DECLINED`)."""
DECLINED = "_offer_declined"
"""Set for this turn only when the offer was answered « non »: what the idle answer says."""


def offer(ctx: Context, close: list[str], argument: str) -> None:
    """Keep the one command offered (with the words typed after the mistyped one)."""
    if len(close) == 1:
        until = (ctx.now + KEPT).isoformat()
        ctx.data[SUGGESTED] = {"command": close[0], "argument": argument, "until": until}


def taken(ctx: Context, answering: bool) -> str | None:
    """The command line a « oui » to the offer stands for; the offer forgotten either way
    (``answering``: a dialogue is under way, whose question the message answers)."""
    kept: Any = ctx.data.pop(SUGGESTED, None)
    if answering or not isinstance(kept, dict) or ctx.incoming.choice is not None:
        return None
    if datetime.fromisoformat(kept["until"]) < ctx.now:
        return None
    if YES.fullmatch(fold(ctx.incoming.text)) is None:
        if NO.fullmatch(fold(ctx.incoming.text)):
            ctx.data[DECLINED] = True  # « D'accord », not « pas sûr » (explorer UA9)
        return None
    return f"/{kept['command']} {kept['argument']}".strip()
