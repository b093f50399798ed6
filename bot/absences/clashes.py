"""What a new absence collides with: the same half-day noted already, a second late
arrival, a late arrival beside a half-day's absence, and how a period reads.

The dialogues ask about these before saving (``/absence``, ``/appel``); the
schema holds « a half-day counts once » whatever they ask
(:mod:`bot.absences.log`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.storage.absences import Absence
from bot.storage.people import Person

PERIOD_LABELS = {
    "matin": "matin",
    "apres_midi": "après-midi",
    "journee": "journée",
    "retard": "retard",
}

HALF_WORDS = {"matin": "le matin", "apres_midi": "l'après-midi"}
"""A half-day as a sentence says it after its day (« lundi 23 novembre 2026, le matin »), or
after a late arrival (« retard de 20 min le matin »)."""
HALF_SAID = {**HALF_WORDS, "journee": "toute la journée"}

HALF_DAYS = {"matin": {"m"}, "apres_midi": {"a"}, "journee": {"m", "a"}, "retard": set()}
"""The half-days (morning ``m``, afternoon ``a``) each period covers."""


def period_label(period: str, late_minutes: int | None, late_half: str | None = None) -> str:
    """ "matin", "journée", "retard de 20 min le matin": how a period reads in chats and
    exports, a late arrival's half-day with it when known (explorer DG5)."""
    if period != "retard":
        return PERIOD_LABELS.get(period, period)
    length = f" de {dates.spell_minutes(late_minutes)}" if late_minutes else ""
    half = f" {HALF_WORDS[late_half]}" if late_half in HALF_WORDS else ""
    return f"retard{length}{half}"


def overlap(first: str, second: str) -> bool:
    """Whether two periods of the same day count the same half-day twice."""
    if first == "retard" and second == "retard":
        return False
    if "retard" in (first, second):
        # Late on a day the trainee is noted absent all day: a contradiction.
        return "journee" in (first, second)
    return bool(HALF_DAYS[first] & HALF_DAYS[second])


@dataclass(frozen=True)
class Conflict:
    """An absence already logged that the new one collides with."""

    kind: str
    """``duplicate`` (refused), ``late_twice`` (a second late arrival) or ``late_and_half``
    (a late arrival and a half-day's absence the same day), the last two kept if confirmed."""
    period: str
    """The period already logged, in words."""
    by: str
    """Who logged it."""
    at: datetime | None = None
    """When they logged it (UTC)."""


async def same_day(
    session: AsyncSession, trainee_id: int, day: date, *, exclude: int | None = None
) -> list[Absence]:
    """The trainee's absences on ``day`` (not deleted), but ``exclude`` (the one corrected)."""
    rows = await session.scalars(
        select(Absence).where(
            Absence.trainee_id == trainee_id,
            Absence.day == day,
            Absence.deleted_at.is_(None),
        )
    )
    return [a for a in rows if a.id != exclude]


async def person_name(session: AsyncSession, person_id: int | None) -> str:
    person = await session.get(Person, person_id) if person_id else None
    return person.display_name if person else "?"


async def conflict(
    session: AsyncSession,
    trainee_id: int,
    day: date,
    period: str,
    *,
    exclude: int | None = None,
    late_twice_ok: bool = False,
    late_half: str | None = None,
) -> Conflict | None:
    """What ``period`` on ``day`` collides with: a duplicate first, else a second retard.

    Two late arrivals whose half-days are both known (``late_half``, a roll
    call's) are the same one when of the same half-day, two otherwise.
    """
    found: Conflict | None = None
    for other in await same_day(session, trainee_id, day, exclude=exclude):
        both_late = period == "retard" == other.period
        known = both_late and late_half is not None and other.late_half is not None
        if overlap(period, other.period) or (known and late_half == other.late_half):
            kind = "duplicate"
        elif both_late and not known and not late_twice_ok:
            kind = "late_twice"
        else:
            continue
        found = Conflict(
            kind=kind,
            period=period_label(other.period, other.late_minutes, other.late_half),
            by=await person_name(session, other.recorded_by),
            at=other.recorded_at,
        )
        if kind == "duplicate":
            break
    return found


async def late_beside(
    session: AsyncSession,
    trainee_id: int,
    day: date,
    period: str,
    late_half: str | None = None,
    *,
    exclude: int | None = None,
) -> Conflict | None:
    """A late arrival and a half-day's absence on the same day (either noted first): fine on
    two half-days, a contradiction on the same one, which the day alone cannot tell, so the
    dialogue asks (explorer D F29: both were saved without a word), unless the late
    arrival's half-day was said (``late_half``, or the one noted: explorer DG5)."""
    wanted = {"retard": ("matin", "apres_midi"), "matin": ("retard",), "apres_midi": ("retard",)}
    others = await same_day(session, trainee_id, day, exclude=exclude)
    found = [
        o
        for o in others
        if o.period in wanted.get(period, ())
        and (late_half or o.late_half) in (None, o.period if period == "retard" else period)
    ]
    if not found:
        return None
    # Absent the morning and the afternoon is absent all day: no half-day left to be late.
    whole = period == "retard" and {o.period for o in found} == {"matin", "apres_midi"}
    return Conflict(
        kind="duplicate" if whole else "late_and_half",
        period=", ".join(period_label(o.period, o.late_minutes, o.late_half) for o in found),
        by=await person_name(session, found[0].recorded_by),
        at=found[0].recorded_at,
    )
