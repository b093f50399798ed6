"""What the platforms delivered, written down before they are told it arrived.

One row per incoming update: the neutral :class:`~bot.messages.Incoming`
(attachments included) and what its transport needs to answer it, stored as
JSON, unique on (platform, event id) so a redelivered update is one row.
A transport commits the row *before* it acknowledges the update (the next
``getUpdates`` offset, the webhook's 200, the console's echo), so a crash
can only lose what the platform will deliver again.  ``pending`` rows are
handled in order per person; ``done`` ones have their content erased and
are forgotten after a while.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow


class InboxUpdate(Base):
    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

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
