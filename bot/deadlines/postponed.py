"""What becomes of a postponement when its deadline's computed date moves.

A trainer postponed « Préparer le bilan avec le groupe » to Monday 24 May, with a
reason; then the bilan moved from Thursday 27 to Wednesday 26 May and the rule's date
from the 20th to the 19th.  Her 24 May still comes before the bilan: she expects it to
stand, not the deadline to turn up « déjà dépassée » the next morning (explorer QC1).
So :func:`bot.deadlines.service.refresh_deadlines` keeps a postponement while it still
is one (later than the new computed date, by at most :data:`MAX_POSTPONE_DAYS`) and, for
an item due before a bilan, while it still falls before the bilan's day; a bilan
d'étape's agreed date is not kept once its span moved.  Otherwise it is dropped, and
:func:`lost` says why, for the message that reports the move.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.rules import BEFORE_BILAN, WITHIN_SPAN, Deadline
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.people import Organisation, zone_named

MAX_POSTPONE_DAYS = 180
"""A postponement further than this is a new plan, not a delay."""

Lost = Literal["bilan", "later", "other"]
"""Why a postponement no longer holds: it no longer falls before the bilan, the new
computed date comes on that day or after it, or another reason (a span moved, too far)."""


async def lost(session: AsyncSession, row: StoredDeadline, new_due: date) -> Lost | None:
    """Why ``row``'s postponement no longer holds once its computed date is ``new_due``
    (``None``: it still holds).  ``row`` is postponed."""
    to = row.postponed_to
    if to is None or row.rule_id in WITHIN_SPAN:
        return "other"
    if to <= new_due:
        return "later"
    if to > new_due + timedelta(days=MAX_POSTPONE_DAYS):
        return "other"
    if row.subject == "bilan" and row.rule_id in BEFORE_BILAN:
        bilan = await session.get(Bilan, row.subject_id)
        if bilan is None or bilan.cancelled_at is not None:
            return "other"
        zone = await session.scalar(
            select(Organisation.timezone).where(Organisation.id == row.organisation_id)
        )
        if to >= bilan.starts_at.astimezone(zone_named(zone)).date():
            return "bilan"
    return None


PINNED_WHEN_DONE = ("CVL-EOS-EXIT:",)
"""The deadlines a done mark keeps on their day when the rules move them: a trainee's exit
entered in EOS is a fact of that day.  Others done move along, still done (a bilan's
preparation done follows its bilan)."""


def kept_day(row: StoredDeadline, deadline: Deadline) -> Deadline:
    """``deadline`` as ``row`` now stores it: an EOS exit done keeps the day it was due.
    Nadia Roux's exit entered at Session 1's end, 31 March, stays there when the sessions
    stop being groups and the rules now put her exit at the formation's end, rather than
    moving to 30 June still marked done (RB's leftover, closing 37)."""
    if row.status != "done" or not row.key.startswith(PINNED_WHEN_DONE):
        return deadline
    return replace(deadline, due_on=row.due_on, due_at=row.due_at)
