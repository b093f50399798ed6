"""Correcting a formation after creating it, and deleting one created by mistake.

Everything the creation dialogue asks can be corrected here, one topic at a
time (its title, its funder and programme, its organisation, the chargé(e)
de mission…).  Each change is whole, like the rest of
:mod:`bot.formations.service`: checked against what ``member`` may see,
written, recorded in the audit trail (by field name, never by value), and
the deadlines recomputed, since the funder, the programme or the length
decide which rules apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.followups import path_for
from bot.deadlines.service import refresh_deadlines
from bot.formations import labels
from bot.formations.queries import Member, load_formation
from bot.formations.service import NewSession, audit_formation
from bot.formations.sessions import (
    ExitsMoved,
    by_session,
    continued_rows,
    eos_exits,
    exits_moved,
    group_sessions,
    held_sessions,
    replace_trainees,
)
from bot.storage.absences import FollowUp
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.formations import Formation, FormationSession

TEXT_FIELDS = ("title", "funder_name", "cm_name", "cm_email", "cm_matrix")
BOOL_FIELDS = ("certifying", "long", "remote_coaching")
CODE_FIELDS: dict[str, dict[str, str]] = {
    "kind": labels.KINDS,
    "funder": labels.FUNDERS,
    "programme": labels.PROGRAMMES,
    "action_type": labels.ACTION_TYPES,
    "mode": labels.MODES,
}
EDITABLE = (*TEXT_FIELDS, *BOOL_FIELDS, *CODE_FIELDS)
"""The columns a correction may set (dates and sessions have their own functions)."""


@dataclass(frozen=True)
class Edited:
    formation: Formation
    fields: list[str]
    """The columns whose value changed, in :data:`EDITABLE` order."""
    held_by: Bilan | None = None
    """The bilan programmed that kept the funder or the nature from changing (nothing changed)."""
    moved: tuple[str, ...] = ()
    """The trainees whose open follow-up now follows the other path (« courte » corrected to
    « longue »: the entretien and its compte rendu, explorer T T10), by name."""
    grouped: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The sessions just became groups (action type corrected to « premiers gestes »): who
    now follows which, by his entry (explorer MB1), as :func:`by_session` says them."""
    ungrouped: bool = False
    """The sessions are no longer groups: every trainee follows the whole formation again
    (explorer MB1)."""
    exits: ExitsMoved = ()
    """Then, whose EOS exit moved to the formation's end (explorer QA5)."""
    reopened: tuple[StoredDeadline, ...] = ()
    """A final bilan done before the end the change moved: to do again (reviewer MD3/KB8)."""
    done_again: tuple[StoredDeadline, ...] = ()
    """One reopened, done again: the change brought its end back (MD3/KB8)."""


BILAN_BOUND = ("funder", "kind")
"""What a bilan programmed depends on (its deadlines, its documents, the Région's contact):
changed only once it is cancelled, as a formation is deleted (explorer F F13: the bilan stayed,
its deadlines vanished unsaid)."""


def _checked(name: str, value: object) -> object:
    """``value`` if it fits column ``name``; a ``ValueError`` otherwise (a dialogue's bug)."""
    if name not in EDITABLE:
        raise ValueError(f"not an editable field: {name}")
    if name in BOOL_FIELDS:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be a bool")
        return value
    if value is None and name not in ("title", "kind", "funder", "mode"):
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    if name in CODE_FIELDS and value not in CODE_FIELDS[name]:
        raise ValueError(f"unknown code for {name}")
    return value


def _consistent(formation: Formation) -> None:
    """Drop what no longer applies after a change: the questions creation would not ask."""
    if formation.funder != "cvl":
        formation.programme = None
        formation.action_type = None
    if formation.funder != "autre":
        formation.funder_name = None
    if formation.funder != "rectorat":
        formation.remote_coaching = False
    if formation.kind in labels.SINGLE_PERSON_KINDS:
        formation.mode = "dates"
        formation.certifying = False
        formation.long = False
        for trainee in formation.trainees:  # one person followed: no delegate
            trainee.is_delegate = False
    if not formation.cm_name:
        formation.cm_email = None
        formation.cm_matrix = None


async def edit_formation(
    session: AsyncSession, member: Member, formation_id: object, changes: Mapping[str, object]
) -> Edited | None:
    """Apply ``changes`` (column → new value); ``None`` when the formation is not theirs."""
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    checked = {name: _checked(name, value) for name, value in changes.items()}
    if any(
        checked.get(name, getattr(formation, name)) != getattr(formation, name)
        for name in BILAN_BOUND
    ):
        bilan = await live_bilan(session, formation.id)
        if bilan is not None:
            return Edited(formation, [], held_by=bilan)
    before = {name: getattr(formation, name) for name in EDITABLE}
    held, were_groups = held_sessions(formation), bool(group_sessions(formation))
    exits_before = eos_exits(formation)
    for name, value in checked.items():
        setattr(formation, name, value)
    _consistent(formation)
    changed = [name for name in EDITABLE if getattr(formation, name) != before[name]]
    moved: list[str] = []
    grouped: tuple[tuple[str, tuple[str, ...]], ...] = ()
    ungrouped = False
    exits: ExitsMoved = ()
    reopened: tuple[StoredDeadline, ...] = ()
    done_again: tuple[StoredDeadline, ...] = ()
    if changed:
        moved = await _follow_the_length(session, formation)
        if bool(group_sessions(formation)) != were_groups:  # explorer MB1
            replace_trainees(formation, held)
            if were_groups:
                ungrouped = bool(formation.trainees)
            else:
                grouped = by_session(formation, formation.trainees)
        audit_formation(session, member, "edit", formation.id, fields=changed)
        await session.flush()
        refreshed = await refresh_deadlines(session, formation.id)
        reopened, done_again = tuple(refreshed.reopened), tuple(refreshed.done_again)
        if ungrouped:
            exits = exits_moved(formation, exits_before, await exits_done(session, formation))
    return Edited(
        formation,
        changed,
        moved=tuple(moved),
        grouped=grouped,
        ungrouped=ungrouped,
        exits=exits,
        reopened=reopened,
        done_again=done_again,
    )


async def _follow_the_length(session: AsyncSession, formation: Formation) -> list[str]:
    """Open follow-ups of a formation now long (or short) take that path: the procedure is
    the formation's, and its length was corrected, not the follow-up's facts."""
    path = path_for(formation)
    if path not in LENGTH_PATHS:
        return []
    opened = await session.scalars(
        select(FollowUp).where(
            FollowUp.formation_id == formation.id,
            FollowUp.closed_at.is_(None),
            FollowUp.path.in_(LENGTH_PATHS),
            FollowUp.path != path,
        )
    )
    names = {t.id: t.full_name for t in formation.trainees}
    moved = []
    for followup in opened:
        followup.path = path
        moved.append(names.get(followup.trainee_id, ""))
    return sorted(n for n in moved if n)


LENGTH_PATHS = ("short", "long")
"""The paths a formation's length decides (003 §2); a bilan's and a VAE's are their own."""


def proofs_unsendable(formation: Formation) -> str | None:
    """A Région's formation without the chargé(e) de mission's e-mail: what cannot go to
    them, named by its funder (« normandie »: the proofs of participation; « cvl »: no
    proofs are owed there, the bilans' invitations, explorer T T9), else ``None``."""
    unsendable = formation.funder in labels.REGION_FUNDERS and not formation.cm_email
    return formation.funder if unsendable else None


@dataclass(frozen=True)
class SessionsReplaced:
    formation: Formation
    moved: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The trainees whose group changed (by dates, explorer MB2), by their new session (« »
    for none), as :func:`bot.formations.sessions.by_session` says them (explorer MA9);
    empty when the sessions are no longer groups (``ungrouped``)."""
    ungrouped: bool = False
    """The group sessions became one or none: every trainee follows the whole formation, no
    entry to correct (explorer QA5), as after « Financeur et programme » (:class:`Edited`)."""
    exits: ExitsMoved = ()
    """Then, whose EOS exit moved to the formation's end (explorer QA5)."""
    reopened: tuple[StoredDeadline, ...] = ()
    """A final bilan done before the end the change moved: to do again (reviewer MD3/KB8)."""
    done_again: tuple[StoredDeadline, ...] = ()
    """One reopened, done again: the change brought its end back (MD3/KB8)."""


async def replace_sessions(
    session: AsyncSession, member: Member, formation_id: object, sessions: Sequence[NewSession]
) -> SessionsReplaced | None:
    """The formation's sessions become ``sessions``, in order.

    A session with the same dates as a stored one, or sharing days with it, keeps
    its row (and so its id, which the deadline keys use): correcting a session's
    dates moves its deadlines, a done bilan stays done; a session added gets a
    new row, whatever its place (explorer MB11, :func:`continued_rows`).  The
    trainees then follow the session holding their entry
    (:func:`bot.formations.sessions.replace_trainees`, explorer MA9).
    """
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    held, exits_before = held_sessions(formation), eos_exits(formation)
    were_groups = bool(group_sessions(formation))
    rows = sorted(formation.sessions, key=lambda s: (s.start_date, s.id))
    continued = continued_rows(rows, [(new.start, new.end) for new in sessions])
    for new, row in zip(sessions, continued, strict=True):
        if row is not None:
            row.label, row.composante = new.label, new.composante
            row.start_date, row.end_date = new.start, new.end
        else:
            formation.sessions.append(
                FormationSession(
                    label=new.label,
                    composante=new.composante,
                    start_date=new.start,
                    end_date=new.end,
                )
            )
    gone = [row for row in rows if row not in continued]
    for trainee in formation.trainees:  # they follow the whole formation again (explorer IC5)
        if trainee.session_id in {row.id for row in gone}:
            trainee.session_id = None
    for row in gone:
        formation.sessions.remove(row)
    await session.flush()  # the new sessions' ids, for their trainees
    moved = replace_trainees(formation, held)
    await session.flush()
    audit_formation(session, member, "edit_sessions", formation.id, count=len(sessions))
    refreshed = await refresh_deadlines(session, formation.id)
    reopened, done_again = tuple(refreshed.reopened), tuple(refreshed.done_again)
    if were_groups and not group_sessions(formation) and formation.trainees:  # explorer QA5
        done = await exits_done(session, formation)
        exits = exits_moved(formation, exits_before, done)
        return SessionsReplaced(
            formation, ungrouped=True, exits=exits, reopened=reopened, done_again=done_again
        )
    moved_to = by_session(formation, moved)
    return SessionsReplaced(formation, moved_to, reopened=reopened, done_again=done_again)


async def exits_done(session: AsyncSession, formation: Formation) -> set[int]:
    """The trainees whose EOS exit is marked done: it keeps its day (RB's leftover)."""
    keys = await session.scalars(
        select(StoredDeadline.key).where(
            StoredDeadline.formation_id == formation.id,
            StoredDeadline.key.like(f"{EXIT_KEY}%"),
            StoredDeadline.status == "done",
        )
    )
    return {int(key.removeprefix(EXIT_KEY)) for key in keys if key.removeprefix(EXIT_KEY).isdigit()}


EXIT_KEY = "CVL-EOS-EXIT:trainee:"
"""The key of a trainee's EOS exit, before the trainee's id."""


Blocker = Literal["bilan", "followup"]


async def live_bilan(session: AsyncSession, formation_id: int) -> Bilan | None:
    """The formation's next bilan not cancelled, if any."""
    found: Bilan | None = await session.scalar(
        select(Bilan)
        .where(Bilan.formation_id == formation_id, Bilan.cancelled_at.is_(None))
        .order_by(Bilan.starts_at)
        .limit(1)
    )
    return found


async def deletion_blocker(session: AsyncSession, formation_id: int) -> Blocker | None:
    """What must be dealt with before deleting: a bilan not cancelled, a follow-up still open.

    A bilan has participants to tell (cancelling it sends them the
    cancellation) and a follow-up is Qualiopi evidence: neither disappears
    silently with a formation.
    """
    if await live_bilan(session, formation_id) is not None:
        return "bilan"
    followups = await session.scalar(
        select(func.count())
        .select_from(FollowUp)
        .where(FollowUp.formation_id == formation_id, FollowUp.closed_at.is_(None))
    )
    return "followup" if followups else None


@dataclass(frozen=True)
class Deleted:
    formation: Formation | None
    blocker: Blocker | None = None


async def delete_formation(
    session: AsyncSession, member: Member, formation_id: object, *, now: datetime
) -> Deleted | None:
    """Delete a formation created by mistake: hidden, its open deadlines closed, audited.

    Nothing is erased: the row stays with ``deleted_at``, the done deadlines
    stay as history, and the audit trail says who deleted it and when.  Its row is
    held and read again first, as scheduling a bilan and opening a follow-up hold it: a
    bilan or a follow-up saved at the same moment is a blocker, not left on a deleted
    formation (explorer UD2).
    """
    formation = await load_formation(session, member, formation_id, lock=True)
    if formation is None:
        return None
    blocker = await deletion_blocker(session, formation.id)
    if blocker is not None:
        return Deleted(formation, blocker)
    formation.deleted_at = now
    audit_formation(session, member, "delete", formation.id)
    await session.flush()
    await refresh_deadlines(session, formation.id)
    return Deleted(formation)
