"""« Dans quelle session … est Nadia Roux ? »: the session of trainees whose entry does not
say it, in a formation of several sessions (explorer IC5).

Asked by « Ajouter des stagiaires » (:mod:`.adding`) and by ``/formation`` after its list
of trainees (:mod:`.create`); a trainee whose entry falls in a session follows it without a
question.  The sessions are given to the question as rows ``[value, label, start, end]``
(dates in ISO): a stored session's id when adding, a typed session's position when creating.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Predicate
from bot.conversations.kit.steps import Option, Pick
from bot.formations.sessions import short_period
from bot.rules.facts import sessions_are_groups

Rows = Callable[[Context], list[list[Any]]]


def groups(data: dict[str, Any]) -> bool:
    """The typed sessions are each a group of its own: a « premiers gestes » in several
    sessions (explorer MA1; the others follow one path through them)."""
    return sessions_are_groups(
        data.get("funder"),
        data.get("programme"),
        data.get("action_type"),
        len(data.get("sessions") or []),
    )


def undecided(ctx: Context, rows: Rows) -> list[dict[str, Any]]:
    """The trainees of the list asked their session: those who gave no entry, offered every
    session, an entry between sessions then following the one to come (explorer MB8: Léa
    Martin's 20 May left Nadia Roux one button, June); else those whose entry falls in none
    (:func:`bot.formations.sessions.placed_at` places them the same way)."""
    sessions = rows(ctx)
    if not sessions:
        return []

    def placed(day: object) -> bool:
        return bool(day) and any(start <= str(day) <= end for _, _, start, end in sessions)

    unplaced = [t for t in ctx.data.get("trainees") or [] if not placed(t.get("entered_on"))]
    return [t for t in unplaced if not t.get("entered_on")] or unplaced


def open_sessions(ctx: Context, rows: Rows) -> list[list[Any]]:
    """The sessions they may follow: those that end after the latest entry given."""
    given = [str(t["entered_on"]) for t in undecided(ctx, rows) if t.get("entered_on")]
    latest = max(given, default="")
    return [s for s in rows(ctx) if s[3] >= latest]


def asked(rows: Rows) -> Predicate:
    def needs(ctx: Context) -> bool:
        return bool(undecided(ctx, rows)) and bool(open_sessions(ctx, rows))

    return needs


def session_question(name: str, rows: Rows, *, when: Predicate | None = None) -> Pick:
    """The question, asked when some trainee's session is not known (and ``when`` holds)."""
    needs = asked(rows)

    async def options(ctx: Context) -> list[Option]:
        return [
            Option(f"{label} : {short_period(_day(start), _day(end))}", str(value))
            for value, label, start, end in open_sessions(ctx, rows)
        ]

    async def values(ctx: Context) -> dict[str, Any]:
        return {"names": [t["name"] for t in undecided(ctx, rows)]}

    return Pick(
        name,
        ask="formation.ask_trainee_session",
        options=options,
        values=values,
        when=lambda c: needs(c) and (when is None or when(c)),
    )


def _day(iso: str) -> date:
    return date.fromisoformat(iso)
