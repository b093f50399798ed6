"""/bilan's first question, « Pour quelle formation ? », and what the formation chosen owes.

The words typed after the command answer it as they do for /formations (« /bilan cariste »:
explorer BG11, dropped); the formation chosen brings the bilans its funder expects and
those already scheduled, for the next question, « Que voulez-vous faire ? ».
"""

from __future__ import annotations

from bot.bilans.queries import bilan_formation, bilan_formations, owed_by
from bot.bilans.view import kind_label
from bot.conversations.bilans.shared import short_moment, viewer_of
from bot.conversations.formations.after_command import read_after_command, typed_after
from bot.conversations.formations.choose import by_relevance, day_of, options_of
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Next, Outcome, Retry
from bot.conversations.kit.steps import Option
from bot.storage.formations import Formation


async def start(ctx: Context) -> Outcome | None:
    formations = await bilan_formations(ctx.session, viewer_of(ctx))
    if not formations:
        ctx.say("bilan.no_formation")
        return Leave()
    if typed_after(ctx, "bilan"):  # « /bilan cariste »: the question's answer (BG11: dropped)
        options = await choices_of(ctx, formations)
        await read_after_command(ctx, "bilan", options, store="formation")
    if ctx.data.get("formation") is not None:
        await pick_formation(ctx, str(ctx.data["formation"]))
    return None


async def formation_choices(ctx: Context) -> list[Option]:
    return await choices_of(ctx, await bilan_formations(ctx.session, viewer_of(ctx)))


async def choices_of(ctx: Context, formations: list[Formation]) -> list[Option]:
    """Labelled as /formations and /appel label them (explorer O: cut differently here)."""
    ordered = by_relevance(formations, day_of(ctx))
    return await options_of(ctx, ordered)


async def pick_formation(ctx: Context, picked: str) -> Outcome:
    formation = await bilan_formation(ctx.session, viewer_of(ctx), picked)
    if formation is None:
        return Retry(ctx.render("bilan.formation_not_found"))
    owed, scheduled = await owed_by(ctx.session, formation, ctx.now.date())
    ctx.data.update(
        formation_id=formation.id,
        title=formation.title,
        funder=formation.funder,
        cm_name=formation.cm_name,
        owed=[
            {
                "key": o.key,
                "kind": o.kind,
                "label": o.label,
                "suggested": o.suggested_on.isoformat(),
                "reason": o.reason,
                "scheduled": o.scheduled,
                "past": o.past,
            }
            for o in owed
        ],
        scheduled=[
            {
                "id": b.id,
                "kind": kind_label(b.kind),
                "when": short_moment(b.starts_at, ctx),
                "remote": b.remote,
            }
            for b in scheduled
        ],
    )
    return Next()
