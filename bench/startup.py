"""Start to first reply, idle memory, and French dates cold and warm.

    python -m bench.startup [--repeat N] [--against CHECKOUT]

**Start.** Spawns ``python -m bot run`` with no token (the console, reading
one message per line from a pipe) in an empty folder, sends ``/aide`` at
once and times the spawn → the first line of the reply, twice per round:
on a SQLite file migrated and holding the demo beforehand (an ordinary
restart) and on a folder with no database at all (the very first run, every
migration applied and the demo loaded, as on an empty base).
The rounds alternate the two cases, after one unmeasured start that
compiles the modules (an installed package and the container image ship
them compiled; from a source tree with ``PYTHONDONTWRITEBYTECODE`` set,
add 0.3-0.4 s of compiling at every start).  Besides the wall-clock time, the CPU
time the process had used when the reply arrived (from ``/proc``: what a
quiet machine would take, whatever else the machine is doing).  The process
is then left idle, the pipe open, for a few seconds, and its resident
memory read from ``/proc``.

``--against`` another checkout (``main`` before a change): its restarts
alternate with this tree's in the same rounds, and its line is printed
under this one's, so a shared machine's load weighs on both alike.

**Import.** In a fresh process each, the time to import ``bot.cli`` (what
``formabot run`` imports before it opens the database): wall clock, CPU, and
how many of formabot's own modules that is (a feature's dialogues and
services are imported when first used, not at start).

**Dates.** In a fresh process each, the first phrase understood after
importing :mod:`bot.dates` (cold), then every phrase of a list of what
trainers type, many times over (warm): p50, p95 and max.

Prints figures and asserts nothing (tests never time anything).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IDLE_SECONDS = 5.0
"""Idle means after the background warm-up (dateparser's data, 2 s after the start)."""

PHRASES = (
    "dans 15 jours",
    "demain 14h",
    "lundi",
    "jeudi prochain à 9h30",
    "le 3 décembre",
    "03/12/2026",
    "3/12 14h",
    "mardi plutot 10h30",
    "pour demain vers 9h merci",
    "vendredi aprem",
    "hier soir",
    "il y a deux semaines",
    "dans 3 mois",
    "lundi en huit",
    "le 23",
    "14h",
    "ce matin",
    "7 déc. 14h",
    "RDV: mercredi, 10h.",
    "n'importe quand",
)


PYCACHE = Path(tempfile.gettempdir()) / "formabot-bench-pycache"
"""Compiled modules, as an installed package (or the container image) has them; kept out of
the source tree, and written even where PYTHONDONTWRITEBYTECODE is set."""


def _environment(folder: Path, root: Path = ROOT) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_"))}
    env.pop("DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPATH=str(root),
        PYTHONPYCACHEPREFIX=str(PYCACHE),
        FORMABOT_DATA_DIR=str(folder / "data"),
        FORMABOT_SCHEDULER_INTERVAL_SECONDS="3600",
    )
    return env


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def one_start(migrated: bool, root: Path = ROOT) -> tuple[float, float, float]:
    """From spawn to the first line of the reply to ``/aide``: wall seconds, CPU seconds;
    then the idle RSS in MB.  ``root``: the checkout whose bot is started."""
    with tempfile.TemporaryDirectory(prefix="formabot-start-") as tmp:
        folder = Path(tmp)
        env = _environment(folder, root)
        if migrated:
            # What the very first run left: the schema and the demo it loads on an empty base.
            for command in ("migrate", "demo"):
                subprocess.run(
                    [sys.executable, "-m", "bot", command],
                    cwd=folder,
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
        began = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=folder,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("/aide\n")
        process.stdin.flush()
        asked = False
        for line in process.stdout:
            if asked and line.strip():
                break
            asked = asked or line.startswith("> /aide")
        first_reply = time.perf_counter() - began
        cpu = _cpu_seconds(process.pid)
        time.sleep(IDLE_SECONDS)
        rss = _rss_mb(process.pid)
        process.stdin.close()
        process.wait(30)
        return first_reply, cpu, rss


IMPORT_PROBE = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
import bot.cli
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps([wall, cpu, sum(1 for m in sys.modules if m.startswith("bot."))]))
"""


def import_figures(repeat: int) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds of ``import bot.cli`` in fresh processes, and the modules it loads."""
    walls: list[float] = []
    cpus: list[float] = []
    modules = 0
    with tempfile.TemporaryDirectory(prefix="formabot-import-") as tmp:
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-c", IMPORT_PROBE],
                cwd=tmp,
                env=_environment(Path(tmp)),
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            wall, cpu, modules = json.loads(out)
            walls.append(wall)
            cpus.append(cpu)
    return walls, cpus, modules


DATES_PROBE = """
import json, sys, time
from datetime import datetime
from zoneinfo import ZoneInfo
began = time.perf_counter()
from bot import dates
imported = time.perf_counter() - began
import asyncio
from bot import app
began = time.perf_counter()
asyncio.run(app.warm_up(0))  # what the running bot does in the background after its start
warmup = time.perf_counter() - began
now = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Paris"))
phrases = json.loads(sys.argv[1])
cold = []
for text in phrases:  # each phrase's first reading in this process
    t = time.perf_counter()
    dates.understand(text, now, "future")
    cold.append(time.perf_counter() - t)
warm = []
for _ in range(200):
    for text in phrases:
        t = time.perf_counter()
        dates.understand(text, now, "future")
        warm.append(time.perf_counter() - t)
print(json.dumps({"imported": imported, "warmup": warmup, "cold": cold, "warm": warm}))
"""


def dates_figures(repeat: int) -> dict[str, list[float]]:
    merged: dict[str, list[float]] = {
        "imported": [],
        "warmup": [],
        "cold": [],
        "first": [],
        "warm": [],
    }
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", DATES_PROBE, json.dumps(PHRASES)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(out)
        merged["imported"].append(figures["imported"])
        merged["warmup"].append(figures["warmup"])
        merged["first"].append(figures["cold"][0])  # "dans 15 jours", the first after start
        merged["cold"].extend(figures["cold"])
        merged["warm"].extend(figures["warm"])
    return merged


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"p50 {statistics.median(ordered) * 1000:.3f} ms, p95 {p95 * 1000:.3f} ms, "
        f"max {ordered[-1] * 1000:.3f} ms"
    )


def _print_starts(label: str, runs: list[tuple[float, float, float]]) -> None:
    replies = [r for r, _, _ in runs]
    cpu = [c for _, c, _ in runs]
    rss = [m for _, _, m in runs]
    print(
        f"start → first reply to /aide, {label} ({len(runs)} runs): "
        f"median {statistics.median(replies):.3f} s, best {min(replies):.3f} s, "
        f"worst {max(replies):.3f} s; CPU median {statistics.median(cpu):.2f} s; "
        f"idle RSS median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--against", type=Path, default=None, metavar="CHECKOUT")
    args = parser.parse_args(argv)

    one_start(migrated=False)  # compiles the modules once, as installing a package does
    if args.against is not None:
        one_start(migrated=False, root=args.against.resolve())
    starts: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
    other: list[tuple[float, float, float]] = []
    for round_ in range(args.repeat):
        for migrated in (True, False) if round_ % 2 == 0 else (False, True):
            if args.against is not None and migrated and round_ % 2:  # each goes first in turn
                other.append(one_start(True, args.against.resolve()))
            starts[migrated].append(one_start(migrated))
            if args.against is not None and migrated and not round_ % 2:
                other.append(one_start(True, args.against.resolve()))
    for migrated, label in ((True, "database migrated beforehand"), (False, "first run")):
        _print_starts(label, starts[migrated])
    if other:
        _print_starts(f"database migrated beforehand, {args.against}", other)

    walls, cpus, modules = import_figures(args.repeat * 2)
    print(
        f"import of bot.cli (what formabot run imports before it starts): median "
        f"{statistics.median(walls) * 1000:.0f} ms, CPU median {statistics.median(cpus) * 1000:.0f} ms, "
        f"{modules} of formabot's modules"
    )

    figures = dates_figures(args.repeat)
    print(
        f"dates: import of bot.dates median {statistics.median(figures['imported']) * 1000:.1f} ms;"
        f' first phrase after start ("{PHRASES[0]}") median '
        f"{statistics.median(figures['first']) * 1000:.3f} ms, "
        f"max {max(figures['first']) * 1000:.3f} ms"
    )
    print(
        "dates: background warm-up after the start (dateparser's French data) median "
        f"{statistics.median(figures['warmup']) * 1000:.0f} ms"
    )
    print(
        f"dates cold (each phrase's first reading, {len(figures['cold'])}): {_ms(figures['cold'])}"
    )
    print(f"dates warm ({len(figures['warm'])} readings): {_ms(figures['warm'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
