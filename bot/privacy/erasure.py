"""Erasing a trainee at an admin's request, and deleting a formation past retention.

What an erasure removes (RGPD art. 17): the trainee's name, company, e-mail and phone
(the row stays, renamed « Personne effacée n° ID », so counts and dates of
the formation still add up), absences and their proofs, décrochage
follow-ups with their signs, contacts, entretiens, comptes rendus and
tickets qualité, the deadlines about them, their delegate role, their bilan
participations, invitations (their codes' SHA-256 kept in
:class:`~bot.storage.privacy.ErasedInvitation`, to say why a pasted code no
longer works) and attestations **not yet sent**, the account created only to answer an
attestation, and every copy of the name in what the transports keep
(conversation states, stored replies, inbox, outbox, Matrix queues).

What it keeps, and why: an attestation already e-mailed to the chargé(e)
de mission in a proof bundle, with the participant's name on it and the
bundle as sent.  The funder holds that evidence and may audit the action
(art. 17.3.b and e: a legal obligation of the organisme, and the
establishment or defence of its rights before the funder); the row is
frozen and its SHA-256 is in the bundle the funder has, so it is kept as
is, not pseudonymised (a pseudonymised copy would no longer match).  It
goes with the formation when retention ends (:mod:`bot.privacy.retention`).

The audit trail records the erasure by ids and counts only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import fold
from bot.deadlines.service import refresh_deadlines
from bot.privacy.erasure_outbox import withhold_pending
from bot.privacy.erasure_plan import Plan, count_rows, ids_of, plan_erasure
from bot.privacy.erasure_scope import Scope, scope_of
from bot.storage.absences import Absence, FollowUp, StoredDocument
from bot.storage.attestations import Attestation, AttestationInvitation, ProofSending
from bot.storage.audit import record
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.formations import ERASED_NAME, Formation, Trainee
from bot.storage.inbox import InboxUpdate
from bot.storage.matrix import MatrixEvent, MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Membership, Person
from bot.storage.privacy import ErasedInvitation
from bot.storage.state import ConversationState, ProcessedEvent

PURGED_NAME = "(effacé)"
"""What replaces a purged formation's names in messages still queued."""


def erased_name(trainee_id: int) -> str:
    return ERASED_NAME.format(id=trainee_id)


async def erase_trainee(
    session: AsyncSession,
    organisation_id: int,
    trainee_id: object,
    by: int,
    now: datetime,
    *,
    asking: tuple[str, str, str] | None = None,
) -> Plan | None:
    """Erase one trainee (see the module doc); ``None`` when there is no such trainee here.

    ``asking`` is the (platform, chat, user) of the conversation asking for
    it: the engine ends that one itself.
    """
    plan = await plan_erasure(session, organisation_id, trainee_id, lock=True)  # UD4
    if plan is None:
        return None
    trainee, formation = plan.trainee, plan.formation
    names = [n for n in (trainee.full_name, trainee.company) if n]
    participant_names = (
        await session.scalars(
            select(BilanParticipant.name).where(BilanParticipant.id.in_(plan.dropped_participants))
        )
    ).all()
    names += [n for n in participant_names if n]
    followups = await ids_of(session, FollowUp.id, FollowUp.trainee_id == trainee.id)
    proofs = [
        p for p in await ids_of(session, Absence.proof_id, Absence.trainee_id == trainee.id) if p
    ]
    people = await _answering_people(session, plan.dropped_participants | plan.kept_participants)
    scope = await scope_of(session, organisation_id, people)  # not another's chats (AI2)

    await session.execute(delete(Absence).where(Absence.trainee_id == trainee.id))
    if proofs:
        await session.execute(delete(StoredDocument).where(StoredDocument.id.in_(proofs)))
    await session.execute(delete(FollowUp).where(FollowUp.trainee_id == trainee.id))
    await session.execute(
        delete(StoredDeadline).where(
            StoredDeadline.formation_id == formation.id,
            (
                (StoredDeadline.subject == "trainee") & (StoredDeadline.subject_id == trainee.id)
                | (StoredDeadline.subject == "followup") & StoredDeadline.subject_id.in_(followups)
            ),
        )
    )
    if plan.dropped_attestations:
        # Answers given after the bundle was sent: not evidence the funder holds.
        # A frozen row is deleted, never rewritten (the ORM hook refuses updates).
        await session.execute(
            delete(Attestation).where(Attestation.id.in_(plan.dropped_attestations))
        )
    await withhold_pending(session, trainee, plan.kept_participants)  # before any renaming
    if plan.dropped_participants:
        codes = await ids_of(
            session,
            AttestationInvitation.code_hash,
            AttestationInvitation.participant_id.in_(plan.dropped_participants),
        )
        session.add_all(
            ErasedInvitation(code_hash=c, formation_id=formation.id, erased_at=now) for c in codes
        )
        bilans = await ids_of(
            session,
            BilanParticipant.bilan_id,
            BilanParticipant.id.in_(plan.dropped_participants),
        )
        await session.execute(
            delete(BilanParticipant).where(BilanParticipant.id.in_(plan.dropped_participants))
        )
        # A bundle not sent yet holds the name: it is built again when asked for.
        await session.execute(
            delete(ProofSending).where(
                ProofSending.bilan_id.in_(bilans), ProofSending.status != "sent"
            )
        )
    await session.execute(
        delete(BilanParticipant).where(
            BilanParticipant.trainee_id == trainee.id,
            BilanParticipant.id.not_in(plan.kept_participants),
        )
    )
    pseudonym = erased_name(trainee.id)
    trainee.full_name = pseudonym
    trainee.name_key = fold(pseudonym)
    trainee.company = trainee.email = trainee.phone = None
    trainee.is_delegate = False  # the pseudonym represents no one
    await session.flush()
    await forget_people(session, people, besides=plan.dropped_participants | plan.kept_participants)
    about = {"trainee_id": trainee.id}
    await end_conversations_about(session, about, names, now, asking=asking, scope=scope)
    await scrub(session, names, pseudonym, scope)
    record(
        session,
        organisation_id=organisation_id,
        actor_id=by,
        action="erase",
        entity="trainee",
        entity_id=trainee.id,
        formation_id=formation.id,
        absences=plan.absences,
        followups=plan.followups,
        documents=plan.documents,
        attestations=plan.unsent.given,
        corrections=plan.unsent.corrections + plan.late,
        kept=plan.sent.given,
    )
    await refresh_deadlines(session, formation.id)
    await session.flush()
    return plan


async def delete_formation(session: AsyncSession, formation_id: int, now: datetime) -> int:
    """Delete a formation and everything hanging from it; the number of trainees it had.

    Copies of its trainees' and participants' names in what the transports
    keep are replaced, and conversations about it end as at expiry.
    """
    trainees = await count_rows(session, Trainee, Trainee.formation_id == formation_id)
    names = [
        n
        for row in (
            await session.execute(
                select(Trainee.full_name, Trainee.company).where(
                    Trainee.formation_id == formation_id
                )
            )
        ).all()
        for n in row
        if n
    ]
    names += [
        n
        for n in await ids_of(
            session,
            BilanParticipant.name,
            BilanParticipant.bilan_id.in_(
                select(Bilan.id).where(Bilan.formation_id == formation_id)
            ),
        )
        if n
    ]
    proofs = [
        p
        for p in await ids_of(session, Absence.proof_id, Absence.formation_id == formation_id)
        if p
    ]
    participants = await ids_of(
        session,
        BilanParticipant.id,
        BilanParticipant.bilan_id.in_(select(Bilan.id).where(Bilan.formation_id == formation_id)),
    )
    people = await _answering_people(session, participants)
    owner = await session.get(Formation, formation_id)
    scope = await scope_of(session, owner.organisation_id, people) if owner else None
    # The database's ON DELETE CASCADE takes trainees, sessions, absences,
    # follow-ups (signs, contacts, entretiens, their documents, tickets),
    # bilans (participants, invitations, attestations, sheets, sendings) and
    # deadlines; proofs of absences hang from no follow-up and go here.
    await session.execute(delete(Formation).where(Formation.id == formation_id))
    if proofs:
        await session.execute(delete(StoredDocument).where(StoredDocument.id.in_(proofs)))
    await session.flush()
    await forget_people(session, people)
    await end_conversations_about(session, {"formation_id": formation_id}, names, now, scope=scope)
    await scrub(session, names, PURGED_NAME, scope)
    return trainees


async def forget_people(
    session: AsyncSession, person_ids: Iterable[int], *, besides: Iterable[int] = ()
) -> None:
    """Delete the accounts made only to answer attestations (never a member's nor an owner's).

    An account still used for another bilan's answer or link stays: another formation's,
    or another organisation's (explorer AI1: an erasure in one deleted the account the
    same person answered the other's bilan with, whose journal then named no one).  The
    answers of the participants being erased (``besides``) do not count: the kept evidence
    names the chat account itself, and the database unlinks it.
    """
    erased = list(besides)
    for person_id in set(person_ids):
        answers = select(Attestation.id).where(
            Attestation.person_id == person_id, Attestation.participant_id.not_in(erased)
        )
        links = select(AttestationInvitation.id).where(
            AttestationInvitation.redeemed_person_id == person_id,
            AttestationInvitation.participant_id.not_in(erased),
        )
        member = select(Membership.id).where(Membership.person_id == person_id)
        owner = select(Formation.id).where(Formation.owner_id == person_id)
        if any([await session.scalar(q.limit(1)) for q in (answers, links, member, owner)]):
            continue
        identities = (
            await session.execute(
                select(ChatIdentity.platform, ChatIdentity.user_id).where(
                    ChatIdentity.person_id == person_id
                )
            )
        ).all()
        for platform, user in identities:
            await session.execute(
                delete(ConversationState).where(
                    ConversationState.platform == platform, ConversationState.user_id == user
                )
            )
        await session.execute(delete(ChatIdentity).where(ChatIdentity.person_id == person_id))
        await session.execute(delete(Person).where(Person.id == person_id))


async def _answering_people(session: AsyncSession, participant_ids: Iterable[int]) -> set[int]:
    wanted = list(participant_ids)
    if not wanted:
        return set()
    redeemed = await ids_of(
        session,
        AttestationInvitation.redeemed_person_id,
        AttestationInvitation.participant_id.in_(wanted),
    )
    answered = await ids_of(session, Attestation.person_id, Attestation.participant_id.in_(wanted))
    return {p for p in (*redeemed, *answered) if p is not None}


# --- copies kept by the transports ---------------------------------------------------------


async def end_conversations_about(
    session: AsyncSession,
    about_ids: dict[str, int],
    names: Iterable[str],
    now: datetime,
    *,
    asking: tuple[str, str, str] | None = None,
    scope: Scope | None = None,
) -> int:
    """Conversations half-way about erased data lose what was typed, as at expiry; with
    ``scope``, only the organisation's own chats (:mod:`.erasure_scope`).

    Another formateur may be typing an absence reason for the trainee: the
    answers go, and that person is told the conversation expired when they
    write.  ``about_ids``: answers that designate the data (``trainee_id``,
    ``formation_id``); ``names``: words that name it.
    """
    wanted = [n for n in names if n]
    ended = 0
    for state in (await session.scalars(select(ConversationState))).all():
        data = dict(state.data or {})
        about = any(str(data.get(k)) == str(v) for k, v in about_ids.items()) or any(
            _mentions(value, wanted) for key, value in data.items() if key != "_q"
        )
        if (
            state.flow is None
            or not about
            or (state.platform, state.chat_id, state.user_id) == asking
            or (scope is not None and not scope.reaches(state))
        ):
            continue
        forget_answers(state, expires_at=now, why="erased")
        ended += 1
    await session.flush()
    return ended


def forget_answers(
    state: ConversationState, *, expires_at: datetime | None = None, why: str | None = None
) -> None:
    """Keep which conversation it was (the one the person started), nothing they typed.

    The engine then says it expired when the person writes again
    (``expires_at`` set to now makes it so at once), or ``why`` it was closed
    (:data:`bot.conversations.kit.runner.CLOSED`: ``erased``, explorer V, V4: « Sans
    réponse depuis un moment » to someone who had answered seconds before).
    """
    data = dict(state.data or {})
    stack = data.get("_stack") or []
    outermost = stack[0].get("flow") if stack and isinstance(stack[0], dict) else None
    state.flow = str(outermost or state.flow)
    state.step = None
    state.data = {"_q": data.get("_q", 0), **({"_closed": why} if why else {})}
    if expires_at is not None:
        state.expires_at = expires_at
    state.version += 1


def _mentions(value: Any, names: list[str]) -> bool:
    if isinstance(value, str):
        return any(name in value for name in names)
    if isinstance(value, list):
        return any(_mentions(v, names) for v in value)
    if isinstance(value, dict):
        return any(_mentions(v, names) for v in value.values())
    return False


_JSON_COLUMNS: tuple[tuple[type[Any], str], ...] = (
    (ConversationState, "data"),
    (InboxUpdate, "payload"),
    (MatrixEvent, "source"),
    (ProcessedEvent, "replies"),  # after the two above: they tell whose chat an event was
    (OutboxMessage, "payload"),
    (MatrixWelcome, "payload"),
)


async def scrub(
    session: AsyncSession, names: Iterable[str], replacement: str, scope: Scope | None = None
) -> int:
    """Replace ``names`` in every JSON copy the transports keep (with ``scope``, the
    organisation's own); the number of rows changed.

    Those tables are short-lived (a day or a week) and small, so they are
    read whole: JSON is stored escaped, which a SQL ``LIKE`` cannot search.
    """
    wanted = sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True)
    if not wanted:
        return 0
    changed = 0
    for model, column in _JSON_COLUMNS:
        for row in (await session.scalars(select(model))).all():
            if scope is not None and not scope.reaches(row):
                continue
            value = getattr(row, column)
            cleaned = _replace(value, wanted, replacement)
            if cleaned != value:
                # A reply kept for a redelivery quoted what was noted too (a follow-up's
                # note, a motive): dropped whole, not renamed (explorer AX3).
                setattr(row, column, [] if model is ProcessedEvent else cleaned)
                changed += 1
    await session.flush()
    return changed


def _replace(value: Any, names: list[str], replacement: str) -> Any:
    if isinstance(value, str):
        for name in names:
            value = value.replace(name, replacement)
        return value
    if isinstance(value, list):
        return [_replace(v, names, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, names, replacement) for k, v in value.items()}
    return value
