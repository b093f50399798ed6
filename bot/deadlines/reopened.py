"""A final bilan marked done holds for the end it was done on.

Thomas Fabre's path was extended to 30 April 2027 after the trainer had marked « Envoyer le
bilan qualitatif de fin » done on 4 December: the Région expects the final bilan once every
path has ended (002, « ATTENTION »), and it stayed « fait » forever (reviewer MD3/KB8).  The
rules counted from the end that counts (:data:`bot.rules.REDONE_AFTER_LATER_END`) therefore
reopen when that end, their anchor, moves past the day they were marked done; an end that
stays, comes earlier, or moves to a day before the done mark leaves them done.  Who marked it
done is kept on the row with when (``reopened_from``) and for which end (``done_anchor_on``):
the end brought back to that end or that day (the extension removed with its trainee, the
dates corrected) makes it done again, as it was.  Said once in the chat that made the change
(:func:`reopened_lines`) and in the next digest (:func:`reopened_since`), and whenever it is
opened in ``/echeances`` (:func:`reopened_history`: an open row alone read as never done).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.rules import REDONE_AFTER_LATER_END, Deadline
from bot.storage.bilans import StoredDeadline
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation, zone_named


def _later_end(row: StoredDeadline, deadline: Deadline) -> bool:
    """Whether ``deadline``'s anchor moved later than ``row`` knew it.  A row stored before
    its anchor was (migration 0046) learns it at its first refresh, the rules' catch-up at
    the first start (:data:`bot.deadlines.catch_up.FACTS_REVISION` 5), and is left done: its
    due day moving then may be a setting changed, no end moved."""
    if deadline.anchor_on is None or row.anchor_on is None:
        return False
    return deadline.anchor_on > row.anchor_on


async def _day_of(session: AsyncSession, row: StoredDeadline, moment: datetime) -> date:
    """``moment``'s day in the organisation's zone (a mark at 0 h 30 is that day's)."""
    zone = await session.scalar(
        select(Organisation.timezone).where(Organisation.id == row.organisation_id)
    )
    return moment.astimezone(zone_named(zone)).date()


async def follow_end(
    session: AsyncSession, row: StoredDeadline, deadline: Deadline, now: datetime
) -> Literal["reopened", "done_again"] | None:
    """Reopen ``row`` when its end moved past the day it was marked done, or mark it done
    again when the end came back to the one it was done for or to that day (either to be
    told); called by the refresh before the row takes ``deadline``'s values."""
    if deadline.rule_id not in REDONE_AFTER_LATER_END or deadline.anchor_on is None:
        return None
    if row.status == "done" and row.done_at is not None and _later_end(row, deadline):
        if deadline.anchor_on <= await _day_of(session, row, row.done_at):
            return None
        row.reopened_from, row.reopened_at, row.done_anchor_on = row.done_at, now, row.anchor_on
        row.status, row.done_at, row.updated_at = "open", None, now
        return "reopened"
    back = row.reopened_from if row.status == "open" else None
    if back is None:
        return None
    held = [await _day_of(session, row, back), *filter(None, [row.done_anchor_on])]
    if deadline.anchor_on > max(held):
        return None
    row.status, row.done_at, row.updated_at = "done", back, now
    row.reopened_from = row.reopened_at = row.done_anchor_on = None
    return "done_again"


async def reopened_since(
    session: AsyncSession, since: Mapping[int, datetime]
) -> dict[int, list[tuple[StoredDeadline, str]]]:
    """By organisation, the deadlines reopened since its previous digest and still to do,
    each with its formation's title (one query, whatever the number of organisations)."""
    if not since:
        return {}
    found: dict[int, list[tuple[StoredDeadline, str]]] = {}
    rows = await session.execute(
        select(StoredDeadline, Formation.title)
        .join(Formation, Formation.id == StoredDeadline.formation_id)
        .where(
            StoredDeadline.organisation_id.in_(sorted(since)),
            StoredDeadline.reopened_at.is_not(None),
            StoredDeadline.status.in_(("open", "postponed")),
        )
        .order_by(StoredDeadline.id)
    )
    for row, title in rows.all():
        if row.reopened_at is not None and row.reopened_at > since[row.organisation_id]:
            found.setdefault(row.organisation_id, []).append((row, title))
    return found


def reopened_lines(
    rows: Sequence[tuple[StoredDeadline, str]], tz: ZoneInfo, trainee: str | None = None
) -> list[dict[str, object]]:
    """What ``templates/chat/_reopened.j2`` says of each deadline, given with its formation's
    title: the end it now counts from, the trainee whose path the change extended when it
    named one, the day it had been (or is again) marked done, its title, span and source."""
    return [
        {
            "end": row.anchor_on,
            "trainee": trainee,
            "formation": title,
            "done": done.astimezone(tz).date()
            if (done := row.reopened_from or row.done_at)
            else None,
            "title": row.title,
            "detail": row.detail,
            "source": row.source,
        }
        for row, title in rows
    ]


async def reopened_history(
    session: AsyncSession, row: StoredDeadline, tz: ZoneInfo
) -> dict[str, object] | None:
    """What the deadline's detail says of a reopened one (« Marquée faite le …, rouverte le
    … »): without it, an open final bilan hid that it had been done and why it is again to
    do.  The trainee is named when one path alone ends on the end it counts from (a path
    extended); an end of the formation or of a session moved names none."""
    if row.reopened_from is None or row.reopened_at is None or row.status == "done":
        return None
    ends = await session.scalars(
        select(Trainee.full_name).where(
            Trainee.formation_id == row.formation_id, Trainee.path_end == row.anchor_on
        )
    )
    named = list(ends)
    return {
        "done": row.reopened_from.astimezone(tz).date(),
        "reopened": row.reopened_at.astimezone(tz).date(),
        "end": row.anchor_on,
        "trainee": named[0] if len(named) == 1 and not row.detail else None,
        "detail": row.detail,
    }
