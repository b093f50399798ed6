"""Real trainee lists, written as Excel and the spreadsheets' CSV exports write them.

``xlsx(rows)`` is a workbook openpyxl writes (dates as real date cells);
``csv_file(rows, encoding=…, delimiter=…)`` is what « Enregistrer sous CSV »
gives: Windows-1252 with ``;`` from an old French Excel, UTF-8 with a BOM
from a newer one, ``,`` from LibreOffice.  The broken files are built the
way they come in real life (a zip bomb: a small ZIP whose sheet unpacks to
tens of megabytes).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook

Value = str | int | float | date | datetime | bool | None

HEADER = ("Nom", "Prénom", "Entreprise", "E-mail", "Téléphone", "Date d'entrée", "Délégué(e)")
GROUP: list[tuple[Value, ...]] = [
    HEADER,
    (
        "Dupont",
        "Marie",
        "Boulangerie Martin",
        "marie.dupont@example.org",
        "06 12 34 56 78",
        "",
        "x",
    ),
    ("Benali", "Karim", "", "", "", "", ""),
    ("Petit", "Jérôme", "Hôtel de la Gare", "j.petit@example.org", "", "15/12/2026", "non"),
]


def xlsx(
    rows: Sequence[Sequence[Value]], *, title_rows: int = 0, empty_first: bool = False
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if empty_first:  # a first sheet left blank, the list on the second
        sheet.title = "Notes"
        sheet = book.create_sheet("Liste")
    for number in range(title_rows):
        sheet.append([f"Liste des stagiaires – session {number + 1}"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(
    rows: Sequence[Sequence[Value]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ";",
    bom: bool = False,
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def many(count: int) -> list[tuple[Value, ...]]:
    """A list of ``count`` trainees, their names letters only (« Stagiaire Bcd »), as names are."""
    return [("Nom", "Prénom"), *((f"Stagiaire {letters(n)}", "Alex") for n in range(count))]


def letters(number: int) -> str:
    """A number as letters (0 → « Aaa », 1 → « Aab »): a name unlike any other."""
    word = ""
    for _ in range(3):
        number, digit = divmod(number, 26)
        word = chr(97 + digit) + word
    return chr(ord(word[0]) - 32) + word[1:]


def zip_bomb() -> bytes:
    """A valid-looking workbook ZIP whose sheet unpacks to 60 MB (about 60 KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (60 * 1024 * 1024) + b"/>")
    return out.getvalue()


def protected() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE container, encrypted inside."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    return header + b"\x00" * 512 + directory + bytes(range(256)) * 8


def old_xls() -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + "Workbook".encode("utf-16-le") + b"\x00" * 1024


def ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
