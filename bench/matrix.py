"""How long a Matrix user waits for formabot's reply, and the pace it holds under Tchap's limit.

    .venv/bin/python -m bench.matrix [--messages 100] [--paced 20]

Everything runs on loopback: a throwaway Synapse (``.venv-synapse``, test
profile, data on ``/dev/shm``), the real :class:`bot.transports.matrix.MatrixTransport`
with a real engine on a fresh SQLite file, and a person on a real matrix-nio
client, in an encrypted direct chat (both clients in this process).

1. Latency: ``--messages`` times ``/aide``, each sent when the previous reply
   arrived (after 5 not counted); timed from the moment the person's
   ``room_send`` returns to the moment the person's sync shows the decrypted
   reply.  The bot's pacing is lifted here (1000/s) so that the figure is the
   homeserver + encryption + engine, not the pace.
2. Pacing: a second bot account held by Synapse to Tchap's message rate
   (``rc_message`` 1/s, burst 1, set with the admin API's rate-limit override),
   with formabot's default pace; ``--paced`` messages sent as the outbox sends
   them; messages/s from the first send to the last arrival, and the 429s the
   bot received.

This is a script for people, not a test: the suite never times anything.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bot.app import build_engine
from bot.config import Settings
from bot.messages import Reply
from bot.storage.db import Database
from bot.transports.matrix import MatrixTransport
from tests.auxil.matrix_people import MatrixPerson
from tests.auxil.synapse import Synapse, launch_synapse


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def bot_for(
    synapse: Synapse, folder: Path, name: str, *, rate: float | None
) -> tuple[MatrixTransport, Database]:
    account = synapse.register(synapse.unique(name))
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'formabot.db'}",
        data_dir=folder,
        matrix_homeserver=synapse.url,
        matrix_user_id=account.user_id,
        matrix_password=account.password,
    )
    if rate is not None:
        settings = replace(settings, matrix_messages_per_second=rate)
    else:
        synapse.tchap_pace(account.user_id)
    db = Database(settings.database_url)
    await db.migrate()
    transport = MatrixTransport(settings, build_engine(db, settings), sync_timeout_ms=30_000)
    await transport.start()
    return transport, db


async def latency(synapse: Synapse, folder: Path, messages: int) -> list[float]:
    bot, db = await bot_for(synapse, folder / "latency", "benchbot", rate=1000)
    timings: list[float] = []
    try:
        async with MatrixPerson.joining(synapse, folder, "person") as person:
            room = await person.open_dm(bot.user_id)
            for index in range(messages + 5):
                count = len(person.in_room(room))
                await person.say(room, "/aide")
                sent = time.perf_counter()
                await person.wait(lambda count=count: len(person.in_room(room)) > count)  # type: ignore[misc]
                if index >= 5:
                    timings.append(time.perf_counter() - sent)
            assert all(s.decrypted for s in person.in_room(room))
    finally:
        await bot.stop()
        await db.dispose()
    return timings


async def pacing(synapse: Synapse, folder: Path, count: int) -> tuple[float, int, float]:
    bot, db = await bot_for(synapse, folder / "paced", "pacedbot", rate=None)
    try:
        async with MatrixPerson.joining(synapse, folder, "region") as region:
            room = await region.open_dm(bot.user_id)
            began = time.perf_counter()
            for n in range(count):
                await bot.send(room, Reply(text=f"Rappel {n + 1}"))
            await region.wait(lambda: len(region.in_room(room)) >= count, timeout=count * 5)
            elapsed = time.perf_counter() - began
            bodies = [s.body for s in region.in_room(room)]
            assert bodies == [f"Rappel {n + 1}" for n in range(count)], "order or duplicates"
    finally:
        await bot.stop()
        await db.dispose()
    return count / elapsed, bot.pacer.limited, bot.settings.matrix_messages_per_second


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    began = time.perf_counter()
    synapse = await asyncio.to_thread(launch_synapse)
    print(f"Synapse ready in {synapse.started_in:.2f} s (data in {synapse.folder.parent})")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-matrix-") as tmp:
            folder = Path(tmp)
            timings = await latency(synapse, folder, args.messages)
            ms = [t * 1000 for t in timings]
            print(
                f"message -> decrypted reply over {len(ms)} messages (encrypted DM, /aide): "
                f"p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, "
                f"max {max(ms):.0f} ms"
            )
            rate, limited, pace = await pacing(synapse, folder, args.paced)
            print(
                f"pacing under Tchap's limit (rc_message 1/s, burst 1), default pace {pace}/s: "
                f"{args.paced} messages at {rate:.2f} messages/s, {limited} x 429, "
                "in order, once each"
            )
    finally:
        synapse.terminate()
    print(
        f"({platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, whole run {time.perf_counter() - began:.0f} s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--paced", type=int, default=20)
    asyncio.run(main(parser.parse_args()))
