"""One formabot at a time on an SQLite base, and no restore under a running one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bot import running
from tests.test_cli import run

HOLDER = (
    "import sys, time\n"
    "from bot import running\n"
    "assert running.hold(sys.argv[1]) is None\n"
    "print('tenu', flush=True)\n"
    "time.sleep(60)\n"
)


def holding(url: str) -> subprocess.Popen[str]:
    """Another process that holds the base, as ``formabot run`` does."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "tenu"
    return process


def test_the_lock_sits_next_to_an_sqlite_base_only(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}"
    assert running.lock_path(url) == tmp_path / "formabot.db.verrou"
    assert running.lock_path("postgresql+asyncpg://u@h/db") is None
    assert running.lock_path("sqlite+aiosqlite:///:memory:") is None
    assert not running.busy(url)  # nobody ever ran on it


def test_a_second_run_and_a_restore_are_refused_while_one_runs(tmp_path: Path) -> None:
    """Explorer R R11: a second « formabot run » on the same file started without a word;
    R1: « formabot restore » replaced the base under a running bot."""
    data = tmp_path / "data"
    assert run(["demo"], data).returncode == 0
    assert run(["backup", str(tmp_path / "copie.db")], data).returncode == 0
    holder = holding(f"sqlite+aiosqlite:///{data / 'formabot.db'}")
    try:
        second = run(["run"], data, "/aide\n")
        assert second.returncode == 2
        assert "Un autre formabot tourne déjà sur cette base" in second.stderr
        assert "Bonjour" not in second.stdout and "/aide" not in second.stdout
        restored = run(["restore", "--oui", str(tmp_path / "copie.db")], data)
        assert restored.returncode == 1
        assert "formabot tourne encore sur cette base : arrêtez-le d'abord" in restored.stderr
        assert not list(data.glob("avant-restauration-*"))  # nothing was touched
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # a crash: the system drops the lock
        holder.wait()
    assert run(["restore", "--oui", str(tmp_path / "copie.db")], data).returncode == 0
    assert run(["run"], data, "/quitter\n").returncode == 0
