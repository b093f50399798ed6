"""Unexpected errors logged without their message, which may quote personal data.

Database errors quote the values they failed on (a trainee's name, an
absence's reason); the type and the code location are enough to find the
bug, so that is all a log line says.  Every long-running part (the engine,
the inbox, the transports, the scheduler) logs its failures through here.
"""

from __future__ import annotations

import logging
import traceback

log = logging.getLogger(__name__)


def log_failure(where: str, exc: BaseException) -> None:
    """``where`` failed: the exception's type and where it was raised, nothing it says."""
    frames = traceback.extract_tb(exc.__traceback__)
    places = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames))
    log.error("%s failed: %s at %s", where, type(exc).__name__, places)


class GaveUp(Exception):
    """The engine gave a turn up (:func:`bot.messages.gave_up`): the update is kept and tried
    again later, so the person has nothing to send again."""
