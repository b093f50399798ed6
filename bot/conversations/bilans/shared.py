"""What /bilan and "Déplacer" share: the date question with its warning, the documents.

    Bot  Quand ? Donnez le jour et l'heure, par exemple « jeudi 26 novembre à 14 h ».
    You  mercredi 25 novembre à 15 h
    Bot  J'ai compris : mercredi 25 novembre 2026 à 15 h 00. C'est bien ça ?
         ⚠️ Attention : le bilan pédagogique doit parvenir à Mme Sophie Leroy au plus
         tard le lundi 23 novembre 2026 à 15 h 00 … dans moins de 24 heures.
    You  Oui, c'est ça
    …
    Bot  [invitation .ics] [ordre du jour (PDF)] [message à la personne chargée de mission]

The warning comes with the confirmation itself (NOR-DOCS: the documents 48 h
before a remote Normandie bilan at the latest), and again in the recap.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from bot import dates
from bot.answers import Invalid, clean_line, visible
from bot.bilans.checks import DEFAULT_MINUTES, minutes_fit, visio_url
from bot.bilans.notify import (
    Reach,
    notify_participants,
)
from bot.bilans.queries import (
    clashes,
    documents_deadlines,
    documents_due,
    documents_limit,
    unreachable,
    visible_bilan,
)
from bot.bilans.view import ROLE_WORDS, BilanView, kind_label
from bot.conversations.bilans.funder_contact import (
    charge_de_mission_mail,
    emails_the_charge_de_mission,
    tell_charge_de_mission,
)
from bot.conversations.bilans.gone import say_bilan_gone
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Next, Outcome
from bot.conversations.kit.steps import Option
from bot.deadlines import documents
from bot.deadlines.service import group_of
from bot.formations.queries import Member, load_formation
from bot.mailer import looks_like_email
from bot.messages import Document, Reply
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.formations import Formation
from bot.storage.people import Person

LATE_HOURS = 48
"""Fewer hours than this before a remote Normandie bilan: the documents deadline is at risk."""


def viewer_of(ctx: Context) -> Member:
    return Member(
        organisation_id=ctx.organisation_id,
        person_id=ctx.person_id,
        admin=ctx.actor is not None and ctx.actor.is_admin,
    )


async def formation_of(ctx: Context) -> Formation | None:
    """The formation of the bilan being scheduled or moved, if this person may see it."""
    return await load_formation(ctx.session, viewer_of(ctx), ctx.data.get("formation_id"))


async def the_bilan(ctx: Context) -> tuple[Bilan, Formation] | None:
    """The bilan of this dialogue (``bilan_id``), if this person may see it."""
    return await visible_bilan(ctx.session, viewer_of(ctx), ctx.data.get("bilan_id"))


async def unless_gone(ctx: Context) -> Outcome | None:
    """Ends the dialogue, saying so, when its bilan is gone (cancelled meanwhile)."""
    if await the_bilan(ctx) is None:
        await say_bilan_gone(ctx)
        return Leave()
    return None


async def parse_url(ctx: Context, text: str) -> str | Invalid:
    """A visio link: a full http(s) address (``/bilan``, and given later in ``/bilans``)."""
    line = clean_line(text, limit=500)
    if isinstance(line, Invalid):
        return line
    url = visio_url(line)
    return url if url is not None else Invalid(ctx.render("bilan.url_invalid"))


def short_moment(moment: datetime, ctx: Context) -> str:
    local = moment.astimezone(ctx.tz)
    return f"{local:%d/%m/%Y} à {dates.spell_time(local)}"


def when_text(ctx: Context) -> str:
    when = ctx.data.get("when")
    return dates.spell_datetime(datetime.fromisoformat(when)) if when else ""


def deadline_lines(ctx: Context, rows: Sequence[StoredDeadline]) -> list[dict[str, Any]]:
    lines = []
    today = ctx.now.astimezone(ctx.tz).date()
    for r in rows:
        late = r.status in ("open", "postponed") and group_of(r, ctx.now) == "overdue"
        # The texts set no shift (48 h before is 48 h before): the Friday is a hint.
        weekend, friday = (
            dates.weekend_words(r.effective_due, today)
            if r.status in ("open", "postponed") and not late
            else ("", "")
        )
        lines.append(
            {
                "title": r.title,
                "due": documents.due_text(r, ctx.tz),
                "clock": documents.clock_moved(r),  # marked, explained once (WB)
                "done": r.status == "done",
                "missed": r.status == "missed",
                "late": late,
                "weekend": weekend,
                "friday": friday,
            }
        )
    return lines


def reach_of(ctx: Context) -> Reach:
    """Where the bot writes to a bilan's participants by itself: their chat, a Matrix
    direct chat it opens (on Matrix), an e-mail with the ``.ics`` (SMTP configured)."""

    def calendar(view: BilanView, cancelled: bool) -> Document:
        return documents.invitation_document(view, stamp=ctx.now, caption="", cancelled=cancelled)

    return Reach(
        ctx.features.chat_of,
        email=ctx.settings.has_smtp,
        matrix=ctx.settings.has_matrix,
        calendar=calendar,
    )


async def invite_participants(
    ctx: Context, view: BilanView, *, only: BilanParticipant | None = None
) -> None:
    """The bilan's invitation, with its ``.ics``, sent by the bot to each participant it
    can write to (``only``: one just added).  Not on Matrix for a remote bilan: there the
    attestation invitation opens the direct chat and says the date."""
    reach = reach_of(ctx)
    if view.bilan.remote:
        reach = dataclasses.replace(reach, matrix=False)
    names = [
        p.name
        for p in ([only] if only is not None else view.bilan.participants)
        if await reach(ctx.session, p) is not None
    ]
    if not names:
        return
    text = ctx.render(
        "bilan.notice_invited",
        kind=kind_label(view.bilan.kind),
        title=view.formation.title,
        when=dates.spell_datetime(view.start),
    )
    await notify_participants(
        ctx.session, view.bilan, event="invited", text=text, chat_of=reach, only=only
    )
    ctx.say("bilan.participants_invited", names=names)


async def send_documents(
    ctx: Context,
    view: BilanView,
    *,
    moved_from: datetime | None = None,
    updated: bool = False,
    resend: bool = False,
) -> None:
    """The invitation, the agenda, the funder's own message to its contact (a move or an
    update said first, as the bot's own e-mail says it) and, on site, the feuille
    d'émargement to print.  The captions say to whom the trainer must still forward them:
    only those the bot could not write to itself.  ``resend`` (« Renvoyer l'invitation et
    les documents »): the bot sends nobody anything again, and the captions say so rather
    than « je les préviens moi-même » (explorer UE3)."""
    stamp = ctx.now
    rows = await documents_deadlines(ctx.session, view.bilan)
    missing = await unreachable(ctx.session, view.bilan, reach_of(ctx))
    with_email = [
        p.name
        for p in view.bilan.participants
        if p.name in missing and looks_like_email(p.contact or "")
    ]
    ctx.send(
        Reply(
            document=documents.invitation_document(
                view,
                stamp=stamp,
                caption=ctx.render(
                    "bilan.caption_ics",
                    resend=resend,
                    forward=missing,
                    invited=bool(view.bilan.participants),
                    no_smtp=bool(with_email) and not ctx.settings.has_smtp and not resend,
                ),
            )
        )
    )
    ctx.send(
        Reply(document=documents.agenda_document(view, caption=ctx.render("bilan.caption_agenda")))
    )
    cm = view.formation.cm_name
    ctx.send(
        Reply(
            document=documents.email_document(
                view,
                charge_de_mission_mail(ctx, view, rows, moved_from=moved_from, updated=updated),
                caption=ctx.render(
                    "bilan.caption_email",
                    cm=cm,
                    funder=view.formation.funder,
                    resend=resend,
                    emailed=view.formation.cm_email
                    if emails_the_charge_de_mission(ctx, view)
                    else None,
                    # On Matrix she gets the invitation alone: the agenda is the trainer's
                    # to send, said (explorer DC8: the draft promised it « ci-joint »).
                    matrix=bool(view.formation.cm_matrix) and ctx.settings.has_matrix,
                    # Told of nothing by the bot, she keeps the old date unless the
                    # trainer forwards this (explorer GE3).
                    news="moved" if moved_from is not None else "updated" if updated else "",
                ),
            )
        )
    )
    if not view.bilan.remote:  # on site, the proof is the signed sheet
        ctx.send(
            Reply(
                document=documents.sheet_document(view, caption=ctx.render("bilan.caption_sheet"))
            )
        )


def participant_options(
    participants: Sequence[BilanParticipant], gone: Mapping[int, str] | None = None
) -> list[Option]:
    """The participants to pick from ("Hugo Moreau (pour les stagiaires)"), by their id;
    ``gone``: the words after a trainee's name whose exit came before the bilan
    (« – sortie le … », explorer L: the exit's warning sent here, where it was unsaid)."""
    gone = gone or {}
    return [
        Option(
            f"{p.name} ({ROLE_WORDS.get(p.kind, p.kind)})"
            + (
                f" {gone[p.trainee_id]}"
                if p.trainee_id is not None and p.trainee_id in gone
                else ""
            ),
            str(p.id),
        )
        for p in participants
    ]


def departed(ctx: Context, bilan: Bilan, formation: Formation) -> dict[int, str]:
    """The trainees of ``formation`` gone before ``bilan``'s day, with their « – sortie le … »."""
    day = bilan.starts_at.astimezone(ctx.tz).date()
    return {
        t.id: ctx.label("bilan.departed_option", t=t)
        for t in formation.trainees
        if t.left_before(day)
    }


async def picked_name(ctx: Context) -> dict[str, Any]:
    """The name of the participant picked under ``who``, for the confirmation."""
    found = await the_bilan(ctx)
    names = {str(p.id): p.name for p in found[0].participants} if found else {}
    return {"name": names.get(str(ctx.data.get("who")), "")}


async def after_change(ctx: Context, view: BilanView) -> None:
    """A new version of the bilan (a participant, its link): the documents again, to
    forward; on Matrix, the chargé(e) de mission gets the new invitation."""
    await send_documents(ctx, view, updated=True)
    await tell_charge_de_mission(ctx, view, updated=True)


# --- the date, and the documents deadline ----------------------------------------------


async def late_facts(ctx: Context, when: datetime) -> dict[str, Any] | None:
    """What the warning owed when fewer than 48 h remain before a remote Normandie bilan says.

    Facts, not the rendered warning, are kept in the conversation: a sentence
    already escaped would be escaped again by the recap that shows it.
    """
    if ctx.data.get("remote") != "remote":
        return None
    formation = await formation_of(ctx)
    if formation is None:
        return None
    due = await documents_due(
        ctx.session,
        formation,
        kind=ctx.data.get("kind") or "fin",
        starts_at=when,
        minutes=int(ctx.data.get("duration") or DEFAULT_MINUTES),
        exclude=ctx.data.get("bilan_id"),
    )
    if due is None:
        return None
    # Due on a day off whose last working day before is today (explorer AS3: booked on the
    # Friday before Whit Monday, due the Sunday, 43 h away, and not a word).
    today = ctx.now.astimezone(ctx.tz).date()
    act_today = dates.day_to_act(due.astimezone(ctx.tz).date()) == today
    far = when - ctx.now >= timedelta(hours=LATE_HOURS) and due - ctx.now >= timedelta(hours=24)
    if far and not act_today:
        return None
    # The fiche's own « 48h avant maximum » where the organisation gave itself more
    # (/reglages): its delay gone by is no delay to confess to the Région (explorer KB1).
    limit = documents_limit(when, ctx.tz)
    return {
        "due": dates.spell_datetime(due.astimezone(ctx.tz)),
        "missed": due <= ctx.now,
        "cm": formation.cm_name,
        "today": act_today and due > ctx.now,
        "limit": dates.spell_datetime(limit.astimezone(ctx.tz)) if limit > due else None,
        "limit_missed": limit <= ctx.now,
    }


EXAMPLE_HOUR = 14


async def when_example(ctx: Context) -> str:
    """A date :func:`check_when` accepts today: a weekday at 14 h, a week ahead (or from the
    formation's start; for a bilan de fin, from two weeks before its end, so that the example
    draws no warning of :func:`odd_for_its_kind`), not a day off, other than the bilan's
    current date."""
    formation = await formation_of(ctx)
    day = ctx.now.astimezone(ctx.tz).date() + timedelta(days=7)
    if formation is not None:
        day = max(day, formation.start_date)
        if ctx.data.get("kind") == "fin":
            day = max(day, formation.end_date - timedelta(days=14))
    current = ctx.data.get("current_start")
    taken = datetime.fromisoformat(current).astimezone(ctx.tz).date() if current else None
    while not dates.is_working_day(day) or day == taken:
        day += timedelta(days=1)
    return dates.spell_example(day, hour=EXAMPLE_HOUR)


async def check_when(ctx: Context, when: datetime) -> str | None:
    if when <= ctx.now:
        return ctx.render("bilan.when_past", example=await when_example(ctx))
    if when > ctx.now + timedelta(days=2 * 366):
        return ctx.render("bilan.when_too_far")
    formation = await formation_of(ctx)
    if formation is not None and when.date() < formation.start_date:
        return ctx.render("bilan.when_before_start", start=formation.start_date)
    current = ctx.data.get("current_start")
    if current and datetime.fromisoformat(current) == when:
        return ctx.render("common.already_planned", period=False)
    return None


async def keep_late_warning(ctx: Context, when: str) -> Outcome:
    """Once the date is confirmed, its warning is kept for the recap and the last message,
    and the length of a slot typed with it is the answer to « Combien de temps ? »."""
    ctx.data["late"] = await late_facts(ctx, datetime.fromisoformat(when))
    typed = ctx.data.pop(TYPED_LENGTH, None)
    if typed is not None:
        ctx.data["duration"] = typed
    return Next()


LONG_AFTER_END = timedelta(days=62)
"""A bilan this long after its formation's end is pointed out (a year typed wrong)."""


async def bilan_warnings(ctx: Context, when: datetime) -> list[str]:
    """What the bilan's date confirmation adds: a day off, an hour of the night, a day long
    after the formation's end, a documents deadline already late."""
    warnings = []
    # A slip more often than a plan (« jeudi » meant for a holiday): said, not refused.
    local = when.astimezone(ctx.tz)
    if off := dates.day_off(local.date()):
        warnings.append(ctx.render("common.day_off_warning", off=off))
    if dates.odd_hour(local):  # « 4h46 »: the middle of the night
        warnings.append(ctx.render("common.odd_hour_warning", at=local))
    formation = await formation_of(ctx)
    if formation is not None and local.date() > formation.end_date + LONG_AFTER_END:
        warnings.append(ctx.render("bilan.long_after_end_warning", end=formation.end_date))
    if formation is not None and (odd := await odd_for_its_kind(ctx, formation, local.date())):
        warnings.append(odd)
    if late := await late_facts(ctx, when):
        warnings.append(ctx.render("bilan.late_warning", late=late))
    if formation is not None:
        warnings.extend(await clash_warnings(ctx, formation, when))
    return warnings


EARLY_FOR_AN_END = timedelta(days=62)
"""A bilan de fin de formation this long before the formation's end is pointed out."""


async def odd_for_its_kind(ctx: Context, formation: Formation, day: date) -> str | None:
    """A bilan de fin months before the end, or a bilan d'étape after it: a slip of the
    date or of the kind, said, not refused (explorer Z, Z6: a « bilan de fin » booked three
    months and a half before the end went into the sworn attestations as such)."""
    kind = ctx.data.get("kind")
    if kind is None and ctx.data.get("bilan_id"):  # moved: the bilan's own kind
        moved = await ctx.session.get(Bilan, int(ctx.data["bilan_id"]))
        kind = moved.kind if moved is not None else None
    if kind == "fin" and day < formation.end_date - EARLY_FOR_AN_END:
        return ctx.render("bilan.early_for_an_end_warning", end=formation.end_date)
    if kind == "etape" and day > formation.end_date:
        return ctx.render("bilan.etape_after_end_warning", end=formation.end_date)
    return None


async def clash_warnings(ctx: Context, formation: Formation, when: datetime) -> list[str]:
    """Another bilan at that time with the same trainer or chargé(e) de mission: said, not
    refused (two groups may share a visio). The length is the bilan's when it is moved,
    the usual one when it is being scheduled (asked after the date)."""
    besides = ctx.data.get("bilan_id")
    moved = await ctx.session.get(Bilan, int(besides)) if besides else None
    length = moved.ends_at - moved.starts_at if moved else timedelta(minutes=DEFAULT_MINUTES)
    found = await clashes(
        ctx.session,
        formation,
        when,
        when + length,
        besides=moved.id if moved else None,
    )
    return [
        ctx.render(
            "bilan.clash_warning",
            kind=kind_label(c.bilan.kind),
            title=c.title,
            span=dates.spell_span(
                c.bilan.starts_at.astimezone(ctx.tz), c.bilan.ends_at.astimezone(ctx.tz)
            ),
            trainer=(await _trainer_of(ctx, formation)) if c.same_trainer else None,
            cm=c.same_cm,
        )
        for c in found
    ]


async def _trainer_of(ctx: Context, formation: Formation) -> str:
    """« vous », or the name of the one in charge when someone else schedules for her."""
    if formation.owner_id == ctx.person_id:
        return "vous"
    owner = await ctx.session.get(Person, formation.owner_id)
    return visible(owner.display_name) if owner is not None else "la même personne"


TIME_RANGE = re.compile(
    r"(?:\bde\s+)?(?P<h1>\d{1,2})\s*h\s*(?P<m1>\d{2})?\s*(?:à|a|-|–|jusqu'à|jusqu'a)\s*"
    r"(?P<h2>\d{1,2})\s*h\s*(?P<m2>\d{2})?\b",
    re.I,
)
"""« de 14h à 16h », « 14h-16h30 »: a slot, as people give one."""
TYPED_LENGTH = "_typed_minutes"
"""The length a slot typed with the date gave, until the date is confirmed."""


def slot_besides(ctx: Context, text: str) -> tuple[str, str | None]:
    """« jeudi 10/12 de 14h à 16h »: the start goes to the date reader, the length is kept
    for the duration question, not asked then (explorer Z, Z12: « Je n'ai pas compris
    cette date »); a slot no bilan fits (over 8 hours, reversed) is left to that question."""
    found = TIME_RANGE.search(text)
    ctx.data.pop(TYPED_LENGTH, None)
    if found is None:
        return text, None
    hours, minutes = (
        (int(found["h1"]), int(found["h2"])),
        (int(found["m1"] or 0), int(found["m2"] or 0)),
    )
    start, end = hours[0] * 60 + minutes[0], hours[1] * 60 + minutes[1]
    rest = f"{text[: found.start()]} à {found['h1']}h{found['m1'] or ''} {text[found.end() :]}"
    if max(hours) > 23 or max(minutes) > 59 or not minutes_fit(end - start):
        return rest, None  # « 20h à 24h », « 14h75 »: no hour of a day, said by the date reader
    ctx.data[TYPED_LENGTH] = end - start
    return rest, f"jusqu'à {dates.spell_time(time(end // 60, end % 60))}"
