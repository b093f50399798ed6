"""Writing the organisation's data out: CSV for spreadsheets, JSON for programs.

Each feature builds its rows (``bot/formations/exports.py``,
``bot/absences/exports.py``…); this module only writes them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any


def write(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Rows as CSV (header row first) or as a JSON list of objects."""
    if fmt == "json":
        return (
            json.dumps(
                [{c: _jsonable(r.get(c)) for c in columns} for r in rows],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
    return buffer.getvalue()


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
