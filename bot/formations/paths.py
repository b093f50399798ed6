"""Each trainee's path: when they entered, when and why they left, and its extension.

(And what was typed about them when they were added, their name and company,
which can be corrected like everything else typed.)

In a formation à entrées et sorties permanentes every trainee has their own
dates, and the Région dates its EOS entries and exits from them (CVL-EOS);
a bon de commande supplémentaire extends one trainee's path, and the final
bilan then waits until every path has ended (002, « ATTENTION »).  The
checks are plain functions the dialogues use to re-ask before confirming;
the writes check again, audit (ids and codes only) and recompute the
deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.service import refresh_deadlines
from bot.formations.labels import EXIT_REASONS, name_key
from bot.formations.queries import Member, load_formation
from bot.formations.service import audit_formation
from bot.formations.sessions import entry_session, group_end
from bot.storage.absences import Absence
from bot.storage.bilans import BilanParticipant, StoredDeadline
from bot.storage.formations import Formation, Trainee

Problem = Literal[
    "before_start", "after_end", "before_entry", "after_exit", "not_later", "already_left"
]


def path_end(formation: Formation, trainee: Trainee, session_id: int | None = None) -> date:
    """The last day of this trainee's path: their extension, else their group's end, their
    session's if they follow an earlier one (explorer IC5), else the formation's."""
    end = group_end(formation, trainee, session_id)
    if trainee.path_end is not None and trainee.path_end > end:
        return trainee.path_end
    return end


def last_path_end(formation: Formation) -> date:
    """When every path has ended: the final bilan is owed from then on (002)."""
    return max([formation.effective_end, *(path_end(formation, t) for t in formation.trainees)])


def entry_problem(formation: Formation, trainee: Trainee | None, on: date) -> Problem | None:
    """An entry falls within the formation, and before the trainee's exit if recorded."""
    if on < formation.start_date:
        return "before_start"
    if trainee is None:
        end = formation.effective_end
    else:  # an entry moved into another session, or before one, moves the trainee there
        moved = entry_session(formation, trainee, on)  # (explorer IC5, MB7)
        end = path_end(formation, trainee, moved.id if moved else None)
    if on > end:
        return "after_end"
    if trainee is not None and trainee.left_on is not None and on > trainee.left_on:
        return "after_exit"
    return None


def exit_problem(formation: Formation, trainee: Trainee, on: date) -> Problem | None:
    """An exit falls between the trainee's entry and the end of their path."""
    if on < (trainee.entered_on or formation.start_date):
        return "before_entry"
    if on > path_end(formation, trainee):
        return "after_end"
    return None


def extension_problem(formation: Formation, trainee: Trainee, until: date) -> Problem | None:
    """An extension ends later than the path it extends, for a trainee still there."""
    if trainee.left_on is not None:
        return "already_left"
    if until <= path_end(formation, trainee):
        return "not_later"
    return None


@dataclass(frozen=True)
class PathChanged:
    formation: Formation
    trainee: Trainee
    reopened: list[StoredDeadline] = field(default_factory=list)
    """A final bilan done before the new end of the last path: to do again (MD3/KB8)."""
    done_again: list[StoredDeadline] = field(default_factory=list)
    """One reopened, done again: the change brought its end back (MD3/KB8)."""


async def _trainee(
    session: AsyncSession, member: Member, formation_id: object, trainee_id: object
) -> tuple[Formation, Trainee] | None:
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    trainee = next((t for t in formation.trainees if str(t.id) == str(trainee_id)), None)
    return None if trainee is None else (formation, trainee)


async def _saved(
    session: AsyncSession, member: Member, found: tuple[Formation, Trainee], action: str
) -> PathChanged:
    formation, trainee = found
    audit_formation(session, member, action, formation.id, trainee_id=trainee.id)
    await session.flush()
    refreshed = await refresh_deadlines(session, formation.id)
    return PathChanged(formation, trainee, refreshed.reopened, refreshed.done_again)


async def set_entry(
    session: AsyncSession,
    member: Member,
    formation_id: object,
    trainee_id: object,
    on: date,
    session_id: int | None = None,
) -> PathChanged | None:
    """Correct when a trainee entered; ``None`` when there is no such trainee to see.  In
    group sessions he then follows the one holding his entry, or, between sessions,
    ``session_id`` when it is to come (:func:`entry_session`, explorer MB7)."""
    found = await _trainee(session, member, formation_id, trainee_id)
    if found is None:
        return None
    if entry_problem(found[0], found[1], on):
        raise ValueError("entry date outside the trainee's path")
    moved = entry_session(found[0], found[1], on, session_id)
    found[1].entered_on = on
    if moved is not None:
        found[1].session_id = moved.id
    return await _saved(session, member, found, "trainee_entry")


async def record_exit(
    session: AsyncSession,
    member: Member,
    formation_id: object,
    trainee_id: object,
    on: date,
    reason: str,
) -> PathChanged | None:
    """Record (or correct) a trainee's exit, its date and its reason."""
    found = await _trainee(session, member, formation_id, trainee_id)
    if found is None:
        return None
    if reason not in EXIT_REASONS:
        raise ValueError("unknown exit reason")
    if exit_problem(found[0], found[1], on):
        raise ValueError("exit date outside the trainee's path")
    found[1].left_on, found[1].exit_reason = on, reason
    return await _saved(session, member, found, "trainee_exit")


async def absences_after(session: AsyncSession, trainee: Trainee, day: date) -> list[date]:
    """The days of the trainee's absences noted after ``day`` (their exit): kept, and said
    (explorer E: they stayed in the exports, unsaid)."""
    found = await session.scalars(
        select(Absence.day)
        .where(Absence.trainee_id == trainee.id, Absence.deleted_at.is_(None), Absence.day > day)
        .order_by(Absence.day)
    )
    return list(found)


async def extend_path(
    session: AsyncSession, member: Member, formation_id: object, trainee_id: object, until: date
) -> PathChanged | None:
    """A bon de commande supplémentaire: this trainee's path now ends on ``until``."""
    found = await _trainee(session, member, formation_id, trainee_id)
    if found is None:
        return None
    if extension_problem(found[0], found[1], until):
        raise ValueError("an extension ends after the current end of the path")
    found[1].path_end = until
    return await _saved(session, member, found, "trainee_extension")


async def correct_trainee(
    session: AsyncSession,
    member: Member,
    formation_id: object,
    trainee_id: object,
    *,
    name: str | None = None,
    company: str | None = None,
    clear_company: bool = False,
) -> PathChanged | None:
    """Correct a trainee's name (not another trainee's) or company; audited without values.

    A name corrected is the name of her bilan invitations too (explorer KE2: « Lea Martn »
    invited, then corrected, was still asked « Vous êtes bien Lea Martn ? », reminded and
    exported under it): the participant rows follow, an answer already signed keeps the
    name it was signed under (its record, :mod:`bot.attestations.chain`), and the follow-up
    and the proofs say both (:func:`bot.attestations.service.signed_as`)."""
    found = await _trainee(session, member, formation_id, trainee_id)
    if found is None:
        return None
    formation, trainee = found
    if name is not None:
        key = name_key(name)
        if any(t.name_key == key for t in formation.trainees if t is not trainee):
            raise ValueError("another trainee has this name")
        trainee.full_name, trainee.name_key = name, key
        await session.execute(
            update(BilanParticipant)
            .where(BilanParticipant.trainee_id == trainee.id)
            .values(name=name)
            .execution_options(synchronize_session="fetch")
        )
    if company is not None or clear_company:
        trainee.company = company
    return await _saved(session, member, found, "trainee_correct")


def name_taken(formation: Formation, trainee_id: object, name: str) -> bool:
    """Whether another trainee of ``formation`` already has this name."""
    key = name_key(name)
    return any(t.name_key == key and str(t.id) != str(trainee_id) for t in formation.trainees)
