"""What the platforms delivered, written down before they are told it arrived.

One row per incoming update: the neutral :class:`~bot.messages.Incoming`
(attachments included) and what its transport needs to answer it, stored as
JSON, unique on (platform, event id) so a redelivered update is one row.
A transport commits the row *before* it acknowledges the update (the next
``getUpdates`` offset, the webhook's 200, the console's echo), so a crash
can only lose what the platform will deliver again.  ``pending`` rows are
handled in order per person; ``done`` ones have their content erased and
are forgotten after a while.

When several processes share the database (``formabot run --workers N``,
or ``formabot work`` containers), a process handles a row only after
claiming it (:func:`claim`): one conditional ``UPDATE`` that succeeds only
if the row is its person's *oldest* pending row and nobody else holds a
live lease on it.  So two updates of one person are never handled at once
nor out of order, in any process, while different people go to whichever
process is free.  The process that records a row usually claims it in the
same ``INSERT`` (:func:`record`): then no claim statement runs before its
turn.  The lease is renewed while the process holds the row and dropped
with the ``done`` mark; a process killed mid-turn stops renewing it, and
:data:`LEASE` later another process takes the row over.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    ColumnElement,
    Index,
    Insert,
    Integer,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, aliased, mapped_column

from bot.storage.base import Base, utcnow

LEASE = timedelta(seconds=30)
"""How long a claim holds without being renewed.

A turn takes milliseconds, the longest (a PDF) a few seconds, and a running
turn renews its claim every third of this; so 30 s is only ever reached by
a process that died or lost the database.  Shorter would risk a second
process replaying a turn that is merely slow (its effects are de-duplicated,
but a reply could go out twice); longer would keep a killed worker's people
waiting longer for their answer.
"""


class InboxUpdate(Base):
    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_inbox_person_pending", "platform", "chat_id", "user_id", "status", "id"),
        # The minute tick forgets done rows past their window: that range only (issue 14).
        # It serves the look for pending rows too (a prefix), so neither column has an
        # index of its own: each is one more entry written at every record and done mark.
        Index("ix_inbox_status_done_at", "status", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    """Arrival order: a person's updates are handled by increasing id."""
    platform: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(255))
    chat_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``{"incoming": …, "answer": …}``; emptied once the update is done."""
    status: Mapped[str] = mapped_column(String(12), default="pending")
    """``pending`` (recorded, maybe handled, replies maybe partly sent) → ``done``."""
    sent: Mapped[int] = mapped_column(Integer, default=0)
    """How many of the turn's replies went out: a restart sends the rest."""
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    """The process handling the row (:func:`~bot.storage.claimers.claimer`), when several
    share the database;
    kept once done, which says who handled it (no personal data)."""
    claimed_until: Mapped[datetime | None]
    """Until when that claim holds unless renewed (:data:`LEASE`)."""


def _takeable() -> ColumnElement[bool]:
    """The row is its person's oldest pending one and nobody else (``:me``) holds it at ``:now``."""
    older = aliased(InboxUpdate, name="older")
    return (
        (InboxUpdate.status == "pending")
        & or_(
            InboxUpdate.claimed_until.is_(None),
            InboxUpdate.claimed_until < bindparam("now", type_=_MOMENT),
            InboxUpdate.claimed_by == bindparam("me", type_=String()),
        )
        & ~exists().where(
            older.platform == InboxUpdate.platform,
            older.chat_id == InboxUpdate.chat_id,
            older.user_id == InboxUpdate.user_id,
            older.status == "pending",
            older.id < InboxUpdate.id,
        )
    )


# Built once (a claim and a look run for every turn of a shared inbox): only
# their parameters change, so neither SQLAlchemy nor the driver prepares
# them again.
_MOMENT = InboxUpdate.__table__.c.claimed_until.type
_CLAIM = (
    update(InboxUpdate)
    .where(InboxUpdate.id.in_(bindparam("rows", expanding=True)), _takeable())
    .values(claimed_by=bindparam("me"), claimed_until=bindparam("until", type_=_MOMENT))
    .returning(InboxUpdate.id, InboxUpdate.sent)
)
_inbox: Table = InboxUpdate.__table__  # type: ignore[assignment]
_DONE = (
    update(_inbox)
    .where(_inbox.c.id == bindparam("row", type_=Integer()))
    .values(
        status="done",
        payload={},
        sent=bindparam("replies_sent", type_=Integer()),
        done_at=bindparam("now", type_=_MOMENT),
        claimed_until=None,  # claimed_by stays: which process handled it
    )
)
"""On the table, not the mapped class: the ORM's bulk path costs more than the statement."""
_SENT = (
    update(_inbox)
    .where(_inbox.c.id == bindparam("row", type_=Integer()))
    .values(sent=bindparam("replies_sent", type_=Integer()))
)
_HOLD = (
    update(InboxUpdate)
    .where(
        InboxUpdate.id.in_(bindparam("rows", expanding=True)),
        InboxUpdate.claimed_by == bindparam("me", type_=String()),
        InboxUpdate.status == "pending",
    )
    .values(claimed_until=bindparam("until", type_=_MOMENT))
)


def _recording(dialect: Any, claiming: bool) -> Insert:
    """The ``INSERT`` of one update, claimed at once when ``claiming`` and the person allows it.

    Claimed (``claimed_by = :me``) when none of the person's pending rows is
    held by anybody but ``:me`` with a live lease: the new row is then its
    person's oldest pending one, or comes after rows this process holds and
    has queued before it (a process's claimed rows are all in its queues),
    so handling it without a claim statement keeps the person's order.
    Otherwise it is recorded unclaimed and goes through :func:`claim`.
    """
    values: dict[str, Any] = {
        "platform": bindparam("at_platform", type_=String()),
        "event_id": bindparam("at_event", type_=String()),
        "chat_id": bindparam("at_chat", type_=String()),
        "user_id": bindparam("at_user", type_=String()),
        "payload": bindparam("at_payload", type_=InboxUpdate.__table__.c.payload.type),
        "status": "pending",
        "sent": 0,
        "received_at": bindparam("now", type_=_MOMENT),
    }
    if claiming:
        older = aliased(InboxUpdate, name="older")
        held_elsewhere = exists().where(
            older.platform == bindparam("at_platform", type_=String()),
            older.chat_id == bindparam("at_chat", type_=String()),
            older.user_id == bindparam("at_user", type_=String()),
            older.status == "pending",
            or_(
                older.claimed_until.is_(None),
                older.claimed_until < bindparam("now", type_=_MOMENT),
                older.claimed_by != bindparam("me", type_=String()),
            ),
        )
        values["claimed_by"] = case((held_elsewhere, null()), else_=bindparam("me"))
        values["claimed_until"] = case(
            (held_elsewhere, null()), else_=bindparam("until", type_=_MOMENT)
        )
    statement: Insert = (
        dialect.insert(InboxUpdate)
        .values(values)
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        .returning(InboxUpdate.id, InboxUpdate.claimed_by)
    )
    return statement


_RECORD = {
    (name, claiming): _recording(dialect, claiming)
    for name, dialect in (("sqlite", sqlite), ("postgresql", postgresql))
    for claiming in (False, True)
}
"""By (dialect, claiming): SQLite claims only in tests (one process needs no claim)."""


def _recording_many() -> Insert:
    """PostgreSQL: a batch's rows in one ``INSERT … SELECT FROM unnest(…)``, each as :func:`_recording`.

    One statement sees the rows of the table as they were before it, not
    the batch's own: a person's rows of one batch are all claimed or all
    left (the caller asks for a claim of all of them or of none, see
    :func:`record_all`), so the person's order is kept as with one
    ``INSERT`` each.  Ids follow the batch's order (``ORDER BY`` the
    position).
    """
    text = postgresql.ARRAY(String())
    arrived = (
        func.unnest(
            bindparam("at_platforms", type_=text),
            bindparam("at_events", type_=text),
            bindparam("at_chats", type_=text),
            bindparam("at_users", type_=text),
            bindparam("at_payloads", type_=text),
            bindparam("at_mes", type_=text),
        )
        .table_valued(
            "platform", "event_id", "chat_id", "user_id", "payload", "me", with_ordinality="n"
        )
        .render_derived(name="arrived")
    )
    older = aliased(InboxUpdate, name="older")
    now = bindparam("now", type_=_MOMENT)
    kept_elsewhere = or_(
        arrived.c.me.is_(None),
        exists().where(
            older.platform == arrived.c.platform,
            older.chat_id == arrived.c.chat_id,
            older.user_id == arrived.c.user_id,
            older.status == "pending",
            or_(
                older.claimed_until.is_(None),
                older.claimed_until < now,
                older.claimed_by != arrived.c.me,
            ),
        ),
    )
    rows = select(
        arrived.c.platform,
        arrived.c.event_id,
        arrived.c.chat_id,
        arrived.c.user_id,
        cast(arrived.c.payload, InboxUpdate.__table__.c.payload.type),
        literal("pending"),
        literal(0),
        now,
        case((kept_elsewhere, null()), else_=arrived.c.me),
        case((kept_elsewhere, null()), else_=bindparam("until", type_=_MOMENT)),
    ).order_by(arrived.c.n)
    columns = ["platform", "event_id", "chat_id", "user_id", "payload", "status", "sent"]
    columns += ["received_at", "claimed_by", "claimed_until"]
    statement: Insert = (
        postgresql.insert(InboxUpdate)
        .from_select(columns, rows)
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        .returning(InboxUpdate.id, InboxUpdate.event_id, InboxUpdate.claimed_by)
    )
    return statement


_RECORD_MANY = _recording_many()
_PENDING = (InboxUpdate.id, InboxUpdate.payload, InboxUpdate.sent)
_TAKEABLE = (
    select(*_PENDING)
    .where(InboxUpdate.platform == bindparam("platform", type_=String()), _takeable())
    .order_by(InboxUpdate.id)
    .limit(bindparam("limit", type_=Integer()))
)
_NEXT = (
    select(*_PENDING)
    .where(
        InboxUpdate.platform == bindparam("platform", type_=String()),
        InboxUpdate.chat_id == bindparam("chat", type_=String()),
        InboxUpdate.user_id == bindparam("user", type_=String()),
        _takeable(),
    )
    .order_by(InboxUpdate.id)
    .limit(1)
)


class Pending(Protocol):
    """What handling a row needs: its id, what was recorded, the replies already sent."""

    @property
    def id(self) -> int: ...

    @property
    def payload(self) -> dict[str, Any]: ...

    @property
    def sent(self) -> int: ...


async def claim(
    connection: AsyncConnection, row: int, me: str, now: datetime, lease: timedelta = LEASE
) -> int | None:
    """Take ``row`` for ``lease``; the replies already sent, or None when it is not ours to take."""
    return (await claim_all(connection, [row], me, now, lease)).get(row)


async def claim_all(
    connection: AsyncConnection, wanted: Sequence[int], me: str, now: datetime, lease: timedelta
) -> dict[int, int]:
    """Take the ``wanted`` rows that are ours to take, in one statement: their replies already sent.

    Each row is taken on its own condition (its person's oldest pending row,
    nobody else's live lease), as if claimed alone.  On PostgreSQL two
    processes racing for one row both reach its lock, and the second
    re-reads the claim the first wrote and takes nothing (two racing for
    several rows in different orders may deadlock: the database cancels
    one statement, whose rows are then claimed one by one).
    """
    values = {"rows": list(wanted), "me": me, "now": now, "until": now + lease}
    return {row: sent for row, sent in (await connection.execute(_CLAIM, values)).all()}


async def record(
    connection: AsyncConnection,
    update: tuple[str, str, str, str, dict[str, Any]],
    now: datetime,
    me: str | None = None,
    lease: timedelta = LEASE,
) -> tuple[int, bool] | None:
    """Write one update down (``platform, event id, chat, user, payload``), pending.

    Returns its id and whether this process (``me``) holds it already, or
    None for a redelivery (already recorded).  With ``me`` (a shared inbox
    with room for it) the row is claimed in the same statement when the
    person allows it (:func:`_recording`).  The races, and why they keep the
    person's order:

    - two batches of one person in flight in the receiving process (a
      webhook's parallel requests): :meth:`bot.inbox.Inbox.record` writes
      them one after the other, so their ids grow in the order they are
      queued there, and no uncommitted row of the person can hide from the
      ``EXISTS`` (which sees committed rows and its own transaction's);
    - a worker holding the person's older row: the new row is recorded
      unclaimed; the receiver's claim of it fails while the older one is
      pending, and the worker takes it after its turn (its ``_follow``);
    - a worker polling between the ``INSERT`` and its commit does not see
      the row; after the commit it finds it held.

    Only the receiving process records, so no other process inserts rows.
    """
    platform, event, chat, user, payload = update
    statement = _RECORD[connection.dialect.name, me is not None]
    values = {
        "at_platform": platform,
        "at_event": event,
        "at_chat": chat,
        "at_user": user,
        "at_payload": payload,
        "now": now,
        "me": me,
        "until": now + lease,
    }
    found = (await connection.execute(statement, values)).first()
    return None if found is None else (found[0], me is not None and found[1] == me)


Update = tuple[str, str, str, str, dict[str, Any]]
"""``platform, event id, chat, user, payload``: one update as recorded."""


async def record_all(
    connection: AsyncConnection,
    updates: Sequence[tuple[Update, str | None]],
    now: datetime,
    lease: timedelta = LEASE,
) -> list[tuple[int, bool] | None]:
    """Write a batch down, each update claimed for its ``me`` (or None) as :func:`record` does.

    In the batch's order, one result per update (None: already recorded).
    On PostgreSQL one statement for the whole batch (:func:`_recording_many`):
    ``me`` must then be the same for all the rows of one person in it.
    Elsewhere (SQLite: one process, nothing to save) one ``INSERT`` each.
    """
    if connection.dialect.name != "postgresql" or len(updates) < 2:
        return [await record(connection, u, now, me, lease) for u, me in updates]
    values: dict[str, Any] = {"now": now, "until": now + lease}
    for index, name in enumerate(("platforms", "events", "chats", "users")):
        values[f"at_{name}"] = [u[index] for u, _ in updates]
    values["at_payloads"] = [json.dumps(u[4]) for u, _ in updates]
    values["at_mes"] = [me for _, me in updates]
    me_of = {u[1]: me for u, me in updates}
    returned = (await connection.execute(_RECORD_MANY, values)).all()
    found = {event: (row, by is not None and by == me_of[event]) for row, event, by in returned}
    return [found.pop(u[1], None) for u, _ in updates]


async def hold(
    connection: AsyncConnection, held: Sequence[int], me: str, until: datetime | None
) -> None:
    """Keep the claims on the rows this process holds until ``until``; None lets them go at once."""
    await connection.execute(_HOLD, {"rows": list(held), "me": me, "until": until})


async def takeable(
    connection: AsyncConnection, platform: str, me: str, now: datetime, limit: int
) -> Sequence[Pending]:
    """Rows this process may claim now, oldest first: at most one per person."""
    values = {"platform": platform, "me": me, "now": now, "limit": limit}
    return (await connection.execute(_TAKEABLE, values)).all()


async def next_of(
    connection: AsyncConnection, key: tuple[str, str, str], me: str, now: datetime
) -> Pending | None:
    """The person's next row, if this process may claim it: their later messages follow."""
    platform, chat, user = key
    values = {"platform": platform, "chat": chat, "user": user, "me": me, "now": now}
    return (await connection.execute(_NEXT, values)).first()


async def done(
    connection: AsyncConnection, marks: Sequence[tuple[int, int]], now: datetime
) -> None:
    """Mark the rows ``(id, replies sent)`` done and empty them: one ``executemany`` for them all."""
    if marks:
        values = [{"row": row, "replies_sent": sent, "now": now} for row, sent in marks]
        await connection.execute(_DONE, values)


async def sent(connection: AsyncConnection, row: int, count: int) -> None:
    """``count`` of the row's replies went out: a restart sends only the rest."""
    await connection.execute(_SENT, {"row": row, "replies_sent": count})
