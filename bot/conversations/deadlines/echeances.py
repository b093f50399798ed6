"""Seeing the deadlines (``/echeances``): open one, mark it done, postpone it, undo.

    You  /echeances
    Bot  Vos échéances : 🔴 en retard : 1 · 🟠 cette semaine : 2 · 🔵 plus tard : 4
         [Filtrer par formation] [Terminé] [🔴 24/11 14 h 00 Envoyer le bilan pédagogique] …
         [🔴 23/09 3 entrées à saisir dans EOS · Projet professionnel (démo)]
    You  (touche les entrées)
    Bot  3 entrées à saisir dans EOS – Projet professionnel (démo) : Inès Garnier, …
         [✅ Toutes faites] [🔴 23/09 Saisir l'entrée dans EOS – Inès Garnier] … [Retour à la liste]
    You  (touche une échéance)
    Bot  Envoyer le bilan pédagogique – Agent de restauration (démo)
         Échéance : mardi 24 novembre 2026 à 14 h 00 (en retard)
         Bilan pédagogique à envoyer à Mme Sophie Leroy avant … (fiche procédure…, §I).
         [✅ Fait] [Retour à la liste] [Terminé]
    You  Fait
    Bot  ✅ C'est noté : « Envoyer le bilan pédagogique » est faite.
         Vos échéances : … [↩ Annuler le dernier « Fait »] …
    You  (touche « Préparer le bilan avec le groupe », puis « Reporter ») → echeance.py

A formateur sees the deadlines of their formations; an admin those of the
whole organisation.  The list is read as stored (every service that changes
a deadline's facts recomputes it then), grouped as overdue, due within
seven days, later, and can be narrowed to one formation.  Each line names
what tells it apart (the trainee, the session, the bilan); the entry and exit
items of one formation come as one line (:mod:`bot.deadlines.lines`) that
opens on its members ("✅ Toutes faites", or one of them).  Each deadline
opens as a sub-dialogue (:mod:`bot.conversations.deadlines.echeance`: done,
postponed, undone) that comes back to the list; the last "Fait" can be
undone from the list.  The writes are :mod:`bot.deadlines.actions`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from bot import dates
from bot.answers import by_surname, fold
from bot.conversations.deadlines.after_echeances import read_after_echeances
from bot.conversations.deadlines.done_again import said_done_again, said_done_meanwhile
from bot.conversations.deadlines.done_which import done_which_choices, on_done_which, said_done
from bot.conversations.deadlines.echeance import (
    DEADLINE,
    load_deadline,
    say_already_done,
    seen_formations,
    seen_marks,
    titles,
)
from bot.conversations.deadlines.kept_words import TITLE_KEEP, ending_alike, title_keeps
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Call, Flow, Leave, Next, Outcome, Retry
from bot.conversations.kit.labels import Piece, fit
from bot.conversations.kit.many import FINISHED_WORDS
from bot.conversations.kit.pick import RETURN_PAGE, page_of
from bot.conversations.kit.steps import Option, Pick
from bot.deadlines.actions import complete, done_just_now, reopen, to_do, too_soon
from bot.deadlines.lines import Line, bundle, concerned, in_order, short_scope
from bot.deadlines.service import deadlines_of, group_of
from bot.deadlines.status import status_label
from bot.formations.labels import sharing_a_title
from bot.messages import label_limit
from bot.rules import milestone_of
from bot.storage.bilans import StoredDeadline
from bot.undelivered import LIST_WINDOW, undelivered

MARKERS = {"overdue": "🔴", "week": "🟠", "later": "🔵"}


async def echeances_start(ctx: Context) -> Outcome | None:
    if not await to_do(ctx.session, list(await titles(ctx)), ctx.now):
        ctx.say("echeances.none", admin=bool(ctx.actor and ctx.actor.is_admin))
        return Leave()
    # « /echeances Maçon »: that formation's deadlines, or the formations it fits (KB7).
    found = await read_after_echeances(ctx, await filter_choices(ctx))
    return Next("filter") if len(found) > 1 else None


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
    # The lines shown, counted as the digest counts them: « 3 entrées à saisir dans EOS » is
    # one.  The names are not needed to group them: no query for them here.
    lines = bundle(await current_rows(ctx), {}, ctx.now)
    counts = Counter(group_of(line.first, ctx.now) for line in lines)
    failures = (
        await undelivered(ctx.session, ctx.organisation_id, ctx.now - LIST_WINDOW)
        if ctx.actor is not None and ctx.actor.is_admin
        else []
    )
    return {
        "counts": dict(counts),
        "filter_title": names.get(ctx.data.get("filter") or 0),
        "undelivered": [f.local(ctx.tz) for f in failures],
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
    seen = await seen_formations(ctx)
    raw = {fid: (title, start) for fid, title, start in seen}
    # Two formations of one title: in a button, the title and its start day short, the day
    # never cut (explorer KB, KB2: « … · Agent de restauration (… » twice, the day cut away).
    twins = sharing_a_title(seen)
    marks = await seen_marks(ctx)  # and their mark when they start the same day (MA3)
    alike = ending_alike([raw[i][0] for i in with_deadlines if i in raw]) if several else set()
    today = ctx.now.astimezone(ctx.tz).date()
    lines = []
    current = await current_lines(ctx, rows)
    for line, keep in zip(current, title_keeps(current), strict=True):
        fid = line.first.formation_id
        title, start = raw.get(fid, ("", today)) if several else ("", today)
        day = f"({short_day(start, today)})" if fid in twins else ""
        mark = marks.get(fid, "") if day else ""
        shown = label(ctx, line, title, title in alike, day=day, mark=mark, title_keep=keep)
        whole = label(ctx, line, names.get(fid) if several else None, limit=WHOLE_LINE)
        lines.append((shown, f"g:{line.first.id}" if line.several else f"d:{line.first.id}", whole))
    # Where buttons cut a line (Telegram), every line is listed whole with the question, so
    # the numbers run on (explorer GE7: « 1. 2. 4. 5. » read as a deadline gone).
    cut = any(whole != shown for shown, _, whole in lines)
    options += [Option(shown, data, detail=whole if cut else "") for shown, data, whole in lines]
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
        return await said_done_again(ctx) or await undo_done(ctx)
    # Back on the page the line was opened from afterwards (explorer KB, KB5: page 1 of 8).
    if picked.startswith("g:"):
        ctx.data["members_of"] = picked.removeprefix("g:")
        ctx.data.pop(MEMBERS, None)  # the names of the line opened before
        ctx.data[LIST_PAGE] = page_of(ctx, picked)
        return Next("members")
    row = await load_deadline(ctx, picked.removeprefix("d:"))
    if row is None:
        return Retry(ctx.render("echeances.not_found"))
    ctx.data[RETURN_PAGE] = page_of(ctx, picked)
    return Call("echeance", {"deadline_id": row.id}, store="closed")


LIST_PAGE = "list_page"
"""The list's page a group of names was opened from, for the list shown again."""


def back_to_list(ctx: Context) -> Outcome:
    """The list again, on the page the group of names was opened from."""
    ctx.data[RETURN_PAGE] = ctx.data.pop(LIST_PAGE, 0)
    return Next("list")


async def undo_done(ctx: Context) -> Outcome:
    """The last « Fait » undone: one deadline, or every one « Toutes faites » closed."""
    kept = ctx.data.pop("undo_id", None)
    rows = [await load_deadline(ctx, one) for one in (kept if isinstance(kept, list) else [kept])]
    found = [row for row in rows if row is not None]
    if not found:
        return Retry(ctx.render("echeances.not_found"))
    for row in found:
        await reopen(ctx.session, ctx.person_id, row.id, ctx.now, undoing="done")
    ctx.say("echeances.reopened", title=found[0].title, count=len(found))
    return Next("list")


async def filter_choices(ctx: Context) -> list[Option]:
    names = await titles(ctx)
    rows = await deadlines_of(ctx.session, list(names))
    # The lines the list will show, « 12 entrées à saisir dans EOS » one (explorer AG8: the
    # stored rows, 26, for a formation showing 4 lines, a bare « (26) » after « groupe 18 »).
    counts = Counter(line.first.formation_id for line in bundle(rows, {}, ctx.now))
    return [
        Option(f"{names[i]} ({counts[i]} à faire)", str(i))
        for i in sorted(counts, key=lambda i: fold(names[i]))  # « Électricité » under E (BD8)
    ]


async def finished(ctx: Context) -> Outcome | None:
    """« Terminé » typed at « Quelle formation ? », which has no such button: the list's own
    « Terminé », the look ended (explorer BF8: « rien dans la liste ne correspond »)."""
    return await on_list(ctx, "_quit") if fold(ctx.incoming.text) in FINISHED_WORDS else None


async def on_filter(ctx: Context, picked: str) -> Outcome:
    try:
        wanted = int(picked)
    except ValueError:
        return Retry(ctx.render("common.forged_choice"))
    if wanted not in await titles(ctx):
        return Retry(ctx.render("echeances.not_found"))
    ctx.data["filter"] = wanted
    return Next("list")


# --- several entries or exits of one formation, taken together ------------------------


async def members_line(ctx: Context) -> Line | None:
    """The bundled line the person opened, as it stands now (``None``: nothing left): the
    one holding any of its names still to do, its first one done or not (explorer KC2)."""
    wanted = {str(one) for one in members(ctx)}
    for line in await current_lines(ctx, await current_rows(ctx)):
        if any(str(r.id) in wanted for r in line.rows):
            return line
    return None


def members(ctx: Context) -> list[object]:
    """The ids of the names the opened line held when last shown (its first one's before)."""
    kept = ctx.data.get(MEMBERS)
    return kept if isinstance(kept, list) else [ctx.data.get("members_of")]


async def back_to_members(ctx: Context) -> Outcome | None:
    """The members' ``before``: back to the list once none is left to do."""
    closed = ctx.data.pop("closed", None)
    if closed == "quit":
        ctx.say("echeances.bye")
        return Leave()
    if isinstance(closed, int):
        ctx.data["undo_id"] = closed
    if (line := await members_line(ctx)) is None:
        return back_to_list(ctx)
    ctx.data[MEMBERS] = [r.id for r in line.rows]
    return None


MEMBERS = "members_ids"
"""The ids of the names the opened line shows (:func:`members`)."""


MEMBERS_NAMED = 30
"""A bundle's names said above its buttons: the buttons list them all, a page at a time
(explorer H: 1,614 names were seven messages, cut in the middle of names)."""


async def members_values(ctx: Context) -> dict[str, Any]:
    line = await members_line(ctx)
    names = await titles(ctx)
    if line is None:
        return {"bundle": None}
    milestone = milestone_of(line.first.key)
    return {
        "bundle": {
            "title": line.title,
            "formation": names.get(line.first.formation_id, ""),
            "who": line.briefly(MEMBERS_NAMED),  # all of them are the buttons below
            # What they share, not the first one's sentence (explorer U, U14: the group's
            # text named one trainee of four, with that one's date).
            "what": milestone.what if milestone else line.first.title,
            "source": line.first.source,
        }
    }


async def members_choices(ctx: Context) -> list[Option]:
    line = await members_line(ctx)
    options: list[Option] = []
    if line is not None:
        who = await concerned(ctx.session, line.rows)
        # In the order the text above names them (explorer H H9: they differed).
        rows = in_order(line.rows, who)
        options += [
            Option(label(ctx, Line((r,), r.title, who.get(r.id, "")), None), f"d:{r.id}")
            for r in rows
        ]
    # After the names, not first at hand: it closes them all at once (explorer E).
    return [*options, Option("✅ Toutes faites", "_all_done"), Option("Retour à la liste", "_back")]


async def on_members(ctx: Context, picked: str) -> Outcome:
    line = await members_line(ctx)
    if picked == "_back" or line is None:
        if picked != "_back":  # a colleague did them meanwhile (explorer KC2)
            await said_done_meanwhile(ctx, members(ctx))
        return back_to_list(ctx)
    if picked == "_all_done":
        if (again := await said_done_again(ctx, line)) is not None:
            return again
        today = ctx.now.astimezone(ctx.tz).date()
        ahead = [m for m in line.rows if too_soon(m, today)]
        due = [m for m in line.rows if m not in ahead]
        who = await concerned(ctx.session, line.rows)
        later = [(who.get(m.id, ""), m.due_on) for m in ahead]
        if not due:
            return Retry(ctx.render("echeances.all_too_soon", item=line.first.title, later=later))
        done = [await complete(ctx.session, ctx.person_id, m.id, ctx.now) for m in due]
        rows = [row for row in done if row is not None]
        if rows and not any(done_just_now(row, ctx.person_id, ctx.now) for row in rows):
            await say_already_done(ctx, rows)  # a colleague's « Toutes faites » came first
            return back_to_list(ctx)
        if later:  # those whose day has come; the others said, with their day
            names = sorted((who.get(m.id, "") for m in due), key=by_surname)
            ctx.say("echeances.some_done", item=line.first.title, names=names, later=later)
        else:
            ctx.say("echeances.all_done", title=line.title, who=line.briefly())
        ctx.data["undo_id"] = [member.id for member in due]  # « ↩ Annuler » undoes them all
        return back_to_list(ctx)
    opened = await load_deadline(ctx, picked.removeprefix("d:"))
    if opened is None or opened.id not in {r.id for r in line.rows}:
        if await said_done_meanwhile(ctx, [picked.removeprefix("d:")]):
            return Next("members")
        return Retry(ctx.render("echeances.not_found"))
    ctx.data[RETURN_PAGE] = page_of(ctx, picked)  # back on that name's page (explorer I)
    return Call("echeance", {"deadline_id": opened.id}, store="closed")


FLOW = Flow(
    "echeances",
    browsing=True,
    # Its command, /aide line and who may use it: bot/features/deadlines.py.
    start=echeances_start,
    steps=[
        Pick(
            "list",
            ask="echeances.ask_list",
            options=list_choices,
            values=list_values,
            before=back_from_deadline,
            then=on_list,
            other=said_done,
        ),
    ],
    branches=[
        Pick(
            "done_which",
            ask="echeances.ask_done_which",
            options=done_which_choices,
            then=on_done_which,
        ),
        Pick(
            "filter",
            ask="echeances.ask_filter",
            options=filter_choices,
            then=on_filter,
            other=finished,
        ),
        Pick(
            "members",
            ask="echeances.ask_members",
            options=members_choices,
            values=members_values,
            before=back_to_members,
            then=on_members,
        ),
    ],
)


FLOWS = [FLOW, DEADLINE]


# --- helpers ----------------------------------------------------------------------


async def current_rows(ctx: Context) -> list[StoredDeadline]:
    """The deadlines listed now: of every visible formation, or of the one filtered."""
    names = await titles(ctx)
    wanted = ctx.data.get("filter")
    ids = [i for i in names if wanted is None or i == wanted]
    return await deadlines_of(ctx.session, ids)


async def current_lines(ctx: Context, rows: list[StoredDeadline]) -> list[Line]:
    """``rows`` as the list shows them: named, per-trainee items of a formation together."""
    return bundle(rows, await concerned(ctx.session, rows), ctx.now)


HALF_A_YEAR = 183
"""Closer to today than this, a day and a month name one day only."""


def short_day(day: date, today: date) -> str:
    """« 08/12 »; with its year when the day and month alone could be another year's
    (explorer AG9: « 01/07 » of July 2026 next to « 30/06 » of June 2027 in one list)."""
    return f"{day:%d/%m}" if abs((day - today).days) < HALF_A_YEAR else f"{day:%d/%m/%Y}"


WHOLE_NAME = 32
"""A trainee's name up to this length is never cut in a button (a longer one is, last)."""

NAME_FLOOR = 12
FORMATION_FLOOR = 8
"""What a long trainee's name and a formation keep before a deadline's title goes below its
floor (explorer MA2: « S… – Marie-Christine Dupont-Dela… · A… (03/11/2025) »)."""

WHOLE_LINE = 200
"""A line's length where nothing of it is cut (its title, trainee and formation whole)."""


def label(
    ctx: Context,
    line: Line,
    formation: str | None,
    end_alike: bool = False,
    *,
    day: str = "",
    mark: str = "",
    title_keep: int = TITLE_KEEP,
    limit: int | None = None,
) -> str:
    """ "🔴 01/12 Envoyer les modes d'emploi… – bilan de fin du 08/12 · Agent de restauration –
    Caen": what tells two lines apart (the trainee, the session, the bilan; the formation and
    its start ``day`` when another has its title) stays, the deadline's title, which many
    lines share, is shortened first, down to a few letters if need be; a trainee's name is
    never cut (explorer KB, KB2: « Youss…ure… », « Chloé…rand »)."""
    row = line.first
    marker = MARKERS[group_of(row, ctx.now)]
    # Due on a day off still to come: the working day before is the day to act (explorer B);
    # a postponement to a day off was asked for and kept as such (explorer E).
    today = ctx.now.astimezone(ctx.tz).date()
    before = None if row.status == "postponed" else dates.working_day_before(row.due_on, today)
    shown = before or row.effective_due
    due = short_day(shown, today)
    # Its hour is its own day's: beside the working day before, « 27/11 14 h 00 » read as due
    # the Friday at 14 h, still orange past it (explorer CD6); the day alone, as the detail.
    if row.due_at is not None and row.status != "postponed" and before is None:
        due += " " + dates.spell_time(row.due_at.astimezone(ctx.tz))
    # Its first word whole and what tells it from its trainee's others, however long the rest
    # (explorer MA2: an entry and an exit both « S… » beside a long name).
    floor = max(title_keep, len(line.title.split(" ")[0]) + 1)
    pieces = [Piece(f"{marker} {due}"), Piece(line.title, shrink=1, keep=title_keep, floor=floor)]
    if line.who and not line.several:
        # This flow runs in private chats only (a bundle's names are in its detail).
        if row.subject in ("trainee", "followup"):
            whole = min(len(line.who), WHOLE_NAME)
            pieces.append(Piece(line.who, " – ", shrink=3, keep=whole, floor=NAME_FLOOR))
        else:  # « bilan de fin du 26/11 », « Session 1 »: its end tells two apart
            pieces.append(Piece(short_scope(line.who), " – ", shrink=3, keep=14, middle=True))
    if row.status == "postponed" and not line.several:
        pieces.append(Piece(f"({status_label(row)})"))
    if formation:
        # Cut in what the names share: their end when they end alike (explorer R R6: « …
        # groupe…sion d'hiver Rouen » lost the group number), else their middle; a twin's
        # title, told apart by its ``day``, at its end (« Agent d… (03/11) »: explorer MA2).
        middle = not end_alike and not day
        pieces.append(
            Piece(formation, " · ", shrink=2, keep=20, middle=middle, floor=FORMATION_FLOOR)
        )
        if mark:  # « (03/11, avec Karim) »: a twin of that day too, cut last (explorer MA3)
            pieces.append(Piece(day.removesuffix(")")))
            pieces.append(Piece(f"{mark})", ", ", shrink=4, keep=16, middle=True, floor=6))
        elif day:
            pieces.append(Piece(day))
    return fit(pieces, limit or label_limit(ctx.incoming.platform))
