"""Closing a follow-up: the ticket qualité, or (procedure not applying) closing as is.

    Bot  Ticket qualité du suivi de Karim Benali. Voici ce que je vais y mettre :
         · Suivi ouvert le lundi 23 novembre 2026 (procédure ELY-LONG).
         · Entretien individuel tenu le vendredi 27 novembre 2026 à 9 h 30. …
         Voulez-vous ajouter un mot sur ce qui a été fait ou décidé ?
    You  Point fait avec l'équipe pédagogique
    Bot  Ticket qualité (ELY-LONG) pour Karim Benali : … L'enregistrer ? Le suivi sera clos.
    You  Enregistrer le ticket
    Bot  Ticket qualité TQ-2026-0001 enregistré le …, suivi de Karim Benali clos.

    Bot  Clore le suivi de Thomas Fabre ? (la procédure ne s'appliquant pas, …)
    You  Oui, clore
    Bot  Suivi clos.

Called with ``{"followup_id": …}``.  What the procedure still expected is
said before the ticket is filed; closing keeps the follow-up's deadlines,
done, as its history.
"""

from __future__ import annotations

from bot.absences.followups import summary_of, ticket_actions
from bot.absences.records import close_followup, file_ticket
from bot.absences.vocabulary import GAPS
from bot.conversations.absences.decrochage.common import (
    abandon_step,
    open_followup_or_leave,
    step_start,
)
from bot.conversations.absences.steps import parse_note
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Outcome
from bot.conversations.kit.steps import Confirm, Text
from bot.storage.people import Role


def _zone(ctx: Context) -> str:
    return ctx.actor.timezone if ctx.actor else "Europe/Paris"


async def ticket_start(ctx: Context) -> Outcome | None:
    outcome = await step_start(ctx)
    if outcome is not None:
        return outcome
    found = await open_followup_or_leave(ctx)
    if found is None:
        return Leave()
    s = await summary_of(ctx.session, found.followup)
    ctx.data["_actions"] = ticket_actions(s, _zone(ctx), found.trainee.left_on)
    ctx.data["_missing"] = [GAPS[gap] for gap in s.missing()]
    return None


async def save_ticket(ctx: Context) -> Outcome:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return Leave()
    ticket = await file_ticket(
        ctx.session,
        found.followup,
        ctx.person_id,
        ctx.now,
        formation=found.formation,
        trainee=found.trainee,
        note=ctx.data.get("note"),
        zone=_zone(ctx),
    )
    ctx.say("decrochage.ticket_saved", t=ticket, name=found.trainee.full_name)
    return Leave()


async def close(ctx: Context) -> Outcome:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return Leave()
    await close_followup(ctx.session, found.followup, ctx.person_id, ctx.now)
    ctx.say("decrochage.closed")
    return Leave()


TICKET = Flow(
    "decrochage_ticket",
    role=Role.FORMATEUR,
    summary="saisir le ticket qualité",
    start=ticket_start,
    steps=[
        Text(
            "note",
            ask="decrochage.ask_ticket_note",
            parse=parse_note(1000),
            skip_label="Rien à ajouter",
            help="decrochage.help_ticket",
        ),
        Confirm(
            "recap",
            ask="decrochage.recap_ticket",
            yes=save_ticket,
            no=abandon_step,
            yes_label="Enregistrer le ticket",
            no_label="Abandonner",
        ),
    ],
)

CLOSE = Flow(
    "decrochage_close",
    role=Role.FORMATEUR,
    summary="clore un suivi de décrochage",
    start=step_start,
    steps=[
        Confirm(
            "confirm",
            ask="decrochage.confirm_close",
            yes=close,
            no=abandon_step,
            yes_label="Oui, clore",
            exact=True,
            no_label="Non",
        )
    ],
)
