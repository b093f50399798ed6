"""How long a Telegram user waits for formabot's reply, and how many replies per second it sustains.

    .venv/bin/python -m bench.telegram [--messages 300] [--users 50] [--per-user 10]
                                       [--pause 0.05] [--poll-interval 0] [--no-unlimited]

Everything runs on loopback: the ``telegram-test-api`` emulator (``peers/telegram``,
``npm ci --prefix peers/telegram`` once), and the real
:class:`bot.transports.telegram.TelegramTransport` (python-telegram-bot, long
polling, ``AIORateLimiter``) with a real :class:`bot.engine.Engine` on a fresh
SQLite file in a temporary folder (migrated, the demo organisation, and one
formateur per simulated person). The bot runs in its own process, as with
``formabot run``, so the simulated people never share its event loop.

Every person plays the same cycle: ``/aide``, ``/formation``, a title, three
button presses (kind, funder, mode), typed dates, ``/annuler``; each message
waits for its reply (the expected words in a new bot message) before the next.
People talk to the emulator's user side over one keep-alive HTTP connection
each (0.5 ms a round trip on loopback, a third of an httpx client's).

1. Latency: one person, ``--messages`` messages one after the other, ``--pause``
   seconds between a reply and the next message (back to back, one person
   alone exceeds the limiter's 30 calls/s and the queue would be measured
   instead of the bot); one warm-up cycle first, not counted. Timed from the
   moment the user-side POST that sends the message returns to the moment a
   poll of the emulator's cheapest user route (``/getUpdates``: the chat's
   unread bot messages, straight from its store) shows the reply; the poll
   period, i.e. the granularity, is printed with the figures.
2. Throughput: ``--users`` people at once, ``--per-user`` messages each, as
   fast as the bot answers; total replies / wall time. Run with the real
   rate limiter, then (unless ``--no-unlimited``) with a bench-only variant:
   the same transport whose bot gets an ``AIORateLimiter`` without caps
   (RetryAfter handling kept), to tell whether the limiter is what bounds it.
   Nothing in ``bot/`` is changed or patched.

This is a script for people, not a test: the suite never times anything.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from bot.transports.telegram import TelegramTransport

TOKEN = "4242:FORMABOT-bench"
LATENCY_USER = 1001
"""The person of the latency run; throughput run ``k`` uses ``10000 * (k + 1) + i``."""
THROUGHPUT_RUNS = 2
LATENCY_POLL = 0.001
"""Pause between two polls while one person waits for a reply (latency run)."""
PAUSE = 0.05
"""Default pause of the latency person between a reply and their next message: one
person typing back to back would send more than the limiter's 30 calls/s alone
and measure the limiter's queue instead of the bot."""
THROUGHPUT_POLL = 0.05
"""Pause between two polls of each person's chat (throughput run): the bot is
kept busy by the others meanwhile, so this does not bound the rate."""
REPLY_TIMEOUT = 60.0
TELEGRAM_RATE = 30
"""AIORateLimiter's default overall cap, Telegram's: 30 calls with a chat_id per second."""
WARMUP = 8


@dataclass(frozen=True)
class Step:
    kind: str  # "command", "text" or "press" (the label of a button of the last reply)
    value: str
    expect: str  # words of the bot message that answers it


def cycle() -> tuple[Step, ...]:
    year = date.today().year + 1
    return (
        Step("command", "/aide", "Voici ce que je sais faire"),
        Step("command", "/formation", "intitulé"),
        Step("text", "Agent de restauration", "De quoi s'agit-il"),
        Step("press", "Une formation", "Qui la finance"),
        Step("press", "Région Normandie", "organisé"),
        Step("press", "De date à date", "dates"),
        Step("text", f"du 2 mars au 15 juin {year}", "C'est bien ça"),
        Step("command", "/annuler", "annulé"),
    )


# --- the database -----------------------------------------------------------------------------


def user_ids(users: int) -> list[int]:
    ids = [LATENCY_USER]
    for run in range(THROUGHPUT_RUNS):
        ids += [10000 * (run + 1) + i for i in range(users)]
    return ids


async def prepare_database(url: str, ids: Sequence[int]) -> None:
    """Migrate, fill the demo organisation, and make every Telegram id a formateur of it."""
    from bot import demo
    from bot.storage.db import Database
    from bot.storage.people import ChatIdentity, Membership, Person, Role

    db = Database(url)
    await db.migrate()
    async with db.sessions() as session, session.begin():
        organisation = await demo.fill(session, today=date.today())
        for telegram_id in ids:
            person = Person(display_name=f"Formateur {telegram_id}")
            session.add(person)
            await session.flush()
            session.add(
                ChatIdentity(
                    person_id=person.id,
                    platform="telegram",
                    user_id=str(telegram_id),
                    chat_id=str(telegram_id),
                )
            )
            session.add(
                Membership(
                    organisation_id=organisation.id,
                    person_id=person.id,
                    role=Role.FORMATEUR.value,
                )
            )
    await db.dispose()


# --- the bot, in its own process --------------------------------------------------------------


def remove_caps(transport: TelegramTransport) -> None:
    """Bench-only variant: the same transport, its bot's limiter without any cap.

    ``TelegramTransport`` is constructed as in production; only the rate limiter
    its ``ExtBot`` holds is swapped for one with ``overall_max_rate=0`` and
    ``group_max_rate=0`` (no throttling; RetryAfter still honoured, 3 retries).
    """
    from telegram.ext import AIORateLimiter

    bot = transport.app.bot
    if not isinstance(getattr(bot, "_rate_limiter", None), AIORateLimiter):
        raise RuntimeError("python-telegram-bot changed: no AIORateLimiter to swap on the bot")
    bot._rate_limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)


async def serve_bot(args: argparse.Namespace) -> int:
    """The child process: the real transport until SIGTERM, then a clean stop."""
    import telegram

    from bot.app import build_engine
    from bot.config import Settings
    from bot.storage.db import Database
    from bot.transports.telegram import TelegramTransport

    logging.basicConfig(level=logging.WARNING, format="bot process: %(levelname)s %(message)s")
    settings = Settings(
        database_url=args.database_url,
        data_dir=Path(args.data_dir),
        telegram_token=TOKEN,
        telegram_base_url=args.base_url,
        telegram_poll_interval=args.poll_interval,
    )
    db = Database(settings.database_url)
    transport = TelegramTransport(settings, build_engine(db, settings))
    if args.limiter == "off":
        remove_caps(transport)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await transport.start()
    info = {
        "ready": True,
        "ptb": telegram.__version__,
        "limiter": type(transport.app.bot.rate_limiter).__name__,
        "concurrent_updates": transport.inbox.concurrency,
        "poll_interval": transport.poll_interval,
    }
    print(json.dumps(info), flush=True)
    await stop.wait()
    await transport.stop()
    await db.dispose()
    print(json.dumps({"stopped": True}), flush=True)
    return 0


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    info: dict[str, Any]
    stopped_cleanly: bool = False

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.process.pid)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.asynccontextmanager
async def bot_process(
    base_url: str, database_url: str, data_dir: Path, *, limiter: bool, poll_interval: float
) -> AsyncIterator[BotProcess]:
    command = [sys.executable, "-m", "bench.telegram", "--serve-bot"]
    command += ["--base-url", base_url, "--database-url", database_url]
    command += ["--data-dir", str(data_dir), "--limiter", "on" if limiter else "off"]
    command += ["--poll-interval", str(poll_interval)]
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL
    )
    assert process.stdout is not None
    bot = BotProcess(process, {})
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        if not line:
            raise RuntimeError(
                f"the bot process exited ({await process.wait()}) before it was ready"
            )
        bot.info = json.loads(line)
        yield bot
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            rest = await asyncio.wait_for(process.stdout.read(), 30)
            code = await asyncio.wait_for(process.wait(), 30)
            bot.stopped_cleanly = code == 0 and b'"stopped"' in rest
        except TimeoutError:
            process.kill()
            await process.wait()
        if not bot.stopped_cleanly:
            print(f"the bot process did not stop cleanly ({process.returncode})", file=sys.stderr)


# --- a person, on the user side of the emulator -----------------------------------------------


class Link:
    """One keep-alive HTTP/1.1 connection to the emulator for JSON POSTs.

    About three times cheaper per call than an ``httpx`` client (0.5 ms against
    1.7 ms a round trip here), which keeps the polls fine-grained and leaves the
    CPU to the bot.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, payload: dict[str, Any]) -> Any:
        body = json.dumps(payload).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        for attempt in (1, 2):
            if self.reader is None or self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.writer.write(request)
            try:
                head = await self.reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                await self.close()
                # An idle keep-alive connection the server closed: nothing was read.
                partial = getattr(exc, "partial", b"")
                if attempt == 2 or partial:
                    raise
                continue
            status, *headers = head.decode("latin-1").split("\r\n")
            length = next(
                (
                    int(h.split(":", 1)[1])
                    for h in headers
                    if h.lower().startswith("content-length:")
                ),
                None,
            )
            if length is None:
                raise RuntimeError(f"{path}: no Content-Length in the answer ({status})")
            answer = json.loads(await self.reader.readexactly(length))
            if " 200 " not in f"{status} " or not answer.get("ok", False):
                raise RuntimeError(f"{path}: {status} {answer}")
            return answer.get("result")
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


@dataclass
class User:
    """One Telegram user; sends through the emulator, sees replies through ``/getUpdates``."""

    port: int
    telegram_id: int
    poll_every: float
    link: Link = field(init=False)
    keyboard: tuple[int, list[list[dict[str, Any]]]] | None = None
    polls: int = 0
    poll_seconds: float = 0.0
    limiter_calls: int = 0
    latencies: list[tuple[str, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.link = Link(self.port)

    def envelope(self, **fields: Any) -> dict[str, Any]:
        user = {"id": self.telegram_id, "is_bot": False, "first_name": f"F{self.telegram_id}"}
        chat = {"id": self.telegram_id, "type": "private", "first_name": user["first_name"]}
        return {"botToken": TOKEN, "from": user, "chat": chat, **fields}

    async def send(self, step: Step) -> None:
        if step.kind == "command":
            await self.link.post("/sendCommand", self.envelope(text=step.value))
        elif step.kind == "text":
            await self.link.post("/sendMessage", self.envelope(text=step.value))
        else:
            if self.keyboard is None:
                raise RuntimeError(f"no buttons to press {step.value!r}")
            message_id, rows = self.keyboard
            data = next(
                (b["callback_data"] for row in rows for b in row if step.value in b["text"]),
                None,
            )
            if data is None:
                labels = [b["text"] for row in rows for b in row]
                raise RuntimeError(f"no button {step.value!r} among {labels}")
            payload = self.envelope(data=data, message_id=message_id)
            await self.link.post("/sendCallback", payload)
            self.limiter_calls += 1  # the pressed question is edited (editMessageText)

    async def unread(self) -> list[dict[str, Any]]:
        """The bot's messages to this chat not seen yet (the emulator's own user route,
        which only filters its store: no formatting, only what is new)."""
        began = time.perf_counter()
        result = await self.link.post("/getUpdates", {"token": TOKEN, "chatId": self.telegram_id})
        self.polls += 1
        self.poll_seconds += time.perf_counter() - began
        return list(result or [])

    async def wait_reply(self, step: Step) -> None:
        deadline = time.monotonic() + REPLY_TIMEOUT
        seen: list[str] = []
        while True:
            for record in await self.unread():
                message = record.get("message") or {}
                text = str(message.get("text") or message.get("caption") or "")
                seen.append(text[:60])
                self.limiter_calls += 1  # one sendMessage
                rows = (message.get("reply_markup") or {}).get("inline_keyboard")
                if rows:
                    self.keyboard = (int(record["messageId"]), rows)
                if step.expect in text:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"user {self.telegram_id}: no reply with {step.expect!r} to {step.value!r} "
                    f"within {REPLY_TIMEOUT:g} s; seen {seen}"
                )
            await asyncio.sleep(self.poll_every)

    async def say(self, step: Step) -> float:
        """Send one step and wait for its reply; returns the seconds waited after the POST."""
        await self.send(step)
        sent = time.perf_counter()
        await self.wait_reply(step)
        return time.perf_counter() - sent

    async def play(self, count: int, *, record: bool = True, pause: float = 0.0) -> None:
        steps = cycle()
        try:
            for index in range(count):
                step = steps[index % len(steps)]
                waited = await self.say(step)
                if record:
                    self.latencies.append((step.kind, waited))
                if pause:
                    await asyncio.sleep(pause)
        finally:
            await self.link.close()


def percentile(values: Sequence[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# --- the two measures ---------------------------------------------------------------------------


@dataclass
class Latency:
    person: User
    pause: float
    bot_cpu: float
    emulator_cpu: float
    seconds: float


async def measure_latency(
    port: int, messages: int, pause: float, bot: BotProcess, emulator_pid: int
) -> Latency:
    person = User(port, LATENCY_USER, LATENCY_POLL)
    await person.play(WARMUP, record=False, pause=pause)
    person.polls, person.poll_seconds = 0, 0.0
    cpu_bot, cpu_emulator = bot.cpu_seconds(), cpu_seconds(emulator_pid)
    began = time.perf_counter()
    await person.play(messages, pause=pause)
    seconds = time.perf_counter() - began
    return Latency(
        person,
        pause,
        bot.cpu_seconds() - cpu_bot,
        cpu_seconds(emulator_pid) - cpu_emulator,
        seconds,
    )


@dataclass
class Throughput:
    users: int
    per_user: int
    replies: int
    seconds: float
    limiter_calls: int
    bot_cpu: float
    emulator_cpu: float
    users_cpu: float
    polls: int
    waits: list[float]

    @property
    def rate(self) -> float:
        return self.replies / self.seconds

    @property
    def call_rate(self) -> float:
        return self.limiter_calls / self.seconds


async def measure_throughput(
    port: int, run: int, users: int, per_user: int, bot: BotProcess, emulator_pid: int
) -> Throughput:
    people = [User(port, 10000 * (run + 1) + i, THROUGHPUT_POLL) for i in range(users)]
    cpu_bot, cpu_emulator = bot.cpu_seconds(), cpu_seconds(emulator_pid)
    cpu_self = time.process_time()
    began = time.perf_counter()
    await asyncio.gather(*(p.play(per_user) for p in people))
    seconds = time.perf_counter() - began
    return Throughput(
        users=users,
        per_user=per_user,
        replies=sum(len(p.latencies) for p in people),
        seconds=seconds,
        limiter_calls=sum(p.limiter_calls for p in people),
        bot_cpu=bot.cpu_seconds() - cpu_bot,
        emulator_cpu=cpu_seconds(emulator_pid) - cpu_emulator,
        users_cpu=time.process_time() - cpu_self,
        polls=sum(p.polls for p in people),
        waits=[w for p in people for _, w in p.latencies],
    )


# --- reporting ------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def share(cpu: float, seconds: float) -> str:
    return f"{cpu / seconds:.0%}" if seconds > 0 and cpu == cpu else "?"  # nan: no /proc


def at_cap(result: Throughput) -> bool:
    """Calls through the limiter at (90 % of) its rate or more, over the whole run."""
    return result.call_rate >= 0.9 * TELEGRAM_RATE


def describe_latency(result: Latency) -> list[str]:
    person = result.person
    waits = [w for _, w in person.latencies]
    granularity = sum(waits) / max(1, person.polls)
    lines = [
        f"telegram latency: {len(waits)} messages, p50 {ms(percentile(waits, 50))}, "
        f"p95 {ms(percentile(waits, 95))}, max {ms(max(waits))}",
    ]
    kinds = []
    for kind, label in (("command", "commands"), ("text", "typed"), ("press", "buttons")):
        some = [w for k, w in person.latencies if k == kind]
        if some:
            kinds.append(
                f"{label} ({len(some)}) p50 {ms(percentile(some, 50))}, "
                f"p95 {ms(percentile(some, 95))}"
            )
    lines.append("telegram latency by kind: " + "; ".join(kinds))
    lines.append(
        f"telegram latency method: one person, {WARMUP} warm-up messages not counted, "
        f"{result.pause * 1000:g} ms between a reply and the next message; timed from the "
        f"user-side POST returning to the reply seen by polling the emulator's /getUpdates "
        f"(round trip {ms(person.poll_seconds / max(1, person.polls))}, then a "
        f"{LATENCY_POLL * 1000:g} ms pause: one poll every {ms(granularity)}, the granularity); "
        f"bot process {share(result.bot_cpu, result.seconds)} of a core, emulator "
        f"{share(result.emulator_cpu, result.seconds)}"
    )
    return lines


def describe_throughput(result: Throughput, *, limiter: bool) -> str:
    name = "telegram throughput" if limiter else "telegram throughput without limiter (bench only)"
    line = (
        f"{name}: {result.users} users x {result.per_user} messages, {result.replies} replies "
        f"in {result.seconds:.1f} s = {result.rate:.0f} replies/s"
    )
    detail = f"{result.limiter_calls} sendMessage/editMessageText calls = {result.call_rate:.0f}/s"
    if limiter:
        detail += f", {'at' if at_cap(result) else 'below'} the limiter's {TELEGRAM_RATE}/s"
    detail += (
        f"; wait per reply p50 {ms(percentile(result.waits, 50))}, "
        f"p95 {ms(percentile(result.waits, 95))}; CPU: bot process "
        f"{share(result.bot_cpu, result.seconds)} of a core, emulator "
        f"{share(result.emulator_cpu, result.seconds)}, simulated users "
        f"{share(result.users_cpu, result.seconds)}"
    )
    return f"{line} ({detail})"


def verdict(limited: Throughput, free: Throughput | None) -> str:
    bounded = at_cap(limited)
    if free is None:
        if bounded:
            return (
                f"telegram throughput is bounded by the rate limiter "
                f"({limited.call_rate:.0f} calls/s against its {TELEGRAM_RATE}/s)"
            )
        return (
            f"telegram throughput is not bounded by the rate limiter "
            f"({limited.call_rate:.0f} calls/s against its {TELEGRAM_RATE}/s)"
        )
    gain = free.rate / limited.rate
    if bounded and gain > 1.1:
        return (
            f"telegram throughput is bounded by the rate limiter ({limited.call_rate:.0f} "
            f"calls/s against its {TELEGRAM_RATE}/s): without it the same bot answers "
            f"{free.rate:.0f} replies/s ({gain:.1f}x, {free.call_rate:.0f} calls/s, more "
            f"than Telegram accepts), {ms(free.seconds / free.replies)} per message, updates "
            f"being handled one after the other"
        )
    return (
        f"telegram throughput is not bounded by the rate limiter ({limited.call_rate:.0f} "
        f"calls/s against its {TELEGRAM_RATE}/s; without it {free.rate:.0f} replies/s, "
        f"{gain:.2f}x): the bot itself is the bound"
    )


# --- main -------------------------------------------------------------------------------------------


def describe_setup(info: dict[str, Any], args: argparse.Namespace) -> str:
    at_once = info["concurrent_updates"]
    return (
        f"telegram setup: telegram-test-api emulator on loopback (127.0.0.1); the real "
        f"TelegramTransport (python-telegram-bot {info['ptb']}) in its own process, long "
        f"polling, poll interval {info['poll_interval']:g} s, {info['limiter']} on (Telegram's "
        f"{TELEGRAM_RATE} calls/s overall), updates handled "
        f"{'one' if at_once == 1 else at_once} people at a time (through the inbox); "
        f"SQLite (WAL) in a temporary folder, the demo organisation and "
        f"{1 + THROUGHPUT_RUNS * args.users} formateurs; every message waits for its reply "
        f"(cycle /aide, /formation, title, 3 buttons, dates, /annuler); throughput users "
        f"poll their chat every {THROUGHPUT_POLL * 1000:g} ms"
    )


async def bench(args: argparse.Namespace) -> int:
    from tests.auxil.telegram_emulator import run_emulator

    began = time.perf_counter()
    load = os.getloadavg()[0]
    clean: list[bool] = []
    os.environ.setdefault("TELEGRAM_PEER_QUIET", "1")
    with tempfile.TemporaryDirectory(prefix="formabot-bench-telegram-") as tmp:
        folder = Path(tmp)
        database_url = f"sqlite+aiosqlite:///{folder / 'formabot.db'}"
        await prepare_database(database_url, user_ids(args.users))
        async with run_emulator() as emulator:
            node = emulator.process.pid

            def bot(limiter: bool) -> contextlib.AbstractAsyncContextManager[BotProcess]:
                return bot_process(
                    emulator.url,
                    database_url,
                    folder,
                    limiter=limiter,
                    poll_interval=args.poll_interval,
                )

            async with bot(limiter=True) as limited_bot:
                print(describe_setup(limited_bot.info, args), flush=True)
                latency = await measure_latency(
                    emulator.port, args.messages, args.pause, limited_bot, node
                )
                for line in describe_latency(latency):
                    print(line, flush=True)
                await asyncio.sleep(1.5)  # the limiter's bucket empties: no head start
                limited = await measure_throughput(
                    emulator.port, 0, args.users, args.per_user, limited_bot, node
                )
                print(describe_throughput(limited, limiter=True), flush=True)
            clean.append(limited_bot.stopped_cleanly)
            await emulator.reset(TOKEN)
            free = None
            if not args.no_unlimited:
                async with bot(limiter=False) as free_bot:
                    free = await measure_throughput(
                        emulator.port, 1, args.users, args.per_user, free_bot, node
                    )
                    print(describe_throughput(free, limiter=False), flush=True)
                clean.append(free_bot.stopped_cleanly)
            print(verdict(limited, free), flush=True)
        emulator_stopped = not emulator.running
    print(
        f"total {time.perf_counter() - began:.0f} s, python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load before the start {load:.1f}; bot process(es) stopped "
        f"{'cleanly' if all(clean) else 'NOT cleanly'}, emulator "
        f"{'stopped' if emulator_stopped else 'NOT stopped'}"
    )
    return 0 if all(clean) and emulator_stopped else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--messages", type=int, default=300, help="messages of the latency run (default 300)"
    )
    parser.add_argument(
        "--users", type=int, default=50, help="people at once in the throughput run (default 50)"
    )
    parser.add_argument(
        "--per-user", type=int, default=10, help="messages per person, throughput (default 10)"
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=0.0,
        help="the bot's pause between two getUpdates (default 0, as TELEGRAM_POLL_INTERVAL)",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=PAUSE,
        help=f"latency run: seconds between a reply and the next message (default {PAUSE:g})",
    )
    parser.add_argument(
        "--no-unlimited", action="store_true", help="skip the throughput run without limiter"
    )
    parser.add_argument("--serve-bot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--limiter", choices=("on", "off"), default="on", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bot:
        return asyncio.run(serve_bot(args))
    if args.messages < 1 or args.users < 1 or args.per_user < 1:
        parser.error("--messages, --users and --per-user must be at least 1")
    if args.users >= 10000:
        parser.error("--users must be below 10000")
    try:
        return asyncio.run(bench(args))
    except KeyboardInterrupt:
        print("interrupted; the bot process and the emulator were stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
