"""« Inès a pas donné de nouvelles depuis lundi »: the follow-up of a décrochage, opened for her.

    Vous Inès a pas donné de nouvelles depuis lundi
    Bot  J'ouvre le suivi de son décrochage (/decrochage).
         Plusieurs stagiaires correspondent à « Inès » : de qui s'agit-il ? …

Read by :func:`bot.absences.dropping_out.read_dropping_out`; the name must be a trainee's
(else the sentence goes on to the next reader, the closest commands).  Within a dialogue it
starts nothing: the question in hand is asked again.
"""

from __future__ import annotations

from dataclasses import replace

from bot.absences.dropping_out import read_dropping_out
from bot.answers import match_names
from bot.conversations.absences.sentence_names import named_aside
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Outcome, Switch


async def dropping_out_sentence(ctx: Context) -> Outcome | None:
    """Reader of text outside any conversation: ``/decrochage`` for the trainee named."""
    said = await named_aside(ctx, read_dropping_out)
    if said is None:
        return None
    typed, names = said
    if not match_names(typed, [(n, n) for n in names]):
        return None
    ctx.say("absence.dropping_out_opened")
    ctx.incoming = replace(ctx.incoming, text=f"/decrochage {typed}")  # as typed after it
    return Switch("decrochage")
