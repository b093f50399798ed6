"""A participant's answer: attesting, declining, or correcting an earlier answer.

Each answer is a new row of :class:`~bot.storage.attestations.Attestation`,
never updated: a correction (or a change of mind, attested then declined)
adds the next version, and the latest version is the current answer.  The
formation's trainer hears of each answer once, through the outbox, and is
told when it makes a proof bundle already sent to the chargé(e) de mission
out of date.  Each answer is chained to the bilan's previous one and signed
before it is written (:mod:`bot.attestations.chain`); the bilan's row is
locked meanwhile, so two answers at once cannot both follow the same link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.answers import visible
from bot.attestations.chain import genesis, seal
from bot.attestations.evidence import attestation_pdf, text_sha256
from bot.attestations.invitations import Held
from bot.attestations.keys import SigningKey
from bot.attestations.mail import reopen_proofs
from bot.attestations.service import (
    ROLE_LABELS,
    Author,
    Chat,
    answers_open,
    audit,
    current_answer,
    last_sending,
    progress,
    same_name,
    when_words,
)
from bot.bilans.queries import lock_bilan
from bot.documents.bundle import sha256_hex
from bot.formations.queries import hold_trainee
from bot.messages import Reply
from bot.people.chats import tell_person
from bot.storage.attestations import Attestation, AttestationInvitation
from bot.storage.bilans import Bilan, BilanParticipant


class TooEarly(ValueError):
    """An answer before the bilan's end (:func:`~bot.attestations.service.answers_open`):
    the conversation says when to come back, so this only guards other callers."""


@dataclass(frozen=True)
class Said:
    """What the participant answered, and the exact text they were shown."""

    typed_name: str
    role: str
    structure: str | None
    text: str
    attested: bool
    reason: str | None = None
    words_before: str | None = None
    """What they wrote under the text before answering, as passed on (explorer GB5)."""


async def hold_for_answer(session: AsyncSession, invitation_id: object) -> None:
    """Before an answer is checked and stored: the participant's trainee row held until the
    turn commits, as an erasure holds it (YC after explorer UD4: an answer written against a
    participation the erasure was deleting), then the bilan's
    (as the trainer's cancelling, move and « n'a pas participé » hold it), then the bilan,
    its participants and its invitations read again, so the checks see what such a
    change committed meanwhile (explorer UD1: an attestation stored on a bilan cancelled
    at the same moment; UD3: on a participant just noted absent)."""
    try:
        wanted = int(str(invitation_id))
    except ValueError:
        return
    if not 0 < wanted < 2**63:
        return
    trainee_id = await session.scalar(
        select(BilanParticipant.trainee_id)
        .join(AttestationInvitation, AttestationInvitation.participant_id == BilanParticipant.id)
        .where(AttestationInvitation.id == wanted)
    )
    if trainee_id is not None:
        await hold_trainee(session, trainee_id)
    bilan_id = await session.scalar(
        select(AttestationInvitation.bilan_id).where(AttestationInvitation.id == wanted)
    )
    if bilan_id is None or await lock_bilan(session, bilan_id) is None:
        return
    await session.scalars(
        select(AttestationInvitation)
        .where(AttestationInvitation.bilan_id == bilan_id)
        .execution_options(populate_existing=True)
    )


async def record_answer(
    session: AsyncSession,
    held: Held,
    said: Said,
    *,
    chat: Chat,
    author: Author,
    now: datetime,
    key: SigningKey,
) -> Attestation:
    """Store the answer as the participant's next version (with the PDF when attested),
    chained and signed with ``key``, audit it and tell
    the trainer.  Nothing is stored before the bilan's end (:class:`TooEarly`)."""
    invitation, info, participant = held
    if not answers_open(info, now):
        raise TooEarly(info.bilan.id)
    await session.execute(select(Bilan.id).where(Bilan.id == info.bilan.id).with_for_update())
    previous = await current_answer(session, participant.id)
    answer = Attestation(
        organisation_id=info.bilan.organisation_id,
        bilan_id=info.bilan.id,
        participant_id=participant.id,
        invitation_id=invitation.id,
        version=(previous.version + 1) if previous else 1,
        answer="attested" if said.attested else "declined",
        typed_name=said.typed_name,
        role=said.role,
        structure=said.structure if said.role == "partner" else None,
        reason=None if said.attested else said.reason,
        name_matches=same_name(said.typed_name, participant.name),
        role_matches=said.role == participant.kind,
        text=said.text,
        text_sha256=text_sha256(said.text),
        answered_at=now,
        platform=chat.platform,
        chat_user_id=chat.user,
        chat_id=chat.chat,
        person_id=(
            author.person_id if author.person_id is not None else invitation.redeemed_person_id
        ),
        bilan_starts_at=info.bilan.starts_at,
        bilan_ends_at=info.bilan.ends_at,
        words_before=said.words_before,
    )
    if said.attested:
        answer.pdf = attestation_pdf(answer, info)
        answer.pdf_sha256 = sha256_hex(answer.pdf)
    seal(answer, await chain_end(session, info.bilan.id), key)
    session.add(answer)
    await session.flush()
    # The person is not renamed as they signed: the name typed is this attestation's, and
    # each organisation's journal names them from its own bilans (explorer AF5,
    # :func:`bot.privacy.journal_rows.names_on_bilans`).
    audit(
        session,
        author,
        "attest" if said.attested else "decline",
        "attestation",
        answer.id,
        of=info.formation.organisation_id,
        bilan_id=info.bilan.id,
        version=answer.version,
    )
    await tell_trainer(session, held, answer, prefer=chat.platform)
    return answer


async def chain_end(session: AsyncSession, bilan_id: int) -> str:
    """The chain hash the bilan's next answer follows."""
    last = await session.scalar(
        select(Attestation.chain_sha256)
        .where(Attestation.bilan_id == bilan_id, Attestation.chain_sha256.is_not(None))
        .order_by(Attestation.id.desc())
        .limit(1)
    )
    return last or genesis(bilan_id)


async def concerns_now(session: AsyncSession, held: Held, now: datetime) -> tuple[str, ...]:
    """What the trainer must examine before the participant's current answer counts
    (:func:`~bot.attestations.concerns.concerns_of`): told to the trainer, and to the
    participant, who is then not told « Vous n'avez plus rien à faire » (explorer QB6)."""
    _, info, participant = held
    rows = (await progress(session, info, now=now)).rows
    return next((r.concerns for r in rows if r.participant.id == participant.id), ())


async def tell_trainer(
    session: AsyncSession, held: Held, answer: Attestation, *, prefer: str
) -> None:
    """The formation's trainer hears of each answer (exactly once, through the outbox)."""
    _, info, participant = held
    concerns = await concerns_now(session, held, answer.answered_at)
    await tell_person(
        session,
        info.formation.owner_id,
        Reply(
            text=texts.say(
                "attestation_trainer.notice_answer",
                name=visible(participant.name),
                a=answer,
                reason=visible(answer.reason),
                concerns=concerns,
                chosen=ROLE_LABELS.get(answer.role, answer.role),
                invited_as=ROLE_LABELS.get(participant.kind, participant.kind),
                **when_words(info),
            )
        ),
        key=f"attestation:answer:{answer.id}",
        organisation_id=info.bilan.organisation_id,
        prefer=prefer,
    )
    sent = await last_sending(session, info.bilan.id)
    if sent is not None and sent.status != "failed":
        # The bundle the chargé(e) de mission has (or is about to get) no longer says this.
        reopened = await reopen_proofs(session, info.bilan, answer.answered_at)
        await tell_person(
            session,
            info.formation.owner_id,
            Reply(
                text=texts.say(
                    "attestation_trainer.notice_stale",
                    name=visible(participant.name),
                    attested=answer.answer == "attested",
                    to=sent.to_address,
                    reopened=reopened,
                    **when_words(info),
                )
            ),
            key=f"attestation:stale:{sent.id}:{answer.id}",
            organisation_id=info.bilan.organisation_id,
            prefer=prefer,
        )
