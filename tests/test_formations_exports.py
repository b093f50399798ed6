"""The formations and trainees tables, built without the CLI."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import select

from bot.exports import render
from bot.formations import exports
from bot.formations.service import NewTrainee
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.absences import add_formation
from tests.auxil.command import Done
from tests.auxil.dialogue import Person
from tests.auxil.formations import a_formation, cast


async def test_rows_of_one_organisation_or_all(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        mine = await a_formation(session, people.formateur, cm_name="Mme Sophie Leroy")
        await a_formation(session, people.outsider, title="Ailleurs")
    async with db.sessions() as session:
        rows = await exports.formations(session, people.formateur.organisation_id)
        assert len(rows) == 1
        row = rows[0]
        assert set(row) == set(exports.FORMATION_COLUMNS)
        assert (row["identifiant"], row["organisme"], row["intitulé"], row["financeur"]) == (
            mine.id,
            "Forma Plus",
            "Agent de restauration",
            "Région Normandie",
        )
        assert (row["début"], row["fin"], row["stagiaires"]) == (
            date(2026, 12, 1),
            date(2027, 6, 15),
            2,
        )
        assert row["personne chargée de mission"] == "Mme Sophie Leroy"
        assert row["supprimée le"] is None
        assert row["en charge"] == "Bruno"  # its formateur (explorer AP5: nowhere before)
        assert [r["intitulé"] for r in await exports.formations(session)] == [
            "Agent de restauration",
            "Ailleurs",
        ]

        trainees = await exports.trainees(session, people.formateur.organisation_id)
        assert [(t["nom"], t["entreprise"], t["représente les stagiaires"]) for t in trainees] == [
            ("Karim Benali", None, False),
            ("Marie Dupont", "Boulangerie Martin", True),
        ]
        assert all(set(t) == set(exports.TRAINEE_COLUMNS) for t in trainees)
        # The journal's « identifiant de stagiaire », resolved here (explorer KC4), last.
        assert exports.TRAINEE_COLUMNS[-1] == "identifiant de stagiaire"
        theirs = (
            select(Trainee)
            .join(Formation)
            .where(Formation.organisation_id == people.formateur.organisation_id)
        )
        ids = {t.full_name: t.id for t in (await session.scalars(theirs)).all()}
        assert [t["identifiant de stagiaire"] for t in trainees] == [
            ids["Karim Benali"],
            ids["Marie Dupont"],
        ]
        assert len(await exports.trainees(session)) == 4


async def test_trainees_are_listed_by_surname_everywhere(db: Database, trainer: Person) -> None:
    """Issue 11 item 24: Élodie Étienne between Dupont and Fabre, in the chat, the pickers,
    the stored list and the export, whatever the order they were typed in."""
    typed = ("Paul Fabre", "Élodie Étienne", "Marie Dupont", "Zoé Abel")
    formation_id = await add_formation(db, title="Cuisine", trainees=typed)
    expected = ["Zoé Abel", "Marie Dupont", "Élodie Étienne", "Paul Fabre"]

    async with db.sessions() as session:
        formation = await session.get(Formation, formation_id)
        assert formation is not None
        assert [t.full_name for t in formation.trainees] == expected
        rows = await exports.trainees(session)
        assert [
            r["nom"] for r in rows if r["identifiant de la formation"] == formation_id
        ] == expected

    await trainer.says("/formations")
    await trainer.presses("Cuisine")
    await trainer.presses("Voir le détail")
    listing = trainer.all_text
    positions = [listing.index(name) for name in expected]
    assert positions == sorted(positions), listing

    await trainer.says("/absence")
    await trainer.presses("Cuisine")
    assert [b for b in trainer.buttons if b in expected] == expected


FORMATION_HEADERS = [
    "identifiant",
    "organisme",
    "intitulé",
    "nature",
    "financeur",
    "programme",
    "type d'action",
    "mode",
    "début",
    "fin",
    "fin prolongée",
    "certifiante",
    "longue",
    "personne chargée de mission",
    "e-mail de la personne chargée de mission",
    "stagiaires",
    "supprimée le",
    "en charge",  # who, for the admin (explorer AP5)
]
TRAINEE_HEADERS = [
    "identifiant de la formation",
    "formation",
    "nom",
    "entreprise",
    "représente les stagiaires",
    "entrée",
    "sortie",
    "motif de sortie",
    "fin de parcours",
    "e-mail",
    "téléphone",
    "identifiant de stagiaire",  # the journal's number (explorer KC4)
]


def test_the_files_headers_are_french_words_in_every_format(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """What an auditor reads in the first row, the same in CSV, CSV for Excel and XLSX."""
    assert formabot(["demo"]).returncode == 0
    for name, expected in (("formations", FORMATION_HEADERS), ("stagiaires", TRAINEE_HEADERS)):
        plain = formabot(["export", name])
        assert plain.returncode == 0, plain.stderr
        assert next(csv.reader(io.StringIO(plain.stdout))) == expected
        excel = formabot(["export", name, "--format", "csv-excel"]).stdout.lstrip("\ufeff")
        assert next(csv.reader(io.StringIO(excel), delimiter=";")) == expected
        path = tmp_path / f"{name}.xlsx"
        assert formabot(["export", name, "--format", "xlsx", "--out", str(path)]).returncode == 0
        sheet = openpyxl.load_workbook(path).active
        assert sheet is not None and [c.value for c in sheet[1]] == expected
    # The cells under them are French words too, the chat's labels for the stored codes.
    formations = list(csv.DictReader(io.StringIO(formabot(["export", "formations"]).stdout)))
    assert [(f["intitulé"], f["type d'action"], f["certifiante"]) for f in formations] == [
        ("Agent de restauration (démo)", "", "oui"),
        ("Projet professionnel (démo)", "Élaboration de projet professionnel", "non"),
    ]
    assert [(f["nature"], f["financeur"], f["programme"], f["mode"]) for f in formations] == [
        ("Formation", "Région Normandie", "", "De date à date (un groupe)"),
        (
            "Formation",
            "Région Centre-Val de Loire",
            "Parcours Métiers",
            "Entrées et sorties permanentes",
        ),
    ]
    excel = formabot(["export", "formations", "--format", "csv-excel"]).stdout
    assert ";Formation;Région Centre-Val de Loire;Parcours Métiers;" in excel
    sheet = openpyxl.load_workbook(tmp_path / "formations.xlsx").active
    assert sheet is not None
    assert [c.value for c in sheet[3]][3:8] == [
        "Formation",
        "Région Centre-Val de Loire",
        "Parcours Métiers",
        "Élaboration de projet professionnel",
        "Entrées et sorties permanentes",
    ]
    assert formations[0]["personne chargée de mission"] == "Mme Sophie Leroy"
    assert formations[0]["e-mail de la personne chargée de mission"] == "sophie.leroy@example.org"


async def test_a_deletion_is_dated_in_the_organisation_s_time(db: Database) -> None:
    """Explorer J: UTC with microseconds, an hour off the audit trail's own moment."""
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        mine = await a_formation(session, people.formateur)
        mine.deleted_at = datetime(2026, 12, 4, 11, 50, 15, 813894, tzinfo=UTC)
    async with db.sessions() as session:
        [row] = await exports.formations(session, people.formateur.organisation_id)
    table = render([row], exports.FORMATION_COLUMNS, "csv-excel")
    text = table.decode("utf-8-sig") if isinstance(table, bytes) else table
    assert text.splitlines()[1].endswith(";04/12/2026 12:50;Bruno")


async def test_a_vae_s_unasked_answers_are_empty_cells(db: Database) -> None:
    """Explorer J: « mode : De date à date (un groupe) », « certifiante : non » for a VAE,
    questions its dialogue never asks, read by an auditor as facts."""
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        await a_formation(
            session,
            people.formateur,
            title="VAE Dupont",
            kind="vae",
            certifying=False,
            long=False,
            trainees=(NewTrainee("Jean Dupont"),),
        )
        await a_formation(session, people.formateur, title="Groupe")
    async with db.sessions() as session:
        rows = {r["intitulé"]: r for r in await exports.formations(session)}
    assert [rows["VAE Dupont"][k] for k in ("mode", "certifiante", "longue")] == [None] * 3
    assert [rows["Groupe"][k] for k in ("mode", "certifiante", "longue")] == [
        "De date à date (un groupe)",
        True,
        True,
    ]


async def test_a_trainee_s_e_mail_and_phone_are_exported(db: Database) -> None:
    """Explorer J: imported with the list, lost when it was exported to move them."""
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        await a_formation(
            session,
            people.formateur,
            trainees=(NewTrainee("Zoé Vert", email="zoe@example.org", phone="06 12 34 56 78"),),
        )
    async with db.sessions() as session:
        [row] = await exports.trainees(session)
    assert (row["e-mail"], row["téléphone"]) == ("zoe@example.org", "06 12 34 56 78")
