"""/appel through Telegram: the real transport and python-telegram-bot against the loopback
Bot API emulator.  A group of 25 is paged by 20 inline buttons; touching a name edits the
list in place (présence → absence → retard); one confirmation saves the call."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.storage.db import Database
from bot.storage.formations import Trainee
from bot.transports.telegram import TelegramTransport
from tests.auxil.absences import absences, add_formation
from tests.auxil.dialogue import Clock
from tests.auxil.telegram_bot import trainer_bot
from tests.auxil.telegram_emulator import BotMessage, TelegramEmulator, TelegramUser

pytestmark = pytest.mark.slow  # every test here talks to the node Telegram emulator

TOKEN = "987654:FORMABOT-appel"
TRAINER_ID = 601
GROUP = tuple(f"Prénom{n:02d} Stagiaire{n:02d}" for n in range(1, 26))


@pytest.fixture
async def bot(
    emulator: TelegramEmulator, db: Database, settings: Settings, clock: Clock, demo: None
) -> AsyncIterator[TelegramTransport]:
    await add_formation(db, title="Grand groupe", trainees=GROUP)
    async with trainer_bot(
        emulator, db, settings, clock, token=TOKEN, user_id=TRAINER_ID
    ) as transport:
        yield transport


async def latest_id(user: TelegramUser) -> int:
    return max((m.message_id for m in await user.bot_messages()), default=0)


async def new_message(user: TelegramUser, after: int, expect: str) -> BotMessage:
    messages = await user.wait_until(
        lambda ms: any(m.message_id > after and expect in m.body for m in ms),
        15,
        what=f"a reply containing {expect!r}",
    )
    return next(m for m in reversed(messages) if m.message_id > after and expect in m.body)


async def edited(user: TelegramUser, message_id: int, button: str) -> BotMessage:
    """The list message, once edited in place to show ``button``."""
    messages = await user.wait_until(
        lambda ms: any(m.message_id == message_id and button in m.button_texts for m in ms),
        15,
        what=f"the list edited with {button!r}",
    )
    return next(m for m in messages if m.message_id == message_id)


async def this_morning_s_roll(camille: TelegramUser) -> BotMessage:
    """/appel, « Grand groupe », « Ce matin »: the list of names."""
    before = await latest_id(camille)
    await camille.send_command("/appel")
    await new_message(camille, before, "L'appel de quelle formation ?")
    before = await latest_id(camille)
    await camille.press_button("Grand groupe")
    await new_message(camille, before, "L'appel de quand ?")
    before = await latest_id(camille)
    await camille.press_button("Ce matin")
    return await new_message(camille, before, "Appel du lundi 23 novembre 2026, matin")


async def test_a_paged_call_with_buttons_is_saved_once(
    emulator: TelegramEmulator, bot: TelegramTransport, db: Database
) -> None:
    async with emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as camille:
        roll = await this_morning_s_roll(camille)
        assert "Page 1 sur 2" in roll.body
        # Each name with the number typing answers it (explorer DF1: « Page 1 sur 2 : les
        # numéros sont ceux de toute la liste » above names without any).
        names = [t for t in roll.button_texts if "Stagiaire" in t]
        assert names == [f"{i}. ✅ {n}" for i, n in enumerate(GROUP[:20], start=1)]
        assert roll.button_texts[-3:] == ["Suivants ▶ (2/2)", "Tous présents", "📋 Valider l'appel"]

        await camille.press_button(GROUP[1], roll)
        roll = await edited(camille, roll.message_id, f"2. ❌ {GROUP[1]} (absence)")
        await camille.press_button("Suivants", roll)
        roll = await edited(camille, roll.message_id, f"23. ✅ {GROUP[22]}")
        assert [t for t in roll.button_texts if "Stagiaire" in t] == [
            f"{i}. ✅ {n}" for i, n in enumerate(GROUP[20:], start=21)
        ]
        await camille.press_button(GROUP[22], roll)
        roll = await edited(camille, roll.message_id, f"23. ❌ {GROUP[22]} (absence)")
        await camille.press_button(GROUP[22], roll)
        roll = await edited(camille, roll.message_id, f"23. ⏰ {GROUP[22]} (retard)")
        await camille.press_button("Précédents", roll)
        roll = await edited(camille, roll.message_id, f"2. ❌ {GROUP[1]} (absence)")  # kept

        before = await latest_id(camille)
        await camille.press_button("Valider l'appel", roll)
        recap = await new_message(camille, before, "Enregistrer l'appel ?")
        assert f"Absence (1) : {GROUP[1]}." in recap.body
        assert f"Retard (1) : {GROUP[22]}." in recap.body
        assert "24 personnes présentes, dont 1 en retard." in recap.body
        before = await latest_id(camille)
        await camille.press_button("Enregistrer l'appel", recap)
        await new_message(camille, before, "Appel enregistré")

    saved = await absences(db)
    async with db.sessions() as session:
        who = [(await session.get(Trainee, a.trainee_id), a.period) for a in saved]
    assert [(t.full_name if t else "?", p) for t, p in who] == [
        (GROUP[1], "matin"),
        (GROUP[22], "retard"),
    ]


async def test_a_double_tap_on_a_name_counts_once(
    emulator: TelegramEmulator, bot: TelegramTransport, db: Database
) -> None:
    """Explorer V, V5: a quick double tap on « ✅ Léa Martin » made her « ⏰ (retard) »."""
    async with emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as camille:
        roll = await this_morning_s_roll(camille)
        data = roll.button(GROUP[3]).callback_data
        assert data is not None
        await camille.press(data, roll.message_id)
        await camille.press(data, roll.message_id)  # the same button, before the list changed
        roll = await edited(camille, roll.message_id, f"4. ❌ {GROUP[3]} (absence)")
        before = await latest_id(camille)
        await camille.press_button("Suivants", roll)  # answered after both presses
        roll = await edited(camille, roll.message_id, f"23. ✅ {GROUP[22]}")
        # The second press edited nothing and sent no copy of the list.
        assert await latest_id(camille) == before
        await camille.press_button("Valider l'appel", roll)
        recap = await new_message(camille, before, "Enregistrer l'appel ?")
        assert f"Absence (1) : {GROUP[3]}." in recap.body and "Retard" not in recap.body
