"""Sending, apart from syncing: one queue, one pace per account, 429s honoured.

Everything the bot sends (messages, uploads, room creations) waits its turn
at one :class:`Pacer` (about one call per second by default, Tchap's pace):
pacing avoids the 429s that Synapse holds for half a second each.  A 429
still answered pushes the next call back by its ``retry_after_ms``; network
errors are retried with backoff (:func:`backoff`, also the sync loop's); a refusal
for good (not in the room any more) is a :class:`~bot.outbox.PermanentFailure`.

Callers ``await`` their own send; the sync loop never waits on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import ClientError
from nio import ErrorResponse

from bot.outbox import PermanentFailure

log = logging.getLogger(__name__)

T = TypeVar("T")
Prepare = Callable[[], Awaitable[None]]

NETWORK_ATTEMPTS = 6
MAX_RATE_LIMITED = 20
REFUSED = ("M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN")
MAX_BACKOFF = 5.0
"""The longest pause between two tries at a homeserver out of reach (explorer MG6: it grew
to a minute, and people waited that long for an answer once the homeserver was back)."""


def backoff(failures: int) -> float:
    """Seconds before trying again after ``failures`` in a row: half a second doubling up to
    :data:`MAX_BACKOFF`, one try every few seconds at a dead homeserver, not a flood.  Drawn
    between half and all of it, so that the sync and the sends, or several bots of one
    homeserver, do not all knock at the same instant when it comes back."""
    most = min(MAX_BACKOFF, 0.5 * 2 ** (min(failures, 8) - 1))
    return random.uniform(most / 2, most)


class Pacer:
    """At most ``rate`` calls per second, in arrival order.

    The interval runs from the *end* of a call to the start of the next: the
    homeserver checks its limit somewhere while handling a request, so counting
    from the start let a slow call (an encrypted send, a join) and a quick one
    land closer than the interval, and earn a 429 (seen with Tchap's 1/s).
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate
        self.clock = clock
        self.next_at = 0.0
        self.lock = asyncio.Lock()
        self.limited = 0
        """How many 429s came back anyway (the bench prints it)."""

    async def turn(self) -> None:
        async with self.lock:
            wait = self.next_at - self.clock()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_at = max(self.clock(), self.next_at) + self.interval

    def finished(self) -> None:
        """The call just answered: the next one waits a whole interval from now."""
        self.next_at = max(self.next_at, self.clock() + self.interval)

    def hold(self, seconds: float) -> None:
        """The server asked for a pause: nobody sends before it ends."""
        self.limited += 1
        self.next_at = max(self.next_at, self.clock() + seconds)


class Refused(RuntimeError):
    """The homeserver answered with an error other than a rate limit."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


async def paced(pacer: Pacer, call: Callable[[], Awaitable[T]]) -> T:
    """Run one API call at the account's pace; retry 429s and network errors."""
    network_failures = 0
    limited = 0
    while True:
        await pacer.turn()
        try:
            result = await call()
        except (ClientError, TimeoutError) as exc:
            pacer.finished()
            network_failures += 1
            if network_failures >= NETWORK_ATTEMPTS:
                raise
            # Said once per outage, by the sync loop: not a line per try and per message.
            log.debug("matrix: network error (%s), retrying", type(exc).__name__)
            await asyncio.sleep(backoff(network_failures))
            continue
        pacer.finished()
        if isinstance(result, ErrorResponse):
            status = str(result.status_code or "")
            if status in ("M_LIMIT_EXCEEDED", "429"):
                limited += 1
                if limited > MAX_RATE_LIMITED:
                    raise Refused(status)
                retry = (getattr(result, "retry_after_ms", None) or 1000) / 1000
                pacer.hold(retry)
                continue
            if status in REFUSED:
                raise PermanentFailure(status)
            raise Refused(status or type(result).__name__)
        return result


class Outgoing:
    """One sender task per account: sends run one after the other, at the pace.

    ``answered`` is set by every send that goes through: the homeserver is back, and the
    sync loop's :meth:`pause` between failures ends at once.
    """

    def __init__(self, pacer: Pacer) -> None:
        self.pacer = pacer
        self.answered = asyncio.Event()
        self.queue: asyncio.Queue[
            tuple[Callable[[], Awaitable[Any]], Prepare | None, asyncio.Future[Any]]
        ] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
            self.task = None
        while not self.queue.empty():
            _, _, future = self.queue.get_nowait()
            if not future.done():
                future.cancel()

    async def submit(self, call: Callable[[], Awaitable[T]], prepare: Prepare | None = None) -> T:
        """Queue ``call`` and wait for its result (it runs through :func:`paced`).

        ``prepare`` runs first, outside the pace: for an encrypted room, sharing
        the room key with the members' devices, so that the message itself
        leaves at its turn and not a few hundred milliseconds later.
        """
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        await self.queue.put((call, prepare, future))
        result: T = await future
        return result

    async def pause(self, seconds: float) -> None:
        """``seconds``, or less if a send goes through meanwhile (the homeserver is back)."""
        self.answered.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.answered.wait(), seconds)

    async def _run(self) -> None:
        while True:
            call, prepare, future = await self.queue.get()
            if future.done():  # the caller gave up
                continue
            try:
                if prepare is not None:
                    await prepare()
                result = await paced(self.pacer, call)
            except asyncio.CancelledError:
                future.cancel()
                raise
            except Exception as exc:
                if not future.done():
                    future.set_exception(exc)
            else:
                self.answered.set()
                if not future.done():
                    future.set_result(result)
