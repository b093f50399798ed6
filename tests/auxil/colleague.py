"""Nina Colleague, a trainer of the demo organisation in charge of « Agent de restauration
(démo) », beside Camille Durand, its administrator: what one tells the other when she acts
in a colleague's formation (explorers EA14, KB4, KB9, QA2)."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.outbox_payload import payload_to_reply
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Person
from bot.texts import plain

NINA_CHAT = "n"


async def nina_in_charge(db: Database, *, chat: bool = True) -> None:
    """« Agent de restauration » handed to Nina, with a Telegram chat (``NINA_CHAT``) unless
    ``chat`` is False."""
    async with db.sessions() as session, session.begin():
        nina = Person(display_name="Nina Colleague")
        session.add(nina)
        await session.flush()
        if chat:
            session.add(
                ChatIdentity(person_id=nina.id, platform="telegram", user_id="n", chat_id=NINA_CHAT)
            )
        await session.execute(
            update(Formation).where(Formation.title.like("Agent%")).values(owner_id=nina.id)
        )


async def told_in(db: Database, chat: str = NINA_CHAT, key: str = "") -> list[str]:
    """What the outbox holds for ``chat`` (of keys starting with ``key``), in order."""
    async with db.sessions() as session:
        found = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.chat_id == chat, OutboxMessage.key.like(f"{key}%"))
            .order_by(OutboxMessage.id)
        )
        return [plain(payload_to_reply(r.payload).text) for r in found]
