"""Long work asked in a conversation and done after its turn (:mod:`bot.progress`).

One row per piece of work: what to do (``kind``, a name declared in a
feature's manifest, and its JSON ``args``), where to answer, and how far it
got.  The row is written in the turn that asks for it, so a process stopped
before or during the work finds it again and does it once it is back; the
result goes to the outbox in the transaction that marks the row ``done``,
so it arrives once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow

WORK_STATUSES = ("pending", "running", "done", "failed")


class LongWork(Base):
    __tablename__ = "long_works"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Ids and choices only: what the work reads again from the database."""
    platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    """``pending`` → ``running`` (claimed) → ``done`` | ``failed`` (said to the person)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    """The process running it (:func:`~bot.storage.claimers.claimer`): gone, the work is
    taken over at once on its host, else after :data:`bot.progress.CLAIM_TIMEOUT`."""
    done_at: Mapped[datetime | None] = mapped_column()
