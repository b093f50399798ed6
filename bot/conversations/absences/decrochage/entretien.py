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

A moment already past (since the follow-up's first sign) is an entretien already
held: noted at that moment, its compte rendu asked next.  A day off, an hour of the night, a day after the formation's end or after the
organisation's deadline are said in the confirmation, before « Oui » (explorer
K: they came once saved, and a 3 h entretien went unsaid): an entretien on a
Saturday happens, so none is refused.

Called with ``{"followup_id": …, "kind": "individuel" | "regard_croise"}``;
an interview planned and not held yet is replaced (kept, cancelled), and the reply says
« reprogrammé » and when it was: one another administrator scheduled while this
dialogue was under way is replaced too, and said with its author (explorer IB3:
« programmé » and two live entretiens).  The person who had scheduled the one replaced,
when it is someone else, is told in her chat, once: which entretien, by whom, for when
(explorer IB3, left by IB: she went on expecting the first).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.absences.clashes import person_name
from bot.absences.followup_deadlines import deadlines_of, milestone_of
from bot.absences.followups import current_entretien
from bot.absences.records import milestone_of_kind, schedule_entretien
from bot.conversations.absences.decrochage.common import (
    first_sign,
    load_followup,
    open_followup_or_leave,
    step_start,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Outcome, stored_datetime
from bot.conversations.kit.steps import DateStep, Text, future_example, words
from bot.conversations.people.told import tell
from bot.dates import day_off, next_working_day, odd_hour, spell_example, weekend_words
from bot.formations.paths import path_end
from bot.storage.absences import Entretien
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Role


async def entretien_start(ctx: Context) -> Outcome | None:
    """The follow-up open, and the interview this dialogue will replace, if any: one
    scheduled meanwhile by someone else is said at the end (explorer IB3)."""
    outcome = await step_start(ctx)
    if outcome is not None:
        return outcome
    current = await current_entretien(ctx.session, int(ctx.data["followup_id"]), kind_of(ctx))
    replaces = current is not None and current.compte_rendu_at is None
    ctx.data["_replaces"] = current.id if current is not None and replaces else None
    return None


async def check_moment(ctx: Context, when: datetime) -> str | None:
    """A moment to come, or one past since the follow-up's first sign: an entretien already
    held is noted at its real moment, then its compte rendu is written (explorer O O19:
    « donnez ici une date à venir » was asked of a trainer who had held it)."""
    if when > ctx.now + timedelta(days=366):
        return ctx.render("decrochage.entretien_too_far")
    if when > ctx.now:
        return None
    found = await load_followup(ctx)
    if found is None:
        return None  # the flow leaves, saying why
    since = first_sign(ctx, found)
    if when.astimezone(ctx.tz).date() < since:
        return ctx.render("decrochage.entretien_past", when=when, since=since)
    return None


parse_counsellor = words(120, "decrochage.counsellor_letters", letters=1)


def kind_of(ctx: Context) -> str:
    return "regard_croise" if ctx.data.get("kind") == "regard_croise" else "individuel"


async def entretien_warnings(ctx: Context, when: datetime) -> list[str]:
    """What the date's confirmation adds (:class:`DateStep`'s ``warnings``)."""
    local = when.astimezone(ctx.tz)
    warnings = [ctx.render("decrochage.entretien_held_before")] if when <= ctx.now else []
    if off := day_off(local.date()):
        warnings.append(ctx.render("common.day_off_warning", off=off))
    if odd_hour(local):
        warnings.append(ctx.render("common.odd_hour_warning", at=local))
    found = await load_followup(ctx)
    if found is None:
        return warnings
    end = path_end(found.formation, found.trainee)
    expected = next(
        (
            row.effective_due
            for row in await deadlines_of(ctx.session, found.followup)
            if milestone_of(row) == milestone_of_kind(kind_of(ctx))
        ),
        None,
    )
    # Not when the procedure's own date is after the end (a follow-up opened once the
    # formation was over: explorer IC3, the bot questioning the day it asked for).
    if local.date() > end and (expected is None or expected <= end):
        warnings.append(ctx.render("decrochage.entretien_after_end", end=end))
    if expected is not None and local.date() > expected:
        warnings.append(ctx.render("decrochage.entretien_late", deadline=expected))
    return warnings


LAST_EXAMPLE_HOUR = 17
"""The latest hour an example on the formation's last day proposes."""


async def entretien_example(ctx: Context) -> str:
    """The next working day at 14 h, or, when that is after the end of the trainee's path
    and today is still in it, an hour to come today (explorer IC3: « lundi 21 décembre à
    14 h » offered on the last day, then warned « après la fin de la formation »)."""
    example = await future_example(ctx)
    found = await load_followup(ctx)
    if found is None:
        return example
    local = ctx.now.astimezone(ctx.tz)
    end = path_end(found.formation, found.trainee)
    following = next_working_day(local.date())  # future_example's day
    if following <= end or local.date() > end or local.hour >= LAST_EXAMPLE_HOUR:
        return example  # within the formation, or no time left in it
    return spell_example(local.date(), hour=local.hour + 1)


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
    replaced = scheduled.replaced
    meanwhile = replaced is not None and replaced.id != ctx.data.get("_replaces")
    by = replaced.created_by if replaced is not None and meanwhile else None
    day = when.astimezone(ctx.tz).date()
    due = scheduled.compte_rendu_by
    weekend, friday = weekend_words(due, day) if due else ("", "")
    ctx.say(
        "decrochage.entretien_saved",
        e=scheduled.entretien,
        past=when <= ctx.now,
        when=when.astimezone(ctx.tz),
        due=due,
        weekend=weekend,
        friday=friday,
        before=replaced.scheduled_at.astimezone(ctx.tz) if replaced is not None else None,
        meanwhile=meanwhile,
        by="" if by in (None, ctx.person_id) else await person_name(ctx.session, by),
    )
    if replaced is not None:
        await tell_replaced(ctx, replaced, scheduled.entretien, found.formation, found.trainee)


async def tell_replaced(
    ctx: Context, replaced: Entretien, entretien: Entretien, formation: Formation, trainee: Trainee
) -> None:
    """Whoever had scheduled the entretien replaced, when not the one replacing it, told in
    her chat (outbox, once per entretien replaced): the trainee, the day and hour it was,
    by whom and for when now (explorer IB3: Camille's entretien replaced by Bruno's, and
    Camille told nothing, still expecting hers)."""
    if replaced.created_by is None or replaced.created_by == ctx.person_id:
        return
    await tell(
        ctx,
        replaced.created_by,
        "decrochage.entretien_replaced_told",
        key=f"entretien-replaced:{replaced.id}",
        organisation_id=formation.organisation_id,
        e=entretien,
        name=trainee.full_name,
        title=formation.title,
        before=replaced.scheduled_at.astimezone(ctx.tz),
        when=entretien.scheduled_at.astimezone(ctx.tz),
        past=entretien.held_at is not None,
        by=await person_name(ctx.session, ctx.person_id),
    )


ENTRETIEN = Flow(
    "decrochage_entretien",
    role=Role.FORMATEUR,
    summary="programmer un entretien de suivi",
    start=entretien_start,
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
            check=check_moment,
            help="decrochage.help_entretien_date",
            example=entretien_example,
            warnings=entretien_warnings,
        ),
    ],
    finish=save_entretien,
)
