"""An offline Bot API for python-telegram-bot, in the manner of PTB's own tests.

It answers every method with a plausible result and records each call (its
method, parameters and uploaded files), so tests can assert what the bot
asked Telegram to do — including the calls the loopback emulator does not
implement (``setMyCommands``, ``sendDocument``, ``getFile``).
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from telegram.error import Forbidden, TimedOut
from telegram.request import BaseRequest, RequestData

BOT = {
    "id": 4242,
    "is_bot": True,
    "first_name": "formabot",
    "username": "formabot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


class RecordingRequest(BaseRequest):
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self.blocked_chats: set[str] = set()
        self.late = 0
        """The next messages sent are taken, but answered too late (a read timeout)."""
        self.unreachable = 0
        """The next messages sent never leave (a connection timeout)."""
        self.migrated: dict[str, int] = {}
        """Groups upgraded to a supergroup: a send there is refused with the new chat's id."""
        self.updates: list[dict[str, Any]] = []
        """What ``getUpdates`` returns, as Telegram sends it: those from its ``offset`` on."""
        self._ids = itertools.count(100)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            return 200, self.files.get(url.rsplit("/", 1)[1], b"")
        name = url.rsplit("/", 1)[1]
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None:
            params = {k: _decode(v) for k, v in request_data.json_parameters.items()}
            if request_data.contains_files:
                for key, value in request_data.multipart_data.items():
                    if isinstance(value, tuple) and len(value) >= 2:
                        content = value[1]
                        files[key] = (
                            str(value[0]),
                            content if isinstance(content, bytes) else content.read(),
                        )
        if self.unreachable and name.startswith("send"):
            self.unreachable -= 1
            raise TimedOut() from httpx.ConnectTimeout("no connection")
        self.calls.append(Call(name, params, files))
        if self.late and name.startswith("send"):
            self.late -= 1
            raise TimedOut() from httpx.ReadTimeout("no answer in time")
        chat = str(params.get("chat_id", ""))
        if chat in self.blocked_chats:
            return 403, json.dumps(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                }
            ).encode()
        if chat in self.migrated:
            return 400, json.dumps(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": self.migrated[chat]},
                }
            ).encode()
        return 200, json.dumps({"ok": True, "result": self._result(name, params, files)}).encode()

    def _result(self, name: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        now = int(time.time())
        chat = {"id": int(params.get("chat_id", 1) or 1), "type": "private"}
        if name == "getMe":
            return BOT
        if name in ("sendMessage", "editMessageText"):
            return {
                "message_id": next(self._ids),
                "date": now,
                "chat": chat,
                "from": BOT,
                "text": params.get("text", ""),
            }
        if name == "sendDocument":
            filename, content = next(iter(files.values()), ("document", b""))
            file_id = f"doc{next(self._ids)}"
            self.files[file_id] = content
            return {
                "message_id": next(self._ids),
                "date": now,
                "chat": chat,
                "from": BOT,
                "document": {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_name": filename,
                    "file_size": len(content),
                },
            }
        if name == "getFile":
            file_id = params["file_id"]
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": file_id,
            }
        if name == "getUpdates":
            offset = int(params.get("offset") or 0)
            return [u for u in self.updates if u.get("update_id", 0) >= offset]
        if name == "getMyCommands":
            last = self.called("setMyCommands")
            return last[-1].params.get("commands", []) if last else []
        return True


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


__all__ = ["BOT", "Forbidden", "RecordingRequest"]
