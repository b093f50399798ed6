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

from collections.abc import Mapping
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.base import Base


async def insert_unless_taken(
    session: AsyncSession, model: type[Base], values: Mapping[str, Any]
) -> int | None:
    """Insert one ``model`` row; its id, or ``None`` when a unique index already holds one."""
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    table = model.__table__
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing()
    statement = statement.returning(table.c.id)
    inserted = await session.scalar(statement)
    return None if inserted is None else int(inserted)
