"""``bench.load --inbox``: many people through the durable inbox, 1 process or a receiver + workers.

What ``formabot run --workers N`` does, without Telegram's HTTP: this process
plays the people and the platform.  Each person sends a message (a JSON line
on a loopback TCP connection) to the *receiving* process, which records what arrived in one
transaction per batch (as a ``getUpdates`` batch), claiming in the
``INSERT`` the rows it has room for, and handles it like any shared inbox;
the *worker* processes record nothing and claim rows from the same table
(:mod:`bot.storage.inbox`).  Each process reports its claim statements and
those that failed.  Whichever process ran the turn sends
"answered" back on its own connection; the person then sends the next message.
Latency is from the message leaving the person to its answer coming back:
recording, waiting for a claim or a poll, the turn, the done mark.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench import load


async def handler(url: str, driver: int, role: str, claim: bool = True) -> None:
    """One formabot process: ``receive`` (records and handles) or ``work`` (handles).

    ``claim=False`` is a receiver alone that claims nothing (``shared=False``):
    what the claim costs, measured against it (one process only).
    """
    from bot.app import build_engine
    from bot.config import Settings
    from bot.inbox import Inbox, Sent
    from bot.messages import Incoming, Platform, Reply
    from bot.storage.db import Database

    database = Database(url)
    engine = build_engine(database, Settings(database_url=url, data_dir=Path(tempfile.mkdtemp())))
    _, answering = await asyncio.open_connection("127.0.0.1", driver)
    received: asyncio.Queue[bytes] = asyncio.Queue()

    async def arriving(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            received.put_nowait(line)

    server = await asyncio.start_server(arriving, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    turns = 0

    async def deliver(
        incoming: Incoming,
        answer: Mapping[str, Any],
        replies: Sequence[Reply],
        skip: int,
        sent: Sent,
    ) -> None:
        nonlocal turns
        turns += 1
        answering.write(incoming.event_id.encode() + b"\n")
        await sent(len(replies))

    inbox = Inbox(engine, Platform.TELEGRAM, deliver, shared=claim)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    batches = 0
    cpu = time.process_time()

    def count_from_now() -> None:
        """SIGUSR1, after the warm-up: the figures are the burst's alone."""
        nonlocal turns, batches, cpu
        turns = batches = 0
        inbox.claims_tried = inbox.claims_failed = 0
        inbox._marks.writes = inbox._claims.writes = 0
        cpu = time.process_time()

    loop.add_signal_handler(signal.SIGUSR1, count_from_now)

    async def record() -> None:
        nonlocal batches
        while True:
            batch = [await received.get()]
            while not received.empty():
                batch.append(received.get_nowait())
            updates = []
            for data in batch:
                message = json.loads(data)
                who = f"p{message['n']}"
                incoming = Incoming(
                    Platform.TELEGRAM, who, who, message["id"], text=message["text"]
                )
                updates.append((incoming, {}))
            batches += 1
            await inbox.record(updates)

    recording = asyncio.create_task(record()) if role == "receive" else None
    if role == "receive":
        await inbox.resume()
    if inbox.shared:
        inbox.start_polling()
    print(json.dumps({"port": port}), flush=True)
    profile = os.environ.get("BENCH_PROFILE") if role == "receive" else None
    profiler = cProfile.Profile(time.process_time) if profile else None
    cpu = time.process_time()
    if profiler is not None:
        profiler.enable()
    await stop.wait()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{profile}.{os.getpid()}")
    cpu = time.process_time() - cpu
    if recording is not None:
        recording.cancel()
    await inbox.stop()
    print(
        json.dumps(
            {
                "turns": turns,
                "cpu": cpu,
                "tried": inbox.claims_tried,
                "failed": inbox.claims_failed,
                "batches": batches,
                "done_writes": inbox._marks.writes,
                "claim_writes": inbox._claims.writes,
            }
        ),
        flush=True,
    )
    server.close()
    answering.close()
    await database.dispose()


async def run_case(
    url: str,
    people: int,
    processes: int,
    session: Sequence[str],
    claim: bool = True,
    warm: bool = True,
) -> dict[str, Any]:
    """People × ``session`` through a receiver and ``processes - 1`` workers.

    ``warm``: the first :data:`bench.load.WARM_PEOPLE` people play ``session``
    once, untimed, before everyone starts.
    """
    waiting: dict[str, asyncio.Future[float]] = {}

    async def answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            future = waiting.pop(line.decode().strip(), None)
            if future is not None and not future.done():
                future.set_result(time.perf_counter())

    server = await asyncio.start_server(answers, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    env = {**os.environ, "FORMABOT_LOG_LEVEL": "WARNING"}
    roles = ["receive"] + ["work"] * (processes - 1)
    handlers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.load",
            "--handle",
            url,
            str(port),
            role,
            "claim" if claim else "alone",
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        for role in roles
    ]
    ports = []
    for process in handlers:
        assert process.stdout is not None
        ports.append(json.loads(await process.stdout.readline())["port"])
    _, platform = await asyncio.open_connection("127.0.0.1", ports[0])
    latencies: list[float] = []
    messages: list[int] = []
    loop = asyncio.get_running_loop()

    async def person(n: int) -> None:
        for index, line in enumerate(session):
            event = f"{uuid.uuid4().hex}-{index}"
            waiting[event] = loop.create_future()
            message = {"n": n, "id": event, "text": line.format(n=n)}
            started = time.perf_counter()
            platform.write(json.dumps(message).encode() + b"\n")
            latencies.append(await waiting[event] - started)
            messages.append(index)

    await asyncio.sleep(2.0)  # every handler connected and polling
    if warm:
        await asyncio.gather(*(person(n) for n in range(min(people, load.WARM_PEOPLE))))
        latencies.clear()
        messages.clear()
        for process in handlers:
            process.send_signal(signal.SIGUSR1)
        await asyncio.sleep(0.2)  # every handler counts from here
    began = time.perf_counter()
    await asyncio.gather(*(person(n) for n in range(people)))
    wall = time.perf_counter() - began
    platform.close()
    results = []
    for process in handlers:
        process.send_signal(signal.SIGTERM)
        out, _ = await process.communicate()
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    server.close()
    return {
        **load.figures(latencies, wall, sum(r["cpu"] for r in results), messages),
        "shares": " / ".join(str(r["turns"]) for r in results),
        "tried": sum(r["tried"] for r in results) / len(latencies),
        "failed": sum(r["failed"] for r in results) / len(latencies),
        "grouped": " / ".join(
            f"{len(latencies) / max(1, sum(r[k] for r in results)):.1f}"
            for k in ("batches", "done_writes")
        )
        + f" / {sum(r['tried'] for r in results) / max(1, sum(r['claim_writes'] for r in results)):.1f}",
    }
