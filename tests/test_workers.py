"""``formabot run --workers N`` and ``formabot work`` refused in French where they cannot
help; the supervisor starting a child again when it dies (a limited number of times),
stopping its children with itself, giving each its own metrics port; a child stopping
once its parent is gone.  The processes sharing one inbox for real are in
``test_workers_e2e.py``."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot import workers
from bot.config import Settings
from bot.workers import Supervisor, child_environment, refusal
from tests.auxil.command import Done

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql+asyncpg://formabot@localhost:5432/formabot"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["run", "--workers", "2"], "formabot run --workers 2 demande PostgreSQL"),
        (["run", "--workers", "0"], "supérieur ou égal à 1"),
        (["run", "--workers", "-3"], "supérieur ou égal à 1"),
        (["work"], "formabot work demande PostgreSQL"),
    ],
)
def test_the_command_line_refuses_what_cannot_work_on_sqlite(
    formabot: Callable[[list[str]], Done], args: list[str], says: str
) -> None:
    done = formabot(args)
    assert done.returncode == 2
    assert says in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_without_a_telegram_token_there_is_nothing_for_workers_to_answer(
    formabot: Callable[[list[str]], Done], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", POSTGRES)  # refused before any connection
    for args in (["run", "--workers", "3"], ["work"]):
        done = formabot(args)
        assert done.returncode == 2
        assert "ne sert qu'avec Telegram" in done.stderr
        assert "TELEGRAM_TOKEN" in done.stderr


def test_formabot_work_is_told_what_to_run_instead_in_its_own_words(
    formabot: Callable[[list[str]], Done], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer EB9: `formabot work` was told « Lancez formabot run sans --workers »."""
    on_sqlite = formabot(["work"]).stderr
    assert "Lancez formabot run seul, ou donnez DATABASE_URL" in on_sqlite
    assert "--workers" not in on_sqlite
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    without_token = formabot(["work"]).stderr
    assert without_token.strip().endswith("Donnez TELEGRAM_TOKEN, ou lancez formabot run seul.")
    assert "sans --workers" in formabot(["run", "--workers", "2"]).stderr


@pytest.mark.parametrize("value", ["deux", "", "1.5", "9" * 30])
def test_a_number_of_workers_that_is_not_a_number_is_refused(
    formabot: Callable[[list[str]], Done], value: str
) -> None:
    done = formabot(["run", "--workers", value])
    assert done.returncode == 2 and "--workers" in done.stderr


def test_one_process_is_today_s_formabot_run_whatever_the_database(settings: Settings) -> None:
    assert refusal(settings, 1) is None
    assert refusal(replace(settings, database_url=POSTGRES), 1) is None
    ready = replace(settings, database_url=POSTGRES, telegram_token="1:x")
    assert refusal(ready, 4) is None and refusal(ready, 1, command="work") is None


def test_each_child_serves_its_own_metrics_port_and_knows_its_parent(settings: Settings) -> None:
    served = replace(settings, metrics_port=9100)
    assert child_environment(served, 1)["FORMABOT_METRICS_PORT"] == "9101"
    assert child_environment(served, 2)["FORMABOT_METRICS_PORT"] == "9102"
    assert child_environment(served, 1)[workers.PARENT_ENV] == str(os.getpid())
    silent = child_environment(settings, 1)
    assert silent.get("FORMABOT_METRICS_PORT", "0") == os.environ.get("FORMABOT_METRICS_PORT", "0")


async def test_a_child_that_dies_is_started_again_a_limited_number_of_times(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(workers, "RESTARTS", 2)
    marks = tmp_path / "starts"
    dying = [sys.executable, "-c", f"open({str(marks)!r}, 'a').write('x')"]
    supervisor = Supervisor(settings, 1, command=dying)
    monkeypatch.setattr(workers, "RESTART_DELAY", 0.0)  # the back-off is not the point
    supervisor.start()
    await asyncio.wait_for(asyncio.gather(*supervisor._tasks), timeout=60)
    assert marks.read_text() == "xxx"  # the first start and two more, then no more
    await supervisor.stop()


async def test_a_child_that_exits_while_the_database_is_away_is_started_once_it_answers(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Explorer CE6: a `formabot work` started while PostgreSQL was stopped refuses its
    start; counted as dying, it used its restarts in 36 s and was given up for a longer
    outage, though a worker already running rides it out."""
    monkeypatch.setattr(workers, "RESTARTS", 2)
    monkeypatch.setattr(workers, "RESTART_DELAY", 0.0)
    monkeypatch.setattr(workers, "BASE_PAUSE", 0.05)
    marks, up = tmp_path / "starts", tmp_path / "base-up"
    refused_while_away = [
        sys.executable,
        "-c",
        f"import os, sys, time; open({str(marks)!r}, 'a').write('x'); "
        f"sys.exit(1) if not os.path.exists({str(up)!r}) else time.sleep(60)",
    ]

    async def answers() -> bool:
        return up.exists()

    supervisor = Supervisor(settings, 1, command=refused_while_away, answers=answers)
    supervisor.start()
    try:
        await asyncio.sleep(1.0)  # an outage longer than its restarts would have lasted
        up.touch()
        for _ in range(200):
            child = supervisor.children.get(1)
            if up.exists() and child is not None and len(marks.read_text()) >= 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        child = supervisor.children[1]
        assert child.returncode is None  # running, not given up
        assert marks.read_text() == "xx"  # refused once, started again once the base answered
    finally:
        await asyncio.wait_for(supervisor.stop(), timeout=30)


async def test_stopping_the_supervisor_stops_its_children_and_starts_none_again(
    settings: Settings, tmp_path: Path
) -> None:
    marks = tmp_path / "starts"
    waiting = [
        sys.executable,
        "-c",
        f"import time; open({str(marks)!r}, 'a').write('x'); time.sleep(60)",
    ]
    supervisor = Supervisor(settings, 2, command=waiting)
    supervisor.start()
    for _ in range(200):
        if len(supervisor.children) == 2 and marks.exists() and len(marks.read_text()) == 2:
            break
        await asyncio.sleep(0.05)
    children = list(supervisor.children.values())
    assert len(children) == 2 and all(c.returncode is None for c in children)
    await asyncio.wait_for(supervisor.stop(), timeout=30)
    assert all(c.returncode is not None for c in children)
    await asyncio.sleep(0.3)
    assert marks.read_text() == "xx"  # none started again


async def test_a_child_stops_once_its_parent_is_gone(tmp_path: Path) -> None:
    """The parent SIGKILLed: its child notices and stops itself (SIGTERM, cleanly)."""
    code = (
        "import asyncio, signal, sys\n"
        "from bot.workers import stop_when_orphaned\n"
        "async def main():\n"
        "    stop = asyncio.Event()\n"
        "    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)\n"
        "    asyncio.create_task(stop_when_orphaned())\n"
        "    print('ready', flush=True)\n"
        "    await stop.wait()\n"
        f"    open({str(tmp_path / 'stopped')!r}, 'w').write('ok')\n"
        "asyncio.run(main())\n"
    )
    # A parent shell that starts the child with its own pid as PARENT, then dies.
    parent = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import os, subprocess, sys\n"
        f"env = {{**os.environ, {workers.PARENT_ENV!r}: str(os.getpid())}}\n"
        f"subprocess.Popen([sys.executable, '-c', {code!r}], env=env)\n"
        "import time; time.sleep(1.5)\n",
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    await parent.wait()
    for _ in range(100):
        if (tmp_path / "stopped").exists():
            break
        await asyncio.sleep(0.1)
    assert (tmp_path / "stopped").read_text() == "ok"
