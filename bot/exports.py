"""Writing the organisation's data out: CSV or XLSX for spreadsheets, JSON for programs.

Each feature builds its rows (``bot/formations/exports.py``,
``bot/absences/exports.py``…); this module only writes them, through
:mod:`bot.documents.sheets` for the spreadsheet formats (plain CSV, CSV for
French Excel, XLSX).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any, Literal

from bot.documents import sheets

FORMATS = (*sheets.FORMATS, "json")
"""What ``formabot export NAME --format`` accepts for a table."""
TableFormat = Literal["csv", "csv-excel", "xlsx", "json"]


def write(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Rows as plain CSV (header row first) or as a JSON list of objects."""
    if fmt == "json":
        return (
            json.dumps(
                [{c: _jsonable(r.get(c)) for c in columns} for r in rows],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    return sheets.csv_text(rows, columns)


def render(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: TableFormat, *, title: str = ""
) -> bytes:
    """Rows in any table format, as the bytes of a file (``title``: the XLSX sheet's name)."""
    if fmt == "json":
        return write(rows, columns, fmt).encode("utf-8")
    return sheets.write(rows, columns, fmt, title=title)


def _jsonable(value: Any) -> Any:
    if isinstance(value, sheets.Moment):
        return str(value)
    if isinstance(value, sheets.Record):  # an object, not JSON text inside JSON (CF4)
        return value.jsonable()
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value
