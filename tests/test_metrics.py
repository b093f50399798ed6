"""/healthz and /metrics, asked over HTTP as Prometheus or a load balancer would."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from bot.app import serve
from bot.config import Settings
from bot.messages import Reply
from bot.metrics import BUCKETS, METRICS, Endpoint, Latency
from bot.outbox import Sender, enqueue
from bot.storage.base import utcnow
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.dialogue import Person
from tests.auxil.disk import fill_the_disk, free_space, space_reset


async def get(endpoint: Endpoint, path: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(f"http://127.0.0.1:{endpoint.port}{path}", timeout=5)


async def test_metrics_count_the_turns_the_outbox_and_its_backlog(
    db: Database, trainer: Person
) -> None:
    before = METRICS.turns["console"].count
    await trainer.says("/aide")
    await trainer.says("/formations")
    async with db.sessions() as session, session.begin():
        for key in ("a", "b", "c"):
            await enqueue(session, key=key, platform="console", chat_id="x", reply=Reply("x"))
    sent: list[str] = []

    async def deliver(chat: str, reply: Reply) -> None:
        sent.append(chat)

    sender = Sender(db.sessions, {"console": deliver}, batch=1)
    await sender.run_once()
    endpoint = Endpoint(db, "127.0.0.1", 0, sender.platforms)
    await endpoint.start()
    try:
        response = await get(endpoint, "/metrics")
    finally:
        await endpoint.stop()
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert f'formabot_turns_total{{platform="console"}} {before + 2}' in lines
    assert "# TYPE formabot_reply_seconds histogram" in lines
    assert f'formabot_reply_seconds_bucket{{platform="console",le="+Inf"}} {before + 2}' in lines
    assert "formabot_outbox_backlog 2" in lines  # three queued, one sent
    assert any(
        line.startswith('formabot_outbox_messages_total{platform="console",outcome="sent"}')
        for line in lines
    )
    assert "Camille" not in response.text and "Durand" not in response.text
    # Its outcomes named where an operator reads them (explorer GC5: « sent or gave up »).
    assert any("sent, pending (to retry) or failed (given up)" in line for line in lines)


async def test_healthz_says_whether_the_database_answers(db: Database, tmp_path: Path) -> None:
    endpoint = Endpoint(db, "127.0.0.1", 0, ["console"])
    await endpoint.start()
    try:
        ok = await get(endpoint, "/healthz")
        unknown = await get(endpoint, "/autre")
    finally:
        await endpoint.stop()
    assert (ok.status_code, ok.text) == (200, "ok\n")
    assert unknown.status_code == 404
    # A database that cannot be opened: 503, and the endpoint keeps answering.
    (tmp_path / "un-fichier").write_text("pas un dossier")
    broken = Database(f"sqlite+aiosqlite:///{tmp_path}/un-fichier/formabot.db")
    endpoint = Endpoint(broken, "127.0.0.1", 0, ["console"])
    await endpoint.start()
    try:
        down = await get(endpoint, "/healthz")
        again = await get(endpoint, "/healthz")
    finally:
        await endpoint.stop()
        await broken.dispose()
    assert down.status_code == again.status_code == 503


async def test_a_metrics_port_already_taken_stops_with_a_french_sentence(db: Database) -> None:
    """Explorer AM6: a Python traceback (« OSError: [Errno 98] … address already in use »)."""
    first = Endpoint(db, "127.0.0.1", 0, ["console"])
    await first.start()
    try:
        with pytest.raises(SystemExit) as stopped:
            await Endpoint(db, "127.0.0.1", first.port, ["console"]).start()
    finally:
        await first.stop()
    assert str(stopped.value).startswith(
        f"FORMABOT_METRICS_PORT : le port {first.port} de 127.0.0.1 est déjà pris"
    )


async def queue_an_hour_ago(db: Database, key: str, platform: str) -> None:
    async with db.sessions() as session, session.begin():
        await enqueue(session, key=key, platform=platform, chat_id="x", reply=Reply("x"))
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == key)
            .values(created_at=utcnow() - timedelta(hours=1))
        )


async def test_the_backlog_counts_only_what_this_process_sends(db: Database) -> None:
    """Explorer CE5: a console's messages, which `formabot run` on Telegram never sends,
    waiting for that console to open, made the backlog 65 and its oldest 1,935 s: an alert
    on the oldest age fired though nothing was stuck."""
    await queue_an_hour_ago(db, "for-the-console", "console")
    async with db.sessions() as session, session.begin():
        await enqueue(
            session, key="for-telegram", platform="telegram", chat_id="1", reply=Reply("x")
        )
    endpoint = Endpoint(db, "127.0.0.1", 0, ["telegram"])
    await endpoint.start()
    try:
        lines = (await get(endpoint, "/metrics")).text.splitlines()
    finally:
        await endpoint.stop()
    assert "formabot_outbox_backlog 1" in lines
    oldest = next(line for line in lines if line.startswith("formabot_outbox_oldest_seconds "))
    assert float(oldest.split()[1]) < 60


async def test_the_running_bot_serves_them_on_the_configured_port(
    db: Database, settings: Settings
) -> None:
    from tests.test_telegram_e2e import free_port

    await queue_an_hour_ago(db, "for-a-console", "console")  # not this bot's to send (CE5)
    port = free_port()
    configured = replace(settings, metrics_port=port)
    answers: list[httpx.Response] = []

    async def ask() -> None:
        async with httpx.AsyncClient() as client:
            answers.append(await client.get(f"http://127.0.0.1:{port}/healthz", timeout=5))
            answers.append(await client.get(f"http://127.0.0.1:{port}/metrics", timeout=5))

    await asyncio.wait_for(serve(configured, db, [], until=ask), 30)
    assert [a.status_code for a in answers] == [200, 200]
    assert "formabot_outbox_backlog 0" in answers[1].text.splitlines()
    assert "formabot_outbox_oldest_seconds 0.0" in answers[1].text.splitlines()


async def test_during_an_outage_metrics_keep_the_counters_and_health_is_said_once(
    away: Database, db: Database, trainer: Person, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer R R4: /metrics gave an empty reply while PostgreSQL was down, when Prometheus
    needs it most; and every /healthz of the supervisor logged a line."""
    caplog.set_level(logging.INFO, logger="bot")
    await trainer.says("/aide")
    turns = METRICS.turns["console"].count
    endpoint = Endpoint(away, "127.0.0.1", 0, ["console"])
    await endpoint.start()
    try:
        scraped = await get(endpoint, "/metrics")
        checks = [await get(endpoint, "/healthz") for _ in range(3)]
        endpoint.db = db  # the database answers again
        back = await get(endpoint, "/healthz")
        scraped_back = await get(endpoint, "/metrics")
    finally:
        await endpoint.stop()
    assert scraped.status_code == 200
    lines = scraped.text.splitlines()
    assert f'formabot_turns_total{{platform="console"}} {turns}' in lines
    assert "formabot_database_up 0" in lines
    assert not any(line.startswith("formabot_outbox_backlog") for line in lines)  # unknown
    assert [c.status_code for c in checks] == [503, 503, 503]
    assert caplog.text.count("health check failed") == 1
    assert back.status_code == 200
    assert "health check: the database answers again (3 refused)" in caplog.text
    assert "formabot_database_up 1" in scraped_back.text.splitlines()
    assert "formabot_outbox_backlog 0" in scraped_back.text.splitlines()


async def test_healthz_says_the_disk_is_full_until_a_turn_is_written_again(
    db: Database, trainer: Person
) -> None:
    """Explorer R R5: with the disk full, /healthz said ok while every turn was refused."""
    endpoint = Endpoint(db, "127.0.0.1", 0, ["console"])
    await endpoint.start()
    await fill_the_disk(db)
    try:
        await trainer.says("/aide")
        full = await get(endpoint, "/healthz")
        scraped = await get(endpoint, "/metrics")
        await free_space(db)
        await trainer.says("/aide")
        freed = await get(endpoint, "/healthz")
    finally:
        space_reset()
        await endpoint.stop()
    assert (full.status_code, full.text) == (503, "disque plein\n")
    assert any(
        line.startswith('formabot_errors_total{type="DiskFull"}')
        for line in scraped.text.splitlines()
    )
    assert (freed.status_code, freed.text) == (200, "ok\n")


def test_each_bucket_counts_the_turns_at_or_under_its_bound() -> None:
    """Prometheus' histogram: a turn of 5 ms is in every bucket from 0.005 up, one of 3 s in
    the last two, one of a minute in none but « +Inf » (the count)."""
    latency = Latency()
    for seconds in (0.0004, 0.005, 0.0051, 0.3, 3.0, 60.0):
        latency.observe(seconds)
    assert dict(zip(BUCKETS, latency.buckets, strict=True)) == {
        0.005: 2,
        0.01: 3,
        0.025: 3,
        0.05: 3,
        0.1: 3,
        0.25: 3,
        0.5: 4,
        1.0: 4,
        2.5: 4,
        5.0: 5,
    }
    assert latency.count == 6
