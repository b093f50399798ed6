"""« /aide absence »: the help of the command named after ``/aide`` (explorer QB20: the word
was ignored, the whole list given).

    Vous /aide absence
    Bot  /absence : noter une absence ou un retard (ex. : /absence Dupont hier matin).
         Tapez /absence pour commencer ; …

The word may carry its slash (« /aide /absence ») or stand in a few words (« /aide pour
noter une absence »); a word that is none of the person's commands gets the whole list,
with a sentence saying so.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers import fold
from bot.conversations.kit.context import Context
from bot.manifest import Command

ALWAYS = ("annuler", "reprendre", "aide")
"""The commands of every dialogue, explained without a flow of their own."""


def say_help(ctx: Context, available: Sequence[Command]) -> None:
    """The help of the command asked about after ``/aide``, else the list of ``available``."""
    typed = ctx.incoming.argument if ctx.incoming.command in ("aide", "help") else ""
    if not typed.strip():
        ctx.say("common.help", flows=available, actor=ctx.actor)
        return
    mine = {f.command: f for f in available if f.command}
    for word in fold(typed).replace("/", " ").split():
        word = "aide" if word == "help" else word
        if word in mine or word in ALWAYS:
            ctx.say("common.help_of", command=word, flow=mine.get(word))
            return
    ctx.say("common.help", flows=available, actor=ctx.actor, unknown=" ".join(typed.split())[:40])
