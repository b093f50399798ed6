"""Telegram, through python-telegram-bot: translation only, no business rule.

Updates become :class:`~bot.messages.Incoming` (the update id is the event
id, so an update delivered twice has one effect); replies become HTML
messages with everything user-typed already escaped by the templates,
inline keyboards for choices, documents with ``send_document``.  When a
button is pressed, the message that carried it is edited to show the choice
and lose its keyboard, so old buttons cannot be pressed twice.

Nothing Telegram considers delivered is lost: every update is written to the
inbox (:mod:`bot.inbox`) before Telegram is told it arrived (our own polling
loop and webhook server, :mod:`bot.transports.telegram_inbound`).  The inbox
then handles updates in order per person and has
:meth:`TelegramTransport.answer` send the replies.

We deliberately use neither PTB's ``Updater`` nor ``ConversationHandler``
nor its persistence: the engine keeps conversation state in SQL for every
platform.  PTB's ``Application`` is kept for its bot (rate limiter,
initialisation).

A worker process (``formabot work``, :mod:`bot.workers`) builds this
transport with ``receiving=False``: it only answers, the rows it claims in
the shared inbox.  It never calls ``getUpdates``, ``setWebhook`` or
``deleteWebhook`` (Telegram allows one consumer, the receiving process),
nor rewrites the command menu.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from telegram import (
    BotCommand,
    InputFile,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot import texts
from bot.config import Settings
from bot.engine import Engine
from bot.failures import log_failure
from bot.inbox import Inbox, Sent
from bot.messages import (
    STALE,
    Attachment,
    Incoming,
    Platform,
    Reply,
)
from bot.outbox import PermanentFailure
from bot.transports import telegram_sizes
from bot.transports.telegram_buttons import MAX_BUTTON as MAX_BUTTON
from bot.transports.telegram_buttons import keyboard as keyboard
from bot.transports.telegram_buttons import listed_lines
from bot.transports.telegram_calls import SEND_TIMEOUT as SEND_TIMEOUT
from bot.transports.telegram_calls import with_retries
from bot.transports.telegram_chats import blocked, migration, moved
from bot.transports.telegram_groups import (
    GROUPS,
    addressed_to_me,
    answers_me,
    reply_parameters,
    reply_to,
    someone_elses,
)
from bot.transports.telegram_inbound import WEBHOOK_SECRET_FILE as WEBHOOK_SECRET_FILE
from bot.transports.telegram_inbound import (
    Webhook,
    file_of,
    poll,
    unread_kind,
    when_reachable,
)
from bot.transports.telegram_inbound import webhook_secret as webhook_secret
from bot.transports.telegram_sizes import MAX_TEXT as MAX_TEXT

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 32
"""Different people handled at once (each person's updates one at a time, in order)."""
MAX_DOWNLOAD = 20 * 1024 * 1024
"""Bot API limit on files a bot may download; larger ones are refused politely."""

DESCRIPTION = (
    "formabot aide les formateurs et les organismes de formation : absences et décrochages, "
    "bilans à distance, attestations sur l'honneur, échéances des financeurs."
)
SHORT_DESCRIPTION = "L'assistant des formateurs : absences, bilans, attestations, échéances."


class TelegramTransport:
    platform = Platform.TELEGRAM.value

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        request: BaseRequest | None = None,
        poll_interval: float | None = None,
        receiving: bool = True,
    ) -> None:
        self.settings = settings
        self.receiving = receiving
        self.engine = engine
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder().token(settings.telegram_token).updater(None)
        )
        if settings.telegram_base_url:
            base = settings.telegram_base_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        if request is not None:
            builder = builder.request(request).get_updates_request(request)
        else:
            builder = builder.read_timeout(SEND_TIMEOUT).write_timeout(SEND_TIMEOUT)
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.inbox = Inbox(
            engine,
            Platform.TELEGRAM,
            self.answer,
            concurrency=CONCURRENT_UPDATES,
            typing=self.typing,
        )
        self.poll_interval = (
            settings.telegram_poll_interval if poll_interval is None else poll_interval
        )
        self.username = ""
        self._poller: asyncio.Task[None] | None = None
        self._recording = asyncio.Lock()
        self._webhook: Webhook | None = None

    # --- life cycle -------------------------------------------------------------

    def _check_username(self) -> None:
        """Say at start when TELEGRAM_USERNAME is not this bot's name (explorer AC8): the
        invitations' texts take the setting (an e-mail may be written by a process with no
        Telegram connection), their forwarding link getMe's, so a stale one mixed two bots."""
        configured, actual = self.settings.telegram_username, self.username
        if actual and not configured:
            log.warning("TELEGRAM_USERNAME is not set: set TELEGRAM_USERNAME=%s", actual)
        elif actual and configured.lower() != actual.lower():
            log.warning(
                "TELEGRAM_USERNAME is %s, not this token's bot: invitations would not lead "
                "to it; set TELEGRAM_USERNAME=%s",
                configured,
                actual,
            )

    async def start(self) -> None:
        """Reach the Bot API (waiting while it is unreachable), then receive.

        What was recorded but not done before the last stop is queued first,
        before any new update can arrive.
        """
        await when_reachable("getMe", self.app.initialize)
        self.username = self.app.bot.username or ""
        self._check_username()
        if not self.receiving:
            self.inbox.start_polling()
            log.info("telegram transport started (answering only)")
            return
        await self._announce()
        await self.inbox.resume()
        if self.settings.telegram_webhook_url:
            self._webhook = Webhook(self.settings, self.app.bot, self.receive)
            await self._webhook.start()
        else:
            await when_reachable("deleteWebhook", self.app.bot.delete_webhook)
            self._poller = asyncio.create_task(
                poll(
                    self.app.bot,
                    self.receive,
                    interval=self.poll_interval,
                    recording=self._recording,
                ),
                name="telegram-polling",
            )
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
        if self._poller is not None:
            # A batch being recorded is finished first: its offset then stays
            # unconfirmed only if it was not written down.
            async with self._recording:
                self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
            self._poller = None
        if self._webhook is not None:
            await self._webhook.stop()
            self._webhook = None
        await self.inbox.stop()
        await self.app.shutdown()

    # --- incoming -----------------------------------------------------------------

    async def receive(self, updates: Sequence[Update]) -> list[asyncio.Future[list[Reply]]]:
        """Translate a batch and record it in the inbox; returns when it is committed.

        The futures resolve when each recorded update was handled and answered.
        An update that cannot be read is logged (without content) and skipped,
        so that it cannot block the ones behind it.
        """
        # Files are fetched for the whole batch at once; the order stays the batch's.
        translated = await asyncio.gather(*(self._translate(u) for u in updates))
        return await self.inbox.record([t for t in translated if t is not None])

    async def _translate(self, update: Update) -> tuple[Incoming, Mapping[str, Any]] | None:
        try:
            incoming = await self.to_incoming(update)
        except Exception as exc:
            log_failure("reading a telegram update", exc)
            return None
        return None if incoming is None else (incoming, self._answer_to(update))

    def _answer_to(self, update: Update) -> dict[str, Any]:
        """What answering needs besides the chat: the message whose button was pressed, and
        in a group the person's message the replies answer (:func:`telegram_groups.reply_to`)."""
        query = update.callback_query
        if query is None or not isinstance(query.message, Message):
            return reply_to(update)
        pressed = query.message
        label = ""
        markup = pressed.reply_markup
        if markup is not None:
            for row in markup.inline_keyboard:
                for button in row:
                    if button.callback_data == query.data:
                        label = button.text
        base = pressed.text_html or pressed.caption_html or ""
        marked = telegram_sizes.marked(base, label) if base else ""
        return {"pressed": pressed.message_id, "marked": marked, **reply_to(update)}

    async def to_incoming(self, update: Update) -> Incoming | None:
        if upgraded := migration(update):
            await moved(self.engine.db, *upgraded)  # nothing to answer (explorer ID2)
            return None
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None or user.is_bot:
            return None
        is_group = chat.type in GROUPS
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
            # Someone else's button in a group: told to her alone, the message left as it
            # is, nothing handled (explorer ID1).
            elsewhere = someone_elses(update)
            said = texts.plain(texts.say("common.someone_elses_button")) if elsewhere else None
            try:
                await query.answer(said, show_alert=elsewhere)
            except Exception as exc:  # an expired query still carries a valid choice
                log.info("callback answer refused: %s", type(exc).__name__)
            return None if elsewhere else replace(base, choice=query.data or "")
        message = update.message or update.edited_message
        if message is None:
            return None
        text = message.text or message.caption or ""
        if is_group and not (
            addressed_to_me(text, self.username) or answers_me(message, self.app.bot.id)
        ):
            return None
        if update.edited_message is not None and message.location is not None:
            return None  # a live location moving, not a message changed (explorer AY12)
        if kind := unread_kind(message, edited=update.edited_message is not None):
            return replace(base, kind=kind, sent_at=message.date)
        attachment = await self._attachment(message)
        return replace(base, text=text, attachment=attachment, sent_at=message.date)

    async def _attachment(self, message: Message) -> Attachment | None:
        found = file_of(message)
        if found is None:
            return None
        name, mime, size, file_id = found
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

    async def typing(self, incoming: Incoming) -> None:
        """ "En train d'écrire…" in the chat while a long turn runs (Telegram shows it 5 s)."""
        await self.app.bot.send_chat_action(incoming.chat, ChatAction.TYPING)

    async def answer(
        self,
        incoming: Incoming,
        answer: Mapping[str, Any],
        replies: Sequence[Reply],
        skip: int,
        sent: Sent,
    ) -> None:
        """Send a turn's replies (those after the first ``skip``), in order.

        A pressed button's question shows the choice and loses its keyboard,
        unless a reply replaces that question in place (``edit_previous``).
        """
        chat_id = incoming.chat
        pressed: int | None = answer.get("pressed")
        answering: int | None = answer.get("reply_to")
        editable = pressed
        if pressed is not None and not any(r.edit_previous for r in replies):
            if skip == 0:
                # A button refused (a second one of the same question, pressed before the
                # first was answered) leaves the question as the answer taken marked it.
                taken = not any(STALE in r.extras for r in replies)
                marked = str(answer.get("marked", "")) if taken else ""
                await self._mark_chosen(chat_id, pressed, marked)
            editable = None
        for index, reply in enumerate(replies):
            target = editable if reply.edit_previous else None
            if target is not None:
                editable = None
            if index < skip:
                continue
            if target is not None:
                await self._edit(chat_id, target, reply)
            else:
                await self.send(chat_id, reply, reply_to=answering)
            await sent(index + 1)

    async def _mark_chosen(self, chat_id: str, message_id: int, marked: str) -> None:
        """Show what was chosen on the question and drop its keyboard."""
        bot = self.app.bot
        try:
            if marked:
                await bot.edit_message_text(
                    marked,
                    chat_id=chat_id,
                    message_id=message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=None,
                )
            else:
                await bot.edit_message_reply_markup(
                    chat_id=chat_id, message_id=message_id, reply_markup=None
                )
        except Exception as exc:  # already edited, too old: nothing to clean
            log.info("could not edit the answered question: %s", type(exc).__name__)

    async def _edit(self, chat_id: str, message_id: int, reply: Reply) -> None:
        try:
            await self.app.bot.edit_message_text(
                # The whole lines with the page turned too (explorer EE5: page 2 had none);
                # of a text in several messages, the part the buttons go with, as sent
                # (explorer ME5: a roll call's list became its title, « Appel du … » alone).
                telegram_sizes.split(self._text(reply))[-1],
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply),
            )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return  # it shows that already (a double tap's second press, explorer V V5)
            log.info("edit failed, sending instead: %s", type(exc).__name__)
            await self.send(chat_id, reply)
        except Exception as exc:
            log.info("edit failed, sending instead: %s", type(exc).__name__)
            await self.send(chat_id, reply)

    def _text(self, reply: Reply) -> str:
        text = reply.text
        details = listed_lines(reply)
        if details:  # the lines its buttons cut, whole (explorer ED1), or their numbers (DF1)
            text = "\n".join([text, "", *details]) if text else "\n".join(details)
        code = reply.extras.get("invite_code")
        if code and self.username:
            link = f"https://t.me/{self.username}?start={code}"
            # The words before it: for whom the message is (a participant's invitation is
            # read by the participant, an /inviter code by the admin who forwards it).
            words = reply.extras.get("invite_link_words") or "Lien à transférer"
            text = f"{text}\n\n{html.escape(words)} : {html.escape(link)}"
        return text

    async def send(self, chat_id: str, reply: Reply, *, reply_to: int | None = None) -> None:
        """Send one reply; a blocked bot is recorded and refused for good. ``reply_to``: in a
        group, the person's message it answers (:mod:`bot.transports.telegram_groups`)."""
        bot = self.app.bot
        answering = reply_parameters(reply_to)
        try:
            if reply.document is not None:
                document = reply.document
                full = self._text(reply)
                caption = document.caption or (full if telegram_sizes.fits_caption(full) else "")
                # A text of its own beside the file's caption is sent too, after it, with
                # the buttons (explorer EC5: the compte rendu's « déposez-le dans Dendreo »,
                # /journal's members by number were lost behind a caption).
                text_apart = bool(full) and full != caption
                await with_retries(
                    sends=True,
                    call=lambda: bot.send_document(
                        chat_id=chat_id,
                        document=InputFile(document.content, filename=document.filename),
                        caption=caption or None,
                        parse_mode=ParseMode.HTML,
                        reply_markup=None if text_apart else keyboard(reply),
                        reply_parameters=answering,
                    ),
                )
                if text_apart:
                    await self._send_text(chat_id, reply, answering)
                return
            await self._send_text(chat_id, reply, answering)
        except Forbidden as exc:
            await blocked(self.engine.db, chat_id)
            raise PermanentFailure(type(exc).__name__) from exc
        except ChatMigrated as exc:  # a group become a supergroup (explorer ID2)
            new = str(exc.new_chat_id)
            await moved(self.engine.db, chat_id, new)
            await self.send(new, reply, reply_to=reply_to)

    async def _send_text(
        self, chat_id: str, reply: Reply, answering: ReplyParameters | None = None
    ) -> None:
        parts = telegram_sizes.split(self._text(reply)) or [""]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if not part.strip():
                part = texts.escape("…")
            await with_retries(
                sends=True,
                call=lambda part=part, last=last: self.app.bot.send_message(  # type: ignore[misc]
                    chat_id=chat_id,
                    text=part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(reply) if last else None,
                    disable_web_page_preview=True,
                    reply_parameters=answering,
                ),
            )
