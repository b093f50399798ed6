"""Real processes of this host: claimer names (:mod:`bot.storage.claimers`) of processes dead
or alive, and ``formabot run`` started as its service starts it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from bot.storage.claimers import claimer


def named(pid: int) -> str:
    """The name the process ``pid`` of this host would write in ``claimed_by``."""
    host, namespace, _ = claimer().split(":")
    return f"{host}:{namespace}:{pid}"


def dead() -> str:
    """A process that ran here and ended (killed, as ``kill -9`` leaves it), reaped."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.kill()
    process.wait()
    return named(process.pid)


@contextmanager
def alive() -> Iterator[str]:
    """Another process of this host, running while the block runs."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield named(process.pid)
    finally:
        process.kill()
        process.wait()


ROOT = Path(__file__).resolve().parent.parent.parent


async def bot_run(env: dict[str, str], stderr: IO[bytes] | int) -> asyncio.subprocess.Process:
    """``python -m bot run`` from the project's folder with ``env``, its output ignored but
    for ``stderr`` (a file a test reads for what the bot logs, or DEVNULL)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=stderr,
    )
