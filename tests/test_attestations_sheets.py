"""bot.attestations.sheets on its own: which files are a usable sheet, and what is stored."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.attestations import service
from bot.attestations.service import Author
from bot.attestations.sheets import MAX_SHEET_MB, sheet_problem, upload_sheet
from bot.bilans.view import view_of
from bot.documents.bundle import sha256_hex
from bot.storage.attestations import AttendanceSheet, AttendanceSheetEntry
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from tests.auxil.attestations import add_bilan, demo_author
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker


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


async def test_no_signed_sheet_before_the_bilan_has_begun(
    trainer: Talker, db: Database, clock: Clock
) -> None:
    """Explorer DF7: the blank sheet the bot sends, deposited a week before the bilan, was
    « Feuille d'émargement enregistrée » and its participants « sur la feuille d'émargement »."""
    await add_bilan(db, start=clock.now + timedelta(days=7))
    await trainer.says("/attestations")
    await trainer.presses("Déposer la feuille")
    assert (
        "Le bilan n'a pas encore eu lieu : il commence le lundi 30 novembre 2026 à 10 h 00. "
        "La feuille d'émargement se dépose une fois signée par les participants"
    ) in trainer.all_text
    assert "Qui figure sur la feuille" not in trainer.all_text
    assert "Que voulez-vous faire ?" in trainer.last  # back at the bilan's menu
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AttendanceSheet)) == 0

    clock.advance(days=7, minutes=30)  # the bilan under way: its sheet is signed
    await trainer.says("/attestations")
    await trainer.presses("Déposer la feuille")
    assert "Qui figure sur la feuille d'émargement signée ?" in trainer.last
