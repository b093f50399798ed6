"""Events that came before their room key: tried again after every sync, and said.

Tchap and Element share a message's key with the bot's device a moment after the
message itself, or, from a device the bot has never seen, not at all (« Impossible de
déchiffrer » on the person's side).  The event waits in the inbox and is decrypted when
its key comes; past :data:`SAID_AFTER` in a direct chat the person is asked once to send it
again (explorer EF3: silence, then the message dropped a day later), and past
:data:`UNDECRYPTABLE_FOR` it is set aside.  Once asked (stored, so a restart knows it),
the message is set aside unhandled if its key comes after all: the copy sent again is the
one answered (explorer GA2: the original was handled too, late, as the answer to whatever
was asked by then).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from nio import MegolmEvent

from bot import texts
from bot.messages import Reply
from bot.storage.base import utcnow
from bot.transports.matrix import render

if TYPE_CHECKING:
    from bot.transports.matrix.transport import MatrixTransport

log = logging.getLogger(__name__)

UNDECRYPTABLE_FOR = timedelta(days=1)
"""An event whose room key never came is set aside after this long."""
SAID_AFTER = timedelta(minutes=2)
"""How long a key may take before the person is asked to send the message again."""


class Undecrypted:
    def __init__(self, transport: MatrixTransport) -> None:
        self.t = transport
        self._tried: set[int] = set()
        """The inbox rows whose notice was tried since the start: a notice that could not be
        sent is tried again after a restart only (the transaction id keeps it once on the
        homeserver's side); one sent is stored (``resend_asked_at``)."""

    async def retry(self) -> None:
        """Each event still waiting for its key: decrypted if the key came (set aside if its
        sender was asked to send it again), else said once after :data:`SAID_AFTER`, set
        aside after :data:`UNDECRYPTABLE_FOR`."""
        for row in await self.t.inbox.undecrypted():
            if row.received_at < utcnow() - UNDECRYPTABLE_FOR:
                await self.t.inbox.failed(row.id, row.attempts, "undecryptable", give_up=True)
                log.warning("matrix: an event never became readable; set aside")
                continue
            event = MegolmEvent.from_dict(row.source)
            if not isinstance(event, MegolmEvent):
                await self.t.inbox.decrypted(row.id, None)
                continue
            event.room_id = row.room_id
            try:
                clear = self.t.client.decrypt_event(event)
            except Exception:
                # Still no key; nio asks for it as the sync goes on.
                asked = row.resend_asked_at is not None
                if not asked and not row.is_group and row.received_at < utcnow() - SAID_AFTER:
                    thread = render.in_thread(row.source.get("content") or {}, row.event_id)
                    await self._say(row.id, row.room_id, row.event_id, thread)
                continue
            if row.resend_asked_at is not None:
                await self.t.inbox.done(row.id)
                log.info("matrix: an event readable after its sender was asked to resend it")
                continue
            source = render.message_source(getattr(clear, "source", {}) or {})
            if source is not None and row.is_group:
                # The names of the sync (the display name the group's hint teaches), whenever
                # the key came (explorer GA3: « formabot : 1 » set aside unsaid when late).
                # A reply or a thread on the bot's own message too (explorer ID6).
                text = await self.t.own.addressed(
                    row.room_id, render.read(source).text, source["content"]
                )
                source = None if text is None else {**source, "formabot_text": text}
            await self.t.inbox.decrypted(row.id, source)

    async def _say(
        self, row_id: int, room_id: str, event_id: str, thread: dict[str, Any] | None
    ) -> None:
        if row_id in self._tried:
            return
        self._tried.add(row_id)
        try:
            await self.t._deliver(
                room_id,
                Reply(text=texts.say("common.unreadable")),
                tx=f"unreadable/{event_id}",
                thread=thread,  # a thread's relation stays readable (explorer ID6)
            )
        except Exception as failure:
            log.info("matrix: unreadable notice not sent (%s)", type(failure).__name__)
            return
        await self.t.inbox.resend_asked(row_id)
