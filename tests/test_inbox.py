"""The inbox on SQLite and on a real PostgreSQL: recorded once, handled in order per
person, resumed after a crash at any point, replies sent whole (documents included)
and never lost, done rows emptied and forgotten."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from bot import texts
from bot.app import FEATURES
from bot.config import Settings
from bot.conversations.kit.context import Context
from bot.engine import Engine
from bot.failures import SPACE
from bot.inbox import Inbox, Sent
from bot.inbox_payload import incoming_to_payload
from bot.messages import Attachment, Document, Incoming, Platform, Reply
from bot.scheduler import forget_handled_updates
from bot.storage import inbox as inbox_rows
from bot.storage.base import utcnow
from bot.storage.db import Database
from bot.storage.inbox import LEASE, InboxUpdate
from bot.storage.outbox import OutboxMessage
from bot.storage.state import ConversationState, ProcessedEvent
from tests.auxil import processes
from tests.auxil.dialogue import Clock
from tests.auxil.disk import fill_the_disk, free_space, space_reset
from tests.auxil.statements import plans, recording, scans

PDF = b"%PDF-1.4 compte rendu \x00\xff"


class Echo(Engine):
    """The real engine's transaction and de-duplication around a toy turn.

    Each message is answered with three replies, the second a PDF; the turns
    that really ran (not replayed from ``processed_events``) are listed.
    """

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        super().__init__(db, settings, FEATURES, clock=clock)
        self.ran: list[str] = []
        self.slow: dict[str, float] = {}

    async def _route(self, ctx: Context, state: ConversationState) -> tuple[str | None, str | None]:
        await asyncio.sleep(self.slow.get(ctx.incoming.user, 0))
        self.ran.append(ctx.incoming.event_id)
        text = ctx.incoming.text
        ctx.send(Reply(text=f"reçu {text}"))
        ctx.send(Reply(text="", document=Document("cr.pdf", "application/pdf", PDF, "Le CR")))
        ctx.send(Reply(text=f"fin {text}", extras={"invite_code": "CODE42"}))
        return None, None


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even ``except Exception``."""


class Chat:
    """A transport's ``deliver``: what reached each person, and a kill switch."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, Reply]] = []
        self.kill_after: int | None = None
        self.fail_after: int | None = None
        self.slow: dict[str, float] = {}
        """Seconds a person's replies take to go out (the turn is committed meanwhile)."""

    async def deliver(
        self,
        incoming: Incoming,
        answer: Mapping[str, Any],
        replies: Sequence[Reply],
        skip: int,
        sent: Sent,
    ) -> None:
        await asyncio.sleep(self.slow.get(incoming.user, 0))
        for index, reply in enumerate(replies):
            if index < skip:
                continue
            if self.fail_after is not None and len(self.seen) >= self.fail_after:
                raise ConnectionError("the platform is down")
            self.seen.append((incoming.user, incoming.event_id, reply))
            if self.kill_after is not None and len(self.seen) >= self.kill_after:
                raise Killed()
            await sent(index + 1)

    def texts(self, user: str | None = None) -> list[str]:
        return [
            r.document.filename if r.document else r.text
            for u, _, r in self.seen
            if user is None or u == user
        ]


def message(user: str, event_id: str, text: str = "", **kwargs: Any) -> Incoming:
    return Incoming(Platform.TELEGRAM, user, user, event_id, text=text, **kwargs)


@pytest.fixture
def echo(store: Database, settings: Settings, clock: Clock) -> Echo:
    return Echo(store, settings, clock)


async def rows(db: Database) -> list[InboxUpdate]:
    async with db.sessions() as session:
        return list((await session.scalars(select(InboxUpdate).order_by(InboxUpdate.id))).all())


async def answered(futures: list[asyncio.Future[list[Reply]]]) -> list[list[Reply]]:
    return list(await asyncio.wait_for(asyncio.gather(*futures), timeout=20))


async def test_an_update_is_recorded_once_and_handled_once(echo: Echo, store: Database) -> None:
    chat = Chat()
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    first = await inbox.record([(message("1", "100", "bonjour"), {"pressed": 7})])
    again = await inbox.record([(message("1", "100", "bonjour"), {})])  # a redelivery
    assert again == []
    await answered(first)
    await inbox.record([(message("1", "100", "bonjour"), {})])  # and after it is done
    await inbox.idle()
    assert echo.ran == ["100"]
    assert chat.texts() == ["reçu bonjour", "cr.pdf", "fin bonjour"]
    [row] = await rows(store)
    assert (row.status, row.sent, row.payload) == ("done", 3, {})  # nothing of it kept
    assert row.done_at is not None


async def test_one_persons_updates_in_order_and_others_meanwhile(
    echo: Echo, store: Database
) -> None:
    chat = Chat()
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    echo.slow["lent"] = 0.3
    futures = await inbox.record(
        [(message("lent", f"l{i}", f"m{i}"), {}) for i in range(3)]
        + [(message("vif", "v0", "vite"), {})]
    )
    await answered(futures)
    assert [t for t in chat.texts("lent") if t.startswith("reçu")] == [
        "reçu m0",
        "reçu m1",
        "reçu m2",
    ]
    assert chat.texts().index("reçu vite") < chat.texts().index("reçu m1")


async def test_a_turn_waiting_for_its_done_mark_leaves_its_slot_to_the_next_person(
    echo: Echo, store: Database
) -> None:
    """One slot: while the first person's mark is held up, the second person's turn runs and
    is answered; the first person's next update waits for that mark, in order."""
    chat, bruno_answered, marking = Chat(), asyncio.Event(), asyncio.Event()

    async def deliver(incoming: Incoming, *rest: Any) -> None:
        await chat.deliver(incoming, *rest)
        if incoming.user == "bruno":
            bruno_answered.set()

    inbox = Inbox(echo, Platform.TELEGRAM, deliver, concurrency=1)
    write, go_on = inbox._marks.write, asyncio.Event()

    async def held_up(marks: list[Any]) -> Sequence[Any]:
        if not marking.is_set():  # the first mark, Anne's, waits
            marking.set()
            await go_on.wait()
        return await write(marks)

    inbox._marks.write = held_up
    first = await inbox.record([(message("anne", "a0", "un"), {})])
    await asyncio.wait_for(marking.wait(), 20)
    later = await inbox.record([(message("anne", "a1", "deux"), {})])
    other = await inbox.record([(message("bruno", "b0", "salut"), {})])
    await asyncio.wait_for(bruno_answered.wait(), 20)  # the slot was free: before Anne's mark
    assert echo.ran == ["a0", "b0"] and not first[0].done()
    go_on.set()
    await answered(first + later + other)
    assert echo.ran == ["a0", "b0", "a1"]
    assert [row.status for row in await rows(store)] == ["done"] * 3


async def test_a_done_mark_the_database_refuses_is_written_again_without_a_second_turn(
    echo: Echo, store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The turn was committed and its replies sent: only the mark is tried again."""
    monkeypatch.setattr(asyncio, "sleep", fast_sleep(asyncio.sleep))
    chat = Chat()
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    write, refusals = inbox._marks.write, [2]

    async def refused_twice(marks: list[Any]) -> Sequence[Any]:
        if refusals[0]:
            refusals[0] -= 1
            raise ConnectionError("the database is away")
        return await write(marks)

    inbox._marks.write = refused_twice
    await answered(await inbox.record([(message("1", "100", "bonjour"), {})]))
    assert refusals == [0] and echo.ran == ["100"]
    assert chat.texts() == ["reçu bonjour", "cr.pdf", "fin bonjour"]
    [row] = await rows(store)
    assert (row.status, row.sent) == ("done", 3)


class Refusing(Echo):
    """The database refuses ``refusals`` turns in a row (a server restarting, another process
    moving the same conversation first), then takes them."""

    def __init__(self, db: Database, settings: Settings, clock: Clock, refusals: int) -> None:
        super().__init__(db, settings, clock)
        self.refusals = refusals

    async def _route(self, ctx: Context, state: ConversationState) -> tuple[str | None, str | None]:
        if self.refusals:
            self.refusals -= 1
            raise OperationalError("UPDATE conversation_states …", {}, Exception("locked"))
        return await super()._route(ctx, state)


async def test_a_turn_the_engine_gives_up_is_tried_again_not_answered_busy(
    store: Database, settings: Settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five refusals make the engine give the turn up: a caller without an inbox gets « Je
    suis très sollicité … renvoyez votre message »; the inbox keeps the update and tries it
    again, so the person gets the answer and has nothing to send again."""
    alone = Refusing(store, settings, clock, refusals=5)
    [busy] = await alone.handle(message("1", "99", "bonjour"))
    assert busy.text.startswith("Je suis très sollicité") and alone.ran == []
    monkeypatch.setattr(asyncio, "sleep", fast_sleep(asyncio.sleep))
    engine = Refusing(store, settings, clock, refusals=7)  # the engine gives up once
    chat = Chat()
    inbox = Inbox(engine, Platform.TELEGRAM, chat.deliver)
    await answered(await inbox.record([(message("1", "100", "bonjour"), {})]))
    assert engine.refusals == 0 and engine.ran == ["100"]
    assert chat.texts() == ["reçu bonjour", "cr.pdf", "fin bonjour"]  # nothing « sollicité »
    assert [(r.event_id, r.status) for r in await rows(store)] == [("100", "done")]


def fast_sleep(sleep: Any) -> Any:
    """``asyncio.sleep`` without the inbox's waits between attempts (1 s, 2 s …)."""

    async def quick(delay: float, result: Any = None) -> Any:
        return await sleep(min(delay, 0.01), result)

    return quick


@pytest.mark.parametrize("killed_after", [0, 1, 2, 3])
async def test_a_crash_at_any_reply_resumes_where_it_stopped(
    echo: Echo, store: Database, killed_after: int
) -> None:
    """Killed before the turn (0), or after the first, second, third reply went out."""
    chat = Chat()
    crashed = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    if killed_after == 0:
        crashed._stopping = True  # recorded, then the process died before handling it
    else:
        chat.kill_after = killed_after
    futures = await crashed.record(
        [(message("1", "200", "un", attachment=Attachment("a.jpg", "image/jpeg", b"\xff")), {})]
    )
    await asyncio.gather(*futures, return_exceptions=True)
    await asyncio.gather(*crashed._workers.values(), return_exceptions=True)
    [row] = await rows(store)
    assert row.status == "pending"

    chat.kill_after = None
    restarted = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    await answered(await restarted.resume())
    assert echo.ran == ["200"]  # one effect, whatever the moment of the crash
    # Each reply reached the person; only the one in flight at the kill went twice.
    expected = ["reçu un", "cr.pdf", "fin un"]
    if killed_after:
        expected.insert(killed_after, expected[killed_after - 1])
    assert chat.texts() == expected
    # Replayed from the record, the code is unsealed: the person still gets it.
    assert chat.seen[-1][2].extras == {"invite_code": "CODE42"}
    [row] = await rows(store)
    assert row.status == "done"
    async with store.sessions() as session:
        event = await session.get(ProcessedEvent, ("telegram", "200"))
        assert event is not None and event.delivered_at is not None
        # Sent: the document and the code are not kept, the text is.
        assert all(
            "document" not in p and "extras" not in p and "sealed" not in p for p in event.replies
        )
        assert [p["text"] for p in event.replies] == ["reçu un", "Le CR", "fin un"]


async def test_the_replies_stored_with_the_turn_keep_the_document_until_sent(
    echo: Echo, store: Database
) -> None:
    chat = Chat()
    chat.kill_after = 2  # killed as the PDF went out, before it was marked
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    await asyncio.gather(
        *await inbox.record([(message("1", "300", "x"), {})]), return_exceptions=True
    )
    await asyncio.gather(*inbox._workers.values(), return_exceptions=True)
    async with store.sessions() as session:
        event = await session.get(ProcessedEvent, ("telegram", "300"))
        assert event is not None and event.delivered_at is None
        assert event.replies[1]["document"]["filename"] == "cr.pdf"
        [row] = (await session.scalars(select(InboxUpdate))).all()
        assert row.sent == 1  # the first reply is known to be out


async def test_replies_that_cannot_be_sent_now_go_to_the_outbox(
    echo: Echo, store: Database
) -> None:
    chat = Chat()
    chat.fail_after = 1
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    await answered(await inbox.record([(message("1", "400", "x"), {})]))
    assert chat.texts() == ["reçu x"]
    async with store.sessions() as session:
        queued = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [(m.key, m.chat_id) for m in queued] == [
        ("reply:telegram:400:1", "1"),
        ("reply:telegram:400:2", "1"),
    ]
    assert queued[0].payload["document"]["filename"] == "cr.pdf"
    assert queued[1].payload["extras"] == {"invite_code": "CODE42"}
    [row] = await rows(store)
    assert row.status == "done"


async def test_what_was_pending_comes_before_what_arrives_after_a_restart(
    echo: Echo, store: Database
) -> None:
    chat = Chat()
    crashed = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    crashed._stopping = True
    await crashed.record([(message("1", str(i), f"m{i}"), {}) for i in range(3)])
    restarted = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    resumed = await restarted.resume()
    fresh = await restarted.record([(message("1", "9", "m9"), {})])
    await answered(resumed + fresh)
    assert echo.ran == ["0", "1", "2", "9"]
    # Another platform's pending rows are not this inbox's.
    assert await Inbox(echo, Platform.CONSOLE, chat.deliver).resume() == []


async def test_text_that_is_not_valid_unicode_is_recorded_and_refused_politely(
    store: Database, settings: Settings, clock: Clock
) -> None:
    chat = Chat()
    engine = Engine(store, settings, FEATURES, clock=clock)
    inbox = Inbox(engine, Platform.TELEGRAM, chat.deliver)
    weird = message("1", "500", "Léa \udcff Martin", display_name="\ud800")
    [replies] = await answered(await inbox.record([(weird, {})]))
    assert replies and chat.texts()
    [row] = await rows(store)
    assert row.status == "done"


async def test_done_rows_are_forgotten_after_the_platforms_window_pending_ones_never(
    echo: Echo, store: Database, settings: Settings, clock: Clock
) -> None:
    chat = Chat()
    done = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock)
    await answered(await done.record([(message("1", "600", "x"), {})]))
    pending = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock)
    pending._stopping = True
    await pending.record([(message("2", "601", "y"), {})])
    # Telegram keeps an update 24 hours at most: the window is 25 hours.
    for hours, left in ((24, 2), (26, 1)):
        async with store.sessions() as session, session.begin():
            await forget_handled_updates(session, clock.now + timedelta(hours=hours), settings)
        async with store.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == left
    [row] = await rows(store)
    assert row.event_id == "601"


async def test_a_full_disk_is_said_once_and_the_update_handled_once_space_is_freed(
    db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer R R5: a person whose turn the full disk refused heard nothing; told once now,
    the update kept and tried again, answered as usual when space is freed."""
    echo, chat = Echo(db, settings, clock), Chat()
    before = Inbox(echo, Platform.TELEGRAM, chat.deliver)
    before._stopping = True  # recorded, not handled: the disk fills up meanwhile
    await before.record([(message("1", "700", "Enregistrer"), {})])
    await fill_the_disk(db)
    try:
        inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver)
        futures = await inbox.resume()
        await asyncio.sleep(1.8)  # tried at once, then 1 s later: two refusals
        assert SPACE.count >= 2
        notice = texts.say("common.disk_full")
        assert chat.texts() == [notice]
        [row] = await rows(db)
        assert row.status == "pending"
        await free_space(db)
        await answered(futures)
        assert chat.texts() == [notice, "reçu Enregistrer", "cr.pdf", "fin Enregistrer"]
        [row] = await rows(db)
        assert row.status == "done"
        async with db.sessions() as session:
            recorded = select(func.count()).select_from(ProcessedEvent)
            assert await session.scalar(recorded.where(ProcessedEvent.event_id == "700")) == 1
    finally:
        space_reset()


# --- several processes: the claim ---------------------------------------------------


async def test_a_row_is_claimed_only_as_its_persons_oldest_and_only_by_one_process(
    echo: Echo, store: Database, clock: Clock
) -> None:
    # Recorded by a process that claims nothing, handled by nobody yet.
    parked = Inbox(echo, Platform.TELEGRAM, Chat().deliver, clock=clock, shared=False)
    parked._stopping = True
    await parked.record(
        [(message("A", "a1"), {}), (message("A", "a2"), {}), (message("B", "b1"), {})]
    )
    a1, a2, b1 = (row.id for row in await rows(store))
    now = clock.now

    async def claim(row: int, who: str, at: datetime = now) -> int | None:
        async with store.engine.begin() as connection:
            return await inbox_rows.claim(connection, row, who, at)

    assert await claim(a2, "p1") is None  # A's first message comes first, in any process
    assert await claim(a1, "p1") == 0
    assert await claim(a1, "p2") is None  # held by p1
    assert await claim(a2, "p2") is None  # and A's next waits behind it
    assert await claim(b1, "p2") == 0  # another person is not held up
    assert await claim(a1, "p1") == 0  # p1 again (its own restart) may
    async with store.engine.connect() as connection:
        assert list(await inbox_rows.takeable(connection, "telegram", "p3", now, 10)) == []
        # p1 died: LEASE later its row is anyone's, A's next still waits behind it.
        later = now + LEASE + timedelta(seconds=1)
        found = await inbox_rows.takeable(connection, "telegram", "p3", later, 10)
        assert [r.id for r in found] == [a1, b1]
        assert list(await inbox_rows.takeable(connection, "console", "p3", later, 10)) == []
    assert await claim(a1, "p3", later) == 0


async def test_claims_grouped_in_one_statement_each_take_only_what_is_theirs(
    echo: Echo, store: Database, clock: Clock
) -> None:
    parked = Inbox(echo, Platform.TELEGRAM, Chat().deliver, clock=clock, shared=False)
    parked._stopping = True
    await parked.record([(message(p, f"{p}{n}"), {}) for p in "ABC" for n in (1, 2)])
    a1, a2, b1, b2, c1, c2 = (row.id for row in await rows(store))
    async with store.engine.begin() as connection:
        assert await inbox_rows.claim(connection, b1, "other:1", clock.now) == 0
    with recording(store) as sent:
        async with store.engine.begin() as connection:
            wanted = [a1, a2, b1, b2, c1]
            taken = await inbox_rows.claim_all(connection, wanted, "me:1", clock.now, LEASE)
    # A's and C's first rows; not A's second (behind A's first), nor B's (held
    # by another process), nor C's second (not asked for): one statement.
    assert taken == {a1: 0, c1: 0}
    assert len([sql for sql, _ in sent if sql.lstrip().upper().startswith("UPDATE")]) == 1
    held = {r.id: r.claimed_by for r in await rows(store)}
    assert held == {a1: "me:1", a2: None, b1: "other:1", b2: None, c1: "me:1", c2: None}


async def test_a_batch_is_recorded_in_its_order_claimed_per_person_redeliveries_skipped(
    echo: Echo, store: Database, clock: Clock
) -> None:
    parked = Inbox(echo, Platform.TELEGRAM, Chat().deliver, clock=clock, shared=False)
    parked._stopping = True
    await parked.record([(message("A", "a0"), {}), (message("B", "b0"), {})])
    a0 = (await rows(store))[0].id
    async with store.engine.begin() as connection:
        assert await inbox_rows.claim(connection, a0, "other:1", clock.now) == 0

    def update(person: str, event: str) -> inbox_rows.Update:
        return ("telegram", event, person, person, {"n": event})

    batch = [
        (update("A", "a1"), "me:1"),  # behind A's row held elsewhere: left unclaimed
        (update("C", "c1"), "me:1"),
        (update("B", "b0"), "me:1"),  # a redelivery
        (update("C", "c2"), "me:1"),  # C's next, behind c1 held here
        (update("A", "a2"), "me:1"),
        (update("D", "d1"), None),  # no room: recorded for whoever is free
        (update("C", "c1"), "me:1"),  # twice in one batch
    ]
    async with store.transaction() as connection:
        found = await inbox_rows.record_all(connection, batch, clock.now)
    assert [None if f is None else f[1] for f in found] == [
        False, True, None, True, False, False, None
    ]  # fmt: skip
    recorded = [f[0] for f in found if f is not None]
    assert recorded == sorted(recorded)  # ids in arrival order: each person's order
    stored = {r.event_id: (r.claimed_by, r.payload) for r in await rows(store)}
    assert {e: by for e, (by, _) in stored.items()} == {
        "a0": "other:1", "b0": None, "a1": None, "c1": "me:1", "c2": "me:1", "a2": None, "d1": None
    }  # fmt: skip
    assert stored["c2"][1] == {"n": "c2"}


async def test_a_shared_inbox_leaves_a_person_held_elsewhere_to_that_process(
    echo: Echo, store: Database, clock: Clock
) -> None:
    chat = Chat()
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=True)
    async with store.sessions() as session, session.begin():
        session.add(
            InboxUpdate(
                platform="telegram",
                event_id="e0",
                chat_id="A",
                user_id="A",
                payload={"incoming": incoming_to_payload(message("A", "e0", "avant"))},
                status="pending",
                sent=1,  # the other process had sent one reply
                received_at=clock.now,
                claimed_by="other:1",
                claimed_until=clock.now + LEASE,
            )
        )
    futures = await inbox.record([(message("A", "e1", "m1"), {}), (message("B", "e2", "m2"), {})])
    await asyncio.gather(*futures, return_exceptions=True)
    await inbox.idle()
    assert echo.ran == ["e2"]  # B at once; A's message waits for A's older one
    assert futures[0].cancelled()
    # The other process's lease runs out: A's rows are taken over, in order, the
    # replies the other one sent not sent again.
    clock.advance(seconds=LEASE.total_seconds() + 1)
    inbox.start_polling()
    for _ in range(100):
        if len(echo.ran) == 3 and not inbox._workers:
            break
        await asyncio.sleep(0.05)
    await inbox.stop()
    assert echo.ran == ["e2", "e0", "e1"]
    assert chat.texts("A") == ["cr.pdf", "fin avant", "reçu m1", "cr.pdf", "fin m1"]
    assert {(r.status, r.claimed_by) for r in await rows(store)} == {("done", inbox.me)}


async def test_a_row_handled_elsewhere_does_not_strand_the_persons_next_one_held_here(
    echo: Echo, store: Database, clock: Clock
) -> None:
    chat = Chat()
    chat.slow["B"] = 0.5  # B's replies hold the only slot meanwhile
    receiver = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=True)
    receiver.concurrency = 1
    parked = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=False)
    parked._stopping = True
    await parked.record([(message("A", "a1", "un"), {})])
    b = await receiver.record([(message("B", "b1", "bé"), {})])
    await asyncio.sleep(0.1)
    first = await receiver.resume()  # A's first row waits for the slot, unclaimed
    # Another process handles it meanwhile; A's next message is then claimed
    # here as it is recorded (A's queue is here, nothing of A's pending).
    async with store.sessions() as session, session.begin():
        a1 = (await session.scalars(select(InboxUpdate).where(InboxUpdate.event_id == "a1"))).one()
        a1.status, a1.claimed_by = "done", "other:1"
    [second] = await receiver.record([(message("A", "a2", "deux"), {})])
    assert [(r.event_id, r.claimed_by) for r in await rows(store)][-1] == ("a2", receiver.me)
    await answered(b)
    await asyncio.gather(*first, return_exceptions=True)
    assert first[0].cancelled()  # a1: another process's
    replies = await asyncio.wait_for(second, timeout=5)  # a2 runs here, not stranded
    assert replies[0].text == "reçu deux"
    assert echo.ran == ["b1", "a2"]
    await receiver.stop()
    stored = {r.event_id: (r.status, r.claimed_by) for r in await rows(store)}
    assert stored["a2"] == ("done", receiver.me)


async def test_the_claims_read_indexes_only(echo: Echo, store: Database, clock: Clock) -> None:
    now = clock.now
    with recording(store) as sent:
        async with store.engine.begin() as connection:
            await inbox_rows.record(connection, ("telegram", "e1", "A", "A", {}), now, "p1")
            await inbox_rows.claim(connection, 1, "p1", now)
            await inbox_rows.hold(connection, [1, 2], "p1", now + LEASE)
            await inbox_rows.takeable(connection, "telegram", "p1", now, 10)
            await inbox_rows.next_of(connection, ("telegram", "A", "A"), "p1", now)
    found = await plans(store, sent)
    assert len(found) == 5
    assert scans(found, {"inbox"}) == []


async def test_the_receiving_process_claims_a_row_as_it_records_it_unless_held_elsewhere(
    echo: Echo, store: Database, clock: Clock
) -> None:
    chat = Chat()
    receiver = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=True)
    worker = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=True)
    worker.me = "worker:2"  # another process
    # A row of B nobody holds: claimed in its INSERT, its turn runs with no claim statement.
    with recording(store) as sent:
        await answered(await receiver.record([(message("B", "b1", "x"), {})]))
    [b1] = await rows(store)
    assert (b1.status, b1.claimed_by) == ("done", receiver.me)
    assert not [
        sql for sql, _ in sent if sql.lstrip().upper().startswith("UPDATE INBOX SET CLAIMED")
    ]
    # A's first message is being handled by the worker (its replies slow to go
    # out; a slow turn would hold SQLite's one connection) when A's second one
    # arrives: it is recorded unclaimed, the receiver leaves it, and the worker
    # takes it after its turn.
    chat.slow["A"] = 0.5
    parked = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=False)
    parked._stopping = True
    await parked.record([(message("A", "a1", "un"), {})])
    worker.start_polling()
    for _ in range(100):
        if any(r.claimed_by == "worker:2" for r in await rows(store)):
            break
        await asyncio.sleep(0.02)
    [second] = await receiver.record([(message("A", "a2", "deux"), {})])
    a2 = (await rows(store))[-1]
    assert (a2.event_id, a2.status, a2.claimed_by) == ("a2", "pending", None)
    await asyncio.gather(second, return_exceptions=True)
    assert second.cancelled()  # left to the process that holds A
    for _ in range(200):
        if len(echo.ran) == 3 and not worker._workers:
            break
        await asyncio.sleep(0.02)
    await worker.stop()
    await receiver.stop()
    assert echo.ran == ["b1", "a1", "a2"]
    assert [t for t in chat.texts("A") if t.startswith("reçu")] == ["reçu un", "reçu deux"]
    stored = {r.event_id: (r.status, r.claimed_by) for r in await rows(store)}
    assert stored == {
        "b1": ("done", receiver.me),
        "a1": ("done", "worker:2"),
        "a2": ("done", "worker:2"),
    }
    assert receiver.claims_failed == 1


async def test_one_persons_batches_are_recorded_one_after_the_other_in_arrival_order(
    echo: Echo, store: Database, clock: Clock
) -> None:
    """Two batches of one person in flight at once (a webhook's parallel requests)."""
    chat = Chat()
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=True)
    batches = await asyncio.gather(
        *(inbox.record([(message("A", f"a{i}", f"m{i}"), {})]) for i in range(4)),
        inbox.record([(message("B", "b0", "x"), {})]),
    )
    await answered([future for batch in batches for future in batch])
    await inbox.stop()
    assert [e for e in echo.ran if e.startswith("a")] == ["a0", "a1", "a2", "a3"]
    stored = await rows(store)
    assert [r.event_id for r in stored if r.user_id == "A"] == ["a0", "a1", "a2", "a3"]
    assert {(r.status, r.claimed_by) for r in stored} == {("done", inbox.me)}
    assert inbox.claims_failed == 0


async def test_rows_held_by_a_process_killed_on_this_host_are_handled_at_the_restart(
    echo: Echo, store: Database, clock: Clock
) -> None:
    """kill -9 leaves its claims until their lease ends (30 s); a process of the same host
    started again sees that process is gone and answers at once.  Another host's claim, or
    a live process's, is left to its lease."""
    chat = Chat()
    killed = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=True)
    killed._stopping = True  # records, handles nothing: as if killed right after the record
    await killed.record([(message("A", "a1", "bonjour"), {}), (message("B", "b1", "salut"), {})])
    with processes.alive() as running:
        async with store.sessions() as session, session.begin():
            for user, holder in (("A", processes.dead()), ("B", running)):
                await session.execute(
                    update(InboxUpdate)
                    .where(InboxUpdate.user_id == user)
                    .values(claimed_by=holder, claimed_until=clock.now + LEASE)
                )
        restarted = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=True)
        resumed = await restarted.resume()
        await asyncio.wait(resumed, timeout=5)
        await restarted.stop()
        assert echo.ran == ["a1"]  # B waits for its live holder's lease
    assert {r.event_id: r.status for r in await rows(store)} == {"a1": "done", "b1": "pending"}


async def test_a_stopped_process_lets_go_of_the_rows_it_held_but_did_not_handle(
    echo: Echo, store: Database, clock: Clock
) -> None:
    chat = Chat()
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver, clock=clock, shared=True)
    echo.slow["A"] = 5.0
    futures = await inbox.record([(message("A", "a1"), {}), (message("A", "a2"), {})])
    await asyncio.sleep(0.1)
    await inbox.stop(grace=0.1)  # A's first turn is cut short, the second waits
    await asyncio.gather(*futures, return_exceptions=True)
    stored = {r.event_id: (r.status, r.claimed_by, r.claimed_until) for r in await rows(store)}
    # Both were claimed as recorded (the second behind the first, held here);
    # now anyone may take them at once, with no 30 s wait.
    assert stored == {"a1": ("pending", inbox.me, None), "a2": ("pending", inbox.me, None)}
    async with store.engine.connect() as connection:
        found = await inbox_rows.takeable(connection, "telegram", "other:1", clock.now, 10)
    assert [r.id for r in found] == [(await rows(store))[0].id]  # A's first, then A's next


async def test_one_task_renews_every_claim_held_while_the_turns_run_long(
    echo: Echo, store: Database
) -> None:
    chat = Chat()
    lease = timedelta(seconds=0.6)  # renewed every 0.2 s
    inbox = Inbox(echo, Platform.TELEGRAM, chat.deliver, shared=True, lease=lease)
    echo.slow["A"] = 1.0
    futures = await inbox.record([(message("A", "a1"), {})])
    [first] = await rows(store)
    assert first.claimed_until is not None
    renewer = inbox._renewer
    await asyncio.sleep(0.7)  # past the first lease: still held, by a later deadline
    [during] = await rows(store)
    assert during.claimed_until is not None and during.claimed_until > first.claimed_until
    async with store.engine.connect() as connection:
        found = await inbox_rows.takeable(connection, "telegram", "other:1", utcnow(), 10)
    assert list(found) == []
    await answered(futures)
    [done] = await rows(store)
    assert (done.status, done.claimed_until) == ("done", None)
    await asyncio.sleep(0.3)
    assert renewer is not None and renewer.done() and inbox._renewer is renewer  # one task, ended
    await inbox.stop()


async def test_a_database_away_is_logged_once_and_looked_for_less_often(
    echo: Echo, store: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer H H10: twenty ERROR lines a second while PostgreSQL was down."""
    caplog.set_level(logging.INFO, logger="bot")
    pauses: list[float] = []
    real_sleep = asyncio.sleep

    async def noted(delay: float, result: Any = None) -> Any:
        pauses.append(delay)
        return await real_sleep(0, result)

    refusals = [6]
    takeable = inbox_rows.takeable

    async def away(*args: Any) -> Any:
        if refusals[0]:
            refusals[0] -= 1
            raise ConnectionRefusedError("the database is away")
        return await takeable(*args)

    monkeypatch.setattr(inbox_rows, "takeable", away)
    inbox = Inbox(echo, Platform.TELEGRAM, Chat().deliver, shared=True)
    monkeypatch.setattr(asyncio, "sleep", noted)
    inbox.start_polling()
    for _ in range(200):
        if refusals == [0] and len(pauses) > 8:
            break
        await real_sleep(0.01)
    monkeypatch.setattr(asyncio, "sleep", real_sleep)
    await inbox.stop()
    failures = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(failures) == 1 and "looking for inbox rows failed" in failures[0].getMessage()
    assert "the database answers again (6 refused)" in caplog.text
    assert pauses[:6] == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0]  # doubling, up to five seconds
    assert pauses[6] == 0.1  # back: the usual look
