"""A sent file as a table of cells: CSV in any encoding an Excel writes, or XLSX.

What a trainer sends is rarely what its name says: a list "saved as CSV" by
an old Excel is Windows-1252 with ``;``, a newer one UTF-8 with a BOM,
LibreOffice uses ``,``, "Unicode text" is UTF-16 with tabs.  So the content
decides, never the name: a ZIP is a workbook, an OLE container an old
``.xls`` or a password-protected workbook, ``%PDF`` a PDF; anything else must
decode as text.  Every limit is checked before the work it bounds (size
before reading, uncompressed size before unzipping, rows while reading), so
a 10,000-line list, a zip bomb or random bytes get a French answer
(:class:`Refused`, its reason a block of ``formation_import.j2``), never a
crash or a hang.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

MAX_BYTES = 2 * 1024 * 1024
"""A list of 2,000 trainees with every column is about 300 KB; 2 MB leaves room."""
MAX_ROWS = 2000
"""Trainees in one file: several formations' worth, far below what would take long."""
MAX_SCANNED = 10 * MAX_ROWS
"""Rows looked at in all, blank ones included: a sheet made of gaps is refused there."""
BLANK_END = 1000
"""Blank rows in a row that end the list (a sheet formatted down to row 1,048,576)."""
MAX_COLUMNS = 40
MAX_UNZIPPED = 40 * 1024 * 1024
"""What the XLSX parts may weigh once unzipped (a zip bomb stops here)."""
MAX_PARTS = 500
MAX_CELL = 500
"""Characters kept of a cell: no name, company or date is longer."""

Cell = str | int | float | bool | date | datetime | time | None


class Refused(Exception):
    """The file cannot be read as a list; ``reason`` names the French answer."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


@dataclass
class Table:
    """The rows of the first sheet with data, each with its number in the file (from 1)."""

    kind: str
    """"csv" or "xlsx"."""
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"II*\x00", b"MM\x00*", b"BM")


DELIMITERS = (";", "\t", ",")


def read_table(filename: str, content: bytes, *, delimiter: str | None = None) -> Table:
    """The table in ``content``, or :class:`Refused` saying what is expected.

    A CSV's separator is guessed from its first line unless ``delimiter`` is
    given (the caller tries the others when the guess finds no header: a
    title line above the table may hold none, or a comma).
    """
    if not content or not content.strip():
        raise Refused("empty")
    if len(content) > MAX_BYTES:
        raise Refused("too_big", size=len(content), limit=MAX_BYTES)
    if content.startswith(b"%PDF"):
        raise Refused("pdf")
    if content.startswith(IMAGES) or content[4:12] in (b"ftypheic", b"ftypmif1"):
        raise Refused("image")
    if content.startswith(OLE):
        raise Refused("protected" if ENCRYPTED in content else "old_excel")
    if content.startswith(b"PK"):
        return _xlsx(content)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise Refused("broken_xlsx")  # named a workbook, but is none
    table = _csv(_decode(content), delimiter)
    if not table.rows:  # a BOM alone, « ;;; » lines: what Excel saves of an empty sheet (AK8)
        raise Refused("empty")
    return table


# --- CSV ----------------------------------------------------------------------------

_MOJIBAKE = ("Ã©", "Ã¨", "Ãª", "Ã§", "Ã ", "Ã‰", "Ã´", "Ã®", "Ã¯", "Ã¹", "Ã«")


def _decode(content: bytes) -> tuple[str, str]:
    """The text and the encoding it was written in."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise Refused("not_text") from None
    if b"\x00" in content:
        raise Refused("not_text")
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise Refused("not_text") from None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise Refused("not_text") from None
        return _checked(text), "cp1252"
    if any(marker in text for marker in _MOJIBAKE):
        # Saved twice with the wrong encoding ("JÃ©rÃ´me"): undo it when it undoes cleanly.
        try:
            return text.encode("cp1252").decode("utf-8"), "utf-8"
        except UnicodeError:
            pass
    return _checked(text), "utf-8"


def _checked(text: str) -> str:
    """Text that still holds control characters is a binary file, not a list."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(3, len(text) // 100):
        raise Refused("not_text")
    return text


def _delimiter(lines: Iterable[str]) -> str:
    """The separator the header line uses most: ``;`` (French Excel), ``,`` or tab."""
    for line in lines:
        if line.strip():
            counts = {d: line.count(d) for d in DELIMITERS}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ";"
    return ";"


def _csv(decoded: tuple[str, str], delimiter: str | None) -> Table:
    text, encoding = decoded
    delimiter = delimiter or _delimiter(text.splitlines()[:20])
    table = Table("csv", encoding=encoding, delimiter=delimiter)
    csv.field_size_limit(MAX_BYTES)  # a whole file in one cell is cut, not an error
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _collect(table, ((reader.line_num, row) for row in reader))
    except csv.Error:
        raise Refused("not_text") from None
    return table


def _collect(table: Table, rows: Iterator[tuple[int, Iterable[Cell]]]) -> None:
    """Keep the non-blank rows, refusing too many of them before reading further."""
    filled = blanks = 0
    for scanned, (number, cells) in enumerate(rows, start=1):
        if scanned > MAX_SCANNED:
            raise Refused("too_many", count=None, limit=MAX_ROWS)
        kept = [_cell(c) for _, c in zip(range(MAX_COLUMNS), cells, strict=False)]
        if not any(c not in (None, "") for c in kept):
            blanks += 1
            if blanks >= BLANK_END and table.rows:
                return
            continue
        blanks = 0
        filled += 1
        if filled > MAX_ROWS + 1:  # the header and MAX_ROWS trainees
            raise Refused("too_many", count=_more(table, filled, rows), limit=MAX_ROWS)
        table.rows.append((number, kept))


def _more(table: Table, filled: int, rest: Iterator[tuple[int, Iterable[Cell]]]) -> int | None:
    """How many lines a too-long CSV has (cheap: it is in memory); ``None`` for a sheet."""
    if table.kind != "csv":
        return None
    return filled - 1 + sum(1 for _, cells in rest if any(str(c).strip() for c in cells))


def _cell(value: object) -> Cell:
    if isinstance(value, str):  # composed, as the chat's text is (explorer AK1)
        return unicodedata.normalize("NFC", value.strip()[:MAX_CELL])
    if isinstance(value, int | float | bool | date | datetime | time) or value is None:
        return value
    return str(value)[:MAX_CELL]


# --- XLSX ---------------------------------------------------------------------------


def _xlsx(content: bytes) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused("broken_xlsx") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNZIPPED:
            raise Refused("too_big_inside")
        names = {p.filename for p in parts}
        if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
            raise Refused("ods")
        if "xl/workbook.xml" not in names:
            raise Refused("not_a_workbook")
        if any(p.flag_bits & 0x1 for p in parts):
            raise Refused("protected")
    return _sheet(content)


def _sheet(content: bytes) -> Table:
    from openpyxl import load_workbook  # heavy: only when a workbook comes

    table = Table("xlsx")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises anything a broken part makes its parsers raise
        raise Refused("broken_xlsx") from None
    try:
        for sheet in book.worksheets:
            rows = getattr(sheet, "iter_rows", None)
            if rows is None:  # a chart sheet
                continue
            table.rows.clear()
            numbered = enumerate(rows(values_only=True, max_col=MAX_COLUMNS), start=1)
            _collect(table, numbered)
            if table.rows:
                return table
    except Refused:
        raise
    except Exception:  # a part that breaks while it is read lazily
        raise Refused("broken_xlsx") from None
    finally:
        book.close()
    raise Refused("empty")
