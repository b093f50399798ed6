"""Sent files as tables: every encoding and separator an Excel writes, and every wrong file.

Each wrong file gets its reason (a French answer, rendered here to check it
says what is expected), never an exception of another kind and never a
long wait: the 10,000-line list and the zip bomb stop at their limits.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import datetime

import pytest

from bot import texts
from bot.imports.reading import MAX_BYTES, MAX_ROWS, Refused, read_table
from tests.auxil.spreadsheets import (
    GROUP,
    PDF,
    PNG,
    csv_file,
    docx,
    many,
    ods,
    old_xls,
    protected,
    xlsx,
    zip_bomb,
)


def names(content: bytes, filename: str = "liste.csv") -> list[str]:
    table = read_table(filename, content)
    return [f"{cells[1]} {cells[0]}" for _, cells in table.rows[1:]]


def refusal(filename: str, content: bytes) -> tuple[str, str]:
    with pytest.raises(Refused) as caught:
        read_table(filename, content)
    said = texts.plain(
        texts.say("formation_import.refused", reason=caught.value.reason, **caught.value.values)
    )
    return caught.value.reason, said


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom", "expected_encoding"),
    [
        ("cp1252", ";", False, "cp1252"),  # an old French Excel
        ("utf-8", ";", True, "utf-8-sig"),  # a newer one, « CSV UTF-8 »
        ("utf-8", ",", False, "utf-8"),  # LibreOffice
        ("utf-8", "\t", False, "utf-8"),
        ("utf-16", "\t", False, "utf-16"),  # « Texte Unicode »
    ],
)
def test_every_csv_an_excel_writes_is_read_with_its_accents(
    encoding: str, delimiter: str, bom: bool, expected_encoding: str
) -> None:
    content = csv_file(GROUP, encoding=encoding, delimiter=delimiter, bom=bom)
    table = read_table("liste.csv", content)
    assert (table.encoding, table.delimiter) == (expected_encoding, delimiter)
    assert table.rows[0][1][:2] == ["Nom", "Prénom"]
    assert names(content) == ["Marie Dupont", "Karim Benali", "Jérôme Petit"]
    assert table.rows[3][1][2] == "Hôtel de la Gare"


def test_a_list_saved_twice_in_the_wrong_encoding_is_put_right() -> None:
    broken = csv_file(GROUP, encoding="utf-8").decode("cp1252").encode("utf-8")
    assert "JÃ©rÃ´me".encode() in broken
    assert names(broken)[2] == "Jérôme Petit"


def test_a_workbook_is_read_from_its_first_sheet_with_data_dates_as_dates() -> None:
    rows = [("Nom", "Prénom", "Date d'entrée"), ("Dupont", "Marie", datetime(2026, 12, 3))]
    table = read_table("liste.xlsx", xlsx(rows, empty_first=True))
    assert table.kind == "xlsx"
    assert table.rows[1][1][:3] == ["Dupont", "Marie", datetime(2026, 12, 3)]
    # named .csv by mistake: the content decides
    assert read_table("liste.csv", xlsx(rows)).kind == "xlsx"


def test_line_numbers_are_the_files_own_blank_lines_included() -> None:
    content = b"Nom;Prenom\r\n\r\nDupont;Marie\r\n;\r\nBenali;Karim\r\n"
    assert [n for n, _ in read_table("l.csv", content).rows] == [1, 3, 5]
    sheet = xlsx([("Nom",), (None,), ("Dupont",)], title_rows=1)
    assert [n for n, _ in read_table("l.xlsx", sheet).rows] == [1, 2, 4]


@pytest.mark.parametrize(
    ("filename", "content", "reason", "says"),
    [
        ("vide.csv", b"", "empty", "le fichier est vide"),
        ("blanc.csv", b"  \r\n\r\n ", "empty", "le fichier est vide"),
        # What Excel saves of an empty sheet (explorer AK8: an IndexError, « Désolé »).
        ("bom.csv", b"\xef\xbb\xbf", "empty", "le fichier est vide"),
        ("bom.csv", b"\xef\xbb\xbf\r\n", "empty", "le fichier est vide"),
        ("unicode.txt", b"\xff\xfe", "empty", "le fichier est vide"),
        ("vides.csv", b";;;\n;;;\n", "empty", "le fichier est vide"),
        ("liste.pdf", PDF, "pdf", "C'est un PDF"),
        ("photo.png", PNG, "image", "C'est une image"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image", "C'est une image"),
        ("liste.xlsx", b"random bytes, not a workbook " * 20, "broken_xlsx", "abîmé"),
        ("liste.xlsx", b"PK\x03\x04 truncated", "broken_xlsx", "abîmé"),
        ("liste.xlsx", protected(), "protected", "protégé par un mot de passe"),
        ("liste.xls", old_xls(), "old_excel", "ancien format Excel (.xls)"),
        ("liste.ods", ods(), "ods", "LibreOffice (.ods)"),
        ("liste.docx", docx(), "not_a_workbook", "n'est pas un classeur Excel"),
        ("liste.csv", bytes(range(256)) * 40, "not_text", "ni un CSV ni un classeur"),
        ("liste.csv", b"\x01\x02\x03\x04" * 500 + b"Nom", "not_text", "ni un CSV"),
    ],
)
def test_a_file_that_is_no_list_gets_a_french_answer_saying_what_is_expected(
    filename: str, content: bytes, reason: str, says: str
) -> None:
    found, said = refusal(filename, content)
    assert found == reason
    assert says in said
    assert "CSV" in said and "Excel (.xlsx)" in said


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = zip_bomb()
    assert len(bomb) < MAX_BYTES
    reason, said = refusal("liste.xlsx", bomb)
    assert reason == "too_big_inside" and "trop lourd une fois décompressé" in said


def test_a_broken_part_inside_a_real_workbook_is_said_not_raised() -> None:
    good = io.BytesIO(xlsx(GROUP))
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename.startswith("xl/worksheets/"):
                data = b"<worksheet><sheetData><row><c t='s'><v>nope"
            target.writestr(part, data)
    assert refusal("liste.xlsx", out.getvalue())[0] == "broken_xlsx"


def test_too_big_a_file_is_refused_unread() -> None:
    reason, said = refusal("liste.csv", b"Nom\n" + b"x" * MAX_BYTES)
    assert reason == "too_big" and "2 Mo" in said


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_ten_thousand_lines_get_a_clear_refusal(kind: str) -> None:
    rows = many(10_000)
    content = csv_file(rows) if kind == "csv" else xlsx(rows)
    reason, said = refusal(f"liste.{kind}", content)
    assert reason == "too_many"
    assert "2 000 stagiaires que j'accepte en une fois" in said
    if kind == "csv":
        assert said.startswith("10 000 lignes")
    else:
        assert said.startswith("Plus de 2 000 lignes")  # openpyxl stopped at the limit


def test_exactly_the_limit_is_read() -> None:
    assert len(read_table("l.csv", csv_file(many(MAX_ROWS))).rows) == MAX_ROWS + 1


def test_a_sheet_formatted_far_below_its_list_ends_with_the_list() -> None:
    rows: list[tuple[str | None, ...]] = [("Nom",), ("Dupont",), *[(None,)] * 30_000]
    assert len(read_table("l.xlsx", xlsx(rows)).rows) == 2
    assert len(read_table("l.csv", b"Nom\r\nDupont\r\n" + b";\r\n" * 30_000).rows) == 2


def test_a_sheet_made_of_gaps_is_refused_at_the_scan_limit() -> None:
    gaps = b"Nom\r\n" + (b"Dupont\r\n" + b";\r\n" * 900) * 30
    assert refusal("l.csv", gaps)[0] == "too_many"


def test_a_huge_cell_is_cut_and_a_broken_csv_quote_is_survived() -> None:
    table = read_table("l.csv", b"Nom;Prenom\r\n" + b"x" * 200_000 + b";Marie\r\n")
    assert len(str(table.rows[1][1][0])) == 500
    unbalanced = read_table("l.csv", b'Nom;Prenom\r\n"Dupont;Marie\r\nBenali;Karim\r\n')
    assert unbalanced.rows[0][1] == ["Nom", "Prenom"]


def test_names_pasted_decomposed_are_read_composed() -> None:
    """Explorer AK1: « é » as « e » and an accent mark, as macOS writes it."""
    content = unicodedata.normalize("NFD", "Nom;Prénom\nLe Bœuf;Marie-Hélène\n").encode()
    assert read_table("l.csv", content).rows[1][1] == ["Le Bœuf", "Marie-Hélène"]
