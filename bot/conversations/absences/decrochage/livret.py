"""VAE: filing the livret de suivi.

    Bot  Envoyez le livret de suivi VAE de Paul Henry (PDF ou photo) : je le garde avec
         son empreinte, il figurera dans le dossier Qualiopi.
    You  (livret-suivi.pdf)
    Bot  Livret de suivi enregistré (livret-suivi.pdf).

Called with ``{"followup_id": …}``; the procedure's livret is then done.
"""

from __future__ import annotations

from bot.absences.records import file_livret
from bot.conversations.absences.decrochage.common import (
    open_followup_or_leave,
    step_start,
    upload,
)
from bot.conversations.absences.steps import FileStep
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow
from bot.storage.people import Role


async def save_livret(ctx: Context) -> None:
    found = await open_followup_or_leave(ctx)
    livret = upload(ctx, "livret")
    if found is None or livret is None:
        return
    document = await file_livret(ctx.session, found.followup, ctx.person_id, ctx.now, livret)
    ctx.say("decrochage.livret_saved", filename=document.filename)


LIVRET = Flow(
    "decrochage_livret",
    role=Role.FORMATEUR,
    summary="déposer le livret de suivi (VAE)",
    start=step_start,
    steps=[FileStep("livret", ask="decrochage.ask_livret")],
    finish=save_livret,
)
