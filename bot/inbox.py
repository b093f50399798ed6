"""Nothing a person sends is lost: updates are written down, then handled from there.

A transport hands what its platform delivered to :meth:`Inbox.record`,
which commits it in one transaction (the table :mod:`bot.storage.inbox`);
only then does the transport acknowledge it (the next ``getUpdates``
offset, the webhook's 200, the console's echo).  The processor then
handles each recorded update through :meth:`Engine.handle
<bot.engine.Engine.handle>` — in arrival order for one person, different
people concurrently — has the transport send the replies, and marks the
update done (the marks of concurrent turns in one transaction, each turn
awaiting its own commit: :mod:`bot.inbox_marks`).

A crash can stop this anywhere:

- before the commit of the record: the platform was not told, it delivers
  the update again;
- after it, before or during the turn: the update is still ``pending`` and
  is handled first at the next start;
- after the turn's commit, before its replies went out: the engine's event
  de-duplication answers the replayed update with the replies it stored,
  whole (documents included), and nothing happens twice;
- between sending a reply and recording that it was sent: that one reply is
  sent again.  This is the remaining at-least-once window, one reply wide:
  the count of sent replies is written after each one.

Replies that cannot be sent now are handed to the outbox in the transaction
that marks the update done; its sender keeps trying.

One process receives a platform's updates (Telegram allows one poller, a
webhook reaches one port).  When other processes share the database
(:mod:`bot.workers`), every process handling Telegram updates is *shared*:
it holds a claim on each row during its turn (:mod:`bot.storage.inbox`:
the person's oldest pending row, nobody else's live lease), renewed for all
the rows it holds by one task, dropped with the done mark.  The receiving
process claims most rows in the ``INSERT`` that records them, so their turn
needs no claim statement (the races: :func:`bot.storage.inbox.record`);
the others (no room here, the person held elsewhere) are claimed before
their turn.  A failed claim leaves that row to the process holding it;
the person's next rows here follow, each held since recorded (every older
row was then done or held here) or claimed first.  Each shared process also
looks every :data:`POLL_EVERY` (less often while the database refuses), while
it has free slots, for rows it may claim, and after a turn for the person's
next row.  A stopping process lets go of the rows it held and did not finish.
On SQLite (one process) and for the console nothing is claimed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import select

from bot.engine import Engine, account
from bot.failures import GaveUp, Refusals, log_failure
from bot.inbox_marks import Done, Grouped, write_done
from bot.inbox_payload import incoming_to_payload, payload_to_incoming
from bot.messages import BUSY, SAY_ONCE, Incoming, Platform, Reply, gave_up
from bot.outbox import PermanentFailure, unsure
from bot.progress import while_slow
from bot.storage import inbox as rows
from bot.storage.base import utcnow
from bot.storage.claimers import claimer, take_back
from bot.storage.inbox import LEASE, InboxUpdate, Pending

log = logging.getLogger(__name__)

T = TypeVar("T")

NOTHING: tuple[None, None] = (None, None)
"""No replies and no mark: another process had the update."""

SHARED_PLATFORMS = frozenset({Platform.TELEGRAM})
"""Platforms whose updates any process may handle: it can answer with the token alone.
Not Matrix (its end-to-end keys belong to the receiving device), nor the console."""

POLL_EVERY = 0.1
"""Seconds between two looks for claimable rows when a shared process found none."""
POLL_BACKOFF_MAX = 5.0  # the longest pause between two looks the database refuses


Sent = Callable[[int], Awaitable[None]]
"""Told, after each reply went out, how many of the turn's replies are out."""

Deliver = Callable[[Incoming, Mapping[str, Any], Sequence[Reply], int, Sent], Awaitable[None]]
"""A transport's way to answer: ``(incoming, answer, replies, skip, sent)``.

``answer`` is what the transport recorded with the update to answer it (the
message whose button was pressed); the first ``skip`` replies were already
sent before a restart; ``sent(n)`` is awaited after the n-th reply.
"""


@dataclass
class _Item:
    row: int
    incoming: Incoming
    answer: dict[str, Any]
    sent: int
    done: asyncio.Future[list[Reply]] = field(repr=False)
    found: bool = False
    """Found in the table (a poll, a person's next row), not recorded by this process."""
    claimed: bool = False
    """Held by this process (claimed when recorded, or since): its turn needs no claim."""
    told: bool = False  # the person was told why the turn waits (bot.messages.SAY_ONCE)


class Inbox:
    """Records one platform's updates and handles them from the table."""

    def __init__(
        self,
        engine: Engine,
        platform: Platform,
        deliver: Deliver,
        *,
        concurrency: int = 32,
        clock: Callable[[], datetime] = utcnow,
        typing: Callable[[Incoming], Awaitable[object]] | None = None,
        shared: bool | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self.engine = engine
        self.typing = typing
        """Shows the platform's "typing" in a chat while a turn runs long (:func:`while_slow`)."""
        self.db = engine.db
        self.platform = platform
        self.deliver = deliver
        self.concurrency = concurrency
        self.clock = clock
        self._slots: asyncio.Semaphore | None = None
        self._queues: dict[tuple[str, str, str], deque[_Item]] = {}
        self._workers: dict[tuple[str, str, str], asyncio.Task[None]] = {}
        self._queued: set[int] = set()
        self._stopping = False
        self.shared = (
            not self.db.is_sqlite and platform in SHARED_PLATFORMS if shared is None else shared
        )
        """Claim each row before its turn: other processes may handle this platform too."""
        self.lease = lease
        self.me = claimer()
        self._poller: asyncio.Task[None] | None = None
        self._recording: dict[tuple[str, str, str], asyncio.Event] = {}
        """The people a record() is writing for, and the event set once it queued them."""
        self._held: set[int] = set()
        """Rows this process claimed and has not finished: renewed together (:meth:`_renewing`)."""
        self._renewer: asyncio.Task[None] | None = None
        self.claims_tried = 0
        """Claim statements run (not counting the rows claimed as they were recorded)."""
        self.claims_failed = 0
        """Claims that found the row held or not yet its person's turn (bench.load --inbox)."""
        self._marks = Grouped(partial(write_done, engine, clock), name="inbox-done")
        self._claims = Grouped(self._claim_rows, name="inbox-claim")
        """Done marks and claims of concurrent turns, each kind written together."""

    # --- receiving ----------------------------------------------------------------

    async def record(
        self, received: Sequence[tuple[Incoming, Mapping[str, Any]]]
    ) -> list[asyncio.Future[list[Reply]]]:
        """Write a batch down in one transaction, then queue it for handling.

        When this returns the batch is committed: the platform may be told.
        An update already recorded (a redelivery) is skipped.  The futures
        resolve to each new update's replies once they were sent.
        """
        if not received:
            return []
        keys = {incoming.key for incoming, _ in received}
        # One person's batches one at a time in this process: their rows get
        # increasing ids in the order they are queued here, and a row claimed
        # in its INSERT cannot have an older one of its person in flight.
        while busy := {self._recording[k] for k in keys if k in self._recording}:
            await asyncio.gather(*(event.wait() for event in busy))
        recorded = asyncio.Event()
        for key in keys:
            self._recording[key] = recorded
        try:
            items = await self._write(received)
            for item in items:
                if item.claimed:
                    self._hold(item.row)
                self._queue(item)
        finally:
            for key in keys:
                del self._recording[key]
            recorded.set()
        return [item.done for item in items]

    async def _write(self, received: Sequence[tuple[Incoming, Mapping[str, Any]]]) -> list[_Item]:
        """The batch's new rows, committed; claimed at once where the person allows it.

        Only the people this process has room for (:attr:`concurrency` rows
        held at most, give or take a batch recorded meanwhile for others),
        plus the next rows of the people queued here (they wait behind their
        person's row anyway; left unclaimed, another process would take them
        between that row's done mark and this process's claim): the rest are
        recorded unclaimed, for whichever process is free first.
        """
        loop = asyncio.get_running_loop()
        shared = self.shared and not self._stopping
        room = self.concurrency - len(self._held)
        here = set(self._queues)  # people with a queue here: their next row waits behind it
        updates: list[tuple[rows.Update, str | None]] = []
        for incoming, answer in received:
            payload = {"incoming": incoming_to_payload(incoming), "answer": dict(answer)}
            me = self.me if shared and (room > 0 or incoming.key in here) else None
            if me is not None and incoming.key not in here:  # the person's later rows too
                room -= 1
                here.add(incoming.key)
            key = (incoming.platform.value, incoming.event_id, *incoming.key[1:])
            updates.append(((*key, payload), me))
        async with self.db.transaction() as connection:
            found = await rows.record_all(connection, updates, self.clock(), self.lease)
        items = []
        for (incoming, answer), recorded in zip(received, found, strict=True):
            if recorded is not None:
                item = _Item(recorded[0], incoming, dict(answer), 0, loop.create_future())
                item.claimed = recorded[1]
                items.append(item)
        return items

    async def resume(self, *, chat: str | None = None) -> list[asyncio.Future[list[Reply]]]:
        """Queue what was recorded but not done before a stop, oldest first.

        Called before the transport receives anything new, so these come first in each
        person's order.  ``chat``: one chat only (the console's person at the keyboard).
        """
        mine = (InboxUpdate.platform == self.platform.value, InboxUpdate.status == "pending")
        query = select(InboxUpdate).where(*mine, *([InboxUpdate.chat_id == chat] if chat else []))
        async with self.db.sessions() as session, session.begin():
            if self.shared:  # held by a process killed on this host: free now, not at its lease
                await take_back(session, InboxUpdate, *mine, released={"claimed_until": None})
            found = (await session.scalars(query.order_by(InboxUpdate.id))).all()
        items = self._items(found)
        if self.shared:
            self.start_polling()
        if items:
            log.info("inbox: %s update(s) received before the stop handled first", len(items))
        for item in items:
            self._queue(item)
        return [item.done for item in items]

    def _items(self, found: Sequence[Pending]) -> list[_Item]:
        loop = asyncio.get_running_loop()
        return [
            _Item(
                row.id,
                payload_to_incoming(row.payload["incoming"]),
                dict(row.payload.get("answer") or {}),
                row.sent,
                loop.create_future(),
                found=True,
            )
            for row in found
            if row.id not in self._queued
        ]

    # --- sharing the inbox with other processes -----------------------------------

    def start_polling(self) -> None:
        """Look for rows to claim until stopped (a shared inbox; idempotent)."""
        if self._poller is None:
            self._poller = asyncio.create_task(self._poll(), name="inbox-poll")

    async def _poll(self) -> None:
        refusals = Refusals("looking for inbox rows", POLL_EVERY, POLL_BACKOFF_MAX)
        while not self._stopping:
            found: Sequence[Pending] = ()
            free = self.concurrency - len(self._workers)
            if free > 0:
                try:
                    async with self.db.engine.connect() as connection:
                        found = await rows.takeable(
                            connection, self.platform.value, self.me, self.clock(), free
                        )
                except Exception as exc:  # the database is away: look again later
                    refusals.refused(exc)
                else:
                    refusals.answered()
            taken = 0
            for item in self._items(found):
                if item.incoming.key not in self._queues:
                    self._queue(item)
                    taken += 1
            # A full batch of new rows: more may wait, look again at once.
            await asyncio.sleep(0 if taken and taken == free else refusals.pause)

    async def _claim(self, item: _Item) -> bool:
        """Take the row for this process; False when another one has the person now."""
        self.claims_tried += 1
        try:
            sent = await self._claims(item.row)
        except Exception as exc:  # the database is away: left pending, looked for again
            log_failure(f"claiming inbox update {item.row}", exc)
            return False
        if sent is None:
            self.claims_failed += 1
            return False
        item.sent = max(item.sent, sent)  # a process that died may have sent some
        item.claimed = True
        self._hold(item.row)
        return True

    async def _claim_rows(self, wanted: list[int]) -> list[int | None]:
        """The claims of the turns about to start meanwhile, in one statement (:mod:`bot.inbox_marks`)."""
        async with self.db.engine.begin() as connection:
            found = await rows.claim_all(connection, wanted, self.me, self.clock(), self.lease)
        return [found.get(row) for row in wanted]

    async def _follow(self, key: tuple[str, str, str]) -> _Item | None:
        """The person's next row, claimable here: it follows without waiting for a poll."""
        try:
            async with self.db.engine.connect() as connection:
                row = await rows.next_of(connection, key, self.me, self.clock())
        except Exception as exc:
            log_failure("looking for a person's next inbox row", exc)
            return None
        items = self._items([] if row is None else [row])
        return items[0] if items else None

    def _hold(self, row: int) -> None:
        """Keep this row's claim until it is done: one renewing task for all the rows held."""
        self._held.add(row)
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.create_task(self._renewing(), name="inbox-renew")

    async def _renewing(self) -> None:
        """Every third of the lease, renew every claim held, in one statement; ends when none is.

        A row is held from its claim (the INSERT's or :meth:`_claim`'s) to its
        done mark, so its claim is at most a third of the lease old at its
        first renewal.  The task ends once nothing is held; the next claim
        starts another (no ``await`` between the check and the end).
        """
        while self._held and not self._stopping:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            held = sorted(self._held)
            if not held or self._stopping:
                break
            try:
                async with self.db.engine.begin() as connection:
                    await rows.hold(connection, held, self.me, self.clock() + self.lease)
            except Exception as exc:
                log_failure(f"renewing the claims of {len(held)} inbox update(s)", exc)

    # --- handling -----------------------------------------------------------------

    def _queue(self, item: _Item) -> None:
        key = item.incoming.key
        self._queued.add(item.row)
        self._queues.setdefault(key, deque()).append(item)
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._work(key), name=f"inbox-{item.row}")

    async def _work(self, key: tuple[str, str, str]) -> None:
        """Handle one person's queue, one update at a time, until it is empty."""
        queue = self._queues[key]
        try:
            while queue and not self._stopping:
                item = queue[0]
                if self.platform is not Platform.CONSOLE:
                    # This account's budget: a flood waits here, in its own
                    # queue, holding no slot (the console has one person only).
                    await self.engine.budget.wait(account(item.incoming))
                if self._slots is None:
                    self._slots = asyncio.Semaphore(self.concurrency)
                async with self._slots:  # a turn and its sending; the done mark after it
                    taken = not self.shared or item.claimed or await self._claim(item)
                    turn = partial(self._turn, item)
                    replies, done = await self._again(str(item.row), turn) if taken else NOTHING
                if done is not None:  # retried alone: the turn is kept, its replies counted
                    await self._again(f"{item.row}, its done mark", partial(self._marks, done))
                queue.popleft()
                self._queued.discard(item.row)
                self._held.discard(item.row)
                if replies is None:
                    # Another process has this row, or has handled it: it answers.
                    # The person's next rows here may still run, in order: each
                    # was claimed as recorded (every older row was then done or
                    # held here) or is claimed before its turn.  Left, a row
                    # claimed as recorded would stay held here, renewed, by no one.
                    item.done.cancel()
                    continue
                if not item.done.done():
                    item.done.set_result(replies)
                # A row found in the table: the person's later ones may be too
                # (recorded by the receiving process while this one had them).
                # What this process records itself comes to its queue anyway.
                if self.shared and item.found and not queue and not self._stopping:
                    following = await self._follow(key)
                    if following is not None and following.row not in self._queued:
                        self._queued.add(following.row)
                        queue.append(following)
        finally:
            # No await between the last check and here: a record() after this
            # point sees no worker for the key and starts one.  Left in the
            # queue (a stop, a cancellation): still pending in the table.
            self._workers.pop(key, None)
            self._queues.pop(key, None)
            for left in queue:
                self._queued.discard(left.row)
                if not left.done.done():
                    left.done.cancel()

    async def _again(self, what: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """``attempt()`` until the database takes it, 1 s, 2 s … 30 s apart (the person waits)."""
        failures = 0
        while True:
            try:
                done = await attempt()
            except Exception as exc:  # the database is away: said at the first try only
                failures += 1
                if failures == 1:
                    log_failure(f"inbox update {what}", exc)
                await asyncio.sleep(min(30.0, 0.5 * 2.0 ** min(failures, 6)))
            else:
                if failures:
                    log.info("inbox update %s: through at try %d", what, failures + 1)
                return done

    async def _turn(self, item: _Item) -> tuple[list[Reply], Done]:
        shows = None if self.typing is None else partial(self.typing, item.incoming)
        replies = await while_slow(self.engine.handle(item.incoming), shows)
        if gave_up(replies):
            if replies[0].extras[BUSY] == SAY_ONCE and not item.told:
                item.told = True  # a wait that may last (the disk full): said, once
                with suppress(Exception):
                    await self.deliver(item.incoming, {}, replies, 0, _uncounted)
            raise GaveUp  # still pending: :meth:`_again` tries it again, 1 s, 2 s … later

        async def sent(count: int) -> None:
            item.sent = max(item.sent, count)
            if count < len(replies):  # the last one is recorded with the done mark
                async with self.db.transaction() as connection:
                    await rows.sent(connection, item.row, count)

        try:
            await self.deliver(item.incoming, item.answer, replies, item.sent, sent)
        except PermanentFailure:
            pass  # the person blocked the bot: the transport recorded it
        except Exception as exc:
            log.warning(
                "inbox update %s: replies not sent now (%s), handed to the outbox",
                item.row,
                type(exc).__name__,
            )
            left = replies[item.sent :]
            return replies, Done(item.row, item.sent, item.incoming, left, unsure(exc))
        return replies, Done(item.row, item.sent, item.incoming)

    # --- stopping -----------------------------------------------------------------

    async def stop(self, *, grace: float = 5.0) -> None:
        """Finish the turns under way (for ``grace`` seconds at most); the rest stays pending."""
        self._stopping = True
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
            self._poller = None
        workers = list(self._workers.values())
        if workers:
            _, late = await asyncio.wait(workers, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        # The marks of turns cut short are still written: their replies went out.
        await asyncio.gather(self._marks.settled(), self._claims.settled())
        await self._let_go()

    async def _let_go(self) -> None:
        """Rows held but not done (queued, or a turn cut short): others may take them at once."""
        if self._renewer is not None:
            self._renewer.cancel()
            await asyncio.gather(self._renewer, return_exceptions=True)
            self._renewer = None
        held, self._held = sorted(self._held), set()
        if not held:
            return
        try:
            async with self.db.engine.begin() as connection:
                await rows.hold(connection, held, self.me, None)
        except Exception as exc:  # their lease runs out instead
            log_failure(f"letting go of {len(held)} inbox update(s)", exc)

    async def idle(self) -> None:
        """Wait until everything queued so far was handled (tests, the console)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)


async def _uncounted(_count: int) -> None:
    """A notice sent while the turn waits is none of its replies: nothing to record."""
