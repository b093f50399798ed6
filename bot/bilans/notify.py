"""Telling a bilan's participants what changed (moved, cancelled).

Delegates and partners have no chat identity until a feature (attestations)
invites them; the features' chat resolvers, merged by
:class:`bot.manifest.Features`, say where each participant can be reached,
and the caller passes that lookup in.

Each participant with a chat gets one message per change, queued in the
outbox under ``bilan:<id>:<event>:<sequence>:participant:<participant id>``:
sent exactly once, even when the same change is handled twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply
from bot.outbox import enqueue
from bot.storage.bilans import Bilan, BilanParticipant

ChatOf = Callable[[AsyncSession, BilanParticipant], Awaitable[tuple[str, str] | None]]


async def notify_participants(
    session: AsyncSession, bilan: Bilan, *, event: str, text: str, chat_of: ChatOf
) -> int:
    """Queue ``text`` (safe chat markup) to every reachable participant; how many were."""
    reached = 0
    for participant in bilan.participants:
        where = await chat_of(session, participant)
        if where is None:
            continue
        platform, chat_id = where
        await enqueue(
            session,
            key=f"bilan:{bilan.id}:{event}:{bilan.sequence}:participant:{participant.id}",
            platform=platform,
            chat_id=chat_id,
            reply=Reply(text=text),
            organisation_id=bilan.organisation_id,
        )
        reached += 1
    return reached
