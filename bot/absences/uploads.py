"""Files sent in a dialogue (a justificatif, a screenshot, a livret), kept as evidence.

A dialogue holds the bytes in the conversation until it saves (so that
abandoning leaves nothing behind), then hands them over as an
:class:`Upload`; :func:`keep_upload` stores them with their SHA-256 in the
caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.followups import store_document
from bot.storage.absences import StoredDocument


@dataclass(frozen=True)
class Upload:
    """A file as it was sent: its (safe) name, its type, its bytes."""

    filename: str
    mime_type: str
    content: bytes


async def keep_upload(
    session: AsyncSession,
    upload: Upload,
    *,
    organisation_id: int,
    kind: str,
    followup_id: int | None = None,
    by: int,
    now: datetime,
) -> StoredDocument:
    """Store ``upload`` as a document of ``kind`` (flushed: its id is known)."""
    document = store_document(
        session,
        organisation_id=organisation_id,
        followup_id=followup_id,
        kind=kind,
        filename=upload.filename,
        mime_type=upload.mime_type,
        content=upload.content,
        actor_id=by,
        now=now,
    )
    await session.flush()
    return document
