"""Saving several absences at once, and the one follow-up offer that comes after.

    Bot  Appel enregistré : lundi 23 novembre 2026, matin – Agent de restauration (démo).
         Absence (2) : Karim Benali, Hugo Moreau.  Retard (1) : Julie Petit.
         Déjà noté, laissé tel quel : Léa Martin (matin, noté par Camille Durand).
         Signes de décrochage :
         · Karim Benali : 2 absences non justifiées en 14 jours → /decrochage Karim Benali
         · Hugo Moreau : suivi déjà ouvert → /decrochage Hugo Moreau
         Ouvrir un suivi maintenant ?      [Karim Benali] [Pas maintenant]
    Vous Karim Benali                      → /decrochage, the sign already ticked

``/appel`` and the sentence naming several people end here: one call to
:func:`bot.absences.rollcall.record_roll`, then **one** summary, whatever
the number of people, instead of one "Attention …" per trainee: each trainee
who reached a threshold gets one line with the next step (open a follow-up,
or go on with the one already open).  The offer is one question listing
those who have no follow-up yet; "Pas maintenant" is audited for each, as on
the one-by-one path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot import dates
from bot.absences.clashes import PERIOD_LABELS, Conflict, period_label
from bot.absences.days import day_periods, spell_days
from bot.absences.log import decline_followup
from bot.absences.noted_said import noted_together
from bot.absences.rollcall import Flag, Mark, Roll, record_roll
from bot.conversations.absences.in_charge import tell_trainers_in_charge
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import SAVED_BEFORE, Leave, Next, Option, Outcome, Switch
from bot.conversations.kit.steps import Pick
from bot.storage.formations import Formation

OFFER_FOLLOW_UP = "ouvrir un suivi de décrochage"
"""What waits once absences or an exit are saved and a follow-up is offered, as said when
that offer is set aside (``_saved``, :func:`bot.conversations.kit.aside.waiting_words`)."""


def decrochage_data(
    formation_id: object, trainee_id: object, *, sign: str, absence_id: object
) -> dict[str, Any]:
    """What ``/decrochage`` starts with after an absence: the trainee, the sign ticked
    (:attr:`bot.absences.detection.Signal.sign`); offered once the absence is saved, which
    its « Retour » and /aide say stays saved (:data:`SAVED_BEFORE`)."""
    return {
        "formation_id": formation_id,
        "trainee_id": trainee_id,
        "signs": [sign],
        "absence_id": absence_id,
        SAVED_BEFORE: True,
    }


async def save_marks(
    ctx: Context,
    marks: Sequence[Mark],
    *,
    days: Sequence[date],
    span: bool = False,
    period: str,
    own: Mapping[str, str] | None = None,
    justified: bool = False,
    reason: str | None = None,
    formation: Formation | None = None,
    present: int = 0,
    source: str,
) -> Outcome:
    """Save, say the one summary, and offer the follow-ups still to open (or end).

    Several ``days`` (« Julie absente du 1er au 3 décembre ») are saved day by
    day, in order, in the one transaction, each with ``period`` but the days
    ``own`` gives theirs (a span's ends, « de jeudi après-midi à lundi matin »;
    listed days, « lundi matin et mardi après-midi »); a trainee's
    repeated-absence sign is the one the last day reached.
    """
    # The days someone is noted for: a day after every exit is said as left out, not saved
    # (explorer I: the summary named four days, two of them after the trainee's exit).
    days = [d for d in days if any(not m.trainee.left_before(d) for m in marks)] or days
    roll = Roll(saved=[], already=[], flags=[])
    flags: dict[int, Flag] = {}
    already: list[tuple[str, date | None, Conflict]] = []
    for day, its_period in day_periods(days, period, own):
        one = await record_roll(
            ctx.session,
            [m for m in marks if not m.trainee.left_before(day)],  # said at the recap
            day=day,
            period=its_period,
            justified=justified,
            reason=reason,
            formation=formation,
            present=present,
            source=source,
            by=ctx.person_id,
            now=ctx.now,
        )
        roll.saved += one.saved
        roll.already += one.already
        already += [(t.full_name, day if len(days) > 1 else None, c) for t, c in one.already]
        flags.update((f.trainee.id, f) for f in one.flags)
    roll.flags = list(flags.values())
    titles = {m.formation.title for m in marks} | ({formation.title} if formation else set())
    when = spell_days(days, span=span, own=own) if len(days) > 1 else ""
    half = "" if period == "retard" or own else period_label(period, None)
    late = [m for m in marks if m.status == "retard"]
    halves, lengths = {m.late_half for m in late}, {m.late_minutes for m in late}
    if period == "retard" and not own and len(halves) == 1:
        # Several people's retard « vendredi après-midi »: its half-day said, as saved
        # (explorer XA16: it was saved but never shown).
        half = PERIOD_LABELS.get(str(halves.pop()), "")
    minutes = lengths.pop() if period == "retard" and len(lengths) == 1 else None
    ctx.say(
        "absence_appel.saved",
        roll=roll,
        away=_once([t.full_name for t, a in roll.saved if a.period != "retard"]),
        late=_once([t.full_name for t, a in roll.saved if a.period == "retard"]),
        day=days[0],
        when=when,
        already=noted_together(already),
        half=half,
        length=dates.spell_minutes(minutes) if minutes else "",  # each one's (XA16)
        title=titles.pop() if len(titles) == 1 else "",
        justified=justified,
        source=source,
    )
    for mark in marks:  # one left before some of these days: said again, with what is kept
        gone = [day for day in days if mark.trainee.left_before(day)]
        if gone:
            ctx.say("absence_appel.group_left", t=mark.trainee, gone=gone, all=days)
    # Signs in a colleague's formation reach its trainer too (explorer KB9).
    spelled = when or dates.spell_date(days[0])
    await tell_trainers_in_charge(
        ctx, roll.flags, source=source, when=f"{spelled}, {half}" if half else spelled
    )
    offers = [f for f in roll.flags if not f.followed]
    if not offers:
        return Leave()
    ctx.data["_offers"] = [
        {
            "name": f.trainee.full_name,
            **decrochage_data(
                f.formation.id, f.trainee.id, sign=f.signal.sign, absence_id=f.absence_id
            ),
        }
        for f in offers
    ]
    # /annuler or another command now leaves only the offer, named so (HB3).
    ctx.data["_saved"] = OFFER_FOLLOW_UP
    return Next("offer")


async def offer_options(ctx: Context) -> list[Option]:
    offers = ctx.data.get("_offers") or []
    return [
        *(Option(str(o["name"]), str(n)) for n, o in enumerate(offers)),
        Option("Pas maintenant", "_later", words=("non", "plus tard")),
    ]


async def offer_taken(ctx: Context, picked: str) -> Outcome:
    offers = list(ctx.data.get("_offers") or [])
    if picked == "_later":
        for offer in offers:
            await decline_followup(
                ctx.session,
                ctx.organisation_id,
                int(offer["trainee_id"]),
                by=ctx.person_id,
                now=ctx.now,
                sign=(offer.get("signs") or [None])[0],
            )
        ctx.say("absence.offer_declined")
        return Leave()
    offer = offers[int(picked)]
    return Switch("decrochage", {k: v for k, v in offer.items() if k != "name"})


def _once(names: list[str]) -> list[str]:
    """Each name once, in order: a trainee absent three days is one name in the summary."""
    return list(dict.fromkeys(names))


def offer_step() -> Pick:
    """The flow's ``offer`` branch: which follow-up to open now, or none."""
    return Pick(
        "offer",
        ask="absence_appel.offer",
        options=offer_options,
        then=offer_taken,
        help="absence.help_offer",
    )
