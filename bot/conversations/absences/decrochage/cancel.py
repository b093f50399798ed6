"""Cancelling an entretien that will not be held: the trainee left, or did not come and
will not be seen again (explorer GF3: only « Reprogrammer » was offered, though the bot
itself said to « annuler » it when the exit was saved, and the closing ticket read « pas
encore tenu » in a closed file).

    Bot  Pourquoi l'entretien individuel du jeudi 26 novembre 2026 à 16 h 00 avec Karim
         Benali n'aura-t-il pas lieu ?
         [La personne a quitté la formation] [La personne ne s'est pas présentée]
         [Une autre raison] [Ne pas l'annuler]
    You  La personne a quitté la formation
    Bot  Annuler l'entretien individuel du jeudi 26 novembre 2026 à 16 h 00 : la personne a
         quitté la formation (sortie le jeudi 26 novembre 2026) ? …
    You  Oui, l'annuler
    Bot  C'est noté : l'entretien individuel du … est annulé. …

Called with ``{"followup_id": …, "kind": …}`` from the follow-up's menu, or from the
compte rendu's « a-t-il eu lieu ? » (« Non, il est annulé »).  The entretien is kept,
cancelled, with its reason, who and when (:func:`bot.absences.records.cancel_entretien`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.absences.followups import current_entretien, find_entretien
from bot.absences.records import cancel_entretien
from bot.conversations.absences.decrochage.common import (
    abandon_step,
    open_followup_or_leave,
    step_start,
)
from bot.conversations.absences.steps import parse_note
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome
from bot.conversations.kit.steps import Confirm, Option, Pick, Text
from bot.storage.people import Role

REASON_OPTIONS = [
    Option("La personne a quitté la formation", "sortie"),
    Option("La personne ne s'est pas présentée", "absente"),
    Option("Une autre raison", "autre"),
    Option("Ne pas l'annuler", "keep"),
]


async def cancel_start(ctx: Context) -> Outcome | None:
    outcome = await step_start(ctx)
    if outcome is not None:
        return outcome
    kind = "regard_croise" if ctx.data.get("kind") == "regard_croise" else "individuel"
    ctx.data["kind"] = kind
    entretien = await current_entretien(ctx.session, int(ctx.data["followup_id"]), kind)
    if entretien is None:
        ctx.say("decrochage.no_entretien")
        return Leave()
    if entretien.held_at is not None:
        ctx.say("decrochage.cancel_held", held=entretien.held_at.astimezone(ctx.tz))
        return Leave()
    ctx.data["entretien_id"] = entretien.id
    ctx.data["scheduled_at"] = entretien.scheduled_at.astimezone(ctx.tz).isoformat()
    return None


async def reason_picked(ctx: Context, picked: str) -> Outcome:
    if picked == "keep":
        return await abandon_step(ctx)
    ctx.data.pop("note", None)
    return Next("note" if picked == "autre" else "recap")


async def cancel_values(ctx: Context) -> dict[str, Any]:
    found = await open_followup_or_leave(ctx)
    return {
        "when": datetime.fromisoformat(ctx.data["scheduled_at"]),
        "left_on": found.trainee.left_on if found is not None else None,
    }


async def save_cancel(ctx: Context) -> Outcome:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return Leave()
    entretien = await find_entretien(ctx.session, ctx.data["entretien_id"], found.followup.id)
    if entretien is None or entretien.cancelled_at is not None or entretien.held_at is not None:
        ctx.say("decrochage.no_entretien")  # meanwhile held, moved or cancelled elsewhere
        return Leave()
    await cancel_entretien(
        ctx.session,
        found.followup,
        entretien,
        ctx.person_id,
        ctx.now,
        reason=str(ctx.data["reason"]),
        note=ctx.data.get("note"),
    )
    ctx.say("decrochage.entretien_cancelled", **await cancel_values(ctx))
    return Leave()


CANCEL = Flow(
    "decrochage_cancel_entretien",
    role=Role.FORMATEUR,
    summary="annuler un entretien de suivi",
    start=cancel_start,
    steps=[
        Pick(
            "reason", ask="decrochage.ask_cancel_reason", options=REASON_OPTIONS, then=reason_picked
        ),
        Text(
            "note",
            ask="decrochage.ask_cancel_note",
            parse=parse_note(300),
            when=lambda c: c.data.get("reason") == "autre",
        ),
        Confirm(
            "recap",
            ask="decrochage.recap_cancel",
            values=cancel_values,
            yes=save_cancel,
            no=abandon_step,
            yes_label="Oui, l'annuler",
            no_label="Non, le garder",
        ),
    ],
)
