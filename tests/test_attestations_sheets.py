"""bot.attestations.sheets on its own: which files are a usable sheet, and what is stored."""

from __future__ import annotations

from sqlalchemy import select

from bot.attestations import service
from bot.attestations.service import Author
from bot.attestations.sheets import MAX_SHEET_MB, sheet_problem, upload_sheet
from bot.bilans.view import view_of
from bot.documents.bundle import sha256_hex
from bot.storage.attestations import AttendanceSheetEntry
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from tests.auxil.attestations import add_bilan, demo_author
from tests.auxil.dialogue import Clock


def test_only_a_photo_or_a_pdf_that_is_what_it_says() -> None:
    assert sheet_problem("application/pdf", b"%PDF-1.4 x") is None
    assert sheet_problem("IMAGE/PNG", b"\x89PNG\r\n\x1a\n...") is None
    assert sheet_problem("image/jpeg", b"\xff\xd8\xff\xe0") is None
    assert sheet_problem("image/jpeg", b"") == "sheet_empty"
    assert sheet_problem("application/pdf", b"%PDF-" + b"x" * MAX_SHEET_MB * 1024 * 1024) == (
        "sheet_empty"
    )
    assert sheet_problem("application/pdf", b"\xff\xd8\xff pas un pdf") == "sheet_bad_type"
    assert sheet_problem("image/svg+xml", b"<svg onload=alert(1)>") == "sheet_bad_type"
    assert sheet_problem("text/plain", b"%PDF-") == "sheet_bad_type"


async def test_a_sheet_is_stored_with_the_participants_of_this_bilan_only(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(
        db, participants=(("delegate", "Léa Martin", None), ("delegate", "Hugo Moreau", None))
    )
    stranger = await add_bilan(db)
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await view_of(session, bilan_id)
        other = await view_of(session, stranger)
        assert info is not None and other is not None
        lea, hugo = info.bilan.participants
        scan = b"%PDF-1.4 feuille signee"
        sheet, count = await upload_sheet(
            session,
            info,
            filename="feuille\u202e signée.pdf",
            mime_type="Application/PDF",
            content=scan,
            ticked=[hugo.id, hugo.id, other.bilan.participants[0].id, lea.id],
            author=author,
            now=clock.now,
        )
        assert count == 2
        assert (sheet.filename, sheet.mime_type) == ("feuille signée.pdf", "application/pdf")
        assert sheet.sha256 == sha256_hex(scan) and sheet.content == scan
        assert (sheet.uploaded_by, sheet.uploaded_at) == (author.person_id, clock.now)
        entries = (
            await session.scalars(
                select(AttendanceSheetEntry.participant_id).where(
                    AttendanceSheetEntry.sheet_id == sheet.id
                )
            )
        ).all()
        assert sorted(entries) == sorted([lea.id, hugo.id])
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "upload_sheet"))
        assert entry is not None and entry.entity_id == sheet.id
        assert entry.details == {"bilan_id": bilan_id}
        on_sheet = await service.sheet_of_participants(session, bilan_id)
        assert set(on_sheet) == {lea.id, hugo.id}
