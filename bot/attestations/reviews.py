"""The trainer's decision on an answer the bot flagged: validate it, or not.

An answer is flagged (:func:`bot.attestations.concerns.concerns_of`) when it
came from another chat account than an earlier answer or link of the same
participant, or with a role other than the invitation's.  It does not count
in the bundle until the trainer decides:

- **validated**: the trainer checked (a phone call, the visio log) and the
  answer counts; one row per concern, kept with who and when;
- **rejected**: it does not count; the participant's link is reissued (the
  old one stops working), the account it came from is told so, and is not held
  against their next answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.attestations.invitations import Fresh, reissue
from bot.attestations.service import Author, ParticipantStatus, audit, progress, when_words
from bot.bilans.view import BilanView
from bot.messages import Reply
from bot.outbox import enqueue
from bot.privacy.replies import Sealer
from bot.storage.attestations import Attestation, AttestationReview

Decision = Literal["validated", "rejected"]


@dataclass(frozen=True)
class Decided:
    row: ParticipantStatus
    decision: Decision
    fresh: Fresh | None = None
    """The new link, when the answer was rejected."""


async def flagged_row(
    session: AsyncSession, info: BilanView, participant_id: int, *, now: datetime
) -> ParticipantStatus | None:
    """The participant's status if their current answer awaits the trainer's decision."""
    for row in (await progress(session, info, now=now)).rows:
        if row.participant.id == participant_id and row.state == "to_review":
            return row
    return None


async def decide(
    session: AsyncSession,
    info: BilanView,
    participant_id: int,
    decision: Decision,
    *,
    author: Author,
    now: datetime,
    sealer: Sealer | None = None,
) -> Decided | None:
    """Record the decision on the participant's flagged answer; ``None`` when there is
    none (already decided, replaced meanwhile, or not of this bilan)."""
    row = await flagged_row(session, info, participant_id, now=now)
    if row is None or row.answer is None:
        return None
    for concern in row.concerns:
        session.add(
            AttestationReview(
                organisation_id=info.bilan.organisation_id,
                bilan_id=info.bilan.id,
                attestation_id=row.answer.id,
                concern=concern,
                decision=decision,
                decided_by=author.person_id,
                decided_at=now,
            )
        )
    await session.flush()
    audit(
        session,
        author,
        "validate" if decision == "validated" else "reject",
        "attestation",
        row.answer.id,
        bilan_id=info.bilan.id,
        concerns=list(row.concerns),
    )
    fresh = None
    if decision == "rejected":
        fresh = await reissue(session, info, participant_id, author=author, now=now, sealer=sealer)
        # The account that answered is told it does not count (explorer G G12: it kept
        # « Vous n'avez plus rien à faire », its next /attestation said the link was replaced).
        answer = row.answer
        await enqueue(
            session,
            key=f"attestation:rejected:{answer.id}",
            platform=answer.platform,
            chat_id=answer.chat_id,
            reply=Reply(
                text=texts.say("attestation_participant.answer_set_aside", **when_words(info))
            ),
            organisation_id=info.bilan.organisation_id,
            recipient=answer.chat_user_id,
        )
    return Decided(row, decision, fresh)


async def decided_meanwhile(
    session: AsyncSession, info: BilanView, participant_id: int
) -> AttestationReview | None:
    """The decision already taken on the participant's last answer to this bilan, when
    :func:`decide` found nothing left to decide: a colleague's, taken meanwhile (explorer
    KC3: the second of two administrators was told only « remplacée ou déjà examinée »)."""
    last = (
        select(Attestation.id)
        .where(Attestation.bilan_id == info.bilan.id, Attestation.participant_id == participant_id)
        .order_by(Attestation.answered_at.desc(), Attestation.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    review: AttestationReview | None = await session.scalar(
        select(AttestationReview).where(AttestationReview.attestation_id == last).limit(1)
    )
    return review
