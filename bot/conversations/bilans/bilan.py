"""Scheduling the bilan (``/bilan``), then moving or cancelling it (``/bilans``).

    You  /bilan
    Bot  Pour quelle formation ?  [Agent de restauration (démo)] …
    Bot  « Agent de restauration (démo) » doit à son financeur : un bilan de fin
         de formation, vers le lundi 7 janvier 2027. Lequel programmer ?
         [Programmer le bilan de fin de formation (proposé)]
    Bot  À distance ou sur place ?
    You  À distance
    Bot  Quand ? (par exemple « jeudi 26 novembre à 14 h »)
    You  jeudi 26 novembre à 14 h
    Bot  J'ai compris : jeudi 26 novembre 2026 à 14 h 00. C'est bien ça ?
    …    durée, lien de visio, mot de passe, prise de parole (NOR-VISIO),
         délégués (NOR-DELEGATES), partenaires, récapitulatif
    Bot  C'est programmé.  Échéances : … + invitation .ics, ordre du jour (PDF),
         message au ou à la chargé(e) de mission.

The rules' deadlines of the bilan (preparation, guides, documents 48 h
before, proofs after) are stored by :func:`bot.deadlines.service.refresh_deadlines`
and follow the bilan when it moves; a cancelled bilan drops its open ones.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from bot import dates
from bot.answers import Invalid, clean_line
from bot.conversations.attestations.trainer import invite_after_scheduling
from bot.conversations.formations.answers import EMAIL, parse_person
from bot.conversations.formations.choose import load_formation, visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Switch,
    finish_now,
    leave_saying,
)
from bot.conversations.kit.steps import Confirm, DateStep, Option, Pick, PickMany, Text
from bot.deadlines import documents
from bot.deadlines.facts import formation_facts
from bot.deadlines.notify import notify_participants
from bot.deadlines.org_settings import rules_settings
from bot.deadlines.service import Moved, group_of, refresh_deadlines
from bot.messages import Reply
from bot.rules import BilanFacts, deadlines, owed_bilans
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.formations import Formation
from bot.storage.people import Organisation, Person, Role, zone_of

DEFAULT_MINUTES = 120
MIN_MINUTES = 30
MAX_MINUTES = 8 * 60
MAX_PARTNERS = 15
LATE_HOURS = 48
"""Fewer hours than this before a remote Normandie bilan: the documents deadline is at risk."""

MODES = [
    Option("À distance, en visio", "remote"),
    Option("Sur place, dans nos locaux", "onsite"),
]
BILAN_FUNDERS = ("normandie", "cvl")


# --- small building blocks ---------------------------------------------------------


def local(ctx: Context, moment: datetime) -> datetime:
    return moment.astimezone(ctx.tz)


def short_moment(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y} à {dates.spell_time(moment)}"


async def formation_of(ctx: Context) -> Formation | None:
    return await load_formation(ctx, ctx.data.get("formation_id"))


async def bilans_of(ctx: Context, formation_id: int) -> list[Bilan]:
    return list(
        (
            await ctx.session.scalars(
                select(Bilan)
                .where(Bilan.formation_id == formation_id, Bilan.cancelled_at.is_(None))
                .order_by(Bilan.starts_at)
            )
        ).all()
    )


async def view_of(ctx: Context, bilan: Bilan, formation: Formation) -> documents.BilanView:
    owner = await ctx.session.get(Person, formation.owner_id)
    organisation = await ctx.session.get(Organisation, formation.organisation_id)
    await ctx.session.refresh(bilan, ["participants"])
    return documents.BilanView(
        bilan=bilan,
        formation=formation,
        tz=zone_of(organisation),
        trainer=owner.display_name if owner else "",
        organisation=organisation.name if organisation else "",
    )


async def deadlines_of_bilan(ctx: Context, bilan: Bilan) -> list[StoredDeadline]:
    rows = (
        await ctx.session.scalars(
            select(StoredDeadline).where(
                StoredDeadline.formation_id == bilan.formation_id,
                StoredDeadline.subject == "bilan",
                StoredDeadline.subject_id == bilan.id,
            )
        )
    ).all()
    return sorted(rows, key=lambda r: (r.due_on, r.due_at.timestamp() if r.due_at else 0.0))


def deadline_lines(ctx: Context, rows: list[StoredDeadline]) -> list[dict[str, Any]]:
    return [
        {
            "title": r.title,
            "due": documents.due_text(r, ctx.tz),
            "done": r.status == "done",
            "late": r.status != "done" and group_of(r, ctx.now) == "overdue",
        }
        for r in rows
    ]


# --- /bilan: which formation, which bilan --------------------------------------------


async def bilan_formations(ctx: Context) -> list[Formation]:
    return [f for f in await visible_formations(ctx) if f.funder in BILAN_FUNDERS]


async def formation_choices(ctx: Context) -> list[Option]:
    return [Option(f.title, str(f.id)) for f in await bilan_formations(ctx)]


async def bilan_start(ctx: Context) -> Outcome | None:
    if not await bilan_formations(ctx):
        ctx.say("bilan.no_formation")
        return Leave()
    return None


def owed_label(kind: str, scope: str | None) -> str:
    label = documents.kind_label(kind)
    return f"{label} de {scope}" if scope else label


async def describe_owed(ctx: Context, formation: Formation) -> None:
    """What the formation owes, and what is already scheduled, kept in ``ctx.data``."""
    facts = await formation_facts(ctx.session, formation)
    scheduled = await bilans_of(ctx, formation.id)
    taken = {b.owed_key for b in scheduled}
    owed: list[dict[str, Any]] = []
    for o in owed_bilans(facts):
        key = o.kind + o.key_suffix
        scope = o.scope_label if (o.session is not None or o.composante is not None) else None
        owed.append(
            {
                "key": key,
                "kind": o.kind,
                "label": owed_label(o.kind, scope),
                "suggested": o.suggested_on.isoformat(),
                "reason": o.reason,
                "scheduled": key in taken,
                "past": o.end < ctx.now.date(),
            }
        )
    ctx.data["owed"] = owed
    ctx.data["scheduled"] = [
        {
            "id": b.id,
            "kind": documents.kind_label(b.kind),
            "when": short_moment(local(ctx, b.starts_at)),
            "remote": b.remote,
        }
        for b in scheduled
    ]


async def pick_formation(ctx: Context, picked: str) -> Outcome:
    formation = await load_formation(ctx, picked)
    if formation is None or formation.funder not in BILAN_FUNDERS:
        return Retry(ctx.render("bilan.formation_not_found"))
    ctx.data["formation_id"] = formation.id
    ctx.data["title"] = formation.title
    ctx.data["funder"] = formation.funder
    ctx.data["cm_name"] = formation.cm_name
    await describe_owed(ctx, formation)
    return Next()


async def which_choices(ctx: Context) -> list[Option]:
    owed: list[dict[str, Any]] = ctx.data.get("owed") or []
    free = [(i, o) for i, o in enumerate(owed) if not o["scheduled"]]
    proposed = next((i for i, o in free if not o["past"]), free[0][0] if free else None)
    options = [
        Option(f"Programmer le {o['label']}" + (" (proposé)" if i == proposed else ""), f"owed:{i}")
        for i, o in sorted(free, key=lambda p: p[0] != proposed)
    ]
    options += [
        Option(f"Voir le {b['kind']} du {b['when']}", f"bilan:{b['id']}")
        for b in ctx.data.get("scheduled") or []
    ]
    return options


async def pick_which(ctx: Context, picked: str) -> Outcome:
    what, _, index = picked.partition(":")
    if what == "bilan":
        return Switch("bilans", {"bilan_id": int(index)})
    owed: list[dict[str, Any]] = ctx.data.get("owed") or []
    try:
        chosen = owed[int(index)]
    except (ValueError, IndexError):
        return Retry(ctx.render("common.forged_choice"))
    ctx.data["kind"] = chosen["kind"]
    ctx.data["owed_key"] = chosen["key"]
    ctx.data["owed_label"] = chosen["label"]
    formation = await formation_of(ctx)
    if formation is None:
        ctx.say("bilan.formation_not_found")
        return Leave()
    ctx.data["participants"] = [str(t.id) for t in formation.trainees if t.is_delegate]
    ctx.data["has_trainees"] = bool(formation.trainees)
    ctx.data["partners"] = []
    return Next()


# --- when, and the documents deadline ----------------------------------------------


def _remote(ctx: Context) -> bool:
    return ctx.data.get("remote") == "remote"


def _on_site(ctx: Context) -> bool:
    return ctx.data.get("remote") == "onsite"


async def docs_due(
    ctx: Context, formation: Formation, when: datetime, exclude: int | None = None
) -> datetime | None:
    """When NOR-DOCS would fall for a remote bilan at ``when`` (``None`` if it does not apply)."""
    if formation.funder != "normandie":
        return None
    others = [b for b in await bilans_of(ctx, formation.id) if b.id != exclude]
    probe = BilanFacts(
        id=-1,
        kind="etape" if ctx.data.get("kind") == "etape" else "fin",
        remote=True,
        starts_at=when,
        ends_at=when + timedelta(minutes=int(ctx.data.get("duration") or DEFAULT_MINUTES)),
    )
    facts = await formation_facts(ctx.session, formation, bilans=others, extra=[probe])
    organisation = await ctx.session.get(Organisation, formation.organisation_id)
    settings = rules_settings(organisation) if organisation else {}
    for deadline in deadlines(facts, settings, ctx.tz):
        if deadline.key == "NOR-DOCS:bilan:-1":
            return deadline.due_at
    return None


async def late_warning(ctx: Context, when: datetime) -> str | None:
    """The warning owed when fewer than 48 h remain before a remote Normandie bilan."""
    if not _remote(ctx):
        return None
    formation = await formation_of(ctx)
    if formation is None:
        return None
    due = await docs_due(ctx, formation, when, exclude=ctx.data.get("bilan_id"))
    if due is None:
        return None
    if when - ctx.now >= timedelta(hours=LATE_HOURS) and due - ctx.now >= timedelta(hours=24):
        return None
    return ctx.render(
        "bilan.late_warning",
        due=dates.spell_datetime(local(ctx, due)),
        missed=due <= ctx.now,
        cm=formation.cm_name,
    )


async def check_when(ctx: Context, when: datetime) -> str | None:
    if when <= ctx.now:
        return ctx.render("bilan.when_past", example="jeudi 26 novembre à 14 h")
    if when > ctx.now + timedelta(days=2 * 366):
        return ctx.render("bilan.when_too_far")
    formation = await formation_of(ctx)
    if formation is not None and when.date() < formation.start_date:
        return ctx.render("bilan.when_before_start", start=formation.start_date)
    current = ctx.data.get("current_start")
    if current and datetime.fromisoformat(current) == when:
        return ctx.render("bilan.when_unchanged")
    return None


class BilanWhen(DateStep):
    """The bilan's date and time, towards the future; warns at once when it is late."""

    def __init__(self, name: str, *, ask: str) -> None:
        super().__init__(
            name,
            ask=ask,
            prefer="future",
            need_time=True,
            check=check_when,
            help="bilan.help_when",
        )

    async def ask(self, ctx: Context) -> Reply:
        question = await super().ask(ctx)
        pending = ctx.data.get(self._pending_key())
        if pending:
            warning = await late_warning(ctx, datetime.fromisoformat(pending))
            if warning:
                return dataclasses.replace(question, text=f"{question.text}\n\n{warning}")
        return question

    async def take(self, ctx: Context) -> Outcome:
        outcome = await super().take(ctx)
        if isinstance(outcome, Next) and ctx.data.get(self.store):
            warning = await late_warning(ctx, datetime.fromisoformat(ctx.data[self.store]))
            ctx.data["late_warning"] = warning
        return outcome


# --- parsing answers ---------------------------------------------------------------


async def parse_duration(ctx: Context, text: str) -> int | Invalid:
    line = clean_line(text, limit=60)
    if isinstance(line, Invalid):
        return line
    duration = dates.understand_duration(line)
    if duration is None:
        return Invalid(ctx.render("bilan.duration_unclear"))
    minutes = int(duration.total_seconds() // 60)
    if minutes < MIN_MINUTES or minutes > MAX_MINUTES:
        return Invalid(ctx.render("bilan.duration_bounds"))
    return minutes


_URL_HOST = re.compile(r"^[A-Za-z0-9.-]+$")


async def parse_url(ctx: Context, text: str) -> str | Invalid:
    line = clean_line(text, limit=500)
    if isinstance(line, Invalid):
        return line
    invalid = Invalid(ctx.render("bilan.url_invalid"))
    if " " in line:
        return invalid
    try:
        parts = urlsplit(line)
        host = parts.hostname or ""
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        return invalid
    if parts.scheme.lower() not in ("http", "https") or not port_ok:
        return invalid
    if not _URL_HOST.match(host) or ("." not in host and host != "localhost"):
        return invalid
    if host.startswith(".") or host.endswith(".") or ".." in host:
        return invalid
    return line


async def parse_password(ctx: Context, text: str) -> str | Invalid:
    line = clean_line(text, limit=100)
    if isinstance(line, Invalid):
        return line
    if not any(ch.isalnum() for ch in line):
        return Invalid(ctx.render("bilan.password_invalid"))
    return line


async def parse_place(ctx: Context, text: str) -> str | Invalid:
    line = clean_line(text, limit=300)
    if isinstance(line, Invalid):
        return line
    if not any(ch.isalnum() for ch in line):
        return Invalid(ctx.render("bilan.place_invalid"))
    return line


async def parse_structure(ctx: Context, text: str) -> str | Invalid:
    line = clean_line(text, limit=150)
    if isinstance(line, Invalid):
        return line
    if not any(ch.isalnum() for ch in line):
        return Invalid(ctx.render("bilan.structure_invalid"))
    return line


HANDLE = re.compile(r"^@[A-Za-z0-9_.=\-/]{3,64}(:[A-Za-z0-9.\-]{1,190}(:[0-9]{1,5})?)?$")
"""A Telegram ``@pseudo`` or a Matrix/Tchap ``@user:server``."""


async def parse_contact(ctx: Context, text: str) -> str | Invalid:
    value = text.strip()
    if EMAIL.match(value):
        return value.lower()
    if HANDLE.match(value):
        return value
    return Invalid(ctx.render("bilan.contact_invalid"))


# --- participants ------------------------------------------------------------------


def _delegates_only(ctx: Context) -> bool:
    """NOR-DELEGATES: for a remote Normandie bilan, only the delegates take part."""
    return ctx.data.get("funder") == "normandie" and _remote(ctx)


async def trainee_choices(ctx: Context) -> list[Option]:
    formation = await formation_of(ctx)
    if formation is None:
        return []
    restricted = _delegates_only(ctx)
    options = []
    for trainee in sorted(formation.trainees, key=lambda t: (not t.is_delegate, t.full_name)):
        suffix = " (délégué·e)" if trainee.is_delegate else ""
        if restricted and not trainee.is_delegate:
            suffix = " (non délégué·e)"
        options.append(Option(trainee.full_name + suffix, str(trainee.id)))
    return options


class ParticipantsStep(PickMany):
    """The delegates, ticked; another trainee gets the NOR-DELEGATES explanation and a draft."""

    async def take(self, ctx: Context) -> Outcome:
        before = set(ctx.data.get(self.store) or [])
        outcome = await super().take(ctx)
        if not _delegates_only(ctx):
            return outcome
        formation = await formation_of(ctx)
        if formation is None:
            return outcome
        delegates = {str(t.id) for t in formation.trainees if t.is_delegate}
        ticked: list[str] = list(ctx.data.get(self.store) or [])
        refused = [t for t in ticked if t not in delegates and t not in before]
        if not refused:
            return outcome
        ctx.data[self.store] = [t for t in ticked if t not in refused]
        names = [t.full_name for t in formation.trainees if str(t.id) in refused]
        return Retry(
            ctx.render(
                "bilan.only_delegates",
                names=names,
                cm=formation.cm_name,
                title=formation.title,
                when=_when_text(ctx),
            )
        )


def _when_text(ctx: Context) -> str:
    when = ctx.data.get("when")
    return dates.spell_datetime(datetime.fromisoformat(when)) if when else ""


async def partner_choices(ctx: Context) -> list[Option]:
    options = []
    if len(ctx.data.get("partners") or []) < MAX_PARTNERS:
        options.append(Option("Ajouter un partenaire extérieur", "add"))
    options.append(Option("Terminé", "done"))
    return options


async def partners_menu(ctx: Context, picked: str) -> Outcome:
    if picked == "add":
        if len(ctx.data.get("partners") or []) >= MAX_PARTNERS:
            return Retry(ctx.render("bilan.too_many_partners", maximum=MAX_PARTNERS))
        return Next("partner_name")
    return Next("recap")


async def add_partner(ctx: Context, contact: object) -> Outcome:
    partners: list[dict[str, Any]] = list(ctx.data.get("partners") or [])
    partners.append(
        {
            "name": ctx.data.pop("partner_name"),
            "structure": ctx.data.pop("partner_structure", None),
            "contact": ctx.data.pop("partner_contact", None),
        }
    )
    ctx.data["partners"] = partners
    return Next("partners")


# --- visio -------------------------------------------------------------------------


def _visio_not_compliant(ctx: Context) -> bool:
    return _remote(ctx) and not (ctx.data.get("visio_password") and ctx.data.get("visio_speakers"))


async def give_visio_draft(ctx: Context) -> Outcome:
    ctx.say("bilan.visio_draft", cm=ctx.data.get("cm_name"), when=_when_text(ctx))
    return Next()


# --- recap and saving ----------------------------------------------------------------


async def recap_names(ctx: Context) -> list[str]:
    formation = await formation_of(ctx)
    chosen = set(ctx.data.get("participants") or [])
    if formation is None:
        return []
    return [t.full_name for t in formation.trainees if str(t.id) in chosen]


class RecapStep(Confirm):
    async def ask(self, ctx: Context) -> Reply:
        ctx.data["_names"] = await recap_names(ctx)
        return await super().ask(ctx)


confirm_schedule = finish_now


refuse_schedule = leave_saying("bilan.not_saved")


async def save_bilan(ctx: Context) -> None:
    formation = await formation_of(ctx)
    if formation is None:
        ctx.say("bilan.formation_not_found")
        return
    data = ctx.data
    start = datetime.fromisoformat(data["when"])
    minutes = int(data.get("duration") or DEFAULT_MINUTES)
    remote = _remote(ctx)
    bilan = Bilan(
        organisation_id=formation.organisation_id,
        formation_id=formation.id,
        kind="etape" if data.get("kind") == "etape" else "fin",
        owed_key=data.get("owed_key"),
        remote=remote,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        location=None if remote else data.get("location"),
        visio_url=data.get("visio_url") if remote else None,
        visio_password_required=bool(data.get("visio_password")) if remote else None,
        visio_manages_speakers=bool(data.get("visio_speakers")) if remote else None,
        visio_password=data.get("visio_password_text") if remote else None,
        sequence=0,
        created_by=ctx.person_id,
        created_at=ctx.now,
        participants=[],
    )
    chosen = set(data.get("participants") or [])
    for trainee in formation.trainees:
        if str(trainee.id) in chosen:
            bilan.participants.append(
                BilanParticipant(
                    kind="delegate" if trainee.is_delegate else "trainee",
                    trainee_id=trainee.id,
                    name=trainee.full_name,
                )
            )
    for partner in data.get("partners") or []:
        bilan.participants.append(
            BilanParticipant(
                kind="partner",
                name=partner["name"],
                structure=partner.get("structure"),
                contact=partner.get("contact"),
            )
        )
    ctx.session.add(bilan)
    await ctx.session.flush()
    await refresh_deadlines(ctx.session, formation.id)
    rows = await deadlines_of_bilan(ctx, bilan)
    ctx.audit(
        "schedule",
        "bilan",
        bilan.id,
        formation_id=formation.id,
        remote=remote,
        participants=len(bilan.participants),
    )
    view = await view_of(ctx, bilan, formation)
    ctx.say(
        "bilan.scheduled",
        kind=documents.kind_label(bilan.kind),
        when=dates.spell_datetime(view.start),
        until=dates.spell_time(view.end),
        remote=remote,
        deadlines=deadline_lines(ctx, rows),
        title=formation.title,
    )
    send_documents(ctx, view, rows)
    await invite_after_scheduling(ctx, bilan.id)  # attestations: each participant's link


def send_documents(
    ctx: Context, view: documents.BilanView, rows: list[StoredDeadline], *, agenda: bool = True
) -> None:
    ctx.send(
        Reply(
            document=documents.invitation_document(
                view, stamp=ctx.now, caption=ctx.render("bilan.caption_ics")
            )
        )
    )
    if agenda:
        ctx.send(
            Reply(
                document=documents.agenda_document(view, caption=ctx.render("bilan.caption_agenda"))
            )
        )
        ctx.send(
            Reply(
                document=documents.email_document(
                    view, rows, caption=ctx.render("bilan.caption_email", cm=view.formation.cm_name)
                )
            )
        )


SCHEDULE = Flow(
    "bilan",
    command="bilan",
    menu="Programmer un bilan",
    role=Role.FORMATEUR,
    summary="programmer un bilan (à distance ou sur place)",
    start=bilan_start,
    steps=[
        Pick(
            "formation", ask="bilan.ask_formation", options=formation_choices, then=pick_formation
        ),
        Pick("which", ask="bilan.ask_which", options=which_choices, then=pick_which),
        Pick("remote", ask="bilan.ask_remote", options=MODES, help="bilan.help_remote"),
        BilanWhen("when", ask="bilan.ask_when"),
        Text(
            "duration",
            ask="bilan.ask_duration",
            parse=parse_duration,
            skip_label="2 heures",
        ),
        Text(
            "visio_url",
            ask="bilan.ask_visio_url",
            parse=parse_url,
            when=_remote,
            help="bilan.help_visio",
        ),
        Confirm(
            "visio_password",
            ask="bilan.ask_visio_password",
            when=_remote,
            help="bilan.help_visio",
        ),
        Confirm(
            "visio_speakers",
            ask="bilan.ask_visio_speakers",
            when=_remote,
            help="bilan.help_visio",
        ),
        Confirm(
            "visio_draft",
            ask="bilan.ask_visio_draft",
            when=_visio_not_compliant,
            yes=give_visio_draft,
            yes_label="Oui, préparer le message",
            no_label="Non, continuer",
        ),
        Confirm(
            "password_in_invite",
            ask="bilan.ask_password_in_invite",
            when=lambda c: _remote(c) and bool(c.data.get("visio_password")),
            yes_label="Oui, l'ajouter",
            no_label="Non",
        ),
        Text(
            "visio_password_text",
            ask="bilan.ask_password_text",
            parse=parse_password,
            when=lambda c: _remote(c) and bool(c.data.get("password_in_invite")),
        ),
        Text("location", ask="bilan.ask_location", parse=parse_place, when=_on_site),
        ParticipantsStep(
            "participants",
            ask="bilan.ask_participants",
            options=trainee_choices,
            help="bilan.help_participants",
            when=lambda c: bool(c.data.get("has_trainees")),
        ),
        Pick(
            "partners",
            ask="bilan.ask_partners",
            options=partner_choices,
            store="partner_menu",
            then=partners_menu,
            help="bilan.help_partners",
        ),
        Text("partner_name", ask="bilan.ask_partner_name", parse=parse_person),
        Text(
            "partner_structure",
            ask="bilan.ask_partner_structure",
            parse=parse_structure,
            skip_label="Passer",
        ),
        Text(
            "partner_contact",
            ask="bilan.ask_partner_contact",
            parse=parse_contact,
            skip_label="Passer",
            then=add_partner,
        ),
        RecapStep(
            "recap",
            ask="bilan.recap",
            yes=confirm_schedule,
            no=refuse_schedule,
            yes_label="Programmer le bilan",
            no_label="Abandonner",
        ),
    ],
    finish=save_bilan,
)


# --- /bilans: open one, move it, cancel it -------------------------------------------


async def visible_bilans(ctx: Context) -> list[tuple[Bilan, Formation]]:
    formations = {f.id: f for f in await visible_formations(ctx)}
    if not formations:
        return []
    rows = (
        await ctx.session.scalars(
            select(Bilan).where(
                Bilan.formation_id.in_(list(formations)), Bilan.cancelled_at.is_(None)
            )
        )
    ).all()
    upcoming = sorted((b for b in rows if b.ends_at >= ctx.now), key=lambda b: b.starts_at)
    past = sorted((b for b in rows if b.ends_at < ctx.now), key=lambda b: b.starts_at, reverse=True)
    return [(b, formations[b.formation_id]) for b in [*upcoming, *past]]


async def load_bilan(ctx: Context, bilan_id: object) -> tuple[Bilan, Formation] | None:
    """The bilan if this person may see it (and it is not cancelled)."""
    try:
        wanted = int(str(bilan_id))
    except ValueError:
        return None
    bilan = await ctx.session.get(Bilan, wanted)
    if bilan is None or bilan.cancelled_at is not None:
        return None
    formation = await load_formation(ctx, bilan.formation_id)
    if formation is None:
        return None
    return bilan, formation


async def bilan_choices(ctx: Context) -> list[Option]:
    return [
        Option(
            f"{short_moment(local(ctx, b.starts_at))} – {documents.kind_label(b.kind)} – {f.title}"[
                :90
            ],
            str(b.id),
        )
        for b, f in await visible_bilans(ctx)
    ]


async def bilans_start(ctx: Context) -> Outcome | None:
    if "bilan_id" in ctx.data:
        if await load_bilan(ctx, ctx.data["bilan_id"]) is None:
            ctx.say("bilan.bilan_not_found")
            return Leave()
        await describe_bilan(ctx)
        return Next("action")
    if not await visible_bilans(ctx):
        ctx.say("bilan.no_bilan")
        return Leave()
    return None


async def describe_bilan(ctx: Context) -> None:
    found = await load_bilan(ctx, ctx.data.get("bilan_id"))
    if found is None:
        return
    bilan, formation = found
    view = await view_of(ctx, bilan, formation)
    rows = await deadlines_of_bilan(ctx, bilan)
    ctx.data["detail"] = {
        "title": formation.title,
        "kind": documents.kind_label(bilan.kind),
        "when": dates.spell_datetime(view.start),
        "until": dates.spell_time(view.end),
        "remote": bilan.remote,
        "url": bilan.visio_url,
        "location": bilan.location,
        "participants": [
            p.name + (f" ({p.structure})" if p.structure else "") for p in bilan.participants
        ],
        "deadlines": deadline_lines(ctx, rows),
    }


async def open_bilan(ctx: Context, picked: str) -> Outcome:
    if await load_bilan(ctx, picked) is None:
        return Retry(ctx.render("bilan.bilan_not_found"))
    ctx.data["bilan_id"] = int(picked)
    await describe_bilan(ctx)
    return Next("action")


BILAN_ACTIONS = [
    Option("Déplacer", "move"),
    Option("Annuler le bilan", "cancel"),
    Option("Renvoyer l'invitation et les documents", "documents"),
    Option("Terminé", "done"),
]


async def act_on_bilan(ctx: Context, picked: str) -> Outcome:
    found = await load_bilan(ctx, ctx.data.get("bilan_id"))
    if found is None:
        ctx.say("bilan.bilan_not_found")
        return Leave()
    bilan, formation = found
    if picked == "move":
        return Switch("bilan_move", {"bilan_id": bilan.id})
    if picked == "cancel":
        return Next("confirm_cancel")
    if picked == "documents":
        view = await view_of(ctx, bilan, formation)
        send_documents(ctx, view, await deadlines_of_bilan(ctx, bilan))
        return Leave()
    ctx.say("bilan.edit_done")
    return Leave()


async def unreachable(ctx: Context, bilan: Bilan) -> list[str]:
    """Participants the bot cannot write to: the trainer forwards the news to them."""
    return [
        p.name for p in bilan.participants if await ctx.features.chat_of(ctx.session, p) is None
    ]


async def do_cancel(ctx: Context) -> Outcome:
    found = await load_bilan(ctx, ctx.data.get("bilan_id"))
    if found is None:
        ctx.say("bilan.bilan_not_found")
        return Leave()
    bilan, formation = found
    view = await view_of(ctx, bilan, formation)
    when = dates.spell_datetime(view.start)
    bilan.cancelled_at = ctx.now
    bilan.cancelled_by = ctx.person_id
    bilan.sequence += 1
    bilan.updated_at = ctx.now
    await ctx.session.flush()
    refreshed = await refresh_deadlines(ctx.session, formation.id)
    kept = [r.title for r in await deadlines_of_bilan(ctx, bilan) if r.status == "done"]
    ctx.audit("cancel", "bilan", bilan.id, formation_id=formation.id)
    reached = await notify_participants(
        ctx.session,
        bilan,
        chat_of=ctx.features.chat_of,
        event="cancelled",
        text=ctx.render(
            "bilan.notice_cancelled",
            kind=documents.kind_label(bilan.kind),
            when=when,
            title=formation.title,
        ),
    )
    ctx.say(
        "bilan.cancelled",
        kind=documents.kind_label(bilan.kind),
        when=when,
        removed=refreshed.removed,
        kept=kept,
        reached=reached,
        unreachable=await unreachable(ctx, bilan),
    )
    ctx.send(
        Reply(
            document=documents.invitation_document(
                view, stamp=ctx.now, caption=ctx.render("bilan.caption_cancel")
            )
        )
    )
    return Leave()


keep_bilan = leave_saying("bilan.nothing_changed")


LIST = Flow(
    "bilans",
    command="bilans",
    role=Role.FORMATEUR,
    summary="voir, déplacer ou annuler un bilan programmé",
    start=bilans_start,
    steps=[
        Pick("bilan", ask="bilan.ask_bilan", options=bilan_choices, then=open_bilan),
        Pick("action", ask="bilan.ask_action", options=BILAN_ACTIONS, then=act_on_bilan),
        Confirm(
            "confirm_cancel",
            ask="bilan.confirm_cancel",
            yes=do_cancel,
            no=keep_bilan,
            yes_label="Oui, annuler le bilan",
            no_label="Non, le garder",
        ),
    ],
)


async def move_start(ctx: Context) -> Outcome | None:
    found = await load_bilan(ctx, ctx.data.get("bilan_id"))
    if found is None:
        ctx.say("bilan.bilan_not_found")
        return Leave()
    bilan, formation = found
    ctx.data.update(
        formation_id=formation.id,
        title=formation.title,
        funder=formation.funder,
        cm_name=formation.cm_name,
        kind=bilan.kind,
        remote="remote" if bilan.remote else "onsite",
        duration=int((bilan.ends_at - bilan.starts_at).total_seconds() // 60),
        current_start=local(ctx, bilan.starts_at).isoformat(),
        current=dates.spell_datetime(local(ctx, bilan.starts_at)),
    )
    return None


confirm_move = finish_now


async def move_bilan(ctx: Context) -> None:
    found = await load_bilan(ctx, ctx.data.get("bilan_id"))
    if found is None:
        ctx.say("bilan.bilan_not_found")
        return
    bilan, formation = found
    old = dates.spell_datetime(local(ctx, bilan.starts_at))
    length = bilan.ends_at - bilan.starts_at
    start = datetime.fromisoformat(ctx.data["when"])
    bilan.starts_at = start
    bilan.ends_at = start + length
    bilan.sequence += 1
    bilan.updated_at = ctx.now
    await ctx.session.flush()
    refreshed = await refresh_deadlines(ctx.session, formation.id)
    moved = {
        m.row.id: m
        for m in refreshed.moved
        if m.row.subject == "bilan" and m.row.subject_id == bilan.id
    }
    rows = await deadlines_of_bilan(ctx, bilan)
    changes = [
        {
            "title": r.title,
            "old": old_due(moved[r.id], ctx),
            "new": documents.due_text(r, ctx.tz),
            "done": r.status == "done",
        }
        for r in rows
        if r.id in moved
    ]
    ctx.audit("move", "bilan", bilan.id, formation_id=formation.id, sequence=bilan.sequence)
    view = await view_of(ctx, bilan, formation)
    new = dates.spell_datetime(view.start)
    reached = await notify_participants(
        ctx.session,
        bilan,
        chat_of=ctx.features.chat_of,
        event="moved",
        text=ctx.render(
            "bilan.notice_moved",
            kind=documents.kind_label(bilan.kind),
            old=old,
            new=new,
            title=formation.title,
        ),
    )
    ctx.say(
        "bilan.moved",
        kind=documents.kind_label(bilan.kind),
        old=old,
        new=new,
        until=dates.spell_time(view.end),
        changes=changes,
        reached=reached,
        unreachable=await unreachable(ctx, bilan),
        warning=ctx.data.get("late_warning"),
    )
    send_documents(ctx, view, rows)


def old_due(moved: Moved, ctx: Context) -> str:
    if moved.old_due_at is not None:
        return dates.spell_datetime(moved.old_due_at.astimezone(ctx.tz))
    return dates.spell_date(moved.old_due_on)


MOVE = Flow(
    "bilan_move",
    role=Role.FORMATEUR,
    summary="déplacer un bilan",
    start=move_start,
    steps=[
        BilanWhen("when", ask="bilan.ask_new_when"),
        Confirm(
            "confirm_move",
            ask="bilan.confirm_move",
            yes=confirm_move,
            no=keep_bilan,
            yes_label="Oui, déplacer",
            no_label="Non, ne rien changer",
        ),
    ],
    finish=move_bilan,
)

FLOWS = [SCHEDULE, LIST, MOVE]
