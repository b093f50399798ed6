"""What a running formabot is doing, for the person who runs it: ``/healthz`` and ``/metrics``.

A small HTTP listener on a local port (``FORMABOT_METRICS_PORT``; off when 0)
answers two paths, nothing else:

- ``/healthz``: ``200 ok`` when the database answers, ``503`` otherwise — what
  a container orchestrator or a reverse proxy asks before sending traffic;
- ``/metrics``: the Prometheus text format, written by hand (no client
  library for a dozen lines): turns handled and their latency per transport,
  errors by type, messages the outbox sent or gave up per transport, and the
  outbox's backlog and the age of its oldest waiting message, read from the
  database at each scrape (so two processes report the same backlog), for the
  platforms this process sends only: a console's messages wait for that
  console to open, and `formabot run` never sends them (explorer CE5: an alert
  on the oldest age fired though nothing was stuck).

The counters are process-wide, like the process they describe; they hold no
name, no text, nothing personal: platform names, exception types, numbers.
"""

from __future__ import annotations

import asyncio
import errno
import logging
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate

from sqlalchemy import func, select

from bot.failures import SPACE, Refusals, log_failure
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Reply latency buckets, in seconds: a chat answer is expected well under a second."""


@dataclass
class Latency:
    within: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS) + 1))
    """Observations by the first bound they are under (the last: over every bound); every turn
    adds one, to one place: the cumulative counts a histogram shows are summed when read (a
    turn added one to each of the ten, 2.5 µs, CA)."""
    count: int = 0
    total: float = 0.0

    def observe(self, seconds: float) -> None:
        self.count += 1
        self.total += seconds
        self.within[bisect_left(BUCKETS, seconds)] += 1

    @property
    def buckets(self) -> list[int]:
        """Observations at or under each bound of :data:`BUCKETS`, in order (Prometheus' ``le``)."""
        return list(accumulate(self.within[:-1]))


@dataclass
class Metrics:
    turns: dict[str, Latency] = field(default_factory=lambda: defaultdict(Latency))
    errors: Counter[str] = field(default_factory=Counter)
    outbox: Counter[tuple[str, str]] = field(default_factory=Counter)

    def turn(self, platform: str, seconds: float) -> None:
        self.turns[platform].observe(seconds)

    def error(self, kind: str) -> None:
        self.errors[kind] += 1

    def delivery(self, platform: str, outcome: str) -> None:
        self.outbox[(platform, outcome)] += 1


METRICS = Metrics()
"""The process's counters; the engine and the outbox sender write to them."""


async def backlog(db: Database, now: datetime, platforms: Sequence[str]) -> tuple[int, float]:
    """Messages waiting in the outbox for ``platforms``, and the age in seconds of the
    oldest one."""
    async with asyncio.timeout(2), db.sessions() as session:
        count, oldest = (
            await session.execute(
                select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.status.in_(("pending", "sending")),
                    OutboxMessage.platform.in_(platforms),
                )
            )
        ).one()
    age = (now - oldest).total_seconds() if oldest is not None else 0.0
    return int(count), max(0.0, age)


def exposition(metrics: Metrics, backlog: tuple[int, float] | None) -> str:
    """The Prometheus text format (version 0.0.4).

    ``backlog`` is the outbox's (:func:`backlog`), ``None`` when the database
    did not answer: its two gauges are left out then (unknown, not zero) and
    ``formabot_database_up`` says 0, the counters still there.
    """
    lines = [
        "# HELP formabot_turns_total Messages handled, per transport.",
        "# TYPE formabot_turns_total counter",
    ]
    lines += [
        f'formabot_turns_total{{platform="{p}"}} {t.count}'
        for p, t in sorted(metrics.turns.items())
    ]
    lines += [
        "# HELP formabot_reply_seconds Time from a message to its replies, per transport.",
        "# TYPE formabot_reply_seconds histogram",
    ]
    for platform, latency in sorted(metrics.turns.items()):
        for bound, count in zip(BUCKETS, latency.buckets, strict=True):
            lines.append(
                f'formabot_reply_seconds_bucket{{platform="{platform}",le="{bound}"}} {count}'
            )
        lines.append(
            f'formabot_reply_seconds_bucket{{platform="{platform}",le="+Inf"}} {latency.count}'
        )
        lines.append(f'formabot_reply_seconds_sum{{platform="{platform}"}} {latency.total:.6f}')
        lines.append(f'formabot_reply_seconds_count{{platform="{platform}"}} {latency.count}')
    lines += [
        "# HELP formabot_errors_total Turns that failed, by exception type.",
        "# TYPE formabot_errors_total counter",
    ]
    lines += [f'formabot_errors_total{{type="{k}"}} {n}' for k, n in sorted(metrics.errors.items())]
    lines += [
        "# HELP formabot_outbox_messages_total Outbox tries per transport: sent, pending (to retry) or failed (given up).",
        "# TYPE formabot_outbox_messages_total counter",
    ]
    lines += [
        f'formabot_outbox_messages_total{{platform="{p}",outcome="{o}"}} {n}'
        for (p, o), n in sorted(metrics.outbox.items())
    ]
    lines += [
        "# HELP formabot_database_up Whether the database answered this scrape.",
        "# TYPE formabot_database_up gauge",
        f"formabot_database_up {0 if backlog is None else 1}",
    ]
    if backlog is not None:
        waiting, age = backlog
        lines += [
            "# HELP formabot_outbox_backlog Messages waiting to be sent on this process's platforms (all processes).",
            "# TYPE formabot_outbox_backlog gauge",
            f"formabot_outbox_backlog {waiting}",
            "# HELP formabot_outbox_oldest_seconds Age of the oldest waiting message.",
            "# TYPE formabot_outbox_oldest_seconds gauge",
            f"formabot_outbox_oldest_seconds {age:.1f}",
        ]
    return "\n".join(lines) + "\n"


async def healthy(db: Database, refusals: Refusals) -> bool:
    """Whether the database answers; its going away and coming back are logged once each,
    however often the supervisor asks."""
    try:
        await db.check()
    except Exception as exc:  # the database is down, locked or unreachable
        refusals.refused(exc)
        return False
    refusals.answered()
    return True


class Endpoint:
    """``/healthz`` and ``/metrics`` over plain HTTP/1.1 on a local port; ``platforms``:
    those whose outbox rows the process sends, the backlog's (the sender's)."""

    def __init__(self, db: Database, host: str, port: int, platforms: Sequence[str]) -> None:
        self.db, self.host, self.port = db, host, port
        self.platforms = list(platforms)
        self.server: asyncio.Server | None = None
        self.refusals = Refusals("health check", 0, 0)

    async def start(self) -> None:
        try:
            self.server = await asyncio.start_server(self._serve, self.host, self.port)
        except OSError as exc:  # taken, or an address not of this machine (explorer AM6)
            why = "déjà pris" if exc.errno == errno.EADDRINUSE else "impossible à ouvrir"
            raise SystemExit(
                f"FORMABOT_METRICS_PORT : le port {self.port} de {self.host} est {why} "
                "(un autre formabot, ou un autre service ?) : choisissez-en un autre."
            ) from None
        self.port = self.server.sockets[0].getsockname()[1]
        log.info("health and metrics on http://%s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(5):
                request = await reader.readline()
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # headers: nothing in them matters here
            parts = request.decode("latin-1").split()
            path = parts[1] if len(parts) >= 2 and parts[0] == "GET" else ""
            try:
                status, body, kind = await self._answer(path.split("?", 1)[0])
            except Exception as exc:  # a bug of ours: an answer all the same, not a closed socket
                log_failure("metrics endpoint", exc)
                status, body, kind = "500 Internal Server Error", "erreur\n", PLAIN
            payload = body.encode()
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n"
                f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
        except (TimeoutError, ConnectionError, UnicodeError):
            pass
        finally:
            writer.close()

    async def _answer(self, path: str) -> tuple[str, str, str]:
        if path == "/healthz":
            if not await healthy(self.db, self.refusals):
                return "503 Service Unavailable", "base\n", PLAIN
            if SPACE.full:  # it answers, but takes nothing: a supervisor must know
                return "503 Service Unavailable", "disque plein\n", PLAIN
            return "200 OK", "ok\n", PLAIN
        if path == "/metrics":
            try:
                waiting: tuple[int, float] | None = await backlog(
                    self.db, datetime.now(UTC), self.platforms
                )
            except Exception:  # the database is away: the process's own counters all the same
                waiting = None
            return "200 OK", exposition(METRICS, waiting), "text/plain; version=0.0.4"
        return "404 Not Found", "/healthz ou /metrics\n", PLAIN


PLAIN = "text/plain; charset=utf-8"
