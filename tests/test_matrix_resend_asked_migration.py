"""Migration 0039: the Matrix inbox stores when a message's sender was asked to send it again.

Upgrade to 0038, store an event still waiting for its room key as the inbox then held it,
upgrade to head: the event keeps waiting, its sender not asked yet (explorer GA2: only
an event said unreadable from now on is set aside when its key comes).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import select

from bot.storage.base import UTCDateTime
from bot.storage.db import Database
from bot.storage.matrix import MatrixEvent
from tests.auxil.migrations import empty, upgrade

__all__ = ["empty"]

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
OLD_EVENTS = sa.table(
    "matrix_events",
    *(sa.column(n) for n in ("account", "event_id", "room_id", "sender", "status", "attempts")),
    sa.column("source", sa.JSON()),
    sa.column("is_group", sa.Boolean()),
    sa.column("received_at", UTCDateTime()),
)
"""The columns of 0038's inbox, without the model's new one."""


async def test_an_event_waiting_for_its_key_keeps_waiting_its_sender_not_asked(
    empty: Database,
) -> None:
    await upgrade(empty, "0038_link_contested")
    async with empty.sessions() as session, session.begin():
        await session.execute(
            sa.insert(OLD_EVENTS).values(
                account="@formabot:localhost",
                event_id="$chiffre",
                room_id="!salle:localhost",
                sender="@claire:localhost",
                source={"type": "m.room.encrypted"},
                is_group=False,
                status="encrypted",
                attempts=0,
                received_at=NOW,
            )
        )
    await upgrade(empty, "head")
    async with empty.sessions() as session:
        [row] = (await session.scalars(select(MatrixEvent))).all()
        assert (row.status, row.received_at, row.resend_asked_at) == ("encrypted", NOW, None)
