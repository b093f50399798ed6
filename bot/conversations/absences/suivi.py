"""Seeing one trainee's follow-up (``/suivi``) and exporting the evidence (``/exporter``).

    Vous /suivi
    Bot  Le suivi de qui ?
    Vous karim
    Bot  Suivi de Karim Benali – Agent de restauration (démo)
         lundi 23 novembre 2026 – Absence (matin), non justifiée (Camille Durand)
         …                          [Plus anciens ▶] [Chronologie en PDF] [Terminé]

    Vous /exporter
    Bot  Dans quelle formation ?      [Agent de restauration (démo)] [Projet professionnel (démo)]
    Vous Agent de restauration
    Bot  Quel export de « Agent de restauration (démo) » ?
         [Absences (Excel)] [Absences (CSV)] [Dossier Qualiopi (ZIP)]
    Vous Absences (Excel)
    Bot  Voici le tableau des absences. Il contient des données personnelles : …
         [document] absences-Agent-de-restauration-(démo).xlsx

An administrator is offered « Toutes les formations » first: the absences of every formation
of the organisation in one table (explorer KB8); a trainer keeps to her own formations.

Neither works in a group chat (the engine refuses flows not marked
``in_groups``): a timeline is personal data.
"""

from __future__ import annotations

import math
from typing import Any

from bot.absences.evidence import formation_export, organisation_absences, timeline_document
from bot.absences.timeline import timeline
from bot.answers import Invalid, fold
from bot.conversations.absences.steps import (
    current_formation,
    current_trainee,
    preset_trainee,
    single_formation,
    who_steps,
)
from bot.conversations.formations.after_command import read_after_command, typed_after
from bot.conversations.formations.choose import (
    formation_options,
    load_formation,
    named_apart,
    visible_formations,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry, Stay, Step
from bot.conversations.kit.pick import unreadable
from bot.conversations.kit.steps import Option, Pick
from bot.documents.bundle import person_slug, slug
from bot.documents.sheets import MIME, SUFFIX, Format
from bot.messages import Document, Reply

PAGE = 10


async def suivi_start(ctx: Context) -> Outcome | None:
    if not await single_formation(ctx):
        ctx.say("suivi.no_formation")
        return Leave()
    await preset_trainee(ctx, "suivi")
    if "trainee_id" in ctx.data and await current_trainee(ctx) is None:
        ctx.say("formation.trainee_not_found")
        return Leave()
    return None


async def after_trainee(ctx: Context, picked: str) -> Outcome:
    if await current_trainee(ctx) is None:
        return Retry(ctx.render("formation.trainee_not_found"))
    return Next()


class TimelineStep(Step):
    """The timeline, newest first, a page at a time; a PDF of it on request."""

    async def _events(self, ctx: Context) -> tuple[list[Any], str, str]:
        formation = await current_formation(ctx)
        trainee = await current_trainee(ctx)
        if formation is None or trainee is None:
            return [], "", ""
        events = await timeline(ctx.session, trainee, ctx.tz.key)
        return list(reversed(events)), trainee.full_name, formation.title

    async def question(self, ctx: Context) -> Reply:
        events, name, title = await self._events(ctx)
        pages = max(1, math.ceil(len(events) / PAGE))
        page = max(0, min(int(ctx.data.get("_tl_page", 0)), pages - 1))
        shown = events[page * PAGE : (page + 1) * PAGE]
        choices = []
        if page > 0:
            choices.append(ctx.choice("◀ Plus récents", "newer"))
        if page < pages - 1:
            choices.append(ctx.choice(f"Plus anciens ▶ ({page + 2}/{pages})", "older"))
        if events:
            choices.append(ctx.choice("Chronologie en PDF", "pdf"))
        choices.append(ctx.choice("Terminé", "done"))
        text = ctx.render(
            "suivi.timeline", events=shown, name=name, title=title, page=page, pages=pages
        )
        return Reply(text=text, choices=tuple(choices))

    async def take(self, ctx: Context) -> Outcome:
        labels = {
            "newer": "plus recents",
            "older": "plus anciens",
            "pdf": "chronologie en pdf",
            "done": "termine",
        }
        typed = ctx.incoming.choice is None and ctx.incoming.attachment is None
        if typed and (refused := unreadable(ctx, empty="common.pick_empty")) is not None:
            return refused  # as at every other question (explorer UC4)
        picked = ctx.chosen(list(labels), labels=labels, synonyms={"pdf": "pdf", "fin": "done"})
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        if picked is None:
            return Retry(ctx.render("common.pick_again"))
        page = int(ctx.data.get("_tl_page", 0))
        if picked in ("newer", "older"):
            ctx.data["_tl_page"] = max(0, page + (1 if picked == "older" else -1))
            return Stay(edit=ctx.incoming.choice is not None)
        if picked == "pdf":
            formation = await current_formation(ctx)
            trainee = await current_trainee(ctx)
            if formation is None or trainee is None:
                ctx.say("formation.trainee_not_found")
                return Leave()
            content = await timeline_document(
                ctx.session, formation, trainee, ctx.person_id, ctx.now
            )
            ctx.send(
                Reply(
                    text=ctx.render("suivi.timeline_pdf", name=trainee.full_name),
                    document=Document(
                        filename=f"chronologie-{person_slug(trainee.full_name)}.pdf",
                        mime_type="application/pdf",
                        content=content,
                        caption=ctx.render("suivi.timeline_pdf", name=trainee.full_name),
                    ),
                )
            )
            return Leave()
        ctx.say("suivi.done")
        return Leave()


SUIVI = Flow(
    "suivi",
    browsing=True,
    # Its command, /aide line and who may use it: bot/features/absences.py.
    start=suivi_start,
    steps=[
        *who_steps("suivi", after_trainee),
        TimelineStep("timeline"),
    ],
)


# --- /exporter ------------------------------------------------------------------------


EXPORTS = [
    Option("Absences (Excel)", "absences", words=("absences", "excel", "xlsx", "tableur")),
    Option("Absences (CSV)", "absences-csv", words=("csv",)),
    Option("Dossier Qualiopi (ZIP)", "qualiopi", words=("qualiopi", "zip", "dossier")),
]
"""The absences come as a workbook unless CSV is asked for: a trainer opens them in a
spreadsheet, and XLSX keeps dates as dates there.  The CSV is the one French Excel opens
(``;``, UTF-8 BOM): scripts use ``formabot export absences``."""
TABLE_FORMATS: dict[str, Format] = {"absences": "xlsx", "absences-csv": "csv-excel"}


WHOLE = "_organisation"
"""« Toutes les formations », an administrator's first choice (explorer KB8); pinned first
(its value starts with « _ »), unnumbered: « 1 » stays the first formation."""
WHOLE_TYPED = frozenset({"toutes", "toutes les formations", "tout"})


def is_admin(ctx: Context) -> bool:
    return ctx.actor is not None and ctx.actor.is_admin


async def export_formation_options(ctx: Context) -> list[Option]:
    options = await formation_options(ctx)
    if is_admin(ctx) and len(options) > 1:
        return [Option("Toutes les formations", WHOLE), *options]
    return options


async def export_start(ctx: Context) -> Outcome | None:
    formations = await single_formation(ctx)
    if not formations:
        ctx.say("suivi.no_formation")
        return Leave()
    if len(formations) == 1 and typed_after(ctx, "exporter"):
        # The only one is read like any (DC7: « /exporter zorro » opened it, the words unsaid).
        ctx.data.pop("formation_id", None)
    if "formation_id" not in ctx.data:  # « /exporter Maçon – Caen » (explorer KB7)
        typed = fold(typed_after(ctx, "exporter"))
        if typed in WHOLE_TYPED and is_admin(ctx):  # « /exporter toutes » (explorer KB8)
            ctx.data["whole"] = True
        else:
            await read_after_command(ctx, "exporter", await formation_options(ctx))
    return None


async def choose_export_formation(ctx: Context, picked: str) -> Outcome:
    # Chosen again after « Retour »: « Toutes les formations » then one formation is that
    # one alone (explorer SA2: every formation's trainees went into its file).
    ctx.data.pop("whole", None)
    if picked == WHOLE and is_admin(ctx):
        ctx.data["whole"] = True
        return Next()
    formation = await load_formation(ctx, picked)
    if formation is None:
        return Retry(ctx.render("formation.not_found"))
    ctx.data["formation_id"] = formation.id
    return Next()


async def export_values(ctx: Context) -> dict[str, Any]:
    """« Quel export d'« Agent de restauration (mardi 3 novembre 2026) » ? »: which twin was
    chosen, by its start day (explorer MB5: « /exporter agent 2026 » named the title alone)."""
    formation = await current_formation(ctx)
    return {
        "title": await named_apart(ctx, formation) if formation else "",
        "whole": ctx.data.get("whole"),
    }


async def export_choices(ctx: Context) -> list[Option]:
    """No Qualiopi bundle of a whole organisation: it is one formation's (its manifest)."""
    return EXPORTS[:2] if ctx.data.get("whole") else EXPORTS


async def produce_export(ctx: Context, picked: str) -> Outcome:
    if ctx.data.get("whole"):
        return await export_whole(ctx, picked)
    formation = await current_formation(ctx)
    if formation is None:
        ctx.say("formation.not_found")
        return Leave()
    if picked == "qualiopi":  # a minute for a big formation: built after the turn
        await ctx.later(
            "absences.qualiopi",
            {"formation_id": formation.id, "person_id": ctx.person_id},
            interim="suivi.export_started",
        )
        return Leave()
    stem = slug(formation.title, empty="formation")
    fmt = TABLE_FORMATS.get(picked, "xlsx")
    content = await formation_export(
        ctx.session, formation, "absences", ctx.person_id, ctx.now, fmt
    )
    send_absences(ctx, content, stem, fmt, what="le tableau des absences")
    return Leave()


async def export_whole(ctx: Context, picked: str) -> Outcome:
    """The absences of the formations an administrator sees, in one table (explorer KB8)."""
    if not is_admin(ctx):  # no longer an administrator since the choice
        ctx.say("formation.not_found")
        return Leave()
    fmt = TABLE_FORMATS.get(picked, "xlsx")
    listed = [f.id for f in await visible_formations(ctx)]
    content = await organisation_absences(
        ctx.session, ctx.organisation_id, listed, ctx.person_id, fmt
    )
    what = "le tableau des absences de toutes les formations"
    send_absences(ctx, content, "toutes-les-formations", fmt, what=what, whole=True)
    return Leave()


def send_absences(
    ctx: Context, content: bytes | None, stem: str, fmt: Format, *, what: str, whole: bool = False
) -> None:
    if content is None:
        ctx.say("suivi.export_empty", whole=whole)
        return
    document = Document(
        filename=f"absences-{stem}.{SUFFIX[fmt]}",
        mime_type=MIME[fmt],
        content=content,
        caption="Absences",
    )
    ctx.send(Reply(text=ctx.render("suivi.export_ready", what=what), document=document))


EXPORTER = Flow(
    "exporter",
    # Its command, /aide line and who may use it: bot/features/absences.py.
    start=export_start,
    steps=[
        Pick(
            "formation",
            ask="suivi.ask_formation",
            options=export_formation_options,
            then=choose_export_formation,
            when=lambda c: "formation_id" not in c.data and not c.data.get("whole"),
        ),
        Pick(
            "what",
            ask="suivi.ask_export",
            options=export_choices,
            values=export_values,
            then=produce_export,
        ),
    ],
)

FLOWS = [SUIVI, EXPORTER]
