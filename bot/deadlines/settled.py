"""Deadlines closed with their follow-up without being done.

Closing a décrochage follow-up (its ticket, or « Clore le suivi ») marks what it
still owed done, so that nothing stays overdue and all stays as its history
(:func:`bot.absences.followup_deadlines.settle`).  Read back, such a row is no
step met: the timeline, the échéances export and its calendar say « non tenue,
close avec le suivi » alike (explorer AH4: « fait, faite par Camille Durand »
in the export while the PDF of the same evidence said it was never done).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.absences import FollowUp
from bot.storage.bilans import StoredDeadline

SETTLED = "non tenue, close avec le suivi"
"""The status, in exports, of a deadline closed with its follow-up without being done."""


def closes_it(row: StoredDeadline) -> bool:
    """The ticket qualité's own deadline: done by the ticket, which closes the follow-up at
    that moment, so never settled."""
    return "-TICKET:" in row.key


def settled(row: StoredDeadline, closed_at: datetime | None) -> bool:
    """Marked done by its follow-up's closing, at that very moment, not by what it asked
    (no step is done at the closing's moment: :func:`bot.absences.followup_deadlines.
    closing_moment`)."""
    return (
        row.subject == "followup"
        and row.done_at is not None
        and row.done_at == closed_at
        and not closes_it(row)
    )


async def settled_among(session: AsyncSession, rows: Sequence[StoredDeadline]) -> set[int]:
    """The ids of ``rows`` :func:`settled` with their follow-up (one query)."""
    ids = {r.subject_id for r in rows if r.subject == "followup" and r.status == "done"}
    if not ids:
        return set()
    found = await session.execute(
        select(FollowUp.id, FollowUp.closed_at).where(FollowUp.id.in_(ids))
    )
    closing: dict[int, datetime | None] = {id_: closed for id_, closed in found}
    return {r.id for r in rows if settled(r, closing.get(r.subject_id))}
