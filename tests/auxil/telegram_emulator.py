"""A real Telegram Bot API peer on loopback, and a person who talks to a bot through it.

``run_emulator()`` starts ``node peers/telegram/launcher.js`` (``telegram-test-api``
with its incompatibilities with python-telegram-bot corrected at its edge) on a
free port of 127.0.0.1 and stops it afterwards::

    async with run_emulator() as emulator:
        app = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(emulator.bot_base_url)  # f"{emulator.url}/bot"
            .base_file_url(emulator.bot_base_file_url)  # f"{emulator.url}/file/bot"
            .build()
        )
        user = TelegramUser(emulator.url, TOKEN, user_id=42, first_name="Alice")
        await user.send_command("/start CODE")
        (reply,) = await user.wait_for_bot_messages(1)
        await user.press(reply.buttons[0][0].callback_data)

The bot polls with ``updater.start_polling(poll_interval=0.1)`` (the peer long-polls
like Telegram, so PTB's default ``timeout`` works too) or uses a webhook
(``setWebhook`` is delivered with the ``X-Telegram-Bot-Api-Secret-Token`` header).
Needs Node and ``npm ci --prefix peers/telegram`` (``make test`` runs it).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import mimetypes
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
PEER_DIR = ROOT / "peers" / "telegram"
LAUNCHER = PEER_DIR / "launcher.js"
INSTALL_HINT = "run make test / npm ci --prefix peers/telegram"


class EmulatorError(RuntimeError):
    """The peer could not be started, or answered a user-side call with an error."""


# --- the peer process -----------------------------------------------------------------


@dataclass
class TelegramEmulator:
    """A running peer: ``url`` is ``http://127.0.0.1:PORT``."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_file: IO[bytes]
    started_in: float = 0.0

    @property
    def bot_base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def bot_base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.url}/file/bot"

    def user(self, token: str, **kwargs: Any) -> TelegramUser:
        return TelegramUser(self.url, token, **kwargs)

    async def _post(self, path: str, payload: dict[str, Any]) -> Any:
        async with httpx.AsyncClient(timeout=10) as client:
            return _result(await client.post(f"{self.url}{path}", json=payload))

    async def reset(self, token: str | None = None) -> None:
        """Forget every message, file, command and setting (of one bot, or of all)."""
        await self._post("/reset", {} if token is None else {"token": token})

    async def bot_state(self, token: str) -> dict[str, Any]:
        """What the bot set: commands, descriptions, chat actions, callback answers..."""
        result: dict[str, Any] = await self._post("/getBotState", {"token": token})
        return result

    def logs(self) -> str:
        """What the peer wrote on stderr so far."""
        self.log_file.flush()
        return Path(self.log_file.name).read_text(errors="replace")

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def terminate(self) -> None:
        """SIGTERM, then SIGKILL after 5 s; idempotent (the synchronous ``stop``)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        if not self.log_file.closed:
            self.log_file.close()
            with contextlib.suppress(OSError):
                os.unlink(self.log_file.name)

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after 5 s; idempotent."""
        await asyncio.to_thread(self.terminate)


def _wait_ready(process: subprocess.Popen[bytes], timeout: float) -> int:
    """The port of the ``READY <port>`` line, or an error when the peer dies or hangs."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    fd = process.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if not selector.select(remaining):
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                raise EOFError
            buffer += chunk
    line = buffer.split(b"\n", 1)[0].decode(errors="replace").strip()
    word, _, port = line.partition(" ")
    if word != "READY" or not port.isdigit():
        raise EmulatorError(f"unexpected first line from the Telegram peer: {line!r}")
    return int(port)


def launch_emulator(*, port: int = 0, timeout: float = 15.0) -> TelegramEmulator:
    """Start the peer and wait for its READY line (synchronously).

    ``port=0`` (the default) lets the peer bind a free port itself and report it,
    which leaves no window for another process to take a port picked beforehand.
    """
    node = shutil.which("node")
    if node is None:
        raise EmulatorError(
            f"node is not installed: the Telegram peer needs Node.js ({INSTALL_HINT})"
        )
    if not (PEER_DIR / "node_modules" / "telegram-test-api").is_dir():
        raise EmulatorError(f"{PEER_DIR}/node_modules is missing: {INSTALL_HINT}")
    log_file = tempfile.NamedTemporaryFile(prefix="telegram-peer-", suffix=".log", delete=False)  # noqa: SIM115
    began = time.monotonic()
    process = subprocess.Popen(
        [node, str(LAUNCHER), str(port)],
        cwd=PEER_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log_file,
    )
    emulator = TelegramEmulator("", 0, process, log_file)
    try:
        actual = _wait_ready(process, timeout)
    except (TimeoutError, EOFError) as exc:
        logs = emulator.logs()
        emulator.terminate()
        if isinstance(exc, TimeoutError):
            what = f"printed no READY line within {timeout:g} s"
        else:
            what = f"exited with {process.returncode} before READY"
        raise EmulatorError(f"the Telegram peer {what} ({INSTALL_HINT}?)\n{logs}") from None
    except BaseException:
        emulator.terminate()
        raise
    emulator.port = actual
    emulator.url = f"http://127.0.0.1:{actual}"
    emulator.started_in = time.monotonic() - began
    return emulator


async def start_emulator(*, port: int = 0, timeout: float = 15.0) -> TelegramEmulator:
    """``launch_emulator`` without blocking the event loop."""
    return await asyncio.to_thread(launch_emulator, port=port, timeout=timeout)


@contextlib.asynccontextmanager
async def run_emulator(
    *,
    port: int = 0,
    timeout: float = 15.0,
) -> AsyncIterator[TelegramEmulator]:
    """The peer for the duration of the block."""
    emulator = await start_emulator(port=port, timeout=timeout)
    try:
        yield emulator
    finally:
        await emulator.stop()


def _result(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        raise EmulatorError(f"HTTP {response.status_code}: {response.text[:500]}") from None
    if response.status_code != 200 or not body.get("ok", False):
        raise EmulatorError(
            f"HTTP {response.status_code}: {body.get('description') or body.get('message') or body}"
        )
    return body.get("result")


# --- what the user sees ------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class BotMessage:
    """One message of the bot to the user's chat, as the user sees it now."""

    message_id: int
    date: int
    text: str | None
    caption: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    document: dict[str, Any] | None
    edit_date: int | None
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> BotMessage:
        return cls(
            message_id=raw["message_id"],
            date=raw["date"],
            text=raw.get("text"),
            caption=raw.get("caption"),
            entities=raw.get("entities") or raw.get("caption_entities") or [],
            reply_markup=raw.get("reply_markup"),
            document=raw.get("document"),
            edit_date=raw.get("edit_date"),
            raw=raw,
        )

    @property
    def buttons(self) -> list[list[Button]]:
        """The inline keyboard, row by row (empty without one)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
        ]

    @property
    def button_texts(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]

    @property
    def callback_data(self) -> list[str]:
        return [b.callback_data for row in self.buttons for b in row if b.callback_data is not None]

    def button(self, text: str) -> Button:
        """The inline button labelled ``text`` (exactly, else the one that contains it)."""
        flat = [b for row in self.buttons for b in row]
        for candidate in flat:
            if candidate.text == text:
                return candidate
        matches = [b for b in flat if text in b.text]
        if len(matches) != 1:
            raise LookupError(f"no single button {text!r} among {[b.text for b in flat]}")
        return matches[0]

    @property
    def body(self) -> str:
        """The text, or the caption of a document."""
        return self.text if self.text is not None else (self.caption or "")


@dataclass(frozen=True)
class Sent:
    """A user message as the peer stored it."""

    message_id: int
    update_id: int
    file_id: str | None = None


class TelegramUser:
    """A person in one chat with the bot, through the peer's user-side routes."""

    def __init__(
        self,
        url: str,
        token: str,
        user_id: int = 1001,
        chat_id: int | None = None,
        first_name: str = "Alice",
        username: str | None = "alice",
        *,
        last_name: str | None = None,
        language_code: str | None = "fr",
        chat_type: str = "private",
        chat_title: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.user_id = user_id
        self.chat_id = user_id if chat_id is None else chat_id
        self.first_name = first_name
        self.username = username
        self.last_name = last_name
        self.language_code = language_code
        self.chat_type = chat_type
        self.chat_title = chat_title
        self._own_client = client is None
        self.client = client or httpx.AsyncClient(timeout=10)

    async def aclose(self) -> None:
        if self._own_client:
            await self.client.aclose()

    async def __aenter__(self) -> TelegramUser:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- identity --------------------------------------------------------------------

    @property
    def from_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        for key, value in (
            ("last_name", self.last_name),
            ("username", self.username),
            ("language_code", self.language_code),
        ):
            if value is not None:
                user[key] = value
        return user

    @property
    def chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat_id, "type": self.chat_type}
        if self.chat_type == "private":
            chat["first_name"] = self.first_name
            if self.username:
                chat["username"] = self.username
        else:
            chat["title"] = self.chat_title or "Test group"
        return chat

    def _envelope(self, **fields: Any) -> dict[str, Any]:
        return {"botToken": self.token, "from": self.from_user, "chat": self.chat, **fields}

    async def _post(self, path: str, payload: dict[str, Any]) -> Any:
        return _result(await self.client.post(f"{self.url}{path}", json=payload))

    # --- acting ----------------------------------------------------------------------

    async def send_message(self, text: str, *, reply_to: int | None = None) -> Sent:
        """Plain text (no entities, even if it starts with ``/``: use ``send_command``)."""
        extra = {} if reply_to is None else {"reply_to_message_id": reply_to}
        result = await self._post("/sendMessage", self._envelope(text=text, **extra))
        return Sent(result["message_id"], result["update_id"])

    async def send_command(self, text: str) -> Sent:
        """``/start CODE`` or ``/aide@bot``: a message with its ``bot_command`` entity."""
        if not text.startswith("/"):
            raise ValueError(f"a command starts with '/': {text!r}")
        result = await self._post("/sendCommand", self._envelope(text=text))
        return Sent(result["message_id"], result["update_id"])

    async def send_document(
        self,
        content: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> Sent:
        """A message carrying a document that the bot can ``get_file`` and download."""
        mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        payload = self._envelope(
            file_name=file_name,
            mime_type=mime,
            content=base64.b64encode(content).decode(),
        )
        if caption is not None:
            payload["caption"] = caption
        result = await self._post("/sendDocument", payload)
        return Sent(result["message_id"], result["update_id"], result["file_id"])

    async def press(self, callback_data: str, message_id: int | None = None) -> str:
        """Press the inline button with ``callback_data`` (on ``message_id``, or on the
        latest bot message that has such a button); returns the callback query id."""
        payload = self._envelope(data=callback_data)
        if message_id is not None:
            payload["message_id"] = message_id
        result = await self._post("/sendCallback", payload)
        return str(result["callback_query_id"])

    async def press_button(self, text: str, message: BotMessage | None = None) -> str:
        """Press the button labelled ``text`` on ``message`` (default: the latest one)."""
        if message is None:
            with_buttons = [m for m in await self.bot_messages() if m.buttons]
            if not with_buttons:
                raise LookupError("the bot sent no message with buttons to this chat")
            message = with_buttons[-1]
        data = message.button(text).callback_data
        if data is None:
            raise LookupError(f"button {text!r} carries no callback_data")
        return await self.press(data, message.message_id)

    async def block_bot(self, blocked: bool = True) -> None:
        """From now on the bot's messages to this chat fail with 403 Forbidden."""
        await self._post(
            "/blockBot", {"token": self.token, "chatId": self.chat_id, "blocked": blocked}
        )

    # --- observing -------------------------------------------------------------------

    async def bot_messages(self) -> list[BotMessage]:
        """Every message of the bot to this chat, oldest first, as they are now."""
        raw = await self._post("/getBotMessages", {"token": self.token, "chatId": self.chat_id})
        return [BotMessage.from_api(m) for m in raw]

    async def wait_until(
        self,
        predicate: Callable[[list[BotMessage]], bool],
        timeout: float = 5.0,
        *,
        what: str = "the expected bot messages",
    ) -> list[BotMessage]:
        """Poll the bot's messages until ``predicate(messages)`` holds."""
        deadline = time.monotonic() + timeout
        while True:
            messages = await self.bot_messages()
            if predicate(messages):
                return messages
            if time.monotonic() >= deadline:
                seen = [(m.message_id, m.body[:80]) for m in messages]
                raise TimeoutError(f"{what} did not arrive within {timeout:g} s; seen: {seen}")
            await asyncio.sleep(0.05)

    async def wait_for_bot_messages(
        self,
        count: int = 1,
        timeout: float = 5.0,
        *,
        after: int | Sent | None = None,
    ) -> list[BotMessage]:
        """At least ``count`` bot messages (those after message ``after``, if given)."""
        floor = after.message_id if isinstance(after, Sent) else (after or 0)

        def enough(messages: Sequence[BotMessage]) -> bool:
            return sum(m.message_id > floor for m in messages) >= count

        messages = await self.wait_until(enough, timeout, what=f"{count} bot message(s)")
        return [m for m in messages if m.message_id > floor]

    async def callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """How the bot answered a button press (``text``, ``show_alert``...)."""
        deadline = time.monotonic() + timeout
        while True:
            state = await self._post("/getBotState", {"token": self.token})
            answer = state["callback_answers"].get(query_id)
            if answer is not None:
                return dict(answer)
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"callback query {query_id} was not answered within {timeout:g} s"
                )
            await asyncio.sleep(0.05)

    async def download(self, document: dict[str, Any] | BotMessage) -> bytes:
        """The bytes of a document the bot sent (through ``getFile`` and ``/file/bot``)."""
        doc = document.document if isinstance(document, BotMessage) else document
        if not doc:
            raise LookupError("this message carries no document")
        response = await self.client.post(
            f"{self.url}/bot{self.token}/getFile", json={"file_id": doc["file_id"]}
        )
        path = _result(response)["file_path"]
        data = await self.client.get(f"{self.url}/file/bot{self.token}/{path}")
        data.raise_for_status()
        return data.content
