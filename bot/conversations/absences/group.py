"""Several absences in one sentence: "Karim, Julie et Hugo absents le 3 mars après-midi".

    Vous Karim, Julie et lea absents hier matin
    Bot  Qui est « lea » ?          [Léa Martin] [Léa Morel] [Ne pas le noter]
    Vous Léa Martin
    Bot  Noter une absence non justifiée, matin du dimanche 22 novembre 2026, pour :
         · Karim Benali  · Julie Petit  · Léa Martin
         Le 22 novembre est un dimanche.
         [Enregistrer] [Changer le jour] [Abandonner]
    Vous Enregistrer
    Bot  C'est noté : dimanche 22 novembre 2026, matin.  Absences non justifiées (3) : …
         (one summary and one follow-up offer: :mod:`.batch`)

The sentence is read by :func:`bot.absences.sentence.read_absence_sentence`
(:mod:`.sentence` hands over here when it names several people), the day and
the half-day by :func:`bot.absences.line.understand_line`.  A name that fits
several trainees, or nobody, is asked once, with the candidates (or the
closest names) and "Ne pas le noter".  What is missing (the day, the
half-day) is asked; the day understood is shown in full in the one
confirmation, with what deserves a second look (a weekend, a day outside a
trainee's dates, a half-day already noted, which is left as it is).  A day
more than a year from someone's dates is refused as for one person (explorer
HA4: :func:`.day_checks.far_from_dates`).  The
bot does not know the trainees' gender: its sentences need no agreement.
"""

from __future__ import annotations

from datetime import date, datetime

from bot import dates
from bot.absences.clashes import Conflict, conflict, period_label
from bot.absences.days import day_periods, read_days_and_words, spell_days
from bot.absences.line import as_typed, date_words, read_period
from bot.absences.log import outside
from bot.absences.noted_said import noted_together
from bot.absences.rollcall import Mark
from bot.answers import by_surname, closest_names, match_names
from bot.conversations.absences.appel import HALVES
from bot.conversations.absences.batch import offer_step, save_marks
from bot.conversations.absences.day_checks import far_from_dates
from bot.conversations.absences.details import (
    check_not_future,
    medical_said,
    reason_required_saying,
)
from bot.conversations.absences.group_days import (
    TODAY_SAID,
    day_at_period,
    days_of,
    own_periods,
    read_when,
    take_days,
    today_corrected,
)
from bot.conversations.absences.group_words import (
    INSTEAD,
    chosen,
    instead_options,
    instead_taken,
    other_justified,
    words_at_recap,
)
from bot.conversations.absences.motive import keep_reason
from bot.conversations.absences.sentence_names import another_trainee
from bot.conversations.absences.steps import GroupReasonText
from bot.conversations.absences.typed_period import half_day_besides, take_typed_period
from bot.conversations.absences.yes_ahead import also_named
from bot.conversations.formations.choose import visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Option, Outcome, Stay
from bot.conversations.kit.steps import DateStep, Pick, past_example
from bot.conversations.kit.wrong_dates import impossible_said
from bot.formations.labels import told_apart
from bot.formations.twins import twin_marks
from bot.messages import Reply
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Role

SKIP = "_skip"


def new_group() -> Flow:
    return Flow(
        "absence_group",
        role=Role.FORMATEUR,
        summary="noter plusieurs absences en une fois",
        said_as=lambda d: "noter plusieurs retards en une fois" if d.get("_late") else None,
        start=group_start,
        steps=[
            Pick(
                "who",
                ask="absence_appel.ask_who",
                options=who_options,
                then=after_who,
                when=lambda c: bool(c.data.get("_unresolved")),
            ),
            DateStep(
                "date",
                ask="absence_appel.ask_group_date",
                prefer="past",
                check=check_group_day,
                then=after_date,
                unless_known=True,
                example=past_example,
                besides=half_day_besides,
                other=several_typed,
            ),
            Pick(
                "period",
                ask="absence_appel.ask_period",
                options=HALVES,
                unless_known=True,
                other=day_at_period,  # « non, hier » under « aujourd'hui (…) » (LA1)
            ),
            GroupReasonText(
                "reason",
                ask="absence_appel.ask_group_reason",
                parse=reason_required_saying("absence_appel.group_reason_required"),
                then=justified_for,
                when=lambda c: (
                    bool(c.data.get("justified") or c.data.get("_justifying"))
                    and "reason" not in c.data
                ),
            ),
            Pick(
                "recap",
                ask="absence_appel.group_recap",
                options=recap_options,
                values=recap_values,
                then=recap_taken,
                other=at_recap,
            ),
            Pick(  # « non, c'est Julie » at the recap: whom she replaces (KD2)
                "instead",
                ask="absence_appel.group_instead",
                store="_instead_of",  # used at once, not kept
                options=instead_options,
                then=instead_taken,
                when=lambda c: bool(c.data.get(INSTEAD)),
            ),
        ],
        branches=[offer_step()],
    )


# --- who -------------------------------------------------------------------------------


async def _people(ctx: Context) -> list[tuple[str, tuple[Formation, Trainee]]]:
    """Every trainee the person may note, running formation or not: « Alice et Bruno », of a
    formation starting Monday, were « not found » and Julie Petit offered (explorer O); the
    day outside their formation is said later, as for one name."""
    visible = await visible_formations(ctx)
    return [(t.full_name, (f, t)) for f in visible for t in f.named_trainees]


def _running(
    people: list[tuple[str, tuple[Formation, Trainee]]], today: date
) -> list[tuple[str, tuple[Formation, Trainee]]]:
    """The trainees of the formations running ``today``: a first name is looked for there
    first (a namesake of last year's group is no question)."""
    return [p for p in people if p[1][0].start_date <= today <= p[1][0].effective_end]


def _label(trainee: Trainee, formation: str | None) -> str:
    """« Karim Benali – Agent de restauration (lundi 2 novembre 2026) » for someone with
    several formations, the name alone otherwise."""
    return f"{trainee.full_name} – {formation}" if formation else trainee.full_name


async def group_start(ctx: Context) -> Outcome | None:
    people = await _people(ctx)
    if not people:
        ctx.say("absence.no_formation")
        return Leave()
    # Two groups of one training told apart by their start day (explorer BD1).
    titles = await _titles(ctx, people)
    resolved: list[list[str]] = list(ctx.data.get("_resolved") or [])  # /absence's trainee
    unresolved: list[dict[str, object]] = []
    running = _running(people, ctx.now.date())
    for typed in ctx.data.get("_names") or []:
        found = match_names(str(typed), running) or match_names(str(typed), people)
        if len(found) == 1:
            resolved.append([str(found[0][0].id), str(found[0][1].id)])
            continue
        if not found:
            close = closest_names(str(typed), sorted({n for n, _ in people}, key=by_surname))
            found = [key for name, key in people if name in close]
        unresolved.append(
            {
                "typed": str(typed)[:40],
                "none": not match_names(str(typed), people),
                "options": [
                    [_label(t, titles[f.id] if len(titles) > 1 else None), f"{f.id}|{t.id}"]
                    for f, t in sorted(found, key=lambda k: by_surname(k[1].full_name))
                ],
            }
        )
    ctx.data["_resolved"], ctx.data["_unresolved"] = resolved, unresolved
    # « karim et léa absents le 31 février »: why, then the day asked for them, as for one
    # person (explorer IA2: « Donnez une autre date », but the dialogue was closed).
    wrong = impossible_said(ctx, str(ctx.data.get("_rest") or ""), await past_example(ctx))
    if wrong is not None:
        ctx.data["_wrong_day"] = wrong  # said with the date's question, once names are settled
    read_when(ctx, days=wrong is None)
    typed = [str(n) for n in ctx.data.get("_names") or []]
    named = typed or [t.full_name for _, t in await chosen(ctx)]
    other = await another_trainee(ctx, named, f", {ctx.data.get('reason') or ''}")
    if other is not None and named:
        # « /absence Karim lundi et mardi Julie aussi »: Julie's words are no motive of
        # Karim's, refused as the same sentence typed without the command (explorer EA1).
        ctx.say("absence.sentence_two_events", first=named[0], other=other)
        return Leave()
    if not unresolved:
        await _refused_day(ctx)
    return None


async def _titles(
    ctx: Context, people: list[tuple[str, tuple[Formation, Trainee]]]
) -> dict[int, str]:
    """The formations' titles, two groups of one training told apart by their start day
    (explorer BD1), and MA3's twins."""
    listed = list({f.id: (f.id, f.title, f.start_date) for _, (f, _) in people}.values())
    return told_apart(listed, await twin_marks(ctx.session, listed))


async def several_typed(ctx: Context) -> Outcome | None:
    """« Changer le jour », then « du 23 au 24 novembre »: several days again, with the
    half-day typed with them (explorer D F16: « Je n'ai pas compris cette date »)."""
    text = ctx.incoming.text[:300]
    several, words = read_days_and_words(
        date_words(text), ctx.now, late=bool(ctx.data.get("_late"))
    )
    if several is None:
        return None
    if words:  # « lundi et mardi malade »: the motive now said (explorer EA1)
        named = [t.full_name for _, t in await chosen(ctx)]
        other = await another_trainee(ctx, named, f", {words}")
        if other is not None and named:
            ctx.say("absence.sentence_two_events", first=named[0], other=other)
            return Leave()
        keep_reason(ctx, ", ".join(as_typed(text, w.strip()) for w in words.split(",")))
    period = read_period(text)[0]
    if period in ("matin", "apres_midi", "journee") and not ctx.data.get("_late"):
        ctx.data["period"] = period
    for key in ("_own", "_typed_period"):  # read here: not taken again after it
        ctx.data.pop(key, None)
    if not take_days(ctx, text, several):
        return Stay()
    return Stay() if await _refused_far(ctx) else Next("recap")


async def after_date(ctx: Context, value: object) -> Outcome:
    """« Changer le jour », then « jeudi après-midi »: the half-day typed with the new day
    replaces the sentence's; a late arrival stays one (« en retard » has no half-day)."""
    if ctx.data.get("_late"):
        ctx.data.pop("_typed_period", None)
    else:
        take_typed_period(ctx)
    return Next()


async def who_options(ctx: Context) -> list[Option]:
    first = (ctx.data.get("_unresolved") or [{}])[0]
    return [
        *(Option(str(label), str(value)) for label, value in first.get("options") or []),
        Option("Ne pas le noter", SKIP, words=("personne", "aucun", "passer")),
    ]


async def after_who(ctx: Context, picked: str) -> Outcome:
    unresolved = list(ctx.data.get("_unresolved") or [])
    unresolved.pop(0)
    ctx.data["_unresolved"] = unresolved
    ctx.data.pop("who", None)
    if picked != SKIP:
        ctx.data["_resolved"] = [*ctx.data.get("_resolved", []), picked.split("|")]
    if unresolved:
        return Next("who")
    if not ctx.data["_resolved"]:
        ctx.say("absence_appel.group_nobody")
        return Leave()
    _no_way_back(ctx)  # the names are settled: « Retour » does not reopen an answered one
    await _refused_day(ctx)
    return Next()


def _no_way_back(ctx: Context) -> None:
    """Forget the questions asked so far for « Retour »: what they asked is settled or
    cleared (explorer D: « retour » then reopened a question whose data was gone)."""
    ctx.data.pop("_trail", None)


# --- the day ---------------------------------------------------------------------------


def _forget_days(ctx: Context) -> None:
    """The day or days read so far dropped: the date is asked again."""
    for key in ("date", "_pending_date", "recap", "_days", "_skipped", "_span", "_own", TODAY_SAID):
        ctx.data.pop(key, None)


async def check_group_day(ctx: Context, when: datetime) -> str | None:
    """A day typed at the date question: past, and not a year from the dates of anyone named
    (explorer HA4: « il y a 200 ans » was an absence in 1826 « noted anyway »)."""
    problem = await check_not_future(ctx, when)
    if problem is not None:
        return problem
    return await far_from_dates(ctx, await chosen(ctx), [when.date()], past_example)


async def _refused_day(ctx: Context) -> bool:
    """The sentence's day refused, said before its question: a day that does not exist (IA2),
    or one a year from someone's dates (HA4)."""
    wrong = ctx.data.pop("_wrong_day", None)
    if wrong is not None:
        ctx.send(Reply(text=str(wrong)))
        return True
    return await _refused_far(ctx)


async def _refused_far(ctx: Context) -> bool:
    """The day or days the sentence (or « Changer le jour ») named, once the names are
    settled: one a year from someone's dates is said as for one person and asked again
    (explorer HA4), not shown in the recap to be saved anyway."""
    if ctx.data.get("date") is None:
        return False
    said = await far_from_dates(ctx, await chosen(ctx), days_of(ctx), past_example)
    if said is None:
        return False
    ctx.send(Reply(text=said))
    _forget_days(ctx)
    return True


# --- the one confirmation ----------------------------------------------------------------


async def at_recap(ctx: Context) -> Outcome | None:
    """What is typed at the confirmation: someone else « aussi » (:func:`_also_named`), or a
    yes with words, or the motive replacing a medical detail (:func:`.words_at_recap`)."""
    if today_corrected(ctx):  # « non, hier » under a sentence read as today's (LA1)
        return Stay() if await _refused_far(ctx) else Next("recap")
    return await _also_named(ctx) or await words_at_recap(ctx)


async def _also_named(ctx: Context) -> Outcome | None:
    """« oui, Léa aussi »: Léa is one more person to note (explorer XA8: Karim and Julie
    were saved with the motive « Léa aussi », Léa left out). One trainee of the formation of
    those named who bears the name is added, the list shown again; otherwise the name is
    asked as the sentence's are (« Qui est … ? »). Words that name nobody are refused."""
    typed = also_named(ctx.incoming.text[:300]) if ctx.incoming.choice is None else None
    if not typed:
        return None
    people = await _people(ctx)
    theirs = {f.id for f, _ in await chosen(ctx)}
    same = [p for p in people if p[1][0].id in theirs]
    titles = await _titles(ctx, people)
    resolved: list[list[str]] = list(ctx.data.get("_resolved") or [])
    unresolved: list[dict[str, object]] = []
    for name in typed:
        here = match_names(name, same)
        if len(here) == 1:
            resolved.append([str(here[0][0].id), str(here[0][1].id)])
            continue
        found = here or match_names(name, people)
        if not found:
            return None  # « oui, malade aussi »: no trainee's name, refused as before
        unresolved.append(
            {
                "typed": name[:40],
                "none": False,
                "elsewhere": not here,
                "options": [
                    [_label(t, titles[f.id] if len(titles) > 1 else None), f"{f.id}|{t.id}"]
                    for f, t in sorted(found, key=lambda k: by_surname(k[1].full_name))
                ],
            }
        )
    ctx.data["_resolved"], ctx.data["_unresolved"] = resolved, unresolved
    ctx.data.pop("recap", None)
    return Next("who" if unresolved else "recap")


async def recap_values(ctx: Context) -> dict[str, object]:
    days = days_of(ctx)
    period = str(ctx.data["period"])
    people = await chosen(ctx)
    several = len(days) > 1
    notes: list[str] = []
    noted: list[tuple[str, date | None, Conflict]] = []  # said once for all (noted_said)
    for formation, trainee in people:
        gone = [day for day in days if trainee.left_before(day)]
        if gone:
            notes.append(ctx.render("absence_appel.group_left", t=trainee, gone=gone, all=days))
        away = [d for d in days if d not in gone and outside(formation, trainee, d) is not None]
        if away:
            notes.append(
                ctx.render(
                    "absence_appel.group_outside",
                    name=trainee.full_name,
                    span=outside(formation, trainee, away[0]),
                    day=away[0],
                    more=len(away) - 1,
                )
            )
        for day, its_period in day_periods(days, period, own_periods(ctx)):
            if found := await conflict(ctx.session, trainee.id, day, its_period):
                noted.append((trainee.full_name, day if several else None, found))
    notes += [ctx.render("absence_appel.group_noted", n=n) for n in noted_together(noted)]
    return {
        "day": days[0],
        "when": spell_days(days, span=bool(ctx.data.get("_span")), own=own_periods(ctx))
        if several
        else "",
        "half": period_label(period, ctx.data.get("_minutes"), ctx.data.get("late_half")),
        "days_off": [
            (dates.spell_day_month(d), dates.day_off(d)) for d in days if dates.day_off(d)
        ],
        "skipped": [date.fromisoformat(day) for day in ctx.data.get("_skipped") or []],
        "names": [t.full_name for _, t in people],
        "notes": notes,
        "medical": medical_said(ctx),
    }


async def _all_left(ctx: Context) -> bool:
    """Every day named comes after the exit of every person named: nothing to note."""
    days = days_of(ctx)
    return all(t.left_before(day) for _, t in await chosen(ctx) for day in days)


_JUSTIFIED = ("justifie", "non justifie", "pas justifie", "injustifie")
"""The justification typed, for « une absence » or « un retard » (folded: no accent)."""


async def recap_options(ctx: Context) -> list[Option]:
    """Save, change the day, say justified or not (a sentence rarely says it), or leave."""
    justified = bool(ctx.data.get("justified"))
    if await _all_left(ctx):  # nothing to save: the days, or leave (the recap says why)
        return [Option("Changer le jour", "date"), Option("Abandonner", "abandon")]
    said = "Justifié" if ctx.data.get("period") == "retard" else "Justifiée"  # « un retard » (BB16)
    return [
        Option("Enregistrer", "yes", words=("oui", "ok", "valider")),
        Option("Changer le jour", "date"),
        Option(
            f"Non {said.lower()}" if justified else said,
            "justify",
            words=tuple(f"{w}{e}" for w in _JUSTIFIED for e in ("", "e")),
        ),
        Option("Abandonner", "abandon", words=("non", "annuler")),
    ]


async def justified_for(ctx: Context, reason: object) -> Outcome:
    """The motive given: justified from now on (« Retour » before it leaves it unjustified)."""
    ctx.data["justified"] = True
    ctx.data.pop("_justifying", None)
    return Next("recap")


async def recap_taken(ctx: Context, picked: str) -> Outcome:
    ctx.data.pop("_justifying", None)
    if picked == "justify":  # the recap again, saying the other; a justified one has a motive
        return other_justified(ctx)
    if picked == "date":
        _forget_days(ctx)
        _no_way_back(ctx)
        return Next("date")
    if picked == "abandon":
        ctx.say("absence.sentence_declined")
        return Leave()
    people = await chosen(ctx)
    if not people:
        # Named, then out of one's formations meanwhile (a formation handed over: explorer
        # EA2, « Personne à noter » and « écrivez … » to type again what would fail again).
        gone = bool(ctx.data.get("_resolved"))
        ctx.say("absence_appel.group_gone" if gone else "absence_appel.group_nobody")
        return Leave()
    period = str(ctx.data["period"])
    minutes = ctx.data.get("_minutes")
    status = "retard" if period == "retard" else "absent"
    half = ctx.data.get("late_half") if status == "retard" else None
    return await save_marks(
        ctx,
        [Mark(f, t, status, int(minutes) if minutes else None, late_half=half) for f, t in people],
        days=days_of(ctx),
        span=bool(ctx.data.get("_span")),
        period=period,
        own=own_periods(ctx),
        justified=bool(ctx.data.get("justified")),
        reason=ctx.data.get("reason"),
        source="phrase",
    )


GROUP = new_group()
FLOWS = [GROUP]
