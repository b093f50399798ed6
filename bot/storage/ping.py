"""Which pooled PostgreSQL connections are checked before a turn uses them.

A connection the server dropped (a restart, an idle timeout) must not fail
the turn that takes it next: the pool checks it at check-out with one
round trip (:func:`_ping`) and replaces it if it is dead.  That round trip
was one of a question turn's three exchanges with the server, and under a
peak (500 people at once, through the inbox) a tenth of the receiving
process's CPU went to it, for connections given back a few milliseconds
before.  So a connection is checked only when it is in doubt:

- it has been idle :data:`TRUSTED_FOR` seconds or more (a new connection,
  never given back, counts as idle: it is checked once);
- or a turn failed on this database since it was given back
  (:meth:`Pings.doubt`): a restart kills every connection at once, and each
  one is then checked at its next check-out, not only the one that failed.

A connection given back a moment ago by a turn that went well was
answering then; if the server died in between, the turn that takes it fails
on its first statement, says so (:meth:`Pings.doubt`), and the engine
starts it over on a checked connection (:meth:`bot.engine.Engine.handle`).
"""

from __future__ import annotations

import socket
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, InterfaceError
from sqlalchemy.pool import Pool
from sqlalchemy.util import await_only

TRUSTED_FOR = 1.0
"""Seconds a connection given back stays trusted without a check (a server's idle timeout
is minutes; a restart, seconds)."""

_RETURNED = "formabot_returned"
"""Where a connection's record keeps when it was last given back (``time.monotonic``)."""


class Pings:
    """The check-out check of one PostgreSQL pool, skipped for connections just given back."""

    def __init__(self, pool: Pool, trusted_for: float = TRUSTED_FOR) -> None:
        self.trusted_for = trusted_for
        self.failed_at = float("-inf")
        """When a turn last failed on this database (``time.monotonic``)."""
        self.sent = 0
        """Checks made (tests, ``bench.load``)."""
        event.listen(pool, "checkin", self._given_back)
        event.listen(pool, "checkout", self._check)

    def doubt(self) -> None:
        """A turn failed: every connection given back before now is checked at its next use."""
        self.failed_at = time.monotonic()

    @staticmethod
    def _given_back(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED] = time.monotonic()

    def _check(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED)
        now = time.monotonic()
        if returned is not None and returned > self.failed_at and now - returned < self.trusted_for:
            return
        self.sent += 1
        _ping(dbapi_connection)


def _ping(dbapi_connection: Any) -> None:
    """One round trip on the driver's connection; a dead one makes the pool replace it.

    What ``pool_pre_ping`` does, without the transaction asyncpg's dialect
    opens around its ping (for PgBouncer's transaction mode, which formabot
    does not use): ``BEGIN``, the ping and ``ROLLBACK`` were three round
    trips.
    """
    try:
        await_only(dbapi_connection.driver_connection.fetchrow(";"))
    except Exception as exc:
        raise DisconnectionError("the server closed the connection") from exc


def may_be_lost(exc: BaseException) -> bool:
    """Whether a turn's failure may come from its connection (not a unique key, not a bug of ours)."""
    return isinstance(exc, DBAPIError | OSError) and not isinstance(exc, IntegrityError)


LOST = ("08", "57P")
"""SQLSTATE classes of a connection the server ended: connection exceptions, and operator
intervention (``57P01`` an administrator's shutdown or ``pg_terminate_backend``, a restart)."""


def connection_lost(exc: BaseException) -> bool:
    """Whether a turn failed because the server ended its connection: worth starting over.

    Which error comes depends on timing: asyncpg raises « connection is closed »
    (``InterfaceError``) when the socket is gone, the server's own message
    (``57P01``) when it was read first, or « another operation is in progress »
    when it came mid-statement, which :meth:`bot.storage.db.Database.turn` marks
    ``connection_invalidated`` once it saw the connection closed.
    """
    if isinstance(exc, InterfaceError) or getattr(exc, "connection_invalidated", False):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, DBAPIError) and isinstance(code, str) and code.startswith(LOST)


def database_away(exc: BaseException) -> bool:
    """Whether the server cannot be reached at all (down, restarting, starting up): the turn
    is left for the transports' later tries, not answered « quelque chose s'est mal passé »
    (explorer BA9: a restart refused the retry's connection, the message was dropped and the
    next answers fell on the wrong question)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, ConnectionError | socket.gaierror):
            return True
        code = getattr(seen, "sqlstate", None)
        if isinstance(code, str) and code.startswith(LOST):  # 57P03: starting up
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return False
