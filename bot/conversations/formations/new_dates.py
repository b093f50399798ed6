"""« Modifier les dates », from a formation's menu (:mod:`.manage`): the new dates, and the
bilans they would leave outside the formation, said before « Oui » and once saved.

    Bot  Quelles sont les nouvelles dates de « Agent de restauration » ? …
    Vous jusqu'au 4 décembre
    Bot  J'ai compris : du lundi 2 novembre 2026 au vendredi 4 décembre 2026. C'est bien ça ?
         Attention : le bilan de fin de formation du vendredi 15 janvier 2027 à 14 h 00
         tomberait après cette nouvelle fin ; il garderait sa date, à déplacer ensuite
         avec /bilans.
    Vous Oui
    Bot  Nouvelles dates enregistrées pour « Agent de restauration » : …
    Bot  Attention : le bilan de fin de formation du vendredi 15 janvier 2027 à 14 h 00
         tombe maintenant après la fin de la formation. Il garde sa date tant que vous
         ne le déplacez pas : /bilans, puis « Déplacer ».

A bilan is never moved nor cancelled here (explorer AD22): its participants were
invited to its date, and only « Déplacer » tells them of another one; said before
« Oui », a slip of the month is corrected before anything is stored.  The formation's
own dates typed again are said to be its dates (:class:`.period.PeriodStep`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.bilans.queries import bilans_left_out
from bot.bilans.view import kind_label
from bot.conversations.formations.choose import member
from bot.conversations.formations.manage import editing, say_moved, say_to_redo
from bot.conversations.formations.period import PeriodStep
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow
from bot.formations import service
from bot.formations.queries import namesakes
from bot.storage.people import Role


async def left_out(ctx: Context, start: date, end: date) -> list[dict[str, Any]]:
    """Against the dates the dialogue opened with: those that moved are the news."""
    first, last = (date.fromisoformat(day) for day in ctx.data["_current"])
    found = await bilans_left_out(
        ctx.session, ctx.data["formation_id"], (first, last), (start, end), now=ctx.now, tz=ctx.tz
    )
    return [
        {
            "kind": kind_label(out.bilan.kind),
            "when": out.bilan.starts_at.astimezone(ctx.tz),
            "after": out.after,
        }
        for out in found
    ]


async def before_yes(ctx: Context, start: date, end: date) -> list[str]:
    bilans = await left_out(ctx, start, end)
    said = [ctx.render("formation.bilans_left_out", bilans=bilans, saved=False)] if bilans else []
    # Moved onto the dates of another formation of its title, a colleague's too (CB11).
    everyone, this = replace(member(ctx), admin=True), int(ctx.data["formation_id"])
    title = str(ctx.data.get("title") or "")
    twins = await namesakes(ctx.held, everyone, title, start, end, besides=this)
    if not twins.shown:
        return said
    return [*said, ctx.render("formation.dates_namesake", formation=twins.shown[0])]


async def save_dates(ctx: Context) -> None:
    start, end = date.fromisoformat(ctx.data["start"]), date.fromisoformat(ctx.data["end"])
    changed = await service.change_dates(
        ctx.session, member(ctx), ctx.data["formation_id"], start, end
    )
    if changed is None:
        ctx.say("formation.not_found")
        return
    ctx.say(
        "formation.dates_saved",
        f=changed.formation,
        outside=changed.outside,
        entries=changed.entries,
    )
    bilans = await left_out(ctx, start, end)
    if bilans:
        ctx.say("formation.bilans_left_out", bilans=bilans, saved=True)
    say_moved(ctx, changed.moved)
    say_to_redo(ctx, changed.formation, changed.reopened, done_again=changed.done_again)
    if changed.absences:
        ctx.say(
            "formation.absences_left_out", absences=changed.absences, where="en dehors de ces dates"
        )


EDIT_DATES = Flow(
    "formation_dates",
    role=Role.FORMATEUR,
    summary="modifier les dates d'une formation",
    start=editing,
    steps=[PeriodStep("period", ask="formation.ask_new_period", one_end=True, warnings=before_yes)],
    finish=save_dates,
)

FLOWS = [EDIT_DATES]
