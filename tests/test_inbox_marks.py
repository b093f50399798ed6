"""The done marks of concurrent turns written together, on SQLite and PostgreSQL: each
update marked done once committed, a kill in the middle of a group's write replaying
no turn and at most the last reply of each update, one bad mark failing alone."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.inbox import Inbox
from bot.inbox_marks import Grouped
from bot.messages import Incoming, Platform
from bot.storage.db import Database
from bot.storage.state import ProcessedEvent
from tests.auxil.dialogue import Clock
from tests.auxil.statements import counting
from tests.test_inbox import Chat, Echo, Killed, answered, echo, message, rows

__all__ = ["echo"]  # the fixture, shared with tests/test_inbox.py


class KilledInGroup(Echo):
    """Dies (SIGKILL) in the transaction of the first group of several done marks."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        super().__init__(db, settings, clock)
        self.groups: list[list[str]] = []
        self.killed: list[str] = []

    async def delivered(self, session: AsyncSession, *incomings: Incoming) -> None:
        self.groups.append([i.event_id for i in incomings])
        # A slow write: the marks of the turns ending meanwhile queue up (on
        # SQLite, whose writes never wait, they would otherwise go one by one).
        await asyncio.sleep(0.3 if len(self.groups) == 1 else 0.05)
        await super().delivered(session, *incomings)
        if len(incomings) > 1 and not self.killed:
            self.killed = [i.event_id for i in incomings]
            raise Killed()  # written, not committed


async def test_the_done_marks_of_concurrent_turns_are_written_together(
    echo: Echo, store: Database
) -> None:
    chat = Chat()
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    chat.slow = {str(n): 0.2 for n in range(12)}  # all the turns end together
    with counting(store) as sent:
        futures = await inbox.record([(message(str(n), f"e{n}", "x"), {}) for n in range(12)])
        await answered(futures)
    assert inbox._marks.writes < 12
    done_statements = [s for s in sent if s.startswith("UPDATE inbox SET") and "status" in s]
    assert len(done_statements) == inbox._marks.writes  # one statement per group
    stored = await rows(store)
    assert [(r.status, r.sent, r.payload) for r in stored] == [("done", 3, {})] * 12
    async with store.sessions() as session:
        for n in range(12):
            event = await session.get(ProcessedEvent, ("telegram", f"e{n}"))
            assert event is not None and event.delivered_at is not None
            assert [p["text"] for p in event.replies] == ["reçu x", "Le CR", "fin x"]
            assert all("document" not in p and "sealed" not in p for p in event.replies)
    assert sorted(chat.texts()) == sorted(["reçu x", "cr.pdf", "fin x"] * 12)


async def test_a_kill_during_a_grouped_done_mark_replays_no_turn_and_one_reply_at_most(
    store: Database, settings: Settings, clock: Clock
) -> None:
    echo = KilledInGroup(store, settings, clock)
    chat = Chat()
    crashed = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock)
    chat.slow = {"0": 0.0, **{str(n): 0.1 for n in range(1, 6)}}
    futures = await crashed.record([(message(str(n), f"k{n}", f"m{n}"), {}) for n in range(6)])
    await asyncio.gather(*futures, return_exceptions=True)
    await asyncio.gather(*crashed._workers.values(), return_exceptions=True)
    assert len(echo.killed) > 1, echo.groups  # killed in a group of several
    # The group's marks were lost with it, and those queued behind it (the
    # process died); the marks committed before stay.
    killed = {r.event_id for r in await rows(store) if r.status == "pending"}
    assert set(echo.killed) <= killed and "k0" not in killed

    restarted = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock)
    await answered(await restarted.resume())
    assert sorted(echo.ran) == [f"k{n}" for n in range(6)]  # each turn ran once
    for n in range(6):
        # The last reply of an update killed before its done mark went out
        # twice (the at-least-once window, one reply wide); nothing else did.
        once = [f"reçu m{n}", "cr.pdf", f"fin m{n}"]
        assert chat.texts(str(n)) == once + ([f"fin m{n}"] if f"k{n}" in killed else [])
    assert {r.status for r in await rows(store)} == {"done"}


async def test_alone_a_mark_is_written_at_once_and_a_bad_one_fails_alone() -> None:
    groups: list[list[int]] = []

    async def write(items: list[int]) -> list[int]:
        groups.append(items)
        await asyncio.sleep(0.01)
        if 3 in items:
            raise ValueError("a row the database refuses")
        return [item * 10 for item in items]

    grouped: Grouped[int, int] = Grouped(write, name="test")
    assert await grouped(1) == 10
    assert groups == [[1]]  # alone: no waiting for company
    results = await asyncio.gather(*(grouped(n) for n in (2, 3, 4, 5)), return_exceptions=True)
    assert results[0] == 20 and results[2:] == [40, 50]
    assert isinstance(results[1], ValueError)
    # The group of four failed, then each was written alone: only 3 failed.
    assert groups[1] == [2, 3, 4, 5] and sorted(groups[2:]) == [[2], [3], [4], [5]]


async def test_a_caller_cancelled_during_its_groups_write_does_not_cancel_it() -> None:
    written: list[int] = []

    async def write(items: list[int]) -> list[None]:
        await asyncio.sleep(0.05)
        written.extend(items)
        return [None] * len(items)

    grouped: Grouped[int, None] = Grouped(write, name="test")
    first = asyncio.create_task(grouped(1))
    await asyncio.sleep(0)
    others = [asyncio.create_task(grouped(n)) for n in (2, 3)]
    await asyncio.sleep(0.01)
    first.cancel()
    await asyncio.gather(first, *others, return_exceptions=True)
    assert first.cancelled() and all(o.result() is None for o in others)
    assert written == [1, 2, 3]  # the cancelled caller's item was written all the same
    with pytest.raises(asyncio.CancelledError):
        await first


class SlowMark(Echo):
    """Its done marks take 0.3 s to write."""

    async def delivered(self, session: AsyncSession, *incomings: Incoming) -> None:
        await asyncio.sleep(0.3)
        await super().delivered(session, *incomings)


async def test_a_stopping_process_still_writes_the_marks_of_turns_cut_short(
    store: Database, settings: Settings, clock: Clock
) -> None:
    chat = Chat()
    inbox = Inbox(SlowMark(store, settings, clock), Platform.TELEGRAM, chat.deliver, clock=clock)
    futures = await inbox.record([(message("1", "s1", "x"), {})])
    await asyncio.sleep(0.1)  # replies sent, the mark being written
    assert chat.texts() == ["reçu x", "cr.pdf", "fin x"]
    await inbox.stop(grace=0.01)  # the turn's wait is cut short, not its mark
    await asyncio.gather(*futures, return_exceptions=True)
    [row] = await rows(store)
    assert (row.status, row.sent) == ("done", 3)
