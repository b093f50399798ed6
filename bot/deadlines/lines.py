"""One line per thing to do: what tells a deadline apart, and deadlines taken together.

Every list of deadlines (``/echeances``, the private digest, the reminders,
``formabot export echeances``) names what distinguishes a line from another
of the same title: the trainee for a trainee's or a follow-up's deadline
(looked up when shown, so a corrected name shows at once and the stored row
holds no name), the span or the bilan otherwise (``StoredDeadline.detail``,
written by the rules).

A formation's entry and exit items (CVL-EOS, CVL-TABLE: one per trainee)
that fall in the same group (overdue, this week, later) are shown as one
line, "3 entrées à saisir dans EOS", the names in its detail
(:func:`bundle`); a single one stays a line of its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.service import Listed, group_of
from bot.rules import milestone_of
from bot.storage.absences import FollowUp
from bot.storage.formations import Trainee


async def concerned(session: AsyncSession, rows: Sequence[Listed]) -> dict[int, str]:
    """Deadline id → what it concerns: a trainee's name, else its stored detail."""
    trainee_ids = {r.subject_id for r in rows if r.subject == "trainee"}
    followup_ids = {r.subject_id for r in rows if r.subject == "followup"}
    of_followup: dict[int, int] = {}
    if followup_ids:
        found = await session.execute(
            select(FollowUp.id, FollowUp.trainee_id).where(FollowUp.id.in_(list(followup_ids)))
        )
        of_followup = {int(f): int(t) for f, t in found.all()}
    trainee_ids |= set(of_followup.values())
    names: dict[int, str] = {}
    if trainee_ids:
        found = await session.execute(
            select(Trainee.id, Trainee.full_name).where(Trainee.id.in_(list(trainee_ids)))
        )
        names = {int(i): str(n) for i, n in found.all()}
    out: dict[int, str] = {}
    for row in rows:
        if row.subject == "trainee":
            who = names.get(row.subject_id)
        elif row.subject == "followup":
            who = names.get(of_followup.get(row.subject_id, 0))
        else:
            who = row.detail
        if who:
            out[row.id] = who
    return out


@dataclass(frozen=True)
class Line:
    """One line of a list: a deadline, or several of one formation taken together."""

    rows: tuple[Listed, ...]
    title: str
    """The deadline's title, or "3 entrées à saisir dans EOS"."""
    who: str
    """The trainee, span or bilan; for a bundle, the names, comma-separated."""

    @property
    def first(self) -> Listed:
        return self.rows[0]

    @property
    def several(self) -> bool:
        return len(self.rows) > 1


def bundle(rows: Sequence[Listed], who: dict[int, str], now: datetime) -> list[Line]:
    """``rows`` as lines, the per-trainee items of one formation and group together.

    The order of ``rows`` is kept (a bundle sits where its first item was).
    """
    lines: list[Line] = []
    pending: dict[tuple[int, str, str], list[Listed]] = {}
    for row in rows:
        milestone = milestone_of(row.key)
        if row.subject == "trainee" and milestone is not None and milestone.several:
            pending.setdefault((row.formation_id, row.title, group_of(row, now)), []).append(row)
    placed: set[tuple[int, str, str]] = set()
    for row in rows:
        milestone = milestone_of(row.key)
        slot = (row.formation_id, row.title, group_of(row, now))
        together = pending.get(slot) if row.subject == "trainee" else None
        if together is None or len(together) < 2 or milestone is None or not milestone.several:
            lines.append(Line((row,), row.title, who.get(row.id, "")))
            continue
        if slot in placed:
            continue
        placed.add(slot)
        names = sorted((who.get(r.id, "") for r in together), key=_surname)
        lines.append(
            Line(tuple(together), f"{len(together)} {milestone.several}", ", ".join(names))
        )
    return lines


def _surname(name: str) -> str:
    """Sort "Nadia Roux" under R, accents folded, as a list of people is read."""
    parts = name.split()
    flat = unicodedata.normalize("NFKD", " ".join([*parts[1:], *parts[:1]]))
    return "".join(c for c in flat if not unicodedata.combining(c)).casefold()
