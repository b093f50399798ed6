"""Sworn attestations: the participant's own chat, the trainer's follow-up, the proofs."""

from bot.attestations import exports, invitations, mail, reminders, sending
from bot.attestations import settings as attestation_settings
from bot.conversations.attestations import participant, review, send, sheet, trainer
from bot.manifest import Feature

FEATURE = Feature(
    name="attestations",
    flows=(*participant.FLOWS, *trainer.FLOWS, *sheet.FLOWS, *send.FLOWS, *review.FLOWS),
    start_codes=(participant.redeem,),
    jobs=(reminders.tell_participants_the_bilan_is_over,),
    files={"attestations": exports.attestations_bundle},
    settings=attestation_settings.SETTINGS,
    chat_resolvers=(invitations.participant_chat,),
    delivered=(mail.record_outcome,),
    works={"attestations.bundle": sending.bundle_work},
)
