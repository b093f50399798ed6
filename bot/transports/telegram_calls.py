"""Calling the Telegram Bot API: what is retried, after how long, and what may have arrived.

A message whose answer did not come in time may have reached Telegram: sending it again at
once made copies (explorer AC12), so the outbox decides later; a connection never made is
retried here as any other network trouble.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.outbox import MayHaveArrived
from bot.transports.telegram_inbound import seconds

T = TypeVar("T")

NEVER_SENT = (httpx.ConnectTimeout, httpx.PoolTimeout)
"""Timeouts before the request left: nothing can have arrived."""
SEND_TIMEOUT = 20.0
"""Seconds a message's sending waits for Telegram's answer (PTB's 5 s gave up on a slow
Bot API that then delivered: every retry was a copy)."""


async def with_retries(
    call: Callable[[], Awaitable[T]], *, attempts: int = 4, sends: bool = False
) -> T:
    """Retry a Bot API call on network trouble, with backoff; flood waits are honoured.

    A message sent (``sends``) whose answer did not come in time may have reached
    Telegram: sent again at once, a stalled Bot API delivered every copy when it woke
    (explorer AC12: four).  It is raised as :class:`MayHaveArrived`, for the outbox to try
    later; a connection never made is retried here as any other.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            await asyncio.sleep(min(seconds(exc.retry_after), 60))
        except (TimedOut, NetworkError) as exc:
            if sends and isinstance(exc, TimedOut) and not isinstance(exc.__cause__, NEVER_SENT):
                raise MayHaveArrived(type(exc).__name__) from exc
            if isinstance(exc, BadRequest) or attempt == attempts:
                raise
            await asyncio.sleep(0.5 * 2 ** (attempt - 1))
    return await call()
