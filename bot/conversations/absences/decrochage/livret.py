"""VAE: filing the livret de suivi; any follow-up: joining a document to it.

    Bot  Envoyez le livret de suivi VAE de Paul Henry (PDF ou photo) : je le garde avec
         son empreinte, il figurera dans le dossier Qualiopi.
    You  (livret-suivi.pdf)
    Bot  Livret de suivi enregistré (livret-suivi.pdf).

Called with ``{"followup_id": …}``; the procedure's livret is then done.

    Bot  Envoyez le document à joindre au suivi de Karim Benali (PDF ou photo : un compte
         rendu signé, des notes…) : …
    You  (compte-rendu-signe.pdf)
    Bot  Document joint au suivi (compte-rendu-signe.pdf). …

Explorer GF8: a compte rendu signed on paper had nowhere to go in a long formation.
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


async def save_piece(ctx: Context) -> None:
    found = await open_followup_or_leave(ctx)
    piece = upload(ctx, "piece")
    if found is None or piece is None:
        return
    document = await file_livret(
        ctx.session, found.followup, ctx.person_id, ctx.now, piece, kind="piece_suivi"
    )
    ctx.say("decrochage.piece_saved", filename=document.filename)


PIECE = Flow(
    "decrochage_piece",
    role=Role.FORMATEUR,
    summary="joindre un document au suivi",
    start=step_start,
    steps=[FileStep("piece", ask="decrochage.ask_piece")],
    finish=save_piece,
)
