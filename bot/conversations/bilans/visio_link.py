"""Giving (or changing) the visio link of a remote bilan, from the ``/bilans`` menu.

    You  Donner le lien de la visio
    Bot  Quel est le lien de la visio ? (le lien complet, par exemple « https://visio.exemple.fr/bilan-123 »)
    You  https://visio.example.org/bilan-restauration
    Bot  C'est noté : le lien de la visio est https://visio.example.org/bilan-restauration.
         Échéance faite : Donner le lien de la visio.  2 participants prévenus par message.
         + the updated invitation (.ics, next SEQUENCE), the agenda and the message

Scheduling with "Plus tard" leaves the link out and NOR-VISIO-LINK asks for
it; giving it here closes that deadline (:func:`bot.bilans.changes.set_visio_link`).
"""

from __future__ import annotations

from bot.bilans.changes import set_visio_link
from bot.conversations.bilans.gone import say_bilan_gone
from bot.conversations.bilans.shared import (
    after_change,
    parse_url,
    reach_of,
    unless_gone,
    viewer_of,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Outcome, Return
from bot.conversations.kit.steps import Text
from bot.storage.people import Role


async def do_link(ctx: Context, url: str) -> Outcome:
    given = await set_visio_link(
        ctx.session,
        viewer_of(ctx),
        ctx.now,
        ctx.data["bilan_id"],
        url,
        chat_of=reach_of(ctx),
    )
    if given is None:
        await say_bilan_gone(ctx)
        return Return(None)
    ctx.say(
        "bilan.link_given",
        link=url,
        closed=given.closed,
        reached=given.reached,
        unreachable=given.unreachable,
    )
    await after_change(ctx, given.view)
    return Return(True)


LINK = Flow(
    "bilan_visio_link",
    role=Role.FORMATEUR,
    summary="donner le lien de la visio d'un bilan",
    start=unless_gone,
    steps=[
        Text(
            "url",
            ask="bilan.ask_link",
            parse=parse_url,
            then=do_link,
            help="bilan.help_visio",
        )
    ],
)
