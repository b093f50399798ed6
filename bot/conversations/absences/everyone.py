"""« Tout le monde était là ce matin », « personne n'était absent », typed outside any
conversation: nothing to note, said so, with how a complete roll call is kept (``/appel``,
« Tous présents »), instead of « Je ne suis pas sûr … » (explorer QB13).  Read by
:func:`bot.absences.roundabout.everyone_there`.
"""

from __future__ import annotations

from bot.absences.line import as_typed
from bot.absences.roundabout import everyone_there
from bot.absences.sentence import sentence_words, without_courtesies
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Outcome


async def everyone_there_sentence(ctx: Context) -> Outcome | None:
    """« Tout le monde était là ce matin »: « Très bien, rien à noter pour ce matin. », and
    how to keep the roll call; read outside any dialogue, in a private chat only."""
    if ctx.actor is None or not ctx.actor.is_member or ctx.incoming.is_group or ctx.in_dialogue:
        return None
    text = ctx.incoming.text.strip()
    if len(text) > 300 or "\n" in text:
        return None
    text = without_courtesies(text)
    day = everyone_there(sentence_words(text))
    if day is None:
        return None
    ctx.say("absence.everyone_there", day=as_typed(text, day) if day else "")
    return Leave()
