"""One account's flood cannot slow anyone else down.

Each chat account (platform, user) has its own budget:

- **turns**: a bucket of :data:`BURST` turns, refilled at :data:`RATE` a
  second.  Beyond it, that account's next messages wait in *its own* queue
  of the inbox (the inbox asks :meth:`Budget.wait` before taking a
  processing slot), so its replies do not take the platform's shared
  sending rate from the others, and nothing it sent is dropped;
- **wrong guesses** of a secret (an invitation code typed after ``/start``):
  from the :data:`FREE_GUESSES`-th on, each adds a growing wait before that
  account's next turn (1 s, 2 s, 4 s… up to a minute), and after
  :data:`LOCK_AFTER` within :data:`LOCK_FOR` the account's codes are
  refused for that long, in French, without being tried
  (:meth:`Budget.locked`).

The budget is kept in memory, per process: a restart forgets it, which
only gives a guesser back a few free tries (the codes are long; see
``bot.invitations``).  Nothing here is personal data: the keys are the
platform's account ids, never logged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

Key = tuple[str, str]
"""(platform, user): the account, whatever chat it writes from."""

BURST = 20
"""Turns an account may take at once before its own messages wait."""

RATE = 2.0
"""Turns per second an account gets back (twenty per ten seconds: faster than anyone types)."""

FREE_GUESSES = 3
"""Wrong codes forgiven (a mistyped copy, twice) before waits begin."""

LOCK_AFTER = 10
"""Wrong codes that close ``/start CODE`` to the account for :data:`LOCK_FOR`."""

LOCK_FOR = timedelta(minutes=15)

MAX_WAIT = 60.0


@dataclass
class _Account:
    tokens: float
    seen: datetime
    guesses: int = 0
    last_guess: datetime | None = None


class Budget:
    """The turns and the guesses of every account seen recently."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self._accounts: dict[Key, _Account] = {}

    def _account(self, key: Key) -> _Account:
        now = self.clock()
        account = self._accounts.get(key)
        if account is None:
            account = self._accounts[key] = _Account(tokens=float(BURST), seen=now)
            self._forget_idle(now)
        elapsed = max(0.0, (now - account.seen).total_seconds())
        account.tokens = min(float(BURST), account.tokens + elapsed * RATE)
        account.seen = now
        if account.last_guess is not None and now - account.last_guess > LOCK_FOR:
            account.guesses, account.last_guess = 0, None
        return account

    def _forget_idle(self, now: datetime) -> None:
        """Accounts full again and with no recent guess are forgotten (memory stays small)."""
        if len(self._accounts) < 10_000:
            return
        for key, account in list(self._accounts.items()):
            if now - account.seen > LOCK_FOR and (
                account.last_guess is None or now - account.last_guess > LOCK_FOR
            ):
                del self._accounts[key]

    def delay(self, key: Key) -> float:
        """Seconds this account's next turn must wait; takes the turn from its bucket."""
        account = self._account(key)
        wait = 0.0
        if account.tokens < 1.0:
            wait = (1.0 - account.tokens) / RATE
        account.tokens -= 1.0
        if FREE_GUESSES <= account.guesses < LOCK_AFTER:
            # Guessing: each wrong code costs more.  Once locked, codes are
            # refused untried, which costs nothing but a turn.
            wait = max(wait, 2.0 ** (account.guesses - FREE_GUESSES))
        return min(wait, MAX_WAIT)

    async def wait(self, key: Key) -> None:
        """Before a turn of ``key``: wait (this account alone) for its budget."""
        seconds = self.delay(key)
        if seconds > 0:
            await self.sleep(seconds)

    def wrong_guess(self, key: Key) -> None:
        """A code that matched nothing was typed by this account."""
        account = self._account(key)
        account.guesses += 1
        account.last_guess = self.clock()

    def locked(self, key: Key) -> datetime | None:
        """Until when this account's codes are refused untried, if they are."""
        account = self._account(key)
        if account.guesses >= LOCK_AFTER and account.last_guess is not None:
            return account.last_guess + LOCK_FOR
        return None
