"""A bilan gone from under a dialogue: cancelled by a colleague meanwhile, said with who and
when (explorer KC7: two administrators cancelling one bilan at once, the second read « Je ne
trouve pas ce bilan parmi les vôtres (il a peut-être été annulé) »)."""

from __future__ import annotations

from bot.conversations.kit.context import Context
from bot.people.members import name_of
from bot.storage.bilans import Bilan


async def say_bilan_gone(ctx: Context) -> None:
    """« Camille Durand a annulé ce bilan le … » when it was cancelled, else « Je ne trouve
    pas ce bilan parmi les vôtres »."""
    wanted = ctx.data.get("bilan_id")
    bilan = await ctx.session.get(Bilan, wanted) if isinstance(wanted, int) else None
    if bilan is None or bilan.cancelled_at is None or bilan.organisation_id != ctx.organisation_id:
        ctx.say("bilan.bilan_not_found")
        return
    ctx.say(
        "bilan.cancelled_meanwhile",
        by=await name_of(ctx.session, bilan.cancelled_by),
        yours=bilan.cancelled_by == ctx.person_id,
        at=bilan.cancelled_at.astimezone(ctx.tz),
    )
