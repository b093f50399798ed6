"""Why formabot could not write where it keeps things, in the French its operator reads.

A data folder on a read-only mount, a backup written to a medium mounted
read-only, a folder owned by another user, a full disk: Python's traceback
(« OSError: [Errno 30] », « unable to open database file ») says none of it
to the person who must act.  The commands that start or copy the base
(:mod:`bot.launch`, :mod:`bot.backup`) say it instead, naming the place.
"""

from __future__ import annotations

import errno
import sqlite3

from bot.storage.full import disk_full, wrapped

SQLITE_READONLY = 8
SQLITE_CANTOPEN = 14


def why_unwritable(exc: BaseException) -> str | None:
    """The reason ``exc`` gives, completing « … : … », or ``None`` when it is something else."""
    if disk_full(exc):
        return "le disque est plein"
    for seen in wrapped(exc):
        if isinstance(seen, OSError) and seen.errno == errno.EROFS:
            return "le support est en lecture seule"
        if isinstance(seen, OSError) and seen.errno in (errno.EACCES, errno.EPERM):
            return "formabot n'a pas le droit d'y écrire"
        if isinstance(seen, OSError) and seen.errno == errno.ENOTDIR:
            return "le chemin passe par un fichier, pas par un dossier"
        code = getattr(seen, "sqlite_errorcode", None) if isinstance(seen, sqlite3.Error) else None
        if code is not None and code & 0xFF == SQLITE_READONLY:
            return "le support est en lecture seule"
        if code is not None and code & 0xFF == SQLITE_CANTOPEN:
            return "le fichier ne peut pas y être créé ni ouvert (lecture seule, droits ou chemin)"
    return None
