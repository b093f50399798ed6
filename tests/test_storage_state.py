"""A conversation's row: which dialogue waits for an answer, and until when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage.db import Database
from bot.storage.state import ConversationState, under_way, waiting_flow

NOW = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)


async def test_the_dialogue_waiting_is_named_until_it_is_given_up(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        session.add_all(
            [
                ConversationState(
                    platform="matrix",
                    chat_id="!room:localhost",
                    user_id="@lea:localhost",
                    flow="attestation",
                    step="role",
                    expires_at=NOW + timedelta(hours=1),
                ),
                ConversationState(
                    platform="telegram",
                    chat_id="42",
                    user_id="42",
                    flow="attestation",
                    step="role",
                    expires_at=NOW - timedelta(minutes=1),
                ),
                ConversationState(
                    platform="telegram", chat_id="43", user_id="43", flow=None, step=None
                ),
            ]
        )
    async with db.sessions() as session:
        # On Matrix the chat is a room, the person someone else: both name the conversation.
        assert await waiting_flow(session, "matrix", "!room:localhost", "@lea:localhost", NOW) == (
            "attestation"
        )
        assert await waiting_flow(session, "matrix", "!room:localhost", "!room:localhost") is None
        # Given up (its day passed): no question waits any more, though the row still says one.
        assert await waiting_flow(session, "telegram", "42", "42", NOW) is None
        assert await under_way(session, "telegram", "42", "42")  # the console's question
        assert await waiting_flow(session, "telegram", "43", "43", NOW) is None
        assert not await under_way(session, "telegram", "43", "43")
