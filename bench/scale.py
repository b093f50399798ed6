"""The scheduler and ``/echeances`` at scale: 2,000 organisations, and ten times that.

    python -m bench.scale [--databases sqlite,postgres] [--x10] [--organisations 2000]
        [--statements] [--plans] [--checkpoints-on-commit]

Builds, with bulk inserts through SQLAlchemy Core, ``--organisations``
organisations (2,000 by default), each with its admin reachable in private,
10 formations of 3 trainees, 100 stored deadlines (a mix of open, done and
postponed, due from 60 days ago to 120 days ahead, some per trainee) and 90
days of digests already sent (the outbox a server has after three months:
yesterday's with their text, the older ones erased, the sweep of sent texts
placed after the day before yesterday's); the first organisation has 40
formations.  Then, on a real scheduler built from
the features (:func:`bot.app.build_scheduler`):

- **digest hour**: the tick at 8:00 in Paris, when every organisation's
  digest and reminders are due, and the CPU time the process spent on it
  (its threads included: the figure a machine of its own would show, about);
- **statements per organisation** due in that tick (``BEGIN`` and
  ``COMMIT`` aside; the organisations are done 25 per transaction, each kind
  of row read once per chunk);
- **longest transaction** of that tick (from ``BEGIN`` to ``COMMIT``), the
  **longest the event loop was held** at a stretch during it (what a chat
  arriving then waits for, the commits and SQLite's checkpoints included:
  :mod:`bench.stalls`), and the **messages queued** by it;
- **next tick**: one minute later, no digest due (what is due then is
  erasing the text of the messages sent a day before, at the previous
  digest hour, and pruning the digests of three months ago: a batch of each
  per tick, :mod:`bot.storage.sweeps`);
- **sweep ticks**: the ticks, one a minute, the next one included, until
  both sweeps have nothing left due, their median and the slowest (how long a
  text outlives its day: that many minutes);
- **quiet tick**: half an hour after the digest hour (or the minute after
  the sweeps' last tick, if later), nothing due at all;
- between two ticks after the digest hour, on a SQLite file, the log is
  copied into the file (untimed), as the checkpoint thread does within the
  minute that separates them (:mod:`bot.storage.checkpoints`);
- **/echeances** of the first organisation's admin (40 formations), through
  the real engine: median of 20 runs, and its SQL statements.

``--x10`` runs the same with ten times the organisations afterwards and
prints each figure's ratio; ``--checkpoints-on-commit`` leaves SQLite's
checkpoints to the commits (its default, before the checkpoint thread).  ``--statements`` also prints the time of each
statement of the digest hour and of the next tick, slowest first (what grows
with the data shows there); ``--plans`` the plan of each distinct statement
of those two ticks (``EXPLAIN``: an index or a whole table).  PostgreSQL: a throwaway cluster started here
(or ``TEST_DATABASE_URL``, as ``scripts/with-postgres.sh`` sets it).  It
prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, func, insert, select, update

from bench import load
from bench.stalls import stalls
from bot.app import build_engine, build_scheduler
from bot.config import Settings
from bot.deadlines.catch_up import RULES_VERSION
from bot.outbox import DELIVERED_KEPT
from bot.privacy.retention import SENT_CONTENT_KEPT
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Membership, Organisation, Person, Role
from bot.storage.sweeps import SweepPosition
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Speaker
from tests.auxil.statements import counting, plans, recording, timed, transactions

DIGEST_HOUR = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
"""8:00 in Paris on a Wednesday: every organisation's digest is due."""
TODAY = DIGEST_HOUR.date()
FORMATIONS = 10
TRAINEES = 3
DEADLINES = 10
"""Per formation: 100 per organisation."""
FIRST_FORMATIONS = 40
"""The first organisation's, for ``/echeances``."""
SENT_DAYS = 90
"""Three months of digests sent (:data:`bot.outbox.DELIVERED_KEPT`): the oldest day's come of
age one minute after the digest hour and are pruned then."""
SENT_TEXT = {
    "text": "Récapitulatif du mercredi 2 décembre 2026 — Organisme : 3 échéances en retard, "
    "7 cette semaine. Saisir l'entrée dans EOS : Stagiaire 1, Stagiaire 2, Stagiaire 3 "
    "(Formation 4, avant le 4 décembre)."
}
"""The text of yesterday's digests, still there: erased one minute after the digest hour.
Each row was sent at its own time, as the senders note it (a microsecond apart here: all
in the same minute, the worst case for the ticks that follow)."""
RULE_IDS = ("CVL-EOS-ENTREE", "CVL-BILAN-ETAPE", "CVL-EOS-SORTIE", "CVL-QUALITE", "AUTRE-BILAN")
"""Rules of no bilan: a pre-bilan item still open is closed by the tick once its bilan began."""
BATCH = 20_000
DRAIN_TICKS = 120
"""The sweeps' ticks are counted up to two hours."""


@dataclass
class Figures:
    organisations: int
    deadlines: int
    outbox: int
    build: float
    digest_tick: float
    digest_cpu: float
    statements: int
    longest: float
    held: float
    transactions: int
    next_tick: float
    next_cpu: float
    queued: int
    drain_ticks: int
    drain_median: float
    drain_slowest: float
    quiet_tick: float
    echeances: float
    echeances_statements: int


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


async def _insert(db: Database, table: Any, rows: list[dict[str, Any]]) -> None:
    async with db.engine.begin() as connection:
        for chunk in _chunks(rows):
            await connection.execute(insert(table.__table__), chunk)


async def build(db: Database, organisations: int) -> tuple[int, int]:
    """The data set (see the module doc); (deadlines, outbox rows) inserted."""
    created = datetime(2026, 9, 1, tzinfo=UTC)
    await _insert(
        db,
        Organisation,
        [
            {
                "id": o,
                "name": f"Organisme {o}",
                "timezone": "Europe/Paris",
                "settings": {},
                "created_at": created,
                "digest_next_at": DIGEST_HOUR,
                "rules_version": RULES_VERSION,
            }
            for o in range(1, organisations + 1)
        ],
    )
    await _insert(
        db,
        Person,
        [
            {"id": o, "display_name": f"Admin {o}", "created_at": created}
            for o in range(1, organisations + 1)
        ],
    )
    await _insert(
        db,
        ChatIdentity,
        [
            {
                "person_id": o,
                "platform": "console",
                "user_id": f"admin-{o}",
                "chat_id": f"admin-{o}",
                "created_at": created,
            }
            for o in range(1, organisations + 1)
        ],
    )
    await _insert(
        db,
        Membership,
        [
            {"organisation_id": o, "person_id": o, "role": Role.ADMIN.value}
            for o in range(1, organisations + 1)
        ],
    )
    formations: list[dict[str, Any]] = []
    trainees: list[dict[str, Any]] = []
    deadlines: list[dict[str, Any]] = []
    formation_id = trainee_id = 0
    for o in range(1, organisations + 1):
        for n in range(FIRST_FORMATIONS if o == 1 else FORMATIONS):
            formation_id += 1
            formations.append(
                {
                    "id": formation_id,
                    "organisation_id": o,
                    "owner_id": o,
                    "title": f"Formation {n + 1}",
                    "funder": "cvl",
                    "programme": "parcours_metiers",
                    "action_type": "projet_pro",
                    "mode": "esp",
                    "kind": "formation",
                    "start_date": TODAY - timedelta(days=60),
                    "end_date": TODAY + timedelta(days=120 + n),
                    "certifying": False,
                    "long": False,
                    "created_at": created,
                }
            )
            first_trainee = trainee_id + 1
            for t in range(TRAINEES):
                trainee_id += 1
                trainees.append(
                    {
                        "id": trainee_id,
                        "formation_id": formation_id,
                        "full_name": f"Stagiaire {t + 1}",
                        "name_key": f"stagiaire {t + 1}",
                        "is_delegate": False,
                        "entered_on": TODAY - timedelta(days=60),
                    }
                )
            for d in range(DEADLINES):
                per_trainee = d < TRAINEES
                due = TODAY + timedelta(days=(formation_id * 7 + d * 19) % 180 - 60)
                status = ("done", "open", "open", "postponed")[(formation_id + d) % 4]
                deadlines.append(
                    {
                        "organisation_id": o,
                        "formation_id": formation_id,
                        "key": f"{RULE_IDS[d % len(RULE_IDS)]}:{d}:{formation_id}",
                        "rule_id": RULE_IDS[d % len(RULE_IDS)],
                        "subject": "trainee" if per_trainee else "formation",
                        "subject_id": first_trainee + d if per_trainee else formation_id,
                        "due_on": due,
                        "title": "Saisir l'entrée dans EOS" if per_trainee else f"Échéance {d}",
                        "explanation": "Une échéance de la fiche procédure (§ II).",
                        "source": "fiche procédure",
                        "audience": "formateur" if d % 2 else "admin",
                        "postponable": True,
                        "status": status,
                        "postponed_to": due + timedelta(days=3) if status == "postponed" else None,
                        "created_at": created,
                    }
                )
    await _insert(db, Formation, formations)
    await _insert(db, Trainee, trainees)
    await _insert(db, StoredDeadline, deadlines)
    outbox = [
        {
            "key": f"digest:org:{o}:{TODAY - timedelta(days=day)}:person:{o}",
            "organisation_id": o,
            "platform": "console",
            "chat_id": f"admin-{o}",
            "payload": SENT_TEXT if day == 1 else {},
            "status": "sent",
            "attempts": 1,
            "created_at": DIGEST_HOUR - timedelta(days=day),
            "next_attempt_at": DIGEST_HOUR - timedelta(days=day),
            "sent_at": DIGEST_HOUR - timedelta(days=day, microseconds=-o),
        }
        for day in range(1, SENT_DAYS + 1)
        for o in range(1, organisations + 1)
    ]
    await _insert(db, OutboxMessage, outbox)
    day_2s_last = DIGEST_HOUR - timedelta(days=2, microseconds=-organisations)
    await _swept_until(db, day_2s_last, 2 * organisations)
    if db.engine.dialect.name == "postgresql":
        async with db.engine.begin() as connection:
            for table in ("organisations", "people", "formations", "trainees", "deadlines"):
                await connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            await connection.exec_driver_sql("ANALYZE")
    else:
        async with db.engine.begin() as connection:
            await connection.exec_driver_sql("ANALYZE")
    return len(deadlines), len(outbox)


async def _swept_until(db: Database, sent_at: datetime, last_id: int) -> None:
    """The sweep of sent texts has erased every text up to the day before yesterday's, as on
    a server that has run for months (:mod:`bot.storage.sweeps`)."""
    async with db.engine.begin() as connection:
        await connection.execute(
            update(SweepPosition.__table__)
            .where(SweepPosition.__table__.c.name == "sent_texts:outbox")
            .values(done_at=sent_at, done_id=last_id)
        )


async def _still_due(db: Database, now: datetime) -> bool:
    """Whether a sweep has work left: a text sent over a day ago still there (yesterday's
    digests: the older ones are erased), or a delivered row older than the outbox keeps."""
    async with db.sessions() as session:
        texts = await session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == "sent",
                OutboxMessage.sent_at >= DIGEST_HOUR - timedelta(days=2),
                OutboxMessage.sent_at < now - SENT_CONTENT_KEPT,
                cast(OutboxMessage.payload, String) != "{}",
            )
        )
        old = await session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == "sent", OutboxMessage.created_at < now - DELIVERED_KEPT
            )
        )
    return bool(texts or old)


async def _meanwhile(db: Database) -> None:
    """What the minute between two ticks does besides: on a SQLite file, the checkpoint thread
    copies the log into the file (:mod:`bot.storage.checkpoints`); the ticks here follow each
    other at once, so it is done here, untimed, rather than left to overlap the next one."""
    if db.checkpoints is not None:
        await asyncio.to_thread(db.checkpoints.run_once)


def _slowest(tick: str, spent: dict[str, float], count: int) -> None:
    """Print the ``count`` statements of ``tick`` that took longest (``--statements``)."""
    for sql, seconds in sorted(spent.items(), key=lambda p: -p[1])[:count]:
        print(f"<!-- {tick}: {seconds * 1000:7.2f} ms  {sql} -->", flush=True)


async def measure(
    url: str,
    organisations: int,
    directory: Path,
    show_statements: bool = False,
    show_plans: bool = False,
    checkpoints_apart: bool = True,
) -> Figures:
    db = Database(url, sqlite_checkpoints_apart=checkpoints_apart)
    await db.migrate()
    started = time.perf_counter()
    deadlines, outbox = await build(db, organisations)
    built = time.perf_counter() - started
    settings = Settings(database_url=url, data_dir=directory)
    clock = Clock(DIGEST_HOUR - timedelta(minutes=1))
    scheduler = build_scheduler(db, settings, clock=clock)
    await scheduler.tick()  # 7:59: nothing due (and the process warm)
    clock.now = DIGEST_HOUR
    async with stalls() as held:
        with (
            transactions(db) as durations,
            counting(db) as sent,
            timed(db) if show_statements else nullcontext({}) as digest_each,
            recording(db) if show_plans else nullcontext([]) as watched,
        ):
            started, cpu = time.perf_counter(), time.process_time()
            await scheduler.tick()
            digest_tick, digest_cpu = time.perf_counter() - started, time.process_time() - cpu
    _slowest("digest hour", digest_each, 15)
    digest_statements = len([s for s in sent if s not in ("BEGIN", "COMMIT", "ROLLBACK")])
    async with db.sessions() as session:
        queued = int(
            await session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending")
            )
            or 0
        )
    clock.advance(minutes=1)
    await _meanwhile(db)
    with (
        timed(db) if show_statements else nullcontext({}) as each,
        recording(db) if show_plans else nullcontext([]) as watched_next,
    ):
        started, cpu = time.perf_counter(), time.process_time()
        await scheduler.tick()
        next_tick, next_cpu = time.perf_counter() - started, time.process_time() - cpu
    _slowest("next tick", each, 40)
    if show_plans:
        for sql, plan in await plans(db, [*watched, *watched_next]):
            print(f"<!-- {' '.join(sql.split())[:160]}\n{plan} -->", flush=True)
    drain: list[float] = [next_tick]
    while await _still_due(db, clock.now) and len(drain) < DRAIN_TICKS:
        clock.advance(minutes=1)
        await _meanwhile(db)
        started = time.perf_counter()
        await scheduler.tick()
        drain.append(time.perf_counter() - started)
    clock.now = max(DIGEST_HOUR + timedelta(minutes=30), clock.now + timedelta(minutes=1))
    await _meanwhile(db)
    started = time.perf_counter()
    await scheduler.tick()
    quiet_tick = time.perf_counter() - started
    admin = Speaker(build_engine(db, settings, clock=clock), "admin-1")
    runs = []
    statements = 0
    for _ in range(20):
        with counting(db) as sent:
            started = time.perf_counter()
            await admin.says("/echeances")
            runs.append(time.perf_counter() - started)
        statements = len([s for s in sent if s not in ("BEGIN", "COMMIT", "ROLLBACK")])
        await admin.says("Terminé")
    assert "Échéances" in admin.transcript[-3], admin.transcript[-3]
    await db.dispose()
    return Figures(
        organisations=organisations,
        deadlines=deadlines,
        outbox=outbox,
        build=built,
        digest_tick=digest_tick,
        digest_cpu=digest_cpu,
        statements=digest_statements,
        longest=max(durations),
        held=max(held),
        transactions=len(durations),
        next_tick=next_tick,
        next_cpu=next_cpu,
        queued=queued,
        drain_ticks=len(drain),
        drain_median=statistics.median(drain),
        drain_slowest=max(drain),
        quiet_tick=quiet_tick,
        echeances=statistics.median(runs),
        echeances_statements=statements,
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def row(database: str, f: Figures) -> str:
    return (
        f"| {database} | {f.organisations:,} | {f.deadlines:,} | {f.outbox:,} | "
        f"{_ms(f.digest_tick)} (CPU {_ms(f.digest_cpu)}) | {f.statements / f.organisations:.2f} | "
        f"{_ms(f.longest)} ({f.transactions:,}) | {_ms(f.held)} | {f.queued:,} | "
        f"{_ms(f.next_tick)} (CPU {_ms(f.next_cpu)}) | "
        f"{f.drain_ticks} ({_ms(f.drain_median)}, {_ms(f.drain_slowest)}) | {_ms(f.quiet_tick)} | "
        f"{_ms(f.echeances)} ({f.echeances_statements}) | {f.build:.0f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--x10", action="store_true", help="then ten times the organisations")
    parser.add_argument(
        "--statements", action="store_true", help="each statement of the next tick, timed"
    )
    parser.add_argument(
        "--plans", action="store_true", help="the plan of each statement of those two ticks"
    )
    parser.add_argument(
        "--checkpoints-on-commit",
        action="store_true",
        help="SQLite's own checkpoints, by the commits (the thread's absent), to compare",
    )
    args = parser.parse_args()
    cluster = None
    server = os.environ.get("TEST_DATABASE_URL", "")
    if "postgres" in args.databases and not server:
        from tests.auxil.postgres import Cluster

        cluster = Cluster()
        server = cluster.start()
    sizes = [args.organisations, args.organisations * 10] if args.x10 else [args.organisations]
    print(
        "| base | organismes | échéances | outbox | tick de l'heure du récapitulatif "
        "| requêtes par organisme | plus longue transaction (nombre) | boucle tenue au plus "
        "| messages mis en file "
        "| tick suivant | ticks du balayage (médian, le plus lent) | tick calme "
        "| /echeances, 40 formations (requêtes) | construction |"
    )
    print("| --- " * 14 + "|")
    try:
        for database in args.databases.split(","):
            found: list[Figures] = []
            for organisations in sizes:
                with tempfile.TemporaryDirectory() as directory:
                    url = (
                        f"sqlite+aiosqlite:///{directory}/formabot.db"
                        if database == "sqlite"
                        else asyncio.run(load.fresh_postgres_database(server, "scale"))
                    )
                    figures = asyncio.run(
                        measure(
                            url,
                            organisations,
                            Path(directory),
                            args.statements,
                            args.plans,
                            not args.checkpoints_on_commit,
                        )
                    )
                found.append(figures)
                print(row(database, figures), flush=True)
            if len(found) == 2:
                small, big = found
                print(
                    f"| {database} | ×10 | | | ×{big.digest_tick / small.digest_tick:.1f} "
                    f"(CPU ×{big.digest_cpu / small.digest_cpu:.1f}) | | "
                    f"×{big.longest / small.longest:.1f} | ×{big.held / small.held:.1f} | | "
                    f"×{big.next_tick / small.next_tick:.1f} "
                    f"(CPU ×{big.next_cpu / small.next_cpu:.1f}) | "
                    f"×{big.drain_median / small.drain_median:.1f}, "
                    f"×{big.drain_slowest / small.drain_slowest:.1f} | "
                    f"×{big.quiet_tick / small.quiet_tick:.1f} | "
                    f"×{big.echeances / small.echeances:.1f} | |",
                    flush=True,
                )
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
