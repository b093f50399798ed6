"""``formabot import stagiaires --formation ID FICHIER [--oui]``: the chat's import, in a terminal.

It prints the very preview the chat shows (same template, as plain text),
asks « Importer ces stagiaires ? [o/N] » unless ``--oui``, then imports in
one transaction, acting as the formation's owner (the audit trail names
them, as if they had sent the file).  Exit code: 0 when every line was
imported (or was already there), 1 when the file was refused, the
formation is unknown, the import was declined, or some lines had errors
(the others are imported once confirmed: the errors are printed, and a
script sees the 1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import texts
from bot.answers import fold
from bot.files import why_unreadable
from bot.formations.queries import Member
from bot.imports.reading import MAX_BYTES, Refused
from bot.imports.rows import entries_off
from bot.imports.service import import_rows, preview_for
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Organisation


def _say(out: TextIO, key: str, **values: object) -> None:
    """A message of the chat's import, as a terminal says it (no « collez les noms »)."""
    print(texts.plain(texts.say(f"formation_import.{key}", cli=True, **values)), file=out)


def read_file(path: Path, err: TextIO) -> bytes | None:
    """The file's bytes, no more than one past the limit (a bigger one is refused anyway)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # said with its real size, not the part read
            _say(err, "refused", reason="too_big", size=size, limit=MAX_BYTES)
            return None
        with path.open("rb") as file:
            return file.read(MAX_BYTES + 1)
    except OSError as exc:
        _say(err, "cli_unreadable", name=str(path), why=why_unreadable(exc))
        return None


async def import_trainees(
    db: Database,
    formation_id: int,
    filename: str,
    content: bytes,
    *,
    yes: bool,
    ask: Callable[[str], str],
    out: TextIO,
    err: TextIO,
) -> int:
    """Preview, confirm, import; the exit code (see the module's docstring)."""
    async with db.sessions() as session:
        found = (
            await session.execute(
                select(Formation, Organisation.timezone)
                .join(Organisation, Organisation.id == Formation.organisation_id)
                .where(Formation.id == formation_id, Formation.deleted_at.is_(None))
            )
        ).first()
        if found is None:
            _say(err, "cli_not_found", id=formation_id)
            return 1
        formation, zone = found
        owner = Member(formation.organisation_id, formation.owner_id, admin=True)
        now = datetime.now(UTC).astimezone(ZoneInfo(zone))
        try:
            seen = await preview_for(session, owner, formation.id, filename, content, now=now)
        except Refused as refused:
            _say(err, "refused", reason=refused.reason, **refused.values)
            return 1
    assert seen is not None  # the formation was just found
    _say(out, "preview", **seen.shown())
    if not seen.rows:
        return 1 if seen.problems else 0
    off = entries_off(row.as_data() for row in seen.rows)
    if off:  # as the chat asks it, the « [o/N] » below the question (explorer CD2)
        print(texts.plain(texts.say("formation.entries_off", off=off, cli=True)), file=out)
    if not yes and fold(ask(texts.plain(texts.say("formation_import.cli_ask")) + " ")) not in (
        "o",
        "oui",
    ):
        _say(out, "cli_no")
        return 1
    async with db.sessions() as session, session.begin():
        rows = [row.as_data() for row in seen.rows]
        added = await import_rows(session, owner, formation.id, rows, now=now, by_command=True)
        if added is None:
            _say(err, "cli_not_found", id=formation_id)
            return 1
        _say(
            out,
            "done",
            count=added.count,
            f=added.formation,
            filename=seen.filename,
            ruptures=added.ruptures,
        )
    return 1 if seen.problems else 0
