"""What a formation's questions accept: titles, names, e-mails, periods, sessions, trainees.

Each parser turns what was typed into a typed value or an
:class:`~bot.answers.Invalid` carrying the French re-ask (from
``templates/chat/formation.j2``).  The bilans' dialogue uses
:func:`parse_person` and :data:`EMAIL` too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Literal

from bot import dates, texts
from bot.answers import FORMULA_STARTS, Invalid, clean_line, fold, printable, typed_matrix_id
from bot.conversations.formations.choose import member
from bot.conversations.formations.trainee_lines import WrongLines, keep_tail, parse_trainee_lines
from bot.conversations.formations.years import (
    Period,
    has_year,
    names_a_day,
    period_in_context,
)
from bot.conversations.kit.context import Context
from bot.formations.labels import (
    COMPOSANTE_ACTION_TYPES,
    SINGLE_PERSON_KINDS,
)
from bot.formations.queries import namesakes
from bot.formations.service import NewSession, NewTrainee
from bot.imports.service import new_trainee
from bot.mailer import EMAIL
from bot.people.names import person_name

MAX_SESSIONS = 30


"""Pictures (« 🍳 », « ☀ », « ✅ »), not signs a title uses (« n° 2 », « © », « ™ »)."""


async def parse_title(ctx: Context, text: str) -> str | Invalid:
    title = clean_line(text, limit=150)
    if isinstance(title, Invalid):
        return title
    if len(title) < 3 or not any(ch.isalpha() for ch in title):  # « 12345 »: UC2
        return Invalid(texts.say("formation.title_too_short"))
    if not printable(title) or title.startswith(FORMULA_STARTS):
        # Printed on every attestation and document of the Région (explorer O: « <b>Cuisine</b>
        # & service » went in as typed, an emoji dropped from the PDFs; DF8: « =HYPERLINK(…) »).
        return Invalid(texts.say("formation.title_signs"))
    if "formation_id" in ctx.data:  # renaming: not onto another's title (explorer AD21)
        start, end = (date.fromisoformat(ctx.data[k]) for k in ("start", "end"))
        # The organisation's, a colleague's too, as the recap's warning (explorer CA14).
        who, this = replace(member(ctx), admin=True), int(ctx.data["formation_id"])
        twins = await namesakes(ctx.held, who, title, start, end, besides=this)
        if twins.shown:
            return Invalid(ctx.render("formation.title_taken", formation=twins.shown[0]))
    return title


async def parse_person(ctx: Context, text: str) -> str | Invalid:
    """Someone other than the person typing: a chargé(e) de mission, a partner."""
    return person_name(text, example="Mme Sophie Leroy")


async def parse_email(ctx: Context, text: str) -> str | Invalid:
    value = text.strip()
    if not value:  # « Je n'ai rien reçu », not « pas reconnu » of nothing (coverage BC)
        return Invalid(texts.say("common.empty_answer"))
    if not EMAIL.match(value):
        return Invalid(texts.say("formation.email_invalid"))
    return value.lower()


async def parse_matrix_id(ctx: Context, text: str) -> str | Invalid:
    if not text.strip():
        return Invalid(texts.say("common.empty_answer"))
    found = typed_matrix_id(text)  # capitals read as Matrix writes them (explorer JB4)
    if found is None:
        return Invalid(texts.say("formation.matrix_id_invalid"))
    return found


# --- periods ------------------------------------------------------------------------

Problem = Literal["end_before_start", "too_long", "too_old", "too_far"]


def period_problem(start: date, end: date, today: date) -> Problem | None:
    """A slip of the year, either way: 2099 for 2029 would date every deadline in 2099
    (explorer AD4: only the past had a limit)."""
    if end < start:
        return "end_before_start"
    if (end - start).days > 3 * 366:
        return "too_long"
    if start < today - timedelta(days=2 * 366):
        return "too_old"
    if start > today + timedelta(days=2 * 366):
        return "too_far"
    return None


YEARLESS_AT_MOST = 330
"""Days a period typed without its years may last: longer, its end came before its start."""


def understand_dates(
    text: str, now: datetime, within: Period | None = None, current: Period | None = None
) -> tuple[date, date] | Invalid:
    """A period in free French, with precise reasons when it does not fit.

    Without a year, the year is read in context (:mod:`.years`): inside
    ``within`` (a session inside its formation), else nearest to today.  With
    ``current`` (new dates for a formation), one end alone ("jusqu'au 18
    décembre") changes that end and keeps the other.
    """
    line = clean_line(text, limit=200)
    if isinstance(line, Invalid):
        return line
    period = period_in_context(line, now, within) or _one_end(line, now, current)
    if isinstance(period, Invalid):
        return period
    if period is None:
        day = dates.impossible_day(line)
        if day is not None:
            return Invalid(texts.say("formation.period_impossible", day=day))
        if (year := dates.wrong_year(line)) is not None:  # « du 1/12/2026 au 31/12/9999 »: GD8
            said = {"example": "du 2 mars au 15 juin 2027", "several": True}
            return Invalid(texts.say("common.date_wrong_year", year=year, **said))
        if _reversed(line, now):
            return Invalid(texts.say("formation.period_reversed"))
        single = dates.understand(line, now, "future")
        if single is None or not single.has_date:
            return Invalid(texts.say("formation.period_unclear"))
        # « le 27 novembre 2026 »: a formation of one day, as OPCO trainings often are
        # (explorer ED2: refused, only « du 27 au 27 novembre » taken); confirmed as such.
        period = (single.when.date(), single.when.date())
    if not has_year(line) and (period[1] - period[0]).days > YEARLESS_AT_MOST:
        # « du 15 décembre au 10 décembre »: the end typed before the start, not a year
        # begun eleven months ago (explorer AS2); typed with years, it is refused the same.
        return Invalid(texts.say("formation.period_reversed"))
    problem = period_problem(period[0], period[1], now.date())
    if problem:
        return Invalid(texts.say("formation.period_wrong", problem=problem))
    return period


def _one_end(line: str, now: datetime, current: Period | None) -> Period | Invalid | None:
    one = dates.understand_one_end(line, now, current)
    if one is None:
        return None
    which, day = one
    if current is None:
        return Invalid(
            texts.say("formation.period_one_end", missing="end" if which == "start" else "start")
        )
    return (day, current[1]) if which == "start" else (current[0], day)


_TWO_ENDS = re.compile(r"^\s*(?:du\s+)?(?P<a>.+?)\s+(?:au|-|à|jusqu'au)\s+(?P<b>.+)$", re.I)


def _reversed(line: str, now: datetime) -> bool:
    """Both ends are dates, but the end comes first: worth saying so precisely, only when
    the same ends the other way round are a period (else the ends were not understood)."""
    match = _TWO_ENDS.match(line)
    if not match:
        return False
    first = dates.understand(match["a"], now, "future")
    second = dates.understand(match["b"], now, "future")
    if not (first and second and second.when < first.when):
        return False
    return dates.understand_period(f"du {match['b']} au {match['a']}", now) is not None


# --- sessions and trainees ----------------------------------------------------------

SESSION_LINE = re.compile(r"^\s*(?P<label>[^:]{1,80}?)\s*:\s*(?P<period>.+)$")
SESSION_WORDS = re.compile(
    r"^\s*(?P<label>(?:session|module|groupe|promo(?:tion)?)\s+[\w-]{1,12})\s+(?P<period>du\s.+)$",
    re.I,
)
"""« session 2 du 1er mars au 30 juin »: a label without its colon (explorer Z, Z12)."""
HEADING = re.compile(r"^\s*(?:composante\s*:?\s*)?(?P<name>[^:]{1,80}?)\s*:?\s*$", re.I)


def _heading(line: str) -> str | None:
    """A composante's name on a line of its own ("Composante Cuisine", "Cuisine :")."""
    match = HEADING.match(line)
    if match is None or not any(ch.isalpha() for ch in match["name"]):
        return None
    if names_a_day(match["name"]):  # dates that were not understood, not a composante
        return None
    name = clean_line(match["name"], limit=80)
    return name if isinstance(name, str) else None


async def parse_sessions(ctx: Context, text: str) -> list[dict[str, str | None]] | Invalid:
    """One session per line, "Session 1 : du 2 mars au 15 avril", within the formation's dates.

    For "se former au(x) métier(s)" a line with only a name ("Composante
    Cuisine") heads the sessions that deliver that composante; without
    headings, every session belongs to the same composante (002 §2: several
    sessions within one composante, not one composante per session).
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return Invalid(texts.say("formation.sessions_none"))
    if len(lines) > MAX_SESSIONS:
        return Invalid(texts.say("formation.sessions_too_many", limit=MAX_SESSIONS))
    start, end = date.fromisoformat(ctx.data["start"]), date.fromisoformat(ctx.data["end"])
    grouped = ctx.data.get("action_type") in COMPOSANTE_ACTION_TYPES
    sessions: list[dict[str, str | None]] = []
    composante: str | None = None
    empty: str | None = None
    for number, line in enumerate(lines, start=1):
        match = SESSION_LINE.match(line) or SESSION_WORDS.match(line)
        label, period_text = (
            (match["label"].strip(), match["period"])
            if match
            else (f"Session {len(sessions) + 1}", line)
        )
        period = understand_dates(period_text, ctx.now, within=(start, end))
        if isinstance(period, Invalid) and grouped and not match:
            heading = _heading(line)
            if heading is not None:
                if empty is not None:
                    return Invalid(texts.say("formation.composante_empty", name=empty))
                composante = empty = heading
                continue
        if isinstance(period, Invalid):
            return Invalid(texts.say("formation.line_wrong", number=number, message=period.message))
        if period[0] < start or period[1] > end:
            return Invalid(
                texts.say("formation.session_outside", number=number, start=start, end=end)
            )
        cleaned = clean_line(label, limit=80)
        if not printable(label):  # printed in the deadlines' titles (explorer AD19)
            return Invalid(texts.say("formation.session_label_signs", number=number))
        if any(fold(s["label"] or "") == fold(label) for s in sessions):
            return Invalid(texts.say("formation.session_twice", number=number, label=label))
        sessions.append(
            {
                # « session 2 » shown as « Session 2 », a label's first letter up (Z9).
                "label": cleaned[:1].upper() + cleaned[1:]
                if isinstance(cleaned, str)
                else f"Session {len(sessions) + 1}",
                "start": period[0].isoformat(),
                "end": period[1].isoformat(),
                "composante": composante,
            }
        )
        empty = None
    if empty is not None:
        return Invalid(texts.say("formation.composante_empty", name=empty))
    if not sessions:
        return Invalid(texts.say("formation.sessions_none"))
    return sessions


def stored_sessions(ctx: Context) -> list[NewSession]:
    """The sessions :func:`parse_sessions` kept in the answers, typed again."""
    return [
        NewSession(
            s["label"],
            date.fromisoformat(s["start"]),
            date.fromisoformat(s["end"]),
            composante=s.get("composante"),
        )
        for s in ctx.data.get("sessions") or []
    ]


def trainee_bounds(ctx: Context) -> Period | None:
    """The days a trainee may enter: the formation's, kept in the answers."""
    bounds = ctx.data.get("_bounds") or (
        [ctx.data["start"], ctx.data["end"]] if ctx.data.get("start") else None
    )
    return (date.fromisoformat(bounds[0]), date.fromisoformat(bounds[1])) if bounds else None


async def entry_example(ctx: Context) -> dict[str, str]:
    """The entry day of the list's example: a week after the start, never after the end, so
    that typing the example back is accepted (a fixed « 30 novembre » was refused for a
    formation starting on 1 December)."""
    bounds = trainee_bounds(ctx)
    if bounds is None:
        return {"entry": "30 novembre"}
    start, end = bounds
    return {"entry": dates.spell_day_month(min(start + timedelta(days=7), end))}


async def parse_trainees(ctx: Context, text: str) -> list[dict[str, str | None]] | Invalid:
    """A pasted list, one trainee per line: "Nom ; Entreprise ; entrée le 30 novembre".

    A name already in the formation is left out and said, as a file's import does; a
    wrong line refuses the list, and the person is told to send it again whole (nothing of
    it was kept: half a list saved would be worse).
    """
    already: list[str] = []
    restated: dict[str, dict[str, str | None]] = {}
    found = parse_trainee_lines(
        text,
        existing=ctx.data.get("_existing_keys", []),
        now=ctx.now,
        within=trainee_bounds(ctx),
        already=already,
        restated=restated,
    )
    if isinstance(found, Invalid):
        # Lines to correct, not a list too long (explorer M: « cette ligne corrigée » then).
        if isinstance(found, WrongLines) and sum(1 for x in text.splitlines() if x.strip()) > 1:
            several = found.count > 1
            return Invalid(
                f"{found.message}\n{texts.say('formation.trainees_resend', several=several)}"
            )
        return found
    if already:
        saved = bool(restated)  # a company or an entry given for someone there: not taken
        if not found:
            return Invalid(texts.say("formation.trainees_all_there", names=already, saved=saved))
        ctx.say("formation.trainees_already_in", names=already, saved=saved)
    single = ctx.data.get("kind") in SINGLE_PERSON_KINDS
    if (
        single
        and not isinstance(found, Invalid)
        and len(found) + len(ctx.data.get("_existing_keys", [])) > 1
    ):
        return Invalid(texts.say("formation.single_person_only"))
    keep_tail(ctx.data, text)
    return found


def stored_trainees(ctx: Context, *, delegates: Sequence[str] | None = None) -> list[NewTrainee]:
    """The trainees typed (:func:`parse_trainees`) or imported from a file, as kept.

    ``delegates`` are their indexes, as strings (the creation's question);
    without them, each row says (a file's « Délégué » column).
    """
    return [
        new_trainee(t, delegate=None if delegates is None else str(index) in delegates)
        for index, t in enumerate(ctx.data.get("trainees") or [])
    ]
