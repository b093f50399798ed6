"""« c fait » typed under the /echeances list, no deadline opened: which one is done?

    Bot  Échéances d'« Agent de restauration (démo) » : …
         [🔴 19/11 Préparer le bilan avec le groupe – bilan de fin du 26/11] …
    You  c fait
    Bot  Laquelle est faite ? Choisissez-la, je la note faite.
         [🔴 19/11 Préparer le bilan avec le groupe – bilan de fin du 26/11] …
         [Retour à la liste]
    You  (touche « Préparer le bilan avec le groupe »)
    Bot  ✅ C'est noté : l'échéance « Préparer le bilan avec le groupe » est faite.
         Échéances d'« Agent de restauration (démo) » : … [↩ Annuler le dernier « Fait »] …

Explorer KF15: « c fait » there was « Je n'ai pas reconnu ce choix », and no deadline can be
guessed for it.  The question offers the lines of the list a « ✅ Fait » closes, as the list
showed them (a follow-up's contact is noted in its follow-up, a line of several names opens
on them: neither is offered, nor one whose day has not come); with none, the list says how to go on.  The one chosen is
marked done as its own « ✅ Fait » does, and can be undone from the list.
"""

from __future__ import annotations

from bot.answers import fold
from bot.conversations.deadlines.echeance import DONE_WORDS, load_deadline, mark_done, ticked_here
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome, Retry
from bot.conversations.kit.steps import Option
from bot.deadlines.actions import too_soon

OFFERED = "done_offer"
"""The list's lines offered at « Laquelle est faite ? », as the list showed them."""

BACK = "_back"


async def said_done(ctx: Context) -> Outcome | None:
    """The list's ``other``: « c fait », « fait » typed, asked which line (``None``: not that)."""
    if fold(ctx.incoming.text) not in DONE_WORDS:
        return None
    offered, today = [], ctx.now.astimezone(ctx.tz).date()
    for shown, value in ctx.data.get("_options") or []:
        if not str(value).startswith("d:"):
            continue
        row = await load_deadline(ctx, str(value).removeprefix("d:"))
        if row and row.status != "done" and ticked_here(row) and not too_soon(row, today):
            offered.append([shown, value])
    if not offered:
        return Retry(ctx.render("echeances.done_which_none"))
    ctx.data[OFFERED] = offered
    return Next("done_which")


async def done_which_choices(ctx: Context) -> list[Option]:
    offered = [Option(str(shown), str(value)) for shown, value in ctx.data.get(OFFERED) or []]
    return [*offered, Option("Retour à la liste", BACK)]


async def on_done_which(ctx: Context, picked: str) -> Outcome:
    if picked == BACK:
        return Next("list")
    row = await load_deadline(ctx, picked.removeprefix("d:"))
    if row is None or picked not in {value for _, value in ctx.data.get(OFFERED) or []}:
        return Retry(ctx.render("echeances.not_found"))
    refusal = await mark_done(ctx, row)
    if refusal:
        return Retry(refusal)
    ctx.data.pop(OFFERED, None)
    ctx.data["undo_id"] = row.id  # « ↩ Annuler le dernier « Fait » », as after its own
    return Next("list")
