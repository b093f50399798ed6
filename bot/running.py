"""Whether a formabot process runs on an SQLite base: one at a time, and no restore under it.

A second ``formabot run`` on the same SQLite file started without a word (the
README said it was refused), and ``formabot restore`` replaced the base under a
running bot, which went on with the restored data: an absence confirmed after
the backup vanished unsaid (explorer R R1, R11).  ``formabot run`` holds an
exclusive lock on a file next to the base for as long as it lives; the system
drops it when the process ends, ``kill -9`` included, so nothing is left to
clean after a crash.  PostgreSQL takes several processes (``--workers``,
``formabot work``) and is restored with ``pg_restore``, but one of them only
receives (Telegram hands its updates to one poller, a Matrix device is one
process): ``formabot run`` holds a session advisory lock there
(:func:`hold_receiving`), dropped by PostgreSQL when its connection ends
(explorer V, V7: a second ``run`` started, and two pollers took turns).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import signal
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import make_url

from bot.files import PRIVATE_FILE, private_dir

log = logging.getLogger(__name__)

_held: IO[str] | None = None
"""The lock of this process, kept open until it ends."""

RECEIVING = 0x666F726D61626F74  # « formabot », as 8 bytes
"""The advisory lock key of the receiving process on PostgreSQL."""
_receiving: list[Any] = []
"""The connection that holds it, kept open until the process ends."""


def sqlite_file(database_url: str) -> Path | None:
    """The file of an SQLite base; ``None`` for any other database (or one in memory)."""
    url = make_url(database_url)
    if not url.get_backend_name().startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database))


def lock_path(database_url: str) -> Path | None:
    """The file locked next to an SQLite base; ``None`` for any other database."""
    database = sqlite_file(database_url)
    return None if database is None else database.with_name(database.name + ".verrou")


def hold(database_url: str) -> str | None:
    """Take the base for this process; why not, in French, when another one has it."""
    global _held
    path = lock_path(database_url)
    if path is None or _held is not None:
        return None
    private_dir(path.parent)  # the first thing to make the data folder: 700 (explorer AM1)
    handle = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, PRIVATE_FILE), "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return (
            f"Un autre formabot tourne déjà sur cette base ({path.with_suffix('')}) : avec "
            "SQLite, un seul processus à la fois. Arrêtez-le d'abord, ou donnez un autre "
            "dossier de données (FORMABOT_DATA_DIR)."
        )
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    _held = handle
    return None


def busy(database_url: str) -> bool:
    """Whether another process runs on the base now (this one's own lock aside)."""
    path = lock_path(database_url)
    if path is None or not path.exists() or _held is not None:
        return False
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


async def hold_receiving(database_url: str) -> str | None:
    """On PostgreSQL, take the receiving role for this process; why not, in French, when
    another ``formabot run`` has it.  Its own connection, outside the pool, kept open."""
    if _receiving or not make_url(database_url).get_backend_name().startswith("postgresql"):
        return None
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    engine = create_async_engine(database_url, poolclass=NullPool)
    connection = await engine.connect()
    if await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": RECEIVING}):
        await connection.commit()  # the lock is the session's: no transaction left open
        _receiving.append(connection)
        return None
    await connection.close()
    await engine.dispose()
    return (
        "Un autre « formabot run » reçoit déjà les messages de cette base PostgreSQL : un "
        "seul processus reçoit (Telegram ne sert ses messages qu'à un seul, un appareil "
        "Matrix est un seul processus). Arrêtez-le d'abord ; pour plus de bras, ajoutez des "
        "« formabot work »."
    )


async def still_receiving() -> bool:
    """Whether this process still holds the receiving role: its connection checked, and the
    lock taken again on a new one when a PostgreSQL restart dropped it with the connection;
    ``False`` when another process took it meanwhile (explorer BA4: after a restart a second
    ``formabot run`` started and polled beside the first)."""
    from sqlalchemy import text

    if not _receiving:
        return True
    connection = _receiving[0]
    try:
        await connection.scalar(text("SELECT 1"))
        return True
    except Exception:  # the connection died with the server: the lock went with it
        with suppress(Exception):
            await connection.close()
    try:
        fresh = await connection.engine.connect()
    except Exception:  # the database still away: looked at again later
        return True
    if await fresh.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": RECEIVING}):
        await fresh.commit()
        _receiving[0] = fresh
        return True
    await fresh.close()
    return False


async def watch_receiving(every: float = 30.0) -> None:
    """The receiving role looked at every ``every`` seconds; lost to another process, this one
    stops as on SIGTERM, said in its log (never two pollers on one bot)."""
    while True:
        await asyncio.sleep(every)
        if not await still_receiving():
            log.error("another formabot run took the receiving role after a restart: stopping")
            os.kill(os.getpid(), signal.SIGTERM)
            return


async def release_receiving() -> None:
    """Give the receiving role back (a test; a process gives it back by ending)."""
    while _receiving:
        connection = _receiving.pop()
        engine = connection.engine
        with suppress(Exception):  # a connection a restart already cut
            await connection.close()
        await engine.dispose()
