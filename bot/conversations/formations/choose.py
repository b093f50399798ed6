"""Choosing one of my formations, for every dialogue that starts with "Pour quelle formation ?".

    Bot  Quelle formation ?  [Agent de restauration (mardi 1er décembre 2026)] …
    Vous Agent de restauration

Thin helpers over :mod:`bot.formations.queries` for dialogues that hold a
``Context``: the person behind the chat decides what they may see.
"""

from __future__ import annotations

from bot import dates
from bot.conversations.kit.context import Context
from bot.conversations.kit.steps import Option
from bot.formations import queries
from bot.storage.formations import Formation


def member(ctx: Context) -> queries.Member:
    """The person behind the chat, as the formations services know them."""
    return queries.Member(
        organisation_id=ctx.organisation_id,
        person_id=ctx.person_id,
        admin=ctx.actor is not None and ctx.actor.is_admin,
    )


async def visible_formations(ctx: Context) -> list[Formation]:
    return await queries.visible_formations(ctx.session, member(ctx))


async def load_formation(ctx: Context, formation_id: object) -> Formation | None:
    """The formation if this person may see it; ``None`` for anything else."""
    return await queries.load_formation(ctx.session, member(ctx), formation_id)


async def formation_options(ctx: Context) -> list[Option]:
    return [
        Option(f"{f.title} ({dates.spell_date(f.start_date)})", str(f.id))
        for f in await visible_formations(ctx)
    ]
