"""Unexpected errors logged without their message, which may quote personal data.

Database errors quote the values they failed on (a trainee's name, an
absence's reason); the type and the code location are enough to find the
bug, so that is all a log line says.  Every long-running part (the engine,
the inbox, the transports, the scheduler) logs its failures through here.
"""

from __future__ import annotations

import logging
import traceback

from bot.storage.full import disk_full

log = logging.getLogger(__name__)


def log_failure(where: str, exc: BaseException) -> None:
    """``where`` failed: the exception's type and where it was raised, nothing it says; a
    driver's error wrapped by SQLAlchemy names the driver's class and the SQLSTATE too, no
    personal data, what happened (explorer GC7: « DBAPIError at asyncpg.py:855 » for a
    PostgreSQL shut down, ``AdminShutdownError`` 57P01)."""
    frames = traceback.extract_tb(exc.__traceback__)
    places = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames))
    log.error("%s failed: %s at %s", where, kind_of(exc), places)


def kind_of(exc: BaseException) -> str:
    """« DBAPIError (AdminShutdownError, SQLSTATE 57P01) », or the type alone."""
    orig = getattr(exc, "orig", None)
    if orig is None:
        return type(exc).__name__
    inner = getattr(orig, "__cause__", None) or orig  # asyncpg's, under the adapter's
    state = getattr(inner, "sqlstate", None) or getattr(orig, "pgcode", None)
    said = type(inner).__name__ + (f", SQLSTATE {state}" if isinstance(state, str) else "")
    return f"{type(exc).__name__} ({said})"


class GaveUp(Exception):
    """The engine gave a turn up (:func:`bot.messages.gave_up`): the update is kept and tried
    again later, so the person has nothing to send again."""


class Refusals:
    """A loop the database keeps refusing (a restart, a maintenance): said once, not ten
    times a second (explorer H H10), its pause doubling up to ``most``, then said back."""

    def __init__(self, where: str, usual: float, most: float) -> None:
        self.where, self.usual, self.most = where, usual, most
        self.count = 0

    def refused(self, exc: BaseException, *, said: bool = False) -> None:
        """``said``: the failure was logged already, in better words (:data:`SPACE`)."""
        if not self.count and not said:
            log_failure(self.where, exc)
        self.count += 1

    def answered(self) -> None:
        if self.count:
            log.info("%s: the database answers again (%d refused)", self.where, self.count)
        self.count = 0

    @property
    def pause(self) -> float:
        return min(self.usual * 2**self.count, self.most) if self.count else self.usual


class Space:
    """Writes the database's disk refused for want of space (:func:`disk_full`), process-wide.

    Said once in the log, in words an operator acts on (« the disk is full »,
    not « retrying after OperationalError »), shown by ``/healthz`` (503) until
    a write goes through again, then said back.
    """

    def __init__(self) -> None:
        self.count = 0

    def lacking(self, exc: BaseException) -> bool:
        """Whether ``exc`` is a disk full; noted if so."""
        if not disk_full(exc):
            return False
        if not self.count:
            log.error(
                "writing to the database failed: the disk is full (%s); nothing is recorded "
                "until space is freed, the messages are kept and tried again",
                type(exc).__name__,
            )
        self.count += 1
        return True

    def written(self) -> None:
        """A write went through: space was freed, if it lacked."""
        if self.count:
            log.info("the database is written again (%d refused for want of space)", self.count)
            self.count = 0

    @property
    def full(self) -> bool:
        return bool(self.count)


SPACE = Space()
"""The process's; the engine notes its turns' writes, ``/healthz`` reads it."""
