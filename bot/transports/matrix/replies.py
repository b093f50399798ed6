"""In a group room, what answers the bot: a reply to one of its messages, or a message in a
thread on one (explorer ID6).

Every question in a group says « répondez en citant ce message »: a reply whose parent, or a
thread message whose root, is one of the bot's own events is for the bot, whatever the client
put in ``m.mentions`` (Element adds the mention on a reply, not every client does, none in a
thread).  Which events are the bot's: those the sync showed as sent by it (kept in memory, a
bounded number), else the homeserver is asked once per event (``room_get_event``: after a
restart, or for an event older than what the sync showed); the answer is kept either way.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from nio import EncryptionError, MegolmEvent, RoomGetEventResponse

from bot.transports.matrix import render

if TYPE_CHECKING:
    from bot.transports.matrix.transport import MatrixTransport

log = logging.getLogger(__name__)

KEPT = 5_000
"""Events remembered as the bot's or not (the oldest forgotten first)."""
FOR_GOOD = ("M_NOT_FOUND", "M_FORBIDDEN")
"""Refusals that stay true: the event is not one the bot can see, so not its own."""


class Own:
    def __init__(self, transport: MatrixTransport) -> None:
        self.t = transport
        self._known: OrderedDict[str, bool] = OrderedDict()

    def saw(self, event_id: str) -> None:
        """An event the sync shows as sent by the bot."""
        self._remember(event_id, True)

    async def addressed(self, room_id: str, text: str, content: dict[str, Any]) -> str | None:
        """The text meant for the bot in a group (:func:`.render.addressed`: a command, its
        name, a mention), or a reply / thread message on one of its own events, else None."""
        room = self.t.client.rooms.get(room_id)
        shown = room.user_name(self.t.user_id) if room is not None else None
        names = tuple(n for n in (shown, self.t.user_id[1:].split(":", 1)[0]) if n)
        found = render.addressed(text, content, self.t.user_id, names)
        if found is not None:
            return found
        for event_id in render.related(content):
            if await self._mine(room_id, event_id):
                return text.strip()
        return None

    async def _mine(self, room_id: str, event_id: str) -> bool:
        known = self._known.get(event_id)
        if known is not None:
            return known
        return await self._own_event(room_id, event_id) is not None

    async def _own_event(self, room_id: str, event_id: str) -> Any | None:
        """The bot's own event ``event_id`` as the homeserver gives it; ``None`` for another's
        (remembered, as a refusal that stays true is) or one that cannot be read now."""
        if self._known.get(event_id) is False:
            return None
        response = await self.t.client.room_get_event(room_id, event_id)
        if isinstance(response, RoomGetEventResponse):
            mine = getattr(response.event, "sender", None) == self.t.user_id
            self._remember(event_id, mine)
            return response.event if mine else None
        code = getattr(response, "status_code", None)
        if code in FOR_GOOD:
            self._remember(event_id, False)
        else:  # the homeserver busy or down: not read this time, asked again next time
            log.info("matrix: could not tell whose a replied-to event is (%s)", code)
        return None

    async def quoted(self, room_id: str, content: dict[str, Any]) -> str:
        """The text of the bot's own message that ``content`` replies to (or the root of its
        thread), decrypted; "" when it answers none of the bot's, or it cannot be read."""
        for event_id in render.related(content):
            event = await self._own_event(room_id, event_id)
            if isinstance(event, MegolmEvent):
                try:
                    event = self.t.client.decrypt_event(event)
                except EncryptionError:
                    continue
            body = getattr(event, "source", {}).get("content", {}).get("body")
            if isinstance(body, str):
                return body
        return ""

    def _remember(self, event_id: str, mine: bool) -> None:
        self._known[event_id] = mine
        self._known.move_to_end(event_id)
        while len(self._known) > KEPT:
            self._known.popitem(last=False)
