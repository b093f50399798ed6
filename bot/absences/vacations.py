"""Who took part, and how many vacations a Rectorat remote coaching is paid (REC-*).

:func:`absent_all_along` proposes the participants (a trainee absent whole
days on every working day of the formation so far did not take part);
:func:`count_vacations` applies :func:`bot.rules.vacations.compute_vacations`
with the organisation's rounding and audits the result (figures only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.absences.clashes import HALF_DAYS
from bot.rules.settings import Rounding, SettingError, rounding_setting
from bot.rules.vacations import VacationsResult, compute_vacations
from bot.storage import audit
from bot.storage.absences import Absence
from bot.storage.formations import Formation
from bot.storage.people import Organisation


def working_days(start: date, end: date) -> list[date]:
    """The working days from ``start`` to ``end``, both included: Monday to Friday but the
    public holidays, when nobody trains."""
    days = []
    day = start
    while day <= end:
        if dates.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


async def absent_all_along(session: AsyncSession, formation: Formation, today: date) -> set[int]:
    """Trainees absent (whole days) on every working day of the formation so far."""
    days = working_days(formation.start_date, min(formation.effective_end, today))
    if not days:
        return set()
    rows = await session.scalars(
        select(Absence).where(
            Absence.formation_id == formation.id,
            Absence.deleted_at.is_(None),
            Absence.period != "retard",
        )
    )
    halves: dict[int, dict[date, set[str]]] = {}
    for absence in rows:
        by_day = halves.setdefault(absence.trainee_id, {})
        by_day.setdefault(absence.day, set()).update(HALF_DAYS[absence.period])
    return {
        trainee_id
        for trainee_id, by_day in halves.items()
        if all(by_day.get(day) == {"m", "a"} for day in days)
    }


@dataclass(frozen=True)
class Vacations:
    result: VacationsResult
    participants: int
    rounding: Rounding


async def count_vacations(
    session: AsyncSession,
    formation: Formation,
    minutes: int,
    participant_ids: Iterable[str | int],
    *,
    by: int,
) -> Vacations:
    """The vacations owed for ``minutes`` of coaching to the participants (of this formation)."""
    known = {str(t.id) for t in formation.trainees}
    participants = len({str(p) for p in participant_ids} & known)
    organisation = await session.get(Organisation, formation.organisation_id)
    try:
        rounding = rounding_setting(organisation.settings if organisation else {})
    except SettingError:
        rounding = "down"
    result = compute_vacations(minutes, participants, rounding)
    audit.record(
        session,
        organisation_id=formation.organisation_id,
        actor_id=by,
        action="vacations",
        entity="formation",
        entity_id=formation.id,
        minutes=minutes,
        participants=participants,
        vacations=result.vacations,
        cap=result.cap,
        rounding=rounding,
    )
    return Vacations(result, participants, rounding)
