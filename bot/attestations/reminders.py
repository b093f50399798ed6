"""When a bilan is over, each participant who opened their link but has not answered
is told, in their own chat, that they can now confirm (exactly once, through the outbox).

A participant who opened the link before the bilan was told to come back
after it; their conversation may have expired meanwhile, so the bot writes
first.  Bilans that ended more than :data:`LOOK_BACK` ago are left alone (a
restart after a long downtime does not wake old ones up).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.attestations.service import when_words
from bot.bilans.view import view_of
from bot.config import Settings
from bot.messages import Reply
from bot.outbox import enqueue
from bot.storage.attestations import Attestation, AttestationInvitation
from bot.storage.bilans import Bilan

LOOK_BACK = timedelta(days=7)


async def tell_participants_the_bilan_is_over(
    session: AsyncSession, now: datetime, settings: Settings
) -> None:
    rows = (
        await session.execute(
            select(AttestationInvitation, Bilan)
            .join(Bilan, Bilan.id == AttestationInvitation.bilan_id)
            .where(
                AttestationInvitation.redeemed_at.is_not(None),
                AttestationInvitation.revoked_at.is_(None),
                Bilan.cancelled_at.is_(None),
                Bilan.ends_at <= now,
                Bilan.ends_at > now - LOOK_BACK,
                ~exists().where(Attestation.participant_id == AttestationInvitation.participant_id),
            )
        )
    ).all()
    for invitation, bilan in rows:
        if not invitation.redeemed_platform or not invitation.redeemed_chat_id:
            continue
        info = await view_of(session, bilan.id)
        if info is None:
            continue
        await enqueue(
            session,
            key=f"attestation:over:{invitation.id}:{bilan.sequence}",
            platform=invitation.redeemed_platform,
            chat_id=invitation.redeemed_chat_id,
            reply=Reply(text=texts.say("attestation_participant.bilan_over", **when_words(info))),
            organisation_id=bilan.organisation_id,
        )
