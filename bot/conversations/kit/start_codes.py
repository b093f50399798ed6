"""``/start CODE``: which kind of invitation a code belongs to.

Each feature that hands out codes registers a handler; the first one that
recognises the code answers.  A handler returns ``None`` for a code it does
not know, so an unknown code says nothing about which kinds exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Outcome

StartHandler = Callable[[Context, str], Awaitable[Outcome | None]]

HANDLERS: list[StartHandler] = []


def start_handler(handler: StartHandler) -> StartHandler:
    HANDLERS.append(handler)
    return handler
