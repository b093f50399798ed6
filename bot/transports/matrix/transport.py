"""Matrix and Tchap, through matrix-nio with end-to-end encryption: translation only.

Three loops that never wait on each other:

- **sync** (:meth:`MatrixTransport._sync_loop`): long-polls the homeserver; nio
  decrypts what it can and tracks rooms and keys; the loop uploads, queries and
  claims keys, records the messages of the sync *and* its token in one SQL
  transaction (:mod:`.inbox`), with what a room's limit left out (:mod:`.gaps`),
  retries events whose room key had not arrived,
  answers invitations and notices who left.  The very first sync is taken as
  history (nothing answered); the first after a restart asks ``full_state``.
- **one worker per room** (:meth:`_work`): handles the room's recorded events in
  order through the engine (the Matrix ``event_id`` is the engine's event id)
  and marks each done once its replies are sent; a failure is retried a few
  times, then the event is set aside with an apology (a homeserver away is
  waited for, never counted as a failure).
- **the sender** (:mod:`.pacing`): every call that sends goes through one queue
  at the account's pace, honouring ``retry_after_ms``.

Rooms follow Tchap's rules: a direct chat has two members; the bot opens one
itself (:meth:`open_direct_chat`) and sends its welcome once the invitee has
joined; invitations from strangers are declined unless they carry a code; in a
group only what is addressed to the bot is read, and no file.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import replace
from typing import Any

from aiohttp import ClientError
from nio import AsyncClient, MegolmEvent, RoomMemberEvent, SyncResponse

from bot import texts
from bot.answers import matrix_id
from bot.config import Settings
from bot.engine import Engine, account
from bot.failures import GaveUp, log_failure
from bot.messages import RECIPIENT, SENT_AS, Incoming, Platform, Reply, gave_up
from bot.outbox import PermanentFailure
from bot.outbox_payload import reply_to_payload
from bot.progress import TYPING_EVERY, while_slow
from bot.storage.matrix import MatrixEvent
from bot.transports.matrix import render
from bot.transports.matrix.attachments import download
from bot.transports.matrix.gaps import SYNC_FILTER, fill_gaps
from bot.transports.matrix.inbox import Inbox, Recorded
from bot.transports.matrix.pacing import Outgoing, Pacer, backoff
from bot.transports.matrix.private import person_if_shared
from bot.transports.matrix.replies import Own
from bot.transports.matrix.rooms import Rooms
from bot.transports.matrix.session import open_client, show_name
from bot.transports.matrix.undecrypted import Undecrypted

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
"""Tries of one incoming event before it is set aside."""
SYNC_TIMEOUT_MS = 30_000
ROOM_WAIT = 30.0
"""How long a send waits for a room just joined to appear in a sync."""


class MatrixTransport:
    platform = Platform.MATRIX.value

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        sync_timeout_ms: int = SYNC_TIMEOUT_MS,
        retry_delay: float = 1.0,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.sync_timeout_ms = sync_timeout_ms
        self.retry_delay = retry_delay
        self.pacer = Pacer(settings.matrix_messages_per_second)
        self.outgoing = Outgoing(self.pacer)
        self._client: AsyncClient | None = None
        self._inbox: Inbox | None = None
        self.token: str | None = None
        self.synced = asyncio.Condition()
        self.caught_up = asyncio.Event()
        """Set by the first sync that answers: nio's rooms are then the homeserver's."""
        self._sync_task: asyncio.Task[None] | None = None
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._dirty: set[str] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._joining: set[str] = set()
        self.rooms = Rooms(self)
        self.undecrypted = Undecrypted(self)
        self.own = Own(self)

    @property
    def client(self) -> AsyncClient:
        assert self._client is not None, "start() first"
        return self._client

    @property
    def inbox(self) -> Inbox:
        assert self._inbox is not None, "start() first"
        return self._inbox

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        self._client = await open_client(self.settings)
        await show_name(self.client, self.settings, self.pacer)
        self._inbox = Inbox(self.engine.db.sessions, self.user_id)
        await self.inbox.forget_old()
        self.outgoing.start()
        self.token = await self.inbox.token()
        try:
            await self._sync_once(first=True)
            first, failures = False, 0
        except Exception as exc:  # the homeserver is down: the loop keeps trying
            log.warning("matrix: first sync failed (%s), retrying", type(exc).__name__)
            first, failures = True, 1
        self._sync_task = asyncio.create_task(self._sync_loop(first, failures))
        log.info("matrix transport started (device %s)", self.client.device_id)

    async def stop(self) -> None:
        tasks = [self._sync_task, *self._workers.values(), *self._background]
        for task in tasks:
            if task is not None:
                task.cancel()
        await asyncio.gather(*(t for t in tasks if t is not None), return_exceptions=True)
        await self.outgoing.stop()
        if self._client is not None:
            await self._client.close()

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # --- sync ---------------------------------------------------------------------------

    async def _sync_loop(self, first: bool, failures: int = 0) -> None:
        """An outage is said when it starts and when it ends, not each try (explorer MG6);
        tries every few seconds, so that the bot answers soon after the homeserver's return."""
        while True:
            try:
                await self._sync_once(first=first)
                if failures:  # the other end of « sync failed » (explorer MG2)
                    log.warning("matrix sync answers again after %s failures", failures)
                first = False
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                if failures == 1:
                    log.warning("matrix sync failed (%s), trying again", type(exc).__name__)
                await self.outgoing.pause(backoff(failures))

    async def _sync_once(self, *, first: bool) -> None:
        never = self.token is None
        response = await self.client.sync(
            timeout=0 if first else self.sync_timeout_ms,
            sync_filter=SYNC_FILTER,
            since=self.token,
            full_state=True if first else None,
        )
        if not isinstance(response, SyncResponse):
            raise RuntimeError(f"sync refused: {getattr(response, 'status_code', '?')}")
        await self._keys()
        await fill_gaps(self.client, response, self.token)  # beyond a room's limit (V2)
        # The very first sync is history: nothing in it is answered.
        events = [] if never else await self._collect(response)
        await self.inbox.record(events, response.next_batch)
        self.token = response.next_batch
        for room_id, info in response.rooms.invite.items():
            self.rooms.invited(room_id, info.invite_state)
        for room_id in response.rooms.leave:
            # Left, kicked or banned: nio keeps the room; sends must be refused.
            self.client.rooms.pop(room_id, None)
            self._spawn(self.inbox.gone(room_id))
        await self.undecrypted.retry()
        for room_id in await self.inbox.rooms_waiting():
            self._wake(room_id)
        await self.rooms.welcomes()
        self.caught_up.set()
        async with self.synced:
            self.synced.notify_all()

    async def _keys(self) -> None:
        client = self.client
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        if client.outgoing_to_device_messages:
            await client.send_to_device_messages()

    async def _collect(self, response: SyncResponse) -> list[Recorded]:
        me = self.user_id
        found: list[Recorded] = []
        for room_id, info in response.rooms.join.items():
            room = self.client.rooms.get(room_id)
            group = room is not None and room.member_count > 2
            for event in info.timeline.events:
                if isinstance(event, RoomMemberEvent):
                    self.rooms.membership(room_id, event)
                    continue
                await self.rooms.replaced(room_id, event.source)  # a tombstone (MG3)
                sender = getattr(event, "sender", "")
                if sender == me and isinstance(getattr(event, "event_id", None), str):
                    self.own.saw(event.event_id)  # a reply to it is for the bot (ID6)
                if not sender or sender == me:
                    continue
                if isinstance(event, MegolmEvent):
                    found.append(
                        Recorded(event.event_id, room_id, sender, event.source, group, True)
                    )
                    continue
                source = render.message_source(event.source)
                if source is None:
                    continue
                if group:
                    said = render.read(source)  # an edit, a reaction: no text, not addressed
                    if said.file is not None:
                        continue  # no personal data in groups: files are not taken there
                    text = await self.own.addressed(room_id, said.text, source["content"])
                    if text is None:
                        continue
                    source["formabot_text"] = text
                found.append(Recorded(source["event_id"], room_id, sender, source, group))
        return found

    # --- handling, room by room ----------------------------------------------------------

    def _wake(self, room_id: str) -> None:
        self._dirty.add(room_id)
        if room_id not in self._workers:
            self._workers[room_id] = asyncio.create_task(self._work(room_id))

    async def _work(self, room_id: str) -> None:
        try:
            while True:
                self._dirty.discard(room_id)
                row = await self.inbox.next_in(room_id)
                if row is None:
                    if room_id in self._dirty:
                        continue
                    return
                await self._handle(row)
        finally:
            self._workers.pop(room_id, None)

    async def _handle(self, row: MatrixEvent) -> None:
        attempt = row.attempts
        thread_of = render.in_thread(row.source.get("content") or {}, row.event_id)
        while True:
            attempt += 1
            try:
                incoming = await self._incoming(row)
                if not incoming.is_group:
                    await self.inbox.back(row.room_id, row.sender)
                await self.engine.budget.wait(account(incoming))  # a flood waits in its room
                replies = await while_slow(
                    self.engine.handle(incoming), lambda: self._typing(row.room_id)
                )
                if gave_up(replies):
                    raise GaveUp  # kept in the room's inbox, tried again a moment later
                for index, reply in enumerate(replies):
                    target = reply.chat or row.room_id
                    # In the thread of her message, if she wrote in one (explorer ID6).
                    thread = thread_of if target == row.room_id else None
                    await self._deliver(target, reply, tx=f"{row.event_id}/{index}", thread=thread)
                await self._delivered(incoming)
                await self.inbox.done(row.id)
                return
            except PermanentFailure:
                await self.inbox.gone(row.room_id, row.sender)
                await self._delivered(incoming)
                await self.inbox.done(row.id)
                return
            except asyncio.CancelledError:
                raise
            except (ClientError, TimeoutError) as exc:
                # The homeserver away (restarted, upgraded): no fault of this event's, so no
                # attempt; it waits for a sync that answers (explorer MG2: set aside after
                # 50 s, the person asked to send again what had been taken).
                attempt -= 1
                log.debug("matrix: homeserver unreachable (%s), waiting", type(exc).__name__)
                await self._answering()
            except Exception as exc:
                give_up = attempt >= MAX_ATTEMPTS
                log_failure("handling a matrix event", exc)
                await self.inbox.failed(row.id, attempt, type(exc).__name__, give_up=give_up)
                if give_up:
                    log.warning(
                        "matrix: an event was set aside after %s attempts (%s)",
                        attempt,
                        type(exc).__name__,
                    )
                    try:
                        await self._deliver(
                            row.room_id,
                            Reply(text=texts.say("common.set_aside")),
                            tx=row.event_id,
                            thread=thread_of,
                        )
                    except Exception as failure:
                        log.info("matrix: apology not sent (%s)", type(failure).__name__)
                    return
                await asyncio.sleep(self.retry_delay * attempt)

    async def _answering(self) -> None:
        """Until a sync answers (the homeserver is back), or :data:`ROOM_WAIT` at most."""
        async with self.synced:
            with suppress(TimeoutError):
                await asyncio.wait_for(self.synced.wait(), ROOM_WAIT)

    async def _typing(self, room_id: str) -> None:
        """ "Is typing" in the room while a long turn runs (cleared by the reply)."""
        await self.client.room_typing(room_id, True, timeout=int(TYPING_EVERY * 1000) + 1000)

    async def _delivered(self, incoming: Incoming) -> None:
        """The turn's replies are out: the engine keeps their text only (no files, no codes)."""
        async with self.engine.db.sessions() as session, session.begin():
            await self.engine.delivered(session, incoming)

    async def _incoming(self, row: MatrixEvent) -> Incoming:
        source = row.source
        kind = render.kind_of(source) or ""
        said = render.read(source)
        text = str(source.get("formabot_text", said.text))
        attachment = await download(self.client, said.file) if said.file is not None else None
        room = self.client.rooms.get(row.room_id)
        name = room.user_name(row.sender) if room is not None else None
        return Incoming(
            platform=Platform.MATRIX,
            chat=row.room_id,
            user=row.sender,
            event_id=row.event_id,
            text=text,
            attachment=attachment,
            display_name=name or "",
            is_group=row.is_group,
            sent_at=render.sent_at(source),
            kind=kind,
            quoted=await self.own.quoted(row.room_id, source.get("content") or {}),
        )

    # --- sending ---------------------------------------------------------------------------

    async def open_direct_chat(self, invitee: str, welcome: Reply, *, key: str) -> str:
        """Open an encrypted DM with ``invitee``; ``welcome`` is sent once they join.

        See :meth:`.rooms.Rooms.open_direct_chat`.
        """
        return await self.rooms.open_direct_chat(invitee, welcome, key=key)

    async def send(self, chat_id: str, reply: Reply) -> None:
        """What the outbox sends; a room the bot is no longer in is refused for good.

        ``chat_id`` may be a person's Matrix ID instead of a room: the bot
        then opens the direct chat itself (on Tchap an external cannot) and
        the message is the welcome sent once they join.  The same message
        asked twice (the outbox's retry: its key, :data:`~bot.messages.SENT_AS`) opens one
        room and is sent once; another of the same words is sent again (explorer GB3).  To a
        room, that key is the transaction id: sent again after a kill between the homeserver's
        answer and the outbox's mark, the homeserver keeps one message (explorer MG1).
        """
        key = reply.extras.get(SENT_AS)
        if matrix_id(chat_id):
            which = json.dumps([chat_id, reply_to_payload(reply), key], sort_keys=True)
            fingerprint = hashlib.sha256(which.encode()).hexdigest()[:32]
            await self.open_direct_chat(chat_id, reply, key=f"dm:{fingerprint}")
            return
        room = self.client.rooms.get(chat_id)
        mine = reply.extras.get(RECIPIENT)  # whom it is for, when hers alone (AJ2)
        person = await person_if_shared(self.engine.db.sessions, room, self.user_id, mine)
        if person is not None:  # her chat became a group: a private one instead (AJ2)
            await self.send(self.rooms.private_chat(person) or person, reply)
            return
        try:
            await self._deliver(chat_id, reply, tx=f"outbox/{key}" if key else None)
        except PermanentFailure:
            await self.inbox.gone(chat_id)
            raise

    async def _room(self, room_id: str) -> Any:
        """The room, waiting a little for one just joined; refused if not a member."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ROOM_WAIT
        while room_id not in self.client.rooms:
            if room_id not in self._joining or loop.time() > deadline:
                raise PermanentFailure("not in the room")
            async with self.synced:
                try:
                    await asyncio.wait_for(self.synced.wait(), deadline - loop.time())
                except TimeoutError:
                    pass
        self._joining.discard(room_id)
        return self.client.rooms[room_id]

    async def _deliver(
        self,
        room_id: str,
        reply: Reply,
        *,
        tx: str | None = None,
        thread: dict[str, Any] | None = None,
    ) -> None:
        """``thread``: the ``m.relates_to`` of every event sent (:func:`.render.in_thread`)."""
        room = await self._room(room_id)
        await self.rooms.secure(room)  # a direct chat opened in clear (explorer YD1)
        upload: list[dict[str, Any]] = []
        if reply.document is not None:
            upload.append(await self._upload(room, reply))
            if not reply.text and reply.document.caption:
                reply = replace(reply, text=reply.document.caption)
        # The words first, then the file they speak of (explorer G: the chargée de mission's
        # chat opened on a bare « bilan-….ics », « Bonjour Madame » after it).
        # In a group what is read is what is addressed: the hint says how (explorer EF11).
        group = (
            render.hail(self.user_id, room.user_name(self.user_id)) if room.member_count > 2 else ""
        )
        sends = [*render.text_contents(reply, group=group), *upload]
        if thread is not None:
            sends = [{**content, "m.relates_to": thread} for content in sends]
        client = self.client
        for index, content in enumerate(sends):
            # The same transaction id twice is one message for the homeserver: a
            # reply sent again after a crash is not shown twice.
            tx_id = hashlib.sha256(f"{tx}/{index}".encode()).hexdigest()[:32] if tx else None
            await self.outgoing.submit(
                _sender(client, room_id, content, tx_id), prepare=self._prepare(room_id)
            )

    def _prepare(self, room_id: str) -> Callable[[], Awaitable[None]]:
        """What nio's room_send would do before sending to an encrypted room."""
        client = self.client

        async def prepare() -> None:
            room = client.rooms.get(room_id)
            if room is None or not room.encrypted or client.olm is None:
                return
            if not room.members_synced:
                await client.joined_members(room_id)
            if client.should_query_keys:
                await client.keys_query()
            if client.olm.should_share_group_session(room_id):
                await client.share_group_session(room_id, ignore_unverified_devices=True)

        return prepare

    async def _upload(self, room: Any, reply: Reply) -> dict[str, Any]:
        document = reply.document
        assert document is not None
        data = document.content
        client = self.client
        encrypt = bool(room.encrypted)

        async def upload() -> Any:
            response, keys = await client.upload(
                lambda *_: data,
                content_type=document.mime_type,
                filename=document.filename,
                encrypt=encrypt,
                filesize=len(data),
            )
            return response if not hasattr(response, "content_uri") else (response, keys)

        uploaded, keys = await self.outgoing.submit(upload)
        return render.file_content(
            filename=document.filename,
            mime_type=document.mime_type,
            size=len(data),
            url=uploaded.content_uri,
            keys=keys if encrypt else None,
        )


def _sender(
    client: AsyncClient, room_id: str, content: dict[str, Any], tx_id: str | None
) -> Callable[[], Awaitable[Any]]:
    async def send() -> Any:
        return await client.room_send(
            room_id, "m.room.message", content, tx_id=tx_id, ignore_unverified_devices=True
        )

    return send
