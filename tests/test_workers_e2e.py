"""Several processes on one PostgreSQL database, for real: the Telegram emulator, a
receiving process and ``python -m bot work`` subprocesses.  Every message answered once
and in its person's order whichever process ran it; a worker killed mid-turn loses
nothing and its rows are taken over when its lease ends; ``run --workers 2`` starts,
shares and stops its child."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import build_engine
from bot.config import Settings
from bot.storage.claimers import claimer
from bot.storage.db import Database
from bot.storage.inbox import InboxUpdate
from bot.storage.people import Organisation
from bot.storage.state import ProcessedEvent
from bot.transports.telegram import TelegramTransport
from tests.auxil.postgres import refuse_connections
from tests.auxil.telegram_emulator import TelegramEmulator, TelegramUser

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

TOKEN = "987655:FORMABOT-workers"
ROOT = Path(__file__).resolve().parent.parent

PATTERNS = (("/formation", "Je ne vous connais pas"), ("/aide", "formabot aide"))
"""What a stranger sends, and the words of the one reply each gets."""


@pytest.fixture(autouse=True)
async def a_bot_in_use(pg_db: Database) -> None:
    """An organisation exists: strangers get « Je ne vous connais pas » and the help, each
    its own words, not the first comer's one answer (« envoyez /start pour créer … »)."""
    async with pg_db.sessions() as session, session.begin():
        session.add(Organisation(name="Forma Plus", timezone="Europe/Paris"))


def script(person: int, count: int) -> list[int]:
    """Which of :data:`PATTERNS` the person sends, in order: different for each person."""
    return [(person >> (i % 4) ^ i) % 2 for i in range(count)]


def environment(db: Database, emulator: TelegramEmulator, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORMABOT_", "TELEGRAM_"))}
    env.update(
        DATABASE_URL=db.url,
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=emulator.url,
        TELEGRAM_POLL_INTERVAL="0.02",
        FORMABOT_DATA_DIR=str(data),
        FORMABOT_LOG_LEVEL="WARNING",
    )
    return env


async def start(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=ROOT, stderr=asyncio.subprocess.PIPE
    )


async def ready_worker(env: dict[str, str]) -> asyncio.subprocess.Process:
    """``python -m bot work``, once it answers (its transport starts right after)."""
    env = {**env, "FORMABOT_METRICS_PORT": str(port := free_ports())}
    worker = await start(env, "work")
    async with httpx.AsyncClient() as client:
        assert await healthy(client, port), "the worker did not start"
    await asyncio.sleep(0.5)
    return worker


async def stop(process: asyncio.subprocess.Process) -> bytes:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), timeout=40)
    return err


async def converse(users: list[TelegramUser], count: int, *, timeout: float = 60) -> None:
    """Each person sends ``count`` messages at once, then gets exactly one reply to each, in order."""
    await asyncio.gather(
        *(
            _send_all(user, [PATTERNS[p][0] for p in script(n, count)])
            for n, user in enumerate(users)
        )
    )
    for n, user in enumerate(users):
        expected = [PATTERNS[p][1] for p in script(n, count)]
        messages = await user.wait_until(
            lambda ms: len(ms) >= count, timeout=timeout, what=f"person {n}"
        )
        await asyncio.sleep(0)
        assert [e in m.body for e, m in zip(expected, messages, strict=False)] == [True] * count
        assert len(messages) == count, f"person {n} got {len(messages)} replies"


async def _send_all(user: TelegramUser, texts: list[str]) -> None:
    for text in texts:
        await user.send_command(text)


async def handled_by(db: Database) -> Counter[str]:
    async with db.sessions() as session:
        rows = await session.execute(
            select(InboxUpdate.claimed_by, func.count()).group_by(InboxUpdate.claimed_by)
        )
        return Counter({str(who): n for who, n in rows.all()})


async def claimed(db: Database) -> list[InboxUpdate]:
    """Pending rows whose claim holds now."""
    async with db.sessions() as session:
        query = select(InboxUpdate).where(
            InboxUpdate.status == "pending", InboxUpdate.claimed_until > datetime.now(UTC)
        )
        return list((await session.scalars(query)).all())


async def pending(db: Database) -> int:
    async with db.sessions() as session:
        query = select(func.count()).where(InboxUpdate.status == "pending")
        return int(await session.scalar(query) or 0)


async def turns(db: Database) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ProcessedEvent)) or 0)


async def test_a_receiver_and_a_worker_process_answer_everyone_once_and_in_order(
    emulator: TelegramEmulator, pg_db: Database, settings: Settings, tmp_path: Path
) -> None:
    configured = replace(
        settings, database_url=pg_db.url, telegram_token=TOKEN, telegram_base_url=emulator.url
    )
    receiver = TelegramTransport(configured, build_engine(pg_db, configured), poll_interval=0.02)
    receiver.inbox.concurrency = 1  # a busy receiver: the worker takes what waits
    worker = await ready_worker(environment(pg_db, emulator, tmp_path))
    await receiver.start()
    people, count = 12, 4
    users = [emulator.user(TOKEN, user_id=100 + n, first_name=f"P{n}") for n in range(people)]
    try:
        await converse(users, count)
        await asyncio.sleep(0.5)  # a reply sent twice would show now
        for n, user in enumerate(users):
            assert len(await user.bot_messages()) == count, n
    finally:
        await receiver.stop()
        for user in users:
            await user.aclose()
        errors = await stop(worker)
    assert worker.returncode == 0, errors.decode()[-2000:]
    assert await turns(pg_db) == people * count
    by = await handled_by(pg_db)
    assert sum(by.values()) == people * count
    assert by[claimer()] > 0  # this process did some turns …
    assert len(by) == 2 and all(n > 0 for n in by.values())  # … and the worker the others


async def test_a_worker_killed_mid_turn_is_taken_over_at_once_on_its_host(
    emulator: TelegramEmulator, pg_db: Database, settings: Settings, tmp_path: Path
) -> None:
    configured = replace(
        settings, database_url=pg_db.url, telegram_token=TOKEN, telegram_base_url=emulator.url
    )
    worker = await ready_worker(environment(pg_db, emulator, tmp_path))
    # This process receives but handles nothing until the worker is killed.
    receiver = TelegramTransport(configured, build_engine(pg_db, configured), poll_interval=0.02)
    await receiver.start()
    receiver.inbox._stopping = True  # records, handles nothing (its poller ends too)
    count = 30
    async with emulator.user(TOKEN, user_id=7, first_name="Léa") as lea:
        try:
            await _send_all(lea, [PATTERNS[p][0] for p in script(7, count)])
            await lea.wait_until(lambda ms: len(ms) >= 3, timeout=30, what="the worker's replies")
            # Frozen until caught holding a row (between two rows it holds none),
            # then killed: in the middle of a turn.
            held: list[InboxUpdate] = []
            for _ in range(200):
                worker.send_signal(signal.SIGSTOP)
                held = await claimed(pg_db)
                if held:
                    break
                worker.send_signal(signal.SIGCONT)
                await asyncio.sleep(0.005)
            worker.send_signal(signal.SIGKILL)
            await worker.wait()
            await receiver.stop()
            at_kill = len(await lea.bot_messages())
            assert len(held) == 1  # one person: one row at a time
            assert at_kill < count

            # Another process of this host, its clock stopped before the killed worker's
            # lease runs out: it sees that worker is gone and takes Léa's rows at once
            # (bot.storage.claimers; a claim from another machine waits for its lease,
            # tests/test_inbox.py).
            stopped = datetime.now(UTC)
            taker = TelegramTransport(configured, build_engine(pg_db, configured))
            taker.inbox.clock = lambda: stopped
            await taker.start()
            try:
                await lea.wait_until(lambda ms: len(ms) >= count, timeout=60)
                for _ in range(100):  # and the last row marked done
                    if not await pending(pg_db):
                        break
                    await asyncio.sleep(0.1)
                messages = await lea.bot_messages()
            finally:
                await taker.stop()
        finally:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()
    assert await turns(pg_db) == count  # every turn ran once
    expected = [PATTERNS[p][1] for p in script(7, count)]
    bodies = [m.body for m in messages]
    # In order; at most the one reply in flight at the kill went out twice.
    candidates = (
        [bodies]
        if len(bodies) == count
        else [
            bodies[:i] + bodies[i + 1 :]
            for i in range(1, len(bodies))
            if bodies[i] == bodies[i - 1]
        ]
    )
    assert any(all(e in b for e, b in zip(expected, c, strict=True)) for c in candidates), [
        b[:20] for b in bodies
    ]


async def test_run_with_two_workers_starts_shares_and_stops_its_child(
    emulator: TelegramEmulator, pg_db: Database, tmp_path: Path
) -> None:
    env = environment(pg_db, emulator, tmp_path)
    env["FORMABOT_METRICS_PORT"] = str(metrics := free_ports())
    parent = await start(env, "run", "--workers", "2")
    people, count = 6, 3
    users = [emulator.user(TOKEN, user_id=200 + n, first_name=f"R{n}") for n in range(people)]
    try:
        await converse(users, count, timeout=90)
        children = [int(pid) for pid in proc(f"{parent.pid}/task/{parent.pid}/children").split()]
        assert len(children) == 1
        assert proc(f"{children[0]}/cmdline").split("\0")[-3:-1] == ["bot", "work"]
        # Each process counts the turns it ran, on its own port: none is lost.
        async with httpx.AsyncClient() as client:
            counted = 0
            for port in (metrics, metrics + 1):
                assert await healthy(client, port)  # the child may still be starting
                text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                found = re.search(r'formabot_turns_total\{platform="telegram"\} (\d+)', text)
                counted += int(found[1]) if found else 0
        assert counted == people * count
    finally:
        for user in users:
            await user.aclose()
        errors = await stop(parent)
    assert parent.returncode == 0, errors.decode()[-2000:]
    assert not proc(f"{children[0]}/cmdline")  # stopped with its parent
    assert await turns(pg_db) == people * count


async def test_a_child_that_exits_while_the_database_is_away_waits_for_it(
    emulator: TelegramEmulator, pg_db: Database, tmp_path: Path
) -> None:
    """Explorer CE6: a child started during a PostgreSQL outage refused its start and was
    started again at once, five times in 36 s, then given up; now the receiving process
    waits for the base and starts it then."""
    env = environment(pg_db, emulator, tmp_path)
    env["FORMABOT_METRICS_PORT"] = str(metrics := free_ports())
    parent = await start(env, "run", "--workers", "2")
    users = [emulator.user(TOKEN, user_id=300 + n, first_name=f"W{n}") for n in range(3)]
    try:
        async with httpx.AsyncClient() as client:
            assert await healthy(client, metrics + 1), "the child did not start"
            [child] = [int(pid) for pid in proc(f"{parent.pid}/task/{parent.pid}/children").split()]
            await refuse_connections(pg_db, True)
            try:
                os.kill(child, signal.SIGKILL)
                await asyncio.sleep(4)  # it used to be started again after 1 s, then 2 s…
                assert not proc(f"{parent.pid}/task/{parent.pid}/children").split()
            finally:
                await refuse_connections(pg_db, False)
            assert await healthy(client, metrics + 1), "the child was not started again"
        await converse(users, 2, timeout=60)
    finally:
        for user in users:
            await user.aclose()
        errors = (await stop(parent)).decode()
    assert parent.returncode == 0, errors[-2000:]
    assert "worker 1 exited (code -9) while the database is away: started again once" in errors
    assert "not started again" not in errors


async def healthy(client: httpx.AsyncClient, port: int, timeout: float = 30) -> bool:
    """``/healthz`` answers 200 within ``timeout`` seconds."""
    for _ in range(int(timeout * 10)):
        try:
            if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                return True
        except httpx.ConnectError:
            pass
        await asyncio.sleep(0.1)
    return False


def free_ports() -> int:
    """A free port whose next one is free too (the parent's and its child's metrics)."""
    for _ in range(50):
        with socket.socket() as first, socket.socket() as second:
            first.bind(("127.0.0.1", 0))
            port = int(first.getsockname()[1])
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise RuntimeError("no two free ports in a row")


def proc(path: str) -> str:
    """A file of /proc, empty when the process is gone."""
    try:
        return Path(f"/proc/{path}").read_text()
    except OSError:
        return ""
