"""Seeing the deadlines (``/echeances``): open one, mark it done, postpone it, undo.

    You  /echeances
    Bot  Vos échéances : 🔴 en retard : 1 · 🟠 cette semaine : 2 · 🔵 plus tard : 4
         [Filtrer par formation] [Terminé] [🔴 24/11 14 h 00 Envoyer le bilan pédagogique] …
    You  (touche une échéance)
    Bot  Envoyer le bilan pédagogique – Agent de restauration (démo)
         Échéance : mardi 24 novembre 2026 à 14 h 00 (en retard)
         Bilan pédagogique à envoyer à Mme Sophie Leroy avant … (fiche procédure…, §I).
         [✅ Fait] [Retour à la liste] [Terminé]
    You  Fait
    Bot  ✅ C'est noté : « Envoyer le bilan pédagogique » est faite.
         Vos échéances : … [↩ Annuler le dernier « Fait »] …
    You  (touche « Préparer le bilan avec le groupe », puis « Reporter »)
    Bot  À quelle date la reporter ?
    You  mercredi 25 novembre            (confirmée)
    Bot  Pour quelle raison ?
    You  le groupe est en stage cette semaine
    Bot  C'est noté : « Préparer le bilan avec le groupe » est reportée au mercredi 25 …
         Vos échéances : …

A formateur sees the deadlines of their formations; an admin those of the
whole organisation.  The list is recomputed first (so it reflects every
change, even one made by another feature), grouped as overdue, due within
seven days, later, and can be narrowed to one formation.  Each deadline
opens as a sub-dialogue (:data:`DEADLINE`) that comes back to the list.
Only deadlines whose date is the organisation's choice (the seed leaves it
open) can be postponed, with a reason; a date fixed by the funder cannot.
A postponement can be cancelled from the deadline, the last "Fait" from the
list.  The writes are :mod:`bot.deadlines.actions`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import dates
from bot.conversations.formations.choose import visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Call,
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Return,
    stored_date,
)
from bot.conversations.kit.steps import DateStep, Option, Pick, Text, words
from bot.deadlines.actions import (
    MAX_POSTPONE_DAYS,
    PostponeRefused,
    complete,
    earliest_postponement,
    postpone_deadline,
    postpone_problem,
    recomputed,
    reopen,
    trainee_names,
    visible_deadline,
)
from bot.deadlines.documents import due_text
from bot.deadlines.service import deadlines_of, group_of, grouped
from bot.messages import Reply
from bot.storage.bilans import StoredDeadline
from bot.storage.people import Role
from bot.undelivered import LIST_WINDOW, undelivered

MARKERS = {"overdue": "🔴", "week": "🟠", "later": "🔵"}


async def echeances_start(ctx: Context) -> Outcome | None:
    if not await recomputed(ctx.session, list(await titles(ctx))):
        ctx.say("echeances.none", admin=bool(ctx.actor and ctx.actor.is_admin))
        return Leave()
    return None


async def back_from_deadline(ctx: Context) -> Outcome | None:
    """The list's ``before``: what the opened deadline handed back when it ended."""
    closed = ctx.data.pop("closed", None)
    if closed == "quit":
        ctx.say("echeances.bye")
        return Leave()
    if isinstance(closed, int):  # marked done: "Annuler" is offered until the next one
        ctx.data["undo_id"] = closed
    return None


async def list_values(ctx: Context) -> dict[str, Any]:
    names = await titles(ctx)
    groups = grouped(await current_rows(ctx), ctx.now)
    failures = (
        await undelivered(ctx.session, ctx.organisation_id, ctx.now - LIST_WINDOW)
        if ctx.actor is not None and ctx.actor.is_admin
        else []
    )
    return {
        "counts": {group: len(items) for group, items in groups.items()},
        "filter_title": names.get(ctx.data.get("filter") or 0),
        "undelivered": failures,
    }


async def list_choices(ctx: Context) -> list[Option]:
    names = await titles(ctx)
    rows = await current_rows(ctx)
    with_deadlines = {r.formation_id for r in await deadlines_of(ctx.session, list(names))}
    options: list[Option] = []
    if ctx.data.get("filter") is not None:
        options.append(Option("Toutes les formations", "_all"))
    elif len(with_deadlines) > 1:
        options.append(Option("Filtrer par formation", "_filter"))
    # "Terminé" comes first with the filter: long lists are paged, and it must stay at hand.
    options.append(Option("Terminé", "_quit"))
    if ctx.data.get("undo_id") is not None:
        options.append(Option("↩ Annuler le dernier « Fait »", "_undo"))
    several = ctx.data.get("filter") is None and len(with_deadlines) > 1
    who = await trainee_names(ctx.session, rows)
    options += [
        Option(
            label(
                ctx,
                r,
                names.get(r.formation_id) if several else None,
                who.get(r.subject_id) if r.subject == "trainee" else None,
            ),
            f"d:{r.id}",
        )
        for r in rows
    ]
    return options


async def on_list(ctx: Context, picked: str) -> Outcome:
    if picked == "_quit":
        ctx.say("echeances.bye")
        return Leave()
    if picked == "_filter":
        return Next("filter")
    if picked == "_all":
        ctx.data["filter"] = None
        return Next("list")
    if picked == "_undo":
        return await undo_done(ctx)
    row = await load_deadline(ctx, picked.removeprefix("d:"))
    if row is None:
        return Retry(ctx.render("echeances.not_found"))
    return Call("echeance", {"deadline_id": row.id}, store="closed")


async def undo_done(ctx: Context) -> Outcome:
    row = await load_deadline(ctx, ctx.data.pop("undo_id", None))
    if row is None:
        return Retry(ctx.render("echeances.not_found"))
    await reopen(ctx.session, ctx.person_id, row.id, ctx.now)
    ctx.say("echeances.reopened", title=row.title)
    return Next("list")


async def filter_choices(ctx: Context) -> list[Option]:
    names = await titles(ctx)
    rows = await deadlines_of(ctx.session, list(names))
    counts: dict[int, int] = {}
    for row in rows:
        counts[row.formation_id] = counts.get(row.formation_id, 0) + 1
    return [
        Option(f"{names[i]} ({counts[i]})", str(i)) for i in sorted(counts, key=lambda i: names[i])
    ]


async def on_filter(ctx: Context, picked: str) -> Outcome:
    try:
        wanted = int(picked)
    except ValueError:
        return Retry(ctx.render("common.forged_choice"))
    if wanted not in await titles(ctx):
        return Retry(ctx.render("echeances.not_found"))
    ctx.data["filter"] = wanted
    return Next("list")


FLOW = Flow(
    "echeances",
    command="echeances",
    menu="Mes échéances",
    role=Role.FORMATEUR,
    summary="voir mes échéances, les marquer faites ou les reporter",
    start=echeances_start,
    steps=[
        Pick(
            "list",
            ask="echeances.ask_list",
            options=list_choices,
            values=list_values,
            before=back_from_deadline,
            then=on_list,
        ),
    ],
    branches=[
        Pick("filter", ask="echeances.ask_filter", options=filter_choices, then=on_filter),
    ],
)


# --- one deadline, opened from the list -------------------------------------------


async def deadline_values(ctx: Context) -> dict[str, Any]:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        return {"detail": None}
    names = await titles(ctx)
    return {
        "detail": {
            "title": row.title,
            "formation": names.get(row.formation_id, ""),
            "due": due_text(row, ctx.tz)
            if row.status != "postponed"
            else dates.spell_date(row.due_on),
            "late": group_of(row, ctx.now) == "overdue",
            "postponed_to": dates.spell_date(row.postponed_to) if row.postponed_to else None,
            "status": row.status,
            "reason": row.postpone_reason,
            "explanation": row.explanation,
            "source": row.source,
            "postponable": row.postponable,
            "rule_id": row.rule_id,
        }
    }


async def deadline_choices(ctx: Context) -> list[Option]:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        return [Option("Retour à la liste", "back")]
    options = [Option("✅ Fait", "done")]
    if row.postponable:
        options.append(Option("Reporter", "postpone"))
    if row.status == "postponed":
        options.append(Option("↩ Annuler le report", "reopen"))
    options += [Option("Retour à la liste", "back"), Option("Terminé", "quit")]
    return options


async def on_deadline(ctx: Context, picked: str) -> Outcome:
    if picked == "back":
        return Leave()
    if picked == "quit":
        return Return("quit")
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        ctx.say("echeances.not_found")
        return Leave()
    if picked == "done":
        await complete(ctx.session, ctx.person_id, row.id, ctx.now)
        ctx.say("echeances.marked_done", title=row.title)
        return Return(row.id)
    if picked == "postpone":
        if not row.postponable:
            return Retry(ctx.render("echeances.not_postponable", source=row.source))
        return Next()
    if picked == "reopen" and row.status == "postponed":
        await reopen(ctx.session, ctx.person_id, row.id, ctx.now)
        ctx.say("echeances.postponement_cancelled", title=row.title, due=due_text(row, ctx.tz))
        return Leave()
    return Retry(ctx.render("common.forged_choice"))


async def check_postpone(ctx: Context, when: datetime) -> str | None:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        return ctx.render("echeances.not_found")
    return postpone_refusal(ctx, row, postpone_problem(row, when.date(), ctx.now.date()))


parse_reason = words(300, "echeances.reason_invalid", letters=1)


async def save_postponement(ctx: Context, reason: str) -> Outcome:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        ctx.say("echeances.not_found")
        return Leave()
    to = stored_date(ctx, "postpone_to")
    try:
        await postpone_deadline(
            ctx.session, ctx.person_id, row.id, ctx.now, to=to, reason=reason, today=ctx.now.date()
        )
    except PostponeRefused as refused:
        ctx.send(Reply(text=postpone_refusal(ctx, row, refused.problem) or ""))
        return Leave()
    ctx.say("echeances.postponed", title=row.title, to=to)
    return Leave()


DEADLINE = Flow(
    "echeance",
    role=Role.FORMATEUR,
    summary="voir une échéance, la marquer faite ou la reporter",
    steps=[
        Pick(
            "deadline",
            ask="echeances.ask_deadline",
            options=deadline_choices,
            values=deadline_values,
            then=on_deadline,
        ),
        DateStep(
            "postpone_to",
            ask="echeances.ask_postpone_to",
            prefer="future",
            check=check_postpone,
            example="vendredi 4 décembre",
        ),
        Text(
            "postpone_reason",
            ask="echeances.ask_postpone_reason",
            parse=parse_reason,
            then=save_postponement,
        ),
    ],
)

FLOWS = [FLOW, DEADLINE]


# --- helpers ----------------------------------------------------------------------


async def titles(ctx: Context) -> dict[int, str]:
    """The formations this person may see: id → title."""
    return {f.id: f.title for f in await visible_formations(ctx)}


async def current_rows(ctx: Context) -> list[StoredDeadline]:
    """The deadlines listed now: of every visible formation, or of the one filtered."""
    names = await titles(ctx)
    wanted = ctx.data.get("filter")
    ids = [i for i in names if wanted is None or i == wanted]
    return await deadlines_of(ctx.session, ids)


async def load_deadline(ctx: Context, deadline_id: object) -> StoredDeadline | None:
    """The deadline if it belongs to a formation this person may see."""
    return await visible_deadline(ctx.session, deadline_id, await titles(ctx))


def postpone_refusal(ctx: Context, row: StoredDeadline, problem: str | None) -> str | None:
    """The re-ask for a postponement date that cannot be (``None``: it can)."""
    if problem == "fixed":
        return ctx.render("echeances.not_postponable", source=row.source)
    if problem == "too_early":
        due = earliest_postponement(row, ctx.now.date())
        return ctx.render("echeances.postpone_too_early", due=due)
    if problem == "too_far":
        return ctx.render("echeances.postpone_too_far", days=MAX_POSTPONE_DAYS)
    return None


def label(ctx: Context, row: StoredDeadline, formation: str | None, who: str | None = None) -> str:
    marker = MARKERS[group_of(row, ctx.now)]
    day = f"{row.effective_due:%d/%m}"
    if row.due_at is not None and row.status != "postponed":
        day += " " + dates.spell_time(row.due_at.astimezone(ctx.tz))
    text = f"{marker} {day} {row.title}"
    if who:
        # Several trainees owe the same step (EOS entries): the name tells them
        # apart.  This flow runs in private chats only.
        text += f" – {who}"
    if row.status == "postponed":
        text += " (reportée)"
    if formation:
        text += f" · {formation}"
    return text if len(text) <= 90 else text[:89] + "…"
