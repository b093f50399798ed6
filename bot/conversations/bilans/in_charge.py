"""The trainer in charge of a formation, told of a bilan another person scheduled, moved or
cancelled in it.

An administrator may schedule the bilan of a colleague's formation: its deadlines, reminders
and participants' answers then go to the trainer in charge, who must hear of it from the bot
rather than from the first reminder (explorer KB4), as a formation handed over tells its new
trainer what is already scheduled.  A move or a cancellation by someone else changes her
deadlines just as much, and her last notice would give the old date (explorer QA2).
"""

from __future__ import annotations

from typing import Any, Literal

from bot import dates
from bot.answers import visible
from bot.bilans.view import BilanView, kind_label
from bot.conversations.kit.context import Context
from bot.conversations.people.told import tell
from bot.formations.queries import named_in_organisation

Change = Literal["scheduled", "moved", "cancelled"]


def someone_else_in_charge(ctx: Context, view: BilanView) -> str:
    """The name of the formation's trainer when it is not the person acting, else ""."""
    return view.trainer if view.formation.owner_id != ctx.person_id else ""


async def tell_the_trainer_in_charge(
    ctx: Context, view: BilanView, change: Change, **words: Any
) -> bool:
    """In her chat (outbox): who ``change``d which bilan, when, and her deadlines it
    touched (``words``); False when there is nobody else to tell or no chat to tell her in
    (then the person acting is asked to).  Scheduling is told once per bilan; a move or a
    cancellation once per turn (a bilan moved there and back is two notices)."""
    if not someone_else_in_charge(ctx, view):
        return False
    once = f":{ctx.incoming.event_id}" if change != "scheduled" else ""
    return await tell(
        ctx,
        view.formation.owner_id,
        f"bilan.told_owner_{change}",
        key=f"bilan-{change}:{view.bilan.id}:{view.formation.owner_id}{once}"[:255],
        organisation_id=ctx.organisation_id,
        by=visible(ctx.actor.name) if ctx.actor else "",
        kind=kind_label(view.bilan.kind),
        title=visible(await named_in_organisation(ctx.session, view.formation)),
        when=dates.spell_span(view.start, view.end),
        remote=view.bilan.remote,
        **words,
    )
