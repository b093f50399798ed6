"""The first organisation, created by the first person who writes, and chat identities.

Who is behind a chat is a :class:`ChatAddress` (platform, user, private
chat); a person may gain an identity on a platform once, and an identity
already known moves to the person it now belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import audit
from bot.storage.conflicts import insert_unless_taken
from bot.storage.people import ChatIdentity, Membership, Organisation, Person, Role


@dataclass(frozen=True)
class ChatAddress:
    platform: str
    user_id: str
    chat_id: str
    """The private chat where the bot can write to this person first."""


async def has_organisation(session: AsyncSession) -> bool:
    """Whether anyone has set up an organisation yet (then ``/start`` alone lets nobody in)."""
    return bool(await session.scalar(select(func.count(Organisation.id))))


async def attach_identity(session: AsyncSession, person_id: int, address: ChatAddress) -> None:
    """Bind this chat identity to ``person_id``, creating it on first contact."""
    identity = await session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == address.platform,
            ChatIdentity.user_id == address.user_id,
        )
    )
    if identity is None:
        session.add(
            ChatIdentity(
                person_id=person_id,
                platform=address.platform,
                user_id=address.user_id,
                chat_id=address.chat_id,
            )
        )
    else:
        identity.person_id = person_id
    await session.flush()


async def create_first_organisation(
    session: AsyncSession, *, name: str, timezone: str, admin_name: str, address: ChatAddress
) -> Organisation | None:
    """The organisation, with the person at ``address`` as its admin.

    ``None`` when an organisation exists already, or when someone else
    finishing ``/start`` at the same moment won: the founding organisation is
    unique in the schema (``organisations.founding``), so exactly one of two
    racing processes creates it, and the other writes nothing.
    """
    if await has_organisation(session):
        return None
    organisation_id = await insert_unless_taken(
        session, Organisation, {"name": name, "timezone": timezone, "founding": True}
    )
    if organisation_id is None:
        return None
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None  # inserted just now, in this transaction
    person = Person(display_name=admin_name)
    session.add(person)
    await session.flush()
    await attach_identity(session, person.id, address)
    session.add(
        Membership(organisation_id=organisation.id, person_id=person.id, role=Role.ADMIN.value)
    )
    await session.flush()
    audit.record(
        session,
        organisation_id=organisation.id,
        actor_id=person.id,
        action="create",
        entity="organisation",
        entity_id=organisation.id,
    )
    return organisation
