"""What the retention purge erased, until the daily digest has said so; the codes of
the invitations an erasure took away.

One row per formation purged by :func:`bot.privacy.retention.purge_expired`:
counts only (the formation's title may name a person, and it is gone), so
the organisation's next digest can say how much was erased, once.

One row per invitation an erasure (``/effacer``) deleted: the SHA-256 of
its code only (a random code names no one), so that the person who pastes
it again is told the invitation went with her data, not that she mistyped
it.  It goes with the formation at the end of retention.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow


class RetentionPurge(Base):
    __tablename__ = "retention_purges"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    formation_id: Mapped[int] = mapped_column(Integer)
    """The formation's former id (no key: the row is gone), as in the audit trail."""
    trainees: Mapped[int] = mapped_column(Integer, default=0)
    purged_at: Mapped[datetime] = mapped_column(default=utcnow)
    reported_at: Mapped[datetime | None] = mapped_column()
    """When the daily digest said it; ``None`` until then."""


class ErasedInvitation(Base):
    __tablename__ = "erased_invitations"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    formation_id: Mapped[int] = mapped_column(
        ForeignKey("formations.id", ondelete="CASCADE"), index=True
    )
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
