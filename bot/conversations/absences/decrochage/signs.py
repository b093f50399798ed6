"""Adding the signs observed since the follow-up was opened.

    Bot  Quels nouveaux signes avez-vous observés chez Julie Petit ? Touchez-les, puis
         « Terminé ».
    You  Baisse de motivation, Terminé
    Bot  1 signe ajouté au suivi.

A sign the follow-up holds already today is said and not added again (explorer EC6).

Called with ``{"followup_id": …}``.
"""

from __future__ import annotations

from bot.absences.followups import noted_today
from bot.absences.records import add_more_signs
from bot.absences.vocabulary import SIGNS as SIGN_LABELS
from bot.conversations.absences.decrochage.common import (
    exit_not_recorded,
    open_followup_or_leave,
    sign_steps,
    step_start,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow
from bot.storage.people import Role


async def save_signs(ctx: Context) -> None:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return
    signs, note = list(ctx.data.get("signs") or []), ctx.data.get("sign_note")
    already = await noted_today(ctx.session, found.followup.id, signs, note, now=ctx.now, tz=ctx.tz)
    fresh = [code for code in signs if code not in already]
    count = (
        await add_more_signs(
            ctx.session, found.followup, ctx.person_id, ctx.now, signs=fresh, note=note
        )
        if fresh
        else 0
    )
    ctx.say("decrochage.signs_saved", count=count, already=[SIGN_LABELS[c] for c in already])
    exit_not_recorded(ctx, found.trainee)


SIGNS = Flow(
    "decrochage_signs",
    role=Role.FORMATEUR,
    summary="ajouter des signes de décrochage",
    start=step_start,
    steps=sign_steps("decrochage.ask_more_signs"),
    finish=save_signs,
)
