"""The signed feuille d'émargement: checked, then stored with who the trainer ticked on it.

On site, the proof of participation is the sheet itself (Normandie §III):
its photo or PDF joins the proof bundle, and each participant ticked as
appearing on it is accounted for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import visible
from bot.attestations.service import Author, audit
from bot.bilans.view import BilanView
from bot.documents.bundle import sha256_hex
from bot.documents.kinds import is_what_it_says
from bot.formations.queries import hold_trainee
from bot.storage.attestations import AttendanceSheet, AttendanceSheetEntry
from bot.storage.bilans import BilanParticipant

MAX_SHEET_MB = 15
SHEET_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})

Problem = Literal["sheet_empty", "sheet_bad_type"]


def sheet_problem(mime_type: str, content: bytes) -> Problem | None:
    """Why a file is not a usable sheet (empty, too big, not what it claims), or ``None``.

    The type announced must be a photo or a PDF, and the bytes must start the
    way that type does: a renamed script or an SVG is refused.
    """
    if not content or len(content) > MAX_SHEET_MB * 1024 * 1024:
        return "sheet_empty"
    if mime_type.lower() not in SHEET_TYPES or not is_what_it_says(mime_type, content):
        return "sheet_bad_type"
    return None


async def hold_trainees_of(session: AsyncSession, participant_ids: list[int]) -> None:
    """The rows of the trainees behind these participants held until the turn commits, in
    id order, as an erasure holds its trainee's (:func:`bot.formations.queries.hold_trainee`;
    YC after explorer UD4): the two go one after the other."""
    trainees = await session.scalars(
        select(BilanParticipant.trainee_id)
        .where(BilanParticipant.id.in_(participant_ids), BilanParticipant.trainee_id.is_not(None))
        .order_by(BilanParticipant.trainee_id)
    )
    for trainee_id in trainees.all():
        if trainee_id is not None:
            await hold_trainee(session, trainee_id)


async def upload_sheet(
    session: AsyncSession,
    info: BilanView,
    *,
    filename: str,
    mime_type: str,
    content: bytes,
    ticked: list[int],
    author: Author,
    now: datetime,
) -> tuple[AttendanceSheet, int]:
    """Store a checked sheet and who appears on it (participants of ``info`` only);
    the sheet and how many participants were ticked."""
    known = {p.id for p in info.bilan.participants}
    on_it = sorted({t for t in ticked if t in known})
    sheet = AttendanceSheet(
        organisation_id=info.bilan.organisation_id,
        bilan_id=info.bilan.id,
        filename=(visible(filename) or "feuille")[:200],
        mime_type=mime_type.lower()[:100],
        content=content,
        sha256=sha256_hex(content),
        uploaded_by=author.person_id,
        uploaded_at=now,
    )
    session.add(sheet)
    await session.flush()
    for participant_id in on_it:
        session.add(AttendanceSheetEntry(sheet_id=sheet.id, participant_id=participant_id))
    await session.flush()
    audit(session, author, "upload_sheet", "attendance_sheet", sheet.id, bilan_id=info.bilan.id)
    return sheet, len(on_it)
