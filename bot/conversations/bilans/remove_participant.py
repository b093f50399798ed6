"""Taking a participant off a scheduled bilan, from the ``/bilans`` menu (listing.py).

    You  Retirer un participant
    Bot  Qui retirer du bilan ?  [Hugo Moreau (pour les stagiaires)] [M. Karim Haddad (partenaire)] …
    You  M. Karim Haddad
    Bot  Retirer M. Karim Haddad du bilan de fin de formation du jeudi 26 novembre 2026 à
         14 h 00 ? Son lien d'attestation ne fonctionnera plus.  [Oui, le retirer] [Non]
    You  Oui, le retirer
    Bot  C'est fait : M. Karim Haddad ne participe plus au bilan. Prévenez cette personne
         vous-même (je ne peux pas lui écrire) … + the updated invitation and documents

The row stays (its invitation and answers point to it); the documents and
messages forget it (:func:`bot.bilans.participants.remove_participant`).
"""

from __future__ import annotations

from bot import dates
from bot.bilans.participants import remove_participant
from bot.conversations.bilans.gone import say_bilan_gone
from bot.conversations.bilans.shared import (
    after_change,
    departed,
    participant_options,
    picked_name,
    reach_of,
    the_bilan,
    unless_gone,
    viewer_of,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Outcome, Return, leave_saying
from bot.conversations.kit.steps import Confirm, Option, Pick
from bot.storage.people import Role


async def start(ctx: Context) -> Outcome | None:
    found = await the_bilan(ctx)
    if found is None:
        return await unless_gone(ctx)
    bilan, _ = found
    if not bilan.participants:
        ctx.say("bilan.no_participant")
        return Return(None)
    ctx.data["current"] = dates.spell_datetime(bilan.starts_at.astimezone(ctx.tz))
    return None


async def who_choices(ctx: Context) -> list[Option]:
    found = await the_bilan(ctx)
    if found is None:
        return []
    bilan, formation = found
    return participant_options(bilan.participants, departed(ctx, bilan, formation))


async def do_remove(ctx: Context) -> Outcome:
    change = await remove_participant(
        ctx.session,
        viewer_of(ctx),
        ctx.now,
        ctx.data["bilan_id"],
        int(ctx.data["who"]),
        chat_of=reach_of(ctx),
    )
    if change is None:
        await say_bilan_gone(ctx)
        return Return(None)
    ctx.say(
        "bilan.participant_removed",
        name=change.participant.name,
        reached=change.reached,
    )
    await after_change(ctx, change.view)
    return Return(True)


REMOVE = Flow(
    "bilan_remove_participant",
    role=Role.FORMATEUR,
    summary="retirer un participant d'un bilan",
    start=start,
    steps=[
        Pick("who", ask="bilan.ask_remove_who", options=who_choices),
        Confirm(
            "confirm_remove",
            ask="bilan.confirm_remove",
            values=picked_name,
            yes=do_remove,
            no=leave_saying("bilan.nothing_changed"),
            yes_label="Oui, retirer",
            exact=True,
            no_label="Non",
        ),
    ],
)
