"""The scheduled bilans (``/bilans``): open one, then move it, cancel it, resend its documents.

    You  /bilans
    Bot  Quel bilan ?  [26/11/2026 à 14 h 00 – bilan de fin de formation – Agent de …] …
    You  26/11/2026
    Bot  Bilan de fin de formation – Agent de restauration (démo)
         Le jeudi 26 novembre 2026 à 14 h 00 – 16 h 00, à distance : https://…
         Participants : Hugo Moreau, Léa Martin, M. Karim Haddad (Mission locale de Caen)
         Échéances : · Préparer le bilan avec le groupe : jeudi 19 novembre 2026 ✅ fait …
         Que voulez-vous faire ?
         [Déplacer] [Donner le lien de la visio] [Ajouter un participant]
         [Retirer un participant] [Annuler le bilan]
         [Renvoyer l'invitation et les documents] [Terminé]
    You  Déplacer                → move.py, then this menu again, with the new date
    You  Donner le lien…         → visio_link.py (only while the link is to come)
    You  Ajouter / Retirer…      → add_participant.py, remove_participant.py (before it)
    You  Signaler un participant absent → no_show.py (once the bilan has started)
    You  Annuler le bilan        → move.py; once cancelled, the dialogue ends
    You  Renvoyer l'invitation…  → the three documents again
    You  Terminé
    Bot  Très bien. À tout moment : /bilans.

``/bilan`` hands over here with the bilan already chosen ("Voir le bilan…").
"""

from __future__ import annotations

from typing import Any

from bot import dates
from bot.bilans.cm_answers import answer_line
from bot.bilans.participants import expected_participants, no_shows
from bot.bilans.queries import deadlines_of_bilan, visible_bilan, visible_bilans
from bot.bilans.sent import sent_lines
from bot.bilans.view import kind_label, view_with
from bot.conversations.bilans.add_participant import ADD
from bot.conversations.bilans.after_bilans import read_bilans_after
from bot.conversations.bilans.bilan_line import fitted_bilans
from bot.conversations.bilans.gone import say_bilan_gone
from bot.conversations.bilans.move import CANCEL, MOVE
from bot.conversations.bilans.no_show import NO_SHOW, UNDO_NO_SHOW
from bot.conversations.bilans.remove_participant import REMOVE
from bot.conversations.bilans.shared import (
    deadline_lines,
    send_documents,
    short_moment,
    the_bilan,
    unless_gone,
    viewer_of,
)
from bot.conversations.bilans.visio_link import LINK
from bot.conversations.kit.context import Context
from bot.conversations.kit.date_step import SAID_SENTENCE
from bot.conversations.kit.flow import Call, Flow, Leave, Next, Outcome, Retry, leave_saying
from bot.conversations.kit.steps import Entry, Menu, Option, Pick
from bot.messages import label_limit


async def start(ctx: Context) -> Outcome | None:
    said = ctx.data.pop(SAID_SENTENCE, None)
    if "bilan_id" in ctx.data:
        return await unless_gone(ctx) or Next("action")
    bilans = await visible_bilans(ctx.session, viewer_of(ctx), ctx.now)
    if not bilans:
        ctx.say("bilan.no_bilan")
        return Leave()
    if isinstance(said, str) and len(bilans) == 1:
        # « on décale le bilan à vendredi », one bilan: that one, moved to the day said, then
        # its menu (explorer KF6: « Quel bilan ? » over a list of one, its menu, « Déplacer »
        # and the day asked again).
        ctx.data["bilan_id"] = bilans[0][0].id
        moved = {**_this_bilan(ctx), SAID_SENTENCE: said}
        return await unless_gone(ctx) or Call(MOVE.name, moved, store="cancelled", then="action")
    await read_bilans_after(ctx, "bilans", bilans)  # « /bilans restauration » (BF5)
    if "bilan_id" in ctx.data:
        return await unless_gone(ctx) or Next("action")
    return None


async def bilan_choices(ctx: Context) -> list[Option]:
    """Each bilan by its moment, kind and formation, fitted to the platform's buttons
    (:mod:`bot.conversations.bilans.bilan_line`)."""
    bilans = await visible_bilans(ctx.session, viewer_of(ctx), ctx.now)
    lines = [(short_moment(b.starts_at, ctx), b.kind, f.title, str(b.id)) for b, f in bilans]
    return fitted_bilans(lines, label_limit(ctx.incoming.platform))


async def open_bilan(ctx: Context, picked: str) -> Outcome:
    if await visible_bilan(ctx.session, viewer_of(ctx), picked) is None:
        return Retry(ctx.render("bilan.bilan_not_found"))
    ctx.data["bilan_id"] = int(picked)
    return Next()


async def still_there(ctx: Context) -> Outcome | None:
    """Shown again after a call: nothing to show once the bilan is cancelled.  Otherwise
    notes what the entries depend on (started, remote, its link, its participants)."""
    if ctx.data.pop("cancelled", None):
        return Leave()
    found = await the_bilan(ctx)
    if found is None:
        return await unless_gone(ctx)
    bilan, _ = found
    ctx.data.update(
        started=bilan.starts_at <= ctx.now,
        remote=bilan.remote,
        has_link=bool(bilan.visio_url),
        has_participants=bool(bilan.participants),
        has_no_shows=bool(no_shows(bilan)),
    )
    return None


def _before_start(ctx: Context) -> bool:
    return not ctx.data.get("started")


async def detail(ctx: Context) -> dict[str, Any]:
    """The bilan as the menu shows it, read afresh each time (it may have moved)."""
    found = await the_bilan(ctx)
    if found is None:
        return {"detail": {}}
    bilan, formation = found
    view = await view_with(ctx.session, bilan, formation)
    rows = await deadlines_of_bilan(ctx.session, bilan)
    return {
        "detail": {
            "title": formation.title,
            "kind": kind_label(bilan.kind),
            "when": dates.spell_span(view.start, view.end),
            "remote": bilan.remote,
            "url": bilan.visio_url,
            "location": bilan.location,
            "participants": [
                p.name + (f" ({p.structure})" if p.structure else "")
                for p in expected_participants(bilan)
            ],
            "no_shows": [p.name for p in no_shows(bilan)],
            "cm": answer_line(bilan, formation, ctx.tz),
            "deadlines": deadline_lines(ctx, rows),
            # What needs the trainer first (not sent, not joined), then the rest, oldest first.
            "sent": sorted(
                await sent_lines(ctx.session, bilan, formation, ctx.tz),
                key=lambda line: line.status == "sent",
            ),
            "shown": SHOWN,
            "sent_shown": SENT_SHOWN,
        }
    }


SHOWN = 30
"""Participants the menu lists at most, the others counted (« … et 173 autres »): a bilan
of 203 made a menu of 9,000 characters, which Telegram, at 4,096 a message, got in three
parts, and a menu edited in place cut to its first (explorer DD1). The agenda sent with the
documents lists them all."""
SENT_SHOWN = 10
"""Messages sent about the bilan the menu lists at most (those not sent first), the others
counted: a line each, they filled the menu as the participants did (DD1)."""


async def resend(ctx: Context) -> Outcome:
    found = await the_bilan(ctx)
    if found is None:
        await say_bilan_gone(ctx)
        return Leave()
    bilan, formation = found
    view = await view_with(ctx.session, bilan, formation)
    await send_documents(ctx, view, resend=True)  # sent to the trainer only (explorer UE3)
    # The bilan's menu again, as after every other action (explorer AC8: nothing came, and
    # « Déplacer » typed next was « Je ne suis pas sûr de ce que vous voulez faire »).
    return Next("action")


def _this_bilan(ctx: Context) -> dict[str, Any]:
    return {"bilan_id": ctx.data["bilan_id"]}


LIST = Flow(
    "bilans",
    browsing=True,
    # Its command, /aide line and who may use it: bot/features/bilans.py.
    start=start,
    steps=[
        Pick("bilan", ask="bilan.ask_bilan", options=bilan_choices, then=open_bilan),
        Menu(
            "action",
            ask="bilan.ask_action",
            before=still_there,
            values=detail,
            entries=[
                # Cancelled meanwhile (her date's button, explorer AJ6): no menu after.
                Entry("Déplacer", "move", call=MOVE.name, data=_this_bilan, store="cancelled"),
                Entry(
                    "Donner le lien de la visio",
                    "link",
                    call=LINK.name,
                    data=_this_bilan,
                    when=lambda c: bool(c.data.get("remote")) and not c.data.get("has_link"),
                ),
                Entry(
                    "Ajouter un participant",
                    "add",
                    call=ADD.name,
                    data=_this_bilan,
                    when=_before_start,
                ),
                Entry(
                    "Retirer un participant",
                    "remove",
                    call=REMOVE.name,
                    data=_this_bilan,
                    when=lambda c: _before_start(c) and bool(c.data.get("has_participants")),
                ),
                Entry(
                    "Signaler un participant absent",
                    "no_show",
                    call=NO_SHOW.name,
                    data=_this_bilan,
                    when=lambda c: bool(c.data.get("started")),
                ),
                Entry(
                    "Annuler un signalement d'absence",
                    "no_show_undo",
                    call=UNDO_NO_SHOW.name,
                    data=_this_bilan,
                    when=lambda c: bool(c.data.get("has_no_shows")),
                ),
                Entry(
                    "Annuler le bilan",
                    "cancel",
                    call=CANCEL.name,
                    data=_this_bilan,
                    store="cancelled",
                ),
                Entry("Renvoyer l'invitation et les documents", "documents", then=resend),
                Entry("Terminé", "done", then=leave_saying("bilan.edit_done")),
            ],
        ),
    ],
)

FLOWS = [LIST, MOVE, CANCEL, ADD, REMOVE, NO_SHOW, UNDO_NO_SHOW, LINK]
