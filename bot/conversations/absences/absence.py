"""Logging an absence (``/absence``), in one line or step by step.

    You  /absence Benali hier matin
    Bot  J'ai compris : dimanche 22 novembre 2026. C'est bien ça ?
    You  oui
    Bot  Le 22 novembre est un dimanche : je l'enregistre quand même ?
    You  Oui, l'enregistrer
    Bot  Cette absence est-elle justifiée ?
    You  Non
    Bot  Un motif connu ? (en quelques mots, ou « Passer »)
    You  Passer
    Bot  Récapitulatif : Karim Benali – Agent de restauration … Tout est juste ?
    You  Enregistrer
    Bot  C'est noté : Karim Benali, matin du dimanche 22 novembre 2026, absence non justifiée.
         Attention : Karim Benali compte 2 absences non justifiées en 14 jours …
         Ouvrir un suivi de décrochage maintenant ?
    You  Ouvrir un suivi            → /decrochage, "Absences répétées" already ticked

Without the line: Dans quelle formation ? → De qui s'agit-il ? → the date…

Everything typed after ``/absence`` is read at once (trainee, date, period,
"justifiée": :mod:`bot.absences.line`) and kept as answers; the questions
those answer skip themselves, only what is missing is asked (the questions
from the date on: :mod:`bot.conversations.absences.details`).  Saving,
with the check for repeated absence, is
:func:`bot.absences.log.record_absence`.  Correcting or deleting one:
``/absences`` (:mod:`bot.conversations.absences.corrections`).
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.absences.clashes import Conflict, period_label
from bot.absences.days import read_days, read_days_and_words
from bot.absences.followups import organisation_of, procedure_on
from bot.absences.line import (
    as_typed,
    day_words,
    names_a_day_only,
    split_reason,
    understand_line,
)
from bot.absences.log import MAX_LATE_MINUTES, decline_followup, record_absence
from bot.absences.sentence import read_absence_sentence, sentence_words
from bot.absences.vocabulary import sick_leave_said
from bot.answers import by_surname, closest_names, fold
from bot.conversations.absences.batch import OFFER_FOLLOW_UP, decrochage_data
from bot.conversations.absences.details import (
    assess,
    checked,
    detail_steps,
    details_of,
    fix_options,
    fix_taken,
    flag_conflict,
    proof_of,
    recap_values,
)
from bot.conversations.absences.in_charge import tell_of_one
from bot.conversations.absences.motive import keep_reason
from bot.conversations.absences.people_choice import offer_people
from bot.conversations.absences.sentence import said_data, several_days_said
from bot.conversations.absences.sentence_names import other_name
from bot.conversations.absences.steps import (
    current_formation,
    current_trainee,
    single_formation,
    who_steps,
)
from bot.conversations.absences.typed_period import keep_typed_period, typed_period
from bot.conversations.absences.warned_motive import motive_warned
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Switch,
)
from bot.conversations.kit.steps import (
    RECAP,
    Confirm,
    Pick,
    besides_key,
    wrong_weekday_said,
)
from bot.conversations.kit.wrong_dates import impossible_said, weekday_at_odds_to_come
from bot.dates.words import WEEKDAY_WORDS
from bot.messages import Reply
from bot.storage.absences import Absence
from bot.storage.formations import Formation
from bot.texts import of


def new_absence() -> Flow:
    """The dialogue above; its answers are handled by the functions below."""
    return Flow(
        "absence",
        # Its command, /aide line and who may use it: bot/features/absences.py.
        start=absence_start,
        lapsed_saying="absence.lapsed",
        lapsed_reads=lapsed_answer,
        steps=[
            *who_steps("absence", after_trainee),
            *detail_steps(several=several_days_typed),
            Pick(
                "recap",
                ask="absence.recap",
                values=recap_values,
                options=RECAP,
                then=recap_taken,
                other=motive_warned,  # the medical detail just pointed out (LB1)
            ),
        ],
        branches=[
            Pick("fix", ask="absence.ask_fix", options=fix_options, then=fix_taken),
            Confirm(
                "offer",
                ask="absence.offer",
                yes=open_decrochage,
                no=decline_decrochage,
                yes_label="Ouvrir un suivi",
                no_label="Pas maintenant",
                help="absence.help_offer",
            ),
        ],
    )


def lapsed_answer(ctx: Context) -> str | None:
    """« hier matin », typed to « Quel jour … de Karim Benali ? » a day after: « Absence de
    Karim Benali hier matin », the sentence the lapse notice suggests, confirmed as usual
    (explorer QB5: the answer was dropped); ``None`` for any other message, or when the day
    was known already (then the notice's example holds it: explorer SA10)."""
    who, text = ctx.data.get("name"), ctx.incoming.text.strip()
    if not isinstance(who, str) or not who or ctx.data.get("date") or "_pending_date" in ctx.data:
        return None
    if not text or len(text) > 100 or not names_a_day_only(sentence_words(text)):
        return None
    late = ctx.data.get("period") == "retard"
    return f"{'Retard' if late else 'Absence'} {of(who)} {text}"


# --- the one-line form: /absence Dupont hier matin -------------------------------------


async def absence_start(ctx: Context) -> Outcome | None:
    formations = await single_formation(ctx)
    named, late = ctx.data.pop("_named", None), ctx.data.pop("_was_late", False)
    seen = {t.full_name for f in formations for t in f.named_trainees}
    if named is not None and not (seen & set(named) if named else formations):
        # A sentence confirmed after its formation was handed to someone else (or deleted):
        # what was not noted, and why, not « créez-en une » (explorer AF3), nor « Je ne
        # trouve pas « Karim » » with her other formations' trainees offered (BB11).
        ctx.say("absence.sentence_not_noted", names=named, late=late, others=bool(formations))
        return Leave()
    if not formations:
        ctx.say("absence.no_formation")
        return Leave()
    # Typed after the command, or a sentence confirmed (:mod:`.sentence`) handed over.
    argument = ctx.incoming.argument if ctx.incoming.command == "absence" else ""
    argument = str(ctx.data.pop("_line", "")) or argument
    # A sentence's words read at the moment it was typed, not at its « oui » (explorer IB2).
    at = ctx.data.pop("_at", None)
    moment = datetime.fromisoformat(at) if isinstance(at, str) else ctx.now
    argument = _NO_NAME_FIRST.sub("", argument.strip())
    if argument:
        several = await several_people(ctx, argument, moment) or several_days(
            ctx, argument, formations, moment
        )
        if several is not None:
            return several
        await prefill(ctx, argument, formations, moment)
    return None


_NO_NAME_FIRST = re.compile(
    r"(?i)^(?:(?:et|ou|puis|aussi|encore|quelqu['’]une?)(?:\s+|$))*"
    r"(?:(?:une?|le|la|l['’]|les|des)\s*(?:absente?s?(?:\s+|$)|(?=(?:retards?|absences?)\b)))?"
)
"""Words that name nobody before what the line says (« /absence et un retard ce matin »:
explorer TB, a trainee was picked from « et un »): left out, who is asked."""


async def several_people(ctx: Context, text: str, now: datetime) -> Outcome | None:
    """« /absence Hugo et Léa vendredi matin »: two people, one recap that notes them both
    (:mod:`.group`), as the same words typed without the command (explorer EC6: Hugo alone
    was noted, Léa dropped unsaid); « /absence Julie en retard vendredi et Karim », another
    person's event after the first one's, refused as that sentence is (explorer EE3); one
    person's days after « absente » (« /absence Julie absente du 16 au 18 novembre »), their
    recap too (explorer CD3: the day was asked, the days typed dropped unsaid)."""
    said = read_absence_sentence(text) or read_absence_sentence(f"absent {text}")
    if said is None or said.future or said.nobody:
        return None
    if len(said.names) == 1:
        other = await other_name(ctx, said)
        if other is None:
            several = several_days_said(said, now)
            return Switch("absence_group", said_data(said)) if several else None
        ctx.say("absence.sentence_two_events", first=said.names[0], other=other)
        return Leave()
    return Switch("absence_group", said_data(said))


def several_days(
    ctx: Context, text: str, formations: list[Formation], now: datetime
) -> Outcome | None:
    """« /absence Julie du 1er au 3 décembre »: several days go to the one recap that notes
    them all (:mod:`.group`), as the same sentence typed without the command does."""
    people = [(t.full_name, (f.id, t.id)) for f in formations for t in f.named_trainees]
    said = split_reason(text[:300], now)[0]
    line = understand_line(said, now, people)
    if not line.name_text or (line.when is None and not line.date_text):
        return None
    # « /absence karim depuis jeudi »: read as Thursday by the one-day reader (AW9).
    dated = line.date_text or day_words(said.replace(line.name_text, " ", 1), now)
    late = line.period == "retard"
    if read_days_and_words(dated, now, late=late)[0] is None:
        return None
    return Switch(
        "absence_group",
        {
            "_names": [line.name_text],
            "_rest": text[:300].replace(line.name_text, " ", 1),
            "_late": late,
            "_minutes": line.late_minutes if late else None,
        },
    )


async def prefill(ctx: Context, text: str, formations: list[Formation], now: datetime) -> None:
    """Keep as answers what the line says, its relative days read at ``now`` (when typed);
    say what it named unclearly."""
    if "formation_id" in ctx.data:
        formations = [f for f in formations if f.id == ctx.data["formation_id"]]
    people = [(t.full_name, (f.id, t.id)) for f in formations for t in f.named_trainees]
    by_id = {t.id: (f, t) for f in formations for t in f.named_trainees}
    text, reason = split_reason(text[:300], now)
    if reason is None:  # « … vendredi matin pour maladie »: as the sentence (explorer UA9)
        said = read_absence_sentence(f"absent {text}")
        reason = said.reason if said is not None and len(said.names) == 1 else None
    line = understand_line(text, now, people)
    keep_reason(ctx, reason)
    minutes = line.late_minutes if line.period == "retard" else None
    if minutes and minutes > MAX_LATE_MINUTES:  # said, then asked (not dropped unsaid)
        ctx.say("absence.minutes_range", limit=MAX_LATE_MINUTES)
        minutes = None
    if line.period is not None:
        if line.when is not None and line.when.date() <= now.date():
            keep_typed_period(ctx, line.period, minutes, line.late_half)  # once date confirmed
        else:
            ctx.data["period"] = line.period
            if minutes:
                ctx.data["late_minutes"] = minutes
            if line.late_half:
                ctx.data["late_half"] = line.late_half
    if line.justified is not None:
        ctx.data["justified"] = line.justified
    chosen = by_id[line.matches[0][1]][1] if len(line.matches) == 1 else None
    if chosen is not None:
        ctx.data["formation_id"], ctx.data["trainee_id"] = line.matches[0]
        ctx.data["name"] = chosen.full_name
    elif line.name_text and not line.matches:
        known = sorted({name for name, _ in people}, key=by_surname)
        closest = closest_names(line.name_text, known)
        ctx.say("absence.quick_unknown", typed=line.name_text[:40], closest=closest)
    if line.when is not None:
        if line.when.date() > now.date():
            ctx.say("absence.quick_future", day=line.when.date())
        elif chosen is not None and chosen.left_before(line.when.date()):
            # Said at once, the day asked again (explorer I: two confirmations, then this).
            ctx.say("absence.after_exit", day=line.when.date(), t=chosen)
        else:
            ctx.data["_pending_date"] = line.when.isoformat()  # the date step confirms it
            if line.period is not None:  # shown with it: « dimanche 22 novembre 2026, le matin »
                ctx.data[besides_key("date")] = typed_period(line.period, minutes, line.late_half)
    elif line.date_text:
        # « lundi 3 », a Thursday; not a list of days left unread for its other words
        # (« lundi et mardi 9h15 »: « Le 1er décembre tombe un mardi »: explorer EA12).
        weekdays = [w for w in fold(line.date_text).split() if w in WEEKDAY_WORDS]
        mismatch = None if len(weekdays) > 1 else wrong_weekday_said(ctx, line.date_text, "past")
        if mismatch is not None and weekday_at_odds_to_come(ctx, line.date_text):
            ctx.say("absence.quick_future", day=None)  # either day meant is to come (BE10)
        elif mismatch is not None:
            ctx.send(Reply(text=mismatch))
        elif (impossible := impossible_said(ctx, line.date_text, "hier matin")) is not None:
            # « le 31 février », « le 3/12/2226 »: named, as at the day's question (AK3, GD8).
            ctx.send(Reply(text=impossible))
        else:
            ctx.say("absence.quick_unknown_date", typed=as_typed(text, line.date_text)[:40])
    if len(line.matches) > 1:
        # After the date: the formations running on that day come first.
        await offer_people(ctx, line.name_text, [by_id[trainee] for _, trainee in line.matches])


# --- answers ------------------------------------------------------------------------------


async def several_days_typed(ctx: Context) -> Outcome | None:
    """« du 16 au 18 novembre » for the date: the trainee's several days, in one recap
    (:mod:`.group`), what was said of them kept (justifiée, the half-day)."""
    text = ctx.incoming.text[:300]
    if read_days(day_words(text, ctx.now), ctx.now) is None or "trainee_id" not in ctx.data:
        return None
    data: dict[str, object] = {
        "_resolved": [[str(ctx.data["formation_id"]), str(ctx.data["trainee_id"])]],
        "_rest": text,
    }
    if ctx.data.get("justified") is not None:
        data["justified"] = ctx.data["justified"]
    if ctx.data.get("reason"):
        data["reason"] = ctx.data["reason"]
    return Switch("absence_group", data)


async def after_trainee(ctx: Context, picked: str) -> Outcome:
    trainee = await current_trainee(ctx)
    if trainee is None:
        return Retry(ctx.render("formation.trainee_not_found"))
    ctx.data["name"] = trainee.full_name
    await assess(ctx)
    return Next()


async def save_absence(ctx: Context) -> Outcome:
    problem = await checked(ctx)
    if problem is not None:
        return problem
    formation = await current_formation(ctx)
    trainee = await current_trainee(ctx, lock=True)  # erased meanwhile: explorer UD4
    if formation is None or trainee is None:
        ctx.say("formation.trainee_not_found")
        return Leave()
    details = details_of(ctx)
    recorded = await record_absence(
        ctx.session,
        formation,
        trainee,
        details,
        proof=proof_of(ctx),
        # "Enregistrer quand même" on a second late arrival that day, or one of a half-day
        # said, which :func:`checked` found apart from those noted, in this transaction.
        another_late=details.late_half is not None
        or ctx.data.get("_conflict_ok") == f"{details.day.isoformat()}|{details.period}",
        by=ctx.person_id,
        now=ctx.now,
    )
    if isinstance(recorded, Conflict):
        # Someone saved this half-day a moment ago, in another chat or process.
        flag_conflict(ctx, recorded)
        return Next("conflict")
    ctx.say("absence.saved", a=recorded.absence, name=trainee.full_name, label=period_label)
    await tell_of_one(ctx, formation, trainee, recorded)  # a colleague's trainee: KB9
    signal = recorded.signal
    if signal is None and not recorded.followed:
        return await sick_leave_in_a_bilan(ctx, formation, trainee.full_name, recorded.absence)
    if signal is None:
        return Leave()
    if recorded.followed:
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
        "single": signal.single,
        "lates": signal.lates,
        "by_lates": signal.by_lates,
        "sign": signal.sign,
        "name": trainee.full_name,
    }
    ctx.data["saved_absence_id"] = recorded.absence.id
    # /annuler or another command now leaves only the offer, named so (HB3).
    ctx.data["_saved"] = OFFER_FOLLOW_UP
    return Next("offer")


async def sick_leave_in_a_bilan(
    ctx: Context, formation: Formation, name: str, absence: Absence
) -> Outcome:
    """ELY-BILAN-COMP: a sick leave during a bilan de compétences calls for a solution agreed
    with the person (report, maintien, avenant): offered as a short formation's first absence
    offers its follow-up (explorer AF3: « arrêt maladie » noted, nothing said)."""
    if formation.kind != "bilan_competences" or not sick_leave_said(absence.reason):
        return Leave()
    organisation = await organisation_of(ctx.session, ctx.organisation_id)
    if not procedure_on(organisation) or formation.subcontracted:
        return Leave()
    ctx.data["_signal"] = {"sick_leave": True, "name": name}
    ctx.data["saved_absence_id"] = absence.id
    # /annuler or another command now leaves only the offer, named so (HB3).
    ctx.data["_saved"] = "ouvrir le suivi où noter la solution"
    return Next("offer")


async def recap_taken(ctx: Context, picked: str) -> Outcome:
    if picked == "save":
        return await save_absence(ctx)
    if picked == "fix":
        return Next("fix")
    ctx.say("absence.abandoned")
    return Leave()


async def open_decrochage(ctx: Context) -> Outcome:
    """A real hand-over: the absence is saved, the follow-up dialogue takes the conversation."""
    said = ctx.data.get("_signal") or {}
    data = decrochage_data(
        ctx.data["formation_id"],
        ctx.data["trainee_id"],
        # A dialogue saved before « sign » was stored says it by « single ».
        sign=str(said.get("sign") or ("absence" if said.get("single") else "absences_repetees")),
        absence_id=ctx.data.get("saved_absence_id"),
    )
    if said.get("sick_leave"):
        data |= {"cause": "sick_leave", "signs": ["difficultes_personnelles"]}
    return Switch("decrochage", data)


async def decline_decrochage(ctx: Context) -> Outcome:
    said = ctx.data.get("_signal") or {}
    await decline_followup(
        ctx.session,
        ctx.organisation_id,
        int(ctx.data["trainee_id"]),
        by=ctx.person_id,
        now=ctx.now,
        sign="difficultes_personnelles" if said.get("sick_leave") else said.get("sign"),
    )
    ctx.say("absence.offer_declined")
    return Leave()


NEW = new_absence()
FLOWS = [NEW]
