"""The trainer in charge of a formation, told of a bilan another person scheduled in it.

An administrator may schedule the bilan of a colleague's formation: its deadlines, reminders
and participants' answers then go to the trainer in charge, who must hear of it from the bot
rather than from the first reminder (explorer KB4), as a formation handed over tells its new
trainer what is already scheduled.
"""

from __future__ import annotations

from typing import Any

from bot import dates
from bot.answers import visible
from bot.bilans.view import BilanView, kind_label
from bot.conversations.kit.context import Context
from bot.conversations.people.told import tell
from bot.formations.queries import named_in_organisation


def someone_else_in_charge(ctx: Context, view: BilanView) -> str:
    """The name of the formation's trainer when it is not the person scheduling, else ""."""
    return view.trainer if view.formation.owner_id != ctx.person_id else ""


async def tell_the_trainer_in_charge(
    ctx: Context, view: BilanView, deadlines: list[dict[str, Any]]
) -> bool:
    """Once, in her chat (outbox): who scheduled which bilan, when, and her deadlines;
    False when there is nobody else to tell or no chat to tell her in (then the person
    scheduling is asked to)."""
    if not someone_else_in_charge(ctx, view):
        return False
    words: dict[str, Any] = {
        "by": visible(ctx.actor.name) if ctx.actor else "",
        "kind": kind_label(view.bilan.kind),
        "title": visible(await named_in_organisation(ctx.session, view.formation)),
        "when": dates.spell_span(view.start, view.end),
        "remote": view.bilan.remote,
        "deadlines": deadlines,
    }
    return await tell(
        ctx,
        view.formation.owner_id,
        "bilan.told_owner",
        key=f"bilan-scheduled:{view.bilan.id}:{view.formation.owner_id}",
        organisation_id=ctx.organisation_id,
        **words,
    )
