"""``formabot export echeances``: CSV, JSON, and a calendar with one event per deadline."""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot import exports
from bot.app import FEATURES
from bot.deadlines import exports as deadline_exports
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.absences import move_due
from tests.auxil.command import Done
from tests.auxil.dialogue import Clock, Person
from tests.test_bilan import schedule
from tests.test_cli import run
from tests.test_deadlines_reopened import extended, marked_done

PARIS = ZoneInfo("Europe/Paris")


async def events_by_rule(db: Database, formation: int = 1) -> dict[str, Any]:
    """The formation's calendar events, by the rule of the deadline each one is (read back from
    its title: the calendar itself names no rule, explorer AE4)."""
    async with db.sessions() as session:
        rows = await deadline_exports.rows(session, args(formation=formation))
        data = await deadline_exports.calendar(session, args(formation=formation, format="ics"))
    rules = {f"{r['titre']} – {r['formation']}": r["règle"] for r in rows}
    return {rules[str(e["SUMMARY"])]: e for e in Calendar.from_ical(data).events}


def args(**values: object) -> argparse.Namespace:
    base: dict[str, object] = {
        "what": "echeances",
        "format": "csv",
        "organisation": None,
        "formation": None,
        "out": None,
    }
    return argparse.Namespace(**(base | values))


async def test_echeances_is_declared_with_the_other_tables() -> None:
    table = FEATURES.tables["echeances"]
    assert (table.columns, table.rows) == (deadline_exports.COLUMNS, deadline_exports.rows)
    assert FEATURES.calendars["echeances"] is deadline_exports.calendar


async def test_csv_and_json_rows(db: Database, trainer: Person) -> None:
    await schedule(trainer)
    async with db.sessions() as session:
        rows = await deadline_exports.rows(session, args(formation=1))
    by_rule = {r["règle"]: r for r in rows}
    assert set(by_rule) == {
        "NOR-VISIO",
        "NOR-PREP",
        "NOR-GUIDES",
        "NOR-DELEGATES",
        "NOR-DOCS",
        "NOR-PROOF",
    }
    docs = by_rule["NOR-DOCS"]
    assert (docs["échéance"], docs["heure"], docs["statut"], docs["reportable"]) == (
        date(2026, 11, 24),
        "14:00",
        "à faire",
        False,
    )
    assert docs["formation"] == "Agent de restauration (démo)"
    assert docs["source"] == "fiche procédure bilan à distance, Région Normandie, §I"
    # The source in its own column, not in brackets again at the explanation's end (DE8).
    assert (
        docs["explication"].endswith("(modifiable avec /reglages).")
        and "§I" not in docs["explication"]
    )
    assert (docs["public"], by_rule["NOR-VISIO"]["public"]) == (
        "personne chargée de la formation",
        "organisme",
    )
    table = list(csv.DictReader(io.StringIO(exports.write(rows, deadline_exports.COLUMNS, "csv"))))
    assert table[0].keys() == set(deadline_exports.COLUMNS)
    assert {r["règle"] for r in table} == set(by_rule)
    data = json.loads(exports.write(rows, deadline_exports.COLUMNS, "json"))
    assert {r["identifiant"] for r in data} == {r["identifiant"] for r in rows}


async def test_a_reopened_final_bilan_keeps_its_earlier_done_mark(
    db: Database, clock: Clock, trainer: Person
) -> None:
    """Marked done on 23 November, reopened on 4 December by Thomas Fabre's path extended: the
    export said it « à faire », nothing more, where an auditor asks whether it had been sent."""
    await marked_done(trainer)
    clock.now = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    await extended(trainer, "Thomas Fabre", "le 30 avril")
    async with db.sessions() as session:
        rows = await deadline_exports.rows(session, args())
    [final] = [r for r in rows if r["règle"] == "CVL-BQ-END"]
    table = exports.write([final], deadline_exports.COLUMNS, "csv")
    [line] = list(csv.DictReader(io.StringIO(table)))
    assert (line["statut"], line["faite le"], line["faite par"]) == ("à faire", "", "")
    assert (line["rouverte le"], line["faite avant réouverture le"]) == (
        "2026-12-04T11:00+01:00",
        "2026-11-23T10:00+01:00",
    )


async def test_ics_is_one_event_per_deadline(db: Database, trainer: Person, tmp_path: Path) -> None:
    await schedule(trainer)
    async with db.sessions() as session:
        data = await deadline_exports.calendar(session, args(formation=1, format="ics"))
    calendar = Calendar.from_ical(data)
    assert calendar["METHOD"] == "PUBLISH"
    events = await events_by_rule(db)
    assert len(calendar.events) == len(events) == 6 and set(events) >= {"NOR-DOCS", "NOR-PROOF"}
    # Explorer AE4: who sets it, in words, where calendars show categories; never a code.
    assert {str(e["CATEGORIES"].cats[0]) for e in calendar.events} == {"Région Normandie"}
    docs = events["NOR-DOCS"]
    assert docs.start == datetime(2026, 11, 24, 14, 0, tzinfo=PARIS)
    assert docs["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(docs["SUMMARY"]) == "Envoyer le bilan pédagogique – Agent de restauration (démo)"
    source = "Source : fiche procédure bilan à distance, Région Normandie, §I"
    assert source in str(docs["DESCRIPTION"])
    proof = events["NOR-PROOF"]
    assert proof.start == date(2026, 12, 3)  # a day, not an hour
    assert proof.end == date(2026, 12, 4)
    assert all(str(e["UID"]).startswith("deadline-") for e in calendar.events)
    zone_comments = [str(z["COMMENT"]) for z in calendar.walk("VTIMEZONE")]
    assert zone_comments and all(c.startswith("Fuseau horaire valable du") for c in zone_comments)
    assert b"This timezone" not in data.replace(b"\r\n ", b"")


async def test_two_groups_of_one_title_are_told_apart_in_the_exports(
    db: Database, trainer: Person
) -> None:
    """Explorer ED6: imported in one agenda, two « Agent de restauration » groups' events read
    alike; /echeances and the digest name each by its start day."""
    await schedule(trainer)
    async with db.sessions() as session, session.begin():
        other = await session.scalar(select(Formation).where(Formation.title.like("Projet%")))
        assert other is not None
        other.title = "Agent de restauration (démo)"
    async with db.sessions() as session:
        data = await deadline_exports.calendar(session, args(formation=1, format="ics"))
        table = await deadline_exports.rows(session, args(formation=1))
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(data).events}
    assert (
        "Envoyer le bilan pédagogique – Agent de restauration (démo) (lundi 19 octobre "
        "2026)" in summaries
    )
    assert {r["formation"] for r in table} == {
        "Agent de restauration (démo) (lundi 19 octobre 2026)"
    }


async def test_a_deadline_on_a_day_off_is_exported_with_the_working_day_before(
    db: Database, trainer: Person
) -> None:
    """Explorer B: the CSV and the calendar put the reminder on the Saturday itself."""
    await schedule(trainer)
    await move_due(db, "NOR-PROOF", date(2026, 11, 28))  # a Saturday
    async with db.sessions() as session:
        rows = {r["règle"]: r for r in await deadline_exports.rows(session, args(formation=1))}
        data = await deadline_exports.calendar(session, args(formation=1, format="ics"))
    assert rows["NOR-PROOF"]["échéance"] == date(2026, 11, 28)  # the texts' date stays
    assert rows["NOR-PROOF"]["à faire plutôt le"] == date(2026, 11, 27)
    assert rows["NOR-DOCS"]["à faire plutôt le"] is None  # a working day
    assert Calendar.from_ical(data).events
    events = await events_by_rule(db)
    assert events["NOR-PROOF"].start == date(2026, 11, 27)
    assert (
        "Échéance : samedi 28 novembre 2026, un samedi ; placée ici, le jour ouvré d'avant."
        in str(events["NOR-PROOF"]["DESCRIPTION"])
    )


async def test_no_day_to_act_before_the_deadline_existed(db: Database, trainer: Person) -> None:
    """Explorer DG10: a deadline created on a Sunday, due that Sunday, was exported « à faire
    plutôt le » the Friday before it existed, and sat in the calendar's past week."""
    await schedule(trainer)
    sunday = date(2026, 11, 29)
    async with db.sessions() as session, session.begin():
        row = await session.scalar(
            select(StoredDeadline).where(StoredDeadline.rule_id == "NOR-PROOF")
        )
        assert row is not None
        row.due_on, row.created_at = sunday, datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    async with db.sessions() as session:
        rows = {r["règle"]: r for r in await deadline_exports.rows(session, args(formation=1))}
    assert rows["NOR-PROOF"]["à faire plutôt le"] is None
    proof = (await events_by_rule(db))["NOR-PROOF"]
    assert proof.start == sunday
    assert "placée ici" not in str(proof["DESCRIPTION"])


async def test_a_deadline_with_an_hour_on_a_day_off_is_placed_the_day_before_at_that_hour(
    db: Database, trainer: Person
) -> None:
    """Explorer T T1: NOR-DOCS due on a Saturday at 14 h sat on the Saturday in the calendar,
    while the chat, the CSV and the letter to the chargée de mission said Friday."""
    await schedule(trainer)
    saturday = datetime(2026, 11, 28, 14, 0, tzinfo=PARIS)
    async with db.sessions() as session, session.begin():
        row = await session.scalar(
            select(StoredDeadline).where(StoredDeadline.rule_id == "NOR-DOCS")
        )
        assert row is not None
        row.due_on, row.due_at = saturday.date(), saturday.astimezone(UTC)
    docs = (await events_by_rule(db))["NOR-DOCS"]
    assert docs.start == datetime(2026, 11, 27, 14, 0, tzinfo=PARIS)
    assert docs.end == datetime(2026, 11, 27, 14, 30, tzinfo=PARIS)
    assert (
        "Échéance : samedi 28 novembre 2026 à 14 h 00, un samedi ; placée ici, le jour ouvré "
        "d'avant." in str(docs["DESCRIPTION"]).replace("\n", " ")
    )


def test_right_after_formabot_demo_the_export_lists_the_deadlines(
    formabot: Callable[[list[str]], Done],
) -> None:
    """Issue 11 item 18: nobody has opened /echeances, the deadlines are there."""
    assert formabot(["demo"]).returncode == 0
    exported = formabot(["export", "echeances"])
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert {r["règle"] for r in rows} == {"CVL-EOS", "CVL-BQ-END", "CVL-BQ-MID"}
    # An auditor reads no internal key (« CVL-EOS-ENTRY:trainee:5 »): explorer DE9.
    assert not any(
        ":trainee:" in value or ":formation:" in value for r in rows for value in r.values()
    )
    entries = [r for r in rows if r["titre"] == "Saisir l'entrée dans EOS"]
    assert sorted(r["concerne"] for r in entries) == ["Inès Garnier", "Nadia Roux", "Thomas Fabre"]
    etape = next(r for r in rows if r["règle"] == "CVL-BQ-MID")
    assert etape["concerne"] == ""  # one span, the whole formation: nothing to tell apart
    assert {r["statut"] for r in rows} == {"à faire"}
    assert all(r["formation"] == "Projet professionnel (démo)" for r in rows)


HEADERS = [
    "identifiant",
    "organisme",
    "identifiant de la formation",
    "formation",
    "règle",
    "échéance",
    "heure",
    "à faire plutôt le",
    "titre",
    "concerne",
    "explication",
    "source",
    "public",
    "reportable",
    "statut",
    "reportée au",
    "motif du report",
    "faite le",
    "faite par",
    "rouverte le",
    "faite avant réouverture le",
]


def test_the_file_s_headers_are_french_words_in_every_format(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """The first row a trainer or an auditor reads: words with their accents, no « reportee_au »."""
    assert formabot(["demo"]).returncode == 0
    plain = formabot(["export", "echeances"]).stdout
    assert next(csv.reader(io.StringIO(plain))) == HEADERS
    excel = formabot(["export", "echeances", "--format", "csv-excel"]).stdout.lstrip("\ufeff")
    assert next(csv.reader(io.StringIO(excel), delimiter=";")) == HEADERS
    path = tmp_path / "echeances.xlsx"
    assert formabot(["export", "echeances", "--format", "xlsx", "--out", str(path)]).returncode == 0
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None and [c.value for c in sheet[1]] == HEADERS
    (first, *_) = json.loads(formabot(["export", "echeances", "--format", "json"]).stdout)
    assert list(first) == HEADERS
    # Under them, words too: whose deadline it is, and the text as the chat quotes it.
    source, public = HEADERS.index("source"), HEADERS.index("public")
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert {row[public] for row in cells} == {"organisme"}  # the demo's: EOS entries, exits
    assert cells and all(".txt" not in row[source] for row in cells)
    assert ";organisme;" in excel and ".txt" not in excel + plain


@pytest.mark.slow
def test_the_command_line_exports_deadlines_as_csv_and_ics(tmp_path: Path) -> None:
    assert run(["demo"], tmp_path).returncode == 0
    session = run(["console", "--as", "formateur"], tmp_path, "/echeances\n/annuler\n")
    assert session.returncode == 0, session.stderr
    assert "en retard" in session.stdout
    exported = run(["export", "echeances"], tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert {r["règle"] for r in rows} >= {"CVL-EOS", "CVL-BQ-END", "CVL-BQ-MID"}
    calendar = run(["export", "echeances", "--format", "ics"], tmp_path)
    assert calendar.returncode == 0, calendar.stderr
    assert calendar.stdout.startswith("BEGIN:VCALENDAR")
    assert "identifiant de la formation" not in calendar.stdout  # no CSV header
    parsed = Calendar.from_ical(calendar.stdout.encode())
    assert len(parsed.events) == len(rows)
