"""An organisation's members: who they are, a role given or taken back, a departure.

A trainer who leaves must not keep receiving the reminders and notices that
name her trainees, and her formations must not be left with no one in
charge (explorer AP1, AP2: no way to end a membership but SQL, and the one
removed by hand still got « Karim Benali a attesté … »).  Removing a member
therefore hands her formations to another member in the same transaction:
their deadlines, reminders and notices follow their owner.  An organisation
always keeps an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import fold, visible
from bot.formations.labels import told_apart
from bot.outbox import cancel_pending
from bot.people.membership import revoke_invitation
from bot.storage import audit
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Invitation, Membership, Person, Role


@dataclass(frozen=True)
class Member:
    """A member as the admin's list shows her."""

    person_id: int
    name: str
    role: str
    form: str | None
    """« f », « m » or « n »: how the words that name her agree."""
    since: datetime
    formations: tuple[str, ...]
    """The titles of the formations she is in charge of, not deleted."""

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value


async def members(session: AsyncSession, organisation_id: int) -> list[Member]:
    """The organisation's members, by name, with the formations each is in charge of."""
    rows = (
        await session.execute(
            select(Membership, Person)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.organisation_id == organisation_id)
        )
    ).all()
    titles = (
        await session.execute(
            select(Formation.owner_id, Formation.id, Formation.title, Formation.start_date).where(
                Formation.organisation_id == organisation_id, Formation.deleted_at.is_(None)
            )
        )
    ).all()
    # Two groups of one title told apart by their start day (explorer ED3), in French order:
    # « Électricien » under E, not after « Prépa » (explorer ED4).
    named = told_apart((fid, title, start) for _, fid, title, start in titles)
    owned: dict[int, list[str]] = {}
    for owner, fid, _, _ in sorted(titles, key=lambda row: (fold(row[2]), row[3])):
        owned.setdefault(owner, []).append(named[fid])
    found = [
        Member(
            p.id,
            p.display_name,
            m.role,
            p.address_form,
            m.created_at,
            tuple(owned.get(p.id, [])),
        )
        for m, p in rows
    ]
    return sorted(found, key=lambda m: fold(m.name))


Changed = Literal["done", "last_admin", "gone", "successor_needed"]


async def _admins(session: AsyncSession, organisation_id: int) -> int:
    """The administrators, their rows locked (PostgreSQL): two admins removing each other at
    once never leave the organisation with none."""
    rows = await session.scalars(
        select(Membership.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role == Role.ADMIN.value,
        )
        .with_for_update()
    )
    return len(rows.all())


async def _membership(
    session: AsyncSession, organisation_id: int, person_id: int
) -> Membership | None:
    return await session.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation_id, Membership.person_id == person_id
        )
    )


async def set_role(
    session: AsyncSession,
    organisation_id: int,
    person_id: int,
    role: Role,
    *,
    by: int,
    now: datetime,
) -> Changed:
    """Give or take back the administration; never from the last administrator."""
    member = await _membership(session, organisation_id, person_id)
    if member is None:
        return "gone"
    if member.role == role.value:
        return "done"
    if role is Role.FORMATEUR and await _admins(session, organisation_id) <= 1:
        return "last_admin"
    member.role = role.value
    audit.record(
        session,
        organisation_id=organisation_id,
        actor_id=by,
        action="promote" if role is Role.ADMIN else "demote",
        entity="membership",
        entity_id=member.id,
    )
    if role is Role.FORMATEUR:  # an administrator's codes she made stop with her role (AR)
        await _revoke_invitations(
            session, organisation_id, person_id, by=by, now=now, role=Role.ADMIN
        )
    return "done"


async def _revoke_invitations(
    session: AsyncSession,
    organisation_id: int,
    person_id: int,
    *,
    by: int,
    now: datetime,
    role: Role | None = None,
) -> None:
    """Her invitations not used yet (of ``role`` only, if given) stop working, each as
    « Révoquer » does it (its Matrix welcome not sent): no one joins by the hand of someone
    gone, nor becomes an administrator by the hand of someone who no longer is one."""
    pending = await session.scalars(
        select(Invitation.id).where(
            Invitation.organisation_id == organisation_id,
            Invitation.created_by == person_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            *([Invitation.role == role.value] if role is not None else []),
        )
    )
    for invitation_id in pending.all():
        await revoke_invitation(session, organisation_id, invitation_id, by=by, now=now)


async def remove(
    session: AsyncSession,
    organisation_id: int,
    person_id: int,
    *,
    successor: int | None,
    by: int,
    now: datetime,
) -> Changed:
    """End a membership, her formations handed to ``successor`` (another member) first."""
    member = await _membership(session, organisation_id, person_id)
    if member is None:
        return "gone"
    if member.role == Role.ADMIN.value and await _admins(session, organisation_id) <= 1:
        return "last_admin"
    owned = await session.scalar(  # deleted ones, which remind no one, ask no successor
        select(func.count(Formation.id)).where(
            Formation.organisation_id == organisation_id,
            Formation.owner_id == person_id,
            Formation.deleted_at.is_(None),
        )
    )
    if owned and (
        successor is None or await _membership(session, organisation_id, successor) is None
    ):
        # Formations of hers and no one (still) there to take them: nothing done (explorer
        # AQ5, AQ6: the successor removed meanwhile, a formation made meanwhile).
        return "successor_needed"
    handed = 0
    if successor is not None:
        result = await session.execute(
            update(Formation)
            .where(Formation.organisation_id == organisation_id, Formation.owner_id == person_id)
            .values(owner_id=successor)
            .execution_options(synchronize_session=False)
        )
        handed = int(result.rowcount or 0)  # type: ignore[attr-defined]
    await _revoke_invitations(session, organisation_id, person_id, by=by, now=now)  # AQ7
    # What the organisation's outbox still holds for her (a reminder naming a trainee, a
    # digest) is not sent after she left (explorer AX8); the notice of her removal comes next.
    chats = select(ChatIdentity.chat_id).where(ChatIdentity.person_id == person_id)
    await cancel_pending(
        session,
        OutboxMessage.organisation_id == organisation_id,
        OutboxMessage.chat_id.in_(chats),
    )
    audit.record(
        session,
        organisation_id=organisation_id,
        actor_id=by,
        action="remove_member",
        entity="membership",
        entity_id=member.id,
        person_id=person_id,
        formations=handed,
        successor_id=successor,
    )
    await session.delete(member)
    return "done"


@dataclass(frozen=True)
class Removal:
    """A member removed: her name, who removed her, when (from the journal)."""

    name: str
    by: str | None
    at: datetime | None


async def removal(session: AsyncSession, organisation_id: int, person_id: int) -> Removal | None:
    """How the person ``person_id``, no longer a member, left the organisation (explorer AF6:
    an administrator's choice for a member another had just removed came back as the list,
    without a word); ``None`` for an unknown person."""
    person = await session.get(Person, person_id)
    if person is None:
        return None
    entries = await session.scalars(
        select(audit.AuditEntry)
        .where(
            audit.AuditEntry.organisation_id == organisation_id,
            audit.AuditEntry.action == "remove_member",
        )
        .order_by(audit.AuditEntry.id.desc())
    )
    entry = next((e for e in entries if (e.details or {}).get("person_id") == person_id), None)
    if entry is None:
        return Removal(person.display_name, None, None)
    by = await session.get(Person, entry.actor_id) if entry.actor_id is not None else None
    return Removal(person.display_name, by.display_name if by else None, entry.at)


async def name_of(session: AsyncSession, person_id: int | None) -> str | None:
    """The name under which a colleague's act is told (« … par Camille Durand, le … »),
    without invisible characters; None when nobody is recorded or the person is gone."""
    person = await session.get(Person, person_id) if person_id else None
    return None if person is None else visible(person.display_name)
