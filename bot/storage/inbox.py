"""What the platforms delivered, written down before they are told it arrived.

One row per incoming update: the neutral :class:`~bot.messages.Incoming`
(attachments included) and what its transport needs to answer it, stored as
JSON, unique on (platform, event id) so a redelivered update is one row.
A transport commits the row *before* it acknowledges the update (the next
``getUpdates`` offset, the webhook's 200, the console's echo), so a crash
can only lose what the platform will deliver again.  ``pending`` rows are
handled in order per person; ``done`` ones have their content erased and
are forgotten after a while.

When several processes share the database (``formabot run --workers N``,
or ``formabot work`` containers), a process handles a row only after
claiming it (:func:`claim`): one conditional ``UPDATE`` that succeeds only
if the row is its person's *oldest* pending row and nobody else holds a
live lease on it.  So two updates of one person are never handled at once
nor out of order, in any process, while different people go to whichever
process is free.  The lease is renewed while a long turn runs and dropped
with the ``done`` mark; a process killed mid-turn stops renewing it, and
:data:`LEASE` later another process takes the row over.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Index,
    Integer,
    String,
    UniqueConstraint,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column

from bot.storage.base import Base, utcnow

LEASE = timedelta(seconds=30)
"""How long a claim holds without being renewed.

A turn takes milliseconds, the longest (a PDF) a few seconds, and a running
turn renews its claim every third of this; so 30 s is only ever reached by
a process that died or lost the database.  Shorter would risk a second
process replaying a turn that is merely slow (its effects are de-duplicated,
but a reply could go out twice); longer would keep a killed worker's people
waiting longer for their answer.
"""


class InboxUpdate(Base):
    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_inbox_person_pending", "platform", "chat_id", "user_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    """Arrival order: a person's updates are handled by increasing id."""
    platform: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(255))
    chat_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``{"incoming": …, "answer": …}``; emptied once the update is done."""
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    """``pending`` (recorded, maybe handled, replies maybe partly sent) → ``done``."""
    sent: Mapped[int] = mapped_column(Integer, default=0)
    """How many of the turn's replies went out: a restart sends the rest."""
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    """The process handling the row (``host:pid``), when several share the database;
    kept once done, which says who handled it (no personal data)."""
    claimed_until: Mapped[datetime | None]
    """Until when that claim holds unless renewed (:data:`LEASE`)."""


def claimer() -> str:
    """This process's name in ``claimed_by``: a restarted process is a new one."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def _takeable(me: str, now: datetime) -> ColumnElement[bool]:
    """The row is its person's oldest pending one and nobody else holds it now."""
    older = aliased(InboxUpdate)
    return (
        (InboxUpdate.status == "pending")
        & or_(
            InboxUpdate.claimed_until.is_(None),
            InboxUpdate.claimed_until < now,
            InboxUpdate.claimed_by == me,
        )
        & ~exists().where(
            older.platform == InboxUpdate.platform,
            older.chat_id == InboxUpdate.chat_id,
            older.user_id == InboxUpdate.user_id,
            older.status == "pending",
            older.id < InboxUpdate.id,
        )
    )


async def claim(
    session: AsyncSession, row: int, me: str, now: datetime, lease: timedelta = LEASE
) -> int | None:
    """Take ``row`` for ``lease``; the replies already sent, or None when it is not ours to take.

    One statement: on PostgreSQL two processes racing for one row both reach
    its lock, and the second re-reads the claim the first wrote and takes
    nothing.
    """
    statement = (
        update(InboxUpdate)
        .where(InboxUpdate.id == row, _takeable(me, now))
        .values(claimed_by=me, claimed_until=now + lease)
        .returning(InboxUpdate.sent)
    )
    sent: int | None = (await session.execute(statement)).scalar_one_or_none()
    return sent


async def renew(
    session: AsyncSession, row: int, me: str, now: datetime, lease: timedelta = LEASE
) -> None:
    """A long turn keeps its claim."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == row, InboxUpdate.claimed_by == me)
        .values(claimed_until=now + lease)
    )


async def takeable(
    session: AsyncSession, platform: str, me: str, now: datetime, limit: int
) -> list[InboxUpdate]:
    """Rows this process may claim now, oldest first: at most one per person."""
    query = (
        select(InboxUpdate)
        .where(InboxUpdate.platform == platform, _takeable(me, now))
        .order_by(InboxUpdate.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def next_of(
    session: AsyncSession, key: tuple[str, str, str], me: str, now: datetime
) -> InboxUpdate | None:
    """The person's next row, if this process may claim it: their later messages follow."""
    platform, chat, user = key
    query = (
        select(InboxUpdate)
        .where(
            InboxUpdate.platform == platform,
            InboxUpdate.chat_id == chat,
            InboxUpdate.user_id == user,
            _takeable(me, now),
        )
        .order_by(InboxUpdate.id)
        .limit(1)
    )
    return (await session.scalars(query)).first()
