"""In a Telegram group: what is for the bot, and whom the bot's buttons are for.

In a group the bot reads only commands addressed to it and replies to its own
messages.  Its answers there reply to the message they answer: Telegram then
shows whom they are for, and a button's press carries that message with it,
so a press by anyone else is told apart (explorer ID1: anyone's tap on a
trainer's menu wiped her keyboard and told the group « la conversation
correspondante est terminée »).
"""

from __future__ import annotations

from typing import Any

from telegram import Message, ReplyParameters, Update
from telegram.constants import ChatType

GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL)


def addressed_to_me(text: str, username: str) -> bool:
    """In a group, only commands (``/aide`` or ``/aide@thisbot``) are for the bot."""
    if not text.startswith("/"):
        return False
    word = text.split(maxsplit=1)[0]
    if "@" in word:
        return word.split("@", 1)[1].lower() == username.lower()
    return True


def answers_me(message: Message, bot_id: int) -> bool:
    """A reply to one of the bot's messages: Telegram delivers it even in a group where
    the bot reads only commands, and it is how a typed answer reaches it there
    (explorer G G4: « 10 » for the digest's hour was ignored)."""
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    return author is not None and author.id == bot_id


def owner(pressed: Message) -> Message | None:
    """The person's message a group message of the bot answers: its buttons are hers."""
    if pressed.chat.type not in GROUPS:
        return None
    replied = pressed.reply_to_message
    author = replied.from_user if replied is not None else None
    return replied if author is not None and not author.is_bot else None


def someone_elses(update: Update) -> bool:
    """A button pressed by someone else than the person its message answers."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return False
    answered = owner(query.message)
    author = answered.from_user if answered is not None else None
    return author is not None and author.id != query.from_user.id


def reply_to(update: Update) -> dict[str, Any]:
    """In a group, the person's message the bot's replies answer (for a press: the one
    the pressed message answered); nothing in a private chat."""
    query = update.callback_query
    if query is not None:
        answered = owner(query.message) if isinstance(query.message, Message) else None
        return {} if answered is None else {"reply_to": answered.message_id}
    message = update.message
    if message is None or message.chat.type not in GROUPS:
        return {}
    return {"reply_to": message.message_id}


def reply_parameters(answer_to: int | None) -> ReplyParameters | None:
    """A reply to the person's message, sent all the same if she deleted it."""
    if answer_to is None:
        return None
    return ReplyParameters(message_id=answer_to, allow_sending_without_reply=True)
