"""Following a décrochage (``/decrochage``): open a follow-up, or continue the open one.

    You  /decrochage
    Bot  Dans quelle formation ? … De qui s'agit-il ?
    You  karim
    Bot  Quels signes avez-vous observés ? ☐ Absences répétées ☐ Retards … ✅ Terminé
    …
    Bot  Depuis quand ? Quel jour avez-vous remarqué le premier de ces signes ?
    You  lundi
    Bot  J'ai compris : lundi 16 novembre 2026. C'est bien ça ?   (the steps count from it)
    Bot  Intervenez-vous pour cette formation en sous-traitance d'un autre organisme ?
    You  Non
    Bot  Récapitulatif … [Ouvrir le suivi] [Ne rien ouvrir]
    You  Ouvrir le suivi
    Bot  Suivi ouvert (formation longue ou certifiante). À faire :
         · Entretien individuel avec Karim Benali à tenir au plus tard le lundi 30 novembre 2026
         Prochaine étape : un entretien individuel… Le programmer maintenant ?
    You  Oui, maintenant
    …    (the entretien dialogue, then the follow-up's menu)

With a follow-up already open for the trainee, ``/decrochage`` goes straight
to its menu (:mod:`.menu`): what the procedure still expects, and the next
steps, each a dialogue of its own that comes back to the menu.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot import dates
from bot.absences.followups import (
    open_followup,
    open_followup_of,
    organisation_of,
    path_for,
    procedure_on,
)
from bot.absences.log import trainee_absence
from bot.absences.opened import AlreadyOpen
from bot.absences.recent import recent_absence_days, repetition_day
from bot.absences.vocabulary import labels
from bot.conversations.absences.decrochage.common import (
    CAUSE_OPTIONS,
    Found,
    exit_not_recorded,
    remember,
    sign_steps,
    todo,
)
from bot.conversations.absences.decrochage.menu import MENU
from bot.conversations.absences.steps import (
    current_formation,
    current_trainee,
    preset_trainee,
    single_formation,
    who_steps,
)
from bot.conversations.formations.choose import load_formation
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Call, Flow, Leave, Next, Outcome, Retry, leave_saying
from bot.conversations.kit.steps import Confirm, DateStep, Pick, past_example
from bot.formations.queries import hold_trainee
from bot.rules.facts import ABSENCE_OR_RUPTURE
from bot.storage.formations import Trainee


async def decrochage_start(ctx: Context) -> Outcome | None:
    formations = await single_formation(ctx)
    if not formations:
        ctx.say("decrochage.no_formation")
        return Leave()
    await preset_trainee(ctx, "decrochage")
    if "formation_id" in ctx.data:
        if await current_formation(ctx) is None:
            ctx.say("formation.not_found")
            return Leave()
        if "trainee_id" in ctx.data:
            if await current_trainee(ctx) is None:
                ctx.say("formation.trainee_not_found")
                return Leave()
            return await after_trainee(ctx, str(ctx.data["trainee_id"]))
    return None


async def after_trainee(ctx: Context, picked: str) -> Outcome:
    """The trainee's open follow-up (its menu), or the questions to open one."""
    formation = await current_formation(ctx)
    trainee = await current_trainee(ctx)
    if formation is None or trainee is None:
        ctx.data.pop("trainee_id", None)
        return Retry(ctx.render("formation.trainee_not_found"))
    ctx.data["name"] = trainee.full_name
    ctx.data["formation_kind"] = formation.kind
    ctx.data["path"] = path_for(formation)
    followup = await open_followup_of(ctx.session, trainee.id)
    if followup is not None:
        ctx.data["followup_id"] = followup.id
        return Next("menu")
    ctx.data["org_procedure"] = procedure_on(
        await organisation_of(ctx.session, ctx.organisation_id)
    )
    if formation.subcontracted is not None:
        ctx.data["subcontracted"] = formation.subcontracted
    absence = await trainee_absence(ctx.session, ctx.data.get("absence_id"), trainee.id)
    if absence is not None:  # opened after an absence: that day is the sign
        day = absence.day
        signs = ctx.data.get("signs") or []
        if "absences_repetees" in signs or "retards" in signs:
            # Repeated absences: the day they began to repeat, as « Depuis quand ? » suggests
            # it (explorer K: the two ways gave two entretien deadlines for the same facts).
            day = await repeated_since(ctx, trainee, absence.day, lates="retards" in signs) or day
        ctx.data["sign_on"] = day.isoformat()
    return Next("signs")


async def repeated_since(
    ctx: Context, trainee: Trainee, until: date, *, lates: bool = False
) -> date | None:
    """The day the trainee's absences (``lates``: late arrivals) began to repeat, by the
    organisation's thresholds."""
    organisation = await organisation_of(ctx.session, ctx.organisation_id)
    settings = organisation.settings if organisation is not None else {}
    day = await repetition_day(
        ctx.session, trainee.id, until, settings or {}, tz=ctx.tz, lates=lates
    )
    return None if day is None or trainee.left_before(day) else day


async def check_sign_day(ctx: Context, when: datetime) -> str | None:
    """A sign is seen during the trainee's path, and not tomorrow: before the formation's
    start or the trainee's entry, or after the trainee left it (explorer E), it is a slip."""
    day = when.date()
    if day > ctx.now.astimezone(ctx.tz).date():
        return ctx.render("decrochage.sign_in_future", day=day)
    formation = await current_formation(ctx)
    if formation is not None and day < formation.start_date:
        return ctx.render("decrochage.before_start", day=day, start=formation.start_date)
    trainee = await current_trainee(ctx)
    if trainee is not None and trainee.entered_on is not None and day < trainee.entered_on:
        # Entered after the start (explorer F F20: a sign before the entry made the
        # contact born overdue, for someone who was not yet there).
        return ctx.render("decrochage.sign_before_entry", day=day, entered=trainee.entered_on)
    if trainee is not None and trainee.left_on is not None and day > trainee.left_on:
        return ctx.render("decrochage.sign_after_exit", day=day, left=trainee.left_on)
    return None


async def sign_example(ctx: Context) -> str:
    """The day to suggest for « Depuis quand ? »: with « Absences répétées » ticked, the day
    they began to repeat (explorer S S8), else, as with « Une absence », the last absence
    noted (explorer E E12 i: the bot knew them and suggested « hier »); else yesterday's
    working day."""
    signs = set(ctx.data.get("signs") or [])
    trainee = await current_trainee(ctx)
    ctx.data.pop("_noted_absence", None)
    if trainee is not None and signs & {"absence", "absences_repetees", "retards"}:
        today = ctx.now.astimezone(ctx.tz).date()
        lates = "absences_repetees" not in signs  # then « Retards » is what repeats
        if signs & {"absences_repetees", "retards"} and (
            began := await repeated_since(ctx, trainee, today, lates=lates)
        ):
            ctx.data["_noted_absence"] = "repeated_lates" if lates else "repeated"
            return dates.spell_example(began)
        lates = "absence" not in signs and lates  # only « Retards »: the last one
        noted = await recent_absence_days(ctx.session, trainee.id, today, lates=lates)
        noted = [d for d in noted if not trainee.left_before(d)]  # refused after an exit
        if noted:
            ctx.data["_noted_absence"] = "last"
            return dates.spell_example(noted[-1])
    if trainee is not None and trainee.left_on and trainee.left_before(ctx.now.date()):
        return dates.spell_example(trainee.left_on)  # a day the question takes (explorer I)
    return await past_example(ctx)


def sign_day(ctx: Context) -> date | None:
    stored = ctx.data.get("sign_on")
    return date.fromisoformat(str(stored)[:10]) if stored else None


async def recap_values(ctx: Context) -> dict[str, Any]:
    formation = await current_formation(ctx)
    return {
        "title": formation.title if formation else "",
        "labels": labels(),
        "sign_on": sign_day(ctx),
    }


async def save_opening(ctx: Context) -> Outcome:
    # Held and read again, the trainee first as an erasure holds them then the formation:
    # an erasure or a deletion at the same moment waits or is seen (explorers UD4, UD2).
    wanted = str(ctx.data.get("trainee_id"))
    if wanted.isdigit() and len(wanted) < 19:
        await hold_trainee(ctx.session, int(wanted))
    formation = await load_formation(ctx, ctx.data.get("formation_id"), lock=True)
    trainee = await current_trainee(ctx)
    organisation = await organisation_of(ctx.session, ctx.organisation_id)
    if formation is None or trainee is None or organisation is None:
        ctx.say("formation.trainee_not_found")
        return Leave()
    subcontracted = ctx.data.get("subcontracted")
    followup = await open_followup(
        ctx.session,
        organisation=organisation,
        formation=formation,
        trainee=trainee,
        actor_id=ctx.person_id,
        now=ctx.now,
        signs=list(ctx.data.get("signs") or []),
        note=ctx.data.get("sign_note"),
        cause=ctx.data.get("cause"),
        applies=bool(ctx.data.get("org_procedure")) and not subcontracted,
        absence_id=ctx.data.get("absence_id"),
        sign_on=sign_day(ctx),
        subcontracted=None if subcontracted is None else bool(subcontracted),
    )
    if isinstance(followup, AlreadyOpen):
        # Opened by someone else meanwhile (or earlier): theirs is the one to follow.
        ctx.say("decrochage.already_open", by=followup.by, at=followup.at.astimezone(ctx.tz))
        ctx.data["followup_id"] = followup.followup.id
        return Next("menu")
    remember(ctx, Found(followup, formation, trainee))
    ctx.say("decrochage.opened", f=followup, todo=await todo(ctx, followup), labels=labels())
    exit_not_recorded(ctx, trainee)
    if not followup.procedure_applies:
        return Leave()
    if followup.path == "short" and not ABSENCE_OR_RUPTURE & set(ctx.data.get("signs") or []):
        return Leave()  # nothing is asked yet: no contact to offer (said in « opened »)
    # /annuler now leaves only « Programmer maintenant ? », named so when set aside (HB3).
    ctx.data["_saved"] = next_words(followup.path, ctx.data.get("cause"))
    return Next("next")


def next_words(path: str, cause: object) -> str:
    """The procedure's next step, as « Prochaine étape » asks it (``decrochage.ask_next``)."""
    if path == "bilan_comp" and cause == "sick_leave":
        return "noter la solution"
    return {
        "long": "programmer l'entretien individuel",
        "bilan_comp": "noter l'échange en équipe",
        "vae": "déposer le livret de suivi",
    }.get(path, "noter un contact")


async def go_next(ctx: Context) -> Outcome:
    """The procedure's first step now, then the follow-up's menu."""
    path, cause = ctx.data.get("path"), ctx.data.get("cause")
    target: dict[str, Any] = {"followup_id": ctx.data["followup_id"]}
    if path == "long":
        return Call("decrochage_entretien", target | {"kind": "individuel"}, then="menu")
    if path == "bilan_comp" and cause == "sick_leave":
        return Call("decrochage_solution", target, then="menu")
    if path == "bilan_comp":
        team = {"with_whom": "equipe", "channel": "reunion"}
        return Call("decrochage_contact", target | team, then="menu")
    if path == "vae":
        return Call("decrochage_livret", target, then="menu")
    return Call("decrochage_contact", target, then="menu")


MAIN = Flow(
    "decrochage",
    # Its command, /aide line and who may use it: bot/features/absences.py.
    start=decrochage_start,
    steps=[
        *who_steps("decrochage", after_trainee),
        *sign_steps("decrochage.ask_signs"),
        DateStep(
            "sign_on",
            ask="decrochage.ask_sign_on",
            prefer="past",
            check=check_sign_day,
            example=sign_example,
            unless_known=True,
            help="decrochage.help_sign_on",
        ),
        Confirm(
            "subcontracted",
            ask="decrochage.ask_subcontracted",
            yes_label="Oui, en sous-traitance",
            no_label="Non",
            unless_known=True,
            when=lambda c: bool(c.data.get("org_procedure")),
            help="decrochage.help_subcontracted",
        ),
        Pick(
            "cause",
            ask="decrochage.ask_cause",
            options=CAUSE_OPTIONS,
            unless_known=True,  # a sick leave noted as an absence's motive (explorer AF3)
            when=lambda c: c.data.get("formation_kind") == "bilan_competences",
        ),
        Confirm(
            "recap",
            ask="decrochage.recap",
            values=recap_values,
            yes=save_opening,
            no=leave_saying("decrochage.not_opened"),
            yes_label="Ouvrir le suivi",
            # Not « Abandonner » under « Signes : Abandon de la formation » (explorer Z, Z12).
            no_label="Ne rien ouvrir",
        ),
    ],
    branches=[
        MENU,
        Confirm(
            "next",
            ask="decrochage.ask_next",
            yes=go_next,
            no=leave_saying("decrochage.later"),
            yes_label="Oui, maintenant",
            no_label="Plus tard",
        ),
    ],
)
