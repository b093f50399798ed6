"""Bounded sweeps: what the minute tick forgets, at most :data:`SWEEP_BATCH` rows a time.

The tick forgets what has outlived its retention (a sent message's text
after a day, a delivered outbox row after three months).  What falls due
in one minute follows the data: the day after a digest hour of 20,000
organisations, 20,000 texts are due in the same minute.  So each sweep does
at most :data:`SWEEP_BATCH` rows per tick, **oldest first**, and the next
ticks go on where it stopped: a backlog is worked down, never skipped, and
a tick costs the same at ten times the data (issue 14).

Two shapes:

- :func:`delete_oldest`: the rows swept are deleted, so the next tick
  finds the rest at the head of the same index range; nothing to remember.
- :func:`sweep_in_order`: the rows swept stay (their text erased), so
  the sweep keeps its place in a :class:`SweepPosition` row, written in the
  transaction that does the batch: a process killed in the middle resumes
  from the last committed batch, and two processes sweeping at once walk
  the same rows (harmless: erasing twice is erasing once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from bot.storage.base import Base, utcnow

SWEEP_BATCH = 1_000
"""Rows one sweep changes in one tick (texts erased, event records and conversations
forgotten; outbox rows, which cost more to delete, go :data:`bot.outbox.PRUNE_BATCH` at a
time).  Erasing 1,000 texts is one statement of about 3 ms on SQLite, 15 ms on PostgreSQL,
right after the digest hour of 2,000 organisations (it was about 20 ms of CPU on SQLite,
with the batch's ids and times read into Python and sent back).  The senders send at most
600 messages a minute per process (20 every 2 s), so with one sending process each text goes
within the minute after its day; a digest hour of 20,000 organisations (about 25,600
messages) sent by two processes leaves its last text about 4 minutes late, by three about
11, all in one minute 26 (README, "Personal data")."""


class SweepPosition(Base):
    """Where a sweep that keeps its rows stopped: the last row it did, in its order."""

    __tablename__ = "sweep_positions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    """The sweep (``sent_texts:outbox``, ``sent_texts:matrix_welcomes``)."""
    done_at: Mapped[datetime | None] = mapped_column()
    """The order column's value of the last row done (``None``: none yet)."""
    done_id: Mapped[int | None] = mapped_column()
    """Its id (rows with the same time are taken in id order)."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _after(model: Any, order: InstrumentedAttribute[Any], at: datetime, id_: int) -> list[Any]:
    """The rows after ``(at, id_)`` in the walk's order: a range of the index on ``order``,
    and the row value (an ``OR`` there made PostgreSQL read the primary key's index too)."""
    return [order >= at, tuple_(order, model.id) > tuple_(at, id_)]


def _through(model: Any, order: InstrumentedAttribute[Any], at: datetime, id_: int) -> list[Any]:
    """The rows up to ``(at, id_)`` included, in the walk's order."""
    return [order <= at, tuple_(order, model.id) <= tuple_(at, id_)]


async def sweep_in_order(
    session: AsyncSession,
    name: str,
    model: Any,
    order: InstrumentedAttribute[Any],
    due: Sequence[ColumnElement[bool]],
    before: datetime,
    values: dict[str, Any],
    *,
    only: Sequence[ColumnElement[bool]] = (),
    batch: int,
) -> None:
    """Apply ``values`` to the next ``batch`` rows of ``model`` matching ``due`` with
    ``order < before``, oldest first, from where the sweep ``name`` last stopped.

    ``due`` must match an index whose columns end with ``order`` (each batch
    is one index range); ``only`` narrows the rows changed without moving the
    walk (a row already erased is passed over, not written again).  The batch
    is found by its last row (the index walked ``batch`` rows on, in the
    database) and changed as a range, in one statement: no row of it comes
    into Python, whose handling of 1,000 ids and times cost four fifths of
    the tick (issue 14).
    """
    position = await session.get(SweepPosition, name, with_for_update=True)
    if position is None:
        position = SweepPosition(name=name)
        session.add(position)
    walk = [*due, order < before]
    if position.done_at is not None:
        walk += _after(model, order, position.done_at, position.done_id or 0)
    ends = select(order, model.id).where(*walk)
    end = (await session.execute(ends.order_by(order, model.id).offset(batch - 1).limit(1))).first()
    if end is None:  # fewer than a batch left: up to the newest due
        end = (await session.execute(ends.order_by(order.desc(), model.id.desc()).limit(1))).first()
        if end is None:
            return
    await session.execute(
        update(model)
        .where(*walk, *_through(model, order, end[0], end[1]), *only)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    position.done_at, position.done_id = end[0], end[1]
    await session.flush()


async def delete_oldest(
    session: AsyncSession,
    model: Any,
    order: InstrumentedAttribute[Any],
    due: Sequence[ColumnElement[bool]],
    before: datetime,
    *,
    batch: int,
) -> None:
    """Delete the ``batch`` oldest rows of ``model`` matching ``due`` with ``order < before``
    (one index range: ``due`` equalities, then ``order``), in one statement whose ids stay
    in the database."""
    oldest = select(model.id).where(*due, order < before).order_by(order, model.id).limit(batch)
    await session.execute(
        delete(model).where(model.id.in_(oldest)).execution_options(synchronize_session=False)
    )
