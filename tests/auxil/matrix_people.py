"""People on a Matrix homeserver, with real matrix-nio clients and end-to-end encryption.

::

    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room = await claire.open_dm(bot_user_id)             # encrypted, is_direct
        seen = await claire.ask(room, "/aide", "Voici ce que")
        assert seen.decrypted and "<ol>" in seen.formatted

Each person syncs in a background task (keys uploaded, queried and claimed as
``sync_forever`` would), keeps every message others send (decrypted), and joins
the rooms they are invited to when ``auto_join`` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    DownloadResponse,
    LoginResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
    SyncResponse,
    UploadResponse,
)
from nio.crypto import decrypt_attachment

from tests.auxil.synapse import Account, Synapse

ENCRYPTION = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


@dataclass(frozen=True)
class Seen:
    """A message someone else sent to a room, as this person's client shows it."""

    room_id: str
    event_id: str
    sender: str
    type: str
    content: dict[str, Any]
    decrypted: bool

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))

    @property
    def formatted(self) -> str:
        return str(self.content.get("formatted_body", ""))

    @property
    def is_file(self) -> bool:
        return self.content.get("msgtype") == "m.file"


MANY_PER_ROOM = {"room": {"timeline": {"limit": 500}}}


class MatrixPerson:
    def __init__(self, server: Synapse, folder: Path, account: Account, *, auto_join: bool) -> None:
        self.server = server
        self.account = account
        self.auto_join = auto_join
        folder.mkdir(parents=True, exist_ok=True)
        self.client = AsyncClient(
            server.url,
            account.user_id,
            store_path=str(folder),
            # Back within seconds of a homeserver restarted, as Element is (nio's own pause
            # grows to a minute: the person, not the bot, missed the answer, explorer MG6).
            config=AsyncClientConfig(
                encryption_enabled=True, max_limit_exceeded=0, max_timeout_retry_wait_time=2
            ),
        )
        self.seen: list[Seen] = []
        self.undecrypted = 0
        self.changed = asyncio.Condition()
        self.task: asyncio.Task[None] | None = None

    @classmethod
    @contextlib.asynccontextmanager
    async def joining(
        cls, server: Synapse, folder: Path, name: str, *, auto_join: bool = True
    ) -> AsyncIterator[MatrixPerson]:
        account = server.register(server.unique(name))
        person = cls(server, folder / account.localpart, account, auto_join=auto_join)
        await person.start()
        try:
            yield person
        finally:
            await person.stop()

    @property
    def user_id(self) -> str:
        return self.account.user_id

    async def start(self) -> None:
        response = await self.client.login(self.account.password, device_name="test")
        assert isinstance(response, LoginResponse), response
        await self._sync(timeout=0, full_state=True)
        self.task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.client.close()

    async def _loop(self) -> None:
        while True:
            try:
                await self._sync(timeout=5000)
            except asyncio.CancelledError:
                raise
            except Exception:
                await asyncio.sleep(0.2)

    async def _sync(self, *, timeout: int, full_state: bool = False) -> None:
        client = self.client
        # Enough per room for a test's burst of replies (a sync gives 10 by default).
        response = await client.sync(
            timeout=timeout, full_state=full_state or None, sync_filter=MANY_PER_ROOM
        )
        if not isinstance(response, SyncResponse):
            raise RuntimeError(str(response))
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        if client.outgoing_to_device_messages:
            await client.send_to_device_messages()
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                sender = getattr(event, "sender", "")
                if sender == self.user_id or not sender:
                    continue
                if isinstance(event, MegolmEvent):
                    self.undecrypted += 1
                    continue
                source = event.source
                if source.get("type") != "m.room.message":
                    continue
                self.seen.append(
                    Seen(
                        room_id,
                        source["event_id"],
                        sender,
                        source["type"],
                        source.get("content", {}),
                        bool(getattr(event, "decrypted", False)),
                    )
                )
        if self.auto_join:
            for room_id in response.rooms.invite:
                await client.join(room_id)
        async with self.changed:
            self.changed.notify_all()

    # --- acting ---------------------------------------------------------------------------

    async def wait(
        self, check: Callable[[], bool], timeout: float = 20, what: str = "something"
    ) -> None:
        async def until() -> None:
            async with self.changed:
                await self.changed.wait_for(check)

        try:
            await asyncio.wait_for(until(), timeout)
        except TimeoutError:
            bodies = [s.body[:80] for s in self.seen[-5:]]
            raise AssertionError(
                f"{self.user_id}: no {what} within {timeout} s; last {bodies}"
            ) from None

    async def open_dm(
        self, other: str, *, encrypted: bool = True, name: str | None = None, wait: bool = True
    ) -> str:
        """A direct chat with ``other``, as Element or Tchap would create it."""
        response = await self.client.room_create(
            is_direct=True,
            invite=[other],
            name=name,
            preset=RoomPreset.trusted_private_chat,
            initial_state=[ENCRYPTION] if encrypted else [],
        )
        assert isinstance(response, RoomCreateResponse), response
        room_id = str(response.room_id)
        if wait:
            await self.wait(lambda: self.has_joined(room_id, other), what=f"{other} joining")
        return room_id

    def has_joined(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        member = room.users.get(user_id) if room is not None else None
        return member is not None and not member.invited

    def in_room(self, room_id: str) -> list[Seen]:
        return [s for s in self.seen if s.room_id == room_id]

    async def send(
        self, room_id: str, content: dict[str, Any], kind: str = "m.room.message"
    ) -> str:
        response = await self.client.room_send(
            room_id, kind, content, ignore_unverified_devices=True
        )
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def say(self, room_id: str, text: str, **extra: Any) -> str:
        return await self.send(room_id, {"msgtype": "m.text", "body": text, **extra})

    async def reply_after(self, room_id: str, count: int, expect: str, timeout: float = 20) -> Seen:
        """The first message after the ``count`` first of the room that contains ``expect``."""

        def found() -> bool:
            return any(expect in s.body for s in self.in_room(room_id)[count:])

        await self.wait(found, timeout, what=f"reply containing {expect!r}")
        return next(s for s in self.in_room(room_id)[count:] if expect in s.body)

    async def ask(self, room_id: str, text: str, expect: str, timeout: float = 20) -> Seen:
        count = len(self.in_room(room_id))
        await self.say(room_id, text)
        return await self.reply_after(room_id, count, expect, timeout)

    async def send_file(self, room_id: str, data: bytes, filename: str, mime: str) -> str:
        response, keys = await self.client.upload(
            lambda *_: data, content_type=mime, filename=filename, encrypt=True, filesize=len(data)
        )
        assert isinstance(response, UploadResponse), response
        return await self.send(
            room_id,
            {
                "msgtype": "m.file",
                "body": filename,
                "filename": filename,
                "info": {"mimetype": mime, "size": len(data)},
                "file": {"url": response.content_uri, **(keys or {})},
            },
        )

    async def download(self, seen: Seen) -> bytes:
        file = seen.content.get("file")
        url = file["url"] if file else seen.content["url"]
        response = await self.client.download(mxc=url)
        assert isinstance(response, DownloadResponse), response
        data = bytes(response.body)
        if file:
            data = decrypt_attachment(data, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
        return data
