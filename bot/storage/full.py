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
from collections.abc import Iterator

SQLITE_FULL = 13
DISK_FULL = "53100"


def wrapped(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps: SQLAlchemy's error, the driver's, the database's."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return
        yield seen
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc``, or what it wraps, is a write refused for want of space."""
    return any(
        (isinstance(seen, OSError) and seen.errno == errno.ENOSPC)
        or getattr(seen, "sqlite_errorcode", None) == SQLITE_FULL
        or getattr(seen, "sqlstate", None) == DISK_FULL
        for seen in wrapped(exc)
    )
