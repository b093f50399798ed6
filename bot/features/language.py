"""Language: what a sentence typed outside any conversation most likely asks for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.manifest import Feature

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context
    from bot.conversations.kit.flow import Outcome


async def closest_commands(ctx: Context) -> Outcome | None:
    """The commands a sentence's words point to (its module imported at the first sentence)."""
    from bot.conversations.language import suggest

    return await suggest.closest_commands(ctx)


FEATURE = Feature(name="language", free_text=(closest_commands,))
