"""A trainee list checked against its formation, then imported in one go.

:func:`preview` reads the file (:mod:`.reading`), finds the header
(:mod:`.columns`), checks every line (:mod:`.rows`), then sets aside a
trainee named twice in the file, or with an e-mail already given on an
earlier line, and one who already is in the formation (same name, or same
e-mail): the :class:`Preview` says what would be added and why each other
line would not.  :func:`import_rows` adds the rows through the formations'
own service (:func:`bot.formations.service.add_trainees`): the same checks
again, one audit entry, the deadlines recomputed once, in the caller's
transaction — the file is imported whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.formations.labels import EXIT_REASONS, SINGLE_PERSON_KINDS, name_key
from bot.formations.queries import Member, load_formation
from bot.formations.service import NewTrainee, TraineesAdded, add_trainees
from bot.imports.columns import find_header
from bot.imports.reading import DELIMITERS, Refused, read_table
from bot.imports.rows import Bounds, Problem, Row, read_row, total_row
from bot.storage.formations import Formation

SHOWN_ROWS = 5
"""Trainees shown in a preview (the count says the rest)."""
SHOWN_PROBLEMS = 15


@dataclass(frozen=True)
class Known:
    """The trainees a formation has: by name key and by e-mail, their name."""

    names: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)


def known_of(formation: Formation) -> Known:
    return Known(
        {t.name_key: t.full_name for t in formation.trainees},
        {t.email.lower(): t.full_name for t in formation.trainees if t.email},
    )


@dataclass(frozen=True)
class Already:
    """A line whose trainee is in the formation already: not added again."""

    line: int
    name: str
    by_email: bool


@dataclass
class Preview:
    """What importing the file would do."""

    filename: str
    lines: int
    """Lines read below the header (blank ones left out)."""
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already: list[Already] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """Headers of the columns left aside."""
    start: date | None = None
    """The formation's start: the entry of a trainee the file gives no date for."""
    undated: int = 0
    """The rows to add the file gave no entry day (explorer T, T9: « Sans date d'entrée dans
    le fichier » was said under a file that gave every one)."""

    @property
    def refused_lines(self) -> int:
        return len({p.line for p in self.problems})

    @property
    def delegates(self) -> int:
        return sum(1 for r in self.rows if r.delegate)

    @property
    def exits(self) -> int:
        return sum(1 for r in self.rows if r.left_on)

    def shown(self) -> dict[str, Any]:
        """The template's view: the first rows and problems, and how many more there are."""
        return {
            "p": self,
            "rows": self.rows[:SHOWN_ROWS],
            "more_rows": max(0, len(self.rows) - SHOWN_ROWS),
            "problems": self.problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(self.problems) - SHOWN_PROBLEMS),
            "labels": EXIT_REASONS,
            # Every line refused for an entry before the start: a group moved on from an
            # earlier session (explorer J: eleven lines to correct, one by one).
            "entries_before_start": bool(self.problems)
            and all(p.code == "entry_before_start" for p in self.problems),
        }


def preview(
    filename: str,
    content: bytes,
    *,
    now: datetime,
    bounds: Bounds | None,
    known: Known = Known(),
    single: bool = False,
) -> Preview:
    """Check a sent file; :class:`~bot.imports.reading.Refused` when it is no trainee list.

    ``bounds`` are the days a trainee may enter and leave (the formation's);
    ``single``: a bilan de compétences or a VAE follows one person, so the
    file must name one, and nobody represents a group.
    """
    table = read_table(filename, content)
    header = find_header(table.rows)
    for other in DELIMITERS if header is None and table.kind == "csv" else ():
        if other != table.delimiter:
            retried = read_table(filename, content, delimiter=other)
            if (guessed := find_header(retried.rows)) is not None:
                table, header = retried, guessed
                break
    if header is None:
        raise Refused("no_header", found=[str(c)[:30] for c in table.rows[0][1] if c][:8])
    body = [row for row in table.rows[header.index + 1 :] if not total_row(row[1])]
    if not body:
        raise Refused("no_rows")
    start = bounds[0] if bounds else None
    result = Preview(filename[:80], len(body), ignored=header.ignored, start=start)
    lines_of_name: dict[str, int] = {}
    lines_of_email: dict[str, int] = {}
    for number, cells in body:
        read = read_row(number, cells, header.columns, now=now, bounds=bounds)
        if isinstance(read, list):
            result.problems.extend(read)
            continue
        key = name_key(read.name)
        first = lines_of_name.get(key) or (lines_of_email.get(read.email) if read.email else None)
        if first is not None:
            result.problems.append(Problem(number, "twice", None, read.name[:60], other=first))
            continue
        lines_of_name[key] = number
        if read.email:
            lines_of_email[read.email] = number
        undated = read.entered_on is None and start is not None
        if undated:
            read = replace(read, entered_on=start)  # the group's list: from the start
        if key in known.names or (read.email and read.email in known.emails):
            by_email = key not in known.names
            found = known.emails[read.email or ""] if by_email else known.names[key]
            result.already.append(Already(number, found, by_email))
            continue
        result.rows.append(read)
        result.undated += undated
    if single:
        if len(result.rows) + len(known.names) > 1:
            # Who is followed already, when someone is (explorer J: a file naming one
            # person was told to name only one).
            followed = sorted({str(name) for name in known.names.values()})
            raise Refused("single_person", followed=followed, listed=len(result.rows))
        result.rows = [replace(r, delegate=False) for r in result.rows]
    return result


def bounds_of(formation: Formation) -> Bounds:
    """The days a new trainee may enter and leave: within the formation."""
    return (formation.start_date, formation.effective_end)


async def preview_for(
    session: AsyncSession,
    member: Member,
    formation_id: object,
    filename: str,
    content: bytes,
    *,
    now: datetime,
) -> Preview | None:
    """:func:`preview` against a stored formation; ``None`` when ``member`` cannot see it."""
    formation = await load_formation(session, member, formation_id)
    if formation is None:
        return None
    return preview(
        filename,
        content,
        now=now,
        bounds=bounds_of(formation),
        known=known_of(formation),
        single=formation.kind in SINGLE_PERSON_KINDS,
    )


def new_trainee(row: dict[str, Any], *, delegate: bool | None = None) -> NewTrainee:
    """A row kept in a conversation (:meth:`Row.as_data`, or a typed one) as the service takes it."""

    def day(key: str) -> date | None:
        return date.fromisoformat(row[key]) if row.get(key) else None

    return NewTrainee(
        name=str(row["name"]),
        company=row.get("company"),
        delegate=bool(row.get("delegate")) if delegate is None else delegate,
        entered_on=day("entered_on"),
        email=row.get("email"),
        phone=row.get("phone"),
        left_on=day("left_on"),
        exit_reason=row.get("exit_reason"),
    )


async def import_rows(
    session: AsyncSession,
    member: Member,
    formation_id: int,
    rows: Sequence[dict[str, Any]],
    *,
    now: datetime,
    by_command: bool = False,
) -> TraineesAdded | None:
    """Add the previewed rows to the formation; ``None`` when it is gone or not theirs
    (``by_command``: see :func:`~bot.formations.service.add_trainees`).

    The preview gave a trainee without an entry date the formation's start:
    a list from a spreadsheet is the group's (one arriving later has a date
    in it), and the preview showed the day.
    """
    trainees = [new_trainee(r) for r in rows]
    return await add_trainees(
        session, member, formation_id, trainees, now=now, by_command=by_command
    )
