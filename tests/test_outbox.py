"""Notifications are sent exactly once, retried with backoff, never lost."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.config import Settings
from bot.messages import Reply
from bot.outbox import (
    DELIVERED_KEPT,
    GIVE_UP_AFTER,
    SLOW_INTERVAL,
    UNSURE_PAUSE,
    MayHaveArrived,
    PermanentFailure,
    Sender,
    enqueue,
    forget_delivered_messages,
)
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil import processes
from tests.auxil.dialogue import Clock


async def test_the_same_key_is_queued_once(store: Database) -> None:
    for _ in range(3):
        async with store.sessions() as session, session.begin():
            await enqueue(
                session,
                key="rappel:1",
                platform="console",
                chat_id="x",
                reply=Reply(text="bonjour"),
            )
    async with store.sessions() as session:
        assert len((await session.scalars(select(OutboxMessage))).all()) == 1


async def test_two_senders_never_send_a_row_twice(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        for i in range(40):
            await enqueue(
                session,
                key=f"k{i}",
                platform="console",
                chat_id=f"c{i}",
                reply=Reply(text=f"message {i}"),
            )
    received: list[str] = []

    async def deliver(chat: str, reply: Reply) -> None:
        await asyncio.sleep(0)
        received.append(chat)

    senders = [Sender(store.sessions, {"console": deliver}, batch=7) for _ in range(2)]
    for _ in range(10):
        await asyncio.gather(*(s.run_once() for s in senders))
    assert sorted(received) == sorted(f"c{i}" for i in range(40))
    async with store.sessions() as session:
        statuses = {m.status for m in await session.scalars(select(OutboxMessage))}
        assert statuses == {"sent"}


async def queue_one(db: Database, clock: Clock) -> None:
    async with db.sessions() as session, session.begin():
        await enqueue(
            session,
            key="k",
            platform="console",
            chat_id="c",
            reply=Reply(text="x"),
            not_before=clock.now,
        )
        # Queued "now" on the test's clock, as it is on the real one in production.
        await session.execute(update(OutboxMessage).values(created_at=clock.now))


async def outage(db: Database, clock: Clock, *, lasting: timedelta) -> list[datetime]:
    """Run the sender minute by minute through an outage; when each delivery was tried."""
    tries: list[datetime] = []
    back = clock.now + lasting

    async def platform(chat: str, reply: Reply) -> None:
        tries.append(clock.now)
        if clock.now < back:
            raise ConnectionError("réseau coupé")

    sender = Sender(db.sessions, {"console": platform}, clock=clock)
    for _ in range(int((lasting + timedelta(hours=2)) / timedelta(minutes=1))):
        await sender.run_once()
        clock.advance(minutes=1)
    return tries


async def status_of_the_row(db: Database) -> str:
    async with db.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
        assert row is not None
        return row.status


@pytest.mark.parametrize("minutes", [15, 60])
async def test_an_outage_delivers_everything_once_the_platform_is_back(
    db: Database, clock: Clock, minutes: int
) -> None:
    await queue_one(db, clock)
    started = clock.now
    tries = await outage(db, clock, lasting=timedelta(minutes=minutes))
    assert await status_of_the_row(db) == "sent"
    delivered = tries[-1]
    assert delivered >= started + timedelta(minutes=minutes)
    # Delivered at the first try after the platform came back, and only then.
    assert delivered - started <= timedelta(minutes=minutes) + SLOW_INTERVAL
    assert [t for t in tries if t >= started + timedelta(minutes=minutes)] == [delivered]
    # Quick retries first, then one every quarter of an hour at most.
    gaps = [b - a for a, b in itertools.pairwise(tries)]
    assert gaps[0] <= timedelta(seconds=60) and max(gaps) <= SLOW_INTERVAL + timedelta(minutes=1)


async def test_failures_are_retried_for_a_day_then_given_up(db: Database, clock: Clock) -> None:
    await queue_one(db, clock)
    attempts: list[datetime] = []

    async def down(chat: str, reply: Reply) -> None:
        attempts.append(clock.now)
        raise ConnectionError("réseau coupé")

    sender = Sender(db.sessions, {"console": down}, clock=clock)
    started = clock.now
    await sender.run_once()
    await sender.run_once()  # not due yet: backoff
    assert len(attempts) == 1
    for _ in range(30):
        clock.advance(hours=2)
        await sender.run_once()
    assert attempts[-1] - started >= GIVE_UP_AFTER
    assert attempts[-2] - started < GIVE_UP_AFTER  # the try that gave up was the last one
    async with db.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
        assert row is not None and row.status == "failed" and row.last_error == "ConnectionError"


async def test_a_message_that_may_have_arrived_is_tried_again_after_a_pause(
    db: Database, clock: Clock
) -> None:
    """Explorer AC12: tried again 5 s later, a stalled platform got a copy at each try."""
    await queue_one(db, clock)
    attempts: list[datetime] = []

    async def slow(chat: str, reply: Reply) -> None:
        attempts.append(clock.now)
        if len(attempts) == 1:
            raise MayHaveArrived("TimedOut")

    sender = Sender(db.sessions, {"console": slow}, clock=clock)
    started = clock.now
    await sender.run_once()
    clock.advance(seconds=60)
    await sender.run_once()  # a plain failure would be due again by now
    assert attempts == [started]
    clock.advance(seconds=61)
    assert await sender.run_once() == 1
    assert attempts == [started, started + UNSURE_PAUSE + timedelta(seconds=1)]


async def test_a_blocked_recipient_is_not_retried(db: Database, clock: Clock) -> None:
    async with db.sessions() as session, session.begin():
        await enqueue(
            session,
            key="k",
            platform="console",
            chat_id="c",
            reply=Reply(text="x"),
            not_before=clock.now,
        )
    calls = 0

    async def blocked(chat: str, reply: Reply) -> None:
        nonlocal calls
        calls += 1
        raise PermanentFailure()

    sender = Sender(db.sessions, {"console": blocked}, clock=clock)
    await sender.run_once()
    clock.advance(days=1)
    await sender.run_once()
    assert calls == 1


async def test_a_row_claimed_by_a_dead_process_is_taken_again(db: Database, clock: Clock) -> None:
    async with db.sessions() as session, session.begin():
        await enqueue(
            session,
            key="k",
            platform="console",
            chat_id="c",
            reply=Reply(text="x"),
            not_before=clock.now,
        )
    dead = Sender(db.sessions, {"console": lambda c, r: asyncio.sleep(0)}, clock=clock)
    assert len(await dead.claim()) == 1  # claimed, then the process "dies"
    sent: list[str] = []

    async def deliver(chat: str, reply: Reply) -> None:
        sent.append(chat)

    alive = Sender(db.sessions, {"console": deliver}, clock=clock)
    await alive.run_once()
    assert sent == []
    clock.advance(minutes=6)
    _ = timedelta
    await alive.run_once()
    assert sent == ["c"]


async def test_a_row_left_sending_by_a_process_killed_on_this_host_goes_at_once(
    db: Database, clock: Clock
) -> None:
    """The bot killed in the middle of a sending and started again: the message goes at its
    first pass, not five minutes later; one held by a live process or another host waits."""
    async with db.sessions() as session, session.begin():
        for key in ("tué", "vivant", "ailleurs"):
            await enqueue(
                session,
                key=key,
                platform="console",
                chat_id=key,
                reply=Reply(text="x"),
                not_before=clock.now,
            )
    killed = Sender(db.sessions, {"console": lambda c, r: asyncio.sleep(0)}, clock=clock)
    assert len(await killed.claim()) == 3
    sent: list[str] = []

    async def deliver(chat: str, reply: Reply) -> None:
        sent.append(chat)

    with processes.alive() as running:
        holders = {"tué": processes.dead(), "vivant": running, "ailleurs": "autre-machine:1:42"}
        async with db.sessions() as session, session.begin():
            for key, holder in holders.items():
                await session.execute(
                    update(OutboxMessage).where(OutboxMessage.key == key).values(claimed_by=holder)
                )
        restarted = Sender(db.sessions, {"console": deliver}, clock=clock)
        assert await restarted.run_once() == 1
        assert sent == ["tué"]
        clock.advance(minutes=2)
        await restarted.run_once()  # looked at again after a minute: still alive
        assert sent == ["tué"]
    clock.advance(minutes=4)  # past the claim's timeout
    await restarted.run_once()
    assert sorted(sent) == ["ailleurs", "tué", "vivant"]


async def test_delivered_messages_are_forgotten_after_a_season(
    db: Database, clock: Clock, settings: Settings
) -> None:
    """Sent and given-up rows go after DELIVERED_KEPT; pending ones stay, whatever their age."""
    async with db.sessions() as session, session.begin():
        for key in ("sent", "failed", "pending", "recent"):
            await enqueue(session, key=key, platform="console", chat_id="c", reply=Reply(text=key))
        old = clock.now - DELIVERED_KEPT - timedelta(days=1)
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key != "recent")
            .values(created_at=old, status=OutboxMessage.key)  # named after their status
        )
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.key == "recent").values(status="sent")
        )
    async with db.sessions() as session, session.begin():
        await forget_delivered_messages(session, clock.now, settings)
    async with db.sessions() as session:
        left = sorted((await session.scalars(select(OutboxMessage.key))).all())
    assert left == ["pending", "recent"]


async def test_a_second_look_that_fails_sends_the_message_as_it_is(
    db: Database, clock: Clock
) -> None:
    """A feature's « still holds? » that fails must not leave messages stuck in the outbox."""
    await queue_one(db, clock)
    sent: list[str] = []

    async def deliver(chat: str, reply: Reply) -> None:
        sent.append(reply.text)

    async def broken(*_args: object) -> set[int]:
        raise RuntimeError("hook cassé")

    sender = Sender(db.sessions, {"console": deliver}, outdated=broken, clock=clock)
    assert await sender.run_once() == 1
    assert len(sent) == 1 and await status_of_the_row(db) == "sent"


async def test_a_database_away_is_logged_once_and_the_queue_goes_when_it_answers(
    away: Database, db: Database, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer R R3: while PostgreSQL was down, every pass (every 2 s) logged a traceback of
    seventy lines; now once, no traceback, passes further and further apart, then said back."""
    caplog.set_level(logging.INFO, logger="bot")
    await queue_one(db, clock)
    sent: list[str] = []

    async def deliver(chat: str, reply: Reply) -> None:
        sent.append(reply.text)

    sender = Sender(away.sessions, {"console": deliver}, clock=clock)
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run_forever(stop, interval=0.05))
    await asyncio.sleep(0.6)  # passes at 0.05, 0.1, 0.2, 0.4 s: four refusals, not twelve
    sender.sessions = db.sessions  # the database answers again
    for _ in range(100):
        if sent:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await running
    assert sent == ["x"]
    failures = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(failures) == 1 and failures[0].getMessage().startswith("outbox sender pass failed")
    assert "Traceback" not in caplog.text
    refused = re.search(
        r"outbox sender pass: the database answers again \((\d+) refused\)", caplog.text
    )
    assert refused is not None and 3 <= int(refused[1]) <= 6
