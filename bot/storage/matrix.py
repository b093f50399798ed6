"""What the Matrix transport must not lose: the sync position, the events not yet
handled, and the welcomes of the direct chats the bot opened.

The sync token (``next_batch``) is kept here, not in nio's store: it advances
in the same transaction that records the events the sync brought, so an event
is either recorded or fetched again (nio saves its token before handling).
Each event row waits (``pending``, or ``encrypted`` while its room key has not
arrived) until handled and answered, then is ``done`` (its content dropped) or,
after a few failed attempts, ``failed`` (set aside).  An ``encrypted`` one whose
sender was asked to send it again is ``done`` unhandled when its key comes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow


class MatrixSyncToken(Base):
    __tablename__ = "matrix_sync_tokens"

    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    """The bot's MXID: another account starts from its own first sync."""
    next_batch: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatrixEvent(Base):
    """One incoming room event, recorded before the sync token moves past it."""

    __tablename__ = "matrix_events"
    __table_args__ = (UniqueConstraint("account", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(255))
    event_id: Mapped[str] = mapped_column(String(255))
    room_id: Mapped[str] = mapped_column(String(255), index=True)
    sender: Mapped[str] = mapped_column(String(255))
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The (decrypted) event; emptied once handled."""
    is_group: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    """``pending`` | ``encrypted`` (room key awaited) → ``done`` | ``failed``."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column()
    resend_asked_at: Mapped[datetime | None] = mapped_column()
    """When the sender, whose message's room key had not come, was asked to send it again:
    the key coming after that sets the event aside, the copy sent again is the one answered
    (explorer GA2)."""


class MatrixWelcome(Base):
    """A direct chat the bot opened, and the message to send once the invitee joins."""

    __tablename__ = "matrix_welcomes"
    # The sweep erasing sent texts reads them in this order (bot.storage.sweeps).
    __table_args__ = (Index("ix_matrix_welcomes_status_sent_at", "status", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(255), unique=True)
    """What the chat is for (e.g. ``invitation:12``): asking twice opens one chat."""
    room_id: Mapped[str | None] = mapped_column(String(255), index=True)
    invitee: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    """A serialised :class:`bot.messages.Reply`, as in the outbox."""
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    """``pending`` (invited, not joined yet) → ``sent`` | ``declined``."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
