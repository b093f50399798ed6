"""What a formation's questions accept: titles, names, e-mails, periods, sessions, trainees.

Each parser turns what was typed into a typed value or an
:class:`~bot.answers.Invalid` carrying the French re-ask (from
``templates/chat/formation.j2``).  The bilans' dialogue uses
:func:`parse_person` and :data:`EMAIL` too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Literal

from bot import dates, texts
from bot.answers import MAX_TEXT, Invalid, clean_line, matrix_id
from bot.conversations.kit.context import Context
from bot.formations.labels import name_key
from bot.formations.service import NewSession, NewTrainee
from bot.people.names import person_name

MAX_TRAINEES = 200
MAX_SESSIONS = 30
TRAINEE_LINE_LIMIT = 100

EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")


async def parse_title(ctx: Context, text: str) -> str | Invalid:
    title = clean_line(text, limit=150)
    if isinstance(title, Invalid):
        return title
    if len(title) < 3 or not any(ch.isalnum() for ch in title):
        return Invalid(texts.say("formation.title_too_short"))
    return title


async def parse_person(ctx: Context, text: str) -> str | Invalid:
    """Someone other than the person typing: a chargé(e) de mission, a partner."""
    return person_name(text, example="Mme Sophie Leroy")


async def parse_email(ctx: Context, text: str) -> str | Invalid:
    value = text.strip()
    if not EMAIL.match(value):
        return Invalid(texts.say("formation.email_invalid"))
    return value.lower()


async def parse_matrix_id(ctx: Context, text: str) -> str | Invalid:
    found = matrix_id(text)
    if found is None:
        return Invalid(texts.say("formation.matrix_id_invalid"))
    return found


# --- periods ------------------------------------------------------------------------

Problem = Literal["end_before_start", "too_long", "too_old"]


def period_problem(start: date, end: date, today: date) -> Problem | None:
    if end < start:
        return "end_before_start"
    if (end - start).days > 3 * 366:
        return "too_long"
    if start < today - timedelta(days=2 * 366):
        return "too_old"
    return None


def understand_dates(text: str, now: datetime) -> tuple[date, date] | Invalid:
    """A period in free French, with precise reasons when it does not fit."""
    line = clean_line(text, limit=200)
    if isinstance(line, Invalid):
        return line
    period = dates.understand_period(line, now)
    if period is None and _reversed(line, now):
        return Invalid(texts.say("formation.period_reversed"))
    if period is None:
        return Invalid(texts.say("formation.period_unclear"))
    problem = period_problem(period[0], period[1], now.date())
    if problem:
        return Invalid(texts.say("formation.period_wrong", problem=problem))
    return period


_TWO_ENDS = re.compile(r"^\s*(?:du\s+)?(?P<a>.+?)\s+(?:au|-|à|jusqu'au)\s+(?P<b>.+)$", re.I)


def _reversed(line: str, now: datetime) -> bool:
    """Both ends are dates, but the end comes first: worth saying so precisely."""
    match = _TWO_ENDS.match(line)
    if not match:
        return False
    first = dates.understand(match["a"], now, "future")
    second = dates.understand(match["b"], now, "future")
    return bool(first and second and second.when < first.when)


# --- sessions and trainees ----------------------------------------------------------

SESSION_LINE = re.compile(r"^\s*(?P<label>[^:]{1,80}?)\s*:\s*(?P<period>.+)$")


async def parse_sessions(ctx: Context, text: str) -> list[dict[str, str]] | Invalid:
    """One session per line, "Session 1 : du 2 mars au 15 avril", within the formation's dates."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return Invalid(texts.say("formation.sessions_none"))
    if len(lines) > MAX_SESSIONS:
        return Invalid(texts.say("formation.sessions_too_many", limit=MAX_SESSIONS))
    start, end = date.fromisoformat(ctx.data["start"]), date.fromisoformat(ctx.data["end"])
    sessions: list[dict[str, str]] = []
    for number, line in enumerate(lines, start=1):
        match = SESSION_LINE.match(line)
        label, period_text = (
            (match["label"].strip(), match["period"]) if match else (f"Session {number}", line)
        )
        period = understand_dates(period_text, ctx.now)
        if isinstance(period, Invalid):
            return Invalid(texts.say("formation.line_wrong", number=number, message=period.message))
        if period[0] < start or period[1] > end:
            return Invalid(
                texts.say("formation.session_outside", number=number, start=start, end=end)
            )
        cleaned = clean_line(label, limit=80)
        sessions.append(
            {
                "label": cleaned if isinstance(cleaned, str) else f"Session {number}",
                "start": period[0].isoformat(),
                "end": period[1].isoformat(),
            }
        )
    return sessions


def stored_sessions(ctx: Context) -> list[NewSession]:
    """The sessions :func:`parse_sessions` kept in the answers, typed again."""
    return [
        NewSession(s["label"], date.fromisoformat(s["start"]), date.fromisoformat(s["end"]))
        for s in ctx.data.get("sessions") or []
    ]


async def parse_trainees(ctx: Context, text: str) -> list[dict[str, str | None]] | Invalid:
    """A pasted list, one trainee per line, optionally "Nom ; Entreprise"."""
    return parse_trainee_lines(text, existing=ctx.data.get("_existing_keys", []))


def parse_trainee_lines(
    text: str, *, existing: Sequence[str] = ()
) -> list[dict[str, str | None]] | Invalid:
    """The trainees of a pasted list; a name twice, or already in ``existing``, is refused."""
    raw = [line.strip(" \t-•*·") for line in text.splitlines()]
    lines = [line for line in raw if line.strip()]
    if not lines:
        return Invalid(texts.say("formation.trainees_empty"))
    if len(lines) > MAX_TRAINEES:
        return Invalid(
            texts.say("formation.trainees_too_many", count=len(lines), limit=MAX_TRAINEES)
        )
    trainees: list[dict[str, str | None]] = []
    seen: dict[str, int] = {key: 0 for key in existing}
    for number, line in enumerate(lines, start=1):
        name_part, _, company = line.partition(";")
        name = clean_line(name_part, limit=TRAINEE_LINE_LIMIT)
        if isinstance(name, Invalid):
            return Invalid(texts.say("formation.line_wrong", number=number, message=name.message))
        if not any(ch.isalpha() for ch in name):
            return Invalid(texts.say("formation.trainee_not_a_name", number=number, name=name[:40]))
        key = name_key(name)
        if key in seen:
            return Invalid(
                texts.say("formation.trainee_twice", name=name, number=number, first=seen[key])
            )
        seen[key] = number
        company_clean = clean_line(company, limit=100) if company.strip() else None
        trainees.append(
            {"name": name, "company": company_clean if isinstance(company_clean, str) else None}
        )
    return trainees


def stored_trainees(ctx: Context, *, delegates: Sequence[str] = ()) -> list[NewTrainee]:
    """The trainees :func:`parse_trainees` kept; ``delegates`` are their indexes, as strings."""
    return [
        NewTrainee(
            name=str(t["name"]),
            company=t.get("company"),
            delegate=str(index) in delegates,
        )
        for index, t in enumerate(ctx.data.get("trainees") or [])
    ]


assert MAX_TEXT >= TRAINEE_LINE_LIMIT
