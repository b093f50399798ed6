"""Following a décrochage (``/decrochage``): the Elycoop procedure, step by step (003 §2).

    You  /decrochage
    Bot  Quelle formation ? … Quel(le) stagiaire ?
    You  karim
    Bot  Quels signes avez-vous observés ? ☐ Absences répétées ☐ Retards … ✅ Terminé
    …
    Bot  Intervenez-vous pour cette formation en sous-traitance d'un autre organisme ?
    You  Non
    Bot  Récapitulatif … [Ouvrir le suivi] [Abandonner]
    Bot  Suivi ouvert (formation longue ou certifiante) : un entretien individuel est
         à tenir avant le lundi 30 novembre 2026. Le programmer maintenant ?

With a follow-up already open for the trainee, ``/decrochage`` shows what
the procedure still expects and offers the next steps: record a contact,
schedule the entretien (or the regard croisé), write its compte rendu (a
PDF sent in the chat and kept), note the solution agreed (bilan de
compétences, sick leave), file the livret de suivi (VAE), then the ticket
qualité that closes it.

Each step is its own small flow, reached from the menu by ``Switch`` with
``{"followup_id": …}``; each checks again that the person may see it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot import dates
from bot.absences.followups import (
    CHANNELS,
    SIGNS,
    add_signs,
    cancel_open_tasks,
    complete_tasks,
    current_entretien,
    labels,
    next_reference,
    open_followup,
    open_followup_of,
    org_days,
    path_for,
    procedure_on,
    rule_for,
    store_document,
    summary_of,
    task_title,
    tasks_of,
    ticket_actions,
    upsert_task,
)
from bot.answers import Invalid, clean_line
from bot.conversations.absences.steps import (
    CheckedDateStep,
    FileStep,
    current_formation,
    current_trainee,
    keep_file,
    parse_note,
    preset_trainee,
    single_formation,
    who_steps,
)
from bot.conversations.formations.choose import load_formation
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Step,
    Switch,
    leave_saying,
    stored_datetime,
)
from bot.conversations.kit.steps import Confirm, Option, Pick, PickMany, Text
from bot.deadlines.service import refresh_deadlines
from bot.documents.pdf import render_pdf
from bot.messages import Document, Reply
from bot.storage.absences import Entretien, FollowUp, FollowUpContact, QualityTicket
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation, Role

SIGN_OPTIONS = [Option(label, code) for code, label in SIGNS.items()]
CAUSE_OPTIONS = [
    Option("Un arrêt maladie", "sick_leave"),
    Option("Une difficulté pressentie ou avérée", "difficulty"),
]
WHOM_OPTIONS = [
    Option("Le/la stagiaire", "stagiaire"),
    Option("L'entreprise", "entreprise"),
    Option("Une autre personne (famille, prescripteur…)", "autre"),
]
CHANNEL_OPTIONS = [
    Option(label.capitalize() if code != "sms" else label, code)
    for code, label in CHANNELS.items()
    if code != "reunion"
]
SOLUTION_OPTIONS = [
    Option("Report des dates du bilan", "report"),
    Option("Maintien du bilan", "maintien"),
    Option("Avenant à la convention", "avenant"),
    Option("Autre solution", "autre"),
]


# --- loading what a step works on ----------------------------------------------------


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


async def organisation(ctx: Context) -> Organisation | None:
    return await ctx.session.get(Organisation, ctx.organisation_id)


async def load_followup(ctx: Context) -> tuple[FollowUp, Formation, Trainee] | None:
    """The follow-up of ``ctx.data["followup_id"]``, if this person may see it."""
    try:
        wanted = int(str(ctx.data.get("followup_id")))
    except ValueError:
        return None
    followup = await ctx.session.get(FollowUp, wanted)
    if followup is None or followup.organisation_id != ctx.organisation_id:
        return None
    formation = await load_formation(ctx, followup.formation_id)
    if formation is None:
        return None
    trainee = next((t for t in formation.trainees if t.id == followup.trainee_id), None)
    if trainee is None:
        return None
    return followup, formation, trainee


def remember(ctx: Context, followup: FollowUp, formation: Formation, trainee: Trainee) -> None:
    """What templates show: names and codes, kept with the answers."""
    ctx.data.update(
        followup_id=followup.id,
        formation_id=formation.id,
        trainee_id=trainee.id,
        name=trainee.full_name,
        company=trainee.company,
        path=followup.path,
        cause=followup.cause,
        applies=followup.procedure_applies,
    )


async def step_start(ctx: Context) -> Outcome | None:
    """Start of every step flow: the follow-up must exist, be visible and still open."""
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return Leave()
    followup, formation, trainee = found
    if followup.closed_at is not None:
        ctx.say("decrochage.already_closed", closed=followup.closed_at.astimezone(ctx.tz))
        return Leave()
    remember(ctx, followup, formation, trainee)
    return None


def back_to_menu(ctx: Context) -> Switch:
    return Switch(
        "decrochage",
        {"formation_id": ctx.data["formation_id"], "trainee_id": ctx.data["trainee_id"]},
    )


# --- /decrochage: open, or continue ------------------------------------------------------


async def decrochage_start(ctx: Context) -> Outcome | None:
    formations = await single_formation(ctx)
    if not formations:
        ctx.say("decrochage.no_formation")
        return Leave()
    await preset_trainee(ctx, "decrochage")
    if "formation_id" in ctx.data:
        formation = await current_formation(ctx)
        if formation is None:
            ctx.say("formation.not_found")
            return Leave()
        if "trainee_id" in ctx.data:
            if await current_trainee(ctx) is None:
                ctx.say("formation.trainee_not_found")
                return Leave()
            return await after_trainee(ctx, str(ctx.data["trainee_id"]))
    return None


async def after_trainee(ctx: Context, picked: str) -> Outcome:
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
        remember(ctx, followup, formation, trainee)
        return Next("menu")
    org = await organisation(ctx)
    ctx.data["org_procedure"] = procedure_on(org)
    if formation.subcontracted is not None:
        ctx.data["subcontracted"] = formation.subcontracted
    return Next("signs")


async def menu_options(ctx: Context) -> list[Option]:
    found = await load_followup(ctx)
    if found is None:
        return [Option("Terminé", "done")]
    followup = found[0]
    s = await summary_of(ctx.session, followup)
    options: list[Option] = []
    live = s.entretien
    if followup.path == "long" and followup.procedure_applies:
        if live is None:
            options.append(Option("Programmer l'entretien individuel", "schedule"))
        elif live.compte_rendu_id is None:
            options.append(Option("Rédiger le compte rendu de l'entretien", "compte_rendu"))
            options.append(Option("Reprogrammer l'entretien", "schedule"))
    if followup.path == "bilan_comp" and followup.procedure_applies:
        if followup.cause == "sick_leave":
            if followup.solution is None:
                options.append(Option("Noter la solution convenue", "solution"))
        else:
            if not s.has_contact_with("equipe"):
                options.append(Option("Noter l'échange en équipe", "equipe"))
            if live is None:
                options.append(Option("Programmer le regard croisé", "schedule"))
            elif live.compte_rendu_id is None:
                options.append(Option("Rédiger le compte rendu du regard croisé", "compte_rendu"))
                options.append(Option("Reprogrammer le regard croisé", "schedule"))
    if followup.path == "vae" and followup.procedure_applies and not s.has_livret:
        options.append(Option("Déposer le livret de suivi", "livret"))
    options.append(Option("Noter un contact", "contact"))
    options.append(Option("Ajouter des signes observés", "signs"))
    if followup.procedure_applies:
        options.append(Option("Saisir le ticket qualité (clôture)", "ticket"))
    else:
        options.append(Option("Clore le suivi", "close"))
    options.append(Option("Voir la chronologie", "timeline"))
    options.append(Option("Terminé", "done"))
    return options


async def menu_values(ctx: Context) -> dict[str, Any]:
    found = await load_followup(ctx)
    if found is None:
        return {}
    followup = found[0]
    s = await summary_of(ctx.session, followup)
    tasks = [t for t in await tasks_of(ctx.session, followup.id) if t.is_open]
    return {"s": s, "f": followup, "tasks": tasks, "labels": labels(), "missing": s.missing()}


class Menu(Pick):
    """The open follow-up's state, then what can be done next."""

    async def ask(self, ctx: Context) -> Reply:
        reply = await super().ask(ctx)
        values = await menu_values(ctx)
        return Reply(
            text=ctx.render("decrochage.menu", **values) if values else reply.text,
            choices=reply.choices,
            columns=reply.columns,
        )


async def menu_choice(ctx: Context, picked: str) -> Outcome:
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return Leave()
    followup = found[0]
    target = {"followup_id": followup.id}
    kind = "individuel" if followup.path == "long" else "regard_croise"
    if picked == "done":
        ctx.say("decrochage.see_you")
        return Leave()
    if picked == "timeline":
        return Switch(
            "suivi", {"formation_id": followup.formation_id, "trainee_id": followup.trainee_id}
        )
    flows = {
        "schedule": ("decrochage_entretien", {"kind": kind}),
        "compte_rendu": ("decrochage_compte_rendu", {"kind": kind}),
        "solution": ("decrochage_solution", {}),
        "equipe": ("decrochage_contact", {"with_whom": "equipe", "channel": "reunion"}),
        "livret": ("decrochage_livret", {}),
        "contact": ("decrochage_contact", {}),
        "signs": ("decrochage_signs", {}),
        "ticket": ("decrochage_ticket", {}),
        "close": ("decrochage_close", {}),
    }
    flow, extra = flows[picked]
    return Switch(flow, target | extra)


async def open_values(ctx: Context) -> dict[str, Any]:
    formation = await current_formation(ctx)
    return {"title": formation.title if formation else "", "labels": labels()}


def _applies(ctx: Context) -> bool:
    return bool(ctx.data.get("org_procedure")) and not ctx.data.get("subcontracted")


async def save_opening(ctx: Context) -> Outcome:
    formation = await current_formation(ctx)
    trainee = await current_trainee(ctx)
    org = await organisation(ctx)
    if formation is None or trainee is None or org is None:
        ctx.say("formation.trainee_not_found")
        return Leave()
    if await open_followup_of(ctx.session, trainee.id) is not None:
        ctx.say("decrochage.already_open")
        return back_to_menu(ctx)
    if "subcontracted" in ctx.data and formation.subcontracted != ctx.data["subcontracted"]:
        formation.subcontracted = bool(ctx.data["subcontracted"])
        ctx.audit("set_subcontracted", "formation", formation.id, value=formation.subcontracted)
    followup = await open_followup(
        ctx.session,
        organisation=org,
        formation=formation,
        trainee=trainee,
        actor_id=ctx.person_id,
        now=ctx.now,
        signs=list(ctx.data.get("signs") or []),
        note=ctx.data.get("sign_note"),
        cause=ctx.data.get("cause"),
        applies=_applies(ctx),
        absence_id=ctx.data.get("absence_id"),
    )
    ctx.audit(
        "open",
        "followup",
        followup.id,
        trainee_id=trainee.id,
        path=followup.path,
        rule=rule_for(followup.path, followup.cause),
        applies=followup.procedure_applies,
        signs=sorted(ctx.data.get("signs") or []),
    )
    remember(ctx, followup, formation, trainee)
    await refresh_deadlines(ctx.session, formation.id)
    tasks = await tasks_of(ctx.session, followup.id)
    ctx.say("decrochage.opened", f=followup, tasks=tasks, labels=labels())
    if not followup.procedure_applies:
        return Leave()
    return Next("next")


abandon_opening = leave_saying("decrochage.not_opened")


async def go_next(ctx: Context) -> Outcome:
    path, cause = ctx.data.get("path"), ctx.data.get("cause")
    target: dict[str, Any] = {"followup_id": ctx.data["followup_id"]}
    if path == "long":
        return Switch("decrochage_entretien", target | {"kind": "individuel"})
    if path == "bilan_comp" and cause == "sick_leave":
        return Switch("decrochage_solution", target)
    if path == "bilan_comp":
        return Switch("decrochage_contact", target | {"with_whom": "equipe", "channel": "reunion"})
    if path == "vae":
        return Switch("decrochage_livret", target)
    return Switch("decrochage_contact", target)


later = leave_saying("decrochage.later")


MAIN = Flow(
    "decrochage",
    command="decrochage",
    menu="Suivre un décrochage",
    role=Role.FORMATEUR,
    summary="suivre un décrochage (signes, contacts, entretien, ticket qualité)",
    start=decrochage_start,
    steps=[
        *who_steps("decrochage", after_trainee),
        Menu(
            "menu",
            ask="decrochage.menu_short",
            options=menu_options,
            then=menu_choice,
            when=lambda c: "followup_id" in c.data,
        ),
        *sign_steps("decrochage.ask_signs"),
        Confirm(
            "subcontracted",
            ask="decrochage.ask_subcontracted",
            yes_label="Oui, en sous-traitance",
            no_label="Non",
            when=lambda c: bool(c.data.get("org_procedure")) and "subcontracted" not in c.data,
            help="decrochage.help_subcontracted",
        ),
        Pick(
            "cause",
            ask="decrochage.ask_cause",
            options=CAUSE_OPTIONS,
            when=lambda c: c.data.get("formation_kind") == "bilan_competences",
        ),
        Confirm(
            "recap",
            ask="decrochage.recap",
            values=open_values,
            yes=save_opening,
            no=abandon_opening,
            yes_label="Ouvrir le suivi",
            no_label="Abandonner",
        ),
        Confirm(
            "next",
            ask="decrochage.ask_next",
            yes=go_next,
            no=later,
            yes_label="Oui, maintenant",
            no_label="Plus tard",
            when=lambda c: "followup_id" in c.data and bool(c.data.get("applies")),
        ),
    ],
)


# --- a contact (with the trainee, the company, the team) --------------------------------


async def check_past(ctx: Context, when: datetime) -> str | None:
    if when.date() > ctx.now.date():
        return ctx.render("decrochage.future_contact", day=when.date())
    return None


async def save_contact(ctx: Context) -> Outcome:
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return Leave()
    followup, _formation, _trainee = found
    document = await keep_file(
        ctx,
        "proof",
        organisation_id=followup.organisation_id,
        kind="preuve_contact",
        followup_id=followup.id,
    )
    proof_id = document.id if document is not None else None
    contact = FollowUpContact(
        followup_id=followup.id,
        with_whom=ctx.data["with_whom"],
        channel=ctx.data["channel"],
        contacted_on=stored_datetime(ctx, "contacted_on").date(),
        outcome=ctx.data["outcome"],
        proof_id=proof_id,
        recorded_by=ctx.person_id,
        recorded_at=ctx.now,
    )
    ctx.session.add(contact)
    await ctx.session.flush()
    step = "equipe" if contact.with_whom == "equipe" else "contact"
    if contact.with_whom != "autre":
        await complete_tasks(ctx.session, followup.id, [step], ctx.person_id, ctx.now)
    ctx.audit(
        "contact",
        "followup",
        followup.id,
        contact_id=contact.id,
        with_whom=contact.with_whom,
        channel=contact.channel,
        proof=proof_id is not None,
    )
    ctx.say("decrochage.contact_saved", c=contact, labels=labels())
    return Next("after")


async def contact_after_options(ctx: Context) -> list[Option]:
    options = [Option("Noter un autre contact", "again")]
    if ctx.data.get("with_whom") == "equipe" and ctx.data.get("path") == "bilan_comp":
        options = [Option("Programmer le regard croisé", "regard")]
    return [*options, Option("Revenir au suivi", "menu"), Option("Terminé", "done")]


async def contact_after(ctx: Context, picked: str) -> Outcome:
    target = {"followup_id": ctx.data["followup_id"]}
    if picked == "again":
        return Switch("decrochage_contact", target)
    if picked == "regard":
        return Switch("decrochage_entretien", target | {"kind": "regard_croise"})
    if picked == "menu":
        return back_to_menu(ctx)
    ctx.say("decrochage.see_you")
    return Leave()


async def contact_values(ctx: Context) -> dict[str, Any]:
    return {"labels": labels(), "day": stored_datetime(ctx, "contacted_on").date()}


async def company_options(ctx: Context) -> list[Option]:
    company = ctx.data.get("company")
    return [
        Option(f"L'entreprise ({company})", o.value) if o.value == "entreprise" and company else o
        for o in WHOM_OPTIONS
    ]


abandon_step = leave_saying("decrochage.step_abandoned")


CONTACT = Flow(
    "decrochage_contact",
    role=Role.FORMATEUR,
    summary="noter un contact de suivi",
    start=step_start,
    steps=[
        Pick(
            "with_whom",
            ask="decrochage.ask_whom",
            options=company_options,
            when=lambda c: "with_whom" not in c.data,
        ),
        Pick(
            "channel",
            ask="decrochage.ask_channel",
            options=CHANNEL_OPTIONS,
            when=lambda c: "channel" not in c.data,
            columns=2,
        ),
        CheckedDateStep(
            "contacted_on",
            ask="decrochage.ask_contact_date",
            prefer="past",
            check=check_past,
            example="aujourd'hui, hier, le 20 novembre",
        ),
        Text("outcome", ask="decrochage.ask_outcome", parse=parse_note(500)),
        FileStep(
            "proof",
            ask="decrochage.ask_contact_proof",
            skip_label="Pas de preuve",
            help="decrochage.help_contact_proof",
        ),
        Confirm(
            "recap",
            ask="decrochage.recap_contact",
            values=contact_values,
            yes=save_contact,
            no=abandon_step,
            yes_label="Enregistrer",
            no_label="Abandonner",
        ),
        Pick(
            "after",
            ask="decrochage.ask_after",
            options=contact_after_options,
            then=contact_after,
            when=lambda c: False,
        ),
    ],
)


# --- scheduling the entretien (or the regard croisé) -----------------------------------------


async def check_future(ctx: Context, when: datetime) -> str | None:
    if when <= ctx.now:
        return ctx.render("decrochage.entretien_past", when=when)
    if when > ctx.now + timedelta(days=366):
        return ctx.render("decrochage.entretien_too_far")
    return None


async def parse_counsellor(ctx: Context, text: str) -> str | Invalid:
    name = clean_line(text, limit=120)
    if isinstance(name, Invalid):
        return name
    if not any(ch.isalpha() for ch in name):
        return Invalid(ctx.render("decrochage.counsellor_letters"))
    return name


async def save_entretien(ctx: Context) -> None:
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return
    followup, _formation, trainee = found
    org = await organisation(ctx)
    kind = "regard_croise" if ctx.data.get("kind") == "regard_croise" else "individuel"
    when = stored_datetime(ctx, "when")
    previous = await current_entretien(ctx.session, followup.id, kind)
    rescheduled = previous is not None and previous.held_at is None
    if previous is not None and rescheduled:
        previous.cancelled_at = ctx.now
    entretien = Entretien(
        followup_id=followup.id,
        kind=kind,
        counsellor=ctx.data.get("counsellor"),
        scheduled_at=when,
        created_by=ctx.person_id,
        created_at=ctx.now,
    )
    ctx.session.add(entretien)
    await ctx.session.flush()
    rule = rule_for(followup.path, followup.cause)
    due = when.astimezone(ctx.tz).date() + timedelta(days=org_days(org, "ely_compte_rendu_days"))
    await upsert_task(
        ctx.session,
        followup,
        step="compte_rendu",
        rule_id=rule,
        title=task_title("task_compte_rendu", name=trainee.full_name, due=due, kind=kind),
        due_on=due,
    )
    deadline_step = "entretien" if kind == "individuel" else "regard_croise"
    deadline = next(
        (t for t in await tasks_of(ctx.session, followup.id) if t.step == deadline_step), None
    )
    late = deadline is not None and when.astimezone(ctx.tz).date() > deadline.due_on
    await refresh_deadlines(ctx.session, followup.formation_id)
    ctx.audit(
        "reschedule" if rescheduled else "schedule",
        "entretien",
        entretien.id,
        followup_id=followup.id,
        kind=kind,
    )
    ctx.say(
        "decrochage.entretien_saved",
        e=entretien,
        when=when.astimezone(ctx.tz),
        late=late,
        deadline=deadline.due_on if deadline else None,
        due=due,
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
        CheckedDateStep(
            "when",
            ask="decrochage.ask_entretien_date",
            prefer="future",
            need_time=True,
            check=check_future,
            help="decrochage.help_entretien_date",
            example="jeudi 26 novembre à 14 h",
        ),
    ],
    finish=save_entretien,
)


# --- the compte rendu -------------------------------------------------------------------------


async def compte_rendu_start(ctx: Context) -> Outcome | None:
    outcome = await step_start(ctx)
    if outcome is not None:
        return outcome
    kind = "regard_croise" if ctx.data.get("kind") == "regard_croise" else "individuel"
    entretien = await current_entretien(ctx.session, int(ctx.data["followup_id"]), kind)
    if entretien is None:
        ctx.say("decrochage.no_entretien")
        return Leave()
    if entretien.compte_rendu_id is not None:
        ctx.say("decrochage.compte_rendu_exists")
        return Leave()
    ctx.data["entretien_id"] = entretien.id
    ctx.data["scheduled_at"] = entretien.scheduled_at.astimezone(ctx.tz).isoformat()
    ctx.data["counsellor"] = entretien.counsellor
    ctx.data["scheduled_past"] = entretien.scheduled_at <= ctx.now
    return None


async def held_options(ctx: Context) -> list[Option]:
    if ctx.data.get("scheduled_past"):
        return [
            Option("Oui, comme prévu", "as_planned"),
            Option("Oui, mais à une autre date", "other_day"),
            Option("Non, il faut le reprogrammer", "reschedule"),
        ]
    return [
        Option("Il a déjà eu lieu (plus tôt)", "other_day"),
        Option("Non, pas encore", "not_yet"),
        Option("Il faut le reprogrammer", "reschedule"),
    ]


async def held_choice(ctx: Context, picked: str) -> Outcome:
    if picked == "as_planned":
        ctx.data["held_at"] = ctx.data["scheduled_at"]
        return Next("constat")
    if picked == "other_day":
        return Next("held_on")
    if picked == "reschedule":
        return Switch(
            "decrochage_entretien",
            {"followup_id": ctx.data["followup_id"], "kind": ctx.data.get("kind", "individuel")},
        )
    ctx.say("decrochage.not_yet", when=datetime.fromisoformat(ctx.data["scheduled_at"]))
    return Leave()


async def after_held_on(ctx: Context) -> Outcome | None:
    held = stored_datetime(ctx, "held_on")
    planned = datetime.fromisoformat(ctx.data["scheduled_at"])
    ctx.data["held_at"] = held.replace(hour=planned.hour, minute=planned.minute).isoformat()
    return None


async def compte_rendu_values(ctx: Context) -> dict[str, Any]:
    return {"held": datetime.fromisoformat(ctx.data["held_at"])}


async def build_compte_rendu(
    ctx: Context, followup: FollowUp, formation: Formation, trainee: Trainee, e: Entretien
) -> bytes:
    s = await summary_of(ctx.session, followup)
    assert e.held_at is not None
    return render_pdf(
        "compte_rendu.html.j2",
        e=e,
        f=followup,
        formation=formation,
        trainee=trainee,
        organisation=ctx.actor.organisation_name if ctx.actor else "",
        author=ctx.actor.name if ctx.actor else "",
        held=dates.spell_datetime(e.held_at.astimezone(ctx.tz)),
        written=dates.spell_date(ctx.now),
        signs=[SIGNS.get(sign.code, sign.code) for sign in s.signs],
        sign_notes=[sign.note for sign in s.signs if sign.note],
        kind_label="Regard croisé" if e.kind == "regard_croise" else "Entretien individuel",
        rule=rule_for(followup.path, followup.cause),
    )


async def save_compte_rendu(ctx: Context) -> Outcome:
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return Leave()
    followup, formation, trainee = found
    entretien = await ctx.session.get(Entretien, int(ctx.data["entretien_id"]))
    if entretien is None or entretien.followup_id != followup.id:
        ctx.say("decrochage.no_entretien")
        return Leave()
    entretien.held_at = datetime.fromisoformat(ctx.data["held_at"])
    entretien.constat = ctx.data["constat"]
    entretien.causes = ctx.data["causes"]
    entretien.mesures = ctx.data["mesures"]
    entretien.prochain_point = ctx.data.get("prochain_point")
    content = await build_compte_rendu(ctx, followup, formation, trainee, entretien)
    day = entretien.held_at.astimezone(ctx.tz).date()
    filename = f"compte-rendu-{trainee.name_key.replace(' ', '-')}-{day.isoformat()}.pdf"
    document = store_document(
        ctx.session,
        organisation_id=followup.organisation_id,
        followup_id=followup.id,
        kind="compte_rendu",
        filename=filename,
        mime_type="application/pdf",
        content=content,
        actor_id=ctx.person_id,
        now=ctx.now,
    )
    await ctx.session.flush()
    entretien.compte_rendu_id = document.id
    entretien.compte_rendu_at = ctx.now
    step = "entretien" if entretien.kind == "individuel" else "regard_croise"
    await complete_tasks(ctx.session, followup.id, [step, "compte_rendu"], ctx.person_id, ctx.now)
    await refresh_deadlines(ctx.session, followup.formation_id)
    ctx.audit(
        "compte_rendu",
        "entretien",
        entretien.id,
        followup_id=followup.id,
        document_id=document.id,
        sha256=document.sha256,
    )
    ctx.send(
        Reply(
            text=ctx.render("decrochage.compte_rendu_ready"),
            document=Document(
                filename=filename,
                mime_type="application/pdf",
                content=content,
                caption=ctx.render("decrochage.compte_rendu_caption"),
            ),
        )
    )
    return Next("after")


async def cr_after_options(ctx: Context) -> list[Option]:
    return [
        Option("Saisir le ticket qualité", "ticket"),
        Option("Revenir au suivi", "menu"),
        Option("Terminé", "done"),
    ]


async def cr_after(ctx: Context, picked: str) -> Outcome:
    if picked == "ticket":
        return Switch("decrochage_ticket", {"followup_id": ctx.data["followup_id"]})
    if picked == "menu":
        return back_to_menu(ctx)
    ctx.say("decrochage.see_you")
    return Leave()


COMPTE_RENDU = Flow(
    "decrochage_compte_rendu",
    role=Role.FORMATEUR,
    summary="rédiger le compte rendu d'un entretien",
    start=compte_rendu_start,
    steps=[
        Pick("held", ask="decrochage.ask_held", options=held_options, then=held_choice),
        CheckedDateStep(
            "held_on",
            ask="decrochage.ask_held_on",
            prefer="past",
            check=check_past,
            after=after_held_on,
            when=lambda c: False,
            example="hier, lundi, le 20 novembre",
        ),
        Text(
            "constat",
            ask="decrochage.ask_constat",
            parse=parse_note(2000),
            multiline=True,
            help="decrochage.help_compte_rendu",
        ),
        Text(
            "causes",
            ask="decrochage.ask_causes",
            parse=parse_note(2000),
            multiline=True,
            help="decrochage.help_compte_rendu",
        ),
        Text(
            "mesures",
            ask="decrochage.ask_mesures",
            parse=parse_note(2000),
            multiline=True,
            help="decrochage.help_compte_rendu",
        ),
        Text(
            "prochain_point",
            ask="decrochage.ask_prochain_point",
            parse=parse_note(300),
            skip_label="Pas de prochain point",
        ),
        Confirm(
            "recap",
            ask="decrochage.recap_compte_rendu",
            values=compte_rendu_values,
            yes=save_compte_rendu,
            no=abandon_step,
            yes_label="Produire le compte rendu",
            no_label="Abandonner",
        ),
        Pick(
            "after",
            ask="decrochage.ask_after_compte_rendu",
            options=cr_after_options,
            then=cr_after,
            when=lambda c: False,
        ),
    ],
)


# --- bilan de compétences, sick leave: the solution agreed -----------------------------------


async def save_solution(ctx: Context) -> None:
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return
    followup, _formation, trainee = found
    org = await organisation(ctx)
    followup.solution = ctx.data["solution"]
    followup.solution_with_employer = bool(ctx.data.get("employer"))
    followup.solution_note = ctx.data.get("solution_note")
    followup.solution_at = ctx.now
    await complete_tasks(ctx.session, followup.id, ["solution"], ctx.person_id, ctx.now)
    if followup.solution == "avenant":
        due = ctx.now.date() + timedelta(days=org_days(org, "ely_bilan_comp_solution_days"))
        await upsert_task(
            ctx.session,
            followup,
            step="avenant",
            rule_id="ELY-BILAN-COMP",
            title=task_title("task_avenant", name=trainee.full_name, due=due),
            due_on=due,
        )
    ctx.audit(
        "solution",
        "followup",
        followup.id,
        solution=followup.solution,
        with_employer=followup.solution_with_employer,
    )
    ctx.say("decrochage.solution_saved", f=followup, labels=labels())


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


# --- VAE: the livret de suivi ---------------------------------------------------------------


async def save_livret(ctx: Context) -> None:
    found = await load_followup(ctx)
    document = (
        await keep_file(
            ctx,
            "livret",
            organisation_id=found[0].organisation_id,
            kind="livret_suivi",
            followup_id=found[0].id,
        )
        if found is not None
        else None
    )
    if found is None or document is None:
        ctx.say("decrochage.not_found")
        return
    followup = found[0]
    filename = document.filename
    await complete_tasks(ctx.session, followup.id, ["livret"], ctx.person_id, ctx.now)
    ctx.audit("livret", "followup", followup.id, document_id=document.id, sha256=document.sha256)
    ctx.say("decrochage.livret_saved", filename=filename)


LIVRET = Flow(
    "decrochage_livret",
    role=Role.FORMATEUR,
    summary="déposer le livret de suivi (VAE)",
    start=step_start,
    steps=[FileStep("livret", ask="decrochage.ask_livret")],
    finish=save_livret,
)


# --- more signs --------------------------------------------------------------------------------


async def save_signs(ctx: Context) -> None:
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return
    followup = found[0]
    signs = list(ctx.data.get("signs") or [])
    add_signs(ctx.session, followup, signs, ctx.data.get("sign_note"), ctx.person_id, ctx.now)
    ctx.audit("signs", "followup", followup.id, signs=sorted(signs))
    ctx.say("decrochage.signs_saved", count=len(signs))


SIGNS_FLOW = Flow(
    "decrochage_signs",
    role=Role.FORMATEUR,
    summary="ajouter des signes de décrochage",
    start=step_start,
    steps=[
        *sign_steps("decrochage.ask_more_signs"),
    ],
    finish=save_signs,
)


# --- the ticket qualité, and closing -------------------------------------------------------


async def ticket_start(ctx: Context) -> Outcome | None:
    outcome = await step_start(ctx)
    if outcome is not None:
        return outcome
    found = await load_followup(ctx)
    assert found is not None
    s = await summary_of(ctx.session, found[0])
    ctx.data["_actions"] = ticket_actions(s, ctx.actor.timezone if ctx.actor else "Europe/Paris")
    ctx.data["_missing"] = s.missing()
    return None


async def ticket_values(ctx: Context) -> dict[str, Any]:
    return {"rule": rule_for(str(ctx.data["path"]), ctx.data.get("cause"))}


async def save_ticket(ctx: Context) -> Outcome:
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return Leave()
    followup, formation, trainee = found
    if followup.closed_at is not None:
        ctx.say("decrochage.already_closed", closed=followup.closed_at.astimezone(ctx.tz))
        return Leave()
    s = await summary_of(ctx.session, followup)
    today = ctx.now.date()
    number, reference = await next_reference(ctx.session, followup.organisation_id, today.year)
    ticket = QualityTicket(
        organisation_id=followup.organisation_id,
        reference=reference,
        year=today.year,
        number=number,
        followup_id=followup.id,
        formation_id=formation.id,
        trainee_id=trainee.id,
        rule_id=rule_for(followup.path, followup.cause),
        actions=ticket_actions(s, ctx.actor.timezone if ctx.actor else "Europe/Paris"),
        note=ctx.data.get("note"),
        document_ids=[d.id for d in s.documents],
        filed_on=today,
        created_by=ctx.person_id,
        created_at=ctx.now,
    )
    ctx.session.add(ticket)
    followup.closed_at, followup.closed_by = ctx.now, ctx.person_id
    await ctx.session.flush()
    await complete_tasks(ctx.session, followup.id, ["ticket"], ctx.person_id, ctx.now)
    await cancel_open_tasks(ctx.session, followup.id, ctx.now)
    await refresh_deadlines(ctx.session, followup.formation_id)
    ctx.audit("ticket", "followup", followup.id, ticket_id=ticket.id, reference=reference)
    ctx.say("decrochage.ticket_saved", t=ticket, name=trainee.full_name)
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
            values=ticket_values,
            yes=save_ticket,
            no=abandon_step,
            yes_label="Enregistrer le ticket",
            no_label="Abandonner",
        ),
    ],
)


async def close_followup(ctx: Context) -> Outcome:
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return Leave()
    followup = found[0]
    followup.closed_at, followup.closed_by = ctx.now, ctx.person_id
    await cancel_open_tasks(ctx.session, followup.id, ctx.now)
    await refresh_deadlines(ctx.session, followup.formation_id)
    ctx.audit("close", "followup", followup.id)
    ctx.say("decrochage.closed")
    return Leave()


CLOSE = Flow(
    "decrochage_close",
    role=Role.FORMATEUR,
    summary="clore un suivi de décrochage",
    start=step_start,
    steps=[
        Confirm(
            "confirm",
            ask="decrochage.confirm_close",
            yes=close_followup,
            no=abandon_step,
            yes_label="Oui, clore",
            no_label="Non",
        )
    ],
)


FLOWS = [MAIN, CONTACT, ENTRETIEN, COMPTE_RENDU, SOLUTION, LIVRET, SIGNS_FLOW, TICKET, CLOSE]
