"""Correcting or deleting an absence one has logged (``/absences``).

    You  /absences
    Bot  Dans quelle formation ?
    You  Agent de restauration
    Bot  Quelle absence ? (les plus récentes d'abord)   [20/11 matin – Léa Martin] …
    You  20/11 matin – Léa Martin
    Bot  Léa Martin, vendredi 20 novembre 2026 : que voulez-vous corriger ?
         [Corriger la date] [Corriger la période] [Justification et motif] [Supprimer] [Rien]
    You  Corriger la date
    Bot  Quel jour Léa Martin était-elle absente ou en retard ?
    …
    Bot  Après correction : … Enregistrer la correction ?
    You  Enregistrer la correction
    Bot  Correction enregistrée : Léa Martin, matin du jeudi 19 novembre 2026, absence non justifiée.

A formateur sees the absences they logged, an admin all of the formation's.
Only the answers the chosen correction drops are asked again (the same
questions as ``/absence``: :mod:`bot.conversations.absences.details`); the
others stay known and skip themselves.  Saving is
:func:`bot.absences.log.correct_absence`; "Supprimer" asks for confirmation
and calls :func:`bot.absences.log.delete_absence` (the row and the audit
keep it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from bot.absences.clashes import Conflict, period_label
from bot.absences.days import read_days
from bot.absences.first_sign import move_first_sign, opened_by
from bot.absences.line import date_words
from bot.absences.log import (
    correct_absence,
    delete_absence,
    editable_absences,
    formations_with_editable,
)
from bot.conversations.absences.after_absences import (
    day_and_trainee,
    formation_and_day,
    formations_of_day,
    said_without_absences,
    typed_day,
)
from bot.conversations.absences.details import (
    FORGOTTEN,
    checked,
    detail_steps,
    details_of,
    flag_conflict,
    proof_of,
    recap_values,
)
from bot.conversations.absences.steps import (
    chosen_formation,
    current_formation,
    current_trainee,
    single_formation,
)
from bot.conversations.formations.after_command import read_after_command, typed_after
from bot.conversations.formations.choose import formation_options, formations_of_trainee
from bot.conversations.kit.carry import NARROWED
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry, leave_saying
from bot.conversations.kit.many import FINISHED_WORDS
from bot.conversations.kit.matching import matching
from bot.conversations.kit.steps import Confirm, Option, Pick
from bot.people.members import name_of
from bot.storage.absences import Absence, StoredDocument


async def one_day_corrected(ctx: Context) -> Outcome | None:
    """« du 16 au 18 novembre » for a correction's date: one absence is one day; the other
    days are new absences, said how to note them."""
    if read_days(date_words(ctx.incoming.text[:300]), ctx.now) is None:
        return None
    return Retry(ctx.render("absence.correction_one_day", name=ctx.data.get("name") or ""))


def correct_absences() -> Flow:
    """The dialogue above; its answers are handled by the functions below."""
    return Flow(
        "absences",
        # Its command, /aide line and who may use it: bot/features/absences.py.
        start=edit_start,
        steps=[
            Pick(
                "formation",
                ask="absence.ask_formation",
                options=formations_noted,
                store="formation_id",
                unless_known=True,
                then=choose_formation,
            ),
            Pick(
                "absence",
                ask="absence.ask_which_absence",
                options=absence_options,
                then=choose_absence,
            ),
            Pick(
                "action",
                ask="absence.ask_edit_action",
                options=ACTIONS,
                before=as_stored,
                then=choose_action,
            ),
            *detail_steps(several=one_day_corrected),
            Confirm(
                "recap",
                ask="absence.recap_edit",
                values=recap_edit_values,
                yes=save_correction,
                no=keep_absence,
                yes_label="Enregistrer la correction",
                no_label="Abandonner",
            ),
        ],
        branches=[
            Confirm(
                "confirm_delete",
                ask="absence.confirm_delete",
                yes=delete,
                no=keep_absence,
                yes_label="Oui, supprimer",
                exact=True,
                no_label="Non, garder",
            ),
        ],
    )


ACTIONS = [
    Option("Corriger la date", "date"),
    Option("Corriger la période", "period"),
    # Said for a retard as for an absence (explorer AI26: « Justifiée ou non » for a retard).
    Option("Justification et motif", "justified"),
    Option("Supprimer", "delete"),
    # « Terminé », typed where this menu has none, is nothing to correct (explorer BF8).
    Option("Rien, c'est juste", "nothing", words=tuple(FINISHED_WORDS)),
]


async def editable(ctx: Context) -> list[Absence]:
    return await editable_absences(
        ctx.session,
        organisation_id=ctx.organisation_id,
        formation_id=ctx.data.get("formation_id"),
        person_id=ctx.person_id,
        admin=bool(ctx.actor and ctx.actor.is_admin),
    )


async def load_absence(ctx: Context, absence_id: object) -> Absence | None:
    try:
        wanted = int(str(absence_id))
    except ValueError:
        return None
    return next((a for a in await editable(ctx) if a.id == wanted), None)


async def absence_options(ctx: Context) -> list[Option]:
    formation = await current_formation(ctx)
    if formation is None:
        return []
    trainees = {t.id: t for t in formation.trainees}

    def label(absence: Absence) -> str:
        trainee = trainees.get(absence.trainee_id)
        name = trainee.full_name if trainee is not None else "?"
        # An exit recorded (or moved) before it: explorer I, such days went unmarked.
        gone = (
            " – après sa sortie" if trainee is not None and trainee.left_before(absence.day) else ""
        )
        return f"{absence.day:%d/%m} {period_label(absence.period, absence.late_minutes, absence.late_half)} – {name}{gone}"

    return [Option(label(a), str(a.id)) for a in await editable(ctx)]


async def noted(ctx: Context) -> set[int]:
    return await formations_with_editable(
        ctx.session,
        organisation_id=ctx.organisation_id,
        person_id=ctx.person_id,
        admin=bool(ctx.actor and ctx.actor.is_admin),
    )


async def formations_noted(ctx: Context) -> list[Option]:
    """The formations with absences to correct, not every formation."""
    holding = {str(f) for f in await noted(ctx)}
    return [o for o in await formation_options(ctx) if o.value in holding]


async def edit_start(ctx: Context) -> Outcome | None:
    apart = await day_and_trainee(ctx, typed_after(ctx, "absences"))
    if apart is None:
        return await _edit_start(ctx)
    said = ctx.incoming  # « /absences 20/11 Karim »: as « /absences Karim », then that day
    ctx.incoming = replace(said, text=f"/absences {apart[1]}")
    try:
        outcome = await _edit_start(ctx)
    finally:
        ctx.incoming = said
    if outcome is None and "formation_id" in ctx.data:
        await _narrow_to_day(ctx, apart[0], " ".join(said.argument.split()))
    return outcome


async def _narrow_to_day(ctx: Context, day: date, typed: str) -> None:
    """The absences already narrowed to a trainee's, that day's alone (explorer UA9)."""
    days = {str(a.id): a.day for a in await editable(ctx)}
    narrowed = ctx.data.get(NARROWED) or {}
    only = [v for v in narrowed.get("_only", list(days)) if days.get(v) == day]
    if not only:
        ctx.say("absence.none_that_day", day=day)
    else:
        ctx.data[NARROWED] = {"_only": only, "_sought": typed[:60], "_page": 0}


async def _edit_start(ctx: Context) -> Outcome | None:
    formations = await single_formation(ctx)
    if not formations:
        ctx.say("absence.no_formation")
        return Leave()
    alone: list[Option] = []  # the one formation holding absences, not asked for
    typed = typed_after(ctx, "absences")
    if len(formations) == 1 and typed:  # the only one: its words read as with several (DC7)
        ctx.data.pop("formation_id", None)
    if "formation_id" not in ctx.data:
        offered = await formations_noted(ctx)
        if not offered:
            ctx.say("absence.none_noted")
            return Leave()
        dated = await formation_and_day(ctx, typed, offered)
        if dated is not None:  # « /absences 19/11 Projet »: that day's there (explorer SA8)
            ctx.data["formation_id"], typed = int(dated[0]), dated[1]
        elif len(offered) == 1:  # one formation holds them: no question
            ctx.data["formation_id"] = int(offered[0].value)
            alone = offered
        elif (day := typed_day(ctx, typed)) is not None:  # « /absences 22/11 » (MB6)
            await formations_of_day(ctx, offered, day, typed)
        elif not await said_without_absences(ctx, typed, offered):
            # « /absences Maçon – Caen », « /absences Karim Benali » (explorer KB7)
            await read_after_command(ctx, "absences", offered)
    if "formation_id" in ctx.data and not await editable(ctx):
        ctx.say("absence.none_to_edit")
        return Leave()
    ctx.data["_after"] = typed[:200]
    if (
        "formation_id" in ctx.data
        and not await narrow_to_trainee(ctx)
        and alone
        and not await said_without_absences(ctx, typed, alone)
    ):
        # Words fitting no trainee's absence: read as with several formations, said when they
        # fit nothing (explorer MA10: « /absences zorglub » was dropped without a word).
        await read_after_command(ctx, "absences", alone)
    return None


async def narrow_to_trainee(ctx: Context) -> bool:
    """« /absences Karim Benali », the formation known: his absences alone (explorer KB7);
    a trainee with none there said so (MA10); « /absences 22/11 », that day's (MB6). Whether
    the words were a trainee's name or a day."""
    typed = str(ctx.data.get("_after") or "")
    day = typed_day(ctx, typed)
    if day is not None:
        days = {str(a.id): a.day for a in await editable(ctx)}
        that_day = [value for value, each in days.items() if each == day]
        if not that_day:
            ctx.say("absence.none_that_day", day=day)
        elif len(that_day) < len(days):
            ctx.data[NARROWED] = {"_only": that_day, "_sought": typed[:60], "_page": 0}
        return True
    options = await absence_options(ctx) if typed else []
    labels = {o.value: [*o.label.split(" – "), ""][1] for o in options}  # the name alone
    found = matching(typed, list(labels), labels=labels)
    if found and len(found) < len(options):
        ctx.data[NARROWED] = {"_only": found, "_sought": typed[:60], "_page": 0}
    if found or not typed or not await formations_of_trainee(ctx, typed):
        return bool(found)
    ctx.say("formation.after_command_elsewhere", typed=typed[:60], command="absences")
    return True


async def choose_formation(ctx: Context, picked: str) -> Outcome:
    if await chosen_formation(ctx, picked) is None:
        return Retry(ctx.render("formation.not_found"))
    if not await editable(ctx):
        ctx.say("absence.none_to_edit")
        return Leave()
    await narrow_to_trainee(ctx)
    return Next()


async def choose_absence(ctx: Context, picked: str) -> Outcome:
    absence = await load_absence(ctx, picked)
    if absence is None:
        return Retry(ctx.render("absence.not_found"))
    await keep_stored(ctx, absence)
    return Next()


async def as_stored(ctx: Context) -> Outcome | None:
    """Before « que voulez-vous corriger ? »: the absence's answers as stored, so that
    « Retour » from a correction begun (its date forgotten) finds them again (explorer E:
    it failed, every time)."""
    absence = await load_absence(ctx, ctx.data.get("absence_id"))
    if absence is None:
        await say_absence_gone(ctx)
        return Leave()
    await keep_stored(ctx, absence)
    return None


async def keep_stored(ctx: Context, absence: Absence) -> None:
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
        late_half=absence.late_half,
        justified=absence.justified,
        reason=absence.reason,
        proof=None,
        _outside_ok=absence.day.isoformat(),
        _weekend_ok=absence.day.isoformat(),  # asked when it was logged: not again
    )


async def recap_edit_values(ctx: Context) -> dict[str, object]:
    """The recap's values, with the proof the absence keeps when it is corrected to
    unjustified (explorer EC8: kept without a word, the exports reading « justifiée : non »
    beside it). It stays attached by decision: the trainee's erasure finds it through the
    absence, and unlinked it would outlive her."""
    values = {**await recap_values(ctx), "kept_proof": None, "replaced_proof": None}
    absence = await load_absence(ctx, ctx.data.get("absence_id"))
    if absence is not None and absence.proof_id is not None:
        document = await ctx.session.get(StoredDocument, absence.proof_id)
        filename = document.filename if document is not None else None
        if not ctx.data.get("justified"):
            values["kept_proof"] = filename
        elif ctx.data.get("proof"):  # a new one replaces it: erased with the saving (FA2)
            values["replaced_proof"] = filename
    return values


async def choose_action(ctx: Context, picked: str) -> Outcome:
    if picked == "nothing":
        ctx.say("absence.nothing_changed")
        return Leave()
    if picked == "delete":
        return Next("confirm_delete")
    for key in FORGOTTEN[picked]:
        ctx.data.pop(key, None)
    return Next()


async def save_correction(ctx: Context) -> Outcome:
    problem = await checked(ctx)
    if problem is not None:
        return problem
    # The trainee held and read again first, as an erasure holds them: one at the same moment
    # waits for this proof and erases it, or is waited for (YC after explorer UD4: the
    # certificate stayed, nobody's, and the other order failed the turn).
    await current_trainee(ctx, lock=True)
    absence = await load_absence(ctx, ctx.data.get("absence_id"))
    if absence is None:
        await say_absence_gone(ctx)
        return Leave()
    before = absence.day
    changed = await correct_absence(
        ctx.session, absence, details_of(ctx), proof=proof_of(ctx), by=ctx.person_id, now=ctx.now
    )
    if isinstance(changed, Conflict):
        # The half-day was noted by someone else a moment ago, in another chat or process.
        flag_conflict(ctx, changed)
        return Next("conflict")
    if not changed:  # the same answers as noted (explorer EC9: « Correction enregistrée »)
        trainee = await current_trainee(ctx)
        name = trainee.full_name if trainee else ""
        ctx.say("absence.unchanged", a=absence, name=name, label=period_label)
        return Leave()
    followup = await opened_by(ctx.session, absence)
    moved = await move_first_sign(ctx.session, followup, before, absence.day, by=ctx.person_id)
    trainee = await current_trainee(ctx)
    ctx.say(
        "absence.updated",
        a=absence,
        name=trainee.full_name if trainee else "",
        label=period_label,
        followup_moved=moved,
    )
    return Leave()


async def delete(ctx: Context) -> Outcome:
    await current_trainee(ctx, lock=True)  # an erasure at the same moment: as above
    absence = await load_absence(ctx, ctx.data.get("absence_id"))
    if absence is None:
        await say_absence_gone(ctx)
        return Leave()
    followup = await opened_by(ctx.session, absence)
    await delete_absence(ctx.session, absence, by=ctx.person_id, now=ctx.now)
    trainee = await current_trainee(ctx) if followup is not None else None
    ctx.say("absence.deleted", followup_of=trainee.full_name if trainee else "")
    return Leave()


keep_absence = leave_saying("absence.nothing_changed")


EDIT = correct_absences()
FLOWS = [EDIT]


async def say_absence_gone(ctx: Context) -> None:
    """« Cette absence a été supprimée entre-temps par Camille Durand, le … » when a colleague
    deleted it while this correction was under way, else « Je ne trouve pas cette absence »
    (explorer KC8: the second of two administrators was walked through the whole correction,
    then told it was not among those she may correct)."""
    wanted = str(ctx.data.get("absence_id", ""))
    absence = await ctx.session.get(Absence, int(wanted)) if wanted.isdigit() else None
    if (
        absence is None
        or absence.deleted_at is None
        or absence.organisation_id != ctx.organisation_id
    ):
        ctx.say("absence.not_found")
        return
    ctx.say(
        "absence.deleted_meanwhile",
        by=await name_of(ctx.session, absence.deleted_by),
        yours=absence.deleted_by == ctx.person_id,
        at=absence.deleted_at.astimezone(ctx.tz),
    )
