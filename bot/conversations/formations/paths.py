"""/formations → a formation → « Entrées et sorties… »: one trainee's entry, exit, extension.

    Bot  Quel stagiaire ?  [Nora Ali (entrée le 30 novembre)] [Karim Benali (sorti·e le …)]
    Vous Nora Ali
    Bot  Que voulez-vous enregistrer pour Nora Ali ?
         [Sa sortie] [Une prolongation de parcours] [Sa date d'entrée]
         [Corriger son nom] [Corriger son entreprise]
    Vous Sa sortie
    Bot  Quel jour Nora Ali est-elle sortie de la formation ? (ou sortira)
    Vous le 18 décembre
    Bot  J'ai compris : le vendredi 18 décembre 2026. C'est bien ça ?
    Vous oui
    Bot  Pour quelle raison ?  [Abandon] [Emploi] [Fin de parcours] [Réorientation] [Autre motif]
    Vous Emploi
    Bot  Sortie de Nora Ali le vendredi 18 décembre 2026 (emploi). J'enregistre ?
    Vous Oui
    Bot  C'est enregistré. Les échéances de sortie (EOS) sont datées en conséquence.

Her name and company, typed when she was added, are corrected here too.
A prolongation is a bon de commande supplémentaire: the new end of this
trainee's path, which the final bilan then waits for (002, « ATTENTION »).
"""

from __future__ import annotations

from datetime import date

from bot.absences.first_sign import move_first_sign
from bot.absences.followups import (
    open_followup_of,
    organisation_of,
    path_for,
    procedure_on,
    signs_of,
)
from bot.absences.records import add_more_signs
from bot.absences.reminders import entretiens_after
from bot.answers import Invalid, clean_line
from bot.bilans.queries import invited_after
from bot.conversations.absences.batch import OFFER_FOLLOW_UP
from bot.conversations.formations.choose import load_formation, member
from bot.conversations.formations.manage import say_to_redo
from bot.conversations.formations.period import DayCheck, PeriodStep
from bot.conversations.formations.questions import options
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    SAVED_BEFORE,
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Switch,
    leave_saying,
)
from bot.conversations.kit.steps import Confirm, Option, Pick, Text
from bot.formations import paths
from bot.formations.labels import EXIT_REASONS, written_like_a_company
from bot.formations.sessions import (
    earlier_session,
    entry_session,
    session_at,
    session_label,
    session_of,
    sessions_after,
    short_period,
)
from bot.people.names import person_name
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Role

WHAT = {
    "exit": "Sa sortie",
    "extend": "Une prolongation de parcours",
    "entry": "Sa date d'entrée",
    "name": "Corriger son nom",
    "company": "Corriger son entreprise",
}
BRANCH = {
    "exit": "exit_on",
    "extend": "extend_on",
    "entry": "entry_on",
    "name": "new_name",
    "company": "new_company",
}


async def _found(ctx: Context) -> tuple[Formation, Trainee] | None:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        return None
    trainee = next(
        (t for t in formation.named_trainees if str(t.id) == ctx.data.get("trainee")), None
    )
    return None if trainee is None else (formation, trainee)


async def start(ctx: Context) -> Outcome | None:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        ctx.say("formation.not_found")
        return Leave()
    if not formation.named_trainees:
        ctx.say("formation.no_trainees")
        return Leave()
    ctx.data["title"] = formation.title
    # A « bon de commande supplémentaire », and the final bilan waiting for it, are the
    # Centre-Val de Loire's (002, « ATTENTION »): elsewhere a prolongation is said plainly.
    ctx.data["_bon_de_commande"] = formation.funder == "cvl"
    return None


async def trainee_options(ctx: Context) -> list[Option]:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        return []
    return [
        Option(ctx.label("formation.path_option", t=t), str(t.id)) for t in formation.named_trainees
    ]


async def remember(ctx: Context, picked: str) -> Outcome:
    """Keep the trainee's name, and the days their path may use, for the next questions."""
    found = await _found(ctx)
    if found is None:
        return Retry(ctx.render("formation.trainee_not_found"))
    formation, trainee = found
    ctx.data["trainee_name"] = trainee.full_name
    ctx.data["_bounds"] = [
        formation.start_date.isoformat(),
        paths.last_path_end(formation).isoformat(),
    ]
    return Next()


async def branch(ctx: Context, picked: str) -> Outcome:
    return Next(BRANCH[picked])


async def parse_new_name(ctx: Context, text: str) -> str | Invalid:
    name = person_name(text, example="Nora Ali")
    if isinstance(name, Invalid):
        return name
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is not None and paths.name_taken(formation, ctx.data.get("trainee"), name):
        return Invalid(ctx.render("formation.name_taken", name=name))
    return name


async def parse_company(ctx: Context, text: str) -> str | Invalid:
    company = clean_line(text, limit=100)
    if isinstance(company, Invalid):
        return company
    if not any(ch.isalnum() for ch in company) or not written_like_a_company(company):
        return Invalid(ctx.render("formation.company_unclear"))
    return company


def checker(which: str) -> DayCheck:
    """The check of a date question: the day must fit this trainee's path as stored now."""

    async def check(ctx: Context, day: date) -> str | None:
        found = await _found(ctx)
        if found is None:
            return ctx.render("formation.trainee_not_found")
        formation, trainee = found
        problem = CHECKS[which](formation, trainee, day)
        if not problem:
            return None
        # The day it is measured against (explorer L: « avant la date d'entrée », which?).
        return ctx.render(
            "formation.path_problem",
            problem=problem,
            entry=trainee.entered_on or formation.start_date,
            left=trainee.left_on,
            start=formation.start_date,
        )

    return check


CHECKS = {
    "entry": paths.entry_problem,
    "exit": paths.exit_problem,
    "extend": paths.extension_problem,
}


async def after_exit_day(ctx: Context, value: object) -> Outcome:
    return Next("exit_reason")


async def to_confirm(ctx: Context, value: object) -> Outcome:
    return Next("confirm")


async def after_entry_day(ctx: Context, value: object) -> Outcome:
    """An entry between group sessions waits for one to come: asked when several may be
    his, unless his own is one of them (explorer MB7, as « Ajouter des stagiaires » asks)."""
    ctx.data.pop("entry_session", None)
    found = await _found(ctx)
    if found is None:
        return Next("confirm")
    formation, trainee = found
    day = date.fromisoformat(ctx.data["entry_on"])
    later = sessions_after(formation, day)
    own = session_of(formation, trainee.session_id)
    if session_at(formation, day) is None and len(later) > 1 and own not in later:
        return Next("entry_session")
    return _group_said(ctx, formation, trainee)


async def after_entry_session(ctx: Context, picked: str) -> Outcome:
    found = await _found(ctx)
    return Next("confirm") if found is None else _group_said(ctx, *found)


def _group_said(ctx: Context, formation: Formation, trainee: Trainee) -> Outcome:
    """The session the new entry moves the trainee to, said before « Oui » (explorer MB7)."""
    day = date.fromisoformat(ctx.data["entry_on"])
    chosen = ctx.data.get("entry_session")
    moved = entry_session(formation, trainee, day, int(chosen) if chosen else None)
    changes = moved is not None and moved.id != trainee.session_id
    ctx.data["_entry_group"] = session_label(moved) if moved is not None and changes else None
    return Next("confirm")


async def later_sessions(ctx: Context) -> list[Option]:
    found = await _found(ctx)
    if found is None:
        return []
    day = date.fromisoformat(ctx.data["entry_on"])
    return [
        Option(f"{s.label} : {short_period(s.start_date, s.end_date)}", str(s.id))
        for s in sessions_after(found[0], day)
    ]


async def entry_session_values(ctx: Context) -> dict[str, object]:
    return {"names": [ctx.data.get("trainee_name")]}


async def confirm_values(ctx: Context) -> dict[str, object]:
    """The reasons' labels; for an exit, what it leaves after it, said before « Oui »
    (explorer I: an exit moved earlier told its absences only once saved)."""
    values: dict[str, object] = {"reasons": EXIT_REASONS, "absences": [], "bilans": []}
    values["entretiens"] = []
    values["replaced"] = None
    found = await _found(ctx) if ctx.data["what"] == "exit" else None
    if found is not None:
        trainee, day = found[1], date.fromisoformat(ctx.data["exit_on"])
        values["absences"] = await paths.absences_after(ctx.session, trainee, day)
        bilans = await invited_after(ctx.session, trainee, day)
        values["bilans"] = [bilan.starts_at.astimezone(ctx.tz) for bilan in bilans]
        values["entretiens"] = await entretiens_after(ctx.session, trainee, day)
        values["replaced"] = trainee.left_on  # an exit recorded already: this one replaces it
    return values


async def _write(ctx: Context) -> paths.PathChanged | None:
    """The one service call for what was chosen; ``ValueError`` when the path changed."""
    what, trainee_id = ctx.data["what"], ctx.data["trainee"]
    who, formation_id = member(ctx), ctx.data["formation_id"]
    if what == "name":
        return await paths.correct_trainee(
            ctx.session, who, formation_id, trainee_id, name=ctx.data["new_name"]
        )
    if what == "company":
        company = ctx.data.get("new_company")
        return await paths.correct_trainee(
            ctx.session, who, formation_id, trainee_id, company=company, clear_company=True
        )
    day = date.fromisoformat(ctx.data[BRANCH[what]])
    if what == "exit":
        reason = ctx.data["exit_reason"]
        return await paths.record_exit(ctx.session, who, formation_id, trainee_id, day, reason)
    if what == "extend":
        return await paths.extend_path(ctx.session, who, formation_id, trainee_id, day)
    chosen = ctx.data.get("entry_session")
    part = int(chosen) if chosen else None
    return await paths.set_entry(ctx.session, who, formation_id, trainee_id, day, part)


async def save(ctx: Context) -> Outcome:
    found = await _found(ctx)
    left_on = found[1].left_on if found is not None else None  # an exit corrected: its day
    try:
        done = await _write(ctx)
    except ValueError:  # the path changed since the question (another chat, another person)
        ctx.say("formation.path_changed")
        return Leave()
    # A trainee of an earlier session: it is that session's final bilan that waits (IC5).
    own = earlier_session(*found) if found is not None else None
    ctx.say(
        "formation.path_saved" if done else "formation.trainee_not_found",
        what=ctx.data["what"],
        session=own.label if own is not None else None,
    )
    if done:
        extended = ctx.data["trainee_name"] if ctx.data["what"] == "extend" else None
        say_to_redo(ctx, done.formation, done.reopened, extended, done_again=done.done_again)
    if done and ctx.data["what"] == "exit" and left_on is not None:
        # The follow-up the exit opened counts from its day: moved with it (explorer AF4).
        day = date.fromisoformat(ctx.data["exit_on"])
        followup = await open_followup_of(ctx.session, int(ctx.data["trainee"]))
        if await move_first_sign(ctx.session, followup, left_on, day, by=ctx.person_id):
            ctx.say("formation.exit_sign_moved", day=day)
            return Leave()
    if done and ctx.data["what"] == "exit" and ctx.data.get("exit_reason") == "abandon":
        day = date.fromisoformat(ctx.data["exit_on"])
        # Announced, not yet happened: no follow-up opened on a sign to come (explorer T T5).
        ahead = day > ctx.now.date()
        if ahead and await open_followup_of(ctx.session, int(ctx.data["trainee"])) is None:
            ctx.say("formation.abandon_ahead", name=ctx.data.get("trainee_name"), day=day)
            return Leave()
        return await offer_followup(ctx)
    return Leave()


async def offer_followup(ctx: Context) -> Outcome:
    """An abandon is a rupture de parcours (003 §2): the procedure's follow-up is offered,
    the sign and its day set, when the procedure applies and none is open (explorer F)."""
    found = await _found(ctx)
    if found is None:
        return Leave()
    formation, trainee = found
    organisation = await organisation_of(ctx.session, ctx.organisation_id)
    already = await open_followup_of(ctx.session, trainee.id)
    if already is not None:
        # The abandon is a sign of the follow-up under way (explorer K: nothing was said,
        # the sign not added, the follow-up read as if the person were still there).
        signs = {s.code for s in await signs_of(ctx.session, already.id)}
        if "abandon" not in signs:
            await add_more_signs(
                ctx.session, already, ctx.person_id, ctx.now, signs=["abandon"], note=None
            )
        ctx.say("formation.abandon_sign_added", name=trainee.full_name, path=already.path)
        return Leave()
    if not procedure_on(organisation) or formation.subcontracted:
        return Leave()
    ctx.data["_path"] = path_for(formation)
    # The exit is saved: /annuler leaves only the offer, named so (HB3).
    ctx.data["_saved"] = OFFER_FOLLOW_UP
    return Next("followup")


async def open_followup(ctx: Context) -> Outcome:
    return Switch(
        "decrochage",
        {
            "formation_id": ctx.data["formation_id"],
            "trainee_id": ctx.data["trainee"],
            "signs": ["abandon"],
            "sign_on": ctx.data["exit_on"],
            SAVED_BEFORE: True,  # the exit, saved: « Retour » and /aide say so (BB6)
        },
    )


PATH = Flow(
    "formation_path",
    role=Role.FORMATEUR,
    summary="enregistrer l'entrée, la sortie ou la prolongation d'un stagiaire",
    start=start,
    steps=[
        Pick("trainee", ask="formation.ask_path_trainee", options=trainee_options, then=remember),
        Pick("what", ask="formation.ask_path_what", options=options(WHAT), then=branch),
    ],
    branches=[
        PeriodStep(
            "exit_on",
            ask="formation.ask_exit_on",
            single=True,
            check=checker("exit"),
            then=after_exit_day,
        ),
        Pick(
            "exit_reason",
            ask="formation.ask_exit_reason",
            options=options(EXIT_REASONS),
            then=to_confirm,
        ),
        PeriodStep(
            "extend_on",
            ask="formation.ask_extend_on",
            single=True,
            check=checker("extend"),
            then=to_confirm,
        ),
        PeriodStep(
            "entry_on",
            ask="formation.ask_entry_on",
            single=True,
            check=checker("entry"),
            then=after_entry_day,
        ),
        Pick(
            "entry_session",
            ask="formation.ask_trainee_session",
            options=later_sessions,
            values=entry_session_values,
            then=after_entry_session,
        ),
        Text("new_name", ask="formation.ask_new_name", parse=parse_new_name, then=to_confirm),
        Text(
            "new_company",
            ask="formation.ask_new_company",
            parse=parse_company,
            skip_label="Aucune entreprise",
            then=to_confirm,
        ),
        Confirm(
            "confirm",
            ask="formation.confirm_path",
            values=confirm_values,
            yes=save,
            no=leave_saying("formation.nothing_changed"),
        ),
        Confirm(
            "followup",
            ask="formation.ask_abandon_followup",
            yes=open_followup,
            no=leave_saying("formation.abandon_later"),
            yes_label="Ouvrir un suivi",
            no_label="Pas maintenant",
        ),
    ],
)

FLOWS = [PATH]
