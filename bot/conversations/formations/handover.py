"""« Confier à une autre personne »: one formation handed to a colleague, from /formations.

    Vous Confier à une autre personne
    Bot  À qui confier « Agent de restauration » ? Ses échéances, ses rappels et les
         réponses des participants iront à cette personne.  [Chloé Durand] [Claire Martin]
    Vous Chloé Durand
    Bot  Confier « Agent de restauration » à Chloé Durand ?  [Oui, confier] [Non]
    Vous Oui, confier
    Bot  C'est fait : Chloé Durand a désormais la charge de « Agent de restauration » ;
         un message l'en avertit.

A trainer going on leave hands over one group, not all of them (explorer BD6: only
removing her from the organisation moved her formations, all at once).  The work is
:func:`bot.formations.service.hand_over`; the one who takes it, and the one who had it
when someone else gives it, are told.  A trainer who gave hers away no longer sees it:
the menu of /formations closes behind her.
"""

from __future__ import annotations

from typing import Any

from bot.answers import visible
from bot.bilans.queries import scheduled_bilans
from bot.bilans.view import kind_label
from bot.conversations.formations.choose import load_formation, member
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Return
from bot.conversations.kit.pick import Pick
from bot.conversations.kit.steps import Confirm, Option
from bot.conversations.people.told import tell_each
from bot.formations import service
from bot.formations.queries import named_in_organisation
from bot.people.members import Member, members
from bot.storage.formations import Formation
from bot.storage.people import Role

HANDED = "_handed"
"""Set in /formations' data when the person no longer sees the formation she gave."""


async def _others(ctx: Context) -> list[Member]:
    """Who may take the formation: every member but the one in charge of it."""
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        return []
    return [
        m
        for m in await members(ctx.session, ctx.organisation_id)
        if m.person_id != formation.owner_id
    ]


async def start(ctx: Context) -> Outcome | None:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        ctx.say("formation.not_found")
        return Return(True)
    ctx.data["title"] = await named_in_organisation(ctx.session, formation)
    if not await _others(ctx):
        admin = ctx.actor is not None and ctx.actor.is_admin
        ctx.say("handover.nobody_else", admin=admin)
        return Leave()
    return None


async def colleague_options(ctx: Context) -> list[Option]:
    return [
        Option(
            visible(m.name)[:60] + (" (vous)" if m.person_id == ctx.person_id else ""),
            str(m.person_id),
        )
        for m in await _others(ctx)
    ]


async def _chosen(ctx: Context) -> Member | None:
    wanted = str(ctx.data.get("new_owner", ""))
    return next((m for m in await _others(ctx) if str(m.person_id) == wanted), None)


async def _title(ctx: Context) -> dict[str, Any]:
    return {"title": ctx.data.get("title", "")}


async def to_confirm(ctx: Context, _picked: str) -> Outcome:
    return Next("confirm")


async def confirm_values(ctx: Context) -> dict[str, Any]:
    chosen = await _chosen(ctx)
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    giving_mine_away = (
        formation is not None
        and formation.owner_id == ctx.person_id
        and not (ctx.actor is not None and ctx.actor.is_admin)
    )
    return {
        "title": ctx.data.get("title", ""),
        "to": visible(chosen.name) if chosen else "",
        "to_herself": chosen is not None and chosen.person_id == ctx.person_id,
        "yours": giving_mine_away,
    }


async def hand_it(ctx: Context) -> Outcome:
    chosen = await _chosen(ctx)
    if chosen is None:
        ctx.say("handover.absent")
        return Leave()
    handed = await service.hand_over(
        ctx.session, member(ctx), ctx.data["formation_id"], chosen.person_id
    )
    if handed is None:
        ctx.say("formation.not_found")
        return Return(True)
    if isinstance(handed, str):
        ctx.say(f"handover.{handed}", to=visible(chosen.name))
        return Leave()
    formation = await ctx.session.get(Formation, ctx.data["formation_id"])
    assert formation is not None  # handed over just now, in this transaction
    words = {
        "title": visible(await named_in_organisation(ctx.session, formation)),
        "to": visible(chosen.name),
        "by": visible(ctx.actor.name) if ctx.actor else "",
        "herself": chosen.person_id == ctx.person_id,  # an administrator taking it (DF9)
        # What comes with it, for the one who takes it (explorer ED3: a bilan scheduled by
        # the former trainer, nobody said so).
        "bilans": [
            (kind_label(b.kind), b.starts_at.astimezone(ctx.tz))
            for b in await scheduled_bilans(ctx.session, formation.id)
            if b.starts_at > ctx.now
        ],
    }
    ctx.say("handover.done", **words)
    told = {chosen.person_id: "handover.told_new", handed.previous_owner_id: "handover.told_former"}
    others = {person: block for person, block in told.items() if person != ctx.person_id}
    await tell_each(ctx, others, words, key=f"confier:{ctx.data['formation_id']}")
    still_seen = await load_formation(ctx, ctx.data["formation_id"])
    return Return(still_seen is None)


async def keep_it(ctx: Context) -> Outcome:
    ctx.say("formation.nothing_changed")
    return Leave()


HANDOVER = Flow(
    "formation_handover",
    role=Role.FORMATEUR,
    summary="confier une formation à une autre personne",
    start=start,
    steps=[
        Pick(
            "new_owner",
            ask="handover.ask_to",
            options=colleague_options,
            values=_title,
            then=to_confirm,
        ),
    ],
    branches=[
        Confirm(
            "confirm",
            ask="handover.ask_confirm",
            values=confirm_values,
            yes=hand_it,
            no=keep_it,
            yes_label="Oui, confier",
            no_label="Non",
        ),
    ],
)


FLOWS = [HANDOVER]
