"""Nothing lost, nothing done twice: a real ``formabot`` killed with SIGKILL at every
turn of whole flows, then restarted, while the person goes on as if nothing happened.

The turns are not written by hand: :mod:`tests.auxil.walker` walks each flow
from its definition in process first (on a copy of the same data), answering
every step by its kind, with sample answers only for free text.  Then a real
bot replays those turns: on Telegram (the loopback emulator, polling and
webhook) /formation and /bilan (its .ics, PDFs and invitation codes in the
last turn); on the console /formation, /bilan, /absence and /decrochage.  The
bot is killed once per turn, at a moment taken in turn from: just after the
person sent (the update may not even be fetched), once the update is written
in the inbox, once the turn is committed, once its first reply is visible.
The person never re-sends anything that the bot wrote down: every message
must be handled exactly once and every reply must reach them (the next
question arrives).  At the end the data is compared, table by table, with
what the walk did without any kill.

Each ``formabot`` is forked from a zygote that imported the bot once
(:mod:`tests.auxil.zygote`), so a restart costs a fraction of a second."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sqlite3
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import demo, texts
from bot.app import build_engine
from bot.config import Settings
from bot.deadlines.service import refresh_organisation
from bot.messages import Platform
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Organisation
from tests.auxil.dialogue import Person as Speaker
from tests.auxil.telegram_bot import link_to_telegram
from tests.auxil.telegram_emulator import (
    BotMessage,
    TelegramEmulator,
    TelegramUser,
    launch_emulator,
)
from tests.auxil.walker import Turn, sample_answers, walk
from tests.auxil.zygote import Child, Zygote
from tests.test_telegram_e2e import free_port

pytestmark = pytest.mark.slow

TOKEN = "987654:FORMABOT-durable"
TRAINER = 601
PARIS = ZoneInfo("Europe/Paris")
PHASES = ("sent", "recorded", "committed", "answered")
"""Where a turn is killed, in turn: see the module docstring."""


ON_TELEGRAM = ("/formation", "/bilan")
"""Two whole flows, the second ending with its .ics, PDFs and invitation codes."""
ON_THE_CONSOLE = ("/formation", "/bilan", "/absence", "/decrochage")
"""The console restarts fast: four flows, a compte rendu PDF and a ticket among them."""

TECHNICAL = ("inbox", "processed_events", "conversation_states", "alembic_version")
"""Tables that record how the turns went, not what they did."""


async def generated_turns(
    reference: Path, today: date, commands: Sequence[str], telegram_user: int | None
) -> list[Turn]:
    """The whole flows walked once in process, on a copy of the data, from their definitions."""
    path = await demo_database(reference, today, telegram_user=telegram_user)
    database = Database(f"sqlite+aiosqlite:///{path}")
    settings = Settings(database_url=database.url, data_dir=reference)
    engine = build_engine(database, settings, clock=lambda: datetime.now(UTC))
    camille = Speaker(engine, demo.DEMO_USER, Platform.CONSOLE)
    answers = sample_answers(today)
    turns: list[Turn] = []
    try:
        for command in commands:
            turns += await walk(database, camille, command, answers[command], today=today)
    finally:
        await database.dispose()
    return turns


SCHEDULED = ("digest:", "rappel:", "entretien:", "reply:")
"""Outbox rows the scheduler writes on its own clock (and copies of chat replies)."""


async def what_was_done(path: Path) -> dict[str, object]:
    """Rows per table, deadlines by key and status, outbox rows the turns wrote.

    The deadlines are refreshed first: the running bot's scheduler refreshes
    them on its own clock, the in-process walk has no scheduler.
    """
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.sessions() as session, session.begin():
            for organisation_id in (await session.scalars(select(Organisation.id))).all():
                await refresh_organisation(session, organisation_id)
    finally:
        await database.dispose()
    with contextlib.closing(sqlite3.connect(path, timeout=10)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
            if name not in TECHNICAL
        ]
        found: dict[str, object] = {
            table: int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for table in tables
        }
        found["deadlines"] = sorted(connection.execute("SELECT key, status FROM deadlines"))
        found["outbox"] = sorted(
            key
            for (key,) in connection.execute("SELECT key FROM outbox")
            if not key.startswith(SCHEDULED)
        )
    return found


# --- the bot's database, read from outside -------------------------------------------


def counts(path: Path) -> tuple[int, int]:
    """(updates in the inbox, turns committed): how far the bot got."""
    with contextlib.closing(sqlite3.connect(path, timeout=10)) as connection:
        inbox = connection.execute("SELECT count(*) FROM inbox").fetchone()[0]
        events = connection.execute("SELECT count(*) FROM processed_events").fetchone()[0]
    return int(inbox), int(events)


async def demo_database(data_dir: Path, today: date, *, telegram_user: int | None) -> Path:
    """The demo organisation; its trainer Camille Durand also talks from Telegram."""
    path = data_dir / "formabot.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    await database.migrate()
    async with database.sessions() as session, session.begin():
        await demo.fill(session, today=today)
        if telegram_user is not None:
            await link_to_telegram(session, telegram_user)
    await database.dispose()
    return path


# --- the processes -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    with Zygote() as forks:
        yield forks


class Bot:
    """``formabot ARGV`` started, killed and started again, always on the same data."""

    def __init__(self, zygote: Zygote, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.zygote, self.argv, self.env, self.log = zygote, argv, env, log
        self.child: Child | None = None
        self.kills = 0

    def start(self, stdin: Path | None = None) -> None:
        self.child = self.zygote.spawn(self.argv, self.env, stdout=self.log, stdin=stdin)

    def kill(self) -> None:
        assert self.child is not None
        self.child.kill()
        self.child.wait_gone()
        self.kills += 1

    def stop(self) -> None:
        if self.child is not None and self.child.alive:
            self.child.kill(15)  # SIGTERM: a clean stop
            self.child.wait_gone()


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(FORMABOT_DATA_DIR=str(data_dir), **extra)
    return env


async def until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.003)


# --- Telegram ----------------------------------------------------------------------------


def replied(user: TelegramUser, after: int) -> Callable[[], Awaitable[object]]:
    return lambda: user.wait_until(lambda ms: any(m.message_id > after for m in ms), 20)


def arrived(turn: Turn, after: int) -> Callable[[list[BotMessage]], bool]:
    if turn.act == "toggle":
        # « 2. ☑ Ben Kaci »: a list to tick shows its numbers on Telegram (explorer DF1).
        return lambda ms: any(t.endswith(turn.expect) for m in ms for t in m.button_texts)
    return lambda ms: any(m.message_id > after and turn.expect in texts.plain(m.body) for m in ms)


async def act(user: TelegramUser, turn: Turn) -> None:
    if turn.act == "say":
        await (
            user.send_command(turn.text)
            if turn.text.startswith("/")
            else user.send_message(turn.text)
        )
    else:
        await user.press_button(turn.text)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_telegram_killed_at_every_turn_of_two_whole_flows(
    emulator: TelegramEmulator, zygote: Zygote, tmp_path: Path, mode: str
) -> None:
    """Polling: an update is confirmed by the next offset only once written down.
    Webhook: it is answered 200 only once written down, else Telegram sends it again."""
    today = datetime.now(PARIS).date()
    turns = await generated_turns(tmp_path / "reference", today, ON_TELEGRAM, TRAINER)
    path = await demo_database(tmp_path, today, telegram_user=TRAINER)
    env = environment(tmp_path, TELEGRAM_TOKEN=TOKEN, TELEGRAM_BASE_URL=emulator.url)
    if mode == "webhook":
        port = free_port()
        env.update(
            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
            TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
            TELEGRAM_WEBHOOK_PORT=str(port),
        )
    bot = Bot(zygote, ["run"], env, tmp_path / "bot.log")
    spacing = 1 if mode == "polling" else 2  # webhook: every other turn (and the last one)
    jitter = random.Random(2026)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        bilans_before = connection.execute("SELECT count(*) FROM bilans").fetchone()[0]
    bot.start()
    try:
        async with emulator.user(TOKEN, user_id=TRAINER, first_name="Camille") as camille:
            for number, turn in enumerate(turns):
                phase = PHASES[number // spacing % len(PHASES)]
                if turn is turns[-1]:
                    phase = "first reply"  # the turn of the documents, killed while it sends
                before = counts(path)
                last = max((m.message_id for m in await camille.bot_messages()), default=0)
                await act(camille, turn)
                if number % spacing == 0 or turn is turns[-1]:
                    await reach(phase, path, before, replied(camille, last), jitter)
                    bot.kill()
                    bot.start()
                await camille.wait_until(
                    arrived(turn, last), 60, what=f"turn {number} ({turn.text!r}) answered"
                )
            messages = await camille.wait_until(
                lambda ms: sum(1 for m in ms if m.document) >= 3, 30, what="the bilan's documents"
            )
            # Let the last replies be marked sent before the clean stop.
            await until(lambda: pending(path) == 0, 30, "every update done")
    finally:
        bot.stop()

    assert bot.kills == len(range(0, len(turns), spacing)) + (len(turns) - 1) % spacing
    bodies = [m.body for m in messages]
    assert not [b for b in bodies if "plus ancien" in b or "erreur" in b.lower()]
    names = [m.document["file_name"] for m in messages if m.document]
    assert any(n.endswith(".ics") for n in names) and any(n.endswith(".pdf") for n in names)
    assert any("t.me/" in b and "start=" in b for b in bodies)  # an invitation's deep link

    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.sessions() as session:
            formations = (
                await session.scalars(
                    select(Formation).where(Formation.title == "Cuisine du monde")
                )
            ).all()
            assert [(f.funder, f.mode, f.certifying) for f in formations] == [
                ("normandie", "dates", False)
            ]
            assert [(t.full_name, t.is_delegate) for t in formations[0].trainees] == [
                ("Ben Kaci", True),  # by surname: Kaci, Lopes, Roy
                ("Ana Lopes", False),
                ("Chloé Roy", False),
            ]
            bilans = (await session.scalars(select(Bilan))).all()
            assert len(bilans) == bilans_before + 1
    finally:
        await database.dispose()
    # Exactly what the same flows did without kills, table by table.
    assert await what_was_done(path) == await what_was_done(tmp_path / "reference" / "formabot.db")
    # Every update the person sent was recorded once, handled once and answered.
    with contextlib.closing(sqlite3.connect(path)) as connection:
        inbox = connection.execute("SELECT status, count(*) FROM inbox GROUP BY status").fetchall()
        events = connection.execute(
            "SELECT count(*), count(delivered_at) FROM processed_events WHERE platform='telegram'"
        ).fetchone()
    assert inbox == [("done", len(turns))]
    assert events == (len(turns), len(turns))


def pending(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path, timeout=10)) as connection:
        return int(
            connection.execute("SELECT count(*) FROM inbox WHERE status != 'done'").fetchone()[0]
        )


async def reach(
    phase: str,
    path: Path,
    before: tuple[int, int],
    first_reply: Callable[[], Awaitable[object]],
    jitter: random.Random,
) -> None:
    """Return when the turn reached ``phase`` (or after 20 s, wherever it is)."""
    with contextlib.suppress(TimeoutError):
        if phase == "sent":
            await asyncio.sleep(jitter.uniform(0, 0.05))
        elif phase == "recorded":
            await until(lambda: counts(path)[0] > before[0], 20, "recorded")
        elif phase == "committed":
            await until(lambda: counts(path)[1] > before[1], 20, "committed")
        else:  # "answered", "first reply": the turn's first reply is visible
            await first_reply()
        await asyncio.sleep(jitter.uniform(0, 0.01))


# --- the console -------------------------------------------------------------------------


class Pipe:
    """The write end of the console's standard input (a FIFO), reopened at each start."""

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.fd: int | None = None

    async def open(self) -> None:
        self.fd = await asyncio.to_thread(os.open, self.path, os.O_WRONLY)

    def write(self, line: str) -> None:
        assert self.fd is not None
        os.write(self.fd, (line + "\n").encode())

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


def typed(turn: Turn) -> str:
    """A turn as typed in the terminal: a button is its label; a line ending with \\ goes on."""
    return turn.text.replace("\n", "\\\n")


async def test_the_console_killed_at_every_turn_of_four_whole_flows(
    zygote: Zygote, tmp_path: Path
) -> None:
    """A line counts as received once the console wrote it down (it then echoes it);
    one the bot was killed before writing down is typed again after the restart."""
    today = datetime.now(PARIS).date()
    turns = await generated_turns(tmp_path / "reference", today, ON_THE_CONSOLE, None)
    path = await demo_database(tmp_path, today, telegram_user=None)
    log = tmp_path / "console.log"
    log.touch()
    bot = Bot(zygote, ["console", "--as", demo.DEMO_USER], environment(tmp_path), log)
    pipe = Pipe(tmp_path / "stdin")
    jitter = random.Random(1789)
    retyped = 0

    def shown_after(offset: int, text: str) -> Callable[[], bool]:
        return lambda: text in log.read_text(encoding="utf-8")[offset:]

    bot.start(stdin=pipe.path)
    await pipe.open()
    try:
        for number, turn in enumerate(turns):
            phase = PHASES[number % len(PHASES)]
            before = counts(path)
            offset = len(log.read_text(encoding="utf-8"))
            pipe.write(typed(turn))
            answered = shown_after(offset, turn.expect)
            await reach(phase, path, before, partial(until, answered, 20, "answered"), jitter)
            bot.kill()
            pipe.close()
            bot.start(stdin=pipe.path)
            await pipe.open()
            if counts(path)[0] == before[0]:  # never written down: typed again
                retyped += 1
                pipe.write(typed(turn))
            await until(
                shown_after(offset, turn.expect), 60, f"turn {number} ({turn.text!r}) answered"
            )
        pipe.close()  # end of input: the console stops by itself
        await until(lambda: not bot.child or not bot.child.alive, 30, "the console ended")
    finally:
        pipe.close()
        bot.stop()

    transcript = log.read_text(encoding="utf-8")
    assert "Traceback" not in transcript and "plus ancien" not in transcript
    assert transcript.count("[document]") >= 3  # .ics, agenda and e-mail, after the kill
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.sessions() as session:
            formations = (
                await session.scalars(
                    select(Formation).where(Formation.title == "Cuisine du monde")
                )
            ).all()
            assert [(f.funder, f.mode) for f in formations] == [("normandie", "dates")]
            assert [t.full_name for t in formations[0].trainees] == [
                "Ben Kaci",  # by surname: Kaci, Lopes, Roy
                "Ana Lopes",
                "Chloé Roy",
            ]
    finally:
        await database.dispose()
    assert await what_was_done(path) == await what_was_done(tmp_path / "reference" / "formabot.db")
    with contextlib.closing(sqlite3.connect(path)) as connection:
        inbox = connection.execute("SELECT status, count(*) FROM inbox GROUP BY status").fetchall()
        events = connection.execute(
            "SELECT count(*), count(delivered_at) FROM processed_events WHERE platform='console'"
        ).fetchone()
    assert inbox == [("done", len(turns))]  # each line once, retyped ones included
    assert events == (len(turns), len(turns))
    assert bot.kills == len(turns) and retyped < len(turns)


async def test_the_bot_api_unreachable_at_start_is_waited_for(
    zygote: Zygote, tmp_path: Path
) -> None:
    """``formabot run`` with Telegram down: it keeps trying, then answers once it is up."""
    port = free_port()
    log = tmp_path / "bot.log"
    env = environment(tmp_path, TELEGRAM_TOKEN=TOKEN, TELEGRAM_BASE_URL=f"http://127.0.0.1:{port}")
    bot = Bot(zygote, ["run"], env, log)
    bot.start()
    try:
        await until(lambda: log.exists() and "retrying" in log.read_text(), 30, "a retry")
        await asyncio.sleep(1.0)
        assert bot.child is not None and bot.child.alive
        emulator = await asyncio.to_thread(launch_emulator, port=port)
        try:
            async with emulator.user(TOKEN, user_id=TRAINER) as someone:
                sent = await someone.send_command("/aide")
                await someone.wait_until(
                    lambda ms: any(m.message_id > sent.message_id for m in ms), 60, what="/aide"
                )
        finally:
            await emulator.stop()
    finally:
        bot.stop()
    # Down again at the next start: a SIGTERM during the wait stops it cleanly.
    offset = len(log.read_text())
    bot.start()
    await until(lambda: "getMe failed" in log.read_text()[offset:], 30, "a second wait")
    assert bot.child is not None
    bot.child.kill(15)
    bot.child.wait_gone(15)
    assert "Traceback" not in log.read_text()
