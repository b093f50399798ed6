"""Notifications are sent exactly once, retried with backoff, never lost."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.messages import Choice, Document, Reply
from bot.outbox import (
    MAX_ATTEMPTS,
    PermanentFailure,
    Sender,
    enqueue,
    payload_to_reply,
    reply_to_payload,
)
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.dialogue import Clock


def test_a_reply_survives_the_round_trip_through_json() -> None:
    reply = Reply(
        text="<b>Rappel</b>",
        choices=(Choice("Fait", "1|done"),),
        document=Document("a.pdf", "application/pdf", b"%PDF-1.4 \x00\xff", "légende"),
    )
    back = payload_to_reply(reply_to_payload(reply))
    assert back.text == reply.text and back.choices == reply.choices
    assert back.document == reply.document


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


async def test_failures_are_retried_with_backoff_then_given_up(db: Database, clock: Clock) -> None:
    async with db.sessions() as session, session.begin():
        await enqueue(
            session,
            key="k",
            platform="console",
            chat_id="c",
            reply=Reply(text="x"),
            not_before=clock.now,
        )
    attempts = 0

    async def flaky(chat: str, reply: Reply) -> None:
        nonlocal attempts
        attempts += 1
        raise ConnectionError("réseau coupé")

    sender = Sender(db.sessions, {"console": flaky}, clock=clock)
    await sender.run_once()
    await sender.run_once()  # not due yet: backoff
    assert attempts == 1
    for _ in range(MAX_ATTEMPTS + 2):
        clock.advance(hours=2)
        await sender.run_once()
    assert attempts == MAX_ATTEMPTS
    async with db.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
        assert row is not None and row.status == "failed" and row.last_error == "ConnectionError"


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
