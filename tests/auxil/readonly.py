"""A folder formabot cannot write to, for real.

As root (CI, these machines): a small tmpfs, filled, then mounted read-only; root may
mount here, and a refusal is an error of the machine, not a reason to skip. As another
user: the folder made read-only for its owner (the system refuses the writes alike).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def read_only_folder(path: Path, fill: Callable[[Path], None]) -> Iterator[Path]:
    """``path`` filled by ``fill(path)``, then made read-only."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        fill(path)
        folders = [path, *(p for p in path.rglob("*") if p.is_dir())]
        for folder in folders:
            folder.chmod(0o555)
        try:
            yield path
        finally:
            for folder in folders:
                folder.chmod(0o755)
        return
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(path)], check=True)
    try:
        fill(path)
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
