"""One formabot at a time on an SQLite base, and no restore under a running one."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot import running
from tests.test_cli import run

HOLDER = (
    "import sys, time\n"
    "from bot import running\n"
    "assert running.hold(sys.argv[1]) is None\n"
    "print('tenu', flush=True)\n"
    "time.sleep(60)\n"
)


def holding(url: str, holder: str = HOLDER) -> subprocess.Popen[str]:
    """Another process that holds the base, as ``formabot run`` does."""
    process = subprocess.Popen(
        [sys.executable, "-c", holder, url],
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


def test_the_data_folder_made_by_the_lock_is_private(tmp_path: Path) -> None:
    """Explorer AM1: « FORMABOT_DATA_DIR=mon-organisme formabot console » made the folder
    755 (the lock was its first file), listable by every account of the machine."""
    folder = tmp_path / "mon-organisme"
    holder = holding(f"sqlite+aiosqlite:///{folder / 'formabot.db'}")
    try:
        assert folder.stat().st_mode & 0o777 == 0o700
        assert (folder / "formabot.db.verrou").stat().st_mode & 0o777 == 0o600
    finally:
        holder.kill()
        holder.wait()


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
        # Explorer V, V6: the console wrote alongside a running bot.
        console = run(["console", "--as", "formateur"], data, "/aide\n")
        assert console.returncode == 2
        assert "Un autre formabot tourne déjà sur cette base" in console.stderr
        restored = run(["restore", "--oui", str(tmp_path / "copie.db")], data)
        assert restored.returncode == 1
        assert "formabot tourne encore sur cette base : arrêtez-le d'abord" in restored.stderr
        assert not list(data.glob("avant-restauration-*"))  # nothing was touched
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # a crash: the system drops the lock
        holder.wait()
    assert run(["restore", "--oui", str(tmp_path / "copie.db")], data).returncode == 0
    assert run(["run"], data, "/quitter\n").returncode == 0


RECEIVER = (
    "import asyncio, sys, time\n"
    "from bot import running\n"
    "assert asyncio.run(running.hold_receiving(sys.argv[1])) is None\n"
    "print('tenu', flush=True)\n"
    "time.sleep(60)\n"
)


@pytest.mark.postgres
async def test_a_second_receiving_process_is_refused_on_postgresql(pg_server_url: str) -> None:
    """Explorer V, V7: two « formabot run » on one PostgreSQL both polled Telegram."""
    process = holding(pg_server_url, RECEIVER)
    try:
        said = await running.hold_receiving(pg_server_url)
        assert said is not None and said.startswith(
            "Un autre « formabot run » reçoit déjà les messages de cette base PostgreSQL"
        )
    finally:
        os.kill(process.pid, signal.SIGKILL)  # a crash: PostgreSQL drops the lock with it
        process.wait()
    for _ in range(50):  # the server notices the dead connection at once, or nearly
        said = await running.hold_receiving(pg_server_url)
        if said is None:
            break
        await asyncio.sleep(0.1)
    assert said is None
    await running.release_receiving()


@pytest.mark.postgres
async def test_the_receiving_role_is_taken_again_after_a_restart_or_given_up(
    pg_server_url: str,
) -> None:
    """Explorer BA4: a PostgreSQL restart dropped the lock with its connection; a second
    « formabot run » then started and polled beside the first."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    async def cut_the_receiver() -> None:  # what a restart does to its connection
        async with admin.connect() as connection:
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks"
                    " WHERE locktype = 'advisory' AND objid = :low"
                ),
                {"low": running.RECEIVING & 0xFFFFFFFF},
            )
            await connection.commit()

    admin = create_async_engine(pg_server_url)
    try:
        assert await running.hold_receiving(pg_server_url) is None
        assert await running.still_receiving()
        await cut_the_receiver()
        assert await running.still_receiving()  # taken again on a new connection
        await cut_the_receiver()
        process = holding(pg_server_url, RECEIVER)  # another took it meanwhile
        try:
            assert not await running.still_receiving()
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    finally:
        await running.release_receiving()
        await admin.dispose()
