"""The compte rendu of an entretien someone cancelled or rescheduled while it was written.

    Bot  Compte rendu de l'entretien individuel avec Karim Benali, tenu le … (the recap)
         Attention : pendant que vous rédigiez ce compte rendu, Bruno Petit a reprogrammé
         cet entretien au vendredi 27 novembre 2026 à 10 h 00. …
         [Enregistrer quand même (l'entretien a bien eu lieu)] [Ne pas enregistrer]

Explorer IB (left by IB4's fix): the compte rendu was saved on the cancelled entretien, no
word said; refusing it would have thrown four typed answers away.  « Quand même » makes it
the entretien that stands, held (:func:`bot.absences.meanwhile.held_after_all`); the one
planned in its place is cancelled, and who cancelled or rescheduled it is told in her chat.
"""

from __future__ import annotations

from typing import Any

from bot.absences.clashes import person_name
from bot.absences.followups import find_entretien
from bot.absences.meanwhile import Became, standing_instead, what_became
from bot.absences.vocabulary import CANCEL_REASONS
from bot.conversations.absences.decrochage.common import load_followup
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome
from bot.conversations.people.told import tell
from bot.storage.absences import Entretien
from bot.storage.formations import Formation, Trainee


async def changed_meanwhile(ctx: Context) -> Outcome | None:
    """The recap's ``before``: an entretien cancelled or rescheduled since the dialogue
    began is said, with the choice, instead of « Je produis le PDF ? »."""
    found = await load_followup(ctx)
    if found is None:
        return None
    entretien = await find_entretien(ctx.session, ctx.data.get("entretien_id"), found.followup.id)
    if entretien is None or await what_became(ctx.session, found.followup, entretien) is None:
        return None
    return Next("anyway")


async def meanwhile_values(ctx: Context) -> dict[str, Any]:
    """What the warning says: who did what to the entretien, to when, and which planned
    one « quand même » cancels."""
    found = await load_followup(ctx)
    entretien = (
        await find_entretien(ctx.session, ctx.data.get("entretien_id"), found.followup.id)
        if found is not None
        else None
    )
    became = (
        await what_became(ctx.session, found.followup, entretien)
        if found is not None and entretien is not None
        else None
    )
    if entretien is None or became is None:
        return {}
    standing = await standing_instead(ctx.session, entretien)
    return {
        "mine": became.by == ctx.person_id,
        "by": await person_name(ctx.session, became.by) if became.by else "",
        "why": why(became),
        "moved": became.taken.scheduled_at.astimezone(ctx.tz) if became.taken else None,
        "cancels": standing.scheduled_at.astimezone(ctx.tz) if standing else None,
    }


def why(became: Became) -> str:
    """The reason it was cancelled, in words (``""`` when rescheduled)."""
    if became.reason is None:
        return ""
    return became.note or CANCEL_REASONS.get(became.reason, "")


async def tell_held_after_all(
    ctx: Context,
    entretien: Entretien,
    became: Became,
    cancelled: Entretien | None,
    formation: Formation,
    trainee: Trainee,
) -> None:
    """Whoever cancelled the entretien, and whoever scheduled the one now cancelled in its
    place, told in her chat, once, unless it is the writer herself."""
    told: dict[int, Entretien | None] = {}
    if became.reason is not None and became.by is not None:
        told[became.by] = None
    if cancelled is not None and cancelled.created_by is not None:
        told[cancelled.created_by] = cancelled
    writer = await person_name(ctx.session, ctx.person_id)
    for person_id, theirs in told.items():
        if person_id == ctx.person_id:
            continue
        await tell(
            ctx,
            person_id,
            "decrochage.held_after_all_told",
            key=f"entretien-held-after-all:{entretien.id}:{person_id}",
            organisation_id=formation.organisation_id,
            e=entretien,
            name=trainee.full_name,
            title=formation.title,
            before=entretien.scheduled_at.astimezone(ctx.tz),
            by=writer,
            theirs=theirs.scheduled_at.astimezone(ctx.tz) if theirs is not None else None,
        )
