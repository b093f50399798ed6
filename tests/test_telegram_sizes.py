"""What one Telegram message may hold: Telegram's 4,096 counted in UTF-16 units, an emoji
beyond the plane counting two (explorer ME1), and a long question answered (ME2)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from bot import texts
from bot.config import Settings
from bot.storage.db import Database
from bot.transports.telegram import TelegramTransport
from bot.transports.telegram_sizes import MAX_TEXT, marked, split, units
from tests.auxil.absences import add_formation
from tests.auxil.dialogue import Clock
from tests.auxil.telegram_bot import click, latest_id, trainer_bot, wait_for
from tests.auxil.telegram_emulator import TelegramEmulator

TOKEN = "987654:FORMABOT-sizes"
TRAINER_ID = 602
FLOWERS = tuple(f"Léa{n:02d} " + "🌸" * 94 for n in range(25))
"""Imported names of 100 characters each (the most a list's name may have), 194 units."""


def test_a_text_of_emoji_is_cut_so_that_each_part_is_accepted() -> None:
    text = "\n".join(f"{n}. ✅ {name}" for n, name in enumerate(FLOWERS, 1))
    assert len(text) < MAX_TEXT < units(text)  # one message for Python, not for Telegram
    parts = split(text)
    assert len(parts) > 1 and all(units(p) <= MAX_TEXT for p in parts)
    assert "\n".join(parts) == text  # cut between lines, nothing lost
    assert split("🌸" * 9000) and all(units(p) <= MAX_TEXT for p in split("🌸" * 9000))


def test_a_text_without_emoji_keeps_its_4096_characters() -> None:
    text = "é" * MAX_TEXT
    assert split(text) == [text]


def test_a_question_filling_its_message_keeps_its_start_and_shows_the_choice() -> None:
    lines = [f"<b>Ligne {n}</b> : " + "x" * 60 for n in range(51)]
    question = "\n".join([*lines, "y" * 70])
    assert MAX_TEXT - 10 < len(question) <= MAX_TEXT  # sent whole, the last part of a question
    answered = marked(question, "Oui, l'enregistrer")
    assert units(answered) <= MAX_TEXT
    assert answered.startswith("<b>Ligne 0</b>")
    assert answered.endswith("\n…\n\n✔ Oui, l&#x27;enregistrer")
    assert len(re.findall("<b>", answered)) == len(re.findall("</b>", answered))


def test_a_short_question_answered_is_the_question_and_the_choice() -> None:
    assert marked("Enregistrer l'appel ?", "Oui") == "Enregistrer l'appel ?\n\n✔ Oui"
    assert marked("Fini ?", "✅ Terminé") == "Fini ?\n\n✅ Terminé"


@pytest.fixture
async def bot(
    emulator: TelegramEmulator, db: Database, settings: Settings, clock: Clock, demo: None
) -> AsyncIterator[TelegramTransport]:
    await add_formation(db, title="Fleurs", trainees=FLOWERS)
    async with trainer_bot(
        emulator, db, settings, clock, token=TOKEN, user_id=TRAINER_ID
    ) as transport:
        yield transport


@pytest.mark.slow  # the node Telegram emulator, which refuses what Telegram refuses
async def test_the_roll_call_of_names_full_of_emoji_reaches_telegram(
    emulator: TelegramEmulator, bot: TelegramTransport
) -> None:
    async with emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as camille:
        before = await latest_id(camille)
        await camille.send_command("/appel")
        await wait_for(camille, before, "L'appel de quelle formation ?")
        await click(camille, "Fleurs", "L'appel de quand ?")
        before = await latest_id(camille)
        await camille.press_button("Ce matin")
        roll = await wait_for(camille, before, FLOWERS[19])  # the page's last name, whole
        shown = [m for m in await camille.bot_messages() if m.message_id > before]
        assert "Appel du lundi 23 novembre 2026, matin – Fleurs" in shown[0].body
        assert all(units(m.body) <= MAX_TEXT for m in shown)
        assert texts.plain(f"1. ✅ {FLOWERS[0]}") in roll.body
        assert len(roll.button_texts) == 23  # 20 names, the next page, all present, done

        await camille.press_button(roll.button_texts[0], roll)  # Léa00 absent: edited in place
        edited = await camille.wait_until(
            lambda ms: any(m.message_id == roll.message_id and "❌" in m.body for m in ms),
            15,
            what="the list edited with Léa00 absent",
        )
        shown = next(m for m in edited if m.message_id == roll.message_id)
        assert FLOWERS[19] in shown.body and len(shown.button_texts) == 23  # its list kept
        assert units(shown.body) <= MAX_TEXT
