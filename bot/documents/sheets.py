"""Tables for spreadsheets: plain CSV, CSV for French Excel, and XLSX.

Every export of the bot (``formabot export NAME``, ``/exporter``,
``/journal``, the Qualiopi bundle) is a list of rows under fixed French
columns; this module is the one place that turns such a table into a file,
so that escaping, dates and the quirks of French Excel are handled once:

* ``csv``: comma, UTF-8 without BOM, ``\\n``, ISO dates (``2026-11-23``).
  What scripts and the tests of the first exports read; unchanged.
* ``csv-excel``: what French Excel opens with a double click: ``;`` as
  separator (the comma is the decimal mark in France), a UTF-8 byte order
  mark (without it Excel reads "Ã©" for "é"), ``\\r\\n`` line ends, dates as
  ``23/11/2026`` and ``23/11/2026 10:00`` (Excel turns them into real dates),
  decimal comma (``9,5``).
* ``xlsx``: a real workbook (openpyxl): French headers in bold, the header
  row frozen and filtered, columns as wide as their content (capped), dates
  and times stored as dates with the ``dd/mm/yyyy`` format (the file format's
  own codes: French Excel shows them as ``jj/mm/aaaa``), a French sheet name,
  and document properties that name formabot, not openpyxl.

Formula injection: a trainee's name or an absence reason typed as
``=HYPERLINK(...)`` must not run in the auditor's spreadsheet.  In CSV a
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading apostrophe (what Excel itself shows for text typed that
way); in XLSX the cell is stored as text, marked "quote prefix", so it stays
text even when someone edits it.  Numbers the bot wrote (a negative count)
are numbers, not text, and are not touched.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal

FORMATS = ("csv", "csv-excel", "xlsx")
"""The table formats, in the order the command line offers them."""
Format = Literal["csv", "csv-excel", "xlsx"]

SUFFIX = {"csv": "csv", "csv-excel": "csv", "xlsx": "xlsx"}
MIME = {
    "csv": "text/csv",
    "csv-excel": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_WIDTH = 60
"""No column wider than this (in characters): a long reason wraps in the cell instead."""
MAX_CELL = 32_767
"""Excel's limit on the characters of one cell; longer text is cut (and says so)."""
DATE_FORMAT = "dd/mm/yyyy"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
TIME_FORMAT = "hh:mm"
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Moment:
    """A date and time shown to the minute (or second) and stored as a date in XLSX.

    A plain ``datetime`` is written in CSV with its full ISO form; an export
    that has always written ``2026-11-23T10:00+01:00`` (to the minute) keeps
    doing so with ``Moment(at, "minutes")``, and still gets a real date in a
    workbook.  ``at`` is already in the organisation's zone.
    """

    at: datetime
    timespec: Literal["minutes", "seconds"] = "minutes"

    def __str__(self) -> str:
        return self.at.isoformat(timespec=self.timespec)


@dataclass(frozen=True)
class Record:
    """Named values in one cell (the journal's « détails »): JSON text in a spreadsheet,
    its days written as the file writes the other columns' (``2026-11-16`` in ``csv``,
    ``16/11/2026`` in ``csv-excel`` and ``xlsx``: explorer CF2, ISO days inside the French
    of an auditor's workbook), an object in a JSON export."""

    values: Mapping[str, Any]

    def text(self, day: Callable[[date], str] = date.isoformat) -> str:
        def shown(value: Any) -> Any:
            if isinstance(value, date):
                return day(value)
            raise TypeError(type(value).__name__)

        return json.dumps(self.values, ensure_ascii=False, sort_keys=True, default=shown)

    def __str__(self) -> str:
        return self.text()

    def jsonable(self) -> Any:
        """The values as a JSON document holds them, its days ISO."""
        return json.loads(self.text())


def _french_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def write(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format, *, title: str = ""
) -> bytes:
    """The table as a file in ``fmt``; ``title`` names the workbook's sheet."""
    if fmt == "xlsx":
        return workbook(rows, columns, title=title)
    # "replace": a lone surrogate (broken UTF-16 from a client) must not lose the export.
    if fmt == "csv-excel":
        return codecs.BOM_UTF8 + csv_text(rows, columns, excel=True).encode("utf-8", "replace")
    return csv_text(rows, columns).encode("utf-8", "replace")


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, excel: bool = False) -> str:
    """The table as CSV text, header row first (``excel``: ``;``, ``\\r\\n``, French dates)."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n"
    )
    writer.writerow(columns)
    shown = _french if excel else _iso
    for row in rows:
        writer.writerow([shown(row.get(c)) for c in columns])
    return buffer.getvalue()


def _iso(value: Any) -> str:
    """A cell of the plain CSV: ISO dates, ``oui``/``non``, text made harmless."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return _harmless(str(value))


def _french(value: Any) -> str:
    """A cell of the CSV for French Excel: ``23/11/2026``, ``10:00``, ``9,5``."""
    if isinstance(value, Moment):
        value = value.at
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return _french_day(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    if isinstance(value, Record):
        return _harmless(value.text(_french_day))
    return _iso(value)


def _harmless(text: str) -> str:
    """Text a spreadsheet will not run as a formula, nor split into two rows.

    A bare carriage return is not quoted by the ``csv`` module when lines end
    with ``\n``: readers would cut the row there, so line breaks become ``\n``.
    """
    text = "'" + text if text.startswith(_DANGEROUS) else text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- XLSX ----------------------------------------------------------------------------------


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip(" '")
    return " ".join(cleaned.split())[:31].strip() or "Export"


def workbook(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str = "") -> bytes:
    """The table as an XLSX workbook (one sheet), bytes ready to send or write."""
    # openpyxl takes about a third of a second to import: only an XLSX export pays for it.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(title)
    widths = [len(c) for c in columns]
    sheet.append(list(columns))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns):
            value, shape, width = _xlsx_cell(row.get(column))
            cell = sheet.cell(row=number, column=index + 1)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
                if value.startswith(_DANGEROUS):
                    cell.quotePrefix = True  # still text once edited in Excel
            if shape:
                cell.number_format = shape
            widths[index] = max(widths[index], width)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    if columns:
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    properties = book.properties
    properties.creator = "formabot"
    properties.lastModifiedBy = "formabot"
    properties.title = sheet.title
    properties.language = "fr-FR"
    buffer = io.BytesIO()
    book.save(buffer)
    return _named_by_formabot(buffer.getvalue())


APPLICATION = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>formabot</Application></Properties>'
)


def _named_by_formabot(data: bytes) -> bytes:
    """The workbook with ``docProps/app.xml`` naming formabot.

    openpyxl writes "Microsoft Excel Compatible / Openpyxl" there, which
    File > Properties shows to the auditor; it has no setting for it.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                content = APPLICATION.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def _xlsx_cell(value: Any) -> tuple[Any, str, int]:
    """(what the cell stores, its number format or "", the width it needs)."""
    if isinstance(value, Moment):
        value = value.at
    if value is None:
        return None, "", 0
    if isinstance(value, bool):
        return ("oui" if value else "non"), "", 3
    if isinstance(value, datetime):
        # Excel has no time zones: the wall-clock time the row was given in.
        return value.replace(tzinfo=None), MOMENT_FORMAT, 16
    if isinstance(value, date):
        return value, DATE_FORMAT, 10
    if isinstance(value, time):
        return value.replace(tzinfo=None), TIME_FORMAT, 5
    if isinstance(value, int | float | Decimal):
        return value, "", len(str(value))
    text = _printable(value.text(_french_day) if isinstance(value, Record) else str(value))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text, "", max((len(line) for line in text.splitlines()), default=0)


def _printable(text: str) -> str:
    """``text`` without what XML (hence XLSX) cannot hold: control characters, lone surrogates."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = text.encode("utf-8", "replace").decode("utf-8")
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))
