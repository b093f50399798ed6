"""Joining an organisation: an admin issues a one-time code, a newcomer redeems it.

The code itself exists only in what :func:`issue_invitation` returns (to be
shown once to the admin); the database keeps its SHA-256
(:mod:`bot.invitations`).  A code is consumed by one conditional
``UPDATE … WHERE used_at IS NULL AND revoked_at IS NULL … RETURNING``
(:func:`redeem_invitation`): of two accounts redeeming it at the same moment,
in one process or two, exactly one becomes a member.  An admin sees the
codes still pending (:func:`pending_invitations`, never the code itself) and
may revoke one (:func:`revoke_invitation`, the same conditional update).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import invitations
from bot.messages import Reply
from bot.outbox import enqueue
from bot.people.organisations import ChatAddress, attach_identity
from bot.storage import audit
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Invitation, Membership, Organisation, Person, Role

Refusal = Literal[
    "already_member", "code_used", "code_revoked", "code_expired", "other_organisation"
]
"""Why a code does not let this person in (also the name of the message that says so)."""


async def issue_invitation(
    session: AsyncSession,
    *,
    organisation_id: int,
    by: int,
    role: str,
    now: datetime,
    valid_for: timedelta,
) -> tuple[Invitation, str]:
    """A new code that makes its holder ``role`` of the organisation; the code in clear."""
    code = invitations.new_code()
    invitation = Invitation(
        organisation_id=organisation_id,
        code_hash=invitations.code_hash(code),
        role=role,
        created_by=by,
        created_at=now,
        expires_at=now + valid_for,
    )
    session.add(invitation)
    await session.flush()
    audit.record(
        session,
        organisation_id=organisation_id,
        actor_id=by,
        action="invite",
        entity="invitation",
        entity_id=invitation.id,
        role=role,
    )
    return invitation, code


async def find_invitation(session: AsyncSession, code: str) -> Invitation | None:
    """The invitation this code opens, if it is one of ours (used or not)."""
    if not invitations.looks_like_code(code):
        return None
    wanted = invitations.code_hash(code)
    found = await session.scalar(select(Invitation).where(Invitation.code_hash == wanted))
    if found is None or not invitations.same_hash(found.code_hash, wanted):
        return None
    return found


def refusal(invitation: Invitation, *, now: datetime, member_of: int | None) -> Refusal | None:
    """Why ``invitation`` cannot make this person a member now (``member_of``: their organisation)."""
    if member_of == invitation.organisation_id:
        return "already_member"
    if invitation.revoked_at is not None:
        return "code_revoked"
    if invitation.used_at is not None:
        return "code_used"
    if invitation.expires_at < now:
        return "code_expired"
    if member_of is not None:
        return "other_organisation"
    return None


async def organisation_of(session: AsyncSession, invitation: Invitation) -> Organisation:
    organisation = await session.get(Organisation, invitation.organisation_id)
    assert organisation is not None  # the invitation is deleted with its organisation
    return organisation


@dataclass(frozen=True)
class Joined:
    person_id: int
    role: str


async def redeem_invitation(
    session: AsyncSession,
    invitation_id: int,
    *,
    name: str,
    address: ChatAddress,
    person_id: int | None,
    member_of: int | None,
    now: datetime,
) -> Joined | Refusal:
    """Make the person at ``address`` a member, under ``name``, and use the code up.

    ``person_id`` is the person already behind this chat (a bilan's
    participant, renamed), or ``None`` for a newcomer, created here.
    """
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None:
        return "code_used"
    refused = refusal(invitation, now=now, member_of=member_of)
    if refused is not None:
        return refused
    if not await _consume(session, invitation_id, now=now):
        # Used or revoked since it was read: someone else was quicker.
        await session.refresh(invitation)
        return refusal(invitation, now=now, member_of=member_of) or "code_used"
    person = await session.get(Person, person_id) if person_id is not None else None
    if person is not None:
        person.display_name = name
    else:
        person = Person(display_name=name)
        session.add(person)
        await session.flush()
        await attach_identity(session, person.id, address)
    session.add(
        Membership(
            organisation_id=invitation.organisation_id, person_id=person.id, role=invitation.role
        )
    )
    await session.execute(
        update(Invitation).where(Invitation.id == invitation_id).values(used_by=person.id)
    )
    await session.refresh(invitation)
    audit.record(
        session,
        organisation_id=invitation.organisation_id,
        actor_id=person.id,
        action="join",
        entity="invitation",
        entity_id=invitation.id,
        role=invitation.role,
    )
    return Joined(person.id, invitation.role)


async def promote(
    session: AsyncSession, invitation: Invitation, person_id: int, *, now: datetime
) -> bool:
    """An administrator's code sent by a formateur of its organisation makes them one, and is
    used up (explorer J: refused as « déjà membre », no admin could ever be added).  False
    when the code is no admin's, the person is one already, or the code is no longer good."""
    if invitation.role != Role.ADMIN.value:
        return False
    member = await session.scalar(
        select(Membership).where(
            Membership.organisation_id == invitation.organisation_id,
            Membership.person_id == person_id,
        )
    )
    if member is None or member.role == Role.ADMIN.value:
        return False
    if refusal(invitation, now=now, member_of=None) is not None:
        return False
    if not await _consume(session, invitation.id, now=now):
        return False
    member.role = Role.ADMIN.value
    await session.execute(
        update(Invitation).where(Invitation.id == invitation.id).values(used_by=person_id)
    )
    audit.record(
        session,
        organisation_id=invitation.organisation_id,
        actor_id=person_id,
        action="promote",
        entity="membership",
        entity_id=member.id,
        invitation_id=invitation.id,
    )
    return True


async def _consume(session: AsyncSession, invitation_id: int, *, now: datetime) -> bool:
    """Mark the code used if it is still usable; whether this transaction got it.

    One statement decides: on PostgreSQL a concurrent one waits for this
    transaction, then finds ``used_at`` set and changes nothing.
    """
    won = await session.scalar(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at >= now,
        )
        .values(used_at=now)
        .returning(Invitation.id)
        .execution_options(synchronize_session=False)
    )
    return won is not None


@dataclass(frozen=True)
class Pending:
    """An invitation not used yet, as an admin sees it (never its code: only the hash is kept)."""

    id: int
    number: int
    """Its number in the organisation (:func:`invitation_numbers`), said when it was made."""
    role: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    matrix_user: str | None
    """Whom the bot wrote to on Matrix with the code, if it did."""


async def pending_invitations(
    session: AsyncSession, organisation_id: int, *, now: datetime
) -> list[Pending]:
    """The organisation's formateur invitations still usable, oldest first."""
    rows = await session.execute(
        select(Invitation, Person.display_name)
        .join(Person, Person.id == Invitation.created_by)
        .where(
            Invitation.organisation_id == organisation_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at >= now,
        )
        .order_by(Invitation.created_at, Invitation.id)
    )
    found = [(invitation, name) for invitation, name in rows]
    keys = {f"invitation:{invitation.id}:matrix": invitation.id for invitation, _ in found}
    sent_to = {
        keys[key]: chat
        for key, chat in (
            await session.execute(
                select(OutboxMessage.key, OutboxMessage.chat_id).where(
                    OutboxMessage.key.in_(list(keys))
                )
            )
        ).all()
    }
    numbers = await invitation_numbers(session, organisation_id)
    return [
        Pending(
            invitation.id,
            numbers[invitation.id],
            invitation.role,
            name,
            invitation.created_at,
            invitation.expires_at,
            sent_to.get(invitation.id),
        )
        for invitation, name in found
    ]


async def invitation_numbers(session: AsyncSession, organisation_id: int) -> dict[int, int]:
    """Each invitation's number in its organisation, 1 for its first: said with the code
    and in the list of those pending, so that an admin who sent three the same minute
    knows which one to revoke (explorer J J15: three identical lines)."""
    ids = await session.scalars(
        select(Invitation.id)
        .where(Invitation.organisation_id == organisation_id)
        .order_by(Invitation.id)
    )
    return {invitation_id: n for n, invitation_id in enumerate(ids, start=1)}


Revoked = Literal["revoked", "already_used", "already_revoked", "not_found"]


async def revoke_invitation(
    session: AsyncSession,
    organisation_id: int,
    invitation_id: int,
    *,
    by: int | None,
    now: datetime,
    **details: str,
) -> Revoked:
    """Revoke a pending invitation of the organisation; what happened, in one word.

    ``by``: the member who revoked it, ``None`` for the bot itself (a code shown in
    a group, :mod:`bot.conversations.people.in_group`), ``details`` saying why.

    The same conditional update as a redemption: if the invitee redeems the
    code at the same moment, exactly one of the two happens.
    """
    won = await session.scalar(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.organisation_id == organisation_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .returning(Invitation.id)
        .execution_options(synchronize_session=False)
    )
    if won is None:
        invitation = await session.get(Invitation, invitation_id, populate_existing=True)
        if invitation is None or invitation.organisation_id != organisation_id:
            return "not_found"
        return "already_revoked" if invitation.revoked_at is not None else "already_used"
    audit.record(
        session,
        organisation_id=organisation_id,
        actor_id=by,
        action="revoke",
        entity="invitation",
        entity_id=invitation_id,
        **details,
    )
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.key == f"invitation:{invitation_id}:matrix")
        .where(OutboxMessage.status == "pending")
        .values(status="cancelled")
    )
    return "revoked"


async def invite_on_matrix(
    session: AsyncSession,
    invitation: Invitation,
    *,
    matrix_user: str,
    welcome: Reply,
) -> None:
    """Have the bot open a direct chat with ``matrix_user`` and send them ``welcome``.

    On Tchap an external cannot start a conversation with the bot, so the bot
    opens it; the outbox row (one per invitation) is sent exactly once, and
    the Matrix transport keeps the welcome until the person has joined.
    """
    await enqueue(
        session,
        key=f"invitation:{invitation.id}:matrix",
        platform="matrix",
        chat_id=matrix_user,
        reply=welcome,
        organisation_id=invitation.organisation_id,
    )
    audit.record(
        session,
        organisation_id=invitation.organisation_id,
        actor_id=invitation.created_by,
        action="invite_on_matrix",
        entity="invitation",
        entity_id=invitation.id,
    )
