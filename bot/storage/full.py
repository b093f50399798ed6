"""Whether a write failed because the disk holding the database is full.

Such a failure is not a conflict to retry at once (:mod:`bot.engine` starts a
turn over five times in 50 ms) nor a bug: nothing can be written until
someone frees space, and the person who runs the bot must read that in the
log and on ``/healthz``, not « retrying event after OperationalError ».

- SQLite says ``SQLITE_FULL`` (« database or disk is full »), also when the
  base reached its ``max_page_count``;
- PostgreSQL says SQLSTATE ``53100`` (``disk_full``);
- a file written beside the base (a document, a backup) says ``ENOSPC``.
"""

from __future__ import annotations

import errno

SQLITE_FULL = 13
DISK_FULL = "53100"


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc``, or what it wraps, is a write refused for want of space."""
    seen: BaseException | None = exc
    for _ in range(5):  # SQLAlchemy's error, the driver's, the database's
        if seen is None:
            return False
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if getattr(seen, "sqlite_errorcode", None) == SQLITE_FULL:
            return True
        if getattr(seen, "sqlstate", None) == DISK_FULL:
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False
