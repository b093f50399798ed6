"""How long the event loop was held at a stretch: what a chat arriving meanwhile waits for.

A transaction's duration (``BEGIN`` to ``COMMIT``) leaves out what the
commit itself does (on SQLite, a checkpoint when one falls due, the disk
included), and says nothing of the Python between statements; a task that
asks to wake every :data:`STEP` seconds and notes how late it woke sees both.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

STEP = 0.005


@asynccontextmanager
async def stalls() -> AsyncIterator[list[float]]:
    """The loop's stretches while inside, in seconds (each a wake-up's lateness)."""
    late: list[float] = []
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            asked = time.perf_counter()
            await asyncio.sleep(STEP)
            late.append(time.perf_counter() - asked - STEP)

    watcher = asyncio.create_task(watch())
    try:
        yield late
    finally:
        done.set()
        await watcher
