"""The roll call: a half-day of a group read at once, and several absences saved together.

``/appel`` (and a sentence naming several people, "Karim et Julie absents
hier matin") ends with **one** call to :func:`record_roll`, in the turn's
one transaction: every absence and late arrival is saved by
:func:`bot.absences.log.record_absence`, so the invariants of the one-by-one
path hold unchanged (a half-day already noted for a trainee is reported with
who noted it, never doubled; the database's unique indexes settle a race),
and the repeated-absence check runs for each trainee saved.  The roll call
itself is audited once (counts and ids only): an auditor sees that the call
was made, even when everybody was there.

:func:`roster` is what the call is made on: the trainees in the formation
on that day (entry and exit dates respected), sorted by surname, each with
what is already noted for the half-day.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.clashes import Conflict, conflict, overlap, period_label, person_name, same_day
from bot.absences.detection import Signal
from bot.absences.log import Details, Recorded, outside, record_absence
from bot.answers import by_surname
from bot.formations.queries import hold_trainee
from bot.storage import audit
from bot.storage.absences import Absence
from bot.storage.formations import Formation, Trainee

log = logging.getLogger(__name__)

STATUSES = ("absent", "retard")
"""What a roll call marks; everyone else is present (presence itself is not stored)."""


@dataclass(frozen=True)
class Called:
    """One line of the roll: a trainee in the formation that day, and what is noted already."""

    trainee: Trainee
    noted: str | None
    """The period already noted that overlaps the half-day ("matin", "retard de 20 min")."""
    half_left: str | None = None
    """A whole-day call of a trainee noted for one half-day: the other, which the call may
    still mark (explorer D F4: the whole day was locked)."""


async def roster(
    session: AsyncSession, formation: Formation, day: date, period: str
) -> list[Called]:
    """The trainees present in ``formation`` on ``day`` (entry/exit respected), by surname."""
    inside = [t for t in formation.named_trainees if outside(formation, t, day) is None]
    rows = await session.scalars(
        select(Absence).where(
            Absence.formation_id == formation.id,
            Absence.day == day,
            Absence.deleted_at.is_(None),
        )
    )
    noted: dict[int, str] = {}
    halves: dict[int, set[str]] = {}
    for absence in rows:
        if overlap(period, absence.period) or absence.late_half == period:
            noted.setdefault(
                absence.trainee_id,
                period_label(absence.period, absence.late_minutes, absence.late_half),
            )
            halves.setdefault(absence.trainee_id, set()).add(absence.period)
    ordered = sorted(inside, key=lambda t: by_surname(t.full_name))
    other = {"matin": "apres_midi", "apres_midi": "matin"}
    return [
        Called(
            t,
            noted.get(t.id),
            other.get(next(iter(halves[t.id])))
            if period == "journee" and len(halves.get(t.id, ())) == 1
            else None,
        )
        for t in ordered
    ]


@dataclass(frozen=True)
class Mark:
    """One absence or late arrival of the call: who, in which formation, what."""

    formation: Formation
    trainee: Trainee
    status: str
    """``absent`` (the half-day asked) or ``retard``."""
    late_minutes: int | None = None
    period: str | None = None
    """An absence's own half-day when not the call's (:attr:`Called.half_left`)."""
    late_half: str | None = None
    """A retard's half-day said with it (« Karim et Julie en retard ce matin »: explorer UA9)."""


@dataclass(frozen=True)
class Flag:
    """A trainee the call made reach a repeated-absence threshold."""

    trainee: Trainee
    formation: Formation
    signal: Signal
    followed: bool
    """A décrochage follow-up is open already (then: go on with it, nothing to open)."""
    absence_id: int


@dataclass
class Roll:
    """What :func:`record_roll` did, for one summary message."""

    saved: list[tuple[Trainee, Absence]]
    already: list[tuple[Trainee, Conflict]]
    flags: list[Flag]


def _contradicting(kind: str, half: str | None, others: Sequence[Absence]) -> list[Absence]:
    """Late and absent the same half-day, as noted meanwhile by someone else (explorer V,
    V1: a call opened before Zoé noted Julie absent saved her late too), or late on a day
    absent whole.  A late arrival whose half-day is unknown beside a half-day's absence may
    be the other half (late in the morning, gone in the afternoon): saved, as before."""
    if kind == "retard":
        return [o for o in others if o.period == "journee" or (half and o.period == half)]
    return [
        o for o in others if o.period == "retard" and (kind == "journee" or o.late_half == kind)
    ]


async def record_roll(
    session: AsyncSession,
    marks: Sequence[Mark],
    *,
    day: date,
    period: str,
    justified: bool = False,
    reason: str | None = None,
    formation: Formation | None = None,
    present: int = 0,
    source: str = "appel",
    by: int,
    now: datetime,
) -> Roll:
    """Save every mark of a call in the caller's transaction; report what was already noted.

    ``period`` is the half-day of the call (``matin``, ``apres_midi``,
    ``journee``), given to the absents; the late get ``retard``.  A trainee
    named twice is saved once.  ``present`` (how many answered present) only
    goes to the audit entry of the call, one per formation (``formation``: the
    one called, audited even when everybody was there).  Each trainee's row is held and
    read again first, as an erasure holds it: one erased meanwhile is not noted (explorer
    UD4: an absence stored after the erasure).
    """
    roll = Roll(saved=[], already=[], flags=[])
    for trainee_id in sorted({m.trainee.id for m in marks}):  # one order: no deadlock
        await hold_trainee(session, trainee_id)  # read again: erased meanwhile (UD4)
    seen: set[int] = set()
    for mark in marks:
        if mark.trainee.id in seen or mark.trainee.erased:
            continue
        seen.add(mark.trainee.id)
        kind = "retard" if mark.status == "retard" else (mark.period or period)
        second = period in HALF_DAY_CALLS
        details = Details(
            day=day,
            period=kind,
            late_minutes=mark.late_minutes if kind == "retard" else None,
            justified=justified,
            reason=reason,  # a motive said of an unjustified absence too (AW2)
            late_half=period if second else (mark.late_half if kind == "retard" else None),
        )
        # A retard already noted that day: at a half-day's call, this one is the half-day's,
        # a second one (its recap said so, :func:`late_already`); at a whole day's, reported.
        found = await conflict(
            session, mark.trainee.id, day, kind, late_twice_ok=second, late_half=details.late_half
        )
        clashing = _contradicting(
            kind, details.late_half, await same_day(session, mark.trainee.id, day)
        )
        if found is None and clashing:
            found = Conflict(
                kind="late_and_half",
                period=", ".join(
                    period_label(o.period, o.late_minutes, o.late_half) for o in clashing
                ),
                by=await person_name(session, clashing[0].recorded_by),
                at=clashing[0].recorded_at,
            )
        if found is not None:
            roll.already.append((mark.trainee, found))
            continue
        recorded = await record_absence(
            session, mark.formation, mark.trainee, details, another_late=second, by=by, now=now
        )
        if isinstance(recorded, Conflict):
            roll.already.append((mark.trainee, recorded))
            continue
        roll.saved.append((mark.trainee, recorded.absence))
        flag = _flag(mark, recorded)
        if flag is not None:
            roll.flags.append(flag)
    called = {m.formation.id: m.formation for m in marks}
    if formation is not None:
        called[formation.id] = formation
    for each in called.values():
        mine = [a for _, a in roll.saved if a.formation_id == each.id]
        # A sentence naming several people is no roll call: no « présents : 0 » in the
        # journal for a formation of five (explorer AH6).
        called_roll = source == "appel"
        audit.record(
            session,
            organisation_id=each.organisation_id,
            actor_id=by,
            action="rollcall" if called_roll else "record_absences",
            entity="formation",
            entity_id=each.id,
            source=source,
            day=day.isoformat(),
            period=period,
            absent=sum(1 for a in mine if a.period != "retard"),
            late=sum(1 for a in mine if a.period == "retard"),
            **({"present": present} if called_roll else {}),
            already=[t.id for t, _ in roll.already if t.formation_id == each.id],
        )
    # Ids and counts only: never a name (the logs hold no personal data).
    log.info(
        "roll call of formation(s) %s: %d saved, %d already noted, %d signal(s)",
        sorted(called),
        len(roll.saved),
        len(roll.already),
        len(roll.flags),
    )
    return roll


HALF_DAY_CALLS = ("matin", "apres_midi")
"""The calls of one half-day: someone marked late there is late at that half-day."""


async def late_already(session: AsyncSession, trainee_ids: Sequence[int], day: date) -> set[int]:
    """Those of ``trainee_ids`` with a late arrival noted on ``day`` already: what the
    recap of a call that marks them late says before it is saved (explorer U U7: the
    afternoon's was announced, then dropped as « déjà noté »)."""
    if not trainee_ids:
        return set()
    rows = await session.scalars(
        select(Absence.trainee_id).where(
            Absence.trainee_id.in_(trainee_ids),
            Absence.day == day,
            Absence.period == "retard",
            Absence.deleted_at.is_(None),
        )
    )
    return set(rows)  # this half-day's own is « déjà noté » in the list, never marked again


def _flag(mark: Mark, recorded: Recorded) -> Flag | None:
    if recorded.signal is None:
        return None
    return Flag(
        trainee=mark.trainee,
        formation=mark.formation,
        signal=recorded.signal,
        followed=recorded.followed,
        absence_id=recorded.absence.id,
    )
