"""A bilan gone from under a dialogue: cancelled by a colleague meanwhile, said with who and
when (explorer KC7: two administrators cancelling one bilan at once, the second read « Je ne
trouve pas ce bilan parmi les vôtres (il a peut-être été annulé) »)."""

from __future__ import annotations

from bot.answers import visible
from bot.conversations.kit.context import Context
from bot.storage.bilans import Bilan
from bot.storage.people import Person


async def say_bilan_gone(ctx: Context) -> None:
    """« Camille Durand a annulé ce bilan le … » when it was cancelled, else « Je ne trouve
    pas ce bilan parmi les vôtres »."""
    wanted = ctx.data.get("bilan_id")
    bilan = await ctx.session.get(Bilan, wanted) if isinstance(wanted, int) else None
    if bilan is None or bilan.cancelled_at is None or bilan.organisation_id != ctx.organisation_id:
        ctx.say("bilan.bilan_not_found")
        return
    by = await ctx.session.get(Person, bilan.cancelled_by) if bilan.cancelled_by else None
    ctx.say(
        "bilan.cancelled_meanwhile",
        by=None if by is None else visible(by.display_name),
        yours=bilan.cancelled_by == ctx.person_id,
        at=bilan.cancelled_at.astimezone(ctx.tz),
    )
