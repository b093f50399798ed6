"""Telling a bilan's participants what changed (moved, cancelled).

Delegates and partners have no chat identity until the attestations feature
invites them; that feature plugs in here by registering a resolver::

    from bot.deadlines.notify import register_resolver

    @register_resolver
    async def attestation_chat(session, participant):
        ...  # (platform, chat_id) of the participant's private chat, or None

Each participant with a chat gets one message per change, queued in the
outbox under ``bilan:<id>:<event>:<sequence>:participant:<participant id>``:
sent exactly once, even when the same change is handled twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversations.kit.context import Context
from bot.messages import Reply
from bot.storage.bilans import Bilan, BilanParticipant

Resolver = Callable[[AsyncSession, BilanParticipant], Awaitable[tuple[str, str] | None]]

RESOLVERS: list[Resolver] = []


def register_resolver(resolver: Resolver) -> Resolver:
    if resolver not in RESOLVERS:
        RESOLVERS.append(resolver)
    return resolver


async def chat_of(session: AsyncSession, participant: BilanParticipant) -> tuple[str, str] | None:
    """(platform, chat id) where this participant can be written to, if any feature knows."""
    for resolver in RESOLVERS:
        found = await resolver(session, participant)
        if found is not None:
            return found
    return None


async def notify_participants(ctx: Context, bilan: Bilan, *, event: str, text: str) -> int:
    """Queue ``text`` (safe chat markup) to every reachable participant; how many were."""
    reached = 0
    for participant in bilan.participants:
        where = await chat_of(ctx.session, participant)
        if where is None:
            continue
        platform, chat_id = where
        await ctx.notify(
            key=f"bilan:{bilan.id}:{event}:{bilan.sequence}:participant:{participant.id}",
            platform=platform,
            chat_id=chat_id,
            reply=Reply(text=text),
            organisation_id=bilan.organisation_id,
        )
        reached += 1
    return reached
