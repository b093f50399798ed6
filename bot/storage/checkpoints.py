"""SQLite's log copied back into the database file by a thread of its own, never by a turn.

In WAL mode a commit appends its pages to the ``-wal`` file; by default the
commit that takes that file past 1,000 pages then copies them all into the
database file and waits for the disk (a checkpoint).  On the loop's one
connection that was whichever turn or tick came at the wrong moment: 23 ms
of the 52 ms tick after a digest hour (issue 14), a chat's reply held as
long.  Here a thread with a connection of its own checkpoints once a second
(``PASSIVE``: writers go on meanwhile, SQLite's own guarantee), and the
loop's connection checkpoints only past :data:`FALLBACK_PAGES`, should this
thread ever fall behind.  Durability is unchanged: a commit is in the log
as before, and the log is copied into the file just as completely.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

EVERY = 1.0
"""Seconds between two checkpoints when the last one copied the whole log (one that finds
nothing new costs a few µs)."""
CHASING = 0.02
"""Seconds before the next one when the last could not copy it all (a transaction was open):
the log starts over only once it is all copied, so in a burst of writes the thread tries
again at once rather than let the log grow a second more."""
LONGEST = 30.0
"""Seconds between two tries at most while checkpoints fail (a full disk)."""
FALLBACK_PAGES = 10_000
"""The loop's own connection checkpoints past this many pages of log (40 MB): a bound on the
``-wal`` file if this thread stops, not reached while it runs."""


class Checkpointer:
    """The thread that checkpoints one SQLite file, from :meth:`start` to :meth:`stop`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.put_off = 0
        """Checkpoints failed in a row (the disk full, the file locked)."""

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="formabot-checkpoints", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Ends the thread after the checkpoint under way, if any (it is never cut half-way)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run_once(self) -> bool:
        """One checkpoint on a connection of its own: whether the whole log is in the file.

        What the thread does every second; for a caller that must know the log
        copied before it goes on (a benchmark's minute between two ticks).
        """
        connection = self._connect()
        if connection is None:
            return False
        try:
            return self._checkpoint(connection)
        except sqlite3.Error:
            return False
        finally:
            connection.close()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        wait = EVERY
        try:
            while not self._stopping.wait(wait):
                connection = connection or self._connect()
                if connection is None:
                    wait = EVERY
                    continue
                try:
                    complete = self._checkpoint(connection)
                except sqlite3.Error as exc:  # busy, or the disk: the next round tries again
                    wait = self._put_off(exc)
                    continue
                self._going_on()
                wait = EVERY if complete else CHASING
        finally:
            if connection is not None:
                connection.close()

    def _put_off(self, exc: sqlite3.Error) -> float:
        """Said once, then the pause doubles up to :data:`LONGEST` (explorer AJ6: a full disk
        wrote « put off » to the log fifty times a second, the thread retrying every 20 ms)."""
        if not self.put_off:
            log.warning(
                "sqlite checkpoints put off (%s); said again when they go on", type(exc).__name__
            )
        self.put_off += 1
        return float(min(EVERY * 2**self.put_off, LONGEST))

    def _going_on(self) -> None:
        if self.put_off:
            log.info("sqlite checkpoints go on again (%d put off)", self.put_off)
        self.put_off = 0

    def _connect(self) -> sqlite3.Connection | None:
        """A connection to the file if it exists (``mode=rw``: this thread never creates one)."""
        try:
            connection = sqlite3.connect(
                f"{Path(self.path).resolve().as_uri()}?mode=rw", uri=True, isolation_level=None
            )
        except sqlite3.Error:
            return None
        connection.execute("PRAGMA busy_timeout=1000")
        return connection

    @staticmethod
    def _checkpoint(connection: sqlite3.Connection) -> bool:
        [(_busy, pages, copied)] = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        return bool(copied >= pages)
