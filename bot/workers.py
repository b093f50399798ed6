"""Several processes on one database: ``formabot run --workers N`` and ``formabot work``.

One process *receives* (Telegram allows one ``getUpdates`` consumer, a
webhook reaches one port, Matrix's end-to-end keys belong to one device):
it runs every transport, the outbox sender and the scheduler, records each
update in the inbox and handles updates too.  *Workers* receive nothing:
they claim Telegram rows in the shared inbox (:mod:`bot.storage.inbox`),
run their turns and answer them with the bot token (``sendMessage``,
``sendDocument``; never ``getUpdates`` nor the webhook calls).  Every
guarantee of one process holds across them: a person's updates one at a
time and in order in whichever process, different people in parallel, one
transaction per turn with its replies and outbox rows, nothing lost when
any process is killed (its rows are taken over when its lease ends).

``formabot run --workers N`` is the receiving process plus N-1 ``formabot
work`` children that it starts, watches (one that dies is started again,
:data:`RESTARTS` times per :data:`RESTART_WINDOW` at most; one that exits
while the database is away is not counted, and started again once it
answers) and stops with itself.  With containers, the extra ``worker``
service of ``compose.yaml`` runs ``formabot work`` instead, as many
replicas as wanted.

Workers need PostgreSQL (SQLite has one writer at a time: a second process
would only wait for it) and a Telegram token (the only platform they can
answer); :func:`refusal` says so in French before anything starts.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable

from bot.config import Settings

log = logging.getLogger(__name__)

RESTARTS = 5
RESTART_WINDOW = 600.0
"""A child that died is started again, at most this many times in this many seconds."""

RESTART_DELAY = 1.0
"""Seconds before the first restart of a child; doubled at each death, up to 30."""

STOP_GRACE = 15.0
"""Seconds a child has to finish its turns after SIGTERM (its inbox gives them 5) before SIGKILL."""

PARENT_ENV = "FORMABOT_WORKER_PARENT"
"""Set for the children of ``run --workers``: the pid they stop with."""

BASE_PAUSE, BASE_PAUSE_MAX = 1.0, 5.0
"""Seconds between two looks at the database after a child exited while it was away
(doubling): a child is started again within 5 s of the database's return."""

ORPHAN_CHECK = 1.0
"""Seconds between two checks, in a child, that its parent still runs."""


def refusal(settings: Settings, workers: int, *, command: str = "run") -> str | None:
    """Why this many processes cannot run with these settings, in French; None when they can."""
    if command == "run" and workers < 1:
        return "--workers attend un nombre de processus supérieur ou égal à 1."
    if command == "run" and workers == 1:
        return None
    asked = "formabot work" if command == "work" else f"formabot run --workers {workers}"
    # What to run instead, for the command typed (explorer EB9: `formabot work` was told to run
    # « formabot run sans --workers », an option it was not given).
    alone = "formabot run seul" if command == "work" else "formabot run sans --workers"
    if settings.database_url.startswith("sqlite"):
        return (
            f"{asked} demande PostgreSQL : avec SQLite, un seul processus écrit à la fois et "
            f"les autres ne feraient qu'attendre. Lancez {alone}, ou donnez "
            "DATABASE_URL=postgresql+asyncpg://… (voir « Mettre en production »)."
        )
    if not settings.has_telegram:
        return (
            f"{asked} ne sert qu'avec Telegram : les processus supplémentaires répondent "
            "aux messages Telegram seulement (Matrix et la console restent au processus qui "
            f"reçoit). Donnez TELEGRAM_TOKEN, ou lancez {alone}."
        )
    return None


def child_environment(settings: Settings, index: int) -> dict[str, str]:
    """A child's environment: the parent's, its pid, and its own metrics port.

    Each process counts its own turns (:mod:`bot.metrics`); a child serves
    them on the parent's port plus its number, so that none is lost and no
    two processes want one port.
    """
    env = {**os.environ, PARENT_ENV: str(os.getpid())}
    if settings.metrics_port:
        env["FORMABOT_METRICS_PORT"] = str(settings.metrics_port + index)
    return env


class Supervisor:
    """Starts ``count`` ``formabot work`` children, starts again those that die, stops them;
    ``answers``: whether the database answers (:meth:`bot.storage.db.Database.answers`)."""

    def __init__(
        self,
        settings: Settings,
        count: int,
        *,
        command: list[str] | None = None,
        answers: Callable[[], Awaitable[bool]] | None = None,
    ):
        self.settings = settings
        self.answers = answers
        self.count = count
        self.command = command or [sys.executable, "-m", "bot", "work"]
        self.children: dict[int, asyncio.subprocess.Process] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False

    def start(self) -> None:
        for index in range(1, self.count + 1):
            self._tasks.append(asyncio.create_task(self._watch(index), name=f"worker-{index}"))

    async def _spawn(self, index: int) -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_exec(
            *self.command,
            env=child_environment(self.settings, index),
            # Its own session: a Ctrl-C in the terminal reaches the parent only,
            # which stops the children itself (and does not restart them).
            start_new_session=True,
        )
        self.children[index] = process
        log.info("worker %s started (pid %s)", index, process.pid)
        return process

    async def _watch(self, index: int) -> None:
        deaths: deque[float] = deque()
        delay = RESTART_DELAY
        while not self._stopping:
            process = await self._spawn(index)
            code = await process.wait()
            if self._stopping:
                return
            if await self._waited_for_the_base(index, code):
                delay = RESTART_DELAY  # not a death: it could not reach the base
                continue
            now = time.monotonic()
            deaths.append(now)
            while deaths and deaths[0] < now - RESTART_WINDOW:
                deaths.popleft()
            if len(deaths) > RESTARTS:
                log.error(
                    "worker %s exited %s times in %.0f s (code %s): not started again; "
                    "this process handles its share",
                    index,
                    len(deaths),
                    RESTART_WINDOW,
                    code,
                )
                return
            log.warning("worker %s exited (code %s): started again in %.0f s", index, code, delay)
            await asyncio.sleep(delay)
            delay = min(30.0, delay * 2)

    async def _waited_for_the_base(self, index: int, code: int) -> bool:
        """Whether the database was away when child ``index`` exited; if so, returns once
        it answers again.  A ``formabot work`` started while PostgreSQL is stopped refuses
        its start: counted as dying, it used its restarts in half a minute and was given
        up for a longer outage, though a running worker rides it out (explorer CE6)."""
        if self.answers is None or await self.answers():
            return False
        log.warning(
            "worker %s exited (code %s) while the database is away: started again once it answers",
            index,
            code,
        )
        pause = BASE_PAUSE
        while not await self.answers():
            await asyncio.sleep(pause)
            pause = min(BASE_PAUSE_MAX, pause * 2)
        return True

    async def stop(self) -> None:
        """SIGTERM to every child, SIGKILL to those still there after :data:`STOP_GRACE`."""
        self._stopping = True
        live = [p for p in self.children.values() if p.returncode is None]
        for process in live:
            try:
                process.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        if live:
            await asyncio.wait([asyncio.create_task(p.wait()) for p in live], timeout=STOP_GRACE)
            for process in live:
                if process.returncode is None:
                    log.warning("worker pid %s did not stop in time: killed", process.pid)
                    process.kill()
                    await process.wait()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for process in self.children.values():  # one started while stopping
            if process.returncode is None:
                process.terminate()
                await process.wait()


async def stop_when_orphaned() -> None:
    """In a child of ``run --workers``: stop (SIGTERM to itself) once the parent is gone.

    A parent killed outright (SIGKILL, out of memory) cannot stop its
    children; they notice within :data:`ORPHAN_CHECK` and stop cleanly.
    """
    parent = os.environ.get(PARENT_ENV)
    if not parent:
        return
    while True:
        await asyncio.sleep(ORPHAN_CHECK)
        if os.getppid() != int(parent):
            break
    log.warning("the receiving process is gone: this worker stops")
    os.kill(os.getpid(), signal.SIGTERM)
