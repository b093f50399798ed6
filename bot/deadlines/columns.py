"""A rule's deadline as stored: the columns the rules decide, cut to their sizes.

Used by :func:`bot.deadlines.service.refresh_deadlines` (an upsert by key) and by
:mod:`bot.deadlines.first` (a new formation's rows written at once).
"""

from __future__ import annotations

from bot.rules import Deadline
from bot.storage.bilans import StoredDeadline


def copy_into(row: StoredDeadline, deadline: Deadline) -> None:
    """Write on ``row`` what the rules decide of ``deadline``."""
    for name, value in values_of(deadline).items():
        setattr(row, name, value)


def values_of(deadline: Deadline) -> dict[str, object]:
    """The columns of a stored deadline that the rules decide (cut to the columns' sizes)."""
    return {
        "rule_id": deadline.rule_id,
        "subject": deadline.subject,
        "subject_id": deadline.subject_id,
        "due_on": deadline.due_on,
        "due_at": deadline.due_at,
        "title": deadline.title[:300],
        "explanation": deadline.explanation,
        "source": deadline.source[:300],
        "audience": deadline.audience,
        "postponable": deadline.postponable,
        "detail": deadline.detail[:200] if deadline.detail else None,
        "anchor_on": deadline.anchor_on,
    }


def wording(row: StoredDeadline) -> tuple[str, str, str, str | None]:
    """What a stored deadline says (a change of it alone is no move)."""
    return (row.title, row.explanation, row.source, row.detail)


def wording_of(deadline: Deadline) -> tuple[str, str, str, str | None]:
    """What ``deadline`` will say once stored, cut as :func:`values_of` cuts it."""
    detail = deadline.detail[:200] if deadline.detail else None
    return (deadline.title[:300], deadline.explanation, deadline.source[:300], detail)
