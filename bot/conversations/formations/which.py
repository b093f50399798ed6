"""/formations' first question, « Quelle formation ? »: how it starts, the words typed after
the command (:mod:`.after_command`), a formation chosen, a trainee's name typed in its place.
"""

from __future__ import annotations

from bot.answers import visible
from bot.conversations.formations.after_command import read_after_command
from bot.conversations.formations.choose import (
    formation_options,
    formations_of_trainee,
    listed_formations,
    load_formation,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Next, Outcome, Retry, Stay


async def list_start(ctx: Context) -> Outcome | None:
    if not await listed_formations(ctx):
        ctx.say("formation.none_yet")
        return Leave()
    # « /formations Maçon – Caen », « /formations Karim Benali »: read (explorer KB7).
    await read_after_command(ctx, "formations", await formation_options(ctx))
    return None


async def open_formation(ctx: Context, picked: str) -> Outcome:
    formation = await load_formation(ctx, picked)
    if formation is None:
        ctx.data.pop("formation_id", None)
        return Retry(ctx.render("formation.not_found"))
    ctx.data["formation_id"] = formation.id
    ctx.data.pop("_by_name", None)  # the narrowed list's words, once it is answered
    return Next()


async def by_trainee(ctx: Context) -> Outcome | None:
    """A trainee's name at « Quelle formation ? »: her formation opened, or those she is in
    shown alone."""
    found = await formations_of_trainee(ctx)
    if found is None:
        return None
    if len(found) == 1:
        return await open_formation(ctx, str(found[0].id))
    # Several: those alone, paged, with « Toute la liste » (explorer KB3: 26 named in prose).
    sought = " ".join(visible(ctx.incoming.text).split())[:60]
    ctx.data.update(_only=[str(f.id) for f in found], _sought=sought, _page=0, _by_name=sought)
    return Stay()
