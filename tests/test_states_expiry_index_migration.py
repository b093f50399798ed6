"""Migration 0045: the full index on a conversation's expiry goes, its partial index serves.

Upgrade to 0044, store a conversation left half-way and one under way, upgrade to head: the
index every turn wrote and nothing read is gone, the minute tick's sweep still forgets what
was typed in the expired one only, read through the partial index (DA1).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, inspect, select

from bot.config import Settings
from bot.privacy.retention import forget_abandoned_conversations
from bot.storage.db import Database
from bot.storage.state import ConversationState
from tests.auxil.migrations import empty, upgrade
from tests.auxil.statements import plans, recording

__all__ = ["empty"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _indexes(connection: Connection) -> set[str]:
    return {index["name"] or "" for index in inspect(connection).get_indexes("conversation_states")}


async def test_a_turn_writes_one_expiry_index_and_the_sweep_reads_it(
    empty: Database, settings: Settings
) -> None:
    await upgrade(empty, "0044_next_point_on")
    async with empty.sessions() as session, session.begin():
        for user, expires in (
            ("left", NOW - timedelta(hours=1)),
            ("here", NOW + timedelta(hours=1)),
        ):
            session.add(
                ConversationState(
                    platform="telegram",
                    chat_id=user,
                    user_id=user,
                    flow="formation",
                    step="title",
                    data={"title": "Agent de restauration"},
                    version=3,
                    expires_at=expires,
                    updated_at=NOW,
                )
            )
    await upgrade(empty, "head")
    async with empty.engine.connect() as connection:
        indexes = await connection.run_sync(_indexes)
    assert "ix_conversation_states_expires_at" not in indexes
    assert "ix_conversation_states_unforgotten" in indexes
    with recording(empty) as sent:
        async with empty.sessions() as session, session.begin():
            await forget_abandoned_conversations(session, NOW, settings)
    async with empty.sessions() as session:
        stored = {
            s.user_id: (s.step, s.data)
            for s in (await session.scalars(select(ConversationState))).all()
        }
    assert stored == {
        "left": (None, {"_q": 0}),
        "here": ("title", {"title": "Agent de restauration"}),
    }
    (swept,) = [plan for sql, plan in await plans(empty, sent) if sql.startswith("SELECT")]
    assert "ix_conversation_states_unforgotten" in swept, swept
