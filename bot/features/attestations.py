"""Sworn attestations: the participant's own chat, the trainer's follow-up, the proofs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.manifest import Command, Dialogues, Feature, Services
from bot.storage.people import Role

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context
    from bot.conversations.kit.flow import Flow, Outcome


def flows() -> Sequence[Flow]:
    """The dialogues, imported when one of them is first needed (:class:`Dialogues`)."""
    from bot.conversations.attestations import participant, review, send, sheet, trainer

    return (*participant.FLOWS, *trainer.FLOWS, *sheet.FLOWS, *send.FLOWS, *review.FLOWS)


async def redeem(ctx: Context, code: str) -> Outcome | None:
    """``/start CODE`` with a participant's personal link (its dialogue loaded then)."""
    from bot.conversations.attestations import participant

    return await participant.redeem(ctx, code)


async def guide(ctx: Context) -> bool:
    """A bilan's participant writing outside any conversation: where they stand."""
    if ctx.actor is None:  # no invitation redeemed: perhaps one written to them (a partner)
        from bot.conversations.attestations.guide import invited_here

        return await invited_here(ctx)
    from bot.conversations.attestations.guide import where_they_stand

    return await where_they_stand(ctx)


def services() -> Services:
    """The reminders, the proof bundle, the settings and the mail outcomes, imported when first
    needed."""
    from bot.attestations import exports, invitations, mail, reminders, sending
    from bot.attestations import settings as attestation_settings

    return Services(
        jobs=(reminders.tell_participants_the_bilan_is_over,),
        outdated=(reminders.answered_since,),
        files={"attestations": exports.attestations_bundle},
        settings=attestation_settings.SETTINGS,
        chat_resolvers=(invitations.participant_chat,),
        delivered=(mail.record_outcome,),
        works={"attestations.bundle": sending.bundle_work},
    )


FEATURE = Feature(
    name="attestations",
    dialogues=Dialogues(
        flows,
        commands=(
            Command(
                "attestation",
                summary="confirmer votre participation à un bilan",
                # In the one menu every chat shows: a participant looking there found only
                # the trainers' /attestations (explorer G G9).
                menu="Confirmer ma participation à un bilan (personne invitée)",
            ),
            Command(
                "attestations",
                summary="suivre les attestations d'un bilan et envoyer les justificatifs",
                menu="Suivre les attestations d'un bilan",
                role=Role.FORMATEUR,
            ),
        ),
    ),
    start_codes=(redeem,),
    guides=(guide,),
    services=services,
)
