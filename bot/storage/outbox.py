"""Messages the bot sends on its own initiative (reminders, digests, notices).

Each row has a unique ``key`` built from what it is about (e.g.
``digest:org:3:2026-11-23``): writing the same notification twice is a
no-op, so a reminder is queued once even after downtime or with two
processes.  Senders claim rows and retry with backoff; rows sent, given up
or cancelled are pruned after three months (``bot.outbox.DELIVERED_KEPT``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        # The minute tick's pruning and forgetting read only the rows they change, in
        # their walks' order (the time, then the id), from the index alone.
        Index("ix_outbox_status_created_at_id", "status", "created_at", "id"),
        Index("ix_outbox_status_sent_at_id", "status", "sent_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    """A serialised :class:`bot.messages.Reply`, or an e-mail (``platform`` ``email``,
    ``chat_id`` the address: subject, body, attachments)."""
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    """``pending`` → ``sending`` (claimed) → ``sent`` | ``failed`` (given up);
    ``cancelled`` when what it carried no longer holds (a revoked invitation)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    bilan_id: Mapped[int | None] = mapped_column(
        ForeignKey("bilans.id", ondelete="CASCADE"), index=True
    )
    """The bilan it is about, so the trainer's view of the bilan lists it."""
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("bilan_participants.id", ondelete="SET NULL"), index=True
    )
    """The participant it was sent to (``None``: the chargé(e) de mission, or no bilan)."""
    about: Mapped[str | None] = mapped_column(String(30))
    """What it carries, for that list: a key of :data:`bot.bilans.sent.WHAT`."""
