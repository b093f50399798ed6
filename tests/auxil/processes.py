"""Claimer names (:mod:`bot.storage.claimers`) of real processes of this host, dead or alive."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

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
