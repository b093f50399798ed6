"""Telegram, through python-telegram-bot: translation only, no business rule.

Updates become :class:`~bot.messages.Incoming` (the update id is the event
id, so an update delivered twice has one effect); replies become HTML
messages with everything user-typed already escaped by the templates,
inline keyboards for choices, documents with ``send_document``.  When a
button is pressed, the message that carried it is edited to show the choice
and lose its keyboard, so old buttons cannot be pressed twice.

We deliberately use neither ``ConversationHandler`` nor PTB persistence:
the engine keeps conversation state in SQL for every platform.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import update as sql_update
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest

from bot import texts
from bot.config import Settings
from bot.engine import Engine, log_failure
from bot.messages import Attachment, Incoming, Platform, Reply
from bot.outbox import PermanentFailure
from bot.storage.base import utcnow
from bot.storage.people import ChatIdentity

log = logging.getLogger(__name__)

MAX_TEXT = 4096
CONCURRENT_UPDATES = 32
MAX_CAPTION = 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
"""Bot API limit on files a bot may download; larger ones are refused politely."""

DESCRIPTION = (
    "formabot aide les formateurs et les organismes de formation : absences et décrochages, "
    "bilans à distance, attestations sur l'honneur, échéances des financeurs."
)
SHORT_DESCRIPTION = "L'assistant des formateurs : absences, bilans, attestations, échéances."

T = TypeVar("T")


async def with_retries(call: Callable[[], Awaitable[T]], *, attempts: int = 4) -> T:
    """Retry a Bot API call on network trouble, with backoff; flood waits are honoured."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            delay = exc.retry_after
            wait = delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay)
            await asyncio.sleep(min(wait, 60))
        except (TimedOut, NetworkError) as exc:
            if isinstance(exc, BadRequest) or attempt == attempts:
                raise
            await asyncio.sleep(0.5 * 2 ** (attempt - 1))
    return await call()


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    columns = max(1, reply.columns)
    buttons = [InlineKeyboardButton(c.label[:64], callback_data=c.data[:64]) for c in reply.choices]
    rows = [buttons[i : i + columns] for i in range(0, len(buttons), columns)]
    return InlineKeyboardMarkup(rows)


WEBHOOK_SECRET_FILE = "telegram-webhook-secret"
_WEBHOOK_LOG = "telegram.ext.Updater"
"""The logger PTB's webhook server writes its refusals to (at DEBUG)."""


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram sends with every webhook call; made and kept when none is set.

    The webhook's address is public by definition: without a secret anyone
    could post a forged update in an admin's name.  So webhook mode never
    runs without one: the configured ``TELEGRAM_WEBHOOK_SECRET``, else one
    generated once and kept in the data folder (mode 600), the same at
    every start.
    """
    if settings.telegram_webhook_secret:
        return settings.telegram_webhook_secret
    path = settings.data_dir / WEBHOOK_SECRET_FILE
    if path.exists():
        kept = path.read_text(encoding="ascii").strip()
        if kept:
            return kept
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)  # Telegram allows A-Z, a-z, 0-9, _ and -
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secret)
    return secret


class _RefusedWebhookCalls(logging.Filter):
    """Turns PTB's debug lines about a refused webhook call into one warning of ours.

    PTB answers 403 by itself and says so at DEBUG, quoting the wrong token;
    formabot keeps that logger quiet, so the refusal is logged here instead,
    without the token.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith(("Request did not include", "Request had the wrong")):
            log.warning("telegram webhook: a call without the right secret was refused (403)")
        # Only what the logger showed before: warnings and errors, never its chatter.
        return record.levelno >= logging.WARNING


class TelegramTransport:
    platform = Platform.TELEGRAM.value

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        request: BaseRequest | None = None,
        poll_interval: float | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = ApplicationBuilder().token(
            settings.telegram_token
        )
        if settings.telegram_base_url:
            base = settings.telegram_base_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        if request is not None:
            builder = builder.request(request).get_updates_request(request)
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
        # Different people are handled concurrently (the engine serialises each
        # person's messages); each person's updates keep their order, below.
        builder = builder.concurrent_updates(CONCURRENT_UPDATES)
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.app.add_handler(TypeHandler(Update, self._on_update))
        self.app.add_error_handler(self._on_error)
        self.poll_interval = (
            settings.telegram_poll_interval if poll_interval is None else poll_interval
        )
        self.username = ""
        self._order: dict[tuple[int, int], tuple[asyncio.Lock, int]] = {}

    # --- life cycle -------------------------------------------------------------

    async def start(self) -> None:
        await self.app.initialize()
        self.username = self.app.bot.username or ""
        await self._announce()
        updater = self.app.updater
        assert updater is not None
        allowed = [Update.MESSAGE, Update.CALLBACK_QUERY]
        if self.settings.telegram_webhook_url:
            refusals = logging.getLogger(_WEBHOOK_LOG)
            refusals.setLevel(logging.DEBUG)
            if not any(isinstance(f, _RefusedWebhookCalls) for f in refusals.filters):
                refusals.addFilter(_RefusedWebhookCalls())
            await updater.start_webhook(
                listen=self.settings.telegram_webhook_listen,
                port=self.settings.telegram_webhook_port,
                url_path="telegram",
                webhook_url=self.settings.telegram_webhook_url,
                secret_token=webhook_secret(self.settings),
                allowed_updates=allowed,
            )
        else:
            await updater.start_polling(
                poll_interval=self.poll_interval,
                allowed_updates=allowed,
                bootstrap_retries=-1,
            )
        await self.app.start()
        log.info(
            "telegram transport started (%s)",
            "webhook" if self.settings.telegram_webhook_url else "polling",
        )

    async def _announce(self) -> None:
        """The French command menu and description; a refusal here is not fatal."""
        bot = self.app.bot
        calls: list[Callable[[], Awaitable[bool]]] = [
            lambda: bot.set_my_commands([BotCommand(c, d) for c, d in self.engine.features.menu()]),
            lambda: bot.set_my_description(DESCRIPTION),
            lambda: bot.set_my_short_description(SHORT_DESCRIPTION),
        ]
        for call in calls:
            try:
                await call()
            except Exception as exc:
                log.warning("telegram set-up call refused: %s", type(exc).__name__)

    async def stop(self) -> None:
        updater = self.app.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    # --- incoming -----------------------------------------------------------------

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            log_failure("telegram update", context.error)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Taken before any await: updates of one person start in arrival order,
        # so downloading a file or answering a button cannot reorder them.
        chat, user = update.effective_chat, update.effective_user
        key = (chat.id if chat else 0, user.id if user else 0)
        lock, waiting = self._order.get(key, (asyncio.Lock(), 0))
        self._order[key] = (lock, waiting + 1)
        try:
            async with lock:
                incoming = await self.to_incoming(update)
                if incoming is None:
                    return
                replies = await self.engine.handle(incoming)
                await self.deliver(update, replies)
        finally:
            lock, waiting = self._order[key]
            if waiting == 1:
                del self._order[key]
            else:
                self._order[key] = (lock, waiting - 1)

    def _addressed_to_me(self, text: str) -> bool:
        """In a group, only commands (``/aide`` or ``/aide@thisbot``) are for the bot."""
        if not text.startswith("/"):
            return False
        word = text.split(maxsplit=1)[0]
        if "@" in word:
            return word.split("@", 1)[1].lower() == self.username.lower()
        return True

    async def to_incoming(self, update: Update) -> Incoming | None:
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None or user.is_bot:
            return None
        is_group = chat.type in (ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL)
        base = Incoming(
            platform=Platform.TELEGRAM,
            chat=str(chat.id),
            user=str(user.id),
            event_id=str(update.update_id),
            display_name=user.full_name,
            is_group=is_group,
        )
        query = update.callback_query
        if query is not None:
            try:
                await query.answer()
            except Exception as exc:  # an expired query still carries a valid choice
                log.info("callback answer refused: %s", type(exc).__name__)
            return replace(base, choice=query.data or "")
        message = update.message
        if message is None:
            return None
        text = message.text or message.caption or ""
        if is_group and not self._addressed_to_me(text):
            return None
        attachment = await self._attachment(message)
        return replace(base, text=text, attachment=attachment)

    async def _attachment(self, message: Message) -> Attachment | None:
        if message.document is not None:
            document = message.document
            name = document.file_name or "document"
            mime = document.mime_type or "application/octet-stream"
            size = document.file_size or 0
            file_id = document.file_id
        elif message.photo:
            photo = message.photo[-1]
            name, mime, size, file_id = (
                "photo.jpg",
                "image/jpeg",
                photo.file_size or 0,
                photo.file_id,
            )
        else:
            return None
        if size > MAX_DOWNLOAD:
            return Attachment(name, mime, b"")
        try:
            file = await with_retries(lambda: self.app.bot.get_file(file_id))
            content = bytes(await file.download_as_bytearray())
        except Exception as exc:
            log.warning("attachment download failed: %s", type(exc).__name__)
            content = b""
        return Attachment(name, mime, content)

    # --- outgoing ----------------------------------------------------------------

    async def deliver(self, update: Update, replies: Sequence[Reply]) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        query = update.callback_query
        pressed = (
            query.message if query is not None and isinstance(query.message, Message) else None
        )
        editable = pressed
        if pressed is not None and query is not None:
            if any(r.edit_previous for r in replies):
                pass  # the pressed message is replaced in place below
            else:
                await self._mark_chosen(pressed, query.data or "")
                editable = None
        for reply in replies:
            if reply.edit_previous and editable is not None:
                await self._edit(editable, reply)
                editable = None
                continue
            await self.send(str(chat.id), reply)

    async def _mark_chosen(self, message: Message, data: str) -> None:
        """Show what was chosen on the question and drop its keyboard."""
        label = ""
        markup = message.reply_markup
        if markup is not None:
            for row in markup.inline_keyboard:
                for button in row:
                    if button.callback_data == data:
                        label = button.text
        base = message.text_html or message.caption_html or ""
        text = f"{base}\n\n✔ {html.escape(label)}" if label else base
        try:
            if text:
                await message.edit_text(
                    text[:MAX_TEXT], parse_mode=ParseMode.HTML, reply_markup=None
                )
            else:
                await message.edit_reply_markup(reply_markup=None)
        except Exception as exc:  # already edited, too old: nothing to clean
            log.info("could not edit the answered question: %s", type(exc).__name__)

    async def _edit(self, message: Message, reply: Reply) -> None:
        try:
            await message.edit_text(
                texts.split_text(reply.text, MAX_TEXT)[0],
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply),
            )
        except Exception as exc:
            log.info("edit failed, sending instead: %s", type(exc).__name__)
            await self.send(str(message.chat_id), reply)

    def _text(self, reply: Reply) -> str:
        text = reply.text
        code = reply.extras.get("invite_code")
        if code and self.username:
            link = f"https://t.me/{self.username}?start={code}"
            text = f"{text}\n\nLien à transférer : {html.escape(link)}"
        return text

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send one reply; a blocked bot is recorded and refused for good."""
        bot = self.app.bot
        try:
            if reply.document is not None:
                document = reply.document
                caption = document.caption or (reply.text if len(reply.text) <= MAX_CAPTION else "")
                await with_retries(
                    lambda: bot.send_document(
                        chat_id=chat_id,
                        document=InputFile(document.content, filename=document.filename),
                        caption=caption or None,
                        parse_mode=ParseMode.HTML,
                        reply_markup=keyboard(reply) if not (reply.text and not caption) else None,
                    )
                )
                if reply.text and not caption:
                    await self._send_text(chat_id, reply)
                return
            await self._send_text(chat_id, reply)
        except Forbidden as exc:
            await self._blocked(chat_id)
            raise PermanentFailure(type(exc).__name__) from exc

    async def _send_text(self, chat_id: str, reply: Reply) -> None:
        parts = texts.split_text(self._text(reply), MAX_TEXT) or [""]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if not part.strip():
                part = texts.escape("…")
            await with_retries(
                lambda part=part, last=last: self.app.bot.send_message(  # type: ignore[misc]
                    chat_id=chat_id,
                    text=part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(reply) if last else None,
                    disable_web_page_preview=True,
                )
            )

    async def _blocked(self, chat_id: str) -> None:
        async with self.engine.db.sessions() as session, session.begin():
            await session.execute(
                sql_update(ChatIdentity)
                .where(ChatIdentity.platform == self.platform, ChatIdentity.chat_id == chat_id)
                .values(blocked_at=utcnow())
            )
        log.info("a recipient blocked the bot; not retrying")
