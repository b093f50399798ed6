"""Moving a bilan, or cancelling it: called from the ``/bilans`` menu (listing.py).

    You  Déplacer
    Bot  « Agent de restauration (démo) » : bilan prévu le jeudi 26 novembre 2026 à
         14 h 00. Quelle est la nouvelle date ? Sans heure, je garde la même.
         [Déplacer au jeudi 3 décembre à 14 h]   (the date the chargée de mission proposed)
    You  jeudi 3 décembre à 14 h                 (or that button: the same, as typed)
    Bot  J'ai compris : jeudi 3 décembre 2026 à 14 h 00. C'est bien ça ?
    You  Oui, c'est ça
    Bot  Déplacer le bilan du jeudi 26 novembre 2026 à 14 h 00 au jeudi 3 décembre 2026
         à 14 h 00 ?  [Oui, déplacer] [Non, ne rien changer]
    You  Oui, déplacer
    Bot  C'est déplacé : … Échéances déplacées : … 1 participant prévenu par message.
         Prévenez vous-même : Hugo Moreau …  + the updated invitation (.ics) and documents

    You  Annuler le bilan
    Bot  Annuler le bilan de fin de formation du jeudi 3 décembre 2026 à 14 h 00 ? …
         [Oui, annuler le bilan] [Non, le garder]
    You  Oui, annuler le bilan
    Bot  C'est annulé : … Déjà faites, gardées pour mémoire : … + the cancellation (.ics)

The deadlines follow the bilan (done ones stay done), participants the bot
can reach are told (:mod:`bot.bilans.changes`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot import dates
from bot.answers import Invalid, fold
from bot.attestations.service import attested_count
from bot.bilans.changes import cancel_bilan, move_bilan
from bot.bilans.cm_answers import OTHER_DATE
from bot.bilans.queries import visible_bilan
from bot.bilans.view import kind_label
from bot.conversations.bilans.funder_contact import tell_charge_de_mission
from bot.conversations.bilans.gone import say_bilan_gone
from bot.conversations.bilans.in_charge import someone_else_in_charge, tell_the_trainer_in_charge
from bot.conversations.bilans.shared import (
    deadline_lines,
    reach_of,
    send_documents,
    the_bilan,
    unless_gone,
    viewer_of,
)
from bot.conversations.bilans.when import when_step
from bot.conversations.kit.context import Context
from bot.conversations.kit.date_step import SAID_SENTENCE, said_ahead
from bot.conversations.kit.flow import (
    Finish,
    Flow,
    Leave,
    Outcome,
    Retry,
    Return,
    leave_saying,
)
from bot.conversations.kit.hour_of_part import asking_hour
from bot.conversations.kit.steps import Confirm, DateStep
from bot.deadlines import documents
from bot.deadlines.service import Moved
from bot.messages import Reply
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan
from bot.storage.people import Person, Role

keep_bilan = leave_saying("bilan.nothing_changed")


async def move_start(ctx: Context) -> Outcome | None:
    found = await the_bilan(ctx)
    if found is None:
        return await unless_gone(ctx)
    bilan, formation = found
    start = bilan.starts_at.astimezone(ctx.tz)
    ctx.data.update(
        formation_id=formation.id,
        title=formation.title,
        funder=formation.funder,
        cm_name=formation.cm_name,
        kind=bilan.kind,
        remote="remote" if bilan.remote else "onsite",
        duration=_minutes(bilan),
        shown_length=_minutes(bilan),  # ``duration`` is the one typed next (a slot)
        current_start=start.isoformat(),
        current=dates.spell_datetime(start),
        # Already held: its participants' answers are to the meeting that took place.
        held=bilan.ends_at <= ctx.now,
        sequence=bilan.sequence,  # its version as shown: a move meanwhile is said (CE4)
    )
    hers = _her_proposal(ctx, bilan)
    ctx.data["proposed"] = dates.spell_datetime(hers) if hers else None
    ctx.data["proposed_at"] = hers.isoformat() if hers else None
    said = ctx.data.pop(SAID_SENTENCE, None)
    if isinstance(said, str):  # « on décale le bilan à vendredi »: confirmed, not asked (KF6)
        ctx.data.update(said_ahead("when", _at_its_hour(ctx, said), ctx.now))
    return None


def _minutes(bilan: Bilan) -> int:
    """How long ``bilan`` lasts, in minutes."""
    return int((bilan.ends_at - bilan.starts_at).total_seconds() // 60)


def _her_proposal(ctx: Context, bilan: Bilan) -> datetime | None:
    """The date the chargée de mission proposed for this version, still to come: said in the
    question and offered as its button (explorer AJ6: asked from scratch)."""
    when = bilan.cm_proposed_at
    if when is None or not bilan.cm_answered or bilan.cm_answer != OTHER_DATE or when <= ctx.now:
        return None
    return when.astimezone(ctx.tz)


HERS = "hers"
"""The button of the date she proposed."""


def _her_button(ctx: Context) -> str | None:
    """« Déplacer au jeudi 10 décembre à 14 h »: her date as a person says it."""
    if not ctx.data.get("proposed_at"):
        return None
    when = datetime.fromisoformat(ctx.data["proposed_at"])
    hour = f"{when.hour} h" + (f" {when.minute:02d}" if when.minute else "")
    return f"Déplacer au {dates.spell_example(when)} à {hour}"


class WhenOrHerDate(DateStep):
    """The new date, the one the chargée de mission proposed offered as a button: pressed,
    it is that date typed (the same reading, confirmation, checks and move), as long as it
    is still her proposal for the bilan as it stands (explorer AJ6: typed back by hand)."""

    async def question(self, ctx: Context) -> Reply:
        asked = await super().question(ctx)
        label = _her_button(ctx)
        if asked.choices or label is None:
            return asked  # the date typed is being confirmed: « Oui, c'est ça » …
        return replace(asked, choices=(ctx.choice(label, HERS),))

    async def answer(self, ctx: Context) -> Outcome:
        kept = asking_hour(ctx, self.name)  # « vendredi aprem » said: its day kept (KF5b)
        typed = ctx.incoming.choice is None and not kept
        if typed and (hour := _hour_without_day(ctx, ctx.incoming.text)):
            return Retry(ctx.render("bilan.same_hour_which_day", hour=hour))
        if ctx.incoming.choice is None and ctx.incoming.text:
            ctx.incoming = replace(ctx.incoming, text=_at_its_hour(ctx, ctx.incoming.text))
        label = _her_button(ctx)
        if ctx.incoming.choice is not None and label is not None and not self.confirming(ctx):
            picked = ctx.chosen([HERS], labels={HERS: label})
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            if picked == HERS:
                changed = await _since_changed(ctx)
                if changed is not None:
                    return changed
                ctx.incoming = replace(ctx.incoming, text=ctx.data["proposed"], choice=None)
        return await super().answer(ctx)


_SAME_HOUR = re.compile(
    r"\b(?:a\s+)?(?:la\s+meme\s+heure|meme\s+heure|meme\s+horaire|l\s+heure\s+prevue|pareil)\b"
)
"""« même heure », « à la même heure », « pareil »: the bilan's hour as it stands."""


def _at_its_hour(ctx: Context, text: str) -> str:
    """``text`` with the bilan's hour where it says « même heure », or where it gives a day and
    no hour (« vendredi », « on décale à vendredi »): a bilan moved to another day keeps its
    hour, shown in « J'ai compris : … C'est bien ça ? » (explorer KF7: « même heure » was « Je
    n'ai pas compris cette date », and « vendredi » asked the hour)."""
    if not ctx.data.get("current_start"):
        return text
    start = datetime.fromisoformat(ctx.data["current_start"])
    hour = f" à {start.hour}h{start.minute:02d} "
    folded = fold(text)
    if _SAME_HOUR.search(folded):
        return _SAME_HOUR.sub(hour, folded)
    understood = dates.understand(text, ctx.now, "future")
    if understood is not None and understood.has_date and not understood.has_time:
        return f"{text}{hour}"
    return text


def _hour_without_day(ctx: Context, text: str) -> str:
    """The bilan's hour, spelled, when ``text`` keeps it and names no day (« même heure »,
    « on garde la même heure »): the day is asked, never taken as today's (explorer LD7: it
    was read as today at that hour and confirmed); else ``""``."""
    folded = fold(text[:300])
    if not ctx.data.get("current_start") or not _SAME_HOUR.search(folded):
        return ""
    understood = dates.understand(_SAME_HOUR.sub(" ", folded), ctx.now, "future")
    if understood is not None and understood.has_date:
        return ""
    return dates.spell_time(datetime.fromisoformat(ctx.data["current_start"]).astimezone(ctx.tz))


async def _since_changed(ctx: Context) -> Outcome | None:
    """Her button pressed once the bilan changed: cancelled (said, and nothing moved), or
    moved, or her proposal replaced (the question again, as the bilan stands now)."""
    found = await the_bilan(ctx)
    if found is None:
        gone = await ctx.session.get(Bilan, int(ctx.data["bilan_id"]))
        if gone is None or gone.cancelled_at is None:
            return await unless_gone(ctx)
        ctx.say("bilan.her_date_cancelled")
        return Return(True)  # the bilan's menu is not shown again (``cancelled``)
    bilan, _ = found
    hers = _her_proposal(ctx, bilan)
    if hers is not None and hers.isoformat() == ctx.data.get("proposed_at"):
        return None
    was = ctx.data["proposed"]
    await move_start(ctx)  # the question says the bilan as it stands now
    return Retry(ctx.render("bilan.her_date_stale", was=was))


async def move_values(ctx: Context) -> dict[str, Any]:
    """Its end, said: a slot typed (« de 14h à 16h30 ») may have changed the length
    (explorer AC13: « Je n'ai pas compris cette date », where scheduling reads it)."""
    start = datetime.fromisoformat(ctx.data["when"]).astimezone(ctx.tz)
    return {"until": dates.spell_time(start + timedelta(minutes=ctx.data["duration"]))}


async def unless_moved_meanwhile(ctx: Context) -> Outcome:
    """« Oui, déplacer » once someone else moved the bilan since this person opened it (two
    administrators at once: explorer CE4, the second silently won): who moved it, and to
    when, said, nothing changed, and the same question asked again from the bilan's new
    date; their date already the bilan's, nothing to do. The bilan's row is held from here
    to the move, so that two such answers go one after the other."""
    found = await visible_bilan(ctx.session, viewer_of(ctx), ctx.data.get("bilan_id"), lock=True)
    if found is None or found[0].sequence == ctx.data.get("sequence"):
        return Finish()  # gone meanwhile: the move says so
    bilan, _ = found
    start = bilan.starts_at.astimezone(ctx.tz)
    length = _minutes(bilan)
    if start.isoformat() == ctx.data["current_start"] and length == ctx.data["shown_length"]:
        ctx.data["sequence"] = bilan.sequence  # another change (a participant): the date holds
        return Finish()
    wanted, duration = ctx.data["when"], ctx.data["duration"]
    said = {
        "by": await _last_mover(ctx, bilan),
        "new": dates.spell_span(start, bilan.ends_at.astimezone(ctx.tz)),
        "same": start == datetime.fromisoformat(wanted) and length == duration,
    }
    if said["same"]:
        ctx.say("bilan.moved_meanwhile", **said)
        return Leave()
    await move_start(ctx)  # the question says the bilan as it stands now
    ctx.data.update(when=wanted, duration=duration)
    return Retry(ctx.render("bilan.moved_meanwhile", **said))


async def _last_mover(ctx: Context, bilan: Bilan) -> str | None:
    """Who moved ``bilan`` last: « vous », their name, or ``None`` when no one did in the
    bot (the audit keeps each move)."""
    actor = await ctx.session.scalar(
        select(AuditEntry.actor_id)
        .where(
            AuditEntry.entity == "bilan",
            AuditEntry.entity_id == bilan.id,
            AuditEntry.action == "move",
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if actor is None:
        return None
    if ctx.actor is not None and actor == ctx.actor.person_id:
        return "vous"
    person = await ctx.session.get(Person, actor)
    return person.display_name if person is not None else None


async def save_move(ctx: Context) -> None:
    move = await move_bilan(
        ctx.session,
        viewer_of(ctx),
        ctx.now,
        ctx.data["bilan_id"],
        datetime.fromisoformat(ctx.data["when"]),
        chat_of=reach_of(ctx),
        length=timedelta(minutes=ctx.data["duration"]),
    )
    if move is None:
        await say_bilan_gone(ctx)
        return
    view = move.view
    moved = [r for r in move.deadlines if r.id in move.moved]
    changes = [
        line | old_due(move.moved[r.id], ctx)
        for r, line in zip(moved, deadline_lines(ctx, moved), strict=True)
    ]
    old = dates.spell_datetime(move.old_start)
    told = await tell_the_trainer_in_charge(ctx, view, "moved", old=old, changes=changes)
    ctx.say(
        "bilan.moved",
        kind=kind_label(view.bilan.kind),
        old=old,
        new=dates.spell_span(view.start, view.end),
        changes=changes,
        reached=move.reached,
        unreachable=move.unreachable,
        late=ctx.data.get("late"),
        owner=someone_else_in_charge(ctx, view),  # explorer QA2
        told=told,
    )
    await send_documents(ctx, view, moved_from=move.old_start)
    await tell_charge_de_mission(ctx, view, moved_from=move.old_start)


def old_due(moved: Moved, ctx: Context) -> dict[str, Any]:
    """The day it was due before the move: the one the trainer had postponed it to, if
    she had, with whether that postponement stands (explorer QC1: « au lieu du » the rule's
    date, her postponement dropped without a word)."""
    if moved.postponed_to is not None:
        return {
            "old": dates.spell_date(moved.postponed_to),
            "postponed": moved.lost or "kept",
            "computed": dates.spell_date(moved.row.due_on),
        }
    if moved.old_due_at is not None:
        return {"old": dates.spell_datetime(moved.old_due_at.astimezone(ctx.tz))}
    return {"old": dates.spell_date(moved.old_due_on)}


MOVE = Flow(
    "bilan_move",
    role=Role.FORMATEUR,
    summary="déplacer un bilan",
    start=move_start,
    steps=[
        when_step("when", ask="bilan.ask_new_when", slot=True, kind=WhenOrHerDate),
        Confirm(
            "confirm_move",
            ask="bilan.confirm_move",
            values=move_values,
            yes=unless_moved_meanwhile,
            no=keep_bilan,
            yes_label="Oui, déplacer",
            no_label="Non, ne rien changer",
        ),
    ],
    finish=save_move,
)


async def cancel_values(ctx: Context) -> dict[str, Any]:
    found = await the_bilan(ctx)
    if found is None:
        return {}
    bilan, _ = found
    return {
        "kind": kind_label(bilan.kind),
        "when": dates.spell_datetime(bilan.starts_at.astimezone(ctx.tz)),
        # Held already, with sworn answers maybe: said before it is cancelled (explorer C).
        "held": bilan.starts_at <= ctx.now,
        "attested": await attested_count(ctx.session, bilan.id),
    }


async def do_cancel(ctx: Context) -> Outcome:
    done = await cancel_bilan(
        ctx.session, viewer_of(ctx), ctx.now, ctx.data["bilan_id"], chat_of=reach_of(ctx)
    )
    if done is None:
        await say_bilan_gone(ctx)
        return Leave()
    view = done.view
    when = dates.spell_datetime(view.start)
    told = await tell_the_trainer_in_charge(ctx, view, "cancelled", old=when, removed=done.removed)
    ctx.say(
        "bilan.cancelled",
        kind=kind_label(view.bilan.kind),
        when=when,
        removed=done.removed,
        kept=done.kept,
        reached=done.reached,
        unreachable=done.unreachable,
        owner=someone_else_in_charge(ctx, view),  # explorer QA2
        told=told,
    )
    await tell_charge_de_mission(ctx, view)
    ctx.send(
        Reply(
            document=documents.invitation_document(
                view, stamp=ctx.now, caption=ctx.render("bilan.caption_cancel")
            )
        )
    )
    return Return(True)


CANCEL = Flow(
    "bilan_cancel",
    role=Role.FORMATEUR,
    summary="annuler un bilan",
    start=unless_gone,
    steps=[
        Confirm(
            "confirm_cancel",
            ask="bilan.confirm_cancel",
            values=cancel_values,
            yes=do_cancel,
            no=keep_bilan,
            yes_label="Oui, annuler le bilan",
            exact=True,
            no_label="Non, le garder",
        ),
    ],
)
