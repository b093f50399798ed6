"""Setting up a training by chat, then keeping it up to date.

    You  /formation
    Bot  Quel est l'intitulé de la formation ?
    You  Agent de restauration
    Bot  Qui la finance ?  [Région Normandie] [Région Centre-Val de Loire] [Rectorat] [Autre]
    …
    Bot  Quelles sont les dates ?
    You  du 2 mars au 15 juin 2027
    Bot  J'ai compris : du mardi 2 mars 2027 au mardi 15 juin 2027. C'est bien ça ?
    …
    Bot  Collez la liste des stagiaires, un nom par ligne.
    …
    Bot  Récapitulatif … [Enregistrer] [Annuler]

``/formations`` lists mine (all of them for an admin), opens one, and edits
its dates, trainees and delegates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select

from bot import dates
from bot.answers import MAX_TEXT, Invalid, clean_line, fold
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Step,
    Switch,
    finish_now,
    leave_saying,
)
from bot.conversations.kit.steps import Confirm, Option, Pick, PickMany, Text
from bot.deadlines.service import refresh_deadlines
from bot.messages import Reply
from bot.storage.formations import Formation, FormationSession, Trainee
from bot.storage.people import Role

FUNDERS = [
    Option("Région Normandie", "normandie"),
    Option("Région Centre-Val de Loire", "cvl"),
    Option("Rectorat (formation continue)", "rectorat"),
    Option("Autre financeur", "autre"),
]
PROGRAMMES = [
    Option("Parcours Métiers", "parcours_metiers"),
    Option("Visa", "visa"),
    Option("Visa+ Parcours vers l'Emploi", "visa_plus"),
    Option("Alpha / FLE / FLI / RAN", "alpha_fle"),
    Option("Autre programme", "autre"),
]
ACTION_TYPES = [
    Option("Élaboration de projet professionnel", "projet_pro"),
    Option("Acquisition des premiers gestes professionnels", "premiers_gestes"),
    Option("Se préparer à créer ou reprendre une entreprise", "creer_entreprise"),
    Option("Se former au(x) métier(s) de…", "metiers"),
    Option("Autre type d'action", "autre"),
]
MODES = [
    Option("De date à date (un groupe)", "dates"),
    Option("Entrées et sorties permanentes", "esp"),
]
KINDS = [
    Option("Une formation", "formation"),
    Option("Un bilan de compétences", "bilan_competences"),
    Option("Un accompagnement VAE", "vae"),
]
LENGTHS = [
    Option("Courte", "courte"),
    Option("Longue", "longue"),
]

LABELS: dict[str, dict[str, str]] = {
    "funder": {o.value: o.label for o in FUNDERS},
    "programme": {o.value: o.label for o in PROGRAMMES},
    "action_type": {o.value: o.label for o in ACTION_TYPES},
    "mode": {o.value: o.label for o in MODES},
    "kind": {o.value: o.label for o in KINDS},
}

MAX_TRAINEES = 200


def name_key(name: str) -> str:
    return fold(name)


# --- parsing answers ---------------------------------------------------------------


async def parse_title(ctx: Context, text: str) -> str | Invalid:
    title = clean_line(text, limit=150)
    if isinstance(title, Invalid):
        return title
    if len(title) < 3 or not any(ch.isalnum() for ch in title):
        return Invalid(
            "Un intitulé d'au moins trois caractères, avec des lettres, s'il vous plaît."
        )
    return title


async def parse_person(ctx: Context, text: str) -> str | Invalid:
    name = clean_line(text, limit=100)
    if isinstance(name, Invalid):
        return name
    if not any(ch.isalpha() for ch in name):
        return Invalid("Un nom s'écrit avec des lettres : par exemple « Mme Sophie Leroy ».")
    return name


EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")


async def parse_email(ctx: Context, text: str) -> str | Invalid:
    value = text.strip()
    if not EMAIL.match(value):
        return Invalid(
            "Ce n'est pas une adresse e-mail valable. Écrivez-la comme "
            "« prenom.nom@region.fr », ou touchez « Passer »."
        )
    return value.lower()


def period_problem(start: date, end: date, today: date) -> str | None:
    if end < start:
        return "La date de fin est avant la date de début."
    if (end - start).days > 3 * 366:
        return "Plus de trois ans entre le début et la fin : vérifiez les années."
    if start < today - timedelta(days=2 * 366):
        return "Cette formation aurait commencé il y a plus de deux ans : vérifiez l'année."
    return None


def understand_dates(ctx: Context, text: str) -> tuple[date, date] | Invalid:
    """A period in free French, with precise reasons when it does not fit."""
    line = clean_line(text, limit=200)
    if isinstance(line, Invalid):
        return line
    period = dates.understand_period(line, ctx.now)
    if period is None and _reversed(line, ctx):
        return Invalid(
            "La date de fin est avant la date de début. Redonnez les dates dans l'ordre, "
            "par exemple « du 2 mars au 15 juin 2027 »."
        )
    if period is None:
        return Invalid(
            "Je n'ai pas compris ces dates. Écrivez-les par exemple "
            "« du 2 mars au 15 juin 2027 » ou « 02/03/2027 - 15/06/2027 »."
        )
    problem = period_problem(period[0], period[1], ctx.now.date())
    if problem:
        return Invalid(problem + " Redonnez les dates, par exemple « du 2 mars au 15 juin 2027 ».")
    return period


_TWO_ENDS = re.compile(r"^\s*(?:du\s+)?(?P<a>.+?)\s+(?:au|-|à|jusqu'au)\s+(?P<b>.+)$", re.I)


def _reversed(line: str, ctx: Context) -> bool:
    """Both ends are dates, but the end comes first: worth saying so precisely."""
    match = _TWO_ENDS.match(line)
    if not match:
        return False
    first = dates.understand(match["a"], ctx.now, "future")
    second = dates.understand(match["b"], ctx.now, "future")
    return bool(first and second and second.when < first.when)


class PeriodStep(Step):
    """Start and end dates in one answer, shown back in full and confirmed."""

    def __init__(self, name: str, *, ask: str) -> None:
        super().__init__(name, help="formation.help_dates")
        self.prompt = ask

    async def ask(self, ctx: Context) -> Reply:
        pending = ctx.data.get("_pending_period")
        if pending:
            start, end = (date.fromisoformat(x) for x in pending)
            return Reply(
                text=ctx.render("formation.period_understood", start=start, end=end),
                choices=(ctx.choice("Oui, c'est ça", "yes"), ctx.choice("Non, corriger", "no")),
                columns=2,
            )
        return Reply(text=ctx.render(self.prompt))

    async def take(self, ctx: Context) -> Outcome:
        if ctx.data.get("_pending_period"):
            picked = ctx.chosen(
                ["yes", "no"],
                labels={"yes": "Oui, c'est ça", "no": "Non, corriger"},
                synonyms={"oui": "yes", "non": "no", "ok": "yes"},
            )
            if picked == "yes":
                ctx.data["start"], ctx.data["end"] = ctx.data.pop("_pending_period")
                return Next()
            if picked == "no":
                ctx.data.pop("_pending_period")
                return Retry(
                    "D'accord. Redonnez les dates, par exemple « du 2 mars au 15 juin 2027 »."
                )
            # Anything else: new dates replace the pending ones; otherwise ask again.
            period = None if ctx.incoming.choice else understand_dates(ctx, ctx.incoming.text)
            if period is None or isinstance(period, Invalid):
                if isinstance(picked, Invalid):
                    return Retry(picked.message)
                return Retry(ctx.render("common.yes_no_or_new_date", yes="Oui", no="Non"))
        else:
            refusal = ctx.refuse_non_text()
            if refusal:
                return refusal
            period = understand_dates(ctx, ctx.incoming.text)
            if isinstance(period, Invalid):
                return Retry(period.message)
        ctx.data["_pending_period"] = [period[0].isoformat(), period[1].isoformat()]
        return Next(self.name)


SESSION_LINE = re.compile(r"^\s*(?P<label>[^:]{1,80}?)\s*:\s*(?P<period>.+)$")


async def parse_sessions(ctx: Context, text: str) -> list[dict[str, str]] | Invalid:
    """One session per line, "Session 1 : du 2 mars au 15 avril"."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return Invalid("Je n'ai reçu aucune session : une par ligne, s'il vous plaît.")
    if len(lines) > 30:
        return Invalid("Plus de 30 sessions : découpez en plusieurs formations.")
    start, end = date.fromisoformat(ctx.data["start"]), date.fromisoformat(ctx.data["end"])
    sessions: list[dict[str, str]] = []
    for number, line in enumerate(lines, start=1):
        match = SESSION_LINE.match(line)
        label, period_text = (
            (match["label"].strip(), match["period"]) if match else (f"Session {number}", line)
        )
        period = understand_dates(ctx, period_text)
        if isinstance(period, Invalid):
            return Invalid(f"Ligne {number} : {period.message}")
        if period[0] < start or period[1] > end:
            return Invalid(
                f"Ligne {number} : cette session sort des dates de la formation "
                f"({dates.spell_date(start)} – {dates.spell_date(end)})."
            )
        cleaned = clean_line(label, limit=80)
        sessions.append(
            {
                "label": cleaned if isinstance(cleaned, str) else f"Session {number}",
                "start": period[0].isoformat(),
                "end": period[1].isoformat(),
            }
        )
    return sessions


TRAINEE_LINE_LIMIT = 100


async def parse_trainees(ctx: Context, text: str) -> list[dict[str, str | None]] | Invalid:
    """A pasted list, one trainee per line, optionally "Nom ; Entreprise"."""
    return parse_trainee_lines(text, existing=ctx.data.get("_existing_keys", []))


def parse_trainee_lines(
    text: str, *, existing: Sequence[str] = ()
) -> list[dict[str, str | None]] | Invalid:
    raw = [line.strip(" \t-•*·") for line in text.splitlines()]
    lines = [line for line in raw if line.strip()]
    if not lines:
        return Invalid("La liste est vide : collez les noms, un par ligne.")
    if len(lines) > MAX_TRAINEES:
        return Invalid(f"{len(lines)} noms : c'est plus que les {MAX_TRAINEES} que j'accepte.")
    trainees: list[dict[str, str | None]] = []
    seen: dict[str, int] = {key: 0 for key in existing}
    for number, line in enumerate(lines, start=1):
        name_part, _, company = line.partition(";")
        name = clean_line(name_part, limit=TRAINEE_LINE_LIMIT)
        if isinstance(name, Invalid):
            return Invalid(f"Ligne {number} : {name.message}")
        if not any(ch.isalpha() for ch in name):
            return Invalid(f"Ligne {number} : « {name[:40]} » ne ressemble pas à un nom.")
        key = name_key(name)
        if key in seen:
            where = f"ligne {seen[key]}" if seen[key] else "déjà inscrit"
            return Invalid(
                f"« {name} » apparaît deux fois (ligne {number} et {where}). "
                "Retirez le doublon et renvoyez la liste."
            )
        seen[key] = number
        company_clean = clean_line(company, limit=100) if company.strip() else None
        trainees.append(
            {"name": name, "company": company_clean if isinstance(company_clean, str) else None}
        )
    return trainees


async def trainee_options(ctx: Context) -> list[Option]:
    return [Option(str(t["name"]), str(i)) for i, t in enumerate(ctx.data.get("trainees") or [])]


# --- saving ------------------------------------------------------------------------


def _funded_by_region(ctx: Context) -> bool:
    return ctx.data.get("funder") in ("normandie", "cvl")


def _is_training(ctx: Context) -> bool:
    return ctx.data.get("kind") == "formation"


def _cvl(ctx: Context) -> bool:
    return ctx.data.get("funder") == "cvl"


def _may_have_sessions(ctx: Context) -> bool:
    return _cvl(ctx) and ctx.data.get("action_type") in ("premiers_gestes", "metiers")


async def save_formation(ctx: Context) -> None:
    data = ctx.data
    formation = Formation(
        organisation_id=ctx.organisation_id,
        owner_id=ctx.person_id,
        title=data["title"],
        funder=data["funder"],
        programme=data.get("programme"),
        action_type=data.get("action_type"),
        mode=data["mode"],
        kind=data["kind"],
        start_date=date.fromisoformat(data["start"]),
        end_date=date.fromisoformat(data["end"]),
        certifying=bool(data.get("certifying", False)),
        long=data.get("length") == "longue",
        remote_coaching=bool(data.get("remote_coaching", False)),
        cm_name=data.get("cm_name"),
        cm_email=data.get("cm_email"),
        trainees=[],
        sessions=[],
    )
    for session in data.get("sessions") or []:
        formation.sessions.append(
            FormationSession(
                label=session["label"],
                composante=session["label"] if data.get("action_type") == "metiers" else None,
                start_date=date.fromisoformat(session["start"]),
                end_date=date.fromisoformat(session["end"]),
            )
        )
    delegates = set(data.get("delegates") or [])
    for index, trainee in enumerate(data.get("trainees") or []):
        formation.trainees.append(
            Trainee(
                full_name=trainee["name"],
                name_key=name_key(str(trainee["name"])),
                company=trainee.get("company"),
                is_delegate=str(index) in delegates,
                entered_on=formation.start_date,
            )
        )
    ctx.session.add(formation)
    await ctx.session.flush()
    ctx.audit("create", "formation", formation.id, trainees=len(formation.trainees))
    await refresh_deadlines(ctx.session, formation.id)
    ctx.say("formation.saved", formation=formation)


confirm_save = finish_now


refuse_save = leave_saying("formation.not_saved")


NEW = Flow(
    "formation",
    command="formation",
    menu="Créer une formation",
    role=Role.FORMATEUR,
    summary="créer une formation",
    steps=[
        Text("title", ask="formation.ask_title", parse=parse_title, help="formation.help_title"),
        Pick("kind", ask="formation.ask_kind", options=KINDS),
        Pick("funder", ask="formation.ask_funder", options=FUNDERS),
        Pick("programme", ask="formation.ask_programme", options=PROGRAMMES, when=_cvl),
        Pick("action_type", ask="formation.ask_action_type", options=ACTION_TYPES, when=_cvl),
        Pick("mode", ask="formation.ask_mode", options=MODES, help="formation.help_mode"),
        PeriodStep("period", ask="formation.ask_period"),
        Confirm("several_sessions", ask="formation.ask_several_sessions", when=_may_have_sessions),
        Text(
            "sessions",
            ask="formation.ask_sessions",
            parse=parse_sessions,
            multiline=True,
            when=lambda c: bool(c.data.get("several_sessions")),
        ),
        Confirm("certifying", ask="formation.ask_certifying", when=_is_training),
        Pick(
            "length",
            ask="formation.ask_length",
            options=LENGTHS,
            when=_is_training,
            help="formation.help_length",
        ),
        Confirm(
            "remote_coaching",
            ask="formation.ask_remote_coaching",
            when=lambda c: c.data.get("funder") == "rectorat",
        ),
        Text(
            "cm_name",
            ask="formation.ask_cm_name",
            parse=parse_person,
            when=_funded_by_region,
            skip_label="Passer",
        ),
        Text(
            "cm_email",
            ask="formation.ask_cm_email",
            parse=parse_email,
            when=lambda c: bool(c.data.get("cm_name")),
            skip_label="Passer",
        ),
        Text(
            "trainees",
            ask="formation.ask_trainees",
            parse=parse_trainees,
            multiline=True,
            skip_label="Plus tard",
            help="formation.help_trainees",
        ),
        PickMany(
            "delegates",
            ask="formation.ask_delegates",
            options=trainee_options,
            when=lambda c: bool(c.data.get("trainees")),
            help="formation.help_delegates",
        ),
        Confirm(
            "recap",
            ask="formation.recap",
            yes=confirm_save,
            no=refuse_save,
            yes_label="Enregistrer",
            no_label="Abandonner",
        ),
    ],
    finish=save_formation,
)


# --- /formations: open one, edit it ------------------------------------------------


async def visible_formations(ctx: Context) -> list[Formation]:
    query = select(Formation).where(Formation.organisation_id == ctx.organisation_id)
    if ctx.actor is None or not ctx.actor.is_admin:
        query = query.where(Formation.owner_id == ctx.person_id)
    query = query.order_by(Formation.start_date.desc(), Formation.id.desc())
    return list((await ctx.session.scalars(query)).all())


async def load_formation(ctx: Context, formation_id: object) -> Formation | None:
    """The formation if this person may see it; ``None`` for anything else."""
    try:
        wanted = int(str(formation_id))
    except ValueError:
        return None
    formation = await ctx.session.get(Formation, wanted)
    if formation is None or formation.organisation_id != ctx.organisation_id:
        return None
    if not (ctx.actor and ctx.actor.is_admin) and formation.owner_id != ctx.person_id:
        return None
    await ctx.session.refresh(formation, ["trainees", "sessions"])
    return formation


async def formation_options(ctx: Context) -> list[Option]:
    return [
        Option(f"{f.title} ({dates.spell_date(f.start_date)})", str(f.id))
        for f in await visible_formations(ctx)
    ]


async def list_start(ctx: Context) -> Outcome | None:
    if not await visible_formations(ctx):
        ctx.say("formation.none_yet")
        return Leave()
    if "formation_id" in ctx.data:
        return Next("action")
    return None


EDIT_ACTIONS = [
    Option("Voir le détail", "show"),
    Option("Modifier les dates", "dates"),
    Option("Ajouter des stagiaires", "add"),
    Option("Retirer un stagiaire", "remove"),
    Option("Choisir les délégués", "delegates"),
    Option("Terminé", "done"),
]


async def open_formation(ctx: Context, picked: str) -> Outcome:
    formation = await load_formation(ctx, picked)
    if formation is None:
        return Retry(ctx.render("formation.not_found"))
    ctx.data["formation_id"] = formation.id
    return Next("action")


async def act_on_formation(ctx: Context, picked: str) -> Outcome:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        ctx.say("formation.not_found")
        return Leave()
    if picked == "show":
        ctx.say("formation.detail", f=formation, labels=LABELS)
        return Next("action")
    if picked == "done":
        ctx.say("formation.edit_done")
        return Leave()
    flow = {
        "dates": "formation_dates",
        "add": "formation_add",
        "remove": "formation_remove",
        "delegates": "formation_delegates",
    }[picked]
    return Switch(flow, {"formation_id": formation.id})


async def current_title(ctx: Context) -> str:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    return formation.title if formation else ""


LIST = Flow(
    "formations",
    command="formations",
    menu="Voir et modifier mes formations",
    role=Role.FORMATEUR,
    summary="voir et modifier mes formations",
    start=list_start,
    steps=[
        Pick(
            "formation", ask="formation.ask_which", options=formation_options, then=open_formation
        ),
        Pick("action", ask="formation.ask_action", options=EDIT_ACTIONS, then=act_on_formation),
    ],
)


async def editing(ctx: Context) -> Outcome | None:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        ctx.say("formation.not_found")
        return Leave()
    ctx.data["title"] = formation.title
    ctx.data["_existing_keys"] = [t.name_key for t in formation.trainees]
    return None


async def save_dates(ctx: Context) -> None:
    formation = await load_formation(ctx, ctx.data["formation_id"])
    if formation is None:
        ctx.say("formation.not_found")
        return
    start, end = date.fromisoformat(ctx.data["start"]), date.fromisoformat(ctx.data["end"])
    outside = [s.label for s in formation.sessions if s.start_date < start or s.end_date > end]
    formation.start_date, formation.end_date = start, end
    ctx.audit("edit_dates", "formation", formation.id)
    await refresh_deadlines(ctx.session, formation.id)
    ctx.say("formation.dates_saved", f=formation, outside=outside)


async def save_added(ctx: Context) -> None:
    formation = await load_formation(ctx, ctx.data["formation_id"])
    if formation is None:
        ctx.say("formation.not_found")
        return
    known = {t.name_key for t in formation.trainees}
    added = 0
    for trainee in ctx.data.get("trainees") or []:
        key = name_key(str(trainee["name"]))
        if key in known:
            continue
        formation.trainees.append(
            Trainee(
                full_name=trainee["name"],
                name_key=key,
                company=trainee.get("company"),
                entered_on=max(ctx.now.date(), formation.start_date),
            )
        )
        added += 1
    await ctx.session.flush()
    ctx.audit("add_trainees", "formation", formation.id, count=added)
    await refresh_deadlines(ctx.session, formation.id)
    ctx.say("formation.trainees_added", count=added, f=formation)


async def existing_trainee_options(ctx: Context) -> list[Option]:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        return []
    return [Option(t.full_name, str(t.id)) for t in formation.trainees]


async def remove_trainee(ctx: Context, picked: str) -> Outcome:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    trainee = (
        next((t for t in formation.trainees if str(t.id) == picked), None) if formation else None
    )
    if formation is None or trainee is None:
        return Retry(ctx.render("formation.trainee_not_found"))
    ctx.data["trainee_name"] = trainee.full_name
    return Next()


async def do_remove(ctx: Context) -> Outcome:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    trainee = (
        next((t for t in formation.trainees if str(t.id) == ctx.data.get("remove")), None)
        if formation
        else None
    )
    if formation is None or trainee is None:
        ctx.say("formation.trainee_not_found")
        return Leave()
    formation.trainees.remove(trainee)
    await ctx.session.flush()
    ctx.audit("remove_trainee", "formation", formation.id, trainee_id=trainee.id)
    await refresh_deadlines(ctx.session, formation.id)
    ctx.say("formation.trainee_removed")
    return Leave()


keep_trainee = leave_saying("formation.nothing_changed")


async def delegates_start(ctx: Context) -> Outcome | None:
    outcome = await editing(ctx)
    if outcome is not None:
        return outcome
    formation = await load_formation(ctx, ctx.data["formation_id"])
    assert formation is not None
    if not formation.trainees:
        ctx.say("formation.no_trainees")
        return Leave()
    ctx.data["delegates"] = [str(t.id) for t in formation.trainees if t.is_delegate]
    return None


async def save_delegates(ctx: Context) -> None:
    formation = await load_formation(ctx, ctx.data["formation_id"])
    if formation is None:
        ctx.say("formation.not_found")
        return
    chosen = set(ctx.data.get("delegates") or [])
    for trainee in formation.trainees:
        trainee.is_delegate = str(trainee.id) in chosen
    ctx.audit("set_delegates", "formation", formation.id, count=len(chosen))
    ctx.say(
        "formation.delegates_saved",
        names=[t.full_name for t in formation.trainees if t.is_delegate],
    )


EDIT_DATES = Flow(
    "formation_dates",
    role=Role.FORMATEUR,
    summary="modifier les dates d'une formation",
    start=editing,
    steps=[PeriodStep("period", ask="formation.ask_new_period")],
    finish=save_dates,
)
ADD_TRAINEES = Flow(
    "formation_add",
    role=Role.FORMATEUR,
    summary="ajouter des stagiaires",
    start=editing,
    steps=[
        Text(
            "trainees",
            ask="formation.ask_more_trainees",
            parse=parse_trainees,
            multiline=True,
            help="formation.help_trainees",
        ),
    ],
    finish=save_added,
)
REMOVE_TRAINEE = Flow(
    "formation_remove",
    role=Role.FORMATEUR,
    summary="retirer un stagiaire",
    start=editing,
    steps=[
        Pick(
            "remove",
            ask="formation.ask_remove",
            options=existing_trainee_options,
            then=remove_trainee,
        ),
        Confirm(
            "confirm_remove",
            ask="formation.confirm_remove",
            yes=do_remove,
            no=keep_trainee,
            yes_label="Oui, retirer",
            no_label="Non, garder",
        ),
    ],
)
DELEGATES = Flow(
    "formation_delegates",
    role=Role.FORMATEUR,
    summary="choisir les délégués",
    start=delegates_start,
    steps=[
        PickMany(
            "delegates",
            ask="formation.ask_delegates",
            options=existing_trainee_options,
            help="formation.help_delegates",
        ),
    ],
    finish=save_delegates,
)

FLOWS = [NEW, LIST, EDIT_DATES, ADD_TRAINEES, REMOVE_TRAINEE, DELEGATES]

assert MAX_TEXT >= TRAINEE_LINE_LIMIT
