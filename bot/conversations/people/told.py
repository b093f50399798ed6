"""Telling the people a dialogue's change concerns, each in her own chat (outbox)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.conversations.kit.context import Context
from bot.messages import Reply
from bot.people.chats import tell_person


async def tell_each(
    ctx: Context, told: Mapping[int, str], words: Mapping[str, Any], *, key: str
) -> None:
    """Each person of ``told`` (by person id) the block said of her, rendered with
    ``words``; once per event: ``key``, then the person and the turn's event, is the
    outbox's unique key (a member removed and her successor; a formation handed over)."""
    for person_id, block in told.items():
        await tell(
            ctx,
            person_id,
            block,
            key=f"{key}:{person_id}:{ctx.incoming.event_id}"[:255],
            organisation_id=ctx.organisation_id,
            **words,
        )


async def tell(
    ctx: Context,
    person_id: int,
    block: str,
    *,
    key: str,
    organisation_id: int,
    prefer: str | None = None,
    **words: Any,
) -> bool:
    """One person told, in her chat, the ``block`` rendered with ``words``; once per ``key``
    (the outbox's unique key): someone else's change that concerns her.  False when the bot
    has no chat to write to her in (the caller says so to whom made the change)."""
    return await tell_person(
        ctx.session,
        person_id,
        Reply(text=ctx.render(block, **words)),
        key=key,
        organisation_id=organisation_id,
        prefer=prefer,
    )
