"""Writing the compte rendu of the entretien (or of the regard croisé): a PDF, kept.

    Bot  L'entretien prévu le vendredi 27 novembre 2026 à 9 h 30 a-t-il eu lieu ?
         [Oui, comme prévu] [Oui, mais à une autre date] [Non, il faut le reprogrammer]
         [Non, et il n'aura pas lieu]
    You  Oui, comme prévu                 (another date: « Quel jour a-t-il eu lieu ? »)
    Bot  Compte rendu, 1/4 – Constat : qu'avez-vous constaté avec Karim Benali ?
    You  …                                (2/4 causes, 3/4 mesures, 4/4 prochain point)
    Bot  Compte rendu de l'entretien individuel avec Karim Benali … Je produis le PDF ?
    You  Produire le compte rendu
    Bot  Voici le compte rendu. Joignez-le au livret de suivi … (compte-rendu-….pdf)

Held at another moment ("Il a déjà eu lieu (plus tôt)", "à une autre
date"), the day is asked, then the hour ("Quel jour a-t-il eu lieu ?" « ce
matin » → "À quelle heure a-t-il commencé ?" « 8 h 45 »): the hour planned
is never put in the compte rendu, the ticket or the Qualiopi file for an
interview held at another time, and an hour still to come is refused.
An interview noted when already past is held: its compte rendu starts at the
constat.

Called with ``{"followup_id": …, "kind": …}``; "il faut le reprogrammer"
hands over to the scheduling dialogue, "il n'aura pas lieu" to cancelling it
(:mod:`.cancel`).  The interview's and the compte
rendu's deadlines are then done.  One compte rendu per interview: a second one
produced meanwhile (two administrators pressing « Produire » at once) is not, and
says who wrote the first and when (explorer IB4).  An interview cancelled or rescheduled
by someone else while its compte rendu was written is said at the last confirmation, with
« Enregistrer quand même (l'entretien a bien eu lieu) » / « Ne pas enregistrer »
(:mod:`.meanwhile`, explorer IB: it was saved on the cancelled one, no word said).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from bot import dates
from bot.absences.clashes import person_name
from bot.absences.followups import current_entretien, find_entretien
from bot.absences.meanwhile import held_after_all, what_became
from bot.absences.records import Report, write_compte_rendu
from bot.answers import Invalid, clean_line, fold
from bot.conversations.absences.decrochage.common import (
    abandon_step,
    check_past,
    first_sign,
    load_followup,
    open_followup_or_leave,
    step_start,
)
from bot.conversations.absences.decrochage.meanwhile import (
    changed_meanwhile,
    meanwhile_values,
    tell_held_after_all,
)
from bot.conversations.absences.steps import parse_note
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Flow,
    Leave,
    Next,
    Outcome,
    Switch,
    leave_saying,
    stored_datetime,
)
from bot.conversations.kit.steps import Confirm, DateStep, Option, Pick, Text, past_example
from bot.conversations.kit.wrong_dates import impossible_said
from bot.messages import Document, Reply
from bot.storage.absences import Entretien, StoredDocument
from bot.storage.people import Role


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
        await say_written(ctx, entretien)
        return Leave()
    ctx.data["entretien_id"] = entretien.id
    ctx.data["scheduled_at"] = entretien.scheduled_at.astimezone(ctx.tz).isoformat()
    ctx.data["counsellor"] = entretien.counsellor
    ctx.data["scheduled_past"] = entretien.scheduled_at <= ctx.now
    if entretien.held_at is not None:  # noted as held when given past: not asked again (AD13)
        ctx.data["held_at"] = entretien.held_at.astimezone(ctx.tz).isoformat()
        return Next("constat")
    return None


async def say_written(ctx: Context, entretien: Entretien) -> None:
    """Its compte rendu is written already: by whom and when (explorer IB4: the second of
    two pressing « Produire » at once got a second PDF)."""
    document = await ctx.session.get(StoredDocument, entretien.compte_rendu_id or 0)
    by = document.created_by if document is not None else None
    on = entretien.compte_rendu_at
    ctx.say(
        "decrochage.compte_rendu_exists",
        by="vous" if by == ctx.person_id else (await person_name(ctx.session, by) if by else ""),
        on=on.astimezone(ctx.tz) if on is not None else None,
    )


async def held_options(ctx: Context) -> list[Option]:
    if ctx.data.get("scheduled_past"):
        return [
            Option("Oui, comme prévu", "as_planned"),
            Option("Oui, mais à une autre date", "other_day"),
            Option("Non, il faut le reprogrammer", "reschedule"),
            Option("Non, et il n'aura pas lieu", "cancel"),
        ]
    return [
        Option("Il a déjà eu lieu (plus tôt)", "other_day"),
        Option("Non, pas encore", "not_yet"),
        Option("Il faut le reprogrammer", "reschedule"),
        Option("Il n'aura pas lieu", "cancel"),
    ]


async def held_choice(ctx: Context, picked: str) -> Outcome:
    if picked == "as_planned":
        ctx.data["held_at"] = ctx.data["scheduled_at"]
        return Next()
    if picked == "other_day":
        return Next("held_on")
    if picked in ("reschedule", "cancel"):  # cancelled: the trainee left… (explorer GF3)
        return Switch(
            "decrochage_entretien" if picked == "reschedule" else "decrochage_cancel_entretien",
            {"followup_id": ctx.data["followup_id"], "kind": ctx.data.get("kind", "individuel")},
        )
    ctx.say("decrochage.not_yet", when=datetime.fromisoformat(ctx.data["scheduled_at"]))
    return Leave()


async def held_on(ctx: Context, value: Any) -> Outcome:
    """The day it was held; its hour is asked next (never the planned one assumed), unless
    typed with it (« ce matin 9 h », explorer U U8: said dropped, then asked)."""
    if not ctx.data.pop("_timed_held_on", False):
        return Next("held_time")
    held = datetime.fromisoformat(str(value))
    if held > ctx.now:  # « aujourd'hui à 18 h » at 15 h: the hour asked again, saying why
        ctx.say("decrochage.held_moment_future", held=held)
        return Next("held_time")
    ctx.data["held_at"] = held.isoformat()
    return Next("constat")


async def check_held_on(ctx: Context, when: datetime) -> str | None:
    """A day held, past and in the formation (:func:`check_past`), and not before the
    follow-up's first sign, as its scheduling refuses (explorer EC1: « le 1er décembre »
    for signs seen the 6th was taken, the compte rendu « en retard » before the follow-up
    was opened)."""
    problem = await check_past(ctx, when)
    found = await load_followup(ctx) if problem is None else None
    day = when.astimezone(ctx.tz).date()
    if found is not None and day < (since := first_sign(ctx, found)):
        return ctx.render("decrochage.held_before_sign", day=day, since=since)
    return problem


async def parse_held_time(ctx: Context, text: str) -> str | Invalid:
    """The hour it began, on the day just given; not later than now."""
    line = clean_line(text, limit=40)
    if isinstance(line, Invalid):
        return Invalid(ctx.render("decrochage.held_time_invalid"))
    read = dates.understand(line, ctx.now, "past")
    if read is None or not read.has_time:
        return Invalid(ctx.render("decrochage.held_time_invalid"))
    day = stored_datetime(ctx, "held_on")
    held = day.replace(hour=read.when.hour, minute=read.when.minute, second=0, microsecond=0)
    if held > ctx.now:
        return Invalid(ctx.render("decrochage.held_time_future", held=held))
    return held.isoformat()


async def held_time(ctx: Context, value: Any) -> Outcome:
    ctx.data["held_at"] = value
    return Next("constat")


async def recap_values(ctx: Context) -> dict[str, Any]:
    return {"held": datetime.fromisoformat(ctx.data["held_at"])}


async def anyway_values(ctx: Context) -> dict[str, Any]:
    return await recap_values(ctx) | await meanwhile_values(ctx)


async def save_compte_rendu(ctx: Context) -> Outcome:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return Leave()
    entretien = await find_entretien(ctx.session, ctx.data["entretien_id"], found.followup.id)
    if entretien is None:
        ctx.say("decrochage.no_entretien")
        return Leave()
    became = await what_became(ctx.session, found.followup, entretien)
    cancelled = None
    if became is not None and entretien.compte_rendu_id is None:
        if not ctx.data.get("anyway"):  # cancelled or moved since the recap: asked first
            return Next("anyway")
        note = ctx.label(
            "decrochage.held_after_all_note", before=entretien.scheduled_at.astimezone(ctx.tz)
        )
        cancelled = await held_after_all(
            ctx.session, found.followup, entretien, ctx.person_id, ctx.now, note=note
        )
    document = await write_compte_rendu(
        ctx.session,
        found.followup,
        entretien,
        ctx.person_id,
        ctx.now,
        report=Report(
            held_at=datetime.fromisoformat(ctx.data["held_at"]),
            constat=ctx.data["constat"],
            causes=ctx.data["causes"],
            mesures=ctx.data["mesures"],
            prochain_point=ctx.data.get("prochain_point"),
            prochain_point_on=date.fromisoformat(on)
            if (on := ctx.data.get(NEXT_POINT_ON))
            else None,
        ),
        formation=found.formation,
        trainee=found.trainee,
        author=ctx.actor.name if ctx.actor else "",
        organisation_name=(ctx.actor.organisation_name or "") if ctx.actor else "",
        tz=ctx.tz,
    )
    if document is None:  # written meanwhile by someone else (explorer IB4)
        await say_written(ctx, entretien)
        return Leave()
    if became is not None:
        await tell_held_after_all(ctx, entretien, became, cancelled, found.formation, found.trainee)
    ctx.send(
        Reply(
            text=ctx.render("decrochage.compte_rendu_ready"),
            document=Document(
                filename=document.filename,
                mime_type="application/pdf",
                content=document.content,
                caption=ctx.render("decrochage.compte_rendu_caption"),
            ),
        )
    )
    return Leave()


def _report_text(name: str, ask: str) -> Text:
    return Text(
        name, ask=ask, parse=parse_note(2000), multiline=True, help="decrochage.help_compte_rendu"
    )


_NOTE = parse_note(300)
_YEAR = re.compile(r"\b20\d\d\b")


NEXT_POINT_ON = "_prochain_point_on"
"""The day the note names, read when it was typed (« demain » means that day's morrow),
kept for the point's reminder (explorer GF9); gone when the note names none."""


async def parse_next_point(ctx: Context, text: str) -> str | Invalid:
    """When and how the next point is: a day it names is read, refused when gone by, and
    written out (explorer K: « hier » went as is into the PDF, no telling which day)."""
    parsed = await _NOTE(ctx, text)
    if isinstance(parsed, Invalid):
        return _a_date_alone(ctx, text) or parsed
    note = str(parsed)
    ctx.data.pop(NEXT_POINT_ON, None)
    # The day alone, before a comma (« demain, en fin de séance ») or as the first words
    # (« lundi prochain en fin de séance », explorer O: left as typed, no day in the PDF).
    words = note.split(",")[0].split()
    heads = (note, note.split(",")[0], *(" ".join(words[:n]) for n in range(4, 0, -1)))
    understood = next(
        (
            u
            for u in (dates.understand(h, ctx.now, "future") for h in heads)
            if u is not None and u.has_date
        ),
        None,
    )
    if understood is None or not understood.has_date:
        return note
    day = _as_meant(ctx, understood.when.date(), note)
    if (past := _next_point_on(ctx, day)) is not None:
        return past
    if _YEAR.search(note) or fold(dates.spell_day_month(day)) in fold(note):
        return note  # « vendredi 4 décembre » said once, not again in brackets (AO9)
    return f"{note} ({dates.spell_date(day)})"


def _a_date_alone(ctx: Context, text: str) -> str | Invalid | None:
    """« 15/12 », « 31/02 »: a day in figures, which the note's « quelques lettres au moins »
    refused (explorer EC5: « Écrivez-le avec des mots » for a date), written out when it is
    to come, what is wrong with it said otherwise; ``None`` when ``text`` is no date."""
    line = clean_line(text, limit=40)
    if isinstance(line, Invalid):
        return None
    example = dates.spell_day_month(ctx.now.date() + timedelta(days=7))
    if (wrong := impossible_said(ctx, line, example, "future")) is not None:
        return Invalid(wrong)
    read = dates.understand(line, ctx.now, "future")
    if read is None or not read.has_date:
        return None
    day = _as_meant(ctx, read.when.date(), line)
    past = _next_point_on(ctx, day)
    return past if past is not None else dates.spell_date(day)


_LATELY = timedelta(days=92)
"""How far back a day typed without its year is still the one just gone, not next year's."""


def _as_meant(ctx: Context, day: date, typed: str) -> date:
    """``day`` as read looking ahead, unless it is next year's of a day typed without its year
    that went by these last weeks (explorer EC10: « 20/11 » typed on 23/11 was the 20 November
    of the year after, not said to be gone by)."""
    if _YEAR.search(typed):
        return day
    try:
        last_year = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day
    today = ctx.now.date()
    return last_year if today - _LATELY <= last_year < today else day


def _next_point_on(ctx: Context, day: date) -> Invalid | None:
    """The prochain point's day kept for its deadline; what is said of a day gone by."""
    if day < ctx.now.date():
        return Invalid(ctx.render("decrochage.next_point_past", day=day))
    ctx.data[NEXT_POINT_ON] = day.isoformat()
    return None


async def next_point_example(ctx: Context) -> dict[str, Any]:
    """A day to come in the example (« le 7 décembre » was given on the 23rd)."""
    return {"example": dates.spell_day_month(ctx.now.date() + timedelta(days=7))}


COMPTE_RENDU = Flow(
    "decrochage_compte_rendu",
    role=Role.FORMATEUR,
    summary="rédiger le compte rendu d'un entretien",
    start=compte_rendu_start,
    steps=[
        Pick("held", ask="decrochage.ask_held", options=held_options, then=held_choice),
        _report_text("constat", "decrochage.ask_constat"),
        _report_text("causes", "decrochage.ask_causes"),
        _report_text("mesures", "decrochage.ask_mesures"),
        Text(
            "prochain_point",
            ask="decrochage.ask_prochain_point",
            parse=parse_next_point,
            values=next_point_example,
            skip_label="Pas de prochain point",
        ),
        Confirm(
            "recap",
            ask="decrochage.recap_compte_rendu",
            values=recap_values,
            before=changed_meanwhile,
            yes=save_compte_rendu,
            no=abandon_step,
            yes_label="Produire le compte rendu",
            no_label="Abandonner",
        ),
    ],
    branches=[
        Confirm(
            "anyway",
            ask="decrochage.recap_compte_rendu_meanwhile",
            values=anyway_values,
            yes=save_compte_rendu,
            no=leave_saying("decrochage.compte_rendu_not_saved"),
            yes_label="Enregistrer quand même (l'entretien a bien eu lieu)",
            no_label="Ne pas enregistrer",
        ),
        DateStep(
            "held_on",
            ask="decrochage.ask_held_on",
            prefer="past",
            need_time="kept",
            check=check_held_on,
            then=held_on,
            example=past_example,
        ),
        Text("held_time", ask="decrochage.ask_held_time", parse=parse_held_time, then=held_time),
    ],
)
