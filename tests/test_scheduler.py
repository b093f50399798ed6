"""The minute tick (bot/scheduler.py): event records dropped after each platform's
redelivery window, organisations done one per transaction, every query through an index."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot import demo
from bot.app import build_engine, build_scheduler
from bot.config import Settings
from bot.deadlines.digest import digests_due
from bot.messages import Platform
from bot.scheduler import Scheduler, forget_old_events
from bot.storage.db import Database
from bot.storage.inbox import InboxUpdate
from bot.storage.outbox import OutboxMessage
from bot.storage.state import ProcessedEvent
from bot.storage.sweeps import SWEEP_BATCH
from tests.auxil.dialogue import Clock, Person
from tests.auxil.organisations import add_organisations
from tests.auxil.privacy import matrix_welcome
from tests.auxil.statements import counting, plans, recording, scans


async def keys(db: Database, prefix: str) -> int:
    """How many outbox rows have a key starting with ``prefix``."""
    async with db.sessions() as session:
        rows = await session.scalars(select(OutboxMessage.key))
        return sum(1 for key in rows.all() if key.startswith(prefix))


async def test_each_platform_keeps_its_events_for_its_own_window(
    store: Database, settings: Settings, clock: Clock
) -> None:
    db = store
    ages = {
        ("telegram", "t-24h"): timedelta(hours=24),
        ("telegram", "t-26h"): timedelta(hours=26),
        ("telegram", "t-waiting"): timedelta(days=3),
        ("matrix", "m-6d"): timedelta(days=6),
        ("matrix", "m-8d"): timedelta(days=8),
        ("console", "c-2h"): timedelta(hours=2),
    }
    async with db.sessions() as session, session.begin():
        for (platform, event), age in ages.items():
            session.add(
                ProcessedEvent(
                    platform=platform,
                    event_id=event,
                    processed_at=clock.now - age,
                    replies=[{"text": "Bonjour Léa Martin"}],
                )
            )
        # Still waiting in formabot's inbox (the bot was down three days): its
        # record stays until it is handled, so that handling it is not a second effect.
        session.add(
            InboxUpdate(
                platform="telegram",
                event_id="t-waiting",
                chat_id="1",
                user_id="1",
                payload={},
                status="pending",
            )
        )
    async with db.sessions() as session, session.begin():
        await forget_old_events(session, clock.now, settings)
    async with db.sessions() as session:
        left = set((await session.scalars(select(ProcessedEvent.event_id))).all())
    assert left == {"t-24h", "t-waiting", "m-6d"}


BIG_TABLES = {
    "absences",
    "attestation_invitations",
    "attestations",
    "audit_log",
    "bilan_participants",
    "bilans",
    "chat_identities",
    "conversation_states",
    "deadlines",
    "entretiens",
    "followups",
    "formation_sessions",
    "formations",
    "inbox",
    "matrix_events",
    "matrix_welcomes",
    "memberships",
    "organisations",
    "outbox",
    "people",
    "processed_events",
    "proof_sendings",
    "retention_purges",
    "stored_documents",
    "trainees",
}
"""Tables that grow with the organisations: none may be read whole by a turn or a tick."""


async def sent_long_ago(db: Database, now: datetime) -> None:
    """An outbox row sent a season ago, one sent two days ago, a Matrix welcome sent two days
    ago: the tick's sweeps erase and prune them."""
    async with db.sessions() as session, session.begin():
        for key, age in (("old", timedelta(days=100)), ("yesterday", timedelta(days=2))):
            session.add(
                OutboxMessage(
                    key=f"test:{key}",
                    platform="console",
                    chat_id="formateur",
                    payload={"text": "Rappel pour Karim Benali"},
                    status="sent",
                    created_at=now - age,
                    sent_at=now - age,
                )
            )
        session.add(matrix_welcome(1, now - timedelta(days=2)))


async def test_a_turn_and_a_tick_read_through_indexes(
    store: Database, settings: Settings, clock: Clock
) -> None:
    """Issue 14: the SQL of chat turns, the digest hour's tick and the next tick, explained."""
    async with store.sessions() as session, session.begin():
        await demo.fill(session, today=clock.now.date())
    await add_organisations(store, 3, clock.now.date())
    trainer = Person(build_engine(store, settings, clock=clock), "formateur", Platform.CONSOLE)
    scheduler = build_scheduler(store, settings, clock=clock)
    await scheduler.tick()  # the rules' catch-up, once after an upgrade
    await sent_long_ago(store, clock.now)  # the sweeps have texts to erase and rows to prune
    with recording(store) as sent:
        await trainer.says("/echeances")
        await trainer.presses("3 entrées")
        await trainer.says("/aide")
        await trainer.says("/formations")
        clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 8:00 in Paris: the digest hour
        await scheduler.tick()
        clock.advance(minutes=1)
        await scheduler.tick()
    assert await keys(store, "digest:") == 8  # Monday's and Tuesday's, four organisations each
    found = await plans(store, sent)
    assert len(found) > 30
    swept = [sql for sql, _ in found if sql.startswith(("UPDATE outbox", "DELETE FROM outbox"))]
    assert len(swept) == 2, swept  # the sweeps' statements are explained too
    # What is forgotten past a window is read as a range of its time, not every row of a
    # platform or a status (a day of traffic each minute).
    for table, column in (
        ("processed_events", "processed_at"),
        ("inbox", "done_at"),
        ("outbox", "sent_at"),
        ("outbox", "created_at"),
        ("matrix_welcomes", "sent_at"),
        ("conversation_states", "expires_at"),
    ):
        windows = [
            plan
            for sql, plan in found
            if sql.startswith(("SELECT", "DELETE"))
            and f"FROM {table} " in f"{sql} "
            and f"{table}.{column} < " in sql
        ]
        assert windows, (table, column)
        for plan in windows:
            assert f"{column}<?" in plan or f"{column} < " in plan, plan
    # The outbox's walks find a batch's ends from the index alone (0027_outbox_walks): at
    # 20,000 organisations, fetching each row of the batch from the table took 18-33 ms.
    walks = [
        plan
        for sql, plan in found
        if sql.startswith(("SELECT outbox.sent_at, outbox.id", "DELETE FROM outbox"))
    ]
    assert len(walks) >= 3, walks
    for plan in walks:
        assert "ix_outbox_status_" in plan, plan
        assert "Index Only Scan" in plan or "COVERING INDEX" in plan, plan
    [abandoned] = [
        plan for sql, plan in found if "FROM conversation_states" in sql and " < " in sql
    ]
    assert "ix_conversation_states_unforgotten" in abandoned  # not every one that ever expired
    bad = scans(found, BIG_TABLES)
    assert bad == [], "\n\n".join(bad)


async def test_event_records_go_a_batch_a_tick_oldest_first(
    db: Database, settings: Settings, clock: Clock
) -> None:
    """A busy day a window ago is forgotten over a few ticks, the oldest records first."""
    async with db.engine.begin() as connection:
        await connection.execute(
            insert(ProcessedEvent.__table__),
            [
                {
                    "platform": "telegram",
                    "event_id": f"t-{n}",
                    "processed_at": clock.now - timedelta(days=2, seconds=-n),
                    "replies": [{"text": "Bonjour Léa Martin"}],
                }
                for n in range(SWEEP_BATCH + 5)
            ],
        )
    kept = []
    for _ in range(2):
        async with db.sessions() as session, session.begin():
            await forget_old_events(session, clock.now, settings)
        async with db.sessions() as session:
            kept.append(sorted((await session.scalars(select(ProcessedEvent.event_id))).all()))
    assert kept == [sorted(f"t-{n}" for n in range(SWEEP_BATCH, SWEEP_BATCH + 5)), []]


async def test_a_steady_tick_costs_the_same_whatever_the_organisations(
    db: Database, settings: Settings, clock: Clock
) -> None:
    """Issue 14: the cost of a tick follows what is due, not how much is stored."""
    scheduler = build_scheduler(db, settings, clock=clock)
    costs = []
    for first, count in ((1, 1), (2, 5)):
        await add_organisations(db, count, clock.now.date(), first)
        for _ in range(2):  # the new organisations' digests, the rules' catch-up: once
            await scheduler.tick()
            clock.advance(minutes=1)
        with counting(db) as sent:
            await scheduler.tick()
        costs.append(sent)
        clock.advance(minutes=1)
    few, many = costs
    assert len(many) == len(few), "\n".join([*few, "----", *many])
    assert not [s for s in many if " LIKE " in s.upper()]
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(OutboxMessage.id))) == 6  # a digest each


async def test_an_organisation_that_fails_leaves_its_chunk_to_the_others(
    db: Database, settings: Settings, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """A chunk that fails is done again one organisation per transaction: the failing one is
    logged and left due, the others are sent; it goes out once the fault is gone."""
    first, failing, third = await add_organisations(db, 3, clock.now.date())
    async with db.engine.begin() as connection:  # the database refuses that one's rows
        await connection.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON outbox "
            f"WHEN NEW.organisation_id = {failing} BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    await scheduler.tick()
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    await scheduler.tick()
    assert await keys(db, f"digest:org:{first}:") == 1
    assert await keys(db, f"digest:org:{third}:") == 1
    assert await keys(db, f"digest:org:{failing}:") == 0
    assert f"scheduled job send_digests (organisation {failing}) failed" in caplog.text
    async with db.engine.begin() as connection:
        await connection.exec_driver_sql("DROP TRIGGER refuse")
    clock.advance(minutes=1)
    await scheduler.tick()  # still due: sent now, the others not again
    assert [await keys(db, f"digest:org:{o}:") for o in (first, failing, third)] == [1, 1, 1]


async def test_the_organisations_due_are_two_ranges_of_an_index_whatever_the_statistics(
    store: Database, settings: Settings, clock: Clock
) -> None:
    """Issue 14: ``digest_next_at IS NULL OR … <= now`` was read as a whole index on SQLite
    once ANALYZE had seen every organisation due (the steady tick grew with them)."""
    await add_organisations(store, 30, clock.now.date())
    async with store.engine.begin() as connection:
        await connection.exec_driver_sql("ANALYZE")
    with recording(store) as sent:
        async with store.sessions() as session:
            assert len(await digests_due(session, clock.now, settings)) == 30
    found = await plans(store, sent)
    assert len(found) == 1
    assert scans(found, {"organisations"}) == []


async def test_the_digest_hour_reads_through_indexes_with_a_big_database_s_statistics(
    db: Database, settings: Settings, clock: Clock
) -> None:
    """Issue 14: the plans SQLite makes with a populated database's statistics, not an empty
    one's (``bench.scale --plans`` at 300 organisations showed the digest hour reading every
    chat identity in id order, for an ``ORDER BY id``, instead of ``person_id``'s index).

    The statistics are those of these 30 organisations with every table a thousand times
    bigger (``sqlite_stat1``'s row counts)."""
    await add_organisations(db, 30, clock.now.date())
    async with db.engine.begin() as connection:
        await connection.exec_driver_sql("ANALYZE")
        await connection.exec_driver_sql(
            "UPDATE sqlite_stat1 SET stat = "
            "(CAST(substr(stat, 1, instr(stat || ' ', ' ') - 1) AS INTEGER) * 1000) "
            "|| substr(stat, instr(stat || ' ', ' '))"
        )
        await connection.exec_driver_sql("ANALYZE sqlite_schema")
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 8:00 in Paris: the digest hour
    await sent_long_ago(db, clock.now)
    with recording(db) as sent:
        await scheduler.tick()
        clock.advance(minutes=1)
        await scheduler.tick()
    assert await keys(db, "digest:") == 30
    found = await plans(db, sent)
    assert [sql for sql, _ in found if "FROM chat_identities" in sql]
    bad = scans(found, BIG_TABLES)
    assert bad == [], "\n\n".join(bad)


@pytest.mark.postgres
async def test_a_job_whose_connection_the_server_drops_fails_alone(
    pg_db: Database, settings: Settings, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 14: on PostgreSQL a tick's jobs share one connection; when the server drops it,
    the job on it fails (logged) and the next job of the same tick still commits."""

    async def dropped(session: AsyncSession, now: datetime, settings: Settings) -> None:
        await session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    async def recorded(session: AsyncSession, now: datetime, settings: Settings) -> None:
        session.add(ProcessedEvent(platform="telegram", event_id=f"e-{now:%H%M}", processed_at=now))

    scheduler = Scheduler(pg_db, settings, [dropped, recorded], clock=clock)
    for _ in range(2):
        await scheduler.tick()
        clock.advance(minutes=1)
    async with pg_db.sessions() as session:
        assert len((await session.scalars(select(ProcessedEvent.event_id))).all()) == 2
    assert caplog.text.count("scheduled job dropped failed") == 2


async def test_a_tick_without_its_database_is_logged_once_and_the_next_one_runs(
    away: Database, db: Database, settings: Settings, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """A PostgreSQL server out of reach fails the tick instead of ending the scheduler's loop;
    said once however many ticks it lasts, then said back (explorer R R3)."""
    caplog.set_level(logging.INFO, logger="bot")
    ran: list[datetime] = []

    async def job(session: AsyncSession, now: datetime, settings: Settings) -> None:
        ran.append(now)

    scheduler = Scheduler(away, settings, [job], clock=clock)
    for _ in range(3):
        await scheduler.tick()
    assert ran == []
    assert caplog.text.count("scheduler tick failed") == 1
    assert "Traceback" not in caplog.text
    scheduler.db = db  # the database answers again
    await scheduler.tick()
    assert len(ran) == 1
    assert "scheduler tick: the database answers again (3 refused)" in caplog.text


async def test_a_job_that_fails_on_an_answering_database_is_logged_each_time(
    db: Database, settings: Settings, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug of one job is not a database away: logged at every tick, the other jobs run."""
    ran: list[datetime] = []

    async def broken(session: AsyncSession, now: datetime, settings: Settings) -> None:
        await session.execute(text("SELECT * FROM no_such_table"))

    async def job(session: AsyncSession, now: datetime, settings: Settings) -> None:
        ran.append(now)

    scheduler = Scheduler(db, settings, [broken, job], clock=clock)
    await scheduler.tick()
    await scheduler.tick()
    assert len(ran) == 2
    assert caplog.text.count("scheduled job broken failed: OperationalError") == 2
    assert "no_such_table" not in caplog.text


@pytest.mark.postgres
async def test_a_pool_of_one_connection_lets_a_chat_in_between_two_jobs(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """A tick keeps one connection for its jobs only when the pool has others for the chats:
    with ``FORMABOT_DB_POOL_SIZE=1`` (no overflow), a chat's transaction gets the connection
    between two of the tick's jobs instead of waiting for the whole tick."""
    one = Database(pg_db.url, pool_size=1, max_overflow=0, pool_timeout=2)
    chatted = asyncio.Event()

    async def first(session: AsyncSession, now: datetime, settings: Settings) -> None:
        await session.execute(text("SELECT 1"))

    async def second(session: AsyncSession, now: datetime, settings: Settings) -> None:
        await asyncio.wait_for(chatted.wait(), timeout=5)  # the chat came in meanwhile
        session.add(ProcessedEvent(platform="telegram", event_id="tick", processed_at=now))

    async def chat() -> None:
        async with one.sessions() as session, session.begin():
            session.add(
                ProcessedEvent(platform="telegram", event_id="chat", processed_at=clock.now)
            )
        chatted.set()

    scheduler = Scheduler(one, settings, [first, second], clock=clock)
    try:
        await asyncio.gather(scheduler.tick(), chat())
    finally:
        await one.dispose()
    async with pg_db.sessions() as session:
        stored = (await session.scalars(select(ProcessedEvent.event_id))).all()
    assert sorted(stored) == ["chat", "tick"]
