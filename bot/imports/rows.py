"""One line of a trainee list, checked: the trainee it describes, or what is wrong with it.

Cells come as Excel or a CSV gives them: text, numbers (a phone number
that lost its leading 0, a date stored as a serial number), dates.  Dates
are read in the French order ("07/03/2026", "7-3-26", "7 mars 2026") or ISO;
an impossible one ("31/02/2026") is said so, not guessed.  Each problem is
a :class:`Problem` (a code, the column, the value as written) that
``formation_import.j2`` puts in French: "ligne 7 : date d'entrée
« 31/02/2026 » impossible".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot import dates
from bot.answers import Invalid, clean_line, fold
from bot.formations.labels import (
    EXIT_REASONS,
    full_name_given,
    name_letters,
    unprintable,
    written_like_a_company,
    written_like_a_name,
)
from bot.imports.reading import Cell
from bot.mailer import EMAIL
from bot.people.names import trainee_name

NAME_LIMIT = 100
"""As for a typed trainee (``TRAINEE_LINE_LIMIT`` of the dialogue's list)."""

Bounds = tuple[date, date]


@dataclass(frozen=True)
class Row:
    """A trainee as the file describes them; ``line`` is the line of the file (from 1)."""

    line: int
    name: str
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    entered_on: date | None = None
    left_on: date | None = None
    exit_reason: str | None = None
    delegate: bool = False

    def as_data(self) -> dict[str, Any]:
        """JSON for the conversation (the keys a typed trainee has, and the file's extras)."""
        return {
            "line": self.line,
            "name": self.name,
            "company": self.company,
            "email": self.email,
            "phone": self.phone,
            "entered_on": self.entered_on.isoformat() if self.entered_on else None,
            "left_on": self.left_on.isoformat() if self.left_on else None,
            "exit_reason": self.exit_reason,
            "delegate": self.delegate,
        }


def entries_off(trainees: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The trainees (as data: a typed list's or a file's rows) whose entry falls on a day
    off, their name and that day: asked about in the chat (« Attention, … entrerait le … »),
    said above the command's « [o/N] » (explorer CD2: imported without a word)."""
    found = []
    for trainee in trainees:
        entry = trainee.get("entered_on")
        if entry and dates.day_off(date.fromisoformat(entry)):
            found.append({"name": str(trainee["name"]), "day": entry})
    return found


@dataclass(frozen=True)
class Problem:
    """What is wrong with one line; ``field`` is the column concerned, if one is."""

    line: int
    code: str
    field: str | None = None
    value: str = ""
    day: date | None = None
    other: int | None = None
    """The line this one repeats ("twice"), or the bound a date crosses (as ``day``)."""


# --- cells --------------------------------------------------------------------------


def text_of(cell: Cell) -> str:
    """A cell as the trainer sees it: 612345678.0 → "612345678"; a date in ISO."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "oui" if cell else "non"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell).strip()


_FRENCH = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})(?:[ T].*)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_MONTHS = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre"}
_MONTHS |= {"octobre", "novembre", "decembre", "janv", "fev", "fevr", "avr", "juil", "sept"}
_MONTHS |= {"oct", "nov", "dec"}
EXCEL_EPOCH = date(1899, 12, 30)
"""Day 0 of Excel's (1900) serial numbers, past its leap-year bug."""


def day_of(cell: Cell, now: datetime, within: Bounds | None = None) -> date | str | None:
    """A date cell: the day, ``None`` when blank, or the problem code.

    Words are read only with a day and a month ("7 mars 2027"): "demain"
    means nothing in a list written another day.  A weekday with them (« lundi 11
    janvier ») tells the year, inside ``within`` (the formation) when it can (explorer AB1).
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 20000 <= cell <= 80000:  # a serial number: 1954 to 2119
            return EXCEL_EPOCH + timedelta(days=int(cell))
        return "date_unclear"
    text = text_of(cell)
    if not text:
        return None
    if text.isdecimal() and 20000 <= int(text) <= 80000:  # a serial number saved as text (AM9)
        return EXCEL_EPOCH + timedelta(days=int(text))
    numbers = _FRENCH.match(text)
    parts = (numbers[3], numbers[2], numbers[1]) if numbers else None
    iso = _ISO.match(text)
    if iso:
        parts = (iso[1], iso[2], iso[3])
    if parts is not None:
        year = int(parts[0]) + (2000 if len(parts[0]) == 2 else 0)
        try:
            return date(year, int(parts[1]), int(parts[2]))
        except ValueError:
            return "date_impossible"
    if len(text) <= 40 and re.search(r"\d", text) and _MONTHS.intersection(fold(text).split()):
        by_weekday = dates.weekday_year(text, now, within)
        if by_weekday is not None:
            return by_weekday if isinstance(by_weekday, date) else "date_wrong_weekday"
        understood = dates.understand(text, now, "past")
        if understood is not None and understood.has_date:
            return understood.when.date()
    return "date_unclear"


def total_row(cells: Sequence[Cell]) -> bool:
    """A list's footer (« Total : 5 stagiaires », a count beside it): no trainee, and no line
    to correct either (explorer AM9: `formabot import` always ended in 1 for it)."""
    filled = [text_of(c) for c in cells if text_of(c)]
    return 0 < len(filled) <= 2 and fold(filled[0]).startswith("total")


_YES = {"oui", "o", "x", "1", "vrai", "true", "yes", "y", "delegue", "deleguee", "titulaire"}
_YES |= {"suppleant", "suppleante", "delegue e"}
_NO = {"non", "n", "0", "faux", "false", "no", ""}
_TICKS = {"✓", "✔", "✅", "☑", "☒", "•", "*", "+"}
_DASHES = {"-", "–", "—", "/", "☐"}


def delegate_of(cell: Cell) -> bool | None:
    """Oui/non/x/✓, a ticked box, 1/0; ``None`` when it says neither."""
    if isinstance(cell, bool):
        return cell
    raw = text_of(cell)
    if raw in _TICKS:
        return True
    if raw in _DASHES:
        return False
    folded = fold(raw)
    if folded in _YES:
        return True
    if folded in _NO and (folded or not raw):
        return False
    return None


_REASONS = {fold(label): code for code, label in EXIT_REASONS.items()}
_REASONS |= {fold(code.replace("_", " ")): code for code in EXIT_REASONS}
_REASONS |= {
    "autre": "autre",
    "fin de formation": "fin_parcours",
    "fin": "fin_parcours",
    "embauche": "emploi",
    "cdi": "emploi",
    "cdd": "emploi",
    "interim": "emploi",
    "retour a l emploi": "emploi",
    "reorientation professionnelle": "reorientation",
}


def reason_of(cell: Cell) -> str | None:
    """An exit reason's code from its French words; ``None`` when it is not one of them."""
    return _REASONS.get(fold(text_of(cell)))


_PHONE_NOISE = re.compile(r"[\s.\-/()]")


def phone_of(cell: Cell) -> str | None:
    """A French number spaced "06 12 34 56 78" (its lost 0 given back, « +33 6 … » too), or
    an international one."""
    digits = _PHONE_NOISE.sub("", text_of(cell))
    if digits.isdigit() and len(digits) == 9 and digits[0] != "0":
        digits = "0" + digits  # Excel drops the leading 0 of a number
    french = re.fullmatch(r"(?:\+|00)33(\d{9})", digits)
    if french:  # « +33 6 12 … » written as the other French numbers (explorer Z, Z12)
        digits = "0" + french[1]
    if re.fullmatch(r"0\d{9}", digits):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"(?:\+|00)\d{8,15}", digits):
        return "+" + digits.removeprefix("+").removeprefix("00")
    return None


# --- a line -------------------------------------------------------------------------


def _clean(cell: Cell) -> str | Invalid | None:
    text = text_of(cell)
    if not text:
        return None
    return clean_line(text, limit=NAME_LIMIT)


def read_row(
    line: int,
    cells: Sequence[Cell],
    columns: Mapping[str, int],
    *,
    now: datetime,
    bounds: Bounds | None,
) -> Row | list[Problem]:
    """The trainee on this line, or every problem of the line."""

    def cell(field: str) -> Cell:
        position = columns.get(field)
        return cells[position] if position is not None and position < len(cells) else None

    problems: list[Problem] = []

    def wrong(
        code: str, field: str | None = None, *, shown: date | None = None, **more: Any
    ) -> None:
        value = shown.strftime("%d/%m/%Y") if shown else text_of(cell(field)) if field else ""
        problems.append(Problem(line, code, field, value[:60], **more))

    parts = [_clean(cell(f)) for f in ("full_name", "first_name", "last_name")]
    if any(isinstance(p, Invalid) for p in parts):
        wrong("unreadable", "full_name" if "full_name" in columns else "last_name")
    words = [name_letters(p) for p in parts if isinstance(p, str)]
    name = " ".join(words[:1] if isinstance(parts[0], str) else words)
    if not problems and not name:
        wrong("no_name")
    elif not problems and (
        not any(ch.isalpha() for ch in name)
        or not written_like_a_name(name)
        or len(name) > NAME_LIMIT
    ):
        # As a typed list refuses it (explorer J: « <b>x</b> » and « =HYPERLINK(…) » came in).
        problems.append(Problem(line, "not_a_name", None, name[:60]))
    elif not problems and unprintable(name):
        problems.append(Problem(line, "unprintable", None, name[:60]))
    elif not problems and "last_name" in columns and parts[0] is None and parts[2] is None:
        wrong("no_last_name", "first_name")  # a first name alone, its surname cell empty
    elif not problems and not full_name_given(name):
        # « Gaston » in a « Nom » column: as a typed list refuses it (explorer L).
        problems.append(Problem(line, "one_word", None, name[:60]))

    company = _clean(cell("company"))
    if isinstance(company, Invalid):
        wrong("unreadable", "company")
    elif company is not None and not written_like_a_company(company):
        wrong("company_markup", "company")
    email = text_of(cell("email")).lower() or None
    if email is not None and not EMAIL.match(email):
        wrong("email_invalid", "email")
    phone = phone_of(cell("phone")) if text_of(cell("phone")) else None
    if text_of(cell("phone")) and phone is None:
        wrong("phone_invalid", "phone")
    delegate = delegate_of(cell("delegate"))
    if delegate is None:
        wrong("delegate_unclear", "delegate")

    entered, left = day_of(cell("entered_on"), now, bounds), day_of(cell("left_on"), now, bounds)
    for field, found in (("entered_on", entered), ("left_on", left)):
        if isinstance(found, str):  # a weekday at odds: the day it falls on (explorer AB1)
            miss = dates.weekday_year(text_of(cell(field)), now, bounds)
            wrong(found, field, day=miss.day if isinstance(miss, dates.WeekdayMiss) else None)
    entry = entered if isinstance(entered, date) else None
    exit_ = left if isinstance(left, date) else None
    if bounds is not None and entry is not None and not bounds[0] <= entry <= bounds[1]:
        limit = bounds[0] if entry < bounds[0] else bounds[1]
        wrong(
            "entry_before_start" if entry < bounds[0] else "entry_after_end",
            "entered_on",
            shown=entry,
            day=limit,
        )
    if exit_ is not None:
        since = entry or (bounds[0] if bounds else None)
        if since is not None and exit_ < since:
            wrong("exit_before_entry", "left_on", shown=exit_, day=since)
        elif bounds is not None and exit_ > bounds[1]:
            wrong("exit_after_end", "left_on", shown=exit_, day=bounds[1])
    reason = reason_of(cell("exit_reason")) if text_of(cell("exit_reason")) else None
    if text_of(cell("exit_reason")) and reason is None:
        wrong("reason_unknown", "exit_reason")
    elif exit_ is not None and reason is None:
        wrong("reason_missing", "left_on", shown=exit_)
    elif exit_ is None and reason is not None and not isinstance(left, str):
        wrong("reason_without_exit", "exit_reason")

    if problems:
        return problems
    return Row(
        line=line,
        name=trainee_name(name),
        company=company if isinstance(company, str) else None,
        email=email,
        phone=phone,
        entered_on=entry,
        left_on=exit_,
        exit_reason=reason,
        delegate=bool(delegate),
    )
