"""Storing a formation's deadlines, and what people do with them.

:func:`refresh_deadlines` is called whenever something the rules depend on
changes: a bilan scheduled, moved or cancelled, a formation created or its
dates or trainees edited, a follow-up opened or closed, an organisation
setting changed, in the service that writes the change (chat, CLI, demo
alike).  Nothing recomputes them wholesale: the digest reads what is stored,
and a new version of the rules is applied by :mod:`bot.deadlines.catch_up`.
It recomputes the rules and upserts by the rules' stable key:

- a new deadline is added, ``open``;
- a known one gets its new date and wording; **done stays done** (an EOS exit on its day), with who
  and when, but for a final bilan whose end moved past the day it was done, open again
  (:mod:`bot.deadlines.reopened`); a postponement is kept while it still holds at the new computed
  date (:mod:`bot.deadlines.postponed`: still later, still before its bilan),
  else the deadline is open again at its new date and :class:`Moved` says why;
- one whose rule no longer applies (a cancelled bilan, a setting switched
  off) is deleted if it was not done; done ones are kept as history;
- given ``now``, an item due before a bilan that has begun (NOR-PREP,
  NOR-DOCS…, :data:`bot.rules.BEFORE_BILAN`) and is still open is closed as
  ``missed`` ("non fait avant le bilan"): nothing can be done about it any
  more, so it stops being red, and the fact stays on the row (exports, the
  bilan's view).  A bilan moved to a later date opens it again.  Time passing
  alone changes nothing stored but this: the minute tick closes those items
  with one indexed ``UPDATE`` (:func:`close_begun`), and "overdue" is decided
  when a list is read (:func:`group_of`).
- a deadline added or moved into the digest's window (the next
  :data:`UPCOMING_DAYS`) makes the organisation's digest look again at the
  next tick (``Organisation.digest_next_at``), so a bilan scheduled at short
  notice after the digest hour is still said, and reminded, that day.

Nothing here commits or logs personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy import Table, bindparam, null, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.dates import working_day_before
from bot.deadlines.columns import copy_into, wording, wording_of
from bot.deadlines.facts import formation_facts
from bot.deadlines.org_settings import usable_rules_settings
from bot.deadlines.postponed import Lost, kept_day, lost
from bot.deadlines.reopened import follow_end
from bot.rules import BEFORE_BILAN, Deadline, FormationFacts, SettingError, deadlines
from bot.storage import turn_rows
from bot.storage.base import stamp_now
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.formations import Formation
from bot.storage.people import Organisation, zone_named

log = logging.getLogger(__name__)

UPCOMING_DAYS = 7
""""Dans les 7 jours": today up to the same weekday next week, as a trainer reads it."""

CLOSED = ("done", "missed")
"""Statuses of a deadline nobody has to act on any more."""

STILL_TO_DO = ("open", "postponed")
"""The other statuses (an ``IN`` on them can use an index, a ``NOT IN`` cannot)."""


_organisations: Table = Organisation.__table__  # type: ignore[assignment]
_RULES_OF = select(_organisations.c.settings, _organisations.c.timezone).where(
    _organisations.c.id == bindparam("organisation")
)
"""What the rules need of an organisation (built once, like :data:`_LOOK_AGAIN`)."""


@dataclass(frozen=True)
class Moved:
    row: StoredDeadline
    old_due_on: date
    old_due_at: datetime | None
    postponed_to: date | None = None
    """The day it had been postponed to (explorer QC1: the day the trainer had, not the rule's)."""
    lost: Lost | None = None
    """Why that postponement was dropped; ``None`` with ``postponed_to``: it still holds."""


@dataclass
class Refresh:
    """What one recomputation changed."""

    added: list[StoredDeadline] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Titles of the open deadlines deleted because their rule no longer applies."""
    missed: list[StoredDeadline] = field(default_factory=list)
    """Pre-bilan items closed because their bilan has begun (see module doc)."""
    reopened: list[StoredDeadline] = field(default_factory=list)
    """Done ones opened again, the end they count from moved past their done day
    (:mod:`bot.deadlines.reopened`)."""
    done_again: list[StoredDeadline] = field(default_factory=list)
    """Reopened ones done again, that end brought back (:mod:`bot.deadlines.reopened`)."""

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.moved) + len(self.removed)

    def merge(self, other: Refresh) -> None:
        self.added += other.added
        self.moved += other.moved
        self.removed += other.removed
        self.missed += other.missed
        self.reopened += other.reopened
        self.done_again += other.done_again


async def compute(session: AsyncSession, formation: Formation) -> list[Deadline]:
    """The rules' deadlines for ``formation`` as stored now (no write)."""
    return await apply_rules(
        turn_rows.on(await session.connection()),  # on a SQLite file, the driver (ZP)
        formation.organisation_id,
        await formation_facts(session, formation),
    )


async def apply_rules(
    rows: turn_rows.TurnRows, organisation_id: int, facts: FormationFacts
) -> list[Deadline]:
    """The rules' deadlines for ``facts``, with the organisation's settings and time zone.

    Both columns are read alone, through the turn's ``rows``: loading the
    organisation through the ORM cost more than the rules themselves.  That
    read does not flush a session: :func:`refresh_deadlines` has flushed
    (its locked read of the formation), and a formation just created is
    written without the unit of work.
    """
    found = await rows.every(_RULES_OF, {"organisation": organisation_id})
    stored, timezone = found[0] if found else (None, None)  # none stored: every default
    return deadlines(facts, usable_rules_settings(stored), zone_named(timezone))


async def refresh_deadlines(
    session: AsyncSession, formation_id: int, now: datetime | None = None
) -> Refresh:
    """Recompute ``formation_id``'s deadlines and upsert them by key (see module doc).

    ``now`` (the caller's clock) closes the pre-bilan items of bilans already
    begun; without it nothing is closed, so a caller that only knows the
    wall clock cannot close anything by mistake.

    The formation's row is locked first (``FOR NO KEY UPDATE`` on PostgreSQL,
    which rows merely referencing the formation do not wait for; SQLite has
    one writer anyway): two processes refreshing the same formation at once
    (the daily digest in both) take turns, and the second finds the first
    one's rows instead of inserting them again.  What is read after the lock is read
    again from the base (the formation, its trainees, sessions, bilans and deadlines),
    not taken from what the turn loaded before waiting: a trainee added while new dates
    were saved recomputed the deadlines from the former end and wrote them back
    (explorer XB6).  The turn's own changes are written first, so they are what is read.
    """
    result = Refresh()
    await session.flush()
    formation = await session.get(
        Formation, formation_id, with_for_update={"key_share": True}, populate_existing=True
    )
    if formation is None:
        return result
    try:
        # A formation deleted by mistake owes nothing any more: its open deadlines close.
        computed = [] if formation.deleted_at else await compute(session, formation)
    except (ValueError, SettingError) as exc:
        # A formation the rules cannot read (bad codes typed elsewhere): keep what is
        # stored rather than block the change that triggered the refresh.
        log.warning(
            "deadlines of formation %s not recomputed: %s", formation_id, type(exc).__name__
        )
        return result
    stamp = now or stamp_now()
    existing = {
        row.key: row
        for row in (
            await session.scalars(
                select(StoredDeadline)
                .where(StoredDeadline.formation_id == formation_id)
                .execution_options(populate_existing=True)
            )
        ).all()
    }
    for deadline in computed:
        row = existing.pop(deadline.key, None)
        if row is None:
            row = StoredDeadline(
                organisation_id=formation.organisation_id,
                formation_id=formation_id,
                key=deadline.key,
                status="open",
                created_at=stamp,
            )
            copy_into(row, deadline)
            session.add(row)
            result.added.append(row)
            continue
        deadline, old_on, old_at = kept_day(row, deadline), row.due_on, row.due_at
        followed = await follow_end(session, row, deadline, stamp)
        if followed is not None:
            (result.reopened if followed == "reopened" else result.done_again).append(row)
        moved = old_on != deadline.due_on or old_at != deadline.due_at
        changed = moved or wording(row) != wording_of(deadline)
        copy_into(row, deadline)
        if moved:
            was = row.postponed_to if row.status == "postponed" else None
            why = await lost(session, row, deadline.due_on) if was else None
            if row.status == "missed" or why is not None:
                row.status = "open"
                row.postponed_to = None
            result.moved.append(Moved(row, old_on, old_at, was, why))
        if changed:
            row.updated_at = stamp
    for row in existing.values():
        if row.status != "done":
            result.removed.append(row.title)
            await session.delete(row)
    await session.flush()
    if now is not None:
        result.missed = await close_after_bilan(session, formation_id, now)
    if in_window(stamp, [row.due_on for row in (*result.added, *(m.row for m in result.moved))]):
        await look_again(turn_rows.on(await session.connection()), formation.organisation_id)
    return result


def in_window(stamp: datetime, days: Iterable[date]) -> bool:
    """Whether a deadline added or moved to one of ``days`` is for the digest to look at again."""
    soon = stamp.date() + timedelta(days=UPCOMING_DAYS + 1)
    return any(day <= soon for day in days)


async def look_again(rows: turn_rows.TurnRows, organisation_id: int) -> None:
    """Have the organisation's digest (and reminders) looked at again at the next tick.

    One ``UPDATE`` of the organisation's row by its key, only when a change
    falls in the digest's window: the digest job skips what it already sent
    (the outbox keys) and sends what is new today; before the digest hour it
    only sets the hour again.  Sent through the turn's ``rows`` (built once,
    on the table: no ORM statement to build and run at each change).
    """
    await rows.write(_LOOK_AGAIN, {"organisation": organisation_id})


_LOOK_AGAIN = (
    update(_organisations)
    .where(
        _organisations.c.id == bindparam("organisation"),
        _organisations.c.digest_next_at.is_not(None),
    )
    .values(digest_next_at=null())
)


async def close_begun_bilans(session: AsyncSession, now: datetime, settings: Settings) -> None:
    """Scheduler job: close the pre-bilan items of every bilan begun by ``now``."""
    await close_begun(session, now)


async def close_begun(
    session: AsyncSession, now: datetime, formation_ids: Sequence[int] | None = None
) -> None:
    """Close as ``missed`` the open pre-bilan items whose bilan has begun by ``now``.

    One ``UPDATE``, read through ``ix_deadlines_rule_status_due``: a pre-bilan
    item falls due before its bilan, so only the open ones already due (a
    handful) are looked at, however many deadlines are stored.  Limited to
    ``formation_ids`` when given (a list about to be shown).
    """
    begun = select(Bilan.id).where(Bilan.cancelled_at.is_(None), Bilan.starts_at <= now)
    query = update(StoredDeadline).where(
        StoredDeadline.rule_id.in_(sorted(BEFORE_BILAN)),
        StoredDeadline.status.in_(STILL_TO_DO),
        StoredDeadline.due_on <= now.date() + timedelta(days=1),
        StoredDeadline.subject == "bilan",
        StoredDeadline.subject_id.in_(begun),
    )
    if formation_ids is not None:
        query = query.where(StoredDeadline.formation_id.in_(list(formation_ids)))
    await session.execute(
        query.values(status="missed", updated_at=now).execution_options(synchronize_session="fetch")
    )


async def close_after_bilan(
    session: AsyncSession, formation_id: int, now: datetime
) -> list[StoredDeadline]:
    """Close as ``missed`` the pre-bilan items still open once their bilan has begun."""
    begun = (
        await session.scalars(
            select(Bilan.id).where(
                Bilan.formation_id == formation_id,
                Bilan.cancelled_at.is_(None),
                Bilan.starts_at <= now,
            )
        )
    ).all()
    if not begun:
        return []
    rows = (
        await session.scalars(
            select(StoredDeadline).where(
                StoredDeadline.formation_id == formation_id,
                StoredDeadline.subject == "bilan",
                StoredDeadline.subject_id.in_(list(begun)),
                StoredDeadline.rule_id.in_(sorted(BEFORE_BILAN)),
                StoredDeadline.status.in_(STILL_TO_DO),
            )
        )
    ).all()
    for row in rows:
        row.status = "missed"
        row.updated_at = now
    await session.flush()
    return list(rows)


async def refresh_organisation(
    session: AsyncSession, organisation_id: int, now: datetime | None = None
) -> Refresh:
    """Every formation of the organisation (after a setting changed; a new version of the rules)."""
    total = Refresh()
    ids = (
        await session.scalars(
            # In id order: two processes lock the formations in the same order.
            select(Formation.id)
            .where(Formation.organisation_id == organisation_id, Formation.deleted_at.is_(None))
            .order_by(Formation.id)
        )
    ).all()
    for formation_id in ids:
        total.merge(await refresh_deadlines(session, formation_id, now))
    return total


# --- reading ---------------------------------------------------------------------


class Listed(Protocol):
    """A deadline as the lists read it (``/echeances``, the digest, the reminders).

    A stored row (:class:`~bot.storage.bilans.StoredDeadline`) is one; the digest
    hour reads thousands at once and takes only these columns, in a lighter
    :class:`bot.deadlines.digest_messages.Item` (ORM objects were 40 % of its time).
    """

    @property
    def id(self) -> int: ...
    @property
    def formation_id(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def subject_id(self) -> int: ...
    @property
    def due_on(self) -> date: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def title(self) -> str: ...
    @property
    def detail(self) -> str | None: ...
    @property
    def explanation(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def audience(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def postponed_to(self) -> date | None: ...
    @property
    def effective_due(self) -> date: ...


L = TypeVar("L", bound=Listed)


async def deadlines_of(
    session: AsyncSession,
    formation_ids: Sequence[int],
    *,
    include_done: bool = False,
) -> list[StoredDeadline]:
    """Stored deadlines of these formations, by day that counts then moment."""
    if not formation_ids:
        return []
    query = select(StoredDeadline).where(StoredDeadline.formation_id.in_(list(formation_ids)))
    if not include_done:
        query = query.where(StoredDeadline.status.in_(STILL_TO_DO))
    rows = list((await session.scalars(query)).all())
    return sorted(rows, key=order)


def order(row: Listed) -> tuple[date, int, float, str]:
    moment = row.due_at.timestamp() if row.due_at and row.status != "postponed" else 0.0
    return (row.effective_due, 0 if moment else 1, moment, row.key)


Group = str
"""``overdue`` | ``week`` | ``later``."""


def group_of(row: Listed, now: datetime) -> Group:
    """Overdue (from its hour, NOR-DOCS, else the next day), due within
    :data:`UPCOMING_DAYS` (today and a week from today included; on a day off, from the
    working day before, unless postponed there: explorer K), or later."""
    today = now.date()
    if row.status != "postponed" and row.due_at is not None:
        if row.due_at <= now:
            return "overdue"
    elif row.effective_due < today:
        return "overdue"
    act = None if row.status == "postponed" else working_day_before(row.effective_due, today)
    if (act or row.effective_due) <= today + timedelta(days=UPCOMING_DAYS):
        return "week"
    return "later"


def grouped(rows: Sequence[L], now: datetime) -> dict[Group, list[L]]:
    groups: dict[Group, list[L]] = {"overdue": [], "week": [], "later": []}
    for row in rows:
        groups[group_of(row, now)].append(row)
    return groups


# --- acting ----------------------------------------------------------------------


def mark_done(row: StoredDeadline, person_id: int, now: datetime) -> None:
    row.status = "done"
    row.done_at = now
    row.done_by = person_id
    row.updated_at = now


async def deadlines_of_subject(
    session: AsyncSession, formation_id: int, subject: str, subject_id: int
) -> list[StoredDeadline]:
    """Every stored deadline of one subject (a follow-up, a bilan…), done ones included."""
    rows = await session.scalars(
        select(StoredDeadline).where(
            StoredDeadline.formation_id == formation_id,
            StoredDeadline.subject == subject,
            StoredDeadline.subject_id == subject_id,
        )
    )
    return sorted(rows.all(), key=order)


async def mark_done_by_key(
    session: AsyncSession,
    formation_id: int,
    keys: Sequence[str],
    person_id: int,
    now: datetime,
) -> list[StoredDeadline]:
    """Mark these deadlines of a formation done (those not done yet); the ones marked."""
    if not keys:
        return []
    rows = await session.scalars(
        select(StoredDeadline).where(
            StoredDeadline.formation_id == formation_id,
            StoredDeadline.key.in_(list(keys)),
            StoredDeadline.status.in_(STILL_TO_DO),
        )
    )
    marked = list(rows.all())
    for row in marked:
        mark_done(row, person_id, now)
    await session.flush()
    return marked


def postpone(row: StoredDeadline, *, to: date, reason: str, person_id: int, now: datetime) -> None:
    if not row.postponable:
        raise PermissionError("this deadline is fixed by its source")
    row.status = "postponed"
    row.postponed_to = to
    row.postpone_reason = reason[:300]
    row.postponed_by = person_id
    row.postponed_at = now
    row.updated_at = now
