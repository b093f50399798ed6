"""Many people at once: turns per second and reply latency, 1 or 2 processes, SQLite or PostgreSQL.

    python -m bench.load [--people 50,500] [--databases sqlite,postgres] [--processes 1,2]
    python -m bench.load --inbox [--people 50,500] [--databases postgres] [--processes 1,2]
                         [--claims yes,no]

Each simulated person is a formateur of the demo organisation with their own
console identity; they all start at the same instant and each goes through
the same short session, waiting for every reply before the next message:
``/formations``, ``/formation``, a title, ``/annuler``, ``/aide``,
``/echeances``, ``Terminé`` — reads, a state written and dropped, the
deadlines recomputed.  The people are split between the processes, each a
real ``python -m bench.load --worker`` with its own engine and connection
pool on the same database (PostgreSQL: a throwaway cluster started here;
SQLite: a file).  Latency is measured per message inside the worker, from
the instant it was sent (the first: the instant everyone starts; the next:
the previous reply) to its replies (no transport).  It prints figures and
asserts nothing.

Each process has served before the burst: as many people as it runs turns at
once play the session untimed first (``WARM_PEOPLE``), as a bot that has
been up for a while has its connections open, its statements prepared and
its dialogues loaded; ``--cold`` measures a process that has served nobody
(a restart in the middle of a peak).  ``--by-message`` adds each message's
p50 and p95: at saturation everyone's same message arrives in a wave, so
the heaviest message sets the p95.

``--inbox`` measures ``formabot run --workers N`` instead (:mod:`bench.load_inbox`):
the people are Telegram users behind a loopback "platform" (JSON lines over loopback TCP), one
receiving process records their messages in the durable inbox and handles
them, N-1 worker processes claim rows from the same inbox; latency is from the
message leaving the person to its replies reaching them.  ``--claims yes,no``
alternates each case with a receiver alone that claims nothing (one process):
what the claim costs per turn.  ``BENCH_PROFILE=/tmp/prof`` writes the receiving
process's cProfile stats (CPU clock) to ``/tmp/prof.<pid>``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

SESSION = ("/formations", "/formation", "Titre {n}", "/annuler", "/aide", "/echeances", "Terminé")

WARM_PEOPLE = 15
"""People who play the session once, untimed, before the burst: the default pool's size."""


async def prepare(url: str, people: int, platform: str = "console") -> None:
    """The demo organisation and ``people`` formateurs, each with a console identity."""
    from datetime import datetime

    from bot import demo
    from bot.storage.db import Database
    from bot.storage.people import ChatIdentity, Membership, Person, Role

    database = Database(url)
    await database.migrate()
    async with database.sessions() as session, session.begin():
        await demo.fill(session, today=datetime.now(ZoneInfo("Europe/Paris")).date())
        for n in range(people):
            person = Person(display_name=f"Formatrice {n}")
            session.add(person)
            await session.flush()
            session.add(Membership(organisation_id=1, person_id=person.id, role=Role.FORMATEUR))
            session.add(
                ChatIdentity(
                    person_id=person.id, platform=platform, user_id=f"p{n}", chat_id=f"p{n}"
                )
            )
    await database.dispose()


async def worker(url: str, first: int, count: int, start_at: float, warm: bool = True) -> None:
    """Play people ``first`` … ``first + count - 1``; print their latencies as JSON.

    ``warm``: the first :data:`WARM_PEOPLE` of them play the session once before
    ``start_at``, untimed.
    """
    from bot.app import build_engine
    from bot.config import Settings
    from bot.messages import Incoming, Platform
    from bot.storage.db import Database

    database = Database(url)
    engine = build_engine(database, Settings(database_url=url, data_dir=Path(tempfile.mkdtemp())))
    latencies: list[float] = []
    messages: list[int] = []

    async def person(n: int, sent: float) -> None:
        """``sent``: when the first message left (the same instant for everyone)."""
        for index, line in enumerate(SESSION):
            message = Incoming(
                platform=Platform.CONSOLE,
                chat=f"p{n}",
                user=f"p{n}",
                event_id=f"{uuid.uuid4().hex}-{index}",
                text=line.format(n=n),
                display_name=f"p{n}",
            )
            await engine.handle(message)
            latencies.append(time.perf_counter() - sent)
            messages.append(index)
            # The next message leaves now; the reply went out as a transport's send
            # would, letting the others in.  Without it, a turn that never waits
            # (SQLite's, in the loop's thread) would let one person through the
            # whole session first, and their wait would be counted nowhere.
            sent = time.perf_counter()
            await asyncio.sleep(0)

    if warm:
        now = time.perf_counter()
        people = range(first, first + min(count, WARM_PEOPLE))
        await asyncio.gather(*(person(n, now) for n in people))
        latencies.clear()
        messages.clear()
    await asyncio.sleep(max(0.0, start_at - time.time()))
    began, cpu, now = time.time(), time.process_time(), time.perf_counter()
    await asyncio.gather(*(person(n, now) for n in range(first, first + count)))
    cpu = time.process_time() - cpu
    ended = time.time()
    print(
        json.dumps(
            {
                "latencies": latencies,
                "messages": messages,
                "began": began,
                "ended": ended,
                "cpu": cpu,
            }
        )
    )
    await database.dispose()


def run_case(url: str, people: int, processes: int, warm: bool = True) -> dict[str, Any]:
    asyncio.run(prepare(url, people))
    # Every worker imported, connected and warmed up by then.
    start_at = time.time() + 4.0
    share = [people // processes + (1 if i < people % processes else 0) for i in range(processes)]
    firsts = [sum(share[:i]) for i in range(processes)]
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.load",
                "--worker",
                url,
                str(f),
                str(c),
                str(start_at),
                "warm" if warm else "cold",
            ],
            stdout=subprocess.PIPE,
            env={**os.environ, "FORMABOT_LOG_LEVEL": "WARNING"},
        )
        for f, c in zip(firsts, share, strict=True)
    ]
    results = [json.loads(w.communicate()[0].decode().strip().splitlines()[-1]) for w in workers]
    latencies = [x for r in results for x in r["latencies"]]
    messages = [x for r in results for x in r["messages"]]
    wall = max(r["ended"] for r in results) - min(r["began"] for r in results)
    return figures(latencies, wall, sum(r["cpu"] for r in results), messages)


def figures(
    latencies: list[float], wall: float, cpu: float, messages: list[int] | None = None
) -> dict[str, Any]:
    """What a run prints: turns/s, p50, p95, max, the CPU spent per turn.

    ``messages`` (the index in :data:`SESSION` of each latency's message) adds
    ``by_message``: each message's p50 and p95.
    """
    by_message: dict[str, tuple[float, float]] = {}
    for index, line in enumerate(SESSION):
        these = [x for x, m in zip(latencies, messages or (), strict=False) if m == index]
        if len(these) >= 2:
            by_message[line] = (statistics.median(these), statistics.quantiles(these, n=20)[-1])
    latencies = sorted(latencies)
    return {
        "turns": len(latencies),
        "turns_per_s": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=20)[-1],
        "max": latencies[-1],
        "cpu_ms": cpu * 1000 / len(latencies),
        "by_message": by_message,
    }


async def fresh_postgres_database(server: str, prefix: str = "load") -> str:
    """A new empty database on the cluster ``server`` points to: each run starts clean."""
    import asyncpg

    url = make_url(server)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    # A host or a socket directory (``?host=/run/postgresql``): asyncpg reads either.
    admin = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return str(url.set(database=name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", default="50,500")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--worker", nargs=5, metavar=("URL", "FIRST", "COUNT", "START", "WARM"))
    parser.add_argument(
        "--cold", action="store_true", help="no untimed session before the burst (a fresh start)"
    )
    parser.add_argument("--by-message", action="store_true", help="also each message's p50 and p95")
    parser.add_argument("--inbox", action="store_true", help="through the inbox, N processes")
    parser.add_argument("--handle", nargs=4, metavar=("URL", "PORT", "ROLE", "CLAIM"))
    parser.add_argument(
        "--claims",
        default="yes",
        help="--inbox: yes,no alternates with a process that claims nothing (shared=False, "
        "one process only): what the claim costs",
    )
    args = parser.parse_args()
    if args.handle:
        from bench import load_inbox

        url, port, role, claim = args.handle
        asyncio.run(load_inbox.handler(url, int(port), role, claim == "claim"))
        return
    if args.worker:
        url, first, count, start, warm = args.worker
        asyncio.run(worker(url, int(first), int(count), float(start), warm == "warm"))
        return
    claims = [c == "yes" for c in args.claims.split(",")]
    if not all(claims) and set(args.processes.split(",")) != {"1"}:
        parser.error("--claims no : un seul processus (--processes 1)")
    cluster = None
    server = os.environ.get("TEST_DATABASE_URL", "")
    if "postgres" in args.databases and not server:
        from tests.auxil.postgres import Cluster

        cluster = Cluster()
        server = cluster.start()
    print(f"Chaque personne : {len(SESSION)} messages ({', '.join(SESSION)}).")
    print(
        "Processus neufs (--cold)."
        if args.cold
        else f"Chaque processus a déjà servi : {WARM_PEOPLE} personnes ont joué la séance avant,"
        " sans chronomètre."
    )
    shares = (
        " tours par processus | réclamations par tour (manquées) |"
        " par transaction : reçus / fins / réclamations |"
        if args.inbox
        else ""
    )
    print(
        f"| base | personnes | processus | tours | tours/s | p50 | p95 | max | CPU par tour |{shares}"
    )
    print(
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        + (" --- | --- | --- |" if shares else "")
    )
    try:
        for database in args.databases.split(","):
            for people in (int(p) for p in args.people.split(",")):
                cases = [(int(p), c) for p in args.processes.split(",") for c in claims]
                for processes, claim in cases:
                    with tempfile.TemporaryDirectory() as directory:
                        url = (
                            f"sqlite+aiosqlite:///{directory}/formabot.db"
                            if database == "sqlite"
                            else asyncio.run(fresh_postgres_database(server))
                        )
                        if args.inbox:
                            from bench import load_inbox

                            asyncio.run(prepare(url, people, "telegram"))
                            r = asyncio.run(
                                load_inbox.run_case(
                                    url, people, processes, SESSION, claim, not args.cold
                                )
                            )
                        else:
                            r = run_case(url, people, processes, not args.cold)
                    alone = "" if claim else " sans réclamation"
                    print(
                        f"| {database} | {people} | {processes}{alone} | {r['turns']:.0f} | "
                        f"{r['turns_per_s']:.0f} | {r['p50'] * 1000:.0f} ms | "
                        f"{r['p95'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms | "
                        f"{r['cpu_ms']:.1f} ms |"
                        + (
                            f" {r['shares']} | {r['tried']:.2f} ({r['failed']:.2f}) |"
                            f" {r['grouped']} |"
                            if shares
                            else ""
                        ),
                        flush=True,
                    )
                    if args.by_message:
                        for line, (p50, p95) in r["by_message"].items():
                            print(
                                f"|   {line} | | | | | {p50 * 1000:.0f} ms | {p95 * 1000:.0f} ms |"
                            )
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
