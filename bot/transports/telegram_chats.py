"""What the bot keeps about a Telegram chat, when Telegram says the chat changed.

- A person blocked the bot (403 on a send): her accounts there are marked, and
  nothing is sent to her first until she writes again (explorer ID3).  A group
  the bot was removed from (403 too) that was the digest's chat: the digest goes
  back to the admins in private, and they are told (explorer ID2).
- A group upgraded to a supergroup (Telegram does it by itself: history shown to
  newcomers, a public link, 200 members) goes on under another chat id: its
  service messages ``migrate_to_chat_id`` / ``migrate_from_chat_id``, or a send's
  ``ChatMigrated``, move what was kept for it — the digest's chat, the dialogues
  under way, the accounts, the messages still to send (explorer ID2: the digest
  went on to the dead chat, and /reglages there called it « une autre discussion »).
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from telegram import Update

from bot.deadlines.digest_chat import digest_chat_lost, digest_chat_moved
from bot.people.chats import chat_moved
from bot.storage.base import utcnow
from bot.storage.db import Database
from bot.storage.people import ChatIdentity

log = logging.getLogger("bot.transports.telegram")

PLATFORM = "telegram"


def migration(update: Update) -> tuple[str, str] | None:
    """(old chat, new chat) when the update is a group's upgrade to a supergroup."""
    message = update.message
    if message is None:
        return None
    if message.migrate_to_chat_id:
        return str(message.chat.id), str(message.migrate_to_chat_id)
    if message.migrate_from_chat_id:
        return str(message.migrate_from_chat_id), str(message.chat.id)
    return None


async def moved(db: Database, old: str, new: str) -> None:
    """Everything kept for the chat ``old`` follows it to ``new`` (twice: no change)."""
    async with db.sessions() as session, session.begin():
        await chat_moved(session, PLATFORM, old, new)
        await digest_chat_moved(session, PLATFORM, old, new)
    log.info("telegram: a group became a supergroup; what was kept for it follows")


async def blocked(db: Database, chat_id: str) -> None:
    """A send refused for good (403): the person blocked the bot, or the bot is no longer
    in the group."""
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(ChatIdentity)
            .where(ChatIdentity.platform == PLATFORM, ChatIdentity.chat_id == chat_id)
            .values(blocked_at=utcnow())
        )
        # Only a group (a negative id): a person who blocked the bot is marked as before.
        group = chat_id.startswith("-")
        lost = await digest_chat_lost(session, PLATFORM, chat_id) if group else 0
    if lost:
        log.info("telegram: removed from the digest's group; the admins get it in private")
    else:
        log.info("a recipient blocked the bot; not retrying")
