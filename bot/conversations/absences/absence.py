"""Logging an absence (``/absence``), and correcting or deleting one (``/absences``).

    You  /absence Dupont hier matin
    Bot  J'ai compris : dimanche 22 novembre 2026. C'est bien ça ?
    You  oui
    Bot  L'absence est-elle justifiée ?
    …
    Bot  C'est enregistré. C'est la 2e absence non justifiée de Léa Martin en
         14 jours : un signe de décrochage possible. Ouvrir un suivi ?

Everything typed after ``/absence`` is read at once (trainee, date, period,
"justifiée"); only what is missing is asked.  The date leans towards the
past and is always shown back in full.  A date in the future is refused; a
date outside the formation (or the trainee's entry and exit) can be kept
after confirmation; the same half-day logged twice cannot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from bot import dates
from bot.absences.detection import Mark, Signal, repeated_absence
from bot.absences.followups import open_followup_of
from bot.answers import Invalid, clean_line
from bot.conversations.absences.steps import (
    CheckedDateStep,
    FileStep,
    current_formation,
    current_trainee,
    keep_file,
    match_names,
    parse_note,
    single_formation,
    who_steps,
)
from bot.conversations.formations.choose import formation_options, load_formation
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
    stored_date,
)
from bot.conversations.kit.steps import Confirm, Option, Pick, Text
from bot.storage.absences import Absence
from bot.storage.formations import Formation
from bot.storage.people import Organisation, Person, Role

PERIODS = [
    Option("Le matin", "matin"),
    Option("L'après-midi", "apres_midi"),
    Option("Toute la journée", "journee"),
    Option("Un retard", "retard"),
]
PERIOD_LABELS = {
    "matin": "matin",
    "apres_midi": "après-midi",
    "journee": "journée",
    "retard": "retard",
}
HALF_DAYS = {"matin": {"m"}, "apres_midi": {"a"}, "journee": {"m", "a"}, "retard": set()}

MAX_LATE_MINUTES = 8 * 60


def period_label(period: str, late_minutes: int | None) -> str:
    if period == "retard" and late_minutes:
        return f"retard de {late_minutes} min"
    return PERIOD_LABELS.get(period, period)


# --- the one-line form: /absence Dupont hier matin -------------------------------------


def _soft_fold(text: str) -> str:
    """Lower case, no accents, punctuation kept ("3/12" stays a date)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


_REWRITES = [
    (re.compile(r"\bce\s+matin\b"), "aujourdhui matin"),
    (re.compile(r"\bcet(?:te)?\s+apres\s*-?\s*midi\b"), "aujourdhui apres-midi"),
]
_LATE = [
    re.compile(r"\b(\d{1,3})\s*(?:minutes?|min|mn)\s+de\s+retard\b"),
    re.compile(r"\bretard(?:\s+de)?(?:\s+(\d{1,3})\s*(?:minutes?|min|mn)?)?(?=\s|$|[.,;!])"),
]
_PERIOD_WORDS = [
    (re.compile(r"\b(?:toute\s+la\s+)?journee(?:\s+entiere)?\b"), "journee"),
    (re.compile(r"\bapres\s*-?\s*midi\b|\baprem\b"), "apres_midi"),
    (re.compile(r"\bmatin(?:ee)?\b"), "matin"),
]
_JUSTIFIED = [
    (re.compile(r"\b(?:non\s+justifiee?|injustifiee?|pas\s+justifiee?)\b"), False),
    (re.compile(r"\bjustifiee?\b"), True),
]


@dataclass
class Line:
    """What one line of text says about an absence."""

    matches: list[tuple[int, int]] = field(default_factory=list)
    """(formation id, trainee id) of the trainees the name fits."""
    name_text: str = ""
    when: datetime | None = None
    date_text: str = ""
    period: str | None = None
    late_minutes: int | None = None
    justified: bool | None = None


def understand_line(text: str, now: datetime, people: list[tuple[str, tuple[int, int]]]) -> Line:
    """Trainee, date, period and justification read from free text, each if present."""
    line = Line()
    folded = " ".join(_soft_fold(text).split())
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    for pattern in _LATE:
        match = pattern.search(folded)
        if match:
            line.period = "retard"
            if match.group(1):
                line.late_minutes = int(match.group(1))
            folded = folded[: match.start()] + " " + folded[match.end() :]
            break
    for pattern, period in _PERIOD_WORDS:
        match = pattern.search(folded)
        if match:
            if line.period is None:
                line.period = period
            folded = folded[: match.start()] + " " + folded[match.end() :]
    for pattern, justified in _JUSTIFIED:
        match = pattern.search(folded)
        if match:
            line.justified = justified
            folded = folded[: match.start()] + " " + folded[match.end() :]
            break
    tokens = folded.split()
    if not tokens:
        return line

    def date_of(words: list[str]) -> datetime | None:
        if not words:
            return None
        understood = dates.understand(" ".join(words), now, "past")
        return understood.when if understood else None

    best: tuple[list[tuple[int, int]], list[str], list[str]] | None = None
    for size in range(len(tokens), 0, -1):
        for name, rest in ((tokens[:size], tokens[size:]), (tokens[-size:], tokens[:-size])):
            if any(ch.isdigit() for word in name for ch in word):
                continue
            found = match_names(" ".join(name), people)
            if not found:
                continue
            if not rest or date_of(rest) is not None:
                line.matches, line.name_text = found, " ".join(name)
                line.when = date_of(rest)
                return line
            if best is None:
                best = (found, name, rest)
    whole = date_of(tokens)
    if whole is not None:
        line.when = whole
        return line
    if best is not None:
        line.matches, line.name_text = best[0], " ".join(best[1])
        line.date_text = " ".join(best[2])
        return line
    line.name_text = " ".join(tokens)
    return line


# --- checks: future, outside the formation, already logged ---------------------------------


async def check_not_future(ctx: Context, when: datetime) -> str | None:
    if when.date() > ctx.now.date():
        return ctx.render("absence.future", day=when.date())
    return None


def _overlap(first: str, second: str) -> bool:
    if first == "retard" and second == "retard":
        return False
    if "retard" in (first, second):
        # Late on a day the trainee is noted absent all day: a contradiction.
        return "journee" in (first, second)
    return bool(HALF_DAYS[first] & HALF_DAYS[second])


async def same_day(ctx: Context, trainee_id: int, day: date) -> list[Absence]:
    rows = await ctx.session.scalars(
        select(Absence).where(
            Absence.trainee_id == trainee_id,
            Absence.day == day,
            Absence.deleted_at.is_(None),
        )
    )
    exclude = ctx.data.get("absence_id")
    return [a for a in rows if a.id != exclude]


async def person_name(ctx: Context, person_id: int | None) -> str:
    person = await ctx.session.get(Person, person_id) if person_id else None
    return person.display_name if person else "?"


async def assess(ctx: Context) -> Outcome | None:
    """Flags the problems the answers so far have: outside the dates, already logged."""
    ctx.data.pop("_outside", None)
    ctx.data.pop("_conflict", None)
    if "date" not in ctx.data:
        return None
    formation = await current_formation(ctx)
    trainee = await current_trainee(ctx)
    if formation is None or trainee is None:
        return None
    day = stored_date(ctx, "date")
    start = max(formation.start_date, trainee.entered_on or formation.start_date)
    end = min(formation.effective_end, trainee.left_on or formation.effective_end)
    if (day < start or day > end) and ctx.data.get("_outside_ok") != day.isoformat():
        ctx.data["_outside"] = {"start": start.isoformat(), "end": end.isoformat()}
    period = ctx.data.get("period")
    if period is None:
        return None
    accepted = f"{day.isoformat()}|{period}"
    for other in await same_day(ctx, trainee.id, day):
        if _overlap(period, other.period):
            kind = "duplicate"
        elif period == "retard" == other.period and ctx.data.get("_conflict_ok") != accepted:
            kind = "late_twice"
        else:
            continue
        ctx.data["_conflict"] = {
            "kind": kind,
            "period": period_label(other.period, other.late_minutes),
            "by": await person_name(ctx, other.recorded_by),
        }
        if kind == "duplicate":
            break
    return None


# --- steps' handlers --------------------------------------------------------------------


async def absence_start(ctx: Context) -> Outcome | None:
    formations = await single_formation(ctx)
    if not formations:
        ctx.say("absence.no_formation")
        return Leave()
    argument = ctx.incoming.argument if ctx.incoming.command == "absence" else ""
    if argument:
        await prefill(ctx, argument, formations)
    return None


async def prefill(ctx: Context, text: str, formations: list[Formation]) -> None:
    """The one-line form: keep what the line says, ask for the rest."""
    if "formation_id" in ctx.data:
        formations = [f for f in formations if f.id == ctx.data["formation_id"]]
    people = [(t.full_name, (f.id, t.id)) for f in formations for t in f.trainees]
    line = understand_line(text[:300], ctx.now, people)
    if line.period is not None:
        ctx.data["period"] = line.period
        if line.period == "retard" and line.late_minutes and line.late_minutes <= MAX_LATE_MINUTES:
            ctx.data["late_minutes"] = line.late_minutes
    if line.justified is not None:
        ctx.data["justified"] = line.justified
    if len(line.matches) == 1:
        ctx.data["formation_id"], ctx.data["trainee_id"] = line.matches[0]
        ctx.data["name"] = next(name for name, key in people if key == line.matches[0])
    elif line.matches:
        in_formations = {f for f, _ in line.matches}
        if len(in_formations) == 1:
            ctx.data["formation_id"] = in_formations.pop()
        names = sorted({name for name, key in people if key in line.matches})
        ctx.say("absence.quick_ambiguous", typed=line.name_text[:40], names=names)
    elif line.name_text:
        ctx.say("absence.quick_unknown", typed=line.name_text[:40])
    if line.when is not None:
        if line.when.date() > ctx.now.date():
            ctx.say("absence.quick_future", day=line.when.date())
        else:
            ctx.data["_pending_date"] = line.when.isoformat()
    elif line.date_text:
        ctx.say("absence.quick_unknown_date", typed=line.date_text[:40])


async def after_trainee(ctx: Context, picked: str) -> Outcome:
    trainee = await current_trainee(ctx)
    if trainee is None:
        return Retry(ctx.render("formation.trainee_not_found"))
    ctx.data["name"] = trainee.full_name
    await assess(ctx)
    return Next()


async def after_period(ctx: Context, picked: str) -> Outcome:
    if picked != "retard":
        ctx.data.pop("late_minutes", None)
    await assess(ctx)
    return Next()


async def parse_minutes(ctx: Context, text: str) -> int | Invalid:
    line = clean_line(text, limit=40)
    if isinstance(line, Invalid):
        return Invalid(ctx.render("absence.minutes_unclear"))
    digits = re.fullmatch(r"(\d{1,3})\s*(?:minutes?|min|mn|m)?", line.lower())
    minutes: int | None = int(digits.group(1)) if digits else None
    if minutes is None:
        duration = dates.understand_duration(line)
        minutes = int(duration.total_seconds() // 60) if duration else None
    if minutes is None:
        return Invalid(ctx.render("absence.minutes_unclear"))
    if not 1 <= minutes <= MAX_LATE_MINUTES:
        return Invalid(ctx.render("absence.minutes_range", limit=MAX_LATE_MINUTES))
    return minutes


async def outside_yes(ctx: Context) -> Outcome:
    ctx.data["_outside_ok"] = stored_date(ctx, "date").isoformat()
    ctx.data.pop("_outside", None)
    return Next()


async def outside_no(ctx: Context) -> Outcome:
    for key in ("date", "_outside", "_pending_date"):
        ctx.data.pop(key, None)
    return Next("date")


async def conflict_options(ctx: Context) -> list[Option]:
    conflict = ctx.data.get("_conflict") or {}
    options = [
        Option("Changer la date", "date"),
        Option("Changer la période", "period"),
        Option("Abandonner", "abandon"),
    ]
    if conflict.get("kind") == "late_twice":
        options.insert(0, Option("Enregistrer quand même", "anyway"))
    return options


async def resolve_conflict(ctx: Context, picked: str) -> Outcome:
    if picked == "date":
        for key in ("date", "_pending_date", "_conflict", "_outside_ok"):
            ctx.data.pop(key, None)
        return Next("date")
    if picked == "period":
        for key in ("period", "late_minutes", "_conflict"):
            ctx.data.pop(key, None)
        return Next("period")
    if picked == "anyway":
        ctx.data["_conflict_ok"] = f"{stored_date(ctx, 'date').isoformat()}|{ctx.data['period']}"
        ctx.data.pop("_conflict", None)
        return Next()
    ctx.say("absence.abandoned")
    return Leave()


async def organisation(ctx: Context) -> Organisation | None:
    return await ctx.session.get(Organisation, ctx.organisation_id)


async def detect(ctx: Context, absence: Absence) -> Signal | None:
    rows = await ctx.session.scalars(
        select(Absence).where(
            Absence.trainee_id == absence.trainee_id, Absence.deleted_at.is_(None)
        )
    )
    marks = [Mark(a.id, a.day, a.period, a.justified) for a in rows]
    org = await organisation(ctx)
    return repeated_absence(
        marks,
        Mark(absence.id, absence.day, absence.period, absence.justified),
        org.settings if org else {},
    )


async def save_absence(ctx: Context) -> Outcome:
    await assess(ctx)
    if ctx.data.get("_outside"):
        return Next("outside")
    if ctx.data.get("_conflict"):
        return Next("conflict")
    formation = await current_formation(ctx)
    trainee = await current_trainee(ctx)
    if formation is None or trainee is None:
        ctx.say("formation.trainee_not_found")
        return Leave()
    justified = bool(ctx.data.get("justified"))
    absence = Absence(
        organisation_id=formation.organisation_id,
        formation_id=formation.id,
        trainee_id=trainee.id,
        day=stored_date(ctx, "date"),
        period=ctx.data["period"],
        late_minutes=ctx.data.get("late_minutes") if ctx.data["period"] == "retard" else None,
        justified=justified,
        reason=ctx.data.get("reason"),
        recorded_by=ctx.person_id,
        recorded_at=ctx.now,
    )
    document = (
        await keep_file(
            ctx, "proof", organisation_id=formation.organisation_id, kind="justificatif"
        )
        if justified
        else None
    )
    if document is not None:
        absence.proof_id = document.id
    ctx.session.add(absence)
    await ctx.session.flush()
    ctx.audit(
        "create",
        "absence",
        absence.id,
        formation_id=formation.id,
        trainee_id=trainee.id,
        proof=absence.proof_id is not None,
    )
    ctx.say("absence.saved", a=absence, name=trainee.full_name, label=period_label)
    signal = await detect(ctx, absence)
    if signal is None:
        return Leave()
    ctx.audit(
        "repeated_absence",
        "trainee",
        trainee.id,
        absence_id=absence.id,
        unjustified=signal.unjustified,
        half_days=signal.half_days,
    )
    already = await open_followup_of(ctx.session, trainee.id)
    if already is not None:
        ctx.say("absence.signal_already_followed", s=signal, name=trainee.full_name)
        return Leave()
    ctx.data["_signal"] = {
        "unjustified": signal.unjustified,
        "half_days": signal.half_days,
        "start": signal.start.isoformat(),
        "end": signal.end.isoformat(),
        "window": signal.window_days,
        "by_unjustified": signal.by_unjustified,
        "by_half_days": signal.by_half_days,
        "name": trainee.full_name,
    }
    ctx.data["saved_absence_id"] = absence.id
    return Next("offer")


async def recap_values(ctx: Context) -> dict[str, object]:
    formation = await current_formation(ctx)
    return {
        "title": formation.title if formation else "",
        "day": stored_date(ctx, "date"),
        "label": period_label(ctx.data["period"], ctx.data.get("late_minutes")),
        "proof": (ctx.data.get("proof") or {}).get("filename"),
    }


abandon = leave_saying("absence.abandoned")


async def open_decrochage(ctx: Context) -> Outcome:
    return Switch(
        "decrochage",
        {
            "formation_id": ctx.data["formation_id"],
            "trainee_id": ctx.data["trainee_id"],
            "signs": ["absences_repetees"],
            "absence_id": ctx.data.get("saved_absence_id"),
        },
    )


async def decline_decrochage(ctx: Context) -> Outcome:
    ctx.audit("decline_followup", "trainee", int(ctx.data["trainee_id"]))
    ctx.say("absence.offer_declined")
    return Leave()


# --- the steps both flows share -----------------------------------------------------------


def detail_steps() -> list[Step]:
    """From the date to the proof: the same questions for a new absence and a correction."""
    return [
        CheckedDateStep(
            "date",
            ask="absence.ask_date",
            prefer="past",
            check=check_not_future,
            after=assess,
            when=lambda c: "date" not in c.data,
            help="absence.help_date",
            example="hier, lundi, le 20 novembre",
        ),
        Confirm(
            "outside",
            ask="absence.ask_outside",
            yes=outside_yes,
            no=outside_no,
            yes_label="Enregistrer quand même",
            no_label="Corriger la date",
            when=lambda c: bool(c.data.get("_outside")),
        ),
        Pick(
            "period",
            ask="absence.ask_period",
            options=PERIODS,
            then=after_period,
            when=lambda c: "period" not in c.data,
            columns=2,
        ),
        Text(
            "late_minutes",
            ask="absence.ask_minutes",
            parse=parse_minutes,
            when=lambda c: c.data.get("period") == "retard" and "late_minutes" not in c.data,
        ),
        Pick(
            "conflict",
            ask="absence.ask_conflict",
            options=conflict_options,
            then=resolve_conflict,
            when=lambda c: bool(c.data.get("_conflict")),
        ),
        Confirm(
            "justified",
            ask="absence.ask_justified",
            when=lambda c: "justified" not in c.data,
            help="absence.help_justified",
        ),
        Text(
            "reason",
            ask="absence.ask_reason",
            parse=parse_note(300),
            when=lambda c: c.data.get("justified") is True and "reason" not in c.data,
            help="absence.help_reason",
        ),
        Text(
            "reason_optional",
            ask="absence.ask_reason_optional",
            parse=parse_note(300),
            store="reason",
            skip_label="Passer",
            when=lambda c: c.data.get("justified") is False and "reason" not in c.data,
            help="absence.help_reason",
        ),
        FileStep(
            "proof",
            ask="absence.ask_proof",
            skip_label="Pas de justificatif",
            when=lambda c: c.data.get("justified") is True and "proof" not in c.data,
        ),
    ]


NEW = Flow(
    "absence",
    command="absence",
    menu="Noter une absence",
    role=Role.FORMATEUR,
    summary="noter une absence ou un retard (ex. : /absence Dupont hier matin)",
    start=absence_start,
    steps=[
        *who_steps("absence", after_trainee),
        *detail_steps(),
        Confirm(
            "recap",
            ask="absence.recap",
            values=recap_values,
            yes=save_absence,
            no=abandon,
            yes_label="Enregistrer",
            no_label="Abandonner",
        ),
        Confirm(
            "offer",
            ask="absence.offer",
            yes=open_decrochage,
            no=decline_decrochage,
            yes_label="Ouvrir un suivi",
            no_label="Pas maintenant",
            when=lambda c: "_signal" in c.data,
            help="absence.help_offer",
        ),
    ],
)


# --- /absences: correct or delete ----------------------------------------------------------


ACTIONS = [
    Option("Corriger la date", "date"),
    Option("Corriger la période", "period"),
    Option("Justifiée ou non, motif", "justification"),
    Option("Supprimer", "delete"),
    Option("Rien, c'est juste", "nothing"),
]


async def editable_absences(ctx: Context) -> list[Absence]:
    query = (
        select(Absence)
        .where(
            Absence.formation_id == ctx.data.get("formation_id"),
            Absence.organisation_id == ctx.organisation_id,
            Absence.deleted_at.is_(None),
        )
        .order_by(Absence.day.desc(), Absence.id.desc())
        .limit(60)
    )
    if not (ctx.actor and ctx.actor.is_admin):
        query = query.where(Absence.recorded_by == ctx.person_id)
    return list((await ctx.session.scalars(query)).all())


async def absence_options(ctx: Context) -> list[Option]:
    formation = await current_formation(ctx)
    if formation is None:
        return []
    names = {t.id: t.full_name for t in formation.trainees}
    return [
        Option(
            f"{a.day:%d/%m} {period_label(a.period, a.late_minutes)} – {names.get(a.trainee_id, '?')}",
            str(a.id),
        )
        for a in await editable_absences(ctx)
    ]


async def edit_start(ctx: Context) -> Outcome | None:
    if not await single_formation(ctx):
        ctx.say("absence.no_formation")
        return Leave()
    if "formation_id" in ctx.data and not await editable_absences(ctx):
        ctx.say("absence.none_to_edit")
        return Leave()
    return None


async def choose_formation_to_edit(ctx: Context, picked: str) -> Outcome:
    formation = await load_formation(ctx, picked)
    if formation is None:
        return Retry(ctx.render("formation.not_found"))
    ctx.data["formation_id"] = formation.id
    if not await editable_absences(ctx):
        ctx.say("absence.none_to_edit")
        return Leave()
    return Next()


async def load_absence(ctx: Context, absence_id: object) -> Absence | None:
    try:
        wanted = int(str(absence_id))
    except ValueError:
        return None
    return next((a for a in await editable_absences(ctx) if a.id == wanted), None)


async def choose_absence(ctx: Context, picked: str) -> Outcome:
    absence = await load_absence(ctx, picked)
    if absence is None:
        return Retry(ctx.render("absence.not_found"))
    formation = await current_formation(ctx)
    trainee = next(
        (t for t in (formation.trainees if formation else []) if t.id == absence.trainee_id), None
    )
    ctx.data.update(
        name=trainee.full_name if trainee else "",
        absence_id=absence.id,
        trainee_id=absence.trainee_id,
        date=datetime.combine(absence.day, datetime.min.time(), ctx.tz).isoformat(),
        period=absence.period,
        late_minutes=absence.late_minutes,
        justified=absence.justified,
        reason=absence.reason,
        proof=None,
        _outside_ok=absence.day.isoformat(),
    )
    return Next()


async def choose_action(ctx: Context, picked: str) -> Outcome:
    if picked == "nothing":
        ctx.say("absence.nothing_changed")
        return Leave()
    if picked == "delete":
        return Next("confirm_delete")
    drop = {
        "date": ("date", "_outside_ok", "_conflict_ok"),
        "period": ("period", "late_minutes", "_conflict_ok"),
        "justification": ("justified", "reason", "proof"),
    }[picked]
    for key in drop:
        ctx.data.pop(key, None)
    return Next()


async def save_edit(ctx: Context) -> Outcome:
    await assess(ctx)
    if ctx.data.get("_outside"):
        return Next("outside")
    if ctx.data.get("_conflict"):
        return Next("conflict")
    absence = await load_absence(ctx, ctx.data.get("absence_id"))
    if absence is None:
        ctx.say("absence.not_found")
        return Leave()
    previous = {
        "day": absence.day.isoformat(),
        "period": absence.period,
        "justified": absence.justified,
    }
    new_values = {
        "day": stored_date(ctx, "date"),
        "period": ctx.data["period"],
        "late_minutes": ctx.data.get("late_minutes") if ctx.data["period"] == "retard" else None,
        "justified": bool(ctx.data.get("justified")),
        "reason": ctx.data.get("reason"),
    }
    changed = [k for k, v in new_values.items() if getattr(absence, k) != v]
    for key, value in new_values.items():
        setattr(absence, key, value)
    document = (
        await keep_file(ctx, "proof", organisation_id=absence.organisation_id, kind="justificatif")
        if absence.justified
        else None
    )
    if document is not None:
        absence.proof_id = document.id
        changed.append("proof")
    absence.updated_by, absence.updated_at = ctx.person_id, ctx.now
    ctx.audit("update", "absence", absence.id, fields=changed, previous=previous)
    trainee = await current_trainee(ctx)
    ctx.say(
        "absence.updated",
        a=absence,
        name=trainee.full_name if trainee else "",
        label=period_label,
    )
    return Leave()


async def delete_absence(ctx: Context) -> Outcome:
    absence = await load_absence(ctx, ctx.data.get("absence_id"))
    if absence is None:
        ctx.say("absence.not_found")
        return Leave()
    absence.deleted_by, absence.deleted_at = ctx.person_id, ctx.now
    ctx.audit(
        "delete",
        "absence",
        absence.id,
        day=absence.day.isoformat(),
        period=absence.period,
        justified=absence.justified,
    )
    ctx.say("absence.deleted")
    return Leave()


keep_absence = leave_saying("absence.nothing_changed")


EDIT = Flow(
    "absences",
    command="absences",
    role=Role.FORMATEUR,
    summary="corriger ou supprimer une absence que j'ai notée",
    start=edit_start,
    steps=[
        Pick(
            "formation",
            ask="absence.ask_formation",
            options=formation_options,
            then=choose_formation_to_edit,
            when=lambda c: "formation_id" not in c.data,
        ),
        Pick(
            "absence", ask="absence.ask_which_absence", options=absence_options, then=choose_absence
        ),
        Pick("action", ask="absence.ask_edit_action", options=ACTIONS, then=choose_action),
        Confirm(
            "confirm_delete",
            ask="absence.confirm_delete",
            yes=delete_absence,
            no=keep_absence,
            yes_label="Oui, supprimer",
            no_label="Non, garder",
            when=lambda c: c.data.get("action") == "delete",
        ),
        *detail_steps(),
        Confirm(
            "recap",
            ask="absence.recap_edit",
            values=recap_values,
            yes=save_edit,
            no=keep_absence,
            yes_label="Enregistrer la correction",
            no_label="Abandonner",
        ),
    ],
)

FLOWS = [NEW, EDIT]
