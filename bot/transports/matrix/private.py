"""Personal messages stay private: never in a room where someone else is (explorer AJ2).

A person's chat on Matrix is the room she wrote from; she may invite a colleague
into it later (Element lets her), and the room becomes a group.  The bot already
refuses ``/attestation`` there, but what it sends on its own (a bilan moved, its
``.ics`` with the visio link, a reminder) went to that room all the same: the
colleague read them.  Before sending to a room that is a person's chat, the
transport looks at its members (its sync state, joined and invited): if anyone
other than the bot and that person is there, the message goes to a private chat
of the two instead, the one she has joined, or one the bot opens for it (its
welcome, sent once she joins); the room gets nothing.

Several people may write to the bot from one room, so that it is the chat of each: the room
does not say whose a message is.  A personal message says it itself (its
:data:`~bot.messages.RECIPIENT`, her account): it goes to her own private chat whenever
anyone else is in the room, whoever else's chat the room is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.storage.people import ChatIdentity, Organisation


async def person_if_shared(
    sessions: Any, room: Any, me: str, recipient: str | None = None
) -> str | None:
    """The Matrix ID of the one person a message to ``room`` is for, when others are there too.

    ``recipient``: the account the message says it is for (AJ2's exception): hers, if anyone
    else is in the room.  Without it, the one person whose chat ``room`` is; None for a room
    that is nobody's chat (a group chosen for the digest, a room the bot was invited into),
    for the digest's room, for a room of the bot and her alone, and when several people's
    chats are this room (what is meant for them all: a reply to one of them there), and for
    a room the bot does not know (``None``: the send refuses it).
    """
    if room is None:
        return None
    if recipient is not None:
        return recipient if others_in(room, me, recipient) else None
    room_id = str(room.room_id)
    async with sessions() as session:
        people = set(
            (
                await session.scalars(
                    select(ChatIdentity.user_id).where(
                        ChatIdentity.platform == "matrix", ChatIdentity.chat_id == room_id
                    )
                )
            ).all()
        )
        digest = await session.scalar(
            select(Organisation.id).where(Organisation.digest_chat == f"matrix:{room_id}")
        )
    if len(people) != 1 or digest is not None:
        return None
    (person,) = people
    others = set(room.users) - {me, person}
    return person if others or room.member_count > 2 else None


def others_in(room: Any, me: str, person: str) -> bool:
    """Someone other than the bot and ``person`` in ``room``, joined or invited."""
    return bool(set(room.users) - {me, person}) or room.member_count > 2
