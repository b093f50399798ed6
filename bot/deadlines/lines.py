"""One line per thing to do: what tells a deadline apart, and deadlines taken together.

Every list of deadlines (``/echeances``, the private digest, the reminders,
``formabot export echeances``) names what distinguishes a line from another
of the same title: the trainee for a trainee's or a follow-up's deadline
(looked up when shown, so a corrected name shows at once and the stored row
holds no name), the span or the bilan otherwise (``StoredDeadline.detail``,
written by the rules).

A formation's entry and exit items (CVL-EOS, CVL-TABLE: one per trainee)
that are overdue, or still to come on the same day, are shown as one line,
"3 entrées à saisir dans EOS", the names in its detail (:func:`bundle`); a
single one stays a line of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.deadlines.service import L, Listed, group_of
from bot.rules import milestone_of
from bot.storage.absences import Entretien, FollowUp
from bot.storage.formations import Trainee

T = TypeVar("T")

SLICE = 10_000
"""Ids per ``IN (…)`` list: PostgreSQL takes at most 32,767 parameters in a statement, and a
chunk of the digest hour asks for the trainees of 25 organisations at once."""


async def concerned(session: AsyncSession, rows: Sequence[Listed]) -> dict[int, str]:
    """Deadline id → what it concerns: a trainee's name, else its stored detail."""
    trainee_ids = {r.subject_id for r in rows if r.subject == "trainee"}
    followup_ids = sorted({r.subject_id for r in rows if r.subject == "followup"})
    of_followup = await _pairs(session, FollowUp.id, FollowUp.trainee_id, followup_ids)
    wanted = sorted(trainee_ids | set(of_followup.values()))
    names = await _pairs(session, Trainee.id, Trainee.full_name, wanted)
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


SCOPE = re.compile(r"^la (?P<what>session|composante) « (?P<name>.+?) »(?: \(du [^)]*\))?$")


def short_scope(who: str) -> str:
    """« Session 1 » for « la session « Session 1 » (du lundi 7 décembre 2026 au …) », and
    « composante Cuisine »: in a button, the deadline's title was cut to « Envoyer le
    bila… » for dates the detail gives (explorer AA, AA8); in the digest and the reminders,
    « (la session « Session 2 » (du lundi 3 mai 2027 au …)) » nested brackets and said the
    session twice in a line that starts with its date (explorer QC3)."""
    found = SCOPE.match(who)
    if found is None:
        return who
    return found["name"] if found["what"] == "session" else f"composante {found['name']}"


INTERVIEW_STEPS = {"ENTRETIEN": "individuel", "REGARD-CROISE": "regard_croise"}
"""A follow-up's milestones met by an interview, and the interview's kind."""


def interview_kind(row: Listed) -> str | None:
    """The kind of interview that meets a follow-up's deadline (:data:`INTERVIEW_STEPS`), or
    ``None`` for any other deadline."""
    if row.subject != "followup":
        return None
    head = row.key.split(":", 1)[0]
    return next((k for step, k in INTERVIEW_STEPS.items() if head.endswith(f"-{step}")), None)


async def booked(session: AsyncSession, rows: Sequence[Listed]) -> dict[int, datetime]:
    """Deadline id → the moment its interview is planned, for a follow-up's entretien (or
    regard croisé) still to hold: overdue in the digest, it is already booked (explorer AO6:
    a coordinator chased a trainer who had set it for Thursday)."""
    wanted: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        if (kind := interview_kind(row)) is not None:
            wanted.setdefault((row.subject_id, kind), []).append(row.id)
    followups = sorted({f for f, _ in wanted})
    out: dict[int, datetime] = {}
    for start in range(0, len(followups), SLICE):
        found = await session.execute(
            select(Entretien.followup_id, Entretien.kind, func.min(Entretien.scheduled_at))
            .where(
                Entretien.followup_id.in_(followups[start : start + SLICE]),
                Entretien.held_at.is_(None),
                Entretien.cancelled_at.is_(None),
            )
            .group_by(Entretien.followup_id, Entretien.kind)
        )
        for followup_id, kind, at in found.all():
            out.update(dict.fromkeys(wanted.get((followup_id, kind), ()), at))
    return out


async def _pairs(
    session: AsyncSession,
    key: InstrumentedAttribute[int],
    value: InstrumentedAttribute[T],
    ids: list[int],
) -> dict[int, T]:
    """``key`` → ``value`` of the rows whose ``key`` is in ``ids``, :data:`SLICE` ids a query."""
    found: dict[int, T] = {}
    for start in range(0, len(ids), SLICE):
        rows = await session.execute(select(key, value).where(key.in_(ids[start : start + SLICE])))
        found.update((int(k), v) for k, v in rows.all())
    return found


SHOWN_NAMES = 5
"""A bundle's names a chat line shows before « et 12 autres »: the detail lists them all."""


@dataclass(frozen=True)
class Line:
    """One line of a list: a deadline, or several of one formation taken together."""

    rows: tuple[Listed, ...]
    title: str
    """The deadline's title, or "3 entrées à saisir dans EOS"."""
    who: str
    """The trainee, span or bilan; for a bundle, the names, comma-separated."""
    names: tuple[str, ...] = ()
    """A bundle's names, in order."""

    @property
    def first(self) -> Listed:
        return self.rows[0]

    def briefly(self, most: int = SHOWN_NAMES) -> str:
        """:attr:`who` for a chat: a bundle's first names and how many more (explorer H:
        1,614 names made the digest eight messages long, cut in the middle of names)."""
        if len(self.names) <= most:
            return self.who
        more = f"{len(self.names) - most:,}".replace(",", "\u202f")
        return f"{', '.join(self.names[:most])} et {more} autres"

    @property
    def several(self) -> bool:
        return len(self.rows) > 1


def bundle(rows: Sequence[Listed], who: dict[int, str], now: datetime) -> list[Line]:
    """``rows`` as lines, the per-trainee items of one formation together: the overdue
    ones, and those still to come on the same day.

    The order of ``rows`` is kept (a bundle sits where its first item was).
    """
    lines: list[Line] = []
    pending: dict[Slot, list[Listed]] = {}
    for row in rows:
        milestone = milestone_of(row.key)
        if row.subject == "trainee" and milestone is not None and milestone.several:
            pending.setdefault(_slot(row, now), []).append(row)
    placed: set[Slot] = set()
    for row in rows:
        milestone = milestone_of(row.key)
        slot = _slot(row, now)
        together = pending.get(slot) if row.subject == "trainee" else None
        if together is None or len(together) < 2 or milestone is None or not milestone.several:
            lines.append(Line((row,), row.title, who.get(row.id, "")))
            continue
        if slot in placed:
            continue
        placed.add(slot)
        names = [who.get(r.id, "") for r in in_order(together, who)]
        title = f"{len(together)} {milestone.several}"
        lines.append(Line(tuple(together), title, ", ".join(names), tuple(names)))
    return lines


Slot = tuple[int, str, str, date | None]
"""What a bundle's items share: formation, title, group, and the day unless overdue."""


def _slot(row: Listed, now: datetime) -> Slot:
    """Overdue items of several days stay one line (the digest says their days, explorer
    AV1); items still to come are taken together only when due the same day (explorer IC1:
    an exit of 28 December drew two of April into « 🔵 28/12 3 sorties à saisir dans EOS »)."""
    group = group_of(row, now)
    return (row.formation_id, row.title, group, None if group == "overdue" else row.effective_due)


def in_order(rows: Iterable[L], who: Mapping[int, str]) -> list[L]:
    """A group's members by day, then by surname: « 28/12 … Gaëlle Henry » before « 04/01 …
    Farid Gomez » (explorers Y and AA: by surname alone, the days went back and forth)."""
    return sorted(rows, key=lambda r: (r.effective_due, _surname(who.get(r.id, ""))))


def _surname(name: str) -> str:
    """Sort "Nadia Roux" under R, accents folded, as a list of people is read."""
    parts = name.split()
    flat = unicodedata.normalize("NFKD", " ".join([*parts[1:], *parts[:1]]))
    return "".join(c for c in flat if not unicodedata.combining(c)).casefold()
