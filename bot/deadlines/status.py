"""A deadline's status in words: what exports, documents and lists call it."""

from __future__ import annotations

from datetime import date
from typing import Protocol

STATUS_LABELS = {
    "open": "à faire",
    "done": "fait",
    "postponed": "reportée",
    "missed": "non fait avant le bilan",
}
"""A status in the words of exports and documents."""

MEETING_DAY = "jour de la rencontre du bilan d'étape"
"""How a CVL bilan d'étape's written deadline moved to its meeting day begins its reason:
that date follows the bilan, it is no one's report to undo."""


class Postponed(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def postpone_reason(self) -> str | None: ...


def at_the_meeting(row: Postponed) -> bool:
    """Moved to its bilan d'étape's meeting day (:data:`MEETING_DAY`): a date that follows
    the bilan, which no one undoes by hand."""
    return row.status == "postponed" and (row.postpone_reason or "").startswith(MEETING_DAY)


class Dated(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def due_on(self) -> date: ...
    @property
    def postponed_to(self) -> date | None: ...


def status_label(row: Dated) -> str:
    """The status in words: « reportée », but « avancée » for a date agreed earlier than the
    rule's (a bilan d'étape's, explorer T T7: listed as « reportée » to an earlier day)."""
    if row.status == "postponed" and row.postponed_to is not None and row.postponed_to < row.due_on:
        return "avancée"
    return STATUS_LABELS.get(row.status, row.status)
