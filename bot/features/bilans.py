"""Bilans: scheduling, listing, moving and cancelling the remote or on-site bilan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.manifest import Command, Dialogues, Feature, Services
from bot.messages import Platform
from bot.storage.people import Role

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context
    from bot.conversations.kit.flow import Flow, Outcome


def flows() -> Sequence[Flow]:
    """The dialogues, imported when one of them is first needed (:class:`Dialogues`)."""
    from bot.conversations.bilans import cm_answer, cm_which, listing, schedule

    return (*schedule.FLOWS, *listing.FLOWS, *cm_answer.FLOWS, *cm_which.FLOWS)


async def charge_de_mission(ctx: Context) -> bool:
    """The Région's chargée de mission answering the bot's invitation on Matrix/Tchap: her
    message goes to the trainer (its dialogue loaded then, on Matrix only: a stranger's
    /aide elsewhere loaded the bilans and the rules for nothing, a third of a start)."""
    if ctx.incoming.platform is not Platform.MATRIX:
        return False
    from bot.conversations.bilans.charge_de_mission import answer

    return await answer(ctx)


async def charge_de_mission_unread(ctx: Context) -> bool:
    """Her 👍 under the invitation (a reaction, unread): how to answer it (explorer DB5)."""
    if ctx.incoming.platform is not Platform.MATRIX or ctx.actor is not None:
        return False
    from bot.conversations.bilans.charge_de_mission import how_to_answer

    return await how_to_answer(ctx)


async def charge_de_mission_answer(ctx: Context) -> Outcome | None:
    """« 1 », « je confirme »… from the chargée de mission on Matrix: her answer to the
    invitation (:mod:`bot.conversations.bilans.cm_answer`, loaded only for someone who may be
    her: on Matrix, in private, no member)."""
    incoming = ctx.incoming
    member = ctx.actor is not None and ctx.actor.is_member
    if incoming.platform is not Platform.MATRIX or incoming.is_group or member:
        return None
    from bot.conversations.bilans.cm_answer import quick_answer

    return await quick_answer(ctx)


async def charge_de_mission_which(ctx: Context) -> Outcome | None:
    """Her message naming none of the organisations she follows for sure: which formation it
    is about, asked (:mod:`bot.conversations.bilans.cm_which`; explorer AF7)."""
    incoming = ctx.incoming
    if incoming.platform is not Platform.MATRIX or incoming.is_group or ctx.actor is not None:
        return None
    from bot.conversations.bilans.cm_which import which_asked

    return await which_asked(ctx)


def services() -> Services:
    """What the outbox tells of a bilan's message, and the job that tells of a Matrix chat never
    joined, imported when first needed."""
    from bot.bilans import sent, unjoined

    return Services(
        delivered=(sent.tell_trainer_of_failure,), jobs=(unjoined.tell_trainers_of_unjoined,)
    )


FEATURE = Feature(
    name="bilans",
    dialogues=Dialogues(
        flows,
        commands=(
            Command(
                "bilan",
                summary="programmer un bilan (à distance ou sur place)",
                menu="Programmer un bilan",
                role=Role.FORMATEUR,
            ),
            Command(
                "bilans",
                summary="voir, déplacer ou annuler un bilan programmé",
                role=Role.FORMATEUR,
            ),
        ),
    ),
    free_text=(charge_de_mission_answer, charge_de_mission_which),
    guides=(charge_de_mission,),
    unread_guides=(charge_de_mission_unread,),
    services=services,
)
