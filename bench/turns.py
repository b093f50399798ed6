"""How many dialogue turns per second the engine handles, next to plain python-telegram-bot.

    .venv/bin/python -m bench.turns [--turns 3000] [--users 20] [--rounds 2] [--ptb-send]
        [--tracemalloc] [--cold]
    .venv/bin/python -m bench.turns --profile FILE [--turns 3000]

Every run replays the full ``/formation`` dialogue (title, kind, funder, mode,
dates, confirm, certifying, length, chargé(e) de mission and e-mail, trainees,
one delegate, « Terminé », « Enregistrer »: 15 turns) as many times as needed,
once with one turn at a time and once with ``--users`` people talking at once.

- formabot: a fresh SQLite file, migrated, with the demo organisation and
  ``--users`` formateurs; :class:`bot.engine.Engine` gets :class:`Incoming`
  messages and buttons are pressed by reading :attr:`Reply.choices`.
- python-telegram-bot: a ``ConversationHandler`` with ``PicklePersistence``
  and the same 13 states, driven offline by ``Application.process_update``
  (a dummy token, a request class returning canned JSON), first with the
  default periodic flush, then made durable after every turn.
- the floor: what SQLite alone takes for a turn's three statements and its
  commit, with bare ``sqlite3`` (:func:`run_floor`).

Each run is a fresh subprocess, so its peak RSS is its own, and plays one
untimed dialogue first (:func:`warm_up`; ``--cold`` does not); the seven runs are
repeated ``--rounds`` times, every other round in reverse order (A/B
alternation on a shared machine), and the round with the median rate is
shown: turns/s, p50/p95, CPU milliseconds per turn (the process's CPU time,
every thread), split for sequential runs between the question turns and
the saving one, and, for formabot, SQL statements per turn. This is a script
for people, not a test: the suite never times anything.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import html
import itertools
import json
import logging
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot import dates
from bot.answers import Invalid, clean_line, fold
from bot.app import build_engine

# telegram is imported where it is used, so the engine's process never loads it.
if TYPE_CHECKING:
    from telegram import Update
    from telegram.ext import Application, ContextTypes

    from bot.engine import Engine
    from bot.messages import Reply

# The happy path of /formation: (say a text | press the button whose label contains it).
DIALOGUE: tuple[tuple[str, str], ...] = (
    ("say", "/formation"),
    ("say", "Agent de restauration"),
    ("press", "Une formation"),
    ("press", "Région Normandie"),
    ("press", "De date à date"),
    ("say", "du 1er décembre 2026 au 15 juin 2027"),
    ("press", "Oui"),
    ("press", "Oui"),
    ("press", "Longue"),
    ("say", "Mme Sophie Leroy"),
    ("say", "sophie.leroy@example.org"),
    ("say", "Marie Dupont ; Boulangerie Martin\nKarim Benali\nJulie Petit"),
    ("press", "Marie Dupont"),
    ("press", "Terminé"),
    ("press", "Enregistrer"),
)
REPLAYED_TITLE = DIALOGUE[1][1]
"""Numbered in each replay (« Agent de restauration 12 »): the same formation saved twice is
refused as a twin (bot.formations.service.same_formation), on both sides alike."""


def replayed(number: int | str) -> tuple[tuple[str, str], ...]:
    """:data:`DIALOGUE` with its title numbered, one formation per replay."""
    return tuple((k, f"{v} {number}" if v == REPLAYED_TITLE else v) for k, v in DIALOGUE)


SAVED = "enregistré"
"""What the last reply of a successful dialogue says, on both sides."""

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
"""A fixed now, so the dates of the dialogue are always in the future."""

ROOT = Path(__file__).resolve().parent.parent

VARIANTS = {
    "engine-seq": "engine sequential",
    "engine-conc": "engine {users} concurrent users",
    "ptb-periodic-seq": "ptb periodic flush, sequential",
    "ptb-periodic-conc": "ptb periodic flush, {users} concurrent users",
    "ptb-durable-seq": "ptb flush every turn, sequential",
    "ptb-durable-conc": "ptb flush every turn, {users} concurrent users",
    "sqlite-floor": "bare sqlite3: a turn's 3 statements and its commit, sequential",
}


@dataclass
class Result:
    variant: str
    turns: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    retries: int = 0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    traced_peak_mb: float | None = None
    cpu_seconds: float = 0.0
    """Process CPU time (every thread) while the turns ran."""
    statements: int | None = None
    """SQL statements sent while the turns ran (formabot; BEGIN and COMMIT not counted)."""
    commit_cpu_ms: float | None = None
    """The floor's commit alone: its turn's CPU minus that of the same turn rolled back."""
    saving_turns: int = 0
    saving_cpu_seconds: float = 0.0
    """The CPU of the dialogues' last turns (« Enregistrer »: the formation is saved)."""

    @property
    def rate(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / self.turns if self.turns else 0.0

    @property
    def question_cpu_ms(self) -> float:
        """CPU per turn but the saving ones: a question answered and the next one asked."""
        questions = self.turns - self.saving_turns
        return (self.cpu_seconds - self.saving_cpu_seconds) * 1000 / questions if questions else 0

    @property
    def saving_cpu_ms(self) -> float:
        return self.saving_cpu_seconds * 1000 / self.saving_turns if self.saving_turns else 0.0

    @property
    def statements_per_turn(self) -> float | None:
        return self.statements / self.turns if self.statements is not None and self.turns else None

    def percentile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]


# --- what both sides share -------------------------------------------------------------


def plan(turns: int, users: int) -> list[int]:
    """How many whole dialogues each user goes through: at least ``turns`` turns in all."""
    dialogues = max(1, -(-turns // len(DIALOGUE)))
    return [dialogues // users + (1 if i < dialogues % users else 0) for i in range(users)]


Turn = Callable[[int, str, str], Awaitable[bool]]
"""Play one turn for user number ``i`` (kind, value); ``False`` when the dialogue broke."""


async def drive(result: Result, turn: Turn, per_user: list[int], concurrent: bool) -> None:
    """Replay the dialogue, one turn at a time or one task per user, timing every turn."""
    latencies = result.latencies
    numbers = itertools.count(1)

    async def dialogue(user: int) -> None:
        for kind, value in replayed(next(numbers)):
            saving = value == DIALOGUE[-1][1]
            profiler = None if saving else PROFILER
            started, cpu = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            ok = await turn(user, kind, value)
            if profiler is not None:
                profiler.disable()
            latencies.append((time.perf_counter() - started) * 1000)
            if saving and not concurrent:  # else other turns run meanwhile
                result.saving_turns += 1
                result.saving_cpu_seconds += time.process_time() - cpu
            result.turns += 1
            if not ok:
                result.failures += 1
                return

    async def one_user(user: int) -> None:
        for _ in range(per_user[user]):
            await dialogue(user)

    started = time.perf_counter()
    if concurrent:
        await asyncio.gather(*(one_user(user) for user in range(len(per_user))))
    else:
        # The same users and dialogues, strictly one turn after the other.
        rounds = range(max(per_user))
        for user in [u for r in rounds for u in range(len(per_user)) if r < per_user[u]]:
            await dialogue(user)
    result.seconds = time.perf_counter() - started


PROFILER: cProfile.Profile | None = None
"""``--profile``: on around the question turns only (the saving turn has its own story)."""


WARM = True
"""Play one dialogue before the timing starts (``--cold``: do not), on every side."""


async def warm_up(turn: Turn) -> int:
    """One whole dialogue, untimed: what only a process's first dialogue pays.

    formabot loads a feature's dialogues on first use and Jinja compiles
    each template once (about a tenth of a second in all for /formation,
    0.05 ms on each of the 2,800 question turns of a 3,000-turn run);
    python-telegram-bot has its first-call costs too.  Neither is a cost
    per turn.  Returns the dialogues saved (1, or 0 with ``--cold``).
    """
    if not WARM:
        return 0
    for kind, value in replayed("0"):
        if not await turn(0, kind, value):
            raise RuntimeError(f"the warm-up dialogue broke at {value!r}")
    return 1


def rss_now_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- formabot ------------------------------------------------------------------------------


class RetryCounter(logging.Handler):
    """Counts the engine's "retrying event" lines (SQLite busy, stale version)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying"):
            self.count += 1


async def setup_engine(folder: Path, users: int) -> tuple[Engine, list[str]]:
    from bot import demo
    from bot.config import Settings
    from bot.storage.db import Database
    from bot.storage.people import ChatIdentity, Membership, Person, Role

    url = f"sqlite+aiosqlite:///{folder / 'formabot.db'}"
    db = Database(url)
    await db.migrate()
    names = [demo.DEMO_USER] + [f"bench{i}" for i in range(2, users + 1)]
    async with db.sessions() as session, session.begin():
        organisation = await demo.fill(session, today=NOW.date())
        for name in names[1:]:
            person = Person(display_name=f"Formateur {name}")
            session.add(person)
            await session.flush()
            session.add(
                ChatIdentity(person_id=person.id, platform="console", user_id=name, chat_id=name)
            )
            session.add(
                Membership(
                    organisation_id=organisation.id,
                    person_id=person.id,
                    role=Role.FORMATEUR.value,
                )
            )
    settings = Settings(database_url=url, data_dir=folder)
    return build_engine(db, settings, clock=lambda: NOW), names


async def run_engine(result: Result, per_user: list[int], concurrent: bool) -> None:
    from bot.messages import Incoming, Platform

    counter = RetryCounter()
    engine_log = logging.getLogger("bot.engine")
    engine_log.setLevel(logging.INFO)
    engine_log.addHandler(counter)
    engine_log.propagate = False

    with tempfile.TemporaryDirectory(prefix="formabot-bench-") as tmp:
        engine, names = await setup_engine(Path(tmp), len(per_user))
        last: dict[int, list[Reply]] = {}
        events = itertools.count(1)

        async def turn(user: int, kind: str, value: str) -> bool:
            name = names[user]
            text, choice = value, None
            if kind == "press":
                choice = find_choice(last.get(user, []), value)
                if choice is None:
                    return False
                text = ""
            incoming = Incoming(
                platform=Platform.CONSOLE,
                chat=name,
                user=name,
                event_id=f"bench-{next(events)}",
                text=text,
                choice=choice,
                display_name=name,
            )
            replies = await engine.handle(incoming)
            last[user] = replies
            if value == "Enregistrer":
                return any(SAVED in r.text for r in replies)
            return bool(replies)

        warmed = await warm_up(turn)
        sent = [0]

        def count(*_args: Any) -> None:
            sent[0] += 1

        from sqlalchemy import event

        event.listen(engine.db.engine.sync_engine, "before_cursor_execute", count)
        start(result)
        await drive(result, turn, per_user, concurrent)
        stop(result)
        event.remove(engine.db.engine.sync_engine, "before_cursor_execute", count)
        result.statements = sent[0]
        result.retries = counter.count
        saved = await saved_formations(engine)
        missing = abs(sum(per_user) + warmed + DEMO_FORMATIONS - saved)
        result.failures = max(result.failures, missing)
        await engine.db.dispose()


DEMO_FORMATIONS = 2


async def saved_formations(engine: Engine) -> int:
    """What is really in the database: one formation per dialogue, plus the demo's."""
    from sqlalchemy import func, select

    from bot.storage.formations import Formation

    async with engine.db.sessions() as session:
        return int(await session.scalar(select(func.count(Formation.id))) or 0)


def find_choice(replies: Sequence[Reply], label: str) -> str | None:
    """The data of the button whose label contains ``label``, in the latest replies."""
    wanted = label.casefold()
    for reply in reversed(replies):
        for choice in reply.choices:
            if wanted in choice.label.casefold():
                return choice.data
    return None


async def run_floor(result: Result, turns: int) -> None:
    """What SQLite alone takes for a turn: the floor under any durable turn.

    The statements the engine sends for a turn in the middle of the dialogue
    (:data:`~bot.storage.turn_rows.LOAD`, ``SAVE_STATE``, ``RECORD``, the SQL
    compiled from :mod:`bot.storage.turn_rows`, values through the same
    converters: JSON, dates), on the same freshly migrated file with the
    demo, replayed with bare ``sqlite3`` (WAL, ``synchronous=NORMAL``, as the
    engine's connection), each turn its own transaction: no step, no
    template, no SQLAlchemy.
    """
    import sqlite3

    from bot.messages import Incoming, Platform
    from bot.storage import turn_rows as rows

    with tempfile.TemporaryDirectory(prefix="formabot-floor-") as tmp:
        engine, names = await setup_engine(Path(tmp), 1)
        replies: list[Reply] = []
        for number, (kind, value) in enumerate(DIALOGUE[:3]):  # a state row, a draft
            replies = await engine.handle(
                Incoming(Platform.CONSOLE, names[0], names[0], f"setup-{number}", text=value)
                if kind == "say"
                else Incoming(
                    Platform.CONSOLE,
                    names[0],
                    names[0],
                    f"setup-{number}",
                    choice=find_choice(replies, value),
                )
            )
        dialect = engine.db.engine.dialect
        await engine.db.dispose()
        key = {"platform": "console", "chat": names[0], "user": names[0]}
        connection = sqlite3.connect(Path(tmp) / "formabot.db", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            connection.execute(f"PRAGMA {pragma}")
        load, save, record = (rows.Prepared.of(s, dialect) for s in rows.STATEMENTS)
        first = connection.execute(
            load.sql, load.values({**key, "event_platform": "console", "event": "x"})
        ).fetchall()
        row = load.row(first[0])
        state = {
            "new_flow": row["flow"],
            "new_step": row["step"],
            "new_data": row["data"],
            "new_expires_at": NOW,
            "new_updated_at": NOW,
            "state_id": row["state_id"],
        }
        said = [{"text": "De quoi s'agit-il ?", "choices": [["Une formation", "2|formation"]]}]
        sent = {"event_platform": "console", "processed_at": NOW, "event_replies": said}
        version = int(row["version"])

        def turn(end: str = "COMMIT") -> None:
            nonlocal version
            event = f"floor-{version}"
            connection.execute("BEGIN")
            connection.execute(load.sql, load.values({**key, **sent, "event": event})).fetchall()
            moved = connection.execute(
                save.sql,
                save.values({**state, "new_version": version + 1, "seen_version": version}),
            )
            assert moved.rowcount == 1
            connection.execute(record.sql, record.values({**sent, "event": event}))
            connection.execute(end)
            if end == "COMMIT":
                version += 1

        start(result)
        began = time.perf_counter()
        for _ in range(turns):
            started = time.perf_counter()
            turn()
            result.latencies.append((time.perf_counter() - started) * 1000)
        result.seconds = time.perf_counter() - began
        stop(result)
        result.turns, result.statements = turns, 3 * turns
        rolled_back = -time.process_time()
        for _ in range(turns):
            turn("ROLLBACK")
        rolled_back += time.process_time()
        result.commit_cpu_ms = (result.cpu_seconds - rolled_back) * 1000 / turns
        connection.close()


# --- python-telegram-bot -------------------------------------------------------------------

(
    TITLE,
    KIND,
    FUNDER,
    MODE,
    PERIOD,
    PERIOD_OK,
    CERTIFYING,
    LENGTH,
    CM_NAME,
    CM_EMAIL,
    TRAINEES,
    DELEGATES,
    RECAP,
) = range(13)

KINDS = {
    "formation": "Une formation",
    "bilan": "Un bilan de compétences",
    "vae": "Un accompagnement VAE",
}
FUNDERS = {
    "normandie": "Région Normandie",
    "cvl": "Région Centre-Val de Loire",
    "rectorat": "Rectorat (formation continue)",
    "autre": "Autre financeur",
}
MODES = {"dates": "De date à date (un groupe)", "esp": "Entrées et sorties permanentes"}
YES_NO = {"yes": "Oui", "no": "Non"}
LENGTHS = {"courte": "Courte", "longue": "Longue"}

Buttons = Sequence[tuple[str, str]]
"""(label, value) pairs; the callback data is ``state|value``, checked like formabot's."""


class PtbBot:
    """The same dialogue written the usual PTB way: one callback per state.

    Each callback checks and parses the answer, keeps it in ``context.user_data``,
    builds the next question (HTML-escaped, with its inline keyboard) and returns
    the next state. Replies are handed to the driver through :attr:`outbox`,
    as the engine returns :class:`Reply` objects; ``send=True`` also sends them
    through the (offline) Bot API, as a real PTB bot would.
    """

    def __init__(self, send: bool) -> None:
        self.send = send
        self.outbox: dict[int, tuple[str, Any]] = {}
        self.now = NOW.astimezone(ZoneInfo("Europe/Paris"))

    async def reply(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        state: int,
        text: str,
        buttons: Buttons = (),
    ) -> int:
        from telegram import InlineKeyboardButton, InlineKeyboardMarkup
        from telegram.constants import ParseMode

        markup = (
            InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(label, callback_data=f"{state}|{value}")]
                    for label, value in buttons
                ]
            )
            if buttons
            else None
        )
        user = update.effective_user
        chat = update.effective_chat
        assert user is not None and chat is not None
        self.outbox[user.id] = (text, markup)
        if self.send:
            if update.callback_query is not None:
                await update.callback_query.answer()
            await context.bot.send_message(
                chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        return state

    @staticmethod
    def draft(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
        assert context.user_data is not None
        draft: dict[str, Any] = context.user_data.setdefault("draft", {})
        return draft

    @staticmethod
    async def pressed(
        update: Update, state: int, allowed: dict[str, str] | Sequence[str]
    ) -> str | None:
        """The value of a pressed button of this question; ``None`` for a stale or forged one."""
        query = update.callback_query
        assert query is not None
        stamp, _, value = (query.data or "").partition("|")
        if stamp != str(state) or value not in allowed:
            return None
        return value

    @staticmethod
    def text(update: Update) -> str:
        message = update.effective_message
        return message.text or "" if message else ""

    # --- the steps -------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert context.user_data is not None
        context.user_data["draft"] = {}
        return await self.reply(
            update, context, TITLE, "Créons la formation. Quel est son intitulé ?"
        )

    async def title(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        line = clean_line(self.text(update), limit=150)
        if isinstance(line, Invalid) or len(line) < 3:
            return await self.reply(update, context, TITLE, "Un intitulé, s'il vous plaît.")
        self.draft(context)["title"] = line
        return await self.reply(
            update, context, KIND, "De quoi s'agit-il ?", [(v, k) for k, v in KINDS.items()]
        )

    async def kind(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        return await self.pick(
            update, context, KIND, "kind", KINDS, FUNDER, "Qui la finance ?", FUNDERS
        )

    async def funder(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        return await self.pick(
            update,
            context,
            FUNDER,
            "funder",
            FUNDERS,
            MODE,
            "Comment le groupe est-il organisé ?",
            MODES,
        )

    async def mode(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        return await self.pick(
            update,
            context,
            MODE,
            "mode",
            MODES,
            PERIOD,
            "Quelles sont les dates de la formation ?",
            {},
        )

    async def pick(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        state: int,
        key: str,
        options: dict[str, str],
        following: int,
        question: str,
        next_options: dict[str, str],
    ) -> int:
        value = await self.pressed(update, state, options)
        if value is None:
            return await self.reply(
                update,
                context,
                state,
                "Ce bouton ne correspond pas à la question.",
                [(v, k) for k, v in options.items()],
            )
        self.draft(context)[key] = value
        return await self.reply(
            update, context, following, question, [(v, k) for k, v in next_options.items()]
        )

    async def period(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        line = clean_line(self.text(update), limit=200)
        found = None if isinstance(line, Invalid) else dates.understand_period(line, self.now)
        if found is None or found[1] < found[0]:
            return await self.reply(update, context, PERIOD, "Je n'ai pas compris ces dates.")
        self.draft(context)["_pending"] = [found[0].isoformat(), found[1].isoformat()]
        text = (
            f"J'ai compris : du <b>{dates.spell_date(found[0])}</b> au "
            f"<b>{dates.spell_date(found[1])}</b>. C'est bien ça ?"
        )
        return await self.reply(
            update, context, PERIOD_OK, text, [("Oui, c'est ça", "yes"), ("Non, corriger", "no")]
        )

    async def period_ok(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        value = await self.pressed(update, PERIOD_OK, YES_NO)
        draft = self.draft(context)
        if value != "yes":
            draft.pop("_pending", None)
            return await self.reply(update, context, PERIOD, "D'accord. Redonnez les dates.")
        draft["start"], draft["end"] = draft.pop("_pending")
        return await self.reply(
            update,
            context,
            CERTIFYING,
            "Est-elle certifiante ?",
            [(v, k) for k, v in YES_NO.items()],
        )

    async def certifying(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        value = await self.pressed(update, CERTIFYING, YES_NO)
        if value is None:
            return await self.reply(
                update, context, CERTIFYING, "Oui ou non ?", [(v, k) for k, v in YES_NO.items()]
            )
        self.draft(context)["certifying"] = value == "yes"
        return await self.reply(
            update, context, LENGTH, "Courte ou longue ?", [(v, k) for k, v in LENGTHS.items()]
        )

    async def length(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        return await self.pick(
            update,
            context,
            LENGTH,
            "length",
            LENGTHS,
            CM_NAME,
            "Qui suit cette formation à la Région ?",
            {"skip": "Passer"},
        )

    async def cm_name(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        name = clean_line(self.text(update), limit=100)
        if isinstance(name, Invalid) or not any(ch.isalpha() for ch in name):
            return await self.reply(update, context, CM_NAME, "Un nom, s'il vous plaît.")
        self.draft(context)["cm_name"] = name
        return await self.reply(
            update, context, CM_EMAIL, "Son adresse e-mail ?", [("Passer", "skip")]
        )

    async def cm_email(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        import re

        value = self.text(update).strip()
        if not re.match(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$", value):
            return await self.reply(update, context, CM_EMAIL, "Ce n'est pas une adresse e-mail.")
        self.draft(context)["cm_email"] = value.lower()
        return await self.reply(
            update,
            context,
            TRAINEES,
            "Collez la liste des stagiaires, un nom par ligne.",
            [("Plus tard", "skip")],
        )

    async def trainees(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        people: list[dict[str, str | None]] = []
        seen: set[str] = set()
        for line in self.text(update).splitlines():
            if not line.strip():
                continue
            name_part, _, company = line.partition(";")
            name = clean_line(name_part, limit=100)
            if isinstance(name, Invalid) or fold(name) in seen:
                return await self.reply(update, context, TRAINEES, "Vérifiez la liste.")
            seen.add(fold(name))
            people.append({"name": name, "company": company.strip() or None})
        draft = self.draft(context)
        draft["trainees"], draft["delegates"] = people, []
        return await self.ask_delegates(update, context)

    async def ask_delegates(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        draft = self.draft(context)
        buttons = [
            (("☑ " if str(i) in draft["delegates"] else "☐ ") + str(t["name"]), str(i))
            for i, t in enumerate(draft["trainees"])
        ]
        return await self.reply(
            update,
            context,
            DELEGATES,
            "Qui sont les délégué(e)s ?",
            [*buttons, ("✅ Terminé", "_done")],
        )

    async def delegates(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        draft = self.draft(context)
        allowed = [str(i) for i in range(len(draft["trainees"]))] + ["_done"]
        value = await self.pressed(update, DELEGATES, allowed)
        if value is None or value != "_done":
            if value is not None:
                ticked: list[str] = draft["delegates"]
                if value in ticked:
                    ticked.remove(value)
                else:
                    ticked.append(value)
            return await self.ask_delegates(update, context)
        names = ", ".join(
            html.escape(str(t["name"]))
            for i, t in enumerate(draft["trainees"])
            if str(i) in draft["delegates"]
        )
        recap = (
            f"Récapitulatif :\n<b>{html.escape(draft['title'])}</b>\n"
            f"{KINDS[draft['kind']]}, {FUNDERS[draft['funder']]}, {MODES[draft['mode']]}\n"
            f"du {date.fromisoformat(draft['start']):%d/%m/%Y} au {date.fromisoformat(draft['end']):%d/%m/%Y}\n"
            f"Chargé(e) de mission : {html.escape(draft['cm_name'])} ({html.escape(draft['cm_email'])})\n"
            f"{len(draft['trainees'])} stagiaires, délégué(e)s : {names}\n\nTout est juste ?"
        )
        return await self.reply(
            update, context, RECAP, recap, [("Enregistrer", "yes"), ("Abandonner", "no")]
        )

    async def recap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        from telegram.ext import ConversationHandler

        assert context.user_data is not None
        value = await self.pressed(update, RECAP, YES_NO)
        draft = context.user_data.pop("draft", {})
        if value == "yes":
            context.user_data.setdefault("formations", []).append(draft)
            await self.reply(
                update,
                context,
                RECAP,
                f"C'est enregistré : {html.escape(draft['title'])}, {len(draft['trainees'])} stagiaires.",
            )
        else:
            await self.reply(update, context, RECAP, "Rien n'a été enregistré.")
        return ConversationHandler.END

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        from telegram.ext import ConversationHandler

        assert context.user_data is not None
        context.user_data.pop("draft", None)
        await self.reply(update, context, TITLE, "C'est annulé.")
        return ConversationHandler.END


def offline_request_class() -> type[Any]:
    """A Bot API that answers getMe and sendMessage from memory, as PTB's own tests do."""
    from telegram.request import BaseRequest, RequestData

    class OfflineRequest(BaseRequest):
        def __init__(self) -> None:
            self.messages = itertools.count(1)

        @property
        def read_timeout(self) -> float | None:
            return 1.0

        async def initialize(self) -> None:
            return None

        async def shutdown(self) -> None:
            return None

        async def do_request(
            self,
            url: str,
            method: str,
            request_data: RequestData | None = None,
            read_timeout: Any = None,
            write_timeout: Any = None,
            connect_timeout: Any = None,
            pool_timeout: Any = None,
        ) -> tuple[int, bytes]:
            endpoint = url.rsplit("/", 1)[-1]
            params = request_data.parameters if request_data else {}
            result: Any
            if endpoint == "getMe":
                result = {
                    "id": 1,
                    "is_bot": True,
                    "first_name": "Bench",
                    "username": "bench_bot",
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                }
            elif endpoint == "sendMessage":
                result = {
                    "message_id": next(self.messages),
                    "date": int(NOW.timestamp()),
                    "chat": {"id": params.get("chat_id"), "type": "private"},
                    "text": params.get("text", ""),
                }
            else:
                result = True
            return 200, json.dumps({"ok": True, "result": result}).encode()

    return OfflineRequest


def build_application(
    path: Path, ptb: PtbBot, durable: bool
) -> Application[Any, Any, Any, Any, Any, Any]:
    from telegram.ext import (
        ApplicationBuilder,
        CallbackQueryHandler,
        CommandHandler,
        ConversationHandler,
        MessageHandler,
        PicklePersistence,
        filters,
    )
    from telegram.warnings import PTBUserWarning

    warnings.filterwarnings("ignore", category=PTBUserWarning)
    # Durable per turn: the cheapest way PTB offers, one pickle dump per turn
    # (update_persistence() then flush()) rather than one per changed entry.
    persistence: PicklePersistence[Any, Any, Any] = PicklePersistence(path, on_flush=durable)
    request = offline_request_class()
    application = (
        ApplicationBuilder()
        .token("123456:BENCH-offline-token")
        .request(request())
        .get_updates_request(request())
        .persistence(persistence)
        .updater(None)
        .build()
    )
    text = filters.TEXT & ~filters.COMMAND
    button = CallbackQueryHandler
    application.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("formation", ptb.start)],
            states={
                TITLE: [MessageHandler(text, ptb.title)],
                KIND: [button(ptb.kind)],
                FUNDER: [button(ptb.funder)],
                MODE: [button(ptb.mode)],
                PERIOD: [MessageHandler(text, ptb.period)],
                PERIOD_OK: [button(ptb.period_ok)],
                CERTIFYING: [button(ptb.certifying)],
                LENGTH: [button(ptb.length)],
                CM_NAME: [MessageHandler(text, ptb.cm_name)],
                CM_EMAIL: [MessageHandler(text, ptb.cm_email)],
                TRAINEES: [MessageHandler(text, ptb.trainees)],
                DELEGATES: [button(ptb.delegates)],
                RECAP: [button(ptb.recap)],
            },
            fallbacks=[CommandHandler("annuler", ptb.cancel)],
            name="formation",
            persistent=True,
        )
    )
    return application


async def run_ptb(
    result: Result, per_user: list[int], concurrent: bool, durable: bool, send: bool
) -> None:
    from telegram import Update

    ptb = PtbBot(send)
    with tempfile.TemporaryDirectory(prefix="ptb-bench-") as tmp:
        application = build_application(Path(tmp) / "ptb.pickle", ptb, durable)
        await application.initialize()
        await application.start()  # the periodic persistence task, as in a real bot
        persistence = application.persistence
        assert persistence is not None
        updates = itertools.count(1)
        bot = application.bot

        def update_for(user: int, kind: str, value: str) -> Update | None:
            uid = 1000 + user
            number = next(updates)
            sender = {"id": uid, "is_bot": False, "first_name": f"Formateur {user}"}
            message: dict[str, Any] = {
                "message_id": number,
                "date": int(NOW.timestamp()),
                "chat": {"id": uid, "type": "private", "first_name": sender["first_name"]},
                "from": sender,
            }
            if kind == "say":
                message["text"] = value
                if value.startswith("/"):
                    length = len(value.split()[0])
                    message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
                return Update.de_json({"update_id": number, "message": message}, bot)
            data = find_ptb_choice(ptb.outbox.get(uid), value)
            if data is None:
                return None
            query = {
                "id": str(number),
                "from": sender,
                "chat_instance": str(uid),
                "data": data,
                "message": message | {"text": "…"},
            }
            return Update.de_json({"update_id": number, "callback_query": query}, bot)

        async def turn(user: int, kind: str, value: str) -> bool:
            update = update_for(user, kind, value)
            if update is None:
                return False
            await application.process_update(update)
            if durable:
                await application.update_persistence()
                await persistence.flush()
            if value == "Enregistrer":
                return SAVED in ptb.outbox.get(1000 + user, ("", None))[0]
            return True

        warmed = await warm_up(turn)
        start(result)
        await drive(result, turn, per_user, concurrent)
        flushing = time.perf_counter()
        await application.stop()  # the last periodic flush, so the data is on disk
        result.seconds += time.perf_counter() - flushing
        stop(result)
        await application.shutdown()
        # What is really on disk: one formation per dialogue.
        reread = build_application(Path(tmp) / "ptb.pickle", PtbBot(send=False), durable)
        await reread.initialize()
        saved = sum(len(data.get("formations", [])) for data in reread.user_data.values())
        await reread.shutdown()
        result.failures = max(result.failures, abs(sum(per_user) + warmed - saved))


def find_ptb_choice(sent: tuple[str, Any] | None, label: str) -> str | None:
    if sent is None or sent[1] is None:
        return None
    wanted = label.casefold()
    for row in sent[1].inline_keyboard:
        for key in row:
            if wanted in key.text.casefold():
                data: str = key.callback_data
                return data
    return None


# --- one run per subprocess --------------------------------------------------------------


def start(result: Result) -> None:
    result.rss_before_mb = rss_now_mb()
    if TRACE:
        tracemalloc.start()
    result.cpu_seconds = -time.process_time()


def stop(result: Result) -> None:
    result.cpu_seconds += time.process_time()
    result.rss_peak_mb = rss_peak_mb()
    if TRACE:
        result.traced_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()


TRACE = False


def worker(variant: str, turns: int, users: int, send: bool) -> Result:
    result = Result(variant)
    concurrent = variant.endswith("-conc")
    per_user = plan(turns, users)
    if variant.startswith("engine"):
        asyncio.run(run_engine(result, per_user, concurrent))
    elif variant == "sqlite-floor":
        asyncio.run(run_floor(result, sum(per_user) * len(DIALOGUE)))
    else:
        asyncio.run(run_ptb(result, per_user, concurrent, "durable" in variant, send))
    return result


def describe(label: str, r: Result) -> str:
    line = (
        f"{label}: {r.turns} turns, {r.rate:.0f} turns/s, p50 {r.percentile(50):.2f} ms, "
        f"p95 {r.percentile(95):.2f} ms, p99 {r.percentile(99):.2f} ms, "
        f"CPU {r.cpu_ms:.2f} ms/turn, peak RSS {r.rss_peak_mb:.0f} MB "
        f"(+{r.rss_peak_mb - r.rss_before_mb:.0f} MB during the run)"
    )
    if r.traced_peak_mb is not None:
        line += f", tracemalloc peak {r.traced_peak_mb:.1f} MB"
    if r.failures or r.retries:
        line += f", {r.failures} broken dialogues, {r.retries} engine retries"
    return line


def typical(done: list[Result]) -> Result:
    """The round with the median rate: one real run, not a blend of several."""
    return sorted(done, key=lambda r: r.rate)[(len(done) - 1) // 2]


def table(results: dict[str, Result], users: int) -> str:
    """The figures of every variant, as the README's table.

    Sequential runs also split the CPU: the question turns (an answer parsed,
    the next question asked) and the saving turn (« Enregistrer »: formabot
    writes the formation, its trainees and deadlines; PTB appends a dict).
    """
    lines = [
        "| run | turns/s | p50 | p95 | CPU per turn | CPU per question turn "
        "| CPU of the saving turn | SQL statements per turn |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for variant, r in results.items():
        statements = r.statements_per_turn
        split = (
            f"{r.question_cpu_ms:.2f} ms | {r.saving_cpu_ms:.2f} ms" if r.saving_turns else "- | -"
        )
        lines.append(
            f"| {VARIANTS[variant].format(users=users)} | {r.rate:.0f} | "
            f"{r.percentile(50):.2f} ms | {r.percentile(95):.2f} ms | {r.cpu_ms:.2f} ms | "
            f"{split} | {'-' if statements is None else f'{statements:.2f}'} |"
        )
    return "\n".join(lines)


COMPARISON = """\
What each side does per turn. formabot: one SQL transaction on SQLite (WAL,
synchronous=NORMAL, so committed to the log, not fsynced each time): insert
the event id (a redelivered event is answered from it, never handled twice),
load the conversation row and the person, membership and organisation behind
the chat, run the step (parse, Jinja2 templates, autoescaped), update the row
with a version check, store the replies with the event, commit; the last turn
inserts the formation, its trainees and an audit row in the same transaction.
Any number of processes can share the database. python-telegram-bot: the
ConversationHandler keeps the state and user_data in memory; the handlers do
the same parsing (same date parser, same line cleaning) and build f-string
replies; PicklePersistence writes the whole pickle (all users) only at its
periodic flush (60 s by default: a crash loses up to a minute of answers),
or, to match formabot's durability, after every turn (update_persistence()
then flush(), one dump of the whole file per turn, no fsync either, so
it slows down as the data grows). It has no event-id deduplication, no
version check, and one process owns the file. On one SQLite file formabot
writes one transaction at a time: concurrent users add no throughput and
wait for the write lock.
Neither side sends anything here (formabot's transports do that after the
engine; --ptb-send makes PTB also send each reply through its offline Bot
API)."""


def profile(path: str, turns: int) -> int:
    """cProfile over the question turns of a sequential engine run: where their CPU goes.

    The profiler's own cost inflates Python next to SQLite (read the
    proportions, not the milliseconds).
    """
    global PROFILER
    PROFILER = cProfile.Profile()
    result = worker("engine-seq", turns, 1, False)
    PROFILER.dump_stats(path)
    questions = result.turns - result.saving_turns
    print(f"{questions} question turns profiled, into {path}; by own time:")
    pstats.Stats(path).sort_stats("tottime").print_stats(25)
    return 1 if result.failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    global TRACE, WARM
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--turns", type=int, default=3000, help="turns per run (default 3000)")
    parser.add_argument("--users", type=int, default=20, help="people talking at once (default 20)")
    parser.add_argument("--ptb-send", action="store_true", help="PTB also sends every reply")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slower)"
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternated rounds of every variant (default 2)"
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no untimed warm-up dialogue: count each process's first-use costs too",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the question turns of one sequential engine run into FILE (pstats) "
        "and print its top lines; no comparison",
    )
    parser.add_argument("--worker", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    TRACE = args.tracemalloc
    WARM = not args.cold

    if args.profile:
        return profile(args.profile, args.turns)

    if args.worker:
        result = worker(args.worker, args.turns, args.users, args.ptb_send)
        print(json.dumps(asdict(result)))
        return 0 if not result.failures else 1

    began, load = time.perf_counter(), os.getloadavg()[0]
    runs: dict[str, list[Result]] = {variant: [] for variant in VARIANTS}
    for round_ in range(args.rounds):
        # A/B alternation: every other round runs the variants in reverse order, so a
        # neighbour's burst on the shared machine falls on both sides alike.
        order = list(VARIANTS) if round_ % 2 == 0 else list(reversed(VARIANTS))
        for variant in order:
            command = [sys.executable, "-m", "bench.turns", "--worker", variant]
            command += ["--turns", str(args.turns)]
            command += ["--users", str(args.users)]
            command += ["--ptb-send"] if args.ptb_send else []
            command += ["--tracemalloc"] if args.tracemalloc else []
            command += ["--cold"] if args.cold else []
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False, cwd=ROOT)
            lines = done.stdout.strip().splitlines()
            if not lines:
                print(f"{variant}: the run failed (exit {done.returncode})", file=sys.stderr)
                return 1
            result = Result(**json.loads(lines[-1]))
            runs[variant].append(result)
            label = VARIANTS[variant].format(users=args.users)
            print(f"round {round_ + 1}, {describe(label, result)}", flush=True)

    results = {variant: typical(done) for variant, done in runs.items()}
    print()
    print(f"Median of {args.rounds} alternated round(s), {args.turns} turns each:")
    print()
    print(table(results, args.users))
    print()
    for mode, how in (("seq", "sequential"), ("conc", f"{args.users} concurrent users")):
        engine = results[f"engine-{mode}"]
        for flush, name in (("durable", "PTB durable per turn"), ("periodic", "PTB in memory")):
            ptb = results[f"ptb-{flush}-{mode}"]
            print(
                f"ratio formabot/{name}, {how}: turns/s {engine.rate / ptb.rate:.2f}, "
                f"CPU per turn {ptb.cpu_ms / engine.cpu_ms:.2f}"
                + (
                    f", CPU per question turn {ptb.question_cpu_ms / engine.question_cpu_ms:.2f}"
                    if engine.saving_turns and ptb.saving_turns
                    else ""
                )
            )
    floor, engine = results["sqlite-floor"], results["engine-seq"]
    print(
        f"floor (bare sqlite3, a turn's 3 statements and commit): {floor.rate:.0f} turns/s, "
        f"{floor.cpu_ms:.3f} ms CPU per turn, of which the commit {floor.commit_cpu_ms or 0:.3f} ms; "
        f"{floor.cpu_ms / engine.cpu_ms:.0%} of formabot's CPU per turn (sequential)"
    )
    print()
    print(COMPARISON)
    print()
    print(
        f"total {time.perf_counter() - began:.0f} s, python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load before the start {load:.1f}, "
        f"ptb-send {'on' if args.ptb_send else 'off'}"
        + (", timed under tracemalloc (slower)" if args.tracemalloc else "")
        + (", cold (no warm-up dialogue)" if args.cold else ", after one untimed dialogue")
    )
    broken = sum(r.failures for done in runs.values() for r in done)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
