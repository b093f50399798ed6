"""Keeping a file sent in a dialogue: the bytes, their SHA-256, who and when."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from sqlalchemy import select

from bot import demo
from bot.absences.uploads import Upload, keep_upload
from bot.storage.absences import StoredDocument
from bot.storage.db import Database
from bot.storage.people import Person

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_an_upload_is_kept_with_its_hash_and_author(db: Database) -> None:
    content = b"%PDF-1.4 livret"
    async with db.sessions() as session, session.begin():
        organisation = await demo.fill(session, today=date(2026, 11, 23))
        camille = await session.scalar(select(Person))
        assert camille is not None
        document = await keep_upload(
            session,
            Upload("livret.pdf", "application/pdf", content),
            organisation_id=organisation.id,
            kind="livret_suivi",
            by=camille.id,
            now=NOW,
        )
        assert document.id is not None
    async with db.sessions() as session:
        kept = await session.get(StoredDocument, document.id)
        assert kept is not None
        assert (kept.kind, kept.filename, kept.mime_type, kept.size) == (
            "livret_suivi",
            "livret.pdf",
            "application/pdf",
            len(content),
        )
        assert kept.content == content and kept.sha256 == hashlib.sha256(content).hexdigest()
        assert (kept.created_by, kept.followup_id) == (camille.id, None)
        assert kept.organisation_id == organisation.id
