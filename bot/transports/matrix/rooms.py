"""Rooms the Tchap way: invitations answered, departures noticed, direct chats opened.

- An invitation to a direct chat is accepted from anyone (as anyone may write
  to a Telegram bot: a stranger is told an invitation code is needed); to
  another room, from someone formabot knows (a chat account, or the
  Région's chargée de mission a formation names), or when it carries a
  code (in the invitation's reason or the room's name: nio drops the rest of
  the invitation's state; the code is then
  handled as ``/start CODE`` from the inviter), or while nobody has set
  formabot up yet (the first person, as ``/start`` allows); otherwise declined.
- Someone leaving a direct chat (or banning the bot) is recorded like a person
  who blocked the bot on Telegram; the bot leaves the room left empty and
  sends nothing more there.
- A room upgraded (``m.room.tombstone``) goes on in its new room: what was kept for it
  follows, and the bot joins the new one (:meth:`Rooms.replaced`, explorer MG3).
- A direct chat opened without encryption is encrypted before the bot writes there
  (:meth:`Rooms.secure`, explorer YD1): names, attestations and ZIPs never cross the
  homeserver in clear because a client created the room so.
- :meth:`Rooms.open_direct_chat` creates an encrypted ``is_direct`` room with
  exactly one invitee and stores the welcome, sent once the invitee has joined
  (checked after every sync, so a join days later or after restarts works); the
  room is named and given a topic from the welcome's extras (:mod:`bot.matrix_room`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any

from nio import RoomCreateResponse, RoomPreset
from sqlalchemy import func, select

from bot.answers import MATRIX_ID
from bot.failures import log_failure
from bot.invitations import looks_like_code
from bot.messages import ROOM_NAME, ROOM_TOPIC, Reply
from bot.outbox_payload import payload_to_reply, reply_to_payload
from bot.storage.people import Organisation
from bot.transports.matrix.inbox import Recorded
from bot.transports.matrix.private import others_in

if TYPE_CHECKING:
    from bot.transports.matrix.transport import MatrixTransport

log = logging.getLogger(__name__)

MXID = MATRIX_ID
CODE_WORD = re.compile(r"[A-Za-z0-9_-]{16,64}")
SECURE_WAIT = 10.0
"""Seconds to wait for the sync showing a direct chat encrypted by the bot."""
CATCH_UP_WAIT = 30.0
"""Seconds a direct chat asked again waits for a first sync (then the outbox tries later)."""
ENCRYPTION = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


class Rooms:
    def __init__(self, transport: MatrixTransport) -> None:
        self.t = transport
        self._answering: set[str] = set()
        self._welcoming: set[str] = set()
        """Rooms whose waiting messages are being sent."""
        self._secured: set[str] = set()
        """Direct chats whose encryption the bot turned on, or tried to (once each)."""

    def invited(self, room_id: str, state: list[Any]) -> None:
        if room_id in self._answering:
            return
        self._answering.add(room_id)
        inviter, words, direct = "", [], False
        for event in state:
            source = getattr(event, "source", {}) or {}
            # nio moves a membership's content out of its source, onto the event.
            content = getattr(event, "content", None) or source.get("content") or {}
            kind = source.get("type")
            if kind == "m.room.member" and source.get("state_key") == self.t.user_id:
                inviter = str(source.get("sender", ""))
                words.append(str(content.get("reason") or ""))
                direct = content.get("is_direct") is True
            elif kind == "m.room.name":
                words.append(str(content.get("name") or ""))
        code = next((w for t in words for w in CODE_WORD.findall(t) if looks_like_code(w)), None)
        self.t._spawn(self._answer_invite(room_id, inviter, code, direct=direct))

    async def _answer_invite(
        self, room_id: str, inviter: str, code: str | None, *, direct: bool = False
    ) -> None:
        try:
            # A direct chat is how anyone reaches the bot, as on Telegram: a participant
            # who was forwarded « /start CODE » opens one and sends it (explorer G G3: it
            # was declined, and the code never arrived).  Strangers are then told that an
            # invitation is needed; only rooms of several are kept for people it knows.
            welcome = direct or code is not None or await self.t.inbox.is_known(inviter)
            if not welcome:
                async with self.t.engine.db.sessions() as session:
                    # Nobody has set formabot up yet: the first person may (as /start says).
                    welcome = not await session.scalar(select(func.count(Organisation.id)))
            client = self.t.client
            if not welcome:
                await self.t.outgoing.submit(lambda: client.room_leave(room_id))
                log.info("matrix: declined an invitation from an unknown account")
                return
            await self.t.outgoing.submit(lambda: client.join(room_id))
            self.t._joining.add(room_id)
            if code is not None:
                event_id = f"invite:{room_id}"
                start = {
                    "type": "m.room.message",
                    "event_id": event_id,
                    "sender": inviter,
                    "content": {"msgtype": "m.text", "body": f"/start {code}"},
                }
                await self.t.inbox.add([Recorded(event_id, room_id, inviter, start)])
                self.t._wake(room_id)
        except Exception as exc:
            log_failure("answering a matrix invitation", exc)
        finally:
            self._answering.discard(room_id)

    async def secure(self, room: Any) -> None:
        """Turn encryption on in a direct chat opened without it, before writing there.

        Explorer YD1: a person who opened her chat unencrypted (a client set so, a server
        that does not encrypt by default) gave her name and swore her attestation in clear,
        its PDF uploaded unencrypted; a trainer's Qualiopi ZIP would have gone so too.  In a
        direct chat (Element's and Tchap's) both members may change its settings: the bot
        sends the state event, then waits for the sync that shows the room encrypted (nio
        then fetches the members' keys) so that this very message goes encrypted.  A room
        that refuses (its creator kept the right) is written to as before; groups and
        public rooms are left as their members set them (no personal data is shown there).
        """
        room_id = room.room_id
        public = room.join_rule == "public"  # anyone may read it: nothing to protect
        if room.encrypted or room.member_count > 2 or public or room_id in self._secured:
            return
        self._secured.add(room_id)
        client = self.t.client
        content = ENCRYPTION["content"]
        try:
            await self.t.outgoing.submit(
                lambda: client.room_put_state(room_id, "m.room.encryption", content)
            )
        except Exception as exc:
            log.info("matrix: could not encrypt a direct chat (%s)", type(exc).__name__)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SECURE_WAIT
        while not room.encrypted and loop.time() < deadline:
            async with self.t.synced:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.t.synced.wait(), deadline - loop.time())

    def membership(self, room_id: str, event: Any) -> None:
        """Someone left or was banned: a DM left alone is left, its person is gone."""
        if event.state_key == self.t.user_id or event.membership not in ("leave", "ban"):
            return
        room = self.t.client.rooms.get(room_id)
        alone = room is None or room.member_count <= 1
        self.t._spawn(self._gone(room_id, event.state_key, leave=alone))

    async def replaced(self, room_id: str, source: dict[str, Any]) -> None:
        """A room upgraded (``m.room.tombstone``: a member or the homeserver moved it to a
        new room version, in a room of its own): the people, their dialogues, the digest and what
        waits follow to the new room, which the bot joins (explorer MG3: Claire's answer
        there was greeted as a stranger's, and the reminders went on to the old room, which
        clients hide).  Not let in yet, it joins when invited (she is known); never let in,
        sends there are refused as for a room left."""
        new = (source.get("content") or {}).get("replacement_room")
        if source.get("type") != "m.room.tombstone" or not isinstance(new, str):
            return
        if not new.startswith("!") or new == room_id:
            return
        await self.t.inbox.replaced(room_id, new)  # before the new room's messages are read
        log.info("matrix: a room was upgraded; what was kept for it follows")
        self.t._joining.add(new)
        self.t._spawn(self._join(new))  # at the pace, outside the sync loop

    async def _join(self, new: str) -> None:
        client = self.t.client
        try:
            await self.t.outgoing.submit(lambda: client.join(new))
        except Exception as exc:  # invite-only: her client invites the bot, accepted then
            self.t._joining.discard(new)
            log.info("matrix: could not join an upgraded room yet (%s)", type(exc).__name__)

    async def _gone(self, room_id: str, user_id: str, *, leave: bool) -> None:
        await self.t.inbox.gone(room_id, None if leave else user_id)
        if leave:
            client = self.t.client
            try:
                await self.t.outgoing.submit(lambda: client.room_leave(room_id))
            except Exception as exc:
                log.info("matrix: could not leave an empty room (%s)", type(exc).__name__)
        log.info("matrix: a person left a room; nothing more is sent there")

    async def open_direct_chat(self, invitee: str, welcome: Reply, *, key: str) -> str:
        """Open an encrypted direct chat with ``invitee``; ``welcome`` follows their join.

        Tchap's way: ``is_direct``, encrypted from the start, exactly one invitee
        (an external on Tchap cannot open one).  The welcome waits in SQL, so it
        is sent when the invitee joins, days later or after restarts; ``key``
        names the purpose (``invitation:12``): asking again returns the same room.

        The room's name and topic come from the welcome's extras (:mod:`bot.matrix_room`),
        set at its creation only: the invitation she sees before accepting says which
        organisation writes and why (explorer DC2: it arrived bare).
        No invitation ``reason``: the Matrix API gives one to ``/invite`` only, and an
        invitation made so would lose ``is_direct`` (Tchap would not show a direct chat).
        """
        if not MXID.match(invitee) or invitee == self.t.user_id:
            raise ValueError("not a Matrix ID of someone else")
        row = await self.t.inbox.welcome_for(key)
        if row is not None and row.room_id:
            return row.room_id
        if row is None:
            row = await self.t.inbox.add_welcome(key, invitee, reply_to_payload(welcome))
        else:
            # Asked before and no room recorded: the bot may have been killed between the
            # homeserver's creating it and its recording (explorer MG5: a second room, a second
            # invitation).  The homeserver's rooms are known once a sync has answered.
            await asyncio.wait_for(self.t.caught_up.wait(), CATCH_UP_WAIT)
        shared = await self._shared_direct_chat(invitee)
        if shared is not None:
            # One conversation per person (explorer G G1: every moved bilan opened another
            # chat with the chargée de mission): the next message goes where they already are.
            await self.t.inbox.welcome_room(row.id, shared)
            await self._retopic(shared, welcome)
            await self.welcomes()
            return shared
        client = self.t.client
        name, topic = welcome.extras.get(ROOM_NAME), welcome.extras.get(ROOM_TOPIC)
        created = await self.t.outgoing.submit(
            lambda: client.room_create(
                is_direct=True,
                invite=[invitee],
                preset=RoomPreset.trusted_private_chat,
                initial_state=[ENCRYPTION],
                name=name,
                topic=topic,
            )
        )
        assert isinstance(created, RoomCreateResponse)
        await self.t.inbox.welcome_room(row.id, created.room_id)
        return str(created.room_id)

    async def _retopic(self, room_id: str, welcome: Reply) -> None:
        """The room's topic says the latest purpose of the same organisation and trainer: a
        moved bilan's new date (explorer AJ7: Tchap's room list kept the first date).  Another
        organisation's message leaves the topic as it is, like the room's name."""
        topic = welcome.extras.get(ROOM_TOPIC)
        room = self.t.client.rooms.get(room_id)
        if not topic or room is None or not room.topic or room.topic == topic:
            return
        if room.topic.split(" : ", 1)[0] != topic.split(" : ", 1)[0]:
            return
        client = self.t.client
        content = {"topic": topic}
        try:
            await self.t.outgoing.submit(
                lambda: client.room_put_state(room_id, "m.room.topic", content)
            )
        except Exception as exc:  # a room whose creator kept the right: the words say it
            log.info("matrix: could not update a room's topic (%s)", type(exc).__name__)

    async def _shared_direct_chat(self, invitee: str) -> str | None:
        """A direct chat the bot is in with ``invitee`` (joined, or invited still): one SQL
        names, or else any room of the two alone, which SQL may not name (explorer MG5: the
        bot killed once the homeserver had created it; she is invited there by the bot, the
        only other member)."""
        rooms = self.t.client.rooms
        for room_id in [*await self.t.inbox.direct_rooms_with(invitee), *rooms]:
            room = rooms.get(room_id)
            if room is not None and invitee in room.users and room.member_count <= 2:
                return str(room_id)
        return None

    def private_chat(self, invitee: str) -> str | None:
        """A room of the bot and ``invitee`` alone, that ``invitee`` has joined."""
        for room_id, room in self.t.client.rooms.items():
            member = room.users.get(invitee)
            if member is not None and not member.invited and room.member_count <= 2:
                return str(room_id)
        return None

    async def welcomes(self) -> None:
        """Send what waits for rooms whose invitee has joined: a room's messages one after
        the other, in the order written, one room at a time (a file's upload let the next
        message overtake it)."""
        waiting: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for row in await self.t.inbox.pending_welcomes():
            room_id = str(row.room_id)
            room = self.t.client.rooms.get(room_id)
            member = room.users.get(row.invitee) if room is not None else None
            shared = room is not None and others_in(room, self.t.user_id, row.invitee)
            if member is None or member.invited or shared:
                # Not joined there, but in a direct chat she opened herself (explorer AT3: the
                # moved bilan's invitation waited in the room she never accepted): sent there.
                # Nor in a room someone else was invited into (explorer AJ2): it waits.
                room_id = self.private_chat(row.invitee) or ""
                if not room_id:
                    continue
                await self.t.inbox.welcome_room(row.id, room_id)
            if room_id not in self._welcoming:
                waiting.setdefault(room_id, []).append((row.id, row.payload))
        for room_id, rows in waiting.items():
            self._welcoming.add(room_id)
            self.t._spawn(self._welcome(room_id, rows))

    async def _welcome(self, room_id: str, rows: list[tuple[int, dict[str, Any]]]) -> None:
        try:
            for row_id, payload in rows:  # a failure leaves the rest for the next pass
                await self.t._deliver(room_id, payload_to_reply(payload), tx=f"welcome-{row_id}")
                await self.t.inbox.welcome_sent(row_id)
        except Exception as exc:
            log_failure("a matrix welcome", exc)
            self._welcoming.discard(room_id)
        else:
            self._welcoming.discard(room_id)
            self.t._spawn(self.welcomes())  # what was written for the room meanwhile
