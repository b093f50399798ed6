"""A message the outbox sends to a Matrix ID: stored as the welcome of a chat opened for it.

What :meth:`bot.transports.matrix.rooms.Rooms.open_direct_chat` stores, from what the
outbox hands the transport (the reply with its outbox key among the extras), without a
homeserver: the welcome as the bot really keeps it (explorer AJ4: a hand-made copy of the
outbox row's payload hid that the two never compared equal).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from bot.messages import Reply
from bot.outbox import About, Sender, enqueue
from bot.outbox_payload import reply_to_payload
from bot.storage.db import Database
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.transports.matrix.inbox import Inbox
from tests.auxil.attestations import BILAN_START, add_bilan

ACCOUNT = "@formabot:example.org"


async def send_into_unjoined_chat(
    db: Database, key: str, opened: datetime, *, joined: bool = False
) -> None:
    """The outbox row ``key`` sent by the real outbox; its welcome waits in ``!dm``."""
    inbox = Inbox(db.sessions, ACCOUNT)

    async def open_chat(invitee: str, reply: Reply) -> None:
        welcome = await inbox.add_welcome(f"dm:{key}", invitee, reply_to_payload(reply))
        await inbox.welcome_room(welcome.id, "!dm:example.org")

    assert await Sender(db.sessions, {"matrix": open_chat}).run_once() == 1
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.key == key).values(sent_at=opened)
        )
        await session.execute(
            update(MatrixWelcome).values(created_at=opened, status="sent" if joined else "pending")
        )


async def invitation_waiting(
    db: Database, opened: datetime, chat_id: str, *, joined: bool = False
) -> int:
    """A bilan whose chargée de mission's invitation was « sent » into a chat opened for
    her at ``opened``, not joined unless ``joined``: the bilan's id."""
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        await enqueue(
            session,
            key="cm",
            platform="matrix",
            chat_id=chat_id,
            reply=Reply(text="Vous êtes invitée au bilan."),
            about=About(bilan_id=bilan_id, participant_id=None, what="charge_de_mission"),
        )
    await send_into_unjoined_chat(db, "cm", opened, joined=joined)
    return bilan_id
