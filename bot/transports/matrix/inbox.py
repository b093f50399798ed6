"""The Matrix transport's SQL: the sync token, recorded events, pending welcomes.

:func:`record` is the heart of "nothing lost, nothing done twice": the events
of a sync and the token that follows them are written in one transaction, so
after a crash either both are there (the events wait in ``matrix_events``) or
neither (the same sync is fetched again).  Sessions are short and never nested
(SQLite runs with one connection).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.deadlines.digest_chat import digest_chat_lost, digest_chat_moved
from bot.people.chats import chat_moved
from bot.storage.base import utcnow
from bot.storage.formations import followed_by
from bot.storage.matrix import MatrixEvent, MatrixSyncToken, MatrixWelcome
from bot.storage.people import ChatIdentity
from bot.storage.state import ConversationState

KEEP_DONE = timedelta(days=7)
"""Handled events are remembered (without content) this long, against redelivery."""


@dataclass(frozen=True)
class Recorded:
    event_id: str
    room_id: str
    sender: str
    source: dict[str, Any]
    is_group: bool = False
    encrypted: bool = False


class Inbox:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], account: str) -> None:
        self.sessions = sessions
        self.account = account

    # --- the sync token ---------------------------------------------------------------

    async def token(self) -> str | None:
        async with self.sessions() as session:
            row = await session.get(MatrixSyncToken, self.account)
            return row.next_batch if row is not None else None

    async def add(self, events: list[Recorded]) -> list[str]:
        """Store events that came outside a sync (an invitation carrying a code)."""
        return await self.record(events, None)

    async def record(self, events: list[Recorded], next_batch: str | None) -> list[str]:
        """Store new events and move the token past them, atomically; the rooms touched."""
        rooms: list[str] = []
        async with self.sessions() as session, session.begin():
            ids = [e.event_id for e in events]
            known = set()
            if ids:
                known = set(
                    (
                        await session.scalars(
                            select(MatrixEvent.event_id).where(
                                MatrixEvent.account == self.account, MatrixEvent.event_id.in_(ids)
                            )
                        )
                    ).all()
                )
            for event in events:
                if event.event_id in known:
                    continue
                known.add(event.event_id)
                session.add(
                    MatrixEvent(
                        account=self.account,
                        event_id=event.event_id,
                        room_id=event.room_id,
                        sender=event.sender,
                        source=event.source,
                        is_group=event.is_group,
                        status="encrypted" if event.encrypted else "pending",
                    )
                )
                if event.room_id not in rooms:
                    rooms.append(event.room_id)
            if next_batch is None:
                return rooms
            row = await session.get(MatrixSyncToken, self.account)
            if row is None:
                session.add(MatrixSyncToken(account=self.account, next_batch=next_batch))
            else:
                row.next_batch = next_batch
                row.updated_at = utcnow()
        return rooms

    # --- events waiting ---------------------------------------------------------------

    async def rooms_waiting(self) -> list[str]:
        async with self.sessions() as session:
            return list(
                (
                    await session.scalars(
                        select(MatrixEvent.room_id)
                        .where(MatrixEvent.account == self.account, MatrixEvent.status == "pending")
                        .distinct()
                    )
                ).all()
            )

    async def next_in(self, room_id: str) -> MatrixEvent | None:
        """The oldest event of the room still to handle (rooms keep their order)."""
        async with self.sessions() as session:
            return await session.scalar(
                select(MatrixEvent)
                .where(
                    MatrixEvent.account == self.account,
                    MatrixEvent.room_id == room_id,
                    MatrixEvent.status == "pending",
                )
                .order_by(MatrixEvent.id)
                .limit(1)
            )

    async def undecrypted(self) -> list[MatrixEvent]:
        async with self.sessions() as session:
            return list(
                (
                    await session.scalars(
                        select(MatrixEvent)
                        .where(
                            MatrixEvent.account == self.account, MatrixEvent.status == "encrypted"
                        )
                        .order_by(MatrixEvent.id)
                    )
                ).all()
            )

    async def decrypted(self, row_id: int, source: dict[str, Any] | None) -> None:
        """The room key came: the event waits as any other (None: it is not a message)."""
        values: dict[str, Any] = (
            {"status": "pending", "source": source}
            if source is not None
            else {"status": "done", "source": {}, "handled_at": utcnow()}
        )
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(MatrixEvent).where(MatrixEvent.id == row_id).values(**values)
            )

    async def resend_asked(self, row_id: int) -> None:
        """Its sender was asked to send it again: if its key comes, it is not handled."""
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(MatrixEvent).where(MatrixEvent.id == row_id).values(resend_asked_at=utcnow())
            )

    async def done(self, row_id: int) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(MatrixEvent)
                .where(MatrixEvent.id == row_id)
                .values(status="done", source={}, handled_at=utcnow())
            )

    async def failed(self, row_id: int, attempts: int, error: str, *, give_up: bool) -> None:
        values: dict[str, Any] = {"attempts": attempts, "last_error": error[:200]}
        if give_up:
            values.update(status="failed", source={}, handled_at=utcnow())
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(MatrixEvent).where(MatrixEvent.id == row_id).values(**values)
            )

    async def forget_old(self) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                delete(MatrixEvent).where(
                    MatrixEvent.account == self.account,
                    MatrixEvent.status.in_(("done", "failed")),
                    MatrixEvent.handled_at < utcnow() - KEEP_DONE,
                )
            )

    # --- people who left ----------------------------------------------------------------

    async def gone(self, room_id: str, user_id: str | None = None) -> None:
        """Like a blocked Telegram user: whoever is reached in that room is reached no more.
        The bot out of the room (``user_id`` None: kicked, or left it empty) that was the
        digest's: the digest goes back to the admins in private, told once (explorer ID2)."""
        async with self.sessions() as session, session.begin():
            if user_id is None:
                await digest_chat_lost(session, "matrix", room_id)
            query = update(ChatIdentity).where(
                ChatIdentity.platform == "matrix",
                ChatIdentity.chat_id == room_id,
                ChatIdentity.blocked_at.is_(None),
            )
            if user_id is not None:
                query = query.where(ChatIdentity.user_id == user_id)
            await session.execute(query.values(blocked_at=utcnow()))
            await session.execute(
                update(MatrixWelcome)
                .where(MatrixWelcome.room_id == room_id, MatrixWelcome.status == "pending")
                .values(status="declined")
            )

    async def replaced(self, old: str, new: str) -> None:
        """The room ``old`` upgraded to ``new``: what was kept for it follows it, as for a
        Telegram group become a supergroup (the accounts, the dialogues under way, the
        messages still to send, the digest's room, what waits for an invitee there)."""
        async with self.sessions() as session, session.begin():
            await chat_moved(session, "matrix", old, new)
            await digest_chat_moved(session, "matrix", old, new)
            await session.execute(
                update(MatrixWelcome)
                .where(MatrixWelcome.room_id == old, MatrixWelcome.status == "pending")
                .values(room_id=new)
            )

    async def back(self, room_id: str, user_id: str) -> None:
        """A person who had left writes again from a direct chat: reachable there, and the
        dialogue under way in the chat she left (with what it set aside) follows her, one
        conversation per person (explorer EF5: her answer in the new chat was « pas sûr de ce
        que vous voulez faire », `/reprendre` found nothing)."""
        mine = (
            ChatIdentity.platform == "matrix",
            ChatIdentity.user_id == user_id,
            ChatIdentity.blocked_at.is_not(None),
        )
        async with self.sessions() as session, session.begin():
            left = (await session.scalars(select(ChatIdentity.chat_id).where(*mine))).all()
            if not left:
                return
            await session.execute(
                update(ChatIdentity).where(*mine).values(blocked_at=None, chat_id=room_id)
            )
            await _follow(session, [c for c in left if c != room_id], room_id, user_id)

    async def is_known(self, user_id: str) -> bool:
        """Someone formabot knows: a chat account of theirs on Matrix, or the Région's
        chargée de mission a formation names (she may open the chat herself, to answer)."""
        async with self.sessions() as session:
            found = await session.scalar(
                select(ChatIdentity.id).where(
                    ChatIdentity.platform == "matrix", ChatIdentity.user_id == user_id
                )
            )
            return found is not None or bool(await followed_by(session, user_id))

    # --- welcomes of the direct chats the bot opens -------------------------------------

    async def welcome_for(self, key: str) -> MatrixWelcome | None:
        async with self.sessions() as session:
            return await session.scalar(select(MatrixWelcome).where(MatrixWelcome.key == key))

    async def direct_rooms_with(self, invitee: str) -> list[str]:
        """The rooms this account shares with ``invitee``, latest first: those it opened for
        them (not declined), and the one they write from."""
        async with self.sessions() as session:
            opened = await session.scalars(
                select(MatrixWelcome.room_id)
                .where(
                    MatrixWelcome.account == self.account,
                    MatrixWelcome.invitee == invitee,
                    MatrixWelcome.room_id.is_not(None),
                    MatrixWelcome.status != "declined",
                )
                .order_by(MatrixWelcome.id.desc())
            )
            theirs = await session.scalars(
                select(ChatIdentity.chat_id).where(
                    ChatIdentity.platform == "matrix",
                    ChatIdentity.user_id == invitee,
                    ChatIdentity.blocked_at.is_(None),
                )
            )
            found = [str(r) for r in (*theirs.all(), *opened.all()) if r]
        return list(dict.fromkeys(found))

    async def add_welcome(self, key: str, invitee: str, payload: dict[str, Any]) -> MatrixWelcome:
        async with self.sessions() as session, session.begin():
            row = MatrixWelcome(account=self.account, key=key, invitee=invitee, payload=payload)
            session.add(row)
            await session.flush()
            return row

    async def welcome_room(self, row_id: int, room_id: str) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(MatrixWelcome).where(MatrixWelcome.id == row_id).values(room_id=room_id)
            )

    async def pending_welcomes(self) -> list[MatrixWelcome]:
        async with self.sessions() as session:
            return list(
                (
                    await session.scalars(
                        select(MatrixWelcome)
                        .where(
                            MatrixWelcome.account == self.account,
                            MatrixWelcome.status == "pending",
                            MatrixWelcome.room_id.is_not(None),
                        )
                        .order_by(MatrixWelcome.id)  # a room's messages in the order written
                    )
                ).all()
            )

    async def welcome_sent(self, row_id: int) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(MatrixWelcome)
                .where(MatrixWelcome.id == row_id)
                .values(status="sent", sent_at=utcnow())
            )


async def _follow(session: AsyncSession, left: list[str], room_id: str, user_id: str) -> None:
    """Her latest dialogue in the direct chats she left moved to the one she writes from now,
    unless one is under way there already (a group's dialogues stay in their group)."""
    states = (
        ConversationState.platform == "matrix",
        ConversationState.user_id == user_id,
    )
    here = await session.scalar(
        select(ConversationState).where(*states, ConversationState.chat_id == room_id)
    )
    if (here is not None and here.flow is not None) or not left:
        return
    latest = await session.scalar(
        select(ConversationState)
        .where(*states, ConversationState.chat_id.in_(left), ConversationState.flow.is_not(None))
        .order_by(ConversationState.updated_at.desc())
        .limit(1)
    )
    if latest is not None:
        if here is not None:  # a greeting's row, no dialogue: the unique key wants it gone
            await session.delete(here)
            await session.flush()
        latest.chat_id = room_id
