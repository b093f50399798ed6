"""Who did what, when: the trail an auditor (and the RGPD) asks for.

Entries name entities by id and action only; free text typed by users
(names, reasons, notes) never goes here, so the trail can be kept longer
than the personal data it points at.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Table
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage import turn_rows
from bot.storage.base import Base, JSONDict, insert_every_column, row_to_insert, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict[str, Any]] = mapped_column(JSONDict, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


def record(
    session: AsyncSession,
    *,
    organisation_id: int | None,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry in the caller's transaction (it commits with the change)."""
    entry = AuditEntry(
        organisation_id=organisation_id,
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=dict(details),
    )
    session.add(entry)
    return entry


async def write(rows: turn_rows.TurnRows, **columns: Any) -> None:
    """Send an entry of ``columns`` at once, one ``INSERT`` through the turn's ``rows``,
    instead of adding it to a session.

    For a change written without the unit of work (a formation created):
    an entry added to the session would cost a flush of its own for one row.  Straight to
    the driver on a SQLite file (:mod:`bot.storage.turn_rows`; ZP); no object made (BA).
    """
    await rows.write(_INSERT, row_to_insert(columns, _audit_log))


_audit_log: Table = AuditEntry.__table__  # type: ignore[assignment]
_INSERT = insert_every_column(_audit_log)
"""Built once: SQLAlchemy then finds its compiled form in its cache."""
