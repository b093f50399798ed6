"""bot.progress: long work is said at once, started only once the turn's replies are sent,
answered through the outbox exactly once (even when the process is killed in the middle),
retried then said when it fails; a slow turn shows "typing", a quick one nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import progress, texts
from bot.config import Settings
from bot.engine import Engine
from bot.manifest import Work
from bot.messages import Reply
from bot.scheduler import Scheduler
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.progress import LongWork
from tests.auxil import processes
from tests.auxil.dialogue import Person as Talker
from tests.auxil.postgres import refuse_connections

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def add_work(db: Database, kind: str, **args: Any) -> int:
    async with db.sessions() as session, session.begin():
        row = LongWork(
            kind=kind,
            args=args,
            platform="console",
            chat_id="camille",
            status="pending",
            attempts=0,
            created_at=T0,
        )
        session.add(row)
        await session.flush()
        return row.id


async def outbox(db: Database) -> list[OutboxMessage]:
    async with db.sessions() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def status_of(db: Database, work_id: int) -> tuple[str, int]:
    async with db.sessions() as session:
        row = await session.get(LongWork, work_id)
        assert row is not None
        return row.status, row.attempts


async def echo(
    session: AsyncSession, args: dict[str, Any], now: datetime, settings: Settings
) -> list[Reply]:
    return [Reply(text=f"Prêt : {args['n']}")]


async def test_the_bundle_is_announced_then_built_only_once_its_turn_is_sent(
    trainer: Talker, engine: Engine, db: Database
) -> None:
    """Through the engine alone (no transport yet): nothing runs until ``delivered``."""
    from tests.auxil.attestations import schedule_bilan

    await schedule_bilan(trainer)
    await trainer.says("/attestations")
    button = next(c.data for r in trainer.replies for c in r.choices if "ZIP" in c.label)
    message = trainer.incoming(choice=button)
    replies = await engine.handle(message)  # the turn, as a transport gets it
    assert "Je prépare le dossier de preuves" in replies[0].text
    assert all(r.document is None for r in replies)
    async with db.sessions() as session:
        [row] = (await session.scalars(select(LongWork))).all()
    assert (row.kind, row.status, row.platform) == ("attestations.bundle", "pending", "console")
    await progress.wait_for_works()
    assert (await status_of(db, row.id))[0] == "pending"  # not before its replies are sent
    async with db.sessions() as session, session.begin():
        await engine.delivered(session, message)
    await progress.wait_for_works()
    assert await status_of(db, row.id) == ("done", 1)
    [result] = [m for m in await outbox(db) if m.key.startswith("work:")]
    assert result.key == f"work:{row.id}:0" and result.chat_id == trainer.chat_id
    assert result.payload["document"]["filename"].endswith(".zip")


async def test_through_the_console_driver_the_interim_message_comes_first(
    trainer: Talker,
) -> None:
    from tests.auxil.attestations import schedule_bilan

    await schedule_bilan(trainer)
    await trainer.says("/attestations")
    await trainer.presses("Recevoir le dossier de preuves (ZIP)")
    said = [r.text for r in trainer.replies]
    interim = next(i for i, t in enumerate(said) if "Je prépare le dossier de preuves" in t)
    zipped = next(i for i, r in enumerate(trainer.replies) if r.document is not None)
    assert interim == 0 and zipped == len(said) - 1  # after the menu shown again
    assert "Dossier de preuves" in said[zipped - 1]


async def test_a_work_killed_midway_is_done_once_after_the_restart(
    db: Database, settings: Settings
) -> None:
    started = asyncio.Event()

    async def stuck(
        session: AsyncSession, args: dict[str, Any], now: datetime, settings: Settings
    ) -> list[Reply]:
        await session.execute(select(LongWork.id))  # in its transaction when killed
        started.set()
        await asyncio.sleep(3600)
        return []

    work_id = await add_work(db, "bundle", n=1)
    killed = asyncio.ensure_future(
        progress.run(db.sessions, {"bundle": stuck}, settings, work_id, clock=lambda: T0)
    )
    await started.wait()
    killed.cancel()  # the process dies in the middle of the work
    await asyncio.gather(killed, return_exceptions=True)
    assert await status_of(db, work_id) == ("running", 1)
    assert await outbox(db) == []

    works: dict[str, Work] = {"bundle": echo}
    resume = progress.resumer(works)
    # Back at once: the claim may still be another process's, left alone.
    async with db.sessions() as session, session.begin():
        await resume(session, T0 + timedelta(seconds=30), settings)
    await progress.wait_for_works()
    assert await status_of(db, work_id) == ("running", 1)
    # After the claim timeout: done, answered once, however often it is resumed.
    later = T0 + progress.CLAIM_TIMEOUT + timedelta(seconds=1)
    for _ in range(2):
        async with db.sessions() as session, session.begin():
            await resume(session, later, settings)
        await progress.wait_for_works()
    assert await progress.run(db.sessions, works, settings, work_id) == "skipped"
    assert await status_of(db, work_id) == ("done", 2)
    [sent] = await outbox(db)
    assert (sent.key, sent.payload["text"]) == (f"work:{work_id}:0", "Prêt : 1")


async def test_a_work_stuck_past_its_claim_fails_and_is_tried_again(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer BA10: a ZIP stuck on a connection a PostgreSQL restart killed stayed
    « running » for ever, the trainer promised a file that never came."""

    async def stuck(
        session: AsyncSession, args: dict[str, Any], now: datetime, settings: Settings
    ) -> list[Reply]:
        await asyncio.sleep(3600)
        return []

    monkeypatch.setattr(progress, "CLAIM_TIMEOUT", timedelta(seconds=0.2))
    work_id = await add_work(db, "bundle", n=1)
    assert await progress.run(db.sessions, {"bundle": stuck}, settings, work_id) == "pending"
    assert await status_of(db, work_id) == ("pending", 1)  # for the scheduler's next look


async def test_a_work_whose_process_was_killed_on_this_host_is_taken_over_at_once(
    db: Database, settings: Settings
) -> None:
    """Killed while building a proof bundle, restarted: the bundle comes at the first tick,
    not after the claim's two minutes; a work a live process runs is left to it."""
    killed, busy = await add_work(db, "echo", n=1), await add_work(db, "echo", n=2)
    with processes.alive() as running:
        async with db.sessions() as session, session.begin():
            for work_id, holder in ((killed, processes.dead()), (busy, running)):
                row = await session.get(LongWork, work_id)
                assert row is not None
                row.status, row.claimed_at, row.claimed_by, row.attempts = "running", T0, holder, 1
        resume = progress.resumer({"echo": echo})
        async with db.sessions() as session, session.begin():
            await resume(session, T0 + timedelta(seconds=5), settings)
        await progress.wait_for_works()
    assert await status_of(db, killed) == ("done", 2)
    assert await status_of(db, busy) == ("running", 1)
    assert [m.payload["text"] for m in await outbox(db)] == ["Prêt : 1"]


async def test_a_pending_work_left_by_a_stop_is_started_by_the_scheduler(
    db: Database, settings: Settings
) -> None:
    work_id = await add_work(db, "echo", n=7)
    resume = progress.resumer({"echo": echo})
    async with db.sessions() as session, session.begin():
        await resume(session, T0 + timedelta(seconds=2), settings)  # maybe not yet delivered
    await progress.wait_for_works()
    assert (await status_of(db, work_id))[0] == "pending"
    async with db.sessions() as session, session.begin():
        await resume(session, T0 + progress.RESUME_AFTER * 2, settings)
    await progress.wait_for_works()
    assert await status_of(db, work_id) == ("done", 1)
    assert [m.payload["text"] for m in await outbox(db)] == ["Prêt : 7"]


async def test_a_work_left_by_a_kill_is_started_by_the_scheduler_tick_on_either_base(
    store: Database, settings: Settings
) -> None:
    """Explorer CE1: on PostgreSQL a tick's jobs share one connection (``Database.series``),
    and the resumer found the work a killed process left and started nothing: « je vous
    l'envoie ici dès qu'il est prêt », and the ZIP never came."""
    work_id = await add_work(store, "echo", n=3)
    resume = progress.resumer({"echo": echo})
    scheduler = Scheduler(store, settings, [resume], clock=lambda: T0 + progress.RESUME_AFTER * 2)
    await scheduler.tick()
    await progress.wait_for_works()
    assert await status_of(store, work_id) == ("done", 1)
    assert [m.payload["text"] for m in await outbox(store)] == ["Prêt : 3"]


@pytest.mark.postgres
async def test_a_work_cut_by_a_database_outage_is_released_once_it_answers(
    pg_db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer CE2: PostgreSQL stopped while a Qualiopi ZIP was built; its process, alive,
    logged « resumed later » but kept the claim, so the ZIP came after the claim's two
    minutes, « une minute » promised. Released once the base answers, the next tick runs it."""
    caplog.set_level(logging.INFO, logger="bot")
    reopened: list[asyncio.Task[None]] = []

    async def cut(
        session: AsyncSession, args: dict[str, Any], now: datetime, settings: Settings
    ) -> list[Reply]:
        await session.execute(select(LongWork.id))
        await refuse_connections(pg_db, True)

        async def reopen() -> None:
            await asyncio.sleep(1)
            await refuse_connections(pg_db, False)

        reopened.append(asyncio.create_task(reopen()))
        await session.execute(select(LongWork.id))  # its connection is gone
        return []

    work_id = await add_work(pg_db, "bundle", n=1)
    try:
        outcome = await progress.run(pg_db.sessions, {"bundle": cut}, settings, work_id)
    finally:
        await asyncio.gather(*reopened)
        await refuse_connections(pg_db, False)
    assert outcome == "pending"
    assert await status_of(pg_db, work_id) == ("pending", 1)
    assert f"long work {work_id}: the database answers again, its claim released" in caplog.text
    scheduler = Scheduler(pg_db, settings, [progress.resumer({"bundle": echo})])
    await scheduler.tick()
    await progress.wait_for_works()
    assert await status_of(pg_db, work_id) == ("done", 2)
    assert [m.payload["text"] for m in await outbox(pg_db)] == ["Prêt : 1"]


async def test_a_failing_work_is_tried_again_then_said_in_french_and_nothing_half_done(
    db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    async def broken(
        session: AsyncSession, args: dict[str, Any], now: datetime, settings: Settings
    ) -> list[Reply]:
        session.add(
            LongWork(kind="x", args={}, platform="console", chat_id="x", status="done", attempts=0)
        )
        await session.flush()
        raise RuntimeError("Léa Martin")  # personal data in the message: never logged

    work_id = await add_work(db, "broken")
    works: dict[str, Work] = {"broken": broken}
    outcomes = [
        await progress.run(db.sessions, works, settings, work_id)
        for _ in range(progress.MAX_ATTEMPTS)
    ]
    assert outcomes == ["pending"] * (progress.MAX_ATTEMPTS - 1) + ["failed"]
    assert await status_of(db, work_id) == ("failed", progress.MAX_ATTEMPTS)
    [said] = await outbox(db)
    assert said.key == f"work:{work_id}:failed" and "réessayez" in said.payload["text"]
    async with db.sessions() as session:
        assert len((await session.scalars(select(LongWork))).all()) == 1  # rolled back
    unknown = await add_work(db, "gone")
    assert await progress.run(db.sessions, works, settings, unknown) == "failed"
    assert "RuntimeError" in caplog.text and "Léa" not in caplog.text  # ids and types only


async def test_later_refuses_a_work_no_feature_declares(
    trainer: Talker, engine: Engine, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.auxil.attestations import schedule_bilan

    await schedule_bilan(trainer)
    await trainer.says("/attestations")
    monkeypatch.setattr(engine.features.services, "works", {})
    await trainer.presses("Recevoir le dossier de preuves (ZIP)")
    assert trainer.last == texts.plain(texts.say("common.internal_error"))
    async with db.sessions() as session:
        assert (await session.scalars(select(LongWork))).all() == []


async def test_typing_is_shown_only_for_a_slow_turn_and_its_failure_is_ignored() -> None:
    calls: list[float] = []

    def typing(fail: bool = False) -> Callable[[], Any]:
        async def show() -> None:
            calls.append(asyncio.get_running_loop().time())
            if fail:
                raise ConnectionError("the platform is away")

        return show

    async def turn(seconds: float) -> str:
        await asyncio.sleep(seconds)
        return "réponse"

    assert await progress.while_slow(turn(0.01), typing(), after=0.2, every=0.05) == "réponse"
    assert calls == []
    assert await progress.while_slow(turn(0.3), typing(fail=True), after=0.05, every=0.1) == (
        "réponse"
    )
    assert 2 <= len(calls) <= 4
    await asyncio.sleep(0.2)
    assert len(calls) <= 4  # stopped with the turn
    assert await progress.while_slow(turn(0.01), None) == "réponse"
