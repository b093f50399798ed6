"""Nothing lost, nothing done twice: a real ``formabot`` killed with SIGKILL at every
turn of whole flows, then restarted, while the person goes on as if nothing happened.

On Telegram (the loopback emulator, polling) a trainer creates a formation and
schedules a bilan (its .ics, PDFs and invitation codes in the last turn); the
bot is killed once per turn, at a moment taken in turn from: just after the
person sent (the update may not even be fetched), once the update is written
in the inbox, once the turn is committed, once its first reply is visible.
The person never re-sends anything: every message must be handled exactly
once (the data at the end is exact, no turn ran twice) and every reply must
reach them (the next question arrives).  The console gets the same treatment
through its pipe, where a line counts as received once echoed.

Each ``formabot`` is forked from a zygote that imported the bot once
(:mod:`tests.auxil.zygote`), so a restart costs a fraction of a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import demo
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import ChatIdentity, Person
from tests.auxil.telegram_emulator import (
    BotMessage,
    TelegramEmulator,
    TelegramUser,
    run_emulator,
)
from tests.auxil.zygote import Child, Zygote

pytestmark = pytest.mark.slow

TOKEN = "987654:FORMABOT-durable"
TRAINER = 601
PARIS = ZoneInfo("Europe/Paris")
PHASES = ("sent", "recorded", "committed", "answered")
"""Where a turn is killed, in turn: see the module docstring."""


@dataclass(frozen=True)
class Turn:
    """What the person does, and what shows that the bot answered it."""

    act: str  # "say", "press" (a button of the latest question) or "toggle" (edited in place)
    text: str
    expect: str


def whole_flows(today: date) -> list[Turn]:
    """/formation from start to save, then /bilan up to "Programmer le bilan"."""
    start, end = today - timedelta(days=3), today + timedelta(days=60)
    bilan_day = today + timedelta(days=7)
    return [
        Turn("say", "/formation", "intitulé"),
        Turn("say", "Cuisine du monde", "De quoi s'agit-il"),
        Turn("press", "Une formation", "Qui la finance"),
        Turn("press", "Région Normandie", "organisé"),
        Turn("press", "De date à date", "dates"),
        Turn("say", f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}", "C'est bien ça"),
        Turn("press", "Oui", "certifiante"),
        Turn("press", "Non", "courte ou longue"),
        Turn("press", "Courte", "chargé(e) de mission"),
        Turn("press", "Passer", "stagiaires"),
        Turn("say", "Ana Lopes\nBen Kaci\nChloé Roy", "délégué"),
        Turn("toggle", "Ben Kaci", "☑ Ben Kaci"),
        Turn("press", "Terminé", "Récapitulatif"),
        Turn("press", "Enregistrer", "C'est enregistré"),
        Turn("say", "/bilan", "Pour quelle formation"),
        Turn("press", "Agent de restauration", "Que voulez-vous faire"),
        Turn("press", "Programmer le bilan de fin", "à distance (en visio)"),
        Turn("press", "À distance", "Quand"),
        Turn("say", f"le {bilan_day:%d/%m/%Y} à 14 h", "C'est bien ça"),
        Turn("press", "Oui, c'est ça", "Combien de temps"),
        Turn("press", "2 heures", "lien de la visio"),
        Turn("say", "https://visio.example.org/bilan", "mot de passe"),
        Turn("press", "Oui", "prise de parole"),
        Turn("press", "Oui", "figure dans l'invitation"),
        Turn("press", "Non", "Qui participe"),
        Turn("press", "Terminé", "partenaires"),
        Turn("press", "Terminé", "Récapitulatif"),
        Turn("press", "Programmer le bilan", "Bonjour Léa Martin"),
    ]


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
            camille = await session.scalar(
                select(Person).where(Person.display_name == "Camille Durand")
            )
            assert camille is not None
            session.add(
                ChatIdentity(
                    person_id=camille.id,
                    platform="telegram",
                    user_id=str(telegram_user),
                    chat_id=str(telegram_user),
                )
            )
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


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with run_emulator() as peer:
        yield peer


def arrived(turn: Turn, after: int) -> Callable[[list[BotMessage]], bool]:
    if turn.act == "toggle":
        return lambda ms: any(turn.expect in m.button_texts for m in ms)
    return lambda ms: any(m.message_id > after and turn.expect in m.body for m in ms)


async def act(user: TelegramUser, turn: Turn) -> None:
    if turn.act == "say":
        await (
            user.send_command(turn.text)
            if turn.text.startswith("/")
            else user.send_message(turn.text)
        )
    else:
        await user.press_button(turn.text)


async def test_telegram_killed_at_every_turn_of_two_whole_flows(
    emulator: TelegramEmulator, zygote: Zygote, tmp_path: Path
) -> None:
    today = datetime.now(PARIS).date()
    path = await demo_database(tmp_path, today, telegram_user=TRAINER)
    bot = Bot(
        zygote,
        ["run"],
        environment(tmp_path, TELEGRAM_TOKEN=TOKEN, TELEGRAM_BASE_URL=emulator.url),
        tmp_path / "bot.log",
    )
    turns = whole_flows(today)
    jitter = random.Random(2026)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        bilans_before = connection.execute("SELECT count(*) FROM bilans").fetchone()[0]
    bot.start()
    try:
        async with emulator.user(TOKEN, user_id=TRAINER, first_name="Camille") as camille:
            for number, turn in enumerate(turns):
                phase = PHASES[number % len(PHASES)]
                if turn is turns[-1]:
                    phase = "first reply"  # the turn of the documents, killed while it sends
                before = counts(path)
                last = max((m.message_id for m in await camille.bot_messages()), default=0)
                await act(camille, turn)
                await kill_at(phase, bot, path, before, camille, last, jitter)
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

    assert bot.kills == len(turns)
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
                ("Ana Lopes", False),
                ("Ben Kaci", True),
                ("Chloé Roy", False),
            ]
            bilans = (await session.scalars(select(Bilan))).all()
            assert len(bilans) == bilans_before + 1
    finally:
        await database.dispose()
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


async def kill_at(
    phase: str,
    bot: Bot,
    path: Path,
    before: tuple[int, int],
    user: TelegramUser,
    last: int,
    jitter: random.Random,
) -> None:
    """Kill the bot when the turn reached ``phase`` (or after 20 s, wherever it is)."""
    with contextlib.suppress(TimeoutError):
        if phase == "sent":
            await asyncio.sleep(jitter.uniform(0, 0.05))
        elif phase == "recorded":
            await until(lambda: counts(path)[0] > before[0], 20, "recorded")
        elif phase == "committed":
            await until(lambda: counts(path)[1] > before[1], 20, "committed")
        else:
            # "answered" and "first reply": the turn's first reply is visible.
            await user.wait_until(lambda ms: any(m.message_id > last for m in ms), 20)
        await asyncio.sleep(jitter.uniform(0, 0.01))
    bot.kill()
