"""Scheduling (or rescheduling) the entretien individuel, or the regard croisé.

    Bot  Quelle conseillère (ou quel conseiller) recevra Zoé Lambert pour le regard croisé ?
    You  Sophie Leroy                            (regard croisé only)
    Bot  Quand aura lieu l'entretien individuel avec Karim Benali ? Le jour et l'heure…
    You  jeudi à 14h
    Bot  J'ai compris : jeudi 26 novembre 2026 à 14 h 00. C'est bien ça ?
    You  Oui
    Bot  Entretien individuel avec Karim Benali programmé le jeudi 26 novembre 2026 à
         14 h 00. Je vous le rappellerai la veille. Ensuite, rédigez son compte rendu
         avec /decrochage, au plus tard le dimanche 29 novembre 2026 (un dimanche : à faire
         plutôt le vendredi 27 novembre 2026).

A day off or a day after the formation's end is said after the fact (an entretien
on a Saturday happens), with the way to reprogram it.

Called with ``{"followup_id": …, "kind": "individuel" | "regard_croise"}``;
an interview planned and not held yet is replaced (kept, cancelled).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.absences.records import schedule_entretien
from bot.conversations.absences.decrochage.common import open_followup_or_leave, step_start
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, stored_datetime
from bot.conversations.kit.steps import DateStep, Text, future_example, words
from bot.dates import day_off, weekend_words
from bot.storage.people import Role


async def check_future(ctx: Context, when: datetime) -> str | None:
    if when <= ctx.now:
        return ctx.render("decrochage.entretien_past", when=when)
    if when > ctx.now + timedelta(days=366):
        return ctx.render("decrochage.entretien_too_far")
    return None


parse_counsellor = words(120, "decrochage.counsellor_letters", letters=1)


def kind_of(ctx: Context) -> str:
    return "regard_croise" if ctx.data.get("kind") == "regard_croise" else "individuel"


async def save_entretien(ctx: Context) -> None:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return
    when = stored_datetime(ctx, "when")
    scheduled = await schedule_entretien(
        ctx.session,
        found.followup,
        ctx.person_id,
        ctx.now,
        kind=kind_of(ctx),
        when=when,
        counsellor=ctx.data.get("counsellor"),
    )
    expected = scheduled.expected_by
    day = when.astimezone(ctx.tz).date()
    end = found.formation.extended_end or found.formation.end_date
    due = scheduled.compte_rendu_by
    weekend, friday = weekend_words(due, day) if due else ("", "")
    ctx.say(
        "decrochage.entretien_saved",
        e=scheduled.entretien,
        when=when.astimezone(ctx.tz),
        late=expected is not None and day > expected,
        deadline=expected,
        due=due,
        weekend=weekend,
        friday=friday,
        off=day_off(day),
        after_end=end if day > end else None,
    )


ENTRETIEN = Flow(
    "decrochage_entretien",
    role=Role.FORMATEUR,
    summary="programmer un entretien de suivi",
    start=step_start,
    steps=[
        Text(
            "counsellor",
            ask="decrochage.ask_counsellor",
            parse=parse_counsellor,
            when=lambda c: c.data.get("kind") == "regard_croise",
        ),
        DateStep(
            "when",
            ask="decrochage.ask_entretien_date",
            prefer="future",
            need_time=True,
            check=check_future,
            help="decrochage.help_entretien_date",
            example=future_example,
        ),
    ],
    finish=save_entretien,
)
