"""Seeing a trainee's follow-up (/suivi, paged, PDF) and exporting evidence in chat (/exporter)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import select

from bot.engine import Engine
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Person as P
from bot.transports.console import Console
from tests.auxil.absences import add_formation, note_unjustified, seen_on
from tests.auxil.dialogue import Clock, Person
from tests.auxil.formations import a_crowd
from tests.auxil.hostile import FOR_CHOICES, step_of, survives
from tests.auxil.pdf import pdf_words
from tests.test_members import joins


async def log_absences(who: Person, name: str, days: list[str], *, decline: bool = True) -> None:
    """``days`` of unjustified absence; the follow-up offered declined (« Pas maintenant »,
    itself a line of the timeline: explorer GF2), or left unanswered (``decline=False``)."""
    for day in days:
        await who.says(f"/absence {name} {day} matin")
        await who.presses("Oui")
        if "Oui, l'enregistrer" in who.buttons:  # a Saturday or a Sunday, asked once
            await who.presses("Oui, l'enregistrer")
        await who.presses("Non")
        await who.says("sans nouvelles")
        await who.presses("Enregistrer")
        if decline and "Ouvrir un suivi" in who.buttons:
            await who.presses("Pas maintenant")


async def test_the_timeline_is_paged_newest_first_and_given_as_pdf(
    db: Database, trainer: Person
) -> None:
    days = [f"le {d} novembre" for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17)]
    await log_absences(trainer, "léa", days, decline=False)
    await trainer.says("/suivi")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("lea")
    text = trainer.last
    assert "Suivi de Léa Martin – Agent de restauration (démo)" in text
    assert "(page 1/2, les plus récents d'abord)" in text
    assert text.index("mardi 17 novembre 2026") < text.index("lundi 16 novembre 2026")
    assert "lundi 2 novembre 2026" not in text
    assert "Camille Durand" in text
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Plus anciens")
    assert "lundi 2 novembre 2026 – Absence (matin), non justifiée : sans nouvelles" in (
        trainer.last
    )
    assert trainer.replies[-1].edit_previous
    await trainer.presses("Plus récents")
    assert "mardi 17 novembre 2026" in trainer.last
    await trainer.presses("Chronologie en PDF")
    document = trainer.replies[-1].document
    assert document is not None and document.filename == "chronologie-lea-martin.pdf"
    words = pdf_words(document.content)
    assert "Chronologie du suivi – Léa Martin" in words
    assert "lundi 2 novembre 2026" in words and "mardi 17 novembre 2026" in words
    assert "sans nouvelles" in words
    assert await step_of(db, trainer) == (None, None)


async def test_an_empty_timeline(db: Database, trainer: Person) -> None:
    await trainer.says("/suivi hugo")
    assert "Rien n'est encore noté" in trainer.last
    assert "Chronologie en PDF" not in trainer.buttons
    await trainer.presses("Terminé")
    assert await step_of(db, trainer) == (None, None)


async def test_the_timeline_answers_nothing_a_huge_paste_or_control_characters_as_others_do(
    db: Database, trainer: Person
) -> None:
    """Explorer UC4: at the timeline an empty message, 100,000 characters or a control
    character were all « Je n'ai pas reconnu ce choix »; each gets the answer every other
    question gives, and the timeline stays."""
    await trainer.says("/suivi hugo")
    for typed, said in (
        ("   ", "Je n'ai rien reçu : choisissez une des réponses proposées"),
        ("a" * 100_000, "Votre message est trop long (100\u202f000 caractères"),
        ("Léa\x00Martin", "Votre message contient des caractères de contrôle invisibles"),
    ):
        await trainer.says(typed)
        assert trainer.all_text.startswith(said), trainer.all_text[:200]
        assert await step_of(db, trainer) == ("suivi", "timeline")


async def test_the_number_typed_is_the_number_shown(db: Database, trainer: Person) -> None:
    await trainer.says("/suivi")
    await trainer.presses("Agent de restauration")
    assert trainer.last.startswith("Le suivi de qui ?")
    await trainer.says("hugo")
    assert trainer.numbered == ["1. Terminé"]
    await trainer.says("1")
    assert await step_of(db, trainer) == (None, None)
    days = [f"le {d} novembre" for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16)]
    await log_absences(trainer, "léa", days, decline=False)
    await trainer.says("/suivi lea")
    assert trainer.numbered == ["1. Plus anciens ▶ (2/2)", "2. Chronologie en PDF", "3. Terminé"]
    await trainer.says("4")
    assert "Il n'y a pas de choix numéro 4 : tapez un numéro entre 1 et 3." in trainer.all_text
    await trainer.says("1")
    assert "lundi 2 novembre 2026" in trainer.last
    assert trainer.numbered == ["1. ◀ Plus récents", "2. Chronologie en PDF", "3. Terminé"]
    await trainer.says("2")
    document = trainer.replies[-1].document
    assert document is not None and document.filename == "chronologie-lea-martin.pdf"
    assert await step_of(db, trainer) == (None, None)


async def test_exports_in_chat(db: Database, trainer: Person, clock: Clock) -> None:
    await trainer.says("/exporter")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Agent de restauration")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Absences")
    assert "rien à exporter" in trainer.last

    await log_absences(trainer, "karim", ["vendredi dernier", "hier"])
    await trainer.says("/decrochage karim")
    await trainer.presses("Absences répétées")
    await trainer.presses("Terminé")
    await seen_on(trainer, "aujourd'hui")
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")

    await trainer.says("/exporter")
    await trainer.presses("Agent de restauration")
    await survives(db, trainer, FOR_CHOICES)
    assert trainer.buttons == ["Absences (Excel)", "Absences (CSV)", "Dossier Qualiopi (ZIP)"]
    await trainer.presses("Absences (Excel)")
    document = trainer.replies[-1].document
    assert document is not None
    assert document.filename == "absences-agent-de-restauration-demo.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None and sheet.title == "Absences"
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[1][:3] == ("Agent de restauration (démo)", "Karim Benali", datetime(2026, 11, 20))
    assert cells[1][7] == datetime(2026, 11, 23, 10, 0)
    assert sheet["C2"].number_format == "dd/mm/yyyy"

    await trainer.says("/exporter")
    await trainer.presses("Agent de restauration")
    await trainer.says("csv")  # typed, not pressed
    document = trainer.replies[-1].document
    assert document is not None and document.mime_type == "text/csv"
    assert document.content.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs
    text = document.content.decode("utf-8-sig")
    assert "\r\n" in text
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert table[0] == [
        "formation",
        "stagiaire",
        "date",
        "période",
        "justifiée",
        "motif",
        "saisie par",
        "saisie le",
        "justificatif",
        "organisme",
    ]
    assert table[1] == [
        "Agent de restauration (démo)",
        "Karim Benali",
        "20/11/2026",
        "matin",
        "non",
        "sans nouvelles",
        "Camille Durand",
        "23/11/2026 10:00",
        "",
        "Organisme de démonstration",
    ]

    await trainer.says("/exporter")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Dossier Qualiopi")
    # Said at once; built after the turn, it arrives next (bot.progress).
    assert trainer.replies[0].document is None
    assert "Je prépare le dossier Qualiopi" in trainer.replies[0].text
    bundle = trainer.replies[-1].document
    assert bundle is not None and bundle.mime_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        names = archive.namelist()
        assert "chronologie-karim-benali.pdf" in names
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["suivis"] == 1 and manifest["formation"]["intitulé"].startswith("Agent")


async def test_exporter_on_the_console_writes_a_workbook_that_opens(
    engine: Engine, trainer: Person, tmp_path: Path
) -> None:
    await log_absences(trainer, "karim", ["hier"])
    out = io.StringIO()
    console = Console(engine, name="formateur", documents=tmp_path / "docs", out=out)
    # The formation by its number, then the first export offered: the absences in Excel.
    await console.run(io.StringIO("/exporter\n1\n1\n"))
    text = out.getvalue()
    assert "1. Absences (Excel)" in text and "Voici le tableau des absences" in text
    (written,) = (tmp_path / "docs").iterdir()
    assert written.suffix == ".xlsx" and str(written) in text
    sheet = openpyxl.load_workbook(written).active
    assert sheet is not None and sheet["B2"].value == "Karim Benali"
    assert sheet["C2"].is_date and sheet["C2"].number_format == "dd/mm/yyyy"


async def test_every_formation_s_absences_on_the_console_in_one_workbook(
    engine: Engine, trainer: Person, tmp_path: Path
) -> None:
    """Explorer KB8: « Toutes les formations » on the console, unnumbered above the
    formations (« 1 » stays the first one), and the workbook it writes holds both."""
    await log_absences(trainer, "karim", ["hier"])
    await log_absences(trainer, "nadia", ["hier"])
    out = io.StringIO()
    console = Console(engine, name="formateur", documents=tmp_path / "docs", out=out)
    await console.run(io.StringIO("/exporter\ntoutes les formations\n1\n"))
    text = out.getvalue()
    assert "  – Toutes les formations\n  1. Agent de restauration (démo)" in text
    (written,) = (tmp_path / "docs").iterdir()
    assert written.name == "absences-toutes-les-formations.xlsx"
    sheet = openpyxl.load_workbook(written).active
    assert sheet is not None
    assert [row[:2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("Agent de restauration (démo)", "Karim Benali"),
        ("Projet professionnel (démo)", "Nadia Roux"),
    ]


async def test_the_words_after_exporter_choose_the_formation(db: Database, trainer: Person) -> None:
    """Explorer KB7: « /exporter Maçon – Caen » asked « Dans quelle formation ? » of all."""
    await trainer.says("/exporter restauration")
    assert trainer.last == "Que voulez-vous exporter d'« Agent de restauration (démo) » ?"  # AI22
    await trainer.says("/annuler")
    await trainer.says("/exporter zorglub")
    assert "Aucune formation ne correspond à « zorglub », ni aucun stagiaire" in trainer.all_text
    assert trainer.last.startswith("Dans quelle formation ?")


async def test_an_administrator_exports_the_absences_of_every_formation_in_one_file(
    db: Database, trainer: Person, person: Callable[..., Person], clock: Clock
) -> None:
    """Explorer KB8: an administrator of forty formations had forty three-step /exporter to
    get the organisation's absences; « Toutes les formations » comes first now, for an
    administrator only: Bruno, a trainer, keeps to his own formations."""
    await a_crowd(db, clock.now.date())  # 22 formations: the list is paged
    bruno = person("bruno")
    await joins(trainer, bruno, "Bruno Lefèvre", "Au masculin")
    async with db.sessions() as session, session.begin():
        bruno_id = await session.scalar(select(P.id).where(P.display_name == "Bruno Lefèvre"))
        for title in ("Projet professionnel (démo)", "Cariste – Caen"):
            handed = await session.scalar(select(Formation).where(Formation.title == title))
            assert handed is not None and bruno_id is not None
            handed.owner_id = bruno_id
    await trainer.says("/exporter toutes")
    await trainer.presses("Absences (Excel)")
    assert trainer.last == (
        "Il n'y a encore aucune absence notée dans les formations de l'organisme."
    )
    await log_absences(trainer, "julie petit", ["hier"])
    await log_absences(trainer, "thomas fabre", ["hier"])

    await trainer.says("/exporter")
    assert trainer.buttons[0] == "Toutes les formations"
    assert trainer.buttons[-1] == "Suivants ▶ (2/3)"  # on the first of three pages
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Toutes les formations")
    assert trainer.last == "Que voulez-vous exporter des absences de toutes les formations ?"
    assert trainer.buttons == ["Absences (Excel)", "Absences (CSV)"]
    await trainer.presses("Absences (Excel)")
    document = trainer.replies[-1].document
    assert document is not None and document.filename == "absences-toutes-les-formations.xlsx"
    assert trainer.replies[-1].text.startswith(
        "Voici le tableau des absences de toutes les formations. Il contient des données"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][:2] == ("formation", "stagiaire")
    assert sorted(row[:2] for row in cells[1:]) == [
        ("Agent de restauration (démo)", "Julie Petit"),
        ("Projet professionnel (démo)", "Thomas Fabre"),
    ]

    # Chosen, then « Retour » and one formation: that one alone (explorer SA2).
    await trainer.says("/exporter")
    await trainer.presses("Toutes les formations")
    await trainer.says("retour")
    await trainer.presses("Agent de restauration")
    assert "toutes les formations" not in trainer.last
    await trainer.presses("Absences (Excel)")
    document = trainer.replies[-1].document
    assert document is not None and "toutes" not in document.filename
    sheet = openpyxl.load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Julie Petit"]

    await trainer.says("/exporter toutes")
    await trainer.says("csv")
    document = trainer.replies[-1].document
    assert document is not None and document.filename == "absences-toutes-les-formations.csv"
    text = document.content.decode("utf-8-sig")
    assert "Julie Petit" in text and "Thomas Fabre" in text
    async with db.sessions() as session:
        audited = (
            await session.scalars(select(AuditEntry).where(AuditEntry.entity == "organisation"))
        ).all()
    assert [(a.action, a.details) for a in audited] == [("export", {"what": "absences"})] * 2

    await bruno.says("/exporter")
    assert "Toutes les formations" not in bruno.buttons
    assert sorted(b.split(" (")[0] for b in bruno.buttons) == [
        "Cariste – Caen",
        "Projet professionnel",
    ]
    await bruno.says("toutes")
    assert "Toutes les formations" not in bruno.all_text
    await bruno.says("/annuler")
    await bruno.says("/exporter toutes")
    assert "Aucune formation ne correspond à « toutes »" in bruno.all_text
    await bruno.presses("Projet professionnel")
    await bruno.presses("Absences (Excel)")
    document = bruno.replies[-1].document
    assert document is not None
    sheet = openpyxl.load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Thomas Fabre"]


async def test_every_step_of_suivi_survives_bad_input(db: Database, trainer: Person) -> None:
    """/suivi's questions not walked elsewhere, which trainee of the formation and which of
    the people a typed name fits, re-ask on wrong, empty, huge or hostile input, move
    nowhere and note nothing (coverage AR)."""

    async def audited() -> int:
        async with db.sessions() as session:
            return len((await session.scalars(select(AuditEntry))).all())

    before = await audited()
    await trainer.says("/suivi")
    await trainer.presses("Agent de restauration")
    assert await step_of(db, trainer) == ("suivi", "trainee")
    await survives(db, trainer, FOR_CHOICES)
    assert await audited() == before
    await trainer.says("lea")
    assert "Suivi de Léa Martin" in trainer.last
    await trainer.presses("Terminé")

    await a_crowd(db, trainer.engine.clock().date())
    await trainer.says("/suivi Benali")
    assert await step_of(db, trainer) == ("suivi", "person")
    before = await audited()
    await survives(db, trainer, FOR_CHOICES)
    assert await audited() == before
    await trainer.presses("Karim Benali · Agent de restauration (démo)")
    assert "Suivi de Karim Benali" in trainer.last


LONG_NAME = "Jean-Baptiste Maximilien Alexandre de La Tour d'Harcourt-Beuvron de Saint-Aubin"


async def test_a_long_name_is_whole_in_the_chronologie_s_file_name(
    db: Database, trainer: Person
) -> None:
    """Explorer CF7: the chronologie of a long name was cut at about 50 characters
    (« chronologie-jean-baptiste-maximilien-alexandre-de-la.pdf ») where the compte rendu's
    was whole: one rule for both (:func:`bot.documents.bundle.person_slug`)."""
    await add_formation(db, title="Cuisine", trainees=(LONG_NAME,))
    await note_unjustified(trainer, "/absence harcourt vendredi dernier matin")
    await trainer.says("/suivi harcourt")
    await trainer.presses("Chronologie en PDF")
    document = trainer.replies[-1].document
    assert document is not None
    assert document.filename == (
        "chronologie-jean-baptiste-maximilien-alexandre-de-la-tour-d-harcourt-beuvron-"
        "de-saint-aubin.pdf"
    )


async def test_a_name_in_another_alphabet_is_romanized_in_the_chronologie_s_file_name(
    db: Database, trainer: Person
) -> None:
    """Explorer DC5: « Иван Петров »'s chronologie was « chronologie-stagiaire.pdf », nothing
    of his name; the compte rendu's the same (one rule, :func:`bot.documents.bundle.slug`)."""
    await add_formation(db, title="Cuisine", trainees=("Иван Петров",))
    await note_unjustified(trainer, "/absence Петров vendredi dernier matin")
    await trainer.says("/suivi Петров")
    await trainer.presses("Chronologie en PDF")
    document = trainer.replies[-1].document
    assert document is not None
    assert document.filename == "chronologie-ivan-petrov.pdf"


async def test_words_after_exporter_fitting_the_only_formation_nothing_are_said(
    db: Database, trainer: Person
) -> None:
    """Explorer DC7's neighbour: with one formation, « /exporter zorro » opened it, the words
    unsaid, where /formations, /bilan and /attestations say they fit nothing."""
    async with db.sessions() as session:
        projet = await session.scalar(select(Formation).where(Formation.title.like("Projet%")))
        assert projet is not None
        projet.deleted_at = datetime(2026, 11, 1, tzinfo=UTC)
        await session.commit()
    await trainer.says("/exporter zorro")
    assert trainer.all_text.startswith(
        "Aucune formation ne correspond à « zorro », ni aucun stagiaire : choisissez dans la liste."
    ), trainer.all_text
    await trainer.presses("Agent de restauration")
    assert "Que voulez-vous exporter" in trainer.last, trainer.last
    await trainer.says("/annuler")
    for typed in ("/exporter", "/exporter restauration"):  # alone or named: opened
        await trainer.says(typed)
        assert trainer.all_text.startswith("Que voulez-vous exporter"), trainer.all_text
        await trainer.says("/annuler")
