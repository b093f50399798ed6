"""Marks of concurrent turns written together: one transaction for many, none considered early.

Each inbox update ends with a mark (done, or claimed before its turn by a
process sharing the inbox).  Written one transaction each, they cost more
than the turns themselves under load: a connection checked out and pinged,
``BEGIN``, a statement or three, ``COMMIT``, each a round trip to the
database.  :class:`Grouped` writes the marks handed in while the previous
write was running in one transaction (what databases call a group commit):

- each caller awaits *its* write: nothing is considered marked before it is
  committed, so every guarantee of the inbox holds for each update as if it
  had been written alone (a crash before the commit leaves the whole group
  as it was: each update pending, handled again like one whose own mark was
  lost);
- alone (a quiet bot), a mark is written at once, without waiting for
  company: grouping costs no latency, it only happens when marks queue up;
- when a group's write fails, each of its marks is written again alone, so
  one bad mark fails only its own caller (who retries as before) and not
  the turns grouped with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from bot.engine import Engine
from bot.messages import Incoming, Reply
from bot.outbox import UNSURE_PAUSE, enqueue
from bot.storage import inbox as rows

Item = TypeVar("Item")
Result = TypeVar("Result")

MOST = 256
"""Marks in one transaction at most: a statement's parameters stay well under the drivers' limits."""


class Grouped(Generic[Item, Result]):
    """Hands the items given while a write runs to the next write, together.

    ``write`` gets a list of items and returns their results in the same
    order, once committed.
    """

    def __init__(
        self,
        write: Callable[[list[Item]], Awaitable[Sequence[Result]]],
        *,
        name: str,
        most: int = MOST,
    ) -> None:
        self.write = write
        self.name = name
        self.most = most
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.writes = 0
        """Transactions written (a bench figure: marks per transaction)."""

    async def __call__(self, item: Item) -> Result:
        """Write ``item`` with whatever else is waiting; its result once committed."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieved)
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._writing(), name=self.name)
            # Its failure reaches every waiting caller; read it here too, or a
            # writer ended by a kill would be reported as never retrieved.
            self._writer.add_done_callback(_retrieved)
        # Shielded: a caller cancelled (a stop's grace ran out) does not cancel
        # the group's write, which the others wait for.
        return await asyncio.shield(future)

    async def settled(self) -> None:
        """Wait until what was handed in is written (or failed): a stopping process's last marks."""
        while self._writer is not None and not self._writer.done():
            await asyncio.gather(self._writer, return_exceptions=True)

    async def _writing(self) -> None:
        """Write groups until nothing waits; ends with no ``await`` after the last check."""
        try:
            while self._waiting:
                group, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
                await self._write(group)
        except BaseException as exc:  # cancelled, or the process is going down
            for _, future in self._waiting:
                _fail(future, exc)
            self._waiting = []
            raise

    async def _write(self, group: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        self.writes += 1
        try:
            results = await self.write([item for item, _ in group])
        except Exception as exc:
            if len(group) == 1:
                _fail(group[0][1], exc)
                return
            for one in group:  # each alone: only the bad one fails
                await self._write([one])
            return
        except BaseException as exc:
            for _, future in group:
                _fail(future, exc)
            raise
        for (_, future), result in zip(group, results, strict=True):
            if not future.done():
                future.set_result(result)


def _fail(future: asyncio.Future[Result], exc: BaseException) -> None:
    if future.done():
        return
    if isinstance(exc, asyncio.CancelledError):
        future.cancel()
    else:
        future.set_exception(exc)


def _retrieved(future: asyncio.Future[Any]) -> None:
    """An outcome nobody may read (a caller cancelled while its group was written, the writer)."""
    if not future.cancelled():
        future.exception()


@dataclass(frozen=True)
class Done:
    """An update whose turn ran and whose replies went out, or were not sent now (``left``)."""

    row: int
    sent: int
    incoming: Incoming
    left: Sequence[Reply] = ()
    unsure: bool = False
    """The first of ``left`` may have arrived (:class:`~bot.outbox.MayHaveArrived`): they
    wait :data:`~bot.outbox.UNSURE_PAUSE`, together, so they keep their order."""


async def write_done(
    engine: Engine, clock: Callable[[], datetime], marks: list[Done]
) -> list[None]:
    """The done marks of the turns that ended meanwhile, in one transaction.

    Each row done with its count of sent replies, each event's replies
    reduced to what a redelivery needs (:meth:`Engine.delivered
    <bot.engine.Engine.delivered>`), and the replies not sent now handed to
    the outbox: three statements for all of them, not three per turn.
    """
    async with engine.db.sessions() as session, session.begin():
        now = clock()
        done = [(mark.row, mark.sent) for mark in marks]
        await rows.done(await session.connection(), done, now)
        await engine.delivered(session, *(mark.incoming for mark in marks))
        for mark in marks:
            platform, event = mark.incoming.platform.value, mark.incoming.event_id
            for offset, reply in enumerate(mark.left):
                await enqueue(
                    session,
                    key=f"reply:{platform}:{event}:{mark.sent + offset}",
                    platform=platform,
                    chat_id=mark.incoming.chat,
                    reply=reply,
                    not_before=now + UNSURE_PAUSE if mark.unsure else None,
                )
    return [None] * len(marks)
