"""Seeing the deadlines (``/echeances``): open one, mark it done, postpone it.

    You  /echeances
    Bot  Vos échéances : 🔴 en retard : 1 · 🟠 cette semaine : 2 · 🔵 plus tard : 4
         [🔴 24/11 14 h 00 Envoyer le bilan pédagogique] [🟠 26/11 …] …
    You  (touche une échéance)
    Bot  Envoyer le bilan pédagogique – Agent de restauration (démo)
         Échéance : mardi 24 novembre 2026 à 14 h 00 (en retard)
         Bilan pédagogique à envoyer à Mme Sophie Leroy avant … (fiche procédure…, §I).
         [Fait] [Reporter] [Retour à la liste]

A formateur sees the deadlines of their formations; an admin those of the
whole organisation.  The list is recomputed first (so it reflects every
change, even one made by another feature), grouped as overdue, due within
seven days, later, and can be narrowed to one formation.  Only deadlines
whose date is the organisation's choice (the seed leaves it open) can be
postponed, with a reason; a date fixed by the funder cannot.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot import dates
from bot.answers import Invalid, clean_line
from bot.conversations.formations.choose import visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry, stored_date
from bot.conversations.kit.steps import DateStep, Option, Pick, Text
from bot.deadlines.documents import due_text
from bot.deadlines.service import (
    deadlines_of,
    group_of,
    grouped,
    mark_done,
    postpone,
    refresh_deadlines,
)
from bot.storage.bilans import StoredDeadline
from bot.storage.formations import Trainee
from bot.storage.people import Role

MARKERS = {"overdue": "🔴", "week": "🟠", "later": "🔵"}
MAX_POSTPONE_DAYS = 180


async def titles(ctx: Context) -> dict[int, str]:
    return {f.id: f.title for f in await visible_formations(ctx)}


async def current_rows(ctx: Context) -> list[StoredDeadline]:
    names = await titles(ctx)
    wanted = ctx.data.get("filter")
    ids = [i for i in names if wanted is None or i == wanted]
    return await deadlines_of(ctx.session, ids)


async def load_deadline(ctx: Context, deadline_id: object) -> StoredDeadline | None:
    """The deadline if it belongs to a formation this person may see."""
    try:
        wanted = int(str(deadline_id))
    except ValueError:
        return None
    row = await ctx.session.get(StoredDeadline, wanted)
    if row is None or row.formation_id not in await titles(ctx):
        return None
    return row


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


async def echeances_start(ctx: Context) -> Outcome | None:
    names = await titles(ctx)
    for formation_id in names:
        await refresh_deadlines(ctx.session, formation_id)
    if not await deadlines_of(ctx.session, list(names)):
        ctx.say("echeances.none", admin=bool(ctx.actor and ctx.actor.is_admin))
        return Leave()
    return None


async def list_choices(ctx: Context) -> list[Option]:
    names = await titles(ctx)
    rows = await current_rows(ctx)
    groups = grouped(rows, ctx.now)
    ctx.data["counts"] = {group: len(items) for group, items in groups.items()}
    ctx.data["filter_title"] = names.get(ctx.data.get("filter") or 0)
    with_deadlines = {r.formation_id for r in await deadlines_of(ctx.session, list(names))}
    options: list[Option] = []
    if ctx.data.get("filter") is not None:
        options.append(Option("Toutes les formations", "_all"))
    elif len(with_deadlines) > 1:
        options.append(Option("Filtrer par formation", "_filter"))
    # "Terminé" comes first with the filter: long lists are paged, and it must stay at hand.
    options.append(Option("Terminé", "_quit"))
    several = ctx.data.get("filter") is None and len(with_deadlines) > 1
    trainee_ids = [r.subject_id for r in rows if r.subject == "trainee"]
    who: dict[int, str] = {}
    if trainee_ids:
        found = await ctx.session.execute(
            select(Trainee.id, Trainee.full_name).where(Trainee.id.in_(trainee_ids))
        )
        who = {int(i): str(n) for i, n in found.all()}
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
    row = await load_deadline(ctx, picked.removeprefix("d:"))
    if row is None:
        return Retry(ctx.render("echeances.not_found"))
    ctx.data["deadline_id"] = row.id
    return Next("deadline")


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


async def deadline_choices(ctx: Context) -> list[Option]:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        ctx.data["detail"] = None
        return [Option("Retour à la liste", "back")]
    names = await titles(ctx)
    ctx.data["detail"] = {
        "title": row.title,
        "formation": names.get(row.formation_id, ""),
        "due": due_text(row, ctx.tz) if row.status != "postponed" else dates.spell_date(row.due_on),
        "late": group_of(row, ctx.now) == "overdue",
        "postponed_to": dates.spell_date(row.postponed_to) if row.postponed_to else None,
        "status": row.status,
        "reason": row.postpone_reason,
        "explanation": row.explanation,
        "source": row.source,
        "postponable": row.postponable,
        "rule_id": row.rule_id,
    }
    options = [Option("✅ Fait", "done")]
    if row.postponable:
        options.append(Option("Reporter", "postpone"))
    options += [Option("Retour à la liste", "back"), Option("Terminé", "quit")]
    return options


async def on_deadline(ctx: Context, picked: str) -> Outcome:
    if picked == "back":
        return Next("list")
    if picked == "quit":
        ctx.say("echeances.bye")
        return Leave()
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        ctx.say("echeances.not_found")
        return Next("list")
    if picked == "done":
        mark_done(row, ctx.person_id, ctx.now)
        ctx.audit("done", "deadline", row.id, rule_id=row.rule_id, formation_id=row.formation_id)
        ctx.say("echeances.marked_done", title=row.title)
        return Next("list")
    if picked == "postpone":
        if not row.postponable:
            return Retry(ctx.render("echeances.not_postponable", source=row.source))
        return Next("postpone_to")
    return Retry(ctx.render("common.forged_choice"))


async def check_postpone(ctx: Context, when: datetime) -> str | None:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        return ctx.render("echeances.not_found")
    day = when.date()
    if day <= row.effective_due or day < ctx.now.date():
        return ctx.render(
            "echeances.postpone_too_early", due=max(row.effective_due, ctx.now.date())
        )
    if day > row.effective_due + timedelta(days=MAX_POSTPONE_DAYS):
        return ctx.render("echeances.postpone_too_far", days=MAX_POSTPONE_DAYS)
    return None


async def parse_reason(ctx: Context, text: str) -> str | Invalid:
    line = clean_line(text, limit=300)
    if isinstance(line, Invalid):
        return line
    if not any(ch.isalpha() for ch in line):
        return Invalid(ctx.render("echeances.reason_invalid"))
    return line


async def save_postponement(ctx: Context, reason: object) -> Outcome:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None or not row.postponable:
        ctx.say("echeances.not_found")
        return Next("list")
    to = stored_date(ctx, "postpone_to")
    postpone(row, to=to, reason=ctx.data["postpone_reason"], person_id=ctx.person_id, now=ctx.now)
    ctx.audit("postpone", "deadline", row.id, rule_id=row.rule_id, formation_id=row.formation_id)
    ctx.say("echeances.postponed", title=row.title, to=to)
    for key in ("postpone_to", "postpone_reason"):
        ctx.data.pop(key, None)
    return Next("list")


FLOW = Flow(
    "echeances",
    command="echeances",
    menu="Mes échéances",
    role=Role.FORMATEUR,
    summary="voir mes échéances, les marquer faites ou les reporter",
    start=echeances_start,
    steps=[
        Pick("list", ask="echeances.ask_list", options=list_choices, then=on_list),
        Pick("filter", ask="echeances.ask_filter", options=filter_choices, then=on_filter),
        Pick("deadline", ask="echeances.ask_deadline", options=deadline_choices, then=on_deadline),
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

FLOWS = [FLOW]
