"""A folder on a real read-only file system: a small tmpfs, filled, then mounted read-only.

Root only, and only where the sandbox lets it mount (these machines do); elsewhere the
test that asks for one is skipped, saying why.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only_folder(path: Path, fill: Callable[[Path], None]) -> Iterator[Path]:
    """``path`` mounted as a tmpfs, ``fill(path)`` run while it is writable, then read-only."""
    if os.geteuid() != 0:
        pytest.skip("monter un système de fichiers en lecture seule demande d'être root")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"mount refusé ici : {mounted.stderr.decode(errors='replace').strip()}")
    try:
        fill(path)
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
