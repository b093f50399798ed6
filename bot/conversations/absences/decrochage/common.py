"""What every ``/decrochage`` dialogue shares: the follow-up it works on, the signs, dates.

Bot  (any step dialogue, called from the follow-up's menu with its id)
     → the follow-up must exist, be visible to this person and still be open,
       else « Je ne trouve pas ce suivi… » / « Ce suivi est clos depuis… »
Bot  Quels signes avez-vous observés ? ☐ Absences répétées … ✅ Terminé
You  Autre, Terminé
Bot  Qu'avez-vous observé d'autre ?
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot import texts
from bot.absences import followup_deadlines
from bot.absences.followups import contacts_of, find_followup
from bot.absences.uploads import Upload
from bot.absences.vocabulary import CHANNELS, NO_COMPANY, SIGNS
from bot.conversations.absences.steps import parse_note, upload_of
from bot.conversations.formations.choose import load_formation
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Outcome, Step, leave_saying
from bot.conversations.kit.steps import Option, PickMany, Text
from bot.dates import weekend_words
from bot.formations.queries import hold_trainee
from bot.storage.absences import FollowUp
from bot.storage.formations import Formation, Trainee

SIGN_OPTIONS = [Option(label, code) for code, label in SIGNS.items()]
CAUSE_OPTIONS = [
    Option("Un arrêt maladie", "sick_leave"),
    Option("Une difficulté pressentie ou avérée", "difficulty"),
]
WHOM_OPTIONS = [
    Option("La personne en formation", "stagiaire"),
    Option("L'entreprise", "entreprise"),
    Option("Une autre personne (famille, prescripteur…)", "autre"),
]
CHANNEL_OPTIONS = [
    Option(texts.upper_first(label), code)
    for code, label in CHANNELS.items()
    if code not in ("reunion", "aucun")
]
SOLUTION_OPTIONS = [
    Option("Report des dates du bilan", "report"),
    Option("Maintien du bilan", "maintien"),
    Option("Avenant à la convention", "avenant"),
    Option("Autre solution", "autre"),
]

abandon_step = leave_saying("decrochage.step_abandoned")


def sign_steps(ask: str) -> list[Step]:
    """The signs observed, and a note when "autre" is ticked (opening or adding)."""
    return [
        PickMany("signs", ask=ask, options=SIGN_OPTIONS, minimum=1, help="decrochage.help_signs"),
        Text(
            "sign_note",
            ask="decrochage.ask_sign_note",
            parse=parse_note(300),
            when=lambda c: "autre" in (c.data.get("signs") or []),
        ),
    ]


def exit_not_recorded(ctx: Context, trainee: Trainee) -> None:
    """« Abandon de la formation » ticked for someone whose exit is not recorded: its way
    (explorer E E12 m: the sign and the exit's follow-up offer never met)."""
    if "abandon" in (ctx.data.get("signs") or []) and trainee.left_on is None:
        ctx.say("decrochage.abandon_exit_hint", name=trainee.full_name)


@dataclass(frozen=True)
class Found:
    followup: FollowUp
    formation: Formation
    trainee: Trainee


async def load_followup(ctx: Context) -> Found | None:
    """The follow-up of ``ctx.data["followup_id"]``, if this person may see it."""
    followup = await find_followup(ctx.session, ctx.data.get("followup_id"), ctx.organisation_id)
    if followup is None:
        return None
    formation = await load_formation(ctx, followup.formation_id)
    if formation is None:
        return None
    trainee = next((t for t in formation.trainees if t.id == followup.trainee_id), None)
    if trainee is None:
        return None
    return Found(followup, formation, trainee)


def first_sign(ctx: Context, found: Found) -> date:
    """The day the follow-up's first sign was noticed (its opening's, when none was given):
    nothing of the follow-up's own, an entretien, is held before it."""
    return found.followup.sign_on or found.followup.opened_at.astimezone(ctx.tz).date()


def remember(ctx: Context, found: Found) -> None:
    """What templates show: names and codes, kept with the answers."""
    followup, trainee = found.followup, found.trainee
    ctx.data.update(
        followup_id=followup.id,
        formation_id=found.formation.id,
        trainee_id=trainee.id,
        name=trainee.full_name,
        company=trainee.company,
        path=followup.path,
        cause=followup.cause,
        applies=followup.procedure_applies,
    )


async def step_start(ctx: Context) -> Outcome | None:
    """Start of every step dialogue: the follow-up must exist, be visible and still open."""
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return Leave()
    if found.followup.closed_at is not None:
        ctx.say("decrochage.already_closed", closed=found.followup.closed_at.astimezone(ctx.tz))
        return Leave()
    remember(ctx, found)
    return None


async def open_followup_or_leave(ctx: Context) -> Found | None:
    """The follow-up again as a dialogue saves (it may have been closed meanwhile), its
    trainee's row held and read again first, as an erasure holds it: one at the same moment
    is waited for, never written around (YC after explorer UD4: a contact, an entretien, a
    compte rendu or a document written against a follow-up being erased)."""
    wanted = str(ctx.data.get("trainee_id"))
    if wanted.isdigit() and len(wanted) < 19:
        await hold_trainee(ctx.session, int(wanted))
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return None
    if found.followup.closed_at is not None:
        ctx.say("decrochage.already_closed", closed=found.followup.closed_at.astimezone(ctx.tz))
        return None
    return found


async def check_past(ctx: Context, when: datetime) -> str | None:
    """A contact or an interview held is noted once it happened, and during the formation
    or after it: one dated before its start is a slip of the year or the month (explorer D
    F7, F9: « 2 novembre 2025 » went into the Qualiopi evidence)."""
    if when.date() > ctx.now.date():
        return ctx.render("decrochage.future_contact", day=when.date())
    found = await load_followup(ctx)
    if found is not None and when.date() < found.formation.start_date:
        return ctx.render(
            "decrochage.before_start", day=when.date(), start=found.formation.start_date
        )
    return None


def upload(ctx: Context, key: str) -> Upload | None:
    """The file a ``FileStep`` kept under ``key``, if any."""
    return upload_of(ctx.data.get(key))


async def todo(ctx: Context, followup: FollowUp) -> list[dict[str, Any]]:
    """What the procedure still expects, from the follow-up's deadlines (block ``todo``);
    the contact's ``missing``: who is left of the trainee and the company, and ``no_company``
    when « no employer » was noted (explorer HB10)."""
    today = ctx.now.astimezone(ctx.tz).date()
    todo = []
    for row in await followup_deadlines.left(ctx.session, followup):
        weekend, friday = weekend_words(row.effective_due, today)
        milestone = followup_deadlines.milestone_of(row)
        missing, no_company = [], False
        if milestone == "CONTACT":
            missing = await followup_deadlines.contacts_missing(ctx.session, followup)
            contacts = await contacts_of(ctx.session, followup.id)
            no_company = any(c.with_whom == NO_COMPANY for c in contacts)
        todo.append(
            {
                "milestone": milestone,
                "missing": missing,
                "no_company": no_company,
                "due": row.effective_due,
                "late": row.effective_due < today,
                "weekend": weekend,
                "friday": friday,
            }
        )
    return todo
