"""Events whose replies were sent: what :meth:`Engine.delivered <bot.engine.Engine.delivered>` writes.

Once a turn's replies went out, its ``processed_events`` row keeps only what
a redelivery needs (the engine says what: ``keep``) and records when.  The
inbox marks the updates of concurrent turns done together (:mod:`bot.inbox_marks`),
so this takes many events at once: one read of the rows not yet marked and
one write for all of them (an ``executemany``, sent in one round trip by the
PostgreSQL driver), whatever their number.  Core statements built once, on
the table: the ORM's identity map and unit of work cost more than the two
statements for a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, Table, bindparam, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.state import ProcessedEvent

_events: Table = ProcessedEvent.__table__  # type: ignore[assignment]

_UNDELIVERED = select(_events.c.platform, _events.c.event_id, _events.c.replies).where(
    tuple_(_events.c.platform, _events.c.event_id).in_(bindparam("keys", expanding=True)),
    _events.c.delivered_at.is_(None),
)
_DELIVERED = (
    update(_events)
    .where(
        _events.c.platform == bindparam("at_platform", type_=String()),
        _events.c.event_id == bindparam("at_event", type_=String()),
        _events.c.delivered_at.is_(None),
    )
    .values(replies=bindparam("kept", type_=_events.c.replies.type), delivered_at=bindparam("at"))
)

Keep = Callable[[dict[str, Any]], dict[str, Any]]
"""What is kept of one stored reply once it was sent."""


async def mark(
    connection: AsyncConnection, events: Sequence[tuple[str, str]], keep: Keep, now: datetime
) -> int:
    """Mark the events ``(platform, event id)`` delivered at ``now``; how many were not yet.

    An event already marked (a redelivery answered again) or not recorded
    (a turn that failed before its commit) is left as it is.
    """
    if not events:
        return 0
    found = (await connection.execute(_UNDELIVERED, {"keys": list(dict.fromkeys(events))})).all()
    if found:
        await connection.execute(
            _DELIVERED,
            [
                {
                    "at_platform": platform,
                    "at_event": event,
                    "kept": [keep(p) for p in replies],
                    "at": now,
                }
                for platform, event, replies in found
            ],
        )
    return len(found)
