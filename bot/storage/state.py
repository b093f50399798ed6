"""Where each conversation stands, and which platform events were already handled.

One row per (platform, chat, user).  ``version`` is bumped on every write
and checked on update, so two processes handling the same key cannot both
win; it is also stamped into every button, so a button from an older
question is recognised as stale.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, UniqueConstraint, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, JSONDict, utcnow

UNFORGOTTEN = "step IS NOT NULL"
"""A conversation whose answers are kept (forgetting them clears ``step``)."""

TIMED = "processed_at IS NOT NULL"
"""True of every event record: only a query that compares ``processed_at`` may use the index.

PostgreSQL plans a prepared statement once for any value; on a table never
analyzed (a new database, its first minutes) both indexes starting with
``platform`` look like one row away, and it took the smaller one for the
turn's look-up by event id, then read every record of the platform at each
turn for the connection's life (issue 14: 1,800 pages a look-up at the end
of a 500-person burst, a third of the throughput)."""


class ConversationState(Base):
    __tablename__ = "conversation_states"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "user_id"),
        # The minute tick forgets what was typed in conversations left half-way: only those
        # not forgotten yet (``step`` set), not every conversation that ever expired.
        Index(
            "ix_conversation_states_unforgotten",
            "expires_at",
            sqlite_where=text(UNFORGOTTEN),
            postgresql_where=text(UNFORGOTTEN),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    flow: Mapped[str | None] = mapped_column(String(60))
    step: Mapped[str | None] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSONDict, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime | None] = mapped_column()  # its partial index only (DA1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


REDELIVERY_WINDOWS: dict[str, timedelta] = {
    # The Bot API keeps an unconfirmed update 24 hours at most ("they will not
    # be kept longer than 24 hours", getUpdates and setWebhook), plus an hour
    # for clocks and a restart.
    "telegram": timedelta(hours=25),
    # The Matrix transport keeps its own record of handled events a week
    # (``matrix_events``); a sync token can only replay what came after it.
    "matrix": timedelta(days=7),
    # The console has no platform: only formabot's own inbox replays.
    "console": timedelta(hours=1),
}
"""How long after an event a platform may deliver it again: the de-duplication
record (and the replies kept with it) is dropped after that."""

DEFAULT_REDELIVERY_WINDOW = timedelta(hours=25)


def redelivery_window(platform: str) -> timedelta:
    return REDELIVERY_WINDOWS.get(platform, DEFAULT_REDELIVERY_WINDOW)


class ProcessedEvent(Base):
    """A platform event already handled, with the replies it produced.

    A redelivered event (a restart during polling, a Matrix sync replay) gets
    the same replies again instead of a second effect.  The replies are
    written in the turn's transaction whole (documents and invitation codes
    included) so that a crash before they are sent cannot lose them; once
    sent, ``delivered_at`` is set and only their text and buttons are kept.
    """

    __tablename__ = "processed_events"
    # The minute tick forgets each platform's events past its window: that range only.
    # A turn finds its event by the primary key, never through this index (:data:`TIMED`).
    __table_args__ = (
        Index(
            "ix_processed_events_platform_processed_at",
            "platform",
            "processed_at",
            sqlite_where=text(TIMED),
            postgresql_where=text(TIMED),
        ),
    )

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)
    replies: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    delivered_at: Mapped[datetime | None] = mapped_column()


async def under_way(
    session: AsyncSession, platform: str, chat: str, user: str, now: datetime | None = None
) -> bool:
    """A question of this conversation still waits for its answer (``step`` set): what a
    console opened again shows first, its screen holding none of it; with ``now``, only one
    not lapsed (explorer QB5: « Reprise de la conversation en cours » for one it then said
    it had closed)."""
    return await waiting_flow(session, platform, chat, user, now) is not None


async def waiting_flow(
    session: AsyncSession, platform: str, chat: str, user: str, now: datetime | None = None
) -> str | None:
    """The dialogue whose question waits for an answer in this conversation; with ``now``,
    only one not given up yet (its ``expires_at`` to come)."""
    query = select(ConversationState.flow).where(
        ConversationState.platform == platform,
        ConversationState.chat_id == chat,
        ConversationState.user_id == user,
        ConversationState.step.is_not(None),
    )
    if now is not None:
        query = query.where(ConversationState.expires_at > now)
    return await session.scalar(query)
