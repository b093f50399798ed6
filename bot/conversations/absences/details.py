"""What an absence was: the questions ``/absence`` and ``/absences`` share, and their checks.

    Bot  Quel jour Léa Martin était-elle absente ou en retard ?
    You  vendredi dernier
    Bot  J'ai compris : vendredi 20 novembre 2026. C'est bien ça ?
    You  oui
    Bot  Quand, ce vendredi 20 novembre 2026 ?      [Le matin] [L'après-midi] …
    You  Un retard
    Bot  De combien de minutes, ce retard ?
    You  20
    Bot  Ce retard est-il justifié ?
    You  Oui
    Bot  Quel motif ?
    You  bus en panne
    Bot  Avez-vous un justificatif (photo ou fichier PDF) ?   [Pas de justificatif]

A date in the future is refused; a Saturday or a Sunday is questioned once
("Le 6 décembre est un dimanche : je l'enregistre quand même ?"); a date outside the trainee's time in the
formation is said and can be kept ("outside"; a year away, refused: :mod:`.day_checks`); the
same half-day logged twice cannot be, a second late arrival the same day can after confirmation
("conflict").  Questions already answered (by the one-line form, or by the
absence being corrected) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot import dates
from bot.absences.clashes import Conflict, conflict, late_beside, period_label
from bot.absences.lengths import an_arrival_hour, clock_length
from bot.absences.line import read_period
from bot.absences.log import MAX_LATE_MINUTES, Details, outside
from bot.absences.uploads import Upload
from bot.answers import SKIP, Invalid, clean_line, correction, fold
from bot.conversations.absences.day_checks import absence_example, check_day
from bot.conversations.absences.day_checks import check_not_future as check_not_future
from bot.conversations.absences.motive import motive_said, no_motive, optional_reason
from bot.conversations.absences.steps import (
    FileStep,
    ReasonText,
    TextWithProof,
    current_formation,
    current_trainee,
    parse_note,
    upload_of,
)
from bot.conversations.absences.typed_period import period_besides, take_typed_period
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Next, Outcome, Retry, Stay, Step, stored_date
from bot.conversations.kit.steps import (
    Confirm,
    DateStep,
    Option,
    Pick,
    Text,
    TextParser,
)
from bot.privacy.health import MEDICAL_DETAIL, SAID, SAID_TEXT, point_out_once, said_digest


def detail_steps(
    several: Callable[[Context], Awaitable[Outcome | None]] | None = None,
) -> list[Step]:
    """From the date to the proof: the same questions for a new absence and a correction
    (``several``: what a new absence does with several days typed for its date)."""
    day = DateStep(
        "date",
        ask="absence.ask_date",
        prefer="past",
        check=check_day,
        then=after_date,
        said="_said_date",  # a sentence's « Noter … ? » spelled the day out
        unless_known=True,
        help="absence.help_date",
        example=absence_example,
        besides=period_besides,
        other=several,
        subject=picked_for_unnamed,
    )
    return [
        day,
        Confirm(
            "weekend",
            ask="absence.ask_weekend",
            values=weekend_values,
            yes=weekend_yes,
            no=weekend_no,
            yes_label="Oui, l'enregistrer",
            no_label="Corriger la date",
            when=lambda c: bool(c.data.get("_weekend")),
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
            other=another_day(day),
            then=after_period,
            unless_known=True,
            columns=2,
        ),
        Text(
            "late_minutes",
            ask="absence.ask_minutes",
            parse=parse_minutes,
            unless_known=True,
            when=lambda c: c.data.get("period") == "retard",
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
            unless_known=True,
            help="absence.help_justified",
            other=not_known_yet,
            again="absence.justified_again",
        ),
        # "No reason" (None) is an answer too: these ask only while none was given.
        TextWithProof(
            "reason",
            proof="proof",
            ask="absence.ask_reason",
            parse=required_reason,
            when=lambda c: c.data.get("justified") is True and "reason" not in c.data,
            help="absence.help_reason",
        ),
        ReasonText(
            "reason_optional",
            ask="absence.ask_reason_optional",
            parse=optional_reason,
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


_UNSURE = r"j?sai[st] pas|ne sai[st]|jsp|chais pas|aucune idee|pas sure?"
NOT_YET = re.compile(rf"\b(?:{_UNSURE}|pas encore|on verra)\b")
"""« je sais pas encore », « on verra », « jsp »: the morning after, before the trainee has called
(explorer AG12: only « Oui » or « Non » were taken; KF10: « jsp », « chais pas »)."""


def picked_for_unnamed(ctx: Context) -> str | None:
    """The trainee picked for an absence announced unnamed (« j'ai un absent ce matin selon
    Julie »): named in the day's confirmation, the first place the day and the person meet
    before « Oui » (closing 38's Left: it named nobody, and the messenger could be noted)."""
    name = ctx.data.get("name")
    return name if ctx.data.get("_unnamed") and isinstance(name, str) else None


async def not_known_yet(ctx: Context) -> Outcome | None:
    """Not known yet whether it is justified: noted unjustified for now, and said how to
    change it when the proof comes (/absences)."""
    if NOT_YET.search(fold(ctx.incoming.text)) is None:
        return None
    ctx.data["justified"], ctx.data["_not_yet"] = False, True
    return Next()


def reason_required_saying(message: str) -> TextParser:
    """A justified absence's motive: « Passer » typed here (no button offers it, but the
    unjustified one's question does) is not a motive, it is someone with none to give,
    told ``message`` (what to do instead, in that dialogue)."""

    async def parse(ctx: Context, text: str) -> str | Invalid:
        if fold(text) in SKIP or no_motive(text):  # « non » is no motive (explorer E, QB10)
            return Invalid(ctx.render(message))
        said = motive_said(ctx, text)  # « oui »: which? (CD1); « oui, rdv … »: « rdv … » (DC2)
        if isinstance(said, Invalid):
            return said
        return Invalid(ctx.render(message)) if no_motive(said) else await _NOTE(ctx, said)

    return parse


_NOTE = parse_note(300)
required_reason = reason_required_saying("absence.reason_required")


PERIODS = [
    Option("Le matin", "matin"),
    Option("L'après-midi", "apres_midi"),
    Option("Toute la journée", "journee"),
    Option("Un retard", "retard"),
]


def another_day(day: DateStep) -> Callable[[Context], Awaitable[Outcome | None]]:
    """« Quand, ce vendredi ? »: « non en fait mercredi aprem » typed there is another day,
    asked for confirmation as if typed at the date, not a choice refused (explorer U, U12);
    « non c'était le matin », a half-day in other words, is that half-day."""

    async def taken(ctx: Context) -> Outcome | None:
        text = correction(ctx.incoming.text) or ctx.incoming.text
        period, minutes, left = read_period(text)
        if period is not None and dates.understand(left, ctx.now, "past") is None:
            # « non c'était le matin »: the half-day of the day in hand (explorer Y, Y5).
            ctx.data["period"] = period
            if minutes is not None:
                ctx.data["late_minutes"] = minutes
            return await after_period(ctx, period)
        found = dates.understand(text, ctx.now, "past")
        if found is None or found.when.date().isoformat() == ctx.data.get("date"):
            return None
        kept = dict(ctx.data)
        for key in (*FORGOTTEN["date"], *FORGOTTEN["period"]):
            ctx.data.pop(key, None)
        ctx.incoming = replace(ctx.incoming, text=text)
        outcome = await day.answer(ctx)
        if isinstance(outcome, Stay):  # the new day understood, to confirm
            return Next(day.name)
        ctx.data = kept  # a day refused (one to come…): said, the day before kept
        return Retry(outcome.message) if isinstance(outcome, Retry) else None

    return taken


# --- the checks: outside the formation, already logged ------------------------------------


async def assess(ctx: Context) -> None:
    """Flags the problems the answers so far have: outside the dates, already logged."""
    ctx.data.pop("_outside", None)
    ctx.data.pop("_conflict", None)
    if "date" not in ctx.data:
        return
    formation = await current_formation(ctx)
    trainee = await current_trainee(ctx)
    if formation is None or trainee is None:
        return
    day = stored_date(ctx, "date")
    if dates.day_off(day) and ctx.data.get("_weekend_ok") != day.isoformat():
        ctx.data["_weekend"] = True
    else:
        ctx.data.pop("_weekend", None)
    span = outside(formation, trainee, day)
    if span is not None and ctx.data.get("_outside_ok") != day.isoformat():
        ctx.data["_outside"] = {"start": span[0].isoformat(), "end": span[1].isoformat()}
    period = ctx.data.get("period")
    if period is None:
        return
    confirmed = ctx.data.get("_conflict_ok") == f"{day.isoformat()}|{period}"
    exclude = ctx.data.get("absence_id")
    half = ctx.data.get("late_half") if period == "retard" else None
    found = await conflict(
        ctx.session,
        trainee.id,
        day,
        period,
        exclude=exclude,
        late_twice_ok=confirmed,
        late_half=half,
    )
    if found is None and not confirmed:
        found = await late_beside(ctx.session, trainee.id, day, period, half, exclude=exclude)
    if found is not None:
        flag_conflict(ctx, found)


def flag_conflict(ctx: Context, found: Conflict) -> None:
    """Keep what collides for the ``conflict`` question: what, by whom, when (local time)."""
    at = found.at.astimezone(ctx.tz) if found.at is not None else None
    ctx.data["_conflict"] = {
        "kind": found.kind,
        "period": found.period,
        "by": found.by,
        "at": at.isoformat() if at is not None else None,
        "today": at is not None and at.date() == ctx.now.date(),
    }


async def after_date(ctx: Context, value: object) -> Outcome:
    take_typed_period(ctx)
    await assess(ctx)
    return Next()


async def after_period(ctx: Context, picked: str) -> Outcome:
    if picked != "retard":
        ctx.data.pop("late_minutes", None)
        ctx.data.pop("late_half", None)
    await assess(ctx)
    return Next()


async def parse_minutes(ctx: Context, text: str) -> int | Invalid:
    line = clean_line(text, limit=40)
    if isinstance(line, Invalid):
        return Invalid(ctx.render("absence.minutes_unclear"))
    if an_arrival_hour(line):  # « 8h », « à 10h », « 10:30 »: explorer BB20
        return Invalid(ctx.render("absence.late_clock_time", said=line, example="45"))
    wrong = dates.wrong_duration(line)  # « -5 minutes », « 5000 »: explorer GD7
    if wrong == "negative":
        return Invalid(ctx.render("common.duration_negative", example="20"))
    digits = re.fullmatch(r"(\d{1,3})\s*(?:minutes?|min|mn|m)?", line.lower())
    minutes: int | None = int(digits.group(1)) if digits else clock_length(line)  # « 0:45 »
    if minutes is None:
        duration = dates.understand_duration(line)
        minutes = int(duration.total_seconds() // 60) if duration else None
    if minutes is None and not wrong:
        return Invalid(ctx.render("absence.minutes_unclear"))
    if minutes is None or not 1 <= minutes <= MAX_LATE_MINUTES:
        return Invalid(ctx.render("absence.minutes_range", limit=MAX_LATE_MINUTES))
    return minutes


async def weekend_values(ctx: Context) -> dict[str, object]:
    day = stored_date(ctx, "date")
    return {"day": dates.spell_day_month(day), "weekday": dates.day_off(day)}


async def weekend_yes(ctx: Context) -> Outcome:
    """Asked once: the same day confirmed is not questioned again (a correction, a re-check)."""
    ctx.data["_weekend_ok"] = stored_date(ctx, "date").isoformat()
    ctx.data.pop("_weekend", None)
    return Next()


async def weekend_no(ctx: Context) -> Outcome:
    for key in ("date", "_weekend", "_outside", "_pending_date"):
        ctx.data.pop(key, None)
    return Next("date")


async def outside_yes(ctx: Context) -> Outcome:
    ctx.data["_outside_ok"] = stored_date(ctx, "date").isoformat()
    ctx.data.pop("_outside", None)
    return Next()


async def outside_no(ctx: Context) -> Outcome:
    for key in ("date", "_outside", "_pending_date"):
        ctx.data.pop(key, None)
    return Next("date")


async def conflict_options(ctx: Context) -> list[Option]:
    found = ctx.data.get("_conflict") or {}
    options = [
        Option("Changer la date", "date"),
        Option("Changer la période", "period"),
        Option("Abandonner", "abandon"),
    ]
    if found.get("kind") in ("late_twice", "late_and_half"):
        options.insert(0, Option("Enregistrer quand même", "anyway"))
    return options


async def resolve_conflict(ctx: Context, picked: str) -> Outcome:
    if picked == "date":
        for key in ("date", "_pending_date", "_conflict", "_outside_ok"):
            ctx.data.pop(key, None)
        return Next("date")
    if picked == "period":
        for key in ("period", "late_minutes", "late_half", "_conflict"):
            ctx.data.pop(key, None)
        return Next("period")
    if picked == "anyway":
        ctx.data["_conflict_ok"] = f"{stored_date(ctx, 'date').isoformat()}|{ctx.data['period']}"
        ctx.data.pop("_conflict", None)
        return Next()
    ctx.say("absence.abandoned")
    return Leave()


# --- « Tout est juste ? » → « Corriger »: one answer asked again, the others kept -------------

FIXABLE = [
    Option("Le jour", "date", words=("date", "jour")),
    Option("La demi-journée ou le retard", "period", words=("periode", "matin", "apres-midi")),
    Option("Justifiée ou non", "justified", words=("justification",)),
    Option("Le motif", "reason", words=("raison",)),
    Option("Le justificatif", "proof", words=("fichier", "piece")),
]
FORGOTTEN = {
    "date": (
        "date",
        "_pending_date",
        "_weekend",
        "_outside",
        "_conflict",
        "_outside_ok",
        "_conflict_ok",
        "_weekend_ok",
    ),
    "period": ("period", "late_minutes", "late_half", "_conflict", "_conflict_ok"),
    "justified": ("justified", "reason", "proof"),
    "reason": ("reason",),
    "proof": ("proof",),
}
"""The answers each correction forgets, and what hangs on them (a day's checks, a period's
clash), so that their questions are asked again: a new absence's « Corriger », /absences'."""


async def fix_options(ctx: Context) -> list[Option]:
    """What may be asked again: a proof only goes with a justified absence."""
    return [o for o in FIXABLE if o.value != "proof" or ctx.data.get("justified")]


async def fix_taken(ctx: Context, picked: str) -> Outcome:
    """Forget that answer (and what hangs on it), ask it again; the steps after it skip what
    is still known and come back to the recap."""
    for key in FORGOTTEN[picked]:
        ctx.data.pop(key, None)
    ctx.data.pop("recap", None)
    if picked == "reason":
        return Next("reason" if ctx.data.get("justified") else "reason_optional")
    return Next(picked)


async def checked(ctx: Context) -> Outcome | None:
    """Right before saving: the dates and the day checked again, in this transaction."""
    await assess(ctx)
    if ctx.data.get("_weekend"):
        return Next("weekend")
    if ctx.data.get("_outside"):
        return Next("outside")
    if ctx.data.get("_conflict"):
        return Next("conflict")
    return None


# --- the answers, for the recap and the service ---------------------------------------------


async def recap_values(ctx: Context) -> dict[str, object]:
    formation = await current_formation(ctx)
    return {
        "title": formation.title if formation else "",
        "day": stored_date(ctx, "date"),
        "label": period_label(
            ctx.data["period"], ctx.data.get("late_minutes"), ctx.data.get("late_half")
        ),
        "proof": (ctx.data.get("proof") or {}).get("filename"),
        "medical": medical_said(ctx),
    }


def medical_said(ctx: Context) -> bool:
    """Whether the motive gives a medical detail not pointed out yet (it is now, once), at one
    person's recap and several people's (UA10: taken from the sentence, or a « oui, … »
    skipped the motive question's warning); the words typed next answer it (``REWORDING``:
    :mod:`.warned_motive`). A stored one's (/absences) is changed only where it is asked."""
    reason = ctx.data.get("reason")
    said = "absence_id" not in ctx.data and isinstance(reason, str)
    said = said and point_out_once(ctx.data, str(reason), MEDICAL_DETAIL)
    ctx.data.pop(SAID_TEXT, None)  # no « oui » to a question keeps it: « Enregistrer » does
    # Asked again after a wrong answer (nothing typed, a page), the warning still waits for
    # its answer; answered (:mod:`.warned_motive`) or another motive, it no longer does.
    waits = ctx.data.get(SAID) == said_digest(str(reason)) and ctx.data.get(REWORDING)
    ctx.data[REWORDING] = said or bool(waits)
    return said


REWORDING = "_rewording"  # set while the warning of the recap waits for its answer


def details_of(ctx: Context) -> Details:
    return Details(
        day=stored_date(ctx, "date"),
        period=ctx.data["period"],
        late_minutes=ctx.data.get("late_minutes"),
        justified=bool(ctx.data.get("justified")),
        reason=ctx.data.get("reason"),
        late_half=ctx.data.get("late_half"),
    )


def proof_of(ctx: Context) -> Upload | None:
    return upload_of(ctx.data.get("proof"))
