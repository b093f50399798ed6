"""``/membres``: an administrator gives or takes back the administration, or removes a member.

    Vous  /membres
    Bot   Les membres de l'organisme : … Lequel ou laquelle ?
          [Adèle Martin (administratrice)] [Bruno Lefèvre (formateur, 2 formations)] …
    Vous  Bruno Lefèvre (formateur, 2 formations)
    Bot   Bruno Lefèvre, formateur depuis le … Que voulez-vous faire ?
          [Nommer à l'administration] [Retirer de l'organisme] [Retour]
    Vous  Retirer de l'organisme
    Bot   À qui confier ses 2 formations (« A », « B ») ? [Chloé Durand] …
    Vous  Chloé Durand
    Bot   Retirer Bruno Lefèvre de l'organisme ? Ses 2 formations passent à Chloé Durand …
    Vous  Oui, retirer
    Bot   C'est fait : Bruno Lefèvre ne fait plus partie de l'organisme. …

The work is :mod:`bot.people.members`; the person removed and the one who takes
over are told (outbox), the journal keeps who did it.
"""

from __future__ import annotations

from typing import Any

from bot import dates
from bot.answers import visible
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Flow, Leave, Next, Outcome
from bot.conversations.kit.pick import Pick
from bot.conversations.kit.steps import Confirm, Option
from bot.conversations.people.told import tell_each
from bot.people import members as service
from bot.storage.people import Role

PROMOTE, DEMOTE, REMOVE, BACK = "promote", "demote", "remove", "back"


async def _members(ctx: Context) -> list[service.Member]:
    return await service.members(ctx.session, ctx.organisation_id)


async def _chosen(ctx: Context, key: str = "member") -> service.Member | None:
    wanted = str(ctx.data.get(key, ""))
    return next((m for m in await _members(ctx) if str(m.person_id) == wanted), None)


def _role_words(member: service.Member) -> str:
    """« administratrice », « formateur », « formateur ou formatrice »: for the actual person."""
    feminine, masculine = (
        ("administratrice", "administrateur") if member.is_admin else ("formatrice", "formateur")
    )
    return {"f": feminine, "m": masculine}.get(member.form or "", f"{masculine} ou {feminine}")


async def member_options(ctx: Context) -> list[Option]:
    options = []
    for m in await _members(ctx):
        count = len(m.formations)
        owned = f", {count} formation{'s' if count > 1 else ''}" if count else ""
        options.append(
            Option(f"{visible(m.name)[:60]} ({_role_words(m)}{owned})", str(m.person_id))
        )
    return options


async def action_options(ctx: Context) -> list[Option]:
    member = await _chosen(ctx)
    if member is None:
        return [Option("Retour", BACK)]
    choices = [
        Option("Retirer de l'administration", DEMOTE)
        if member.is_admin
        else Option("Nommer à l'administration", PROMOTE)
    ]
    if member.person_id != ctx.person_id:  # one leaves by another admin's hand, not her own
        choices.append(Option("Retirer de l'organisme", REMOVE))
    return [*choices, Option("Retour", BACK)]


async def action_values(ctx: Context) -> dict[str, Any]:
    member = await _chosen(ctx)
    return {
        "m": member,
        "name": visible(member.name) if member else "",
        "role": _role_words(member) if member else "",
        "titles": [visible(t) for t in member.formations] if member else [],
    }


async def after_action(ctx: Context, picked: str) -> Outcome:
    member = await _chosen(ctx)
    if picked != BACK and member is None:
        await _say_gone(ctx)
    if picked == BACK or member is None:
        for key in ("member", "action"):
            ctx.data.pop(key, None)
        return Next("member")
    if picked == DEMOTE and sum(m.is_admin for m in await _members(ctx)) <= 1:
        # Refused before it is asked, to her (explorer BE6: confirmed, then refused).
        ctx.say("membres.last_admin", name=visible(member.name), yourself=_yourself(ctx, member))
        return Leave()
    if picked == REMOVE and member.formations:
        return Next("successor")
    return Next("confirm")


def _yourself(ctx: Context, member: service.Member) -> bool:
    """Whether the member an administrator chose is herself: spoken to, not of."""
    return member.person_id == ctx.person_id


async def _say_gone(ctx: Context) -> None:
    """The member chosen was removed meanwhile by another administrator: said, with who and
    when, before the list again (explorer AF6: the list came back without a word), or at the
    confirmation (explorer BB12: « Cette personne ne fait plus partie … », no name, no one)."""
    try:
        wanted = int(str(ctx.data.get("member", "")))
    except ValueError:
        wanted = 0
    left = await service.removal(ctx.session, ctx.organisation_id or 0, wanted)
    ctx.say(
        "membres.gone_meanwhile",
        name=visible(left.name) if left else "",
        by=visible(left.by) if left and left.by else "",
        at=dates.spell_datetime(left.at.astimezone(ctx.tz)) if left and left.at else "",
    )


async def successor_options(ctx: Context) -> list[Option]:
    leaving = str(ctx.data.get("member", ""))
    return [
        Option(visible(m.name)[:60], str(m.person_id))
        for m in await _members(ctx)
        if str(m.person_id) != leaving
    ]


async def to_confirm(ctx: Context, _picked: str) -> Outcome:
    return Next("confirm")


async def confirm_values(ctx: Context) -> dict[str, Any]:
    member = await _chosen(ctx)
    successor = await _chosen(ctx, "successor")
    return {
        "action": ctx.data.get("action"),
        "name": visible(member.name) if member else "",
        "yourself": member is not None and _yourself(ctx, member),
        "titles": [visible(t) for t in member.formations] if member else [],
        "successor": visible(successor.name) if successor else "",
    }


async def confirmed(ctx: Context) -> Outcome:
    return Finish()


async def not_confirmed(ctx: Context) -> Outcome:
    ctx.say("membres.unchanged")
    return Leave()


async def apply(ctx: Context) -> None:
    member, successor = await _chosen(ctx), await _chosen(ctx, "successor")
    action = str(ctx.data.get("action"))
    if member is None:
        await _say_gone(ctx)
        return
    by = ctx.actor.name if ctx.actor else ""
    organisation = ctx.actor.organisation_name if ctx.actor else ""
    if action == REMOVE:
        outcome = await service.remove(
            ctx.session,
            ctx.organisation_id,
            member.person_id,
            successor=successor.person_id if successor else None,
            by=ctx.person_id,
            now=ctx.now,
        )
    else:
        role = Role.ADMIN if action == PROMOTE else Role.FORMATEUR
        outcome = await service.set_role(
            ctx.session, ctx.organisation_id, member.person_id, role, by=ctx.person_id, now=ctx.now
        )
    if outcome != "done":
        ctx.say(f"membres.{outcome}", name=visible(member.name), yourself=_yourself(ctx, member))
        return
    words = {
        "action": action,
        "name": visible(member.name),
        "form": member.form,
        "by": visible(by),
        "organisation": visible(organisation),
        "titles": [visible(t) for t in member.formations],
        "successor": visible(successor.name) if successor else "",
    }
    ctx.say("membres.done", **words)
    told = {member.person_id: "membres.told_member"}
    if successor is not None and member.formations and successor.person_id != ctx.person_id:
        told[successor.person_id] = "membres.told_successor"
    await tell_each(ctx, told, words, key=f"membres:{action}:{member.person_id}")


MEMBERS = Flow(
    "membres",
    # Its command, /aide line and who may use it: bot/features/people.py.
    steps=[
        Pick("member", ask="membres.ask_member", options=member_options),
        Pick(
            "action",
            ask="membres.ask_action",
            options=action_options,
            values=action_values,
            then=after_action,
        ),
    ],
    branches=[
        Pick(
            "successor",
            ask="membres.ask_successor",
            options=successor_options,
            values=action_values,
            then=to_confirm,
        ),
        Confirm(
            "confirm",
            ask="membres.ask_confirm",
            values=confirm_values,
            yes=confirmed,
            no=not_confirmed,
            yes_label="Oui, confirmer",
            no_label="Non",
        ),
    ],
    finish=apply,
)


FLOWS = [MEMBERS]
