"""Bilan de compétences interrupted by a sick leave: noting the solution agreed.

    Bot  Quelle solution avez-vous définie avec Zoé Lambert ?
         [Report des dates du bilan] [Maintien du bilan] [Avenant à la convention] [Autre]
    You  Avenant à la convention
    Bot  Le bilan a-t-il lieu sur le temps de travail, l'employeur étant associé ?
    You  Oui
    Bot  Un mot à ajouter ? (nouvelles dates, modalités ; ou « Rien à ajouter »)
    You  Reprise le 15 janvier, nouvelles dates à caler
    Bot  Solution notée : avenant à la convention (avec l'employeur).
         Pensez à l'avenant à la convention.

Called with ``{"followup_id": …}``; the procedure's solution is then done.
"""

from __future__ import annotations

from bot.absences.records import note_solution
from bot.absences.vocabulary import labels
from bot.conversations.absences.decrochage.common import (
    SOLUTION_OPTIONS,
    open_followup_or_leave,
    step_start,
)
from bot.conversations.absences.steps import parse_note
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow
from bot.conversations.kit.steps import Confirm, Pick, Text
from bot.storage.people import Role


async def save_solution(ctx: Context) -> None:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return
    await note_solution(
        ctx.session,
        found.followup,
        ctx.person_id,
        ctx.now,
        solution=ctx.data["solution"],
        with_employer=bool(ctx.data.get("employer")),
        note=ctx.data.get("solution_note"),
    )
    ctx.say("decrochage.solution_saved", f=found.followup, labels=labels())


SOLUTION = Flow(
    "decrochage_solution",
    role=Role.FORMATEUR,
    summary="noter la solution convenue (bilan de compétences)",
    start=step_start,
    steps=[
        Pick("solution", ask="decrochage.ask_solution", options=SOLUTION_OPTIONS),
        Confirm("employer", ask="decrochage.ask_employer", help="decrochage.help_employer"),
        Text(
            "solution_note",
            ask="decrochage.ask_solution_note",
            parse=parse_note(500),
            skip_label="Rien à ajouter",
        ),
    ],
    finish=save_solution,
)
