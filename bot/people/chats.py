"""Where the bot can write to a person first, of all their chat accounts.

Notices the bot sends on its own (an e-mail that could not be delivered, a
proof bundle sent) go to one chat of the person concerned: this picks it.
Someone's own words passed on to a trainer go the same way, cut to a
notice's length (:func:`capped`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import visible
from bot.messages import ChatFor, Reply
from bot.outbox import enqueue
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity
from bot.storage.state import ConversationState


async def chat_of_person(
    session: AsyncSession, person_id: int, *, prefer: str | None = None
) -> ChatFor | None:
    """(platform, chat) where the bot can write to a person first.

    A trainer may talk to the bot from several platforms: the one named by
    ``prefer`` comes first, then real platforms before the console (a place
    to try the bot, where nobody reads notices), then the oldest identity.
    The pair says whose account it is (:class:`~bot.messages.ChatFor`).
    """
    identities = (
        await session.scalars(
            select(ChatIdentity).where(
                ChatIdentity.person_id == person_id, ChatIdentity.blocked_at.is_(None)
            )
        )
    ).all()
    if not identities:
        return None
    best = min(
        identities,
        key=lambda i: (i.platform != prefer, i.platform == "console", i.id),
    )
    return ChatFor(best.platform, best.chat_id, best.user_id)


async def chat_moved(session: AsyncSession, platform: str, old: str, new: str) -> None:
    """The chat ``old`` goes on as ``new`` (a Telegram group upgraded to a supergroup,
    explorer ID2): the accounts reached there, the dialogues under way in it (one already
    begun in the new one kept) and the messages still to send follow it."""
    await session.execute(
        update(ChatIdentity)
        .where(ChatIdentity.platform == platform, ChatIdentity.chat_id == old)
        .values(chat_id=new)
    )
    there = select(ConversationState.user_id).where(
        ConversationState.platform == platform, ConversationState.chat_id == new
    )
    await session.execute(
        update(ConversationState)
        .where(
            ConversationState.platform == platform,
            ConversationState.chat_id == old,
            ConversationState.user_id.not_in(there),
        )
        .values(chat_id=new)
    )
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.platform == platform,
            OutboxMessage.chat_id == old,
            OutboxMessage.status == "pending",
        )
        .values(chat_id=new)
    )


async def tell_person(
    session: AsyncSession,
    person_id: int,
    reply: Reply,
    *,
    key: str,
    organisation_id: int,
    prefer: str | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Queue ``reply`` for the person's chat (:func:`chat_of_person`), once per ``key``, not
    before ``not_before`` when given; False when the bot has no chat to write to them in."""
    where = await chat_of_person(session, person_id, prefer=prefer)
    if where is None:
        return False
    await enqueue(
        session,
        key=key,
        platform=where[0],
        chat_id=where[1],
        reply=reply,
        organisation_id=organisation_id,
        not_before=not_before,
        recipient=where.user,  # her chat may be a room others read (AJ2)
    )
    return True


FORWARD_LIMIT = 2000
"""Characters of someone's message passed on: a chat notice, not a mailbox (the rest is cut,
said to both sides)."""


def capped(text: str) -> tuple[str, int | None]:
    """A message as passed on: invisible characters dropped, cut at :data:`FORWARD_LIMIT`
    (with its full length, to say so) so that a huge paste stays one readable notice."""
    shown = visible(text).strip()
    if len(shown) <= FORWARD_LIMIT:
        return shown, None
    return shown[:FORWARD_LIMIT].rstrip(), len(shown)
