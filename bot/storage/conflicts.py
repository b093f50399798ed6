"""Writing a row that a unique index may refuse: the loser of a race gets nothing, not an error.

Invariants ("one organisation bootstrap", "one live absence per half-day",
"one open follow-up per trainee", "one outbox message per key") are unique
indexes.  A service that writes such a row uses :func:`insert_unless_taken`:
``INSERT … ON CONFLICT DO NOTHING RETURNING id`` on SQLite and PostgreSQL
alike.  The winner gets the new id; the loser gets ``None`` with its
transaction intact (no exception, nothing logged) and reads the row that won
to tell the person who was quicker.  On PostgreSQL the loser's statement
waits for the winner's transaction: when it commits, the loser sees the
conflict; when it rolls back, the loser's row goes in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.base import Base


def _insert(session: AsyncSession, model: type[Base]) -> Any:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    return dialect.insert(model.__table__)


async def insert_unless_taken(
    session: AsyncSession, model: type[Base], values: Mapping[str, Any]
) -> int | None:
    """Insert one ``model`` row; its id, or ``None`` when a unique index already holds one."""
    table = model.__table__
    statement = _insert(session, model).values(**values).on_conflict_do_nothing()
    inserted = await session.scalar(statement.returning(table.c.id))
    return None if inserted is None else int(inserted)


async def insert_all_unless_taken(
    session: AsyncSession, model: type[Base], rows: Sequence[Mapping[str, Any]], column: str
) -> list[Any]:
    """Insert ``rows`` (each with the same columns); ``column`` of each inserted (the others
    were taken).

    Sent as one statement compiled once and cached: SQLAlchemy's "insert many
    values" batches the rows into multi-row ``INSERT … RETURNING`` itself.  A
    ``VALUES`` list built here was compiled anew for every number of rows:
    five times the CPU for the digest hour's chunks (measured, SQLite and
    PostgreSQL).
    """
    if not rows:
        return []
    statement = _insert(session, model).on_conflict_do_nothing()
    statement = statement.returning(model.__table__.c[column])
    return list((await session.execute(statement, list(rows))).scalars().all())
