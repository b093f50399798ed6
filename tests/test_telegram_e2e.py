"""Whole dialogues through Telegram: the real transport and PTB against the loopback
Bot API emulator, two users, a deep-link invitation, a double press, a stranger,
and a bot process killed with the user's next message waiting."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot import texts
from bot.app import build_engine
from bot.config import Settings
from bot.storage.absences import Absence
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Membership
from bot.storage.state import ConversationState
from bot.transports.telegram import WEBHOOK_SECRET_FILE, TelegramTransport, webhook_secret
from tests.auxil.dialogue import local_today
from tests.auxil.disk import fill_the_disk, free_space, space_reset
from tests.auxil.processes import bot_run
from tests.auxil.telegram_bot import wait_for as answer_after
from tests.auxil.telegram_emulator import BotMessage, TelegramEmulator, TelegramUser

pytestmark = pytest.mark.slow  # every test here talks to the node Telegram emulator

TOKEN = "987654:FORMABOT-e2e"


@pytest.fixture
async def bot(
    emulator: TelegramEmulator, db: Database, settings: Settings
) -> AsyncIterator[TelegramTransport]:
    configured = replace(settings, telegram_token=TOKEN, telegram_base_url=emulator.url)
    transport = TelegramTransport(configured, build_engine(db, configured), poll_interval=0.02)
    await transport.start()
    yield transport
    await transport.stop()


async def ask(user: TelegramUser, text: str, expect: str, *, timeout: float = 10) -> BotMessage:
    """Send ``text`` and wait for a bot message after it containing ``expect``."""
    sent = await (user.send_command(text) if text.startswith("/") else user.send_message(text))
    return await answer_after(user, sent.message_id, expect, timeout=timeout)


async def click(user: TelegramUser, label: str, expect: str, *, timeout: float = 10) -> BotMessage:
    messages = await user.bot_messages()
    last = max(m.message_id for m in messages)
    await user.press_button(label)
    return await answer_after(user, last, expect, timeout=timeout)


async def test_onboarding_an_invitation_deep_link_and_a_formation(
    emulator: TelegramEmulator, bot: TelegramTransport, db: Database
) -> None:
    async with (
        emulator.user(TOKEN, user_id=1, first_name="Claire") as claire,
        emulator.user(TOKEN, user_id=2, first_name="Bruno") as bruno,
    ):
        await ask(claire, "/start", "nom de votre organisme")
        await ask(claire, "Forma Plus", "fuseau horaire")
        await click(claire, "Métropole", "votre nom")
        await ask(claire, "Claire Martin", "parler de vous")
        await click(claire, "Au féminin", "Forma Plus")
        await ask(claire, "/inviter", "Qui invitez-vous")
        invitation = await click(claire, "Formateur", "Lien à transférer")
        link = re.search(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]+)", invitation.body)
        assert link and link[1] == bot.username

        await ask(bruno, f"/start {link[2]}", "votre nom")
        await ask(bruno, "Bruno Lefèvre", "parler de vous")
        await click(bruno, "Au masculin", "C'est fait")
        await ask(bruno, "/formation", "intitulé")
        await ask(bruno, "Cuisine <du> monde & co", "sans balises")  # a title takes none
        await ask(bruno, "Cuisine du monde & co", "De quoi s'agit-il")
        await click(bruno, "Une formation", "Qui la finance")
        await click(bruno, "Autre financeur", "Quel financeur")
        await click(bruno, "Passer", "organisé")
        await click(bruno, "De date à date", "dates")
        today = local_today()
        start, end = today - timedelta(days=10), today + timedelta(days=30)
        await ask(bruno, f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}", "C'est bien ça")
        await click(bruno, "Oui", "certifiante")
        await click(bruno, "Non", "courte ou longue")
        await click(bruno, "Courte", "stagiaires")
        await ask(bruno, "Ana Lopes\nBen Kaci\nChloé Roy", "délégué")
        await bruno.press_button("Ben Kaci")
        await bruno.wait_until(  # a toggle edits the question in place
            lambda ms: "2. ☑ Ben Kaci" in ms[-1].button_texts, what="the ticked delegate"
        )
        await click(bruno, "Terminé", "Récapitulatif")
        saved = await click(bruno, "Enregistrer", "C'est enregistré")
        assert "Cuisine du monde & co" in saved.body  # escaped by us, shown as typed

        # An absence in the hurried one-line form, through the same chat.
        await ask(bruno, "/absence Ben hier matin", "J'ai compris")
        if (today - timedelta(days=1)).weekday() >= 5:  # a weekend day is asked once
            await click(bruno, "Oui", "quand même")
            await click(bruno, "Oui, l'enregistrer", "justifiée")
        else:
            await click(bruno, "Oui", "justifiée")
        await click(bruno, "Non", "Passer")
        await click(bruno, "Passer", "Récapitulatif")
        await click(bruno, "Enregistrer", "C'est noté : Ben Kaci")

        # The answered question lost its buttons and shows the choice.
        answered = [m for m in await bruno.bot_messages() if "Qui la finance" in m.body]
        assert answered[0].buttons == [] and "✔ Autre financeur" in answered[0].body

    async with db.sessions() as session:
        formation = await session.scalar(select(Formation))
        assert formation is not None and formation.title == "Cuisine du monde & co"
        assert [(t.full_name, t.is_delegate) for t in formation.trainees] == [
            ("Ben Kaci", True),  # by surname: Kaci, Lopes, Roy
            ("Ana Lopes", False),
            ("Chloé Roy", False),
        ]
        absence = await session.scalar(select(Absence))
        assert absence is not None and absence.period == "matin"
        assert absence.day == today - timedelta(days=1)
        assert absence.trainee_id == next(
            t.id for t in formation.trainees if t.full_name == "Ben Kaci"
        )
        roles = sorted(m.role for m in await session.scalars(select(Membership)))
        assert roles == ["admin", "formateur"]


async def test_a_double_press_a_cancel_and_a_stranger(
    emulator: TelegramEmulator, bot: TelegramTransport, db: Database
) -> None:
    async with (
        emulator.user(TOKEN, user_id=1) as claire,
        emulator.user(TOKEN, user_id=3, first_name="Inconnu") as stranger,
    ):
        await ask(claire, "/start", "nom de votre organisme")
        await ask(claire, "Forma Plus", "fuseau horaire")
        await click(claire, "Métropole", "votre nom")
        await ask(claire, "Claire Martin", "parler de vous")
        await click(claire, "Au féminin", "Forma Plus")
        await ask(claire, "/formation", "intitulé")
        question = await ask(claire, "Cuisine", "De quoi s'agit-il")
        data = question.button("Une formation").callback_data
        assert data is not None
        await asyncio.gather(
            claire.press(data, question.message_id), claire.press(data, question.message_id)
        )
        await answer_after(claire, question.message_id, "Qui la finance")
        cancelled = await ask(claire, "/annuler", "annulé")  # after both presses were handled
        # The second press of a double tap says nothing (explorer AC1: « Ce bouton vient
        # d'un message plus ancien » and the next question twice).
        between = [
            m.body
            for m in await claire.bot_messages()
            if question.message_id < m.message_id < cancelled.message_id
        ]
        assert len(between) == 1 and "Qui la finance" in between[0], between
        async with db.sessions() as session:
            state = await session.scalar(
                select(ConversationState).where(ConversationState.user_id == "1")
            )
            assert state is not None and state.step is None  # cancelled
        await ask(stranger, "/formation", "Je ne vous connais pas")
        await ask(stranger, "/start", "invitation")
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(Formation.id))) == 0


async def test_a_killed_bot_loses_nothing_and_does_nothing_twice(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=emulator.url,
        FORMABOT_DATA_DIR=str(tmp_path),
        TELEGRAM_POLL_INTERVAL="0.02",
    )

    async def start() -> asyncio.subprocess.Process:
        return await bot_run(env, asyncio.subprocess.DEVNULL)

    process = await start()
    try:
        async with emulator.user(TOKEN, user_id=1) as claire:
            await ask(claire, "/start", "nom de votre organisme", timeout=30)
            await ask(claire, "Forma Plus", "fuseau horaire")
            await click(claire, "Métropole", "votre nom")
            await ask(claire, "Claire Martin", "parler de vous")
            await click(claire, "Au féminin", "Forma Plus")
            await ask(claire, "/formation", "intitulé")
            await ask(claire, "Cuisine", "De quoi s'agit-il")

            process.send_signal(signal.SIGKILL)
            await process.wait()
            waiting = await claire.send_message("2")  # "Un bilan de compétences", while down
            process = await start()
            await answer_after(claire, waiting.message_id, "Qui le finance", timeout=30)

            await click(claire, "Autre financeur", "Quel financeur")
            await click(claire, "Passer", "dates")  # one person: no group question
            process.send_signal(signal.SIGKILL)
            await process.wait()
            process = await start()
            await ask(claire, "du 1er au 19 décembre 2026", "C'est bien ça", timeout=30)
            await click(claire, "Oui", "personne accompagnée")
            await click(claire, "Plus tard", "Récapitulatif")
            await click(claire, "Enregistrer", "C'est enregistré")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)

    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}")
    async with database.sessions() as session:
        rows = (await session.scalars(select(Formation))).all()
        assert [(f.title, f.kind, f.funder) for f in rows] == [
            ("Cuisine", "bilan_competences", "autre")
        ]
    await database.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_webhook_without_the_secret_is_refused_and_the_secret_is_made_and_kept(
    emulator: TelegramEmulator,
    db: Database,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()
    configured = replace(
        settings,
        telegram_token=TOKEN,
        telegram_base_url=emulator.url,
        # A path nobody can guess, passed as it is by the proxy (explorer AM8).
        telegram_webhook_url=f"http://127.0.0.1:{port}/telegram-9f8e7d",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
    )
    assert configured.telegram_webhook_secret == ""  # nobody configured one
    transport = TelegramTransport(configured, build_engine(db, configured))
    await transport.start()
    try:
        kept = settings.data_dir / WEBHOOK_SECRET_FILE
        assert kept.stat().st_mode & 0o777 == 0o600
        secret = kept.read_text(encoding="ascii")
        assert len(secret) >= 32
        async with emulator.user(TOKEN, user_id=7, first_name="Claire") as claire:
            await ask(claire, "/aide", "/start")  # Telegram's own calls carry the secret
        forged = {
            "update_id": 999_001,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": 7, "type": "private"},
                "from": {"id": 7, "is_bot": False, "first_name": "Claire"},
                "text": "/inviter",
                "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
            },
        }
        url = f"http://127.0.0.1:{port}/telegram-9f8e7d"
        caplog.set_level(logging.WARNING)
        async with httpx.AsyncClient(timeout=5) as client:
            without = await client.post(url, json=forged)
            wrong = await client.post(
                url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "devine-moi"}
            )
        assert (without.status_code, wrong.status_code) == (403, 403)
        refusals = [r for r in caplog.records if "refused (403)" in r.getMessage()]
        assert len(refusals) == 2
        assert "devine-moi" not in caplog.text and secret not in caplog.text
        async with db.sessions() as session:
            handled = await session.scalar(
                select(func.count())
                .select_from(ConversationState)
                .where(ConversationState.user_id == "7", ConversationState.flow == "inviter")
            )
        assert handled == 0
    finally:
        await transport.stop()
    again = TelegramTransport(configured, build_engine(db, configured))
    assert webhook_secret(again.settings) == secret  # the same at the next start


async def test_a_webhook_update_not_written_down_is_refused_and_comes_again(
    emulator: TelegramEmulator, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answered 200 only once in the inbox: a database away means 500, and Telegram retries."""
    port = free_port()
    configured = replace(
        settings,
        telegram_token=TOKEN,
        telegram_base_url=emulator.url,
        telegram_webhook_url=f"http://127.0.0.1:{port}/telegram",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
    )
    transport = TelegramTransport(configured, build_engine(db, configured))
    record = transport.inbox.record
    refused: list[int] = []

    async def away_once(received: Any) -> Any:
        if not refused:
            refused.append(1)
            raise ConnectionError("the database is away")
        return await record(received)

    monkeypatch.setattr(transport.inbox, "record", away_once)
    await transport.start()
    try:
        async with emulator.user(TOKEN, user_id=8, first_name="Claire") as claire:
            await ask(claire, "/aide", "/start")
        assert refused == [1]
        assert "answered 500" in emulator.logs()
    finally:
        await transport.stop()


async def test_updates_a_full_disk_refuses_are_said_once_and_answered_once_space_is_freed(
    emulator: TelegramEmulator, db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer R R5: with the disk full, a message got no answer, and each try of the
    polling loop logged a line; now the log says the disk once, and the message is answered
    once space is freed (never confirmed to Telegram before it is written down)."""
    caplog.set_level(logging.INFO, logger="bot")
    configured = replace(settings, telegram_token=TOKEN, telegram_base_url=emulator.url)
    transport = TelegramTransport(configured, build_engine(db, configured), poll_interval=0.05)
    await fill_the_disk(db)
    await transport.start()
    try:
        async with emulator.user(TOKEN, user_id=9, first_name="Inès") as ines:
            sent = await ines.send_command("/aide")
            await asyncio.sleep(2.5)  # refused at 0, 1 s, 2 s: three tries, said once
            [notice] = await ines.bot_messages()
            assert notice.text == texts.plain(texts.say("common.disk_full"))
            assert caplog.text.count("the disk is full") == 1
            assert "recording telegram updates failed" not in caplog.text
            await free_space(db)
            await answer_after(ines, sent.message_id, "Je suis formabot", timeout=20)
            assert len(await ines.bot_messages()) == 2
        assert "the database is written again" in caplog.text
    finally:
        space_reset()
        await transport.stop()
