"""Creating a formation and keeping it up to date: dates, trainees, delegates.

Each function is one change a person makes, whole: it checks that
``member`` may touch the formation, writes, records the audit entry and
recomputes the formation's deadlines, in the caller's transaction.  A
formation this person may not see is ``None``, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.answers import by_surname
from bot.deadlines.first import store_first_deadlines
from bot.deadlines.service import Moved, Refresh, refresh_deadlines
from bot.formations.labels import name_key
from bot.formations.queries import Member, load_formation
from bot.formations.sessions import by_session, group_sessions, placed_at
from bot.rules.facts import sessions_are_groups
from bot.storage import audit, turn_rows
from bot.storage.absences import Absence, FollowUp
from bot.storage.bilans import BilanParticipant, StoredDeadline
from bot.storage.formations import (
    Formation,
    FormationSession,
    Trainee,
    attach,
    insert_new,
    name_keys,
    same_title_and_dates,
)
from bot.storage.people import Membership
from bot.storage.turn_rows import TurnRows


@dataclass(frozen=True)
class NewTrainee:
    name: str
    company: str | None = None
    delegate: bool = False
    entered_on: date | None = None
    """When given ("Nora Ali ; entrée le 30 novembre"); else the start, or today if later."""
    email: str | None = None
    phone: str | None = None
    left_on: date | None = None
    """An exit already known (a list imported from a spreadsheet), with ``exit_reason``."""
    exit_reason: str | None = None

    def row(self, key: str, entered_on: date) -> dict[str, Any]:
        """The columns this trainee is stored with, entering on ``entered_on`` unless a day
        was given."""
        return {
            "full_name": self.name,
            "name_key": key,
            "company": self.company,
            "email": self.email,
            "phone": self.phone,
            "is_delegate": self.delegate,
            "entered_on": self.entered_on or entered_on,
            "left_on": self.left_on,
            "exit_reason": self.exit_reason if self.left_on else None,
        }


@dataclass(frozen=True)
class NewSession:
    label: str
    start: date
    end: date
    composante: str | None = None
    """The composante this session delivers ("se former au(x) métier(s)"); sessions of
    one composante share it, and ``None`` puts every session in the same one."""


@dataclass(frozen=True)
class NewFormation:
    """Everything the creation dialogue collected, typed."""

    title: str
    funder: str
    kind: str
    mode: str
    start: date
    end: date
    programme: str | None = None
    action_type: str | None = None
    funder_name: str | None = None
    certifying: bool = False
    long: bool = False
    remote_coaching: bool = False
    cm_name: str | None = None
    cm_email: str | None = None
    cm_matrix: str | None = None
    sessions: Sequence[NewSession] = field(default_factory=tuple)
    trainees: Sequence[NewTrainee] = field(default_factory=tuple)
    trainee_session: int | None = None
    """The position in ``sessions`` of the session chosen for the trainees whose entry falls
    in none (explorer IC5); those whose entry falls in one follow it."""

    def placed(self) -> dict[str, int]:
        """The session each trainee follows (by name key), where the sessions are groups:
        a « premiers gestes » in several sessions (explorer MA1)."""
        parts = list(self.sessions)
        if not sessions_are_groups(self.funder, self.programme, self.action_type, len(parts)):
            return {}
        chosen = self.trainee_session if self.trainee_session in range(len(parts)) else None
        spans = [(p.start, p.end) for p in parts]
        undated = any(t.entered_on is None for t in self.trainees)
        found = {}
        for trainee in self.trainees:
            position = placed_at(spans, trainee.entered_on, chosen, undated)  # explorer MB8
            if position is not None:
                found[name_key(trainee.name)] = position
        return found


def audit_formation(
    session: AsyncSession, member: Member, action: str, formation_id: int, **details: Any
) -> None:
    audit.record(session, **_entry(member, action, formation_id), **details)


def _entry(member: Member, action: str, formation_id: int) -> dict[str, Any]:
    return {
        "organisation_id": member.organisation_id,
        "actor_id": member.person_id,
        "action": action,
        "entity": "formation",
        "entity_id": formation_id,
    }


async def create_formation(
    session: AsyncSession, member: Member, values: NewFormation
) -> Formation:
    """A new formation owned by ``member``, with its sessions, trainees and deadlines, in
    ``session`` as if just loaded (a later change to it is an ordinary ``UPDATE``)."""
    formation = await write_formation(turn_rows.on(await session.connection()), member, values)
    attach(session, formation)
    return formation


async def write_formation(rows: TurnRows, member: Member, values: NewFormation) -> Formation:
    """A new formation owned by ``member``, with its sessions, trainees and deadlines, written
    through the turn's ``rows``; the objects returned belong to no session.

    What the saving turn of ``/formation`` costs: one ``INSERT`` per table
    (the formation, its trainees, a session each, the audit entry, its
    deadlines), nothing read back, and no ORM session: opening one, flushing
    it and committing through SQLAlchemy's connection was a sixth of that
    turn (BA).  The deadlines are computed from the formation in hand
    (:mod:`bot.deadlines.first`).
    """
    formation = {
        "organisation_id": member.organisation_id,
        "owner_id": member.person_id,
        "title": values.title,
        "funder": values.funder,
        "funder_name": values.funder_name if values.funder == "autre" else None,
        "programme": values.programme,
        "action_type": values.action_type,
        "mode": values.mode,
        "kind": values.kind,
        "start_date": values.start,
        "end_date": values.end,
        "certifying": values.certifying,
        "long": values.long,
        "remote_coaching": values.remote_coaching,
        "cm_name": values.cm_name,
        "cm_email": values.cm_email,
        "cm_matrix": values.cm_matrix,
    }
    sessions = [
        {
            "label": part.label,
            "composante": part.composante,
            "start_date": part.start,
            "end_date": part.end,
        }
        for part in values.sessions
    ]
    placed = values.placed()
    trainees = []
    for trainee in values.trainees:
        key = name_key(trainee.name)
        position = placed.get(key)
        start = values.start if position is None else values.sessions[position].start
        trainees.append(trainee.row(key, start))
    created = await insert_new(rows, formation, sessions, trainees, placed)
    details = {"trainees": len(trainees)}
    await audit.write(rows, **_entry(member, "create", created.id), details=details)
    await store_first_deadlines(rows, created)
    return created


async def same_formation(rows: TurnRows, member: Member, values: NewFormation) -> int | None:
    """A formation of ``member``'s already holding exactly what ``values`` would create: the
    same title (case aside), funder, dates and trainees.  The whole dialogue sent again (a
    paste replayed, a message re-sent after a crash) would otherwise make a twin that every
    later list offers; two groups of one training differ by their trainees, and are kept.
    One query, indexed by owner, built once and nothing loaded; the trainees are read only
    for a candidate.  Its id: the caller loads it only to say it."""
    candidates = await same_title_and_dates(
        rows,
        owner=member.person_id,
        organisation=member.organisation_id,
        title=values.title.strip().lower(),
        funder=values.funder,
        start=values.start,
        end=values.end,
    )
    wanted = sorted(name_key(t.name) for t in values.trainees)
    for candidate in candidates:
        if sorted(await name_keys(rows, candidate)) == wanted:
            return candidate
    return None


@dataclass(frozen=True)
class DatesChanged:
    formation: Formation
    outside: list[str]
    """Labels of the sessions that now fall outside the formation's dates."""
    absences: list[date] = field(default_factory=list)
    """The days of absences noted that now fall outside them (kept: /absences corrects)."""
    moved: list[Moved] = field(default_factory=list)
    """The open deadlines the new dates moved."""
    entries: list[tuple[str, date]] = field(default_factory=list)
    """Trainees whose entry, given on its own, now falls outside them (explorer F F21: EOS
    was asked for entries dated before the formation existed), with that entry."""
    reopened: list[StoredDeadline] = field(default_factory=list)
    """A final bilan done before the new end: to do again (reviewer MD3/KB8)."""
    done_again: list[StoredDeadline] = field(default_factory=list)
    """One reopened, done again: its end came back."""


async def change_dates(
    session: AsyncSession, member: Member, formation_id: int, start: date, end: date
) -> DatesChanged | None:
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    outside = [s.label for s in formation.sessions if s.start_date < start or s.end_date > end]
    for trainee in formation.trainees:  # who entered on the first day enters on the new one
        if trainee.entered_on == formation.start_date:
            trainee.entered_on = start
    formation.start_date, formation.end_date = start, end
    audit_formation(session, member, "edit_dates", formation.id)
    refreshed = await refresh_deadlines(session, formation.id)
    days = await session.scalars(
        select(Absence.day)
        .where(
            Absence.formation_id == formation.id,
            Absence.deleted_at.is_(None),
            (Absence.day < start) | (Absence.day > end),
        )
        .order_by(Absence.day)
    )
    entries = sorted(
        (
            (t.full_name, t.entered_on)
            for t in formation.trainees
            if t.entered_on is not None and not t.erased and not start <= t.entered_on <= end
        ),
        key=lambda entry: by_surname(entry[0]),
    )
    return DatesChanged(
        formation,
        outside,
        list(days),
        refreshed.moved,
        entries,
        refreshed.reopened,
        refreshed.done_again,
    )


@dataclass(frozen=True)
class TraineesAdded:
    formation: Formation
    count: int
    ruptures: tuple[tuple[str, date], ...] = ()
    """Those added with an exit for abandon (a file's « Motif de sortie »): a rupture de
    parcours the procedure follows up, said when the import is done (explorer T T3)."""
    sessions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """In a formation of several sessions: each session (« Session 1 : du 1er au 31 mars
    2027 ») with the names added to it, and « » with those of none (explorer IC5)."""


def default_entry(formation: Formation, today: date, part: FormationSession | None = None) -> date:
    """The entry of a trainee added without one: today, or the start if later, or the next
    working day when that is a weekend or a day off (explorer Z, Z12: « le samedi 5
    décembre »), never after the end; of their session, when they follow one (explorer
    IC5: a trainee of session 2 entered on the first day of session 1)."""
    if part is None:
        start, end = formation.start_date, formation.end_date
        day = max(today, start)
    else:  # a session that has ended: its last day, not after it
        start, end = part.start_date, part.end_date
        day = min(max(today, start), end)
    while not dates.is_working_day(day) and day < end:
        day += timedelta(days=1)
    return day


async def add_trainees(
    session: AsyncSession,
    member: Member,
    formation_id: int,
    trainees: Sequence[NewTrainee],
    *,
    now: datetime,
    session_id: int | None = None,
    by_command: bool = False,
) -> TraineesAdded | None:
    """Enrol the trainees not enrolled yet (by name, or by e-mail when one is given); they
    enter on the day given, else on :func:`default_entry`.

    ``by_command``: ``formabot import`` on the server, run by whoever has its access, not
    by ``member`` (the formation's trainer, whose rights it borrows): the journal names no
    one and says so (explorer CF3: the auditor read that the trainer added the list).

    In a formation of several sessions, each follows the session their entry falls in,
    else the one chosen (``session_id``), else none: the whole formation (explorer IC5);
    an entry between sessions, the one to come (:func:`placed_at`, explorer MB8).
    ``now`` is in the organisation's time zone: its date is "today" there.
    """
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    known = {t.name_key for t in formation.trainees}
    emails = {t.email.lower() for t in formation.trainees if t.email}
    groups = group_sessions(formation)
    spans = [(s.start_date, s.end_date) for s in groups]
    chosen = next((i for i, s in enumerate(groups) if s.id == session_id), None)
    undated = any(t.entered_on is None for t in trainees)
    added = 0
    new: list[Trainee] = []
    ruptures: list[tuple[str, date]] = []
    for trainee in trainees:
        key = name_key(trainee.name)
        email = trainee.email.lower() if trainee.email else None
        if key in known or email in emails:
            continue
        known.add(key)
        if email:
            emails.add(email)
        at = placed_at(spans, trainee.entered_on, chosen, undated)  # explorer MB8
        part = groups[at] if at is not None else None
        stored = Trainee(**trainee.row(key, default_entry(formation, now.date(), part)))
        stored.session_id = part.id if part else None
        formation.trainees.append(stored)
        new.append(stored)
        added += 1
        if trainee.exit_reason == "abandon" and trainee.left_on is not None:
            ruptures.append((trainee.name, trainee.left_on))
    await session.flush()
    if by_command:
        entry = {**_entry(member, "add_trainees", formation.id), "actor_id": None}
        audit.record(session, **entry, count=added, by="commande")
    else:
        audit_formation(session, member, "add_trainees", formation.id, count=added)
    await refresh_deadlines(session, formation.id)
    return TraineesAdded(formation, added, tuple(ruptures), placed_in_sessions(formation, new))


def placed_in_sessions(
    formation: Formation, added: Sequence[Trainee]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Who was added to which session, in session order; nothing for one session."""
    return by_session(formation, added) if group_sessions(formation) else ()


@dataclass(frozen=True)
class History:
    """What a trainee has on record in the formation: evidence a removal would delete."""

    absences: int
    followups: int
    bilans: int

    def __bool__(self) -> bool:
        return bool(self.absences or self.followups or self.bilans)


async def history_of(session: AsyncSession, trainee_id: int) -> History:
    """Absences noted (not deleted), follow-ups, bilans the trainee was invited to: removing
    the trainee deleted them all, with the Qualiopi evidence (explorer J: a compte rendu and
    a ticket qualité gone with one tap on « Retirer un stagiaire »)."""

    async def count(column: Any, *where: Any) -> int:
        return int(await session.scalar(select(func.count(column)).where(*where)) or 0)

    return History(
        absences=await count(
            Absence.id, Absence.trainee_id == trainee_id, Absence.deleted_at.is_(None)
        ),
        followups=await count(FollowUp.id, FollowUp.trainee_id == trainee_id),
        bilans=await count(BilanParticipant.id, BilanParticipant.trainee_id == trainee_id),
    )


async def remove_trainee(
    session: AsyncSession, member: Member, formation_id: int, trainee_id: object
) -> Refresh | History | None:
    """Take a trainee off the formation (one added by mistake); ``None`` when there is no
    such trainee, their :class:`History` when they have one (kept: an exit is recorded
    instead, or /effacer erases at their request); else what it changed of the deadlines
    (their prolongation gone, the bilan de fin comes back: explorer F F16)."""
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    trainee = next((t for t in formation.trainees if str(t.id) == str(trainee_id)), None)
    if trainee is None:
        return None
    # Locked before its history is read: an absence being saved from another chat is then
    # seen here, or refused for want of its trainee; never confirmed, then deleted with the
    # trainee (explorer R R2, PostgreSQL; SQLite has one writer).
    await session.execute(select(Trainee.id).where(Trainee.id == trainee.id).with_for_update())
    history = await history_of(session, trainee.id)
    if history:
        return history
    formation.trainees.remove(trainee)
    await session.flush()
    audit_formation(session, member, "remove_trainee", formation.id, trainee_id=trainee.id)
    return await refresh_deadlines(session, formation.id)


async def set_delegates(
    session: AsyncSession, member: Member, formation_id: int, trainee_ids: Collection[object]
) -> list[str] | None:
    """Make exactly these trainees the delegates; the delegates' names, in list order."""
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    chosen = {str(i) for i in trainee_ids}
    for trainee in formation.trainees:
        trainee.is_delegate = str(trainee.id) in chosen
    audit_formation(session, member, "set_delegates", formation.id, count=len(chosen))
    return [t.full_name for t in formation.trainees if t.is_delegate]


@dataclass(frozen=True)
class HandedOver:
    """A formation given to another member: its title now, and who had it."""

    title: str
    previous_owner_id: int


async def hand_over(
    session: AsyncSession, member: Member, formation_id: int, to_person_id: int
) -> HandedOver | str | None:
    """Give one formation to another member of the organisation, who then receives its
    deadlines, reminders and participants' answers (explorer BD6: only removing its trainer
    from the organisation moved a formation, and all hers at once).

    ``None``: the formation is gone or not ``member``'s to give; « absent »: the person
    chosen left the organisation meanwhile; « already »: she is already in charge of it.
    """
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    still_there = await session.scalar(
        select(Membership.id).where(
            Membership.organisation_id == member.organisation_id,
            Membership.person_id == to_person_id,
        )
    )
    if still_there is None:
        return "absent"
    if formation.owner_id == to_person_id:
        return "already"
    previous = formation.owner_id
    formation.owner_id = to_person_id
    audit_formation(
        session,
        member,
        "hand_over",
        formation.id,
        previous_owner_id=previous,
        owner_id=to_person_id,
    )
    return HandedOver(formation.title, previous)
