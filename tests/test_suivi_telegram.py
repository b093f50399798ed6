"""/exporter through Telegram: the real transport and python-telegram-bot against the
loopback Bot API emulator.  The trainer asks for the absences; the workbook arrives as a
document whose downloaded bytes open with openpyxl, dates as dates."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime

import openpyxl
import pytest

from bot.config import Settings
from bot.storage.db import Database
from bot.transports.telegram import TelegramTransport
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.telegram_bot import ask, click, press_for_document, trainer_bot
from tests.auxil.telegram_emulator import TelegramEmulator, run_emulator
from tests.test_suivi import log_absences

pytestmark = pytest.mark.slow  # talks to the node Telegram emulator

TOKEN = "987654:FORMABOT-exporter"
TRAINER_ID = 601


@pytest.fixture
async def bot(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> AsyncIterator[tuple[TelegramEmulator, TelegramTransport]]:
    async with (
        run_emulator() as emulator,
        trainer_bot(emulator, db, settings, clock, token=TOKEN, user_id=TRAINER_ID) as transport,
    ):
        yield emulator, transport


async def test_exporter_sends_a_workbook_that_opens(
    bot: tuple[TelegramEmulator, TelegramTransport], trainer: Talker
) -> None:
    emulator, _transport = bot
    await log_absences(trainer, "karim", ["hier"])  # Camille, from the console
    async with emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as camille:
        await ask(camille, "/exporter", "Dans quelle formation")
        offer = await click(camille, "Agent de restauration (démo)", "Que voulez-vous exporter")
        assert offer.button_texts == [
            "Absences (Excel)",
            "Absences (CSV)",
            "Dossier Qualiopi (ZIP)",
        ]
        message = await press_for_document(camille, "Absences (Excel)")
        assert message.document is not None
        assert message.body == "Absences"  # the caption
        name = message.document["file_name"]
        assert name == "absences-agent-de-restauration-demo.xlsx"
        content = await camille.download(message)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None and sheet.title == "Absences"
    assert [c.value for c in sheet[1]][:3] == ["formation", "stagiaire", "date"]
    assert sheet["B2"].value == "Karim Benali"
    assert isinstance(sheet["C2"].value, datetime) and sheet["C2"].number_format == "dd/mm/yyyy"
