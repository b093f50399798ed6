"""Whether a formabot process runs on an SQLite base: one at a time, and no restore under it.

A second ``formabot run`` on the same SQLite file started without a word (the
README said it was refused), and ``formabot restore`` replaced the base under a
running bot, which went on with the restored data: an absence confirmed after
the backup vanished unsaid (explorer R R1, R11).  ``formabot run`` holds an
exclusive lock on a file next to the base for as long as it lives; the system
drops it when the process ends, ``kill -9`` included, so nothing is left to
clean after a crash.  PostgreSQL takes several processes (``--workers``,
``formabot work``) and is restored with ``pg_restore``: nothing is held there.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

_held: IO[str] | None = None
"""The lock of this process, kept open until it ends."""


def lock_path(database_url: str) -> Path | None:
    """The file locked next to an SQLite base; ``None`` for any other database."""
    url = make_url(database_url)
    if not url.get_backend_name().startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    database = Path(str(url.database))
    return database.with_name(database.name + ".verrou")


def hold(database_url: str) -> str | None:
    """Take the base for this process; why not, in French, when another one has it."""
    global _held
    path = lock_path(database_url)
    if path is None or _held is not None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
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
