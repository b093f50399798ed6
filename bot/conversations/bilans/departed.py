"""A trainee whose exit comes before the bilan's day, at « Qui participe ? »: no longer the
group's voice, not ticked by the bot, neither by the day chosen (explorer F F19) nor by
« tous » (explorer AU6: the agenda and the chargée de mission's message announced a
trainee gone six weeks before)."""

from __future__ import annotations

from datetime import datetime

from bot.conversations.bilans.shared import formation_of
from bot.conversations.kit.context import Context
from bot.conversations.kit.many import ALL_WORDS, words_of
from bot.storage.formations import Trainee


def gone_by(trainee: Trainee, ctx: Context) -> bool:
    """Whether the trainee's exit comes before the bilan's day: no longer in the group."""
    when = ctx.data.get("when")
    return bool(when) and trainee.left_before(datetime.fromisoformat(str(when)).date())


async def untick_departed(ctx: Context) -> None:
    """Once the day is known, a delegate whose exit comes before it is no longer ticked
    (explorer F F19): someone who left does not speak for the group.  Done once per day
    chosen, so that ticking them back on purpose holds."""
    formation = await formation_of(ctx)
    if formation is None or ctx.data.get("_departed_for") == ctx.data.get("when"):
        return
    ctx.data["_departed_for"] = ctx.data.get("when")
    gone = {str(t.id): t.full_name for t in formation.trainees if gone_by(t, ctx)}
    ticked = list(ctx.data.get("participants") or [])
    ctx.data["participants"] = [t for t in ticked if t not in gone]
    ctx.data["_departed"] = [gone[t] for t in ticked if t in gone]


async def leave_out_departed(ctx: Context, before: set[str], store: str) -> None:
    """« tous » typed: those gone before the bilan, not ticked before, left out, and said."""
    if words_of(ctx.incoming.text) not in ALL_WORDS:
        return
    formation = await formation_of(ctx)
    if formation is None:
        return
    gone = {str(t.id): t.full_name for t in formation.trainees if gone_by(t, ctx)}
    ticked = list(ctx.data.get(store) or [])
    dropped = [t for t in ticked if t in gone and t not in before]
    ctx.data[store] = [t for t in ticked if t not in dropped]
    if dropped:
        ctx.data["_departed"] = [gone[t] for t in dropped]
