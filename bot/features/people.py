"""People: getting in with ``/start``, joining an organisation, inviting a formateur."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.manifest import Command, Dialogues, Feature
from bot.storage.people import Role

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context
    from bot.conversations.kit.flow import Flow, Outcome


def flows() -> Sequence[Flow]:
    """The dialogues, imported when one of them is first needed (:class:`Dialogues`)."""
    from bot.conversations.people import members, onboarding

    return [*onboarding.FLOWS, *members.FLOWS]


async def join_with_invitation(ctx: Context, code: str) -> Outcome | None:
    """``/start CODE`` with a formateur's invitation (its dialogue loaded then)."""
    from bot.conversations.people import onboarding

    return await onboarding.join_with_invitation(ctx, code)


async def first_comer(ctx: Context) -> bool:
    """Someone writing to a bot nobody uses yet: « envoyez /start », not « il faut une invitation ».

    On an empty base there is no invitation to ask for: the first person
    creates the organisation.  « bonjour », ``/aide`` or a command reserved to
    members lead them there, a person known from a demo since removed too (explorer Y,
    Y8); ``False`` for a member, or once an organisation exists.  No dialogue is loaded for it: a stranger's first
    message stays as quick as the start.
    """
    if ctx.actor is not None and ctx.actor.is_member:
        return False
    from bot.people.organisations import has_organisation

    if await has_organisation(ctx.session):
        return False
    ctx.say("onboarding.nobody_yet")
    return True


FEATURE = Feature(
    name="people",
    dialogues=Dialogues(
        flows,
        commands=(
            # In groups too: a code typed there is voided, not just refused (explorer ID4).
            Command("start", summary="créer votre organisme", in_groups=True),
            Command(
                "inviter",
                summary="inviter un formateur ou une formatrice, ou révoquer une invitation",
                menu="Inviter un formateur (administrateurs)",
                role=Role.ADMIN,
            ),
            Command(
                "membres",
                summary="nommer à l'administration, ou retirer un membre de l'organisme",
                menu="Gérer les membres (administrateurs)",
                role=Role.ADMIN,
            ),
        ),
    ),
    start_codes=(join_with_invitation,),
    guides=(first_comer,),
)
