"""Telegram's updates coming in, each written down before Telegram is told it arrived.

Two ways in, both handing a batch of :class:`telegram.Update` to a
``receive`` function that returns only once the batch is committed to the
inbox (:mod:`bot.inbox`):

- :func:`poll`, our own ``getUpdates`` loop (not PTB's ``Updater``, which
  confirms an update with its next call as soon as it is queued): a batch is
  received, and only then is the next offset asked for, which confirms it.
- :class:`Webhook`, a small tornado server (the stack PTB's own webhook runs
  on) whose handler receives the update before it answers 200, checks
  Telegram's secret header first (403 and one warning line otherwise), and
  answers 500 when the update cannot be written, so Telegram sends it again.

Both wait and retry, with back-off, while the Bot API cannot be reached.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TypeVar

import tornado.web
from telegram import Bot, Message, Update
from telegram.error import BadRequest, NetworkError, RetryAfter
from tornado.httpserver import HTTPServer

from bot.config import Settings
from bot.failures import SPACE, Refusals, log_failure
from bot.files import kept_secret

log = logging.getLogger("bot.transports.telegram")

ALLOWED_UPDATES = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY)
"""A message changed comes too, to be told it is not read (explorer AW5: the day corrected
in an edit was silently not the one saved)."""


def unread_kind(message: Message, *, edited: bool) -> str:
    """What a message is that the bot does not read (:data:`bot.messages.UNREAD`), or ""."""
    if edited:
        return "edit"
    if message.voice or message.audio or message.video_note:
        return "voice"
    if _forwarded_words(message):
        return "forward"  # someone else's words, not the person's (explorer AW10)
    if message.text or message.caption or message.document or message.photo:
        return ""
    return "media"  # a sticker, a place, a contact card, a poll, a video…


def _forwarded_words(message: Message) -> bool:
    """Someone else's words forwarded: not a file (a certificate forwarded is one), not the
    person's own message, not an invitation (« … envoyez au bot : /start CODE », forwarded
    whole, is how a newcomer sends it: explorer AY1)."""
    origin = message.forward_origin
    if origin is None or message.document or message.photo:
        return False
    sender = getattr(origin, "sender_user", None)
    own = sender is not None and message.from_user is not None and sender.id == message.from_user.id
    return not own and "/start" not in (message.text or message.caption or "")


def file_of(message: Message) -> tuple[str, str, int, str] | None:
    """The document or the photo a message carries: its name, type, size and file id."""
    if message.document is not None:
        document = message.document
        name = document.file_name or "document"
        mime = document.mime_type or "application/octet-stream"
        return name, mime, document.file_size or 0, document.file_id
    if message.photo:
        photo = message.photo[-1]
        return "photo.jpg", "image/jpeg", photo.file_size or 0, photo.file_id
    return None


POLL_TIMEOUT = 10
"""Seconds a ``getUpdates`` long poll waits for something to arrive."""
RETRY_FIRST = 0.5
RETRY_MAX = 15.0
"""Back-off while the Bot API is unreachable (at start or polling): 0.5 s doubling, ≤ 15 s."""
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_SECRET_FILE = "telegram-webhook-secret"

T = TypeVar("T")
Receive = Callable[[Sequence[Update]], Awaitable[object]]
"""Translate and record a batch; returns once it is committed."""


def seconds(delay: float | timedelta) -> float:
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


async def when_reachable(what: str, call: Callable[[], Awaitable[T]]) -> T:
    """``call()``, retried with back-off for as long as the Bot API cannot be reached."""
    delay = RETRY_FIRST
    while True:
        try:
            return await call()
        except RetryAfter as exc:
            await asyncio.sleep(seconds(exc.retry_after))
        except NetworkError as exc:
            if isinstance(exc, BadRequest):
                raise
            log.warning(
                "telegram: %s failed (%s), retrying in %.1f s", what, type(exc).__name__, delay
            )
            await asyncio.sleep(delay)
            delay = min(RETRY_MAX, delay * 2)


GET_UPDATES_MARGIN = 10.0
"""Seconds a ``getUpdates`` answer may take beyond its long poll."""


async def fetch(bot: Bot, offset: int | None) -> tuple[list[Update], int | None]:
    """The updates Telegram holds from ``offset`` on, and the offset that confirms them.

    The batch is read one update at a time (explorer ID5): PTB's ``get_updates``
    reads it whole, so one update it cannot build (a type newer than the installed
    PTB, a malformed field) failed every batch for ever, and PTB logged the whole
    batch — names, texts — at CRITICAL each time. An unreadable update is skipped,
    confirmed with the others, and logged by its id and the error's class only,
    as the webhook does.
    """
    data = {
        "offset": offset,
        "timeout": POLL_TIMEOUT,
        "allowed_updates": list(ALLOWED_UPDATES),
    }
    raw = await bot._post("getUpdates", data, read_timeout=POLL_TIMEOUT + GET_UPDATES_MARGIN)
    updates: list[Update] = []
    last: int | None = None
    for item in raw if isinstance(raw, list) else []:
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if isinstance(update_id, int):
            last = update_id if last is None else max(last, update_id)
        try:
            updates.append(Update.de_json(item, bot))
        except Exception as exc:
            log.warning(
                "telegram polling: update %s could not be read (%s), skipped",
                update_id,
                type(exc).__name__,
            )
    return updates, (offset if last is None else last + 1)


async def poll(bot: Bot, receive: Receive, *, interval: float, recording: asyncio.Lock) -> None:
    """``getUpdates`` for ever; a batch is received before the next offset confirms it.

    ``recording`` is held while a batch is written: a stop waits for it, so
    the loop is only ever cancelled while it asks or waits.
    """
    offset: int | None = None
    delay = RETRY_FIRST
    refusals = Refusals("recording telegram updates", RETRY_FIRST, RETRY_MAX)
    while True:
        try:
            updates, after = await fetch(bot, offset)
        except RetryAfter as exc:
            await asyncio.sleep(seconds(exc.retry_after))
            continue
        except Exception as exc:  # unreachable, conflict, 5xx: wait and ask again
            log.warning("telegram polling: %s, retrying in %.1f s", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(RETRY_MAX, delay * 2)
            continue
        delay = RETRY_FIRST
        if updates:
            async with recording:
                try:
                    await receive(updates)
                except Exception as exc:  # not written down: not confirmed, asked again
                    refusals.refused(exc, said=SPACE.lacking(exc))
                    await asyncio.sleep(refusals.pause)
                    continue
            refusals.answered()
            SPACE.written()
        offset = after
        if interval:
            await asyncio.sleep(interval)


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
    # Telegram allows A-Z, a-z, 0-9, _ and -
    return kept_secret(settings.data_dir / WEBHOOK_SECRET_FILE, lambda: secrets.token_urlsafe(48))


class _WebhookHandler(tornado.web.RequestHandler):
    """One webhook call: checked, recorded, and only then answered 200."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot: Bot, receive: Receive, secret: str) -> None:
        self.bot = bot
        self.receive = receive
        self.secret = secret.encode()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self.secret):
            log.warning("telegram webhook: a call without the right secret was refused (403)")
            self.set_status(403)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot)
        except Exception as exc:
            log.warning("telegram webhook: an unreadable call was refused (%s)", type(exc).__name__)
            self.set_status(400)
            return
        try:
            await self.receive([update])
        except Exception as exc:
            log_failure("recording a webhook update", exc)
            self.set_status(500)
            return
        self.set_status(200)


class Webhook:
    """Listens on ``TELEGRAM_WEBHOOK_LISTEN:PORT``, then tells Telegram.

    Every path is served: a reverse proxy passes the public URL's path as it is
    (``/telegram-9f8e7d``) or rewritten (``/telegram``), and an update refused
    for its path would be lost without a word (explorer AM8). The secret header
    is what tells Telegram's calls from others, whatever the path."""

    def __init__(self, settings: Settings, bot: Bot, receive: Receive) -> None:
        self.settings = settings
        self.bot = bot
        self.receive = receive
        self.server: HTTPServer | None = None

    async def start(self) -> None:
        secret = webhook_secret(self.settings)
        app = tornado.web.Application(
            [
                (
                    r"/.*",
                    _WebhookHandler,
                    {"bot": self.bot, "receive": self.receive, "secret": secret},
                )
            ],
            log_function=lambda _handler: None,  # no access log
        )
        self.server = HTTPServer(app)
        self.server.listen(
            self.settings.telegram_webhook_port, address=self.settings.telegram_webhook_listen
        )
        await when_reachable(
            "setWebhook",
            lambda: self.bot.set_webhook(
                url=self.settings.telegram_webhook_url,
                secret_token=secret,
                allowed_updates=list(ALLOWED_UPDATES),
            ),
        )

    async def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            await self.server.close_all_connections()
            self.server = None
