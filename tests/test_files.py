"""Personal data on disk is readable by the bot's user only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.files import make_private, private_dir, write_private
from bot.messages import Document, Reply
from bot.storage.db import Database
from bot.transports.console import render


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> object:
    """A permissive umask, as on many servers: the modes must not depend on it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_private_files_and_folders(tmp_path: Path) -> None:
    folder = private_dir(tmp_path / "data" / "documents")
    assert mode(folder) == 0o700
    written = write_private(folder / "compte-rendu.pdf", b"%PDF")
    assert mode(written) == 0o600 and written.read_bytes() == b"%PDF"
    existing = tmp_path / "old.csv"
    existing.write_text("x")
    existing.chmod(0o644)
    write_private(existing, "nom;absence\n")
    assert mode(existing) == 0o600 and existing.read_text() == "nom;absence\n"
    make_private(tmp_path / "absent")  # nothing to do, no error


def test_an_existing_shared_folder_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    private_dir(shared)
    assert mode(shared) == 0o755


async def test_the_sqlite_database_and_its_wal_are_private(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'new' / 'formabot.db'}")
    await database.migrate()
    async with database.sessions() as session, session.begin():
        await session.execute(text("SELECT 1"))
    files = [tmp_path / "new" / name for name in ("formabot.db", "formabot.db-wal")]
    await database.dispose()
    assert mode(tmp_path / "new") == 0o700
    for path in files:
        if path.exists():
            assert mode(path) == 0o600, path


def test_a_document_written_by_the_console_is_private(tmp_path: Path) -> None:
    shown = render(
        Reply(text="", document=Document("suivi.pdf", "application/pdf", b"%PDF-1.4")),
        tmp_path / "documents",
    )
    path = tmp_path / "documents" / "suivi.pdf"
    assert str(path) in shown
    assert mode(path) == 0o600 and mode(tmp_path / "documents") == 0o700
