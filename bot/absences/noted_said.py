"""What is already noted, said once for everybody it concerns rather than once a person a day.

A call or a sentence over several people and days met their absences already noted: each
got its own « Déjà noté, laissé tel quel : … » line, six for two people over three days
(explorer, roll call).  :func:`noted_together` gathers them: the people with the same days
and the same noted period share one phrase, their days spelled once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from bot.absences.clashes import Conflict
from bot.absences.days import spell_days


@dataclass(frozen=True)
class Noted:
    """People whose same days are noted alike: « Karim Benali et Julie Petit », the days in
    words (empty for the one day of the question), what is noted and who noted it."""

    names: list[str]
    when: str
    count: int
    period: str
    by: str


def noted_together(found: Sequence[tuple[str, date | None, Conflict]]) -> list[Noted]:
    """``found``, (name, day or ``None`` for the question's one day, conflict) in the order
    met, gathered: a person's days noted alike, then the people whose days are the same."""
    days: dict[tuple[str, str, str], list[date]] = {}
    for name, day, c in found:
        days.setdefault((c.period, c.by, name), [])
        if day is not None:
            days[(c.period, c.by, name)].append(day)
    people: dict[tuple[str, str, tuple[date, ...]], list[str]] = {}
    for (period, by, name), its in days.items():
        people.setdefault((period, by, tuple(its)), []).append(name)
    return [
        Noted(names, spell_days(its, span=following(its)) if its else "", len(its), period, by)
        for (period, by, its), names in people.items()
    ]


def following(days: Sequence[date]) -> bool:
    """Whether ``days`` follow one another, said « du … au … » (else each is named)."""
    return all((b - a).days == 1 for a, b in pairwise(days))
