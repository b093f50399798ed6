"""The chat chosen for the digest, when it changes address or the bot is no longer in it.

An admin may choose a group for the daily digest (``/reglages`` → « Recevoir le
récapitulatif ici »).  Explorer ID2: a Telegram group upgraded to a supergroup
changes its chat id, and a Matrix room the bot was removed from refuses it for
good; the digest, and the « messages non remis » notice put in the next one,
went on to a chat nobody reads.

- :func:`digest_chat_moved`: the group's new address is kept (the platform said
  it moved), the digest goes on there.
- :func:`digest_chat_lost`: the bot is no longer in the chat: the digest goes
  back to each admin's private chat, and each admin is told once.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.deadlines.digest_recipients import digest_address
from bot.messages import Reply
from bot.people.chats import tell_person
from bot.storage import audit
from bot.storage.base import utcnow
from bot.storage.people import Membership, Organisation, Role


async def digest_chat_moved(session: AsyncSession, platform: str, old: str, new: str) -> None:
    """The digest's chat ``old`` is now ``new`` (a Telegram group upgraded to a supergroup)."""
    await session.execute(
        update(Organisation)
        .where(Organisation.digest_chat == digest_address(platform, old))
        .values(digest_chat=digest_address(platform, new))
    )


async def digest_chat_lost(session: AsyncSession, platform: str, chat_id: str) -> int:
    """The bot is no longer in ``chat_id``: each organisation whose digest went there
    sends it to its admins in private again, and tells them once; how many there were."""
    found = (
        await session.scalars(
            select(Organisation).where(
                Organisation.digest_chat == digest_address(platform, chat_id)
            )
        )
    ).all()
    stamp = utcnow().strftime("%Y%m%d%H%M%S")
    for organisation in found:
        organisation.digest_chat = None
        audit.record(
            session,
            organisation_id=organisation.id,
            actor_id=None,
            action="digest_destination",
            entity="organisation",
            entity_id=organisation.id,
        )
        admins = await session.scalars(
            select(Membership.person_id).where(
                Membership.organisation_id == organisation.id,
                Membership.role == Role.ADMIN.value,
            )
        )
        said = texts.say(
            "digest.chat_lost", organisation=organisation.name, room=platform == "matrix"
        )
        for admin in admins.all():
            await tell_person(
                session,
                admin,
                Reply(text=said),
                key=f"digest-chat-lost:{organisation.id}:{admin}:{stamp}",
                organisation_id=organisation.id,
                prefer=platform,
            )
    await session.flush()
    return len(found)
