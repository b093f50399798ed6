"""The absence log: recording, correcting and deleting an absence, with its audit trail.

What ``/absence`` and ``/absences`` save, once the trainer has confirmed:

- :func:`record_absence` stores the absence (and its proof, if any), audits
  it, then checks whether the trainee's absences now repeat
  (:mod:`bot.absences.detection`): the signal is audited and returned, with
  whether a décrochage follow-up is already open;
- :func:`correct_absence` changes what was noted, audited with the fields
  changed and their previous values;
- :func:`delete_absence` marks it deleted (the row stays, with who and
  when): it disappears from lists, counts and exports, the audit keeps it.

The checks the dialogue shows before saving are here too: a day outside the
formation (:func:`outside`) and a half-day already logged
(:func:`conflict`).  Audit entries name ids and codes only, never a reason
or a name.

"A half-day counts once" is held by the schema, not by that check alone
(:class:`bot.storage.absences.Absence`): a morning, an afternoon and a
journée (both halves) are unique per trainee and day among live absences,
late arrivals by rank.  When two people save the same half-day at the same
moment, :func:`record_absence` inserts with ``ON CONFLICT DO NOTHING`` and
the one who lost gets the :class:`Conflict` that won (who noted it, when)
instead of a duplicate or an error.  The one contradiction the indexes do
not hold is a late arrival on a day noted absent all day, saved by two
people within the same instant: the check before saving catches every
other case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.clashes import Conflict, conflict
from bot.absences.detection import Mark, Signal, repeated_absence
from bot.absences.followups import open_followup_of, short_procedure
from bot.absences.recent import last_closed_on
from bot.absences.uploads import Upload, keep_upload
from bot.absences.vocabulary import JUSTIFICATIF
from bot.storage import audit
from bot.storage.absences import Absence, StoredDocument
from bot.storage.conflicts import insert_unless_taken
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation, zone_of

MAX_LATE_MINUTES = 8 * 60


@dataclass(frozen=True)
class Details:
    """What the trainer says about one absence."""

    day: date
    period: str
    late_minutes: int | None
    justified: bool
    reason: str | None
    late_half: str | None = None
    """A late arrival's half-day, when a roll call of that half-day noted it."""

    def stored(self) -> dict[str, object]:
        """The values of the :class:`Absence` columns (minutes only for a late arrival)."""
        return {
            "day": self.day,
            "period": self.period,
            "late_minutes": self.late_minutes if self.period == "retard" else None,
            "late_half": self.late_half if self.period == "retard" else None,
            "justified": self.justified,
            "reason": self.reason,
        }


# --- what the dialogue checks before saving ---------------------------------------------


def outside(formation: Formation, trainee: Trainee, day: date) -> tuple[date, date] | None:
    """The trainee's dates in the formation when ``day`` falls outside them."""
    start = max(formation.start_date, trainee.entered_on or formation.start_date)
    end = min(formation.effective_end, trainee.left_on or formation.effective_end)
    return (start, end) if day < start or day > end else None


async def trainee_absence(
    session: AsyncSession, absence_id: object, trainee_id: int
) -> Absence | None:
    """The trainee's absence ``absence_id`` (a dialogue's value), if it is still there."""
    try:
        absence = await session.get(Absence, int(str(absence_id)))
    except ValueError:
        return None
    if absence is None or absence.trainee_id != trainee_id or absence.deleted_at is not None:
        return None
    return absence


# --- the log ----------------------------------------------------------------------------


async def editable_absences(
    session: AsyncSession,
    *,
    organisation_id: int,
    formation_id: int | None,
    person_id: int,
    admin: bool,
) -> list[Absence]:
    """The absences of a formation one may correct (an admin: all; the formation's trainer:
    all of hers; others: their own)."""
    query = (
        select(Absence)
        .where(
            Absence.formation_id == formation_id,
            Absence.organisation_id == organisation_id,
            Absence.deleted_at.is_(None),
        )
        .order_by(Absence.day.desc(), Absence.id.desc())
        .limit(60)
    )
    if not admin:
        query = query.where(_noted_or_in_charge(person_id))
    return list((await session.scalars(query)).all())


async def formations_with_editable(
    session: AsyncSession,
    *,
    organisation_id: int,
    person_id: int,
    admin: bool,
    day: date | None = None,
) -> set[int]:
    """The formations holding absences one may correct (:func:`editable_absences`), on ``day``
    if given: the only ones /absences offers (explorer M: 68 formations, most with none, and
    a dead end; MB6: « /absences 22/11 »)."""
    query = select(Absence.formation_id).where(
        Absence.organisation_id == organisation_id, Absence.deleted_at.is_(None)
    )
    if day is not None:
        query = query.where(Absence.day == day)
    if not admin:
        query = query.where(_noted_or_in_charge(person_id))
    return set((await session.scalars(query.distinct())).all())


def _noted_or_in_charge(person_id: int) -> ColumnElement[bool]:
    """Absences the person noted, or of a formation she is in charge of: one handed over by
    /membres holds absences its former trainer noted (explorer BD4: nobody but an
    administrator could mark one justified when the certificate came)."""
    return or_(
        Absence.recorded_by == person_id,
        Absence.formation_id.in_(select(Formation.id).where(Formation.owner_id == person_id)),
    )


async def _keep_proof(
    session: AsyncSession, organisation_id: int, proof: Upload | None, *, by: int, now: datetime
) -> int | None:
    if proof is None:
        return None
    document = await keep_upload(
        session, proof, organisation_id=organisation_id, kind=JUSTIFICATIF, by=by, now=now
    )
    return document.id


async def repeated(session: AsyncSession, absence: Absence) -> Signal | None:
    """Whether ``absence`` makes the trainee's absences repeat (the organisation's thresholds),
    counted since the last follow-up closed, as the next follow-up's first sign is (explorer
    HA3: :func:`~bot.absences.recent.last_closed_on`)."""
    rows = await session.scalars(
        select(Absence).where(
            Absence.trainee_id == absence.trainee_id, Absence.deleted_at.is_(None)
        )
    )
    marks = [Mark(a.id, a.day, a.period, a.justified) for a in rows]
    organisation = await session.get(Organisation, absence.organisation_id)
    formation = await session.get(Formation, absence.formation_id)
    return repeated_absence(
        marks,
        Mark(absence.id, absence.day, absence.period, absence.justified),
        organisation.settings if organisation else {},
        short=formation is not None and short_procedure(organisation, formation),
        after=await last_closed_on(session, absence.trainee_id, tz=zone_of(organisation)),
    )


@dataclass(frozen=True)
class Recorded:
    """An absence just stored, and what it says about the trainee."""

    absence: Absence
    signal: Signal | None
    """Repeated absence, if this one makes it so."""
    followed: bool
    """A décrochage follow-up is already open for the trainee."""


async def late_rank(
    session: AsyncSession, trainee_id: int, day: date, *, exclude: int | None = None
) -> int:
    """The rank a new late arrival of the trainee on ``day`` takes: one after the last."""
    ranks = select(func.max(Absence.late_rank)).where(
        Absence.trainee_id == trainee_id,
        Absence.day == day,
        Absence.period == "retard",
        Absence.deleted_at.is_(None),
    )
    if exclude is not None:
        ranks = ranks.where(Absence.id != exclude)
    return int(await session.scalar(ranks) or 0) + 1


async def record_absence(
    session: AsyncSession,
    formation: Formation,
    trainee: Trainee,
    details: Details,
    *,
    proof: Upload | None = None,
    another_late: bool = False,
    by: int,
    now: datetime,
) -> Recorded | Conflict:
    """Store an absence (its proof only when justified), audit it, detect repetition.

    A :class:`Conflict` when the half-day was saved by someone else
    meanwhile, or when a late arrival is noted that day already and
    ``another_late`` (confirmed as a second one) is not set: nothing is
    written then.
    """
    values = details.stored()
    if details.period == "retard":
        values["late_rank"] = (
            await late_rank(session, trainee.id, details.day) if another_late else 1
        )
    absence_id = await insert_unless_taken(
        session,
        Absence,
        {
            "organisation_id": formation.organisation_id,
            "formation_id": formation.id,
            "trainee_id": trainee.id,
            "recorded_by": by,
            "recorded_at": now,
            **values,
        },
    )
    if absence_id is None:
        # Whoever took the half-day, or this late arrival's rank (then: "a second one?").
        found = await conflict(session, trainee.id, details.day, details.period)
        # The index refused the row, so a live absence holds the half-day or the rank.
        return found or Conflict(kind="duplicate", period=details.period, by="?")
    absence = await session.get(Absence, absence_id)
    assert absence is not None  # inserted just now, in this transaction
    if details.justified:
        absence.proof_id = await _keep_proof(
            session, formation.organisation_id, proof, by=by, now=now
        )
        await session.flush()
    audit.record(
        session,
        organisation_id=formation.organisation_id,
        actor_id=by,
        action="create",
        entity="absence",
        entity_id=absence.id,
        formation_id=formation.id,
        trainee_id=trainee.id,
        proof=absence.proof_id is not None,
    )
    signal = await repeated(session, absence)
    if signal is None:
        return Recorded(absence, None, followed=False)
    audit.record(
        session,
        organisation_id=formation.organisation_id,
        actor_id=by,
        action="repeated_lateness" if signal.by_lates else "repeated_absence",
        entity="trainee",
        entity_id=trainee.id,
        absence_id=absence.id,
        **(
            {"late": signal.lates}
            if signal.by_lates
            else {"unjustified": signal.unjustified, "half_days": signal.half_days}
        ),
    )
    followed = await open_followup_of(session, trainee.id) is not None
    return Recorded(absence, signal, followed=followed)


async def decline_followup(
    session: AsyncSession,
    organisation_id: int,
    trainee_id: int,
    *,
    by: int,
    now: datetime,
    sign: str | None = None,
) -> None:
    """The trainer saw the sign (``sign``: its code, :attr:`Signal.sign`) and chose not to
    open a follow-up now: the audit says so, and the trainee's timeline reads it (explorer
    GF2: the bundle held no trace of a sign looked at), dated by ``now``."""
    entry = audit.record(
        session,
        organisation_id=organisation_id,
        actor_id=by,
        action="decline_followup",
        entity="trainee",
        entity_id=trainee_id,
        **({"signs": [sign]} if sign else {}),
    )
    entry.at = now


async def correct_absence(
    session: AsyncSession,
    absence: Absence,
    details: Details,
    *,
    proof: Upload | None = None,
    by: int,
    now: datetime,
) -> list[str] | Conflict:
    """Change what was noted; the fields changed (audited with their previous values), none
    when the answers are those noted already: nothing stamped nor journaled (explorer EC9: an
    empty « modification » in the journal).

    A :class:`Conflict`, with nothing changed, when the new half-day (or the
    late arrival's rank) was taken by someone else since the dialogue
    checked: the change is flushed in a savepoint, which the unique index
    refuses without spoiling the turn's transaction.
    """
    previous = {
        "day": absence.day.isoformat(),
        "period": absence.period,
        "justified": absence.justified,
    }
    values = details.stored()
    changed = [key for key, value in values.items() if getattr(absence, key) != value]
    if details.period != "retard":
        values["late_rank"] = None
    elif {"day", "period"} & set(changed) or absence.late_rank is None:
        values["late_rank"] = await late_rank(
            session, absence.trainee_id, details.day, exclude=absence.id
        )
    trainee_id, absence_id = absence.trainee_id, absence.id  # expired if the savepoint fails
    try:
        async with session.begin_nested():
            for key, value in values.items():
                setattr(absence, key, value)
            await session.flush()
    except IntegrityError:
        found = await conflict(session, trainee_id, details.day, details.period, exclude=absence_id)
        return found or Conflict(kind="duplicate", period=details.period, by="?")
    if absence.justified:
        document_id = await _keep_proof(session, absence.organisation_id, proof, by=by, now=now)
        if document_id is not None:
            replaced, absence.proof_id = absence.proof_id, document_id
            changed.append("proof")
            if replaced is not None:
                # Linked to nothing once replaced, no erasure of the trainee would find it
                # (explorer FA2): it goes now, as the recap said; the journal keeps the change.
                await session.execute(delete(StoredDocument).where(StoredDocument.id == replaced))
    if not changed:
        return changed  # the same answers again: no correction to stamp or journal (EC9)
    absence.updated_by, absence.updated_at = by, now
    audit.record(
        session,
        organisation_id=absence.organisation_id,
        actor_id=by,
        action="update",
        entity="absence",
        entity_id=absence.id,
        fields=changed,
        previous=previous,
    )
    return changed


async def delete_absence(
    session: AsyncSession, absence: Absence, *, by: int, now: datetime
) -> None:
    """Mark the absence deleted: gone from lists, counts and exports, kept in the audit."""
    absence.deleted_by, absence.deleted_at = by, now
    audit.record(
        session,
        organisation_id=absence.organisation_id,
        actor_id=by,
        action="delete",
        entity="absence",
        entity_id=absence.id,
        day=absence.day.isoformat(),
        period=absence.period,
        justified=absence.justified,
    )
