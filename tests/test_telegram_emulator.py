"""The loopback Telegram peer (peers/telegram) against the real python-telegram-bot 22.

Each test speaks to one peer per module, reset before each test: PTB on the bot
side, ``TelegramUser`` on the user side.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.auxil import telegram_emulator
from tests.auxil.telegram_emulator import (
    EmulatorError,
    TelegramEmulator,
    TelegramUser,
    launch_emulator,
    run_emulator,
)

pytestmark = pytest.mark.slow  # every test here talks to the node Telegram emulator

TOKEN = "123456:TEST-telegram-emulator"
USER_ID = 4321


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with run_emulator() as peer:
        yield peer


@pytest.fixture
async def user(emulator: TelegramEmulator) -> AsyncIterator[TelegramUser]:
    await emulator.reset()
    async with TelegramUser(
        emulator.url, TOKEN, user_id=USER_ID, first_name="Camille", username="camille"
    ) as person:
        yield person


def build_app(emulator: TelegramEmulator) -> Application:  # type: ignore[type-arg]
    return (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emulator.bot_base_url)
        .base_file_url(emulator.bot_base_file_url)
        .build()
    )


@pytest.fixture
async def app(emulator: TelegramEmulator) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = build_app(emulator)
    await application.initialize()
    yield application
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Oui", callback_data="yes"),
            InlineKeyboardButton("Non", callback_data="no"),
        ]
    ]
)


def recent(date: dtm.datetime) -> bool:
    return abs((dtm.datetime.now(dtm.UTC) - date).total_seconds()) < 60


async def test_emulator_starts_and_stops(emulator: TelegramEmulator) -> None:
    """How long it takes to start is a figure for ``bench/``, not a test's (the rules)."""
    assert emulator.url == f"http://127.0.0.1:{emulator.port}"
    async with run_emulator() as other:
        assert other.running and other.port != emulator.port
    assert not other.running and other.process.returncode == 0


def test_clear_errors_when_the_peer_cannot_start(
    emulator: TelegramEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(EmulatorError, match="exited with 1 before READY"):
        launch_emulator(port=emulator.port)  # the port is taken
    monkeypatch.setattr(telegram_emulator, "PEER_DIR", tmp_path)
    with pytest.raises(EmulatorError, match="npm ci --prefix peers/telegram"):
        launch_emulator()


async def test_initialize_reads_get_me(app: Application) -> None:  # type: ignore[type-arg]
    me = app.bot.bot
    assert me.is_bot is True
    assert me.id == 123456
    assert app.bot.username == "TestNameBot"


async def test_start_command_arrives_with_entity_and_payload(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    sent = await user.send_command("/start CODE42")
    (update,) = await app.bot.get_updates(timeout=0)
    message = update.message
    assert message is not None and message.message_id == sent.message_id
    assert message.text == "/start CODE42"
    assert message.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 6),)
    assert message.parse_entities([MessageEntity.BOT_COMMAND]) == {message.entities[0]: "/start"}
    assert message.from_user is not None and message.from_user.id == USER_ID
    assert message.from_user.first_name == "Camille" and not message.from_user.is_bot
    assert message.chat.id == USER_ID and message.chat.type == "private"
    assert recent(message.date)


async def test_group_command_addressed_to_the_bot(
    app: Application,  # type: ignore[type-arg]
    emulator: TelegramEmulator,
    user: TelegramUser,
) -> None:
    member = emulator.user(TOKEN, user_id=77, chat_id=-1001, chat_type="group", chat_title="Promo")
    async with member:
        await member.send_command("/aide@TestNameBot maintenant")
    (update,) = await app.bot.get_updates(timeout=0)
    message = update.message
    assert message is not None
    assert message.chat.type == "group" and message.chat.title == "Promo"
    assert message.entities == (
        MessageEntity(MessageEntity.BOT_COMMAND, 0, len("/aide@TestNameBot")),
    )
    assert message.from_user is not None and message.from_user.id == 77


async def test_updates_are_confirmed_by_offset_not_by_delivery(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    await user.send_message("un")
    await user.send_message("deux")
    first = await app.bot.get_updates(timeout=0)
    again = await app.bot.get_updates(timeout=0)  # a lost response loses nothing
    assert [u.message.text for u in first if u.message] == ["un", "deux"]
    assert [u.update_id for u in again] == [u.update_id for u in first]
    limited = await app.bot.get_updates(offset=first[0].update_id + 1, timeout=0, limit=5)
    assert [u.update_id for u in limited] == [first[1].update_id]
    assert await app.bot.get_updates(offset=first[1].update_id + 1, timeout=0) == ()


async def test_get_updates_long_polls(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    async def later() -> None:
        await asyncio.sleep(0.3)
        await user.send_message("réveil")

    # The message is sent after the poll began: it is in the answer only if the poll waited
    # for it, and the poll returned with it rather than at the end of its long timeout.
    task = asyncio.create_task(later())
    updates = await asyncio.wait_for(app.bot.get_updates(timeout=120), timeout=60)
    await task
    assert [u.message.text for u in updates if u.message] == ["réveil"]


async def test_send_message_with_inline_keyboard_seen_by_user(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    sent = await app.bot.send_message(USER_ID, "Présent demain ?", reply_markup=KEYBOARD)
    assert isinstance(sent, Message)
    assert recent(sent.date)
    assert sent.chat.id == USER_ID and sent.reply_markup == KEYBOARD
    assert sent.from_user is not None and sent.from_user.is_bot

    (seen,) = await user.wait_for_bot_messages(1)
    assert seen.message_id == sent.message_id
    assert seen.text == "Présent demain ?"
    assert seen.button_texts == ["Oui", "Non"]
    assert seen.callback_data == ["yes", "no"]
    assert abs(seen.date - time.time()) < 60


async def test_html_is_rendered_and_bad_html_refused(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    sent = await app.bot.send_message(
        USER_ID, "<b>Bilan</b> de Dupont &amp; Fils", parse_mode=ParseMode.HTML
    )
    assert sent.text == "Bilan de Dupont & Fils"
    assert sent.entities == (MessageEntity(MessageEntity.BOLD, 0, 5),)
    (seen,) = await user.wait_for_bot_messages(1)
    assert seen.text == "Bilan de Dupont & Fils"
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await app.bot.send_message(USER_ID, "<b>non fermé", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)Unsupported start tag"):
        await app.bot.send_message(USER_ID, "<br>", parse_mode=ParseMode.HTML)


async def test_press_button_answer_and_edit(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    question = await app.bot.send_message(USER_ID, "Présent demain ?", reply_markup=KEYBOARD)
    query_id = await user.press("yes")

    (update,) = await app.bot.get_updates(timeout=0)
    query = update.callback_query
    assert isinstance(query, CallbackQuery)
    assert query.id == query_id and query.data == "yes" and query.chat_instance
    assert query.from_user.id == USER_ID
    assert isinstance(query.message, Message)
    assert query.message.message_id == question.message_id
    assert query.message.reply_markup == KEYBOARD

    assert await query.answer("Noté") is True
    assert (await user.callback_answer(query_id))["text"] == "Noté"
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await query.answer()  # a query is answered once

    edited = await query.message.edit_text("Présent demain ? <i>Oui</i>", parse_mode="HTML")
    assert isinstance(edited, Message)
    assert edited.text == "Présent demain ? Oui" and edited.edit_date is not None
    assert edited.reply_markup is None  # Telegram drops the keyboard of an edit without one
    (seen,) = await user.bot_messages()
    assert seen.text == "Présent demain ? Oui" and seen.buttons == []
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await edited.edit_text("Présent demain ? <i>Oui</i>", parse_mode="HTML")


async def test_edit_reply_markup_and_pressing_missing_buttons(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    question = await app.bot.send_message(USER_ID, "Choix", reply_markup=KEYBOARD)
    without = await question.edit_reply_markup(reply_markup=None)
    assert isinstance(without, Message) and without.reply_markup is None
    with pytest.raises(EmulatorError, match="no button"):
        await user.press("yes", message_id=question.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=USER_ID, message_id=999_999)


async def test_polling_application_round_trip(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    payloads: list[list[str]] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        payloads.append(list(context.args or []))
        assert update.effective_message is not None
        await update.effective_message.reply_text("Présent demain ?", reply_markup=KEYBOARD)

    async def choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Réponse : {query.data}")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(choice))
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.1)
    await app.start()

    await user.send_command("/start CODE42")
    (question,) = await user.wait_for_bot_messages(1)
    assert payloads == [["CODE42"]]
    assert question.button_texts == ["Oui", "Non"]

    await user.press_button("Non", question)
    await user.wait_until(lambda ms: ms[0].text == "Réponse : no", what="the edited question")


async def test_commands_descriptions_and_chat_actions(
    app: Application,  # type: ignore[type-arg]
    emulator: TelegramEmulator,
    user: TelegramUser,
) -> None:
    bot = app.bot
    commands = [BotCommand("start", "Commencer"), BotCommand("aide", "Obtenir de l'aide")]
    assert await bot.set_my_commands(commands) is True
    assert await bot.get_my_commands() == tuple(commands)
    scope = BotCommandScopeChat(USER_ID)
    assert await bot.set_my_commands([BotCommand("bilan", "Mon bilan")], scope=scope)
    assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["bilan"]
    assert await bot.delete_my_commands(scope=scope) is True
    assert await bot.get_my_commands(scope=scope) == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Pas-Valide", "x")])

    assert await bot.set_my_description("Assistant des formateurs")
    assert await bot.set_my_short_description("Absences et bilans")
    assert (await bot.get_my_description()).description == "Assistant des formateurs"
    assert (await bot.get_my_short_description()).short_description == "Absences et bilans"

    assert await bot.send_chat_action(USER_ID, ChatAction.UPLOAD_DOCUMENT) is True
    state = await emulator.bot_state(TOKEN)
    assert [a["action"] for a in state["chat_actions"]] == ["upload_document"]
    assert state["description"] == {"": "Assistant des formateurs"}


async def test_send_document_is_seen_and_downloadable(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    content = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    sent = await app.bot.send_document(
        USER_ID,
        document=InputFile(content, filename="attestation.pdf"),
        caption="<b>Votre</b> attestation",
        parse_mode=ParseMode.HTML,
        reply_markup=KEYBOARD,
    )
    assert sent.document is not None
    assert sent.document.file_name == "attestation.pdf"
    assert sent.document.file_size == len(content)
    assert sent.document.mime_type == "application/pdf"
    assert sent.caption == "Votre attestation"

    (seen,) = await user.wait_for_bot_messages(1)
    assert seen.document is not None
    assert seen.document["file_name"] == "attestation.pdf"
    assert seen.document["file_id"] == sent.document.file_id
    assert seen.document["file_size"] == len(content)
    assert seen.caption == "Votre attestation" and seen.callback_data == ["yes", "no"]
    assert await user.download(seen) == content

    file = await app.bot.get_file(sent.document.file_id)
    assert file.file_size == len(content)
    assert bytes(await file.download_as_bytearray()) == content

    again = await app.bot.send_document(USER_ID, document=sent.document.file_id)
    assert again.document is not None and again.document.file_id == sent.document.file_id


async def test_user_document_reaches_the_bot(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    content = b"nom;absent\nDupont;oui\n"
    sent = await user.send_document(content, "absences.csv", caption="Les absences")
    (update,) = await app.bot.get_updates(timeout=0)
    message = update.message
    assert message is not None and message.document is not None
    assert message.message_id == sent.message_id
    assert message.caption == "Les absences"
    assert message.document.file_name == "absences.csv"
    assert message.document.mime_type == "text/csv"
    file = await message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == content


async def test_telegram_errors(
    app: Application,  # type: ignore[type-arg]
    user: TelegramUser,
) -> None:
    bot = app.bot
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER_ID, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(
            USER_ID,
            "trop long",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("a", callback_data="é" * 33)]]
            ),
        )
    with pytest.raises(BadRequest, match=r"(?i)not implemented by the test emulator"):
        await bot.send_photo(USER_ID, photo=b"\x89PNG")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.get_chat(999)
    await user.send_message("bonjour")
    chat = await bot.get_chat(USER_ID)
    assert chat.first_name == "Camille" and chat.username == "camille"

    await user.block_bot()
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(USER_ID, "encore là ?")
    await user.block_bot(False)
    assert await bot.send_message(USER_ID, "de retour")

    message = await bot.send_message(USER_ID, "éphémère")
    assert await bot.delete_message(USER_ID, message.message_id) is True
    assert [m.text for m in await user.bot_messages()] == ["de retour"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_webhook_delivery_with_secret_token(
    emulator: TelegramEmulator,
    user: TelegramUser,
) -> None:
    application = build_app(emulator)
    received: list[str] = []
    done = asyncio.Event()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        received.append(update.effective_message.text or "")
        done.set()

    application.add_handler(CommandHandler("start", start))
    port = free_port()
    await application.initialize()
    assert application.updater is not None
    try:
        await application.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="telegram",
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            secret_token="s3cret",
        )
        await application.start()
        state = await emulator.bot_state(TOKEN)
        assert state["webhook"]["url"] == f"http://127.0.0.1:{port}/telegram"
        with pytest.raises(Conflict, match="webhook is active"):
            await application.bot.get_updates(timeout=0)
        await user.send_command("/start WEB")
        await asyncio.wait_for(done.wait(), 5)
        assert received == ["/start WEB"]
    finally:
        await application.updater.stop()
        await application.stop()
        await application.bot.delete_webhook()
        await application.shutdown()
