"""A disk full under an SQLite base, for real: SQLite's own limit on the base's size.

``PRAGMA max_page_count`` set to the pages the base has makes every write
that needs one more page fail as a full disk does (``SQLITE_FULL``,
« database or disk is full »).  The base is then filled up: rows added to
``processed_events`` until no page is left and its last page has no room
for a row, so the next turn, which records its event there, fails.  The
limit belongs to the pool's one connection, which is the turns' connection.
"""

from __future__ import annotations

import itertools
import sqlite3

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.failures import SPACE
from bot.storage.db import Database

FILLER = text(
    "INSERT INTO processed_events (platform, event_id, processed_at, replies) "
    "VALUES ('remplissage', :id, '2026-01-01', :payload)"
)


async def fill_the_disk(db: Database) -> None:
    """Each row in a transaction of its own: SQLite rolls back the one a full disk failed."""
    assert db.is_sqlite
    # Free pages first given back (a migration copying a table leaves some): a page on the
    # free list takes a new table though every row is refused.
    vacuum = sqlite3.connect(make_url(db.url).database or "", isolation_level=None)
    vacuum.execute("VACUUM")
    vacuum.close()
    ids = itertools.count()
    async with db.engine.connect() as connection:
        pages = (await connection.execute(text("PRAGMA page_count"))).scalar_one()
        await connection.execute(text(f"PRAGMA max_page_count = {pages}"))
        await connection.commit()
        for size in (3000, 1000, 300, 100, 30, 3, 0):
            while True:
                try:
                    payload = f'"{"x" * size}"'
                    await connection.execute(FILLER, {"id": str(next(ids)), "payload": payload})
                    await connection.commit()
                except OperationalError as exc:
                    assert "full" in str(exc)
                    await connection.rollback()
                    break


async def free_space(db: Database) -> None:
    async with db.engine.connect() as connection:
        await connection.execute(text("PRAGMA max_page_count = 1073741823"))


def space_reset() -> None:
    """What a test that filled the disk leaves to the next ones: nothing."""
    SPACE.count = 0
