"""What a sync left out: the events of a room beyond its timeline's limit, fetched back.

A sync returns at most a few events per room (Synapse's default is 10) and
says ``limited`` when there were more: messages sent while the bot was
down, during a database outage, or while a group room chattered.  Taking
only the last ten and moving the sync token on lost the others for good
(explorer V, V2: thirteen messages sent while the bot was down, three
never answered).  So the sync asks for more per room (:data:`SYNC_FILTER`),
and a room still ``limited`` is paged back with ``/messages`` from the
timeline's ``prev_batch`` down to the token the sync started from; the
events found are put before the timeline's, oldest first, and go through
the same reading as the others (the inbox's event ids make a repeat
harmless).
"""

from __future__ import annotations

import logging

from nio import AsyncClient, MessageDirection, RoomMessagesResponse, SyncResponse

log = logging.getLogger(__name__)

TIMELINE_LIMIT = 50
SYNC_FILTER = {"room": {"timeline": {"limit": TIMELINE_LIMIT}}}
"""Asked of every sync: fewer rooms left ``limited``, fewer pages fetched back."""

PAGE = 100
MAX_PAGES = 20
"""A room is paged back at most this far (2,000 events): a gap beyond is said in the log."""


async def fill_gaps(client: AsyncClient, response: SyncResponse, since: str | None) -> None:
    """Put before each ``limited`` room timeline the events between ``since`` and it."""
    if since is None:
        return  # the very first sync is history: nothing in it is answered
    for room_id, info in response.rooms.join.items():
        timeline = info.timeline
        if not timeline.limited or not timeline.prev_batch:
            continue
        missed = await _between(client, room_id, timeline.prev_batch, since)
        seen = {getattr(e, "event_id", None) for e in timeline.events}
        timeline.events[:0] = [e for e in missed if getattr(e, "event_id", None) not in seen]


async def _between(client: AsyncClient, room_id: str, start: str, since: str) -> list[object]:
    """The room's events from ``start`` back to ``since``, oldest first."""
    found: list[object] = []
    token = start
    for _ in range(MAX_PAGES):
        page = await client.room_messages(
            room_id, start=token, end=since, direction=MessageDirection.back, limit=PAGE
        )
        if not isinstance(page, RoomMessagesResponse):
            # Kept as a failure of the whole sync: retried from the same token, nothing lost.
            raise RuntimeError(f"matrix: /messages refused ({getattr(page, 'status_code', '?')})")
        found.extend(page.chunk)
        if not page.chunk or not page.end or page.end == token:
            return found[::-1]
        token = page.end
    log.warning("matrix: a room had more than %d events since the last sync", PAGE * MAX_PAGES)
    return found[::-1]
