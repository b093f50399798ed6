"""One deadline, opened from ``/echeances``: see it, mark it done, postpone it, undo.

    Bot  Préparer le bilan avec le groupe – bilan de fin du 26/11
         Formation : Agent de restauration (démo)
         Échéance : jeudi 19 novembre 2026 – 🔴 en retard
         Temps d'échange avec le groupe à organiser … (fiche procédure…, §I Avant le bilan).
         [✅ Fait] [Reporter] [Retour à la liste] [Terminé]
    You  Reporter
    Bot  À quelle date la reporter ? Par exemple « vendredi 4 décembre ».
    You  vendredi 27 novembre
    Bot  Le bilan a lieu le jeudi 26 novembre 2026 : cette échéance doit être faite avant lui.
         Choisissez une date jusqu'au mercredi 25 novembre 2026.
    You  mercredi 25 novembre            (confirmée)
    Bot  Pour quelle raison ?
    You  le groupe est en stage lundi
    Bot  C'est noté : « Préparer le bilan avec le groupe » est reportée au mercredi 25 …

    (another deadline, postponed to a Saturday or a Sunday)
    You  samedi 5 décembre               (confirmée)
    Bot  C'est un samedi. Je garde cette date ?   [Oui, je la garde] [Non, une autre date]

Only a date that is the organisation's choice (the seed leaves it open) can
be postponed, with a reason; a date fixed by the funder cannot, and an item
due before a bilan cannot move to its day or after.  A Saturday or a Sunday
is questioned once.  The list calls this flow with ``{"deadline_id": …}``
and gets back the id of a deadline marked done (so it can offer to undo it)
or ``"quit"``.  The writes are :mod:`bot.deadlines.actions`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot import dates
from bot.conversations.formations.choose import member
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Return,
    Switch,
    stored_date,
)
from bot.conversations.kit.steps import Confirm, DateStep, Option, Pick, Text, words
from bot.deadlines.actions import (
    Limit,
    PostponeRefused,
    complete,
    done_by_name,
    done_just_now,
    earliest_postponement,
    filed_by_its_dialogue,
    postpone_deadline,
    postpone_limit,
    postpone_problem,
    postponed_meanwhile,
    postponement_seen,
    reopen,
    too_soon,
    visible_deadline,
)
from bot.deadlines.documents import due_text
from bot.deadlines.lines import booked, concerned
from bot.deadlines.org_settings import is_default
from bot.deadlines.postponed import MAX_POSTPONE_DAYS
from bot.deadlines.reopened import reopened_history
from bot.deadlines.service import group_of
from bot.deadlines.status import at_the_meeting, status_label
from bot.formations.labels import told_apart
from bot.formations.queries import visible_to
from bot.formations.twins import twin_marks
from bot.messages import Reply
from bot.people.members import name_of
from bot.rules.catalogue import milestone_of
from bot.rules.model import without_source
from bot.rules.settings import SETTINGS_BY_KEY
from bot.storage.absences import FollowUp
from bot.storage.bilans import StoredDeadline
from bot.storage.formations import Formation
from bot.storage.people import Organisation, Role


async def deadline_values(ctx: Context) -> dict[str, Any]:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        return {"detail": None}
    names = await titles(ctx)
    who = await concerned(ctx.session, [row])
    # On a day off, the working day before as a hint, as /bilan and the digest give it.
    weekend, friday = (
        dates.weekend_words(row.due_on, ctx.now.astimezone(ctx.tz).date())
        if row.status == "open"
        else ("", "")
    )
    return {
        "detail": {
            "title": row.title,
            "who": who.get(row.id, ""),
            "formation": names.get(row.formation_id, ""),
            "due": due_text(row, ctx.tz)
            if row.status != "postponed"
            else dates.spell_date(row.due_on),
            "late": group_of(row, ctx.now) == "overdue",
            "postponed_to": dates.spell_date(row.postponed_to) if row.postponed_to else None,
            "status": row.status,
            "moved": status_label(row),
            "reason": row.postpone_reason,
            "explanation": without_source(row.explanation, row.source),
            "source": row.source,
            "postponable": row.postponable,
            "org_delay": await _org_delay(ctx, row),
            "rule_id": row.rule_id,
            "weekend": weekend,
            "friday": friday,
            "booked": planned.astimezone(ctx.tz)
            if (planned := (await booked(ctx.session, [row])).get(row.id))
            else None,
            "booked_passed": planned is not None and planned <= ctx.now,  # HB15
            "reopened": await reopened_history(ctx.session, row, ctx.tz),
        }
    }


async def _org_delay(ctx: Context, row: StoredDeadline) -> bool:
    """Whether the delay of a deadline the texts forbid to postpone is the organisation's
    setting (REC-CONTRACT: « avant la mise en place » is the text, one day before is the
    organisation's; NOR-DOCS set to 72 h, the fiche saying 48): « fixée par le texte du
    financeur » would not be true of its date."""
    milestone = milestone_of(row.key)
    if row.postponable or milestone is None or milestone.offset.setting is None:
        return False
    spec = SETTINGS_BY_KEY[milestone.offset.setting]
    if not spec.text_bound:
        return True
    organisation = await ctx.session.get(Organisation, ctx.organisation_id)  # its value now
    return organisation is not None and not is_default(organisation, spec)


DONE_WORDS = frozenset(
    {"fait", "faite", "faites", "c est fait", "ok fait", "fait fait", "c fait", "cest fait"}
)
"""What « ✅ Fait » is, typed: the button just pressed, or its word sent again; « c fait », « c'est
fait » as texted (explorer KF17: « Je n'ai pas reconnu ce choix »)."""


async def deadline_choices(ctx: Context) -> list[Option]:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        return [Option("Retour à la liste", "back")]
    if filed_by_its_dialogue(row):
        options = [Option("Saisir le ticket qualité", "ticket")]
    elif row.subject == "followup":
        options = [Option("Ouvrir le suivi pour le noter", "followup")]
    else:
        options = [Option("✅ Fait", "done", words=tuple(sorted(DONE_WORDS)))]
    if row.postponable:
        options.append(Option("Reporter", "postpone"))
    if row.status == "postponed" and not at_the_meeting(row):
        # The day of a bilan d'étape's meeting follows the bilan (moved with it), not undone
        # here: that gave back a date before the meeting, overdue (explorer Y, Y11).
        earlier = status_label(row) == "avancée"
        options.append(
            Option("↩ Revenir à la date prévue" if earlier else "↩ Annuler le report", "reopen")
        )
    options += [Option("Retour à la liste", "back"), Option("Terminé", "quit")]
    return options


def ticked_here(row: StoredDeadline) -> bool:
    """Whether « ✅ Fait » closes this deadline.  A ticket qualité is filed by its dialogue; a
    contact, an entretien, a compte rendu are done when noted in the follow-up, not ticked
    here (explorer AF5: an entretien « fait » three days before its day, a contact « fait »
    that the ticket then called « Non fait à la clôture »)."""
    return not filed_by_its_dialogue(row) and row.subject != "followup"


async def mark_done(ctx: Context, row: StoredDeadline) -> str | None:
    """``row`` marked done by this person and said, or by a colleague a moment before and
    said so; the refusal to show instead when its day has not come (``None``: done)."""
    if too_soon(row, ctx.now.astimezone(ctx.tz).date()):
        return ctx.render("echeances.too_soon", title=row.title, day=row.due_on)
    done = await complete(ctx.session, ctx.person_id, row.id, ctx.now)
    if done is not None and not done_just_now(done, ctx.person_id, ctx.now):
        await say_already_done(ctx, [done])
        return None
    # Whose: three « Saisir l'entrée dans EOS » read alike (explorer HB16).
    named = row.subject in ("trainee", "followup")
    who = (await concerned(ctx.session, [row])).get(row.id, "") if named else ""
    ctx.say("echeances.marked_done", title=row.title, who=who)
    return None


async def say_already_done(
    ctx: Context,
    rows: list[StoredDeadline],
    said: str = "echeances.already_done",
    *,
    cancelling: bool = False,
) -> None:
    """Pressed « Fait » on what a colleague marked done a moment before: said, with who and
    when, rather than « C'est noté » to both (explorer R R13); ``said``
    « echeances.done_meanwhile » for a postponement (explorer XB8), ``cancelling`` for the
    undo of one (« elle reste faite », closing 39's Left)."""
    first = rows[0]
    ctx.say(
        said,
        title=first.title,
        count=len(rows),
        by=await done_by_name(ctx.session, first),
        yours=first.done_by == ctx.person_id,  # from /echeances while it waited (ZA13)
        cancelling=cancelling,
        at=first.done_at.astimezone(ctx.tz) if first.done_at else None,
    )


SEEN = "postponement_seen"
"""The deadline's postponement when « Reporter » was pressed (:func:`postponement_seen`)."""


async def meanwhile_said(ctx: Context, row: StoredDeadline, **ending: Any) -> str:
    """« … a été reportée entre-temps par Bruno Petit au mercredi 25 novembre 2026 (motif :
    …) »: a colleague's postponement made since « Reporter » was pressed, as « Fait » made
    meanwhile is said (explorer ZA13); ``ending`` says what becomes of her date."""
    return ctx.render(
        "echeances.postponed_meanwhile",
        title=row.title,
        by=await name_of(ctx.session, row.postponed_by),
        yours=row.postponed_by == ctx.person_id,
        to=row.postponed_to,
        reason=row.postpone_reason,
        **({"refused": None, "again": False} | ending),
    )


async def still_waits(ctx: Context) -> bool:
    """At /reprendre, a postponement set aside goes on only for a deadline still to do: one
    marked done meanwhile (by herself from /echeances too) is said, and nothing waits
    (explorer ZA13: « À quelle date la reporter ? » asked again for a deadline done)."""
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        ctx.say("echeances.not_found")
        return False
    if row.status == "done":
        await say_already_done(ctx, [row], "echeances.done_meanwhile")
        return False
    return True


async def on_deadline(ctx: Context, picked: str) -> Outcome:
    if picked == "back":
        return Leave()
    if picked == "quit":
        return Return("quit")
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        ctx.say("echeances.not_found")
        return Leave()
    if picked == "ticket" and filed_by_its_dialogue(row):
        return Switch("decrochage_ticket", {"followup_id": row.subject_id})
    if picked == "followup" and row.subject == "followup":
        followup = await ctx.session.get(FollowUp, row.subject_id)
        if followup is None or followup.closed_at is not None:
            ctx.say("decrochage.not_found")
            return Leave()
        opened = {"formation_id": followup.formation_id, "trainee_id": followup.trainee_id}
        return Switch("decrochage", opened)
    if picked == "done":
        refusal = await mark_done(ctx, row)
        return Retry(refusal) if refusal else Return(row.id)
    if picked == "postpone":
        if row.status == "done":  # by a colleague since the detail was shown (explorer XB8)
            await say_already_done(ctx, [row], "echeances.done_meanwhile")
            return Return(row.id)
        if not row.postponable:
            return Retry(ctx.render("echeances.not_postponable", source=row.source))
        ctx.data[SEEN] = postponement_seen(row)
        return Next()
    if picked == "reopen" and row.status == "postponed" and not at_the_meeting(row):
        undone = await reopen(ctx.session, ctx.person_id, row.id, ctx.now, undoing="postponed")
        if undone is not None and undone.status == "done":  # a colleague's « Fait » meanwhile
            await say_already_done(ctx, [undone], "echeances.done_meanwhile", cancelling=True)
            return Leave()
        ctx.say("echeances.postponement_cancelled", title=row.title, due=due_text(row, ctx.tz))
        return Leave()
    return Retry(ctx.render("common.forged_choice"))


async def check_postpone(ctx: Context, when: datetime) -> str | None:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        return ctx.render("echeances.not_found")
    limit = await postpone_limit(ctx.session, row)
    problem = postpone_problem(row, when.date(), ctx.now.date(), limit)
    refusal = postpone_refusal(ctx, row, problem, limit)
    if postponed_meanwhile(row, ctx.data.get(SEEN)):
        # Said once, her date not taken even if it could be: she chose it against the date
        # she had seen (explorer ZA13); typed again, it is hers knowingly.
        ctx.data[SEEN] = postponement_seen(row)
        said = await meanwhile_said(ctx, row, again=refusal is None)
        return said if refusal is None else f"{said}\n\n{refusal}"
    return refusal


async def postpone_example(ctx: Context) -> str:
    """A new date :func:`check_postpone` accepts today: the first working day after the day
    that counts now (a day off if the bilan leaves no other), never an earlier one."""
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    today = ctx.now.date()
    if row is None:
        return dates.spell_example(today + timedelta(days=1))
    limit = await postpone_limit(ctx.session, row)
    first = earliest_postponement(row, today) + timedelta(days=1)
    allowed = [
        day
        for day in (first + timedelta(days=n) for n in range(7))
        if postpone_problem(row, day, today, limit) is None
    ]
    working = [day for day in allowed if dates.is_working_day(day)]
    return dates.spell_example((working or allowed or [first])[0])


def on_weekend(ctx: Context) -> bool:
    """Whether the new date is a Saturday, a Sunday or a public holiday (then asked once:
    keep it?)."""
    return dates.day_off(stored_date(ctx, "postpone_to")) is not None


async def weekend_values(ctx: Context) -> dict[str, Any]:
    return {"day": dates.day_off(stored_date(ctx, "postpone_to")) or ""}


async def weekend_other_date(ctx: Context) -> Outcome:
    ctx.data.pop("postpone_to", None)
    return Next("postpone_to")


parse_reason = words(300, "echeances.reason_invalid", letters=1)


async def save_postponement(ctx: Context, reason: str) -> Outcome:
    row = await load_deadline(ctx, ctx.data.get("deadline_id"))
    if row is None:
        ctx.say("echeances.not_found")
        return Leave()
    to, before = stored_date(ctx, "postpone_to"), row.effective_due
    seen = ctx.data.get(SEEN)
    try:
        saved = await postpone_deadline(
            ctx.session,
            ctx.person_id,
            row.id,
            ctx.now,
            to=to,
            reason=reason,
            today=ctx.now.date(),
            seen=seen if isinstance(seen, str) else None,
        )
    except PostponeRefused as refused:
        limit = await postpone_limit(ctx.session, row)
        ctx.send(Reply(text=postpone_refusal(ctx, row, refused.problem, limit) or ""))
        return Leave()
    if saved is None:
        ctx.say("echeances.not_found")
        return Leave()
    if saved.status == "done":  # a colleague's « Fait » meanwhile stays (explorer XB8)
        await say_already_done(ctx, [saved], "echeances.done_meanwhile")
        return Leave()
    mine = saved.postponed_by == ctx.person_id and saved.postponed_at == ctx.now
    if not mine and postponed_meanwhile(saved, seen):  # a colleague's since (explorer ZA13)
        ctx.send(Reply(text=await meanwhile_said(ctx, saved, refused=to)))
        return Leave()
    ctx.say("echeances.postponed", title=row.title, to=to, earlier=to < before)
    return Leave()


DEADLINE = Flow(
    "echeance",
    role=Role.FORMATEUR,
    summary="voir une échéance, la marquer faite ou la reporter",
    still=still_waits,
    browsing=True,  # its first question only: a date to report to is typed (runner.leave)
    steps=[
        Pick(
            "deadline",
            ask="echeances.ask_deadline",
            options=deadline_choices,
            values=deadline_values,
            then=on_deadline,
        ),
        DateStep(
            "postpone_to",
            ask="echeances.ask_postpone_to",
            prefer="future",
            check=check_postpone,
            example=postpone_example,
        ),
        Confirm(
            "postpone_weekend",
            ask="echeances.ask_weekend",
            when=on_weekend,
            values=weekend_values,
            no=weekend_other_date,
            yes_label="Oui, je la garde",
            no_label="Non, une autre date",
        ),
        Text(
            "postpone_reason",
            ask="echeances.ask_postpone_reason",
            parse=parse_reason,
            then=save_postponement,
        ),
    ],
)


# --- helpers (the list uses them too) ---------------------------------------------


async def titles(ctx: Context) -> dict[int, str]:
    """The formations this person may see: id → title (with its start day when two share it:
    explorer BD2)."""
    return told_apart(await seen_formations(ctx), await seen_marks(ctx))


async def seen_marks(ctx: Context) -> dict[int, str]:
    """What tells apart the formations one sees of one title and one start day, by id
    (explorer MA3: identical buttons); read once a turn, as :func:`seen_formations`."""
    key = ("echeances.marks", member(ctx))
    found = ctx.session.info.get(key)
    if found is None:
        found = ctx.session.info[key] = await twin_marks(ctx.session, await seen_formations(ctx))
    return dict(found)


async def seen_formations(ctx: Context) -> list[tuple[int, str, date]]:
    """The formations this person may see: id, title and start day, latest first.

    One light query a turn (kept in the turn's session, since every step of the list asks
    for them and they cannot change within a turn of ``/echeances``): 40 formations cost
    what two do.
    """
    seen = member(ctx)
    key = ("echeances.titles", seen)
    found = ctx.session.info.get(key)
    if found is None:
        rows = await ctx.session.execute(
            select(Formation.id, Formation.title, Formation.start_date)
            .where(*visible_to(seen))
            .order_by(Formation.start_date.desc(), Formation.id.desc())
        )
        found = ctx.session.info[key] = [(int(i), str(t), d) for i, t, d in rows.all()]
    return list(found)


async def load_deadline(ctx: Context, deadline_id: object) -> StoredDeadline | None:
    """The deadline if it belongs to a formation this person may see."""
    return await visible_deadline(ctx.session, deadline_id, await titles(ctx))


def postpone_refusal(
    ctx: Context, row: StoredDeadline, problem: str | None, limit: Limit | None = None
) -> str | None:
    """The re-ask for a postponement date that cannot be (``None``: it can)."""
    if problem in ("after_bilan", "after_end") and limit is not None:
        latest = limit.day - timedelta(days=1)
        room = latest > earliest_postponement(row, ctx.now.date())
        return ctx.render(
            f"echeances.postpone_{problem}", bilan=limit.day, latest=latest, room=room
        )
    if problem == "fixed":
        return ctx.render("echeances.not_postponable", source=row.source)
    if problem == "too_early":
        due = earliest_postponement(row, ctx.now.date())
        return ctx.render("echeances.postpone_too_early", due=due)
    if problem == "too_far":
        return ctx.render("echeances.postpone_too_far", days=MAX_POSTPONE_DAYS)
    return None
