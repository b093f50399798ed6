"""The trainee list sent as a file, in /formation and in /formations → « Ajouter des stagiaires ».

Real files (openpyxl's workbooks, CSV as the spreadsheets write them) sent
through the engine as a chat platform does, through the console's
``/fichier``, and (slow) through the Telegram emulator.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.engine import Engine
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.texts import plain
from bot.transports.console import Console
from bot.transports.telegram import TelegramTransport
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, step_of, survives
from tests.auxil.spreadsheets import (
    PDF,
    PNG,
    csv_file,
    letters,
    many,
    protected,
    xlsx,
    zip_bomb,
)
from tests.auxil.telegram_bot import trainer_bot
from tests.auxil.telegram_emulator import TelegramEmulator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UP_TO_TRAINEES = [
    ("say", "Agent de restauration"),
    ("press", "Une formation"),
    ("press", "Région Normandie"),
    ("press", "De date à date"),
    ("say", "du 1er décembre 2026 au 15 juin 2027"),
    ("press", "Oui"),
    ("press", "Oui"),
    ("press", "Longue"),
    ("press", "Passer"),
]
LIST = [
    ("Liste des stagiaires – Agent de restauration",),
    ("Nom", "Prénom", "Entreprise", "Courriel", "Portable", "Date d'entrée", "Délégué(e)"),
    ("Dupont", "Marie", "Boulangerie Martin", "marie@example.org", 612345678, None, "x"),
    ("Benali", "Karim", None, None, None, date(2026, 12, 14), None),
    ("Petit", "Julie", None, "julie@example.org", None, "31/02/2027", None),
]


async def at_trainees(trainer: Person) -> None:
    await trainer.says("/formation")
    for kind, value in UP_TO_TRAINEES:
        await (trainer.says(value) if kind == "say" else trainer.presses(value))
    assert "Collez la liste des stagiaires" in trainer.last
    assert "envoyez le fichier de la liste (CSV ou Excel" in trainer.last


async def stored(db: Database, title: str) -> dict[str, Trainee]:
    async with db.sessions() as session:
        formation = await session.scalar(
            select(Formation).where(Formation.title == title).order_by(Formation.id.desc())
        )
        assert formation is not None
        await session.refresh(formation, ["trainees"])
        return {t.full_name: t for t in formation.trainees}


async def test_a_large_group_is_counted_in_the_recap_with_its_delegates(trainer: Person) -> None:
    rows = [("Nom", "Prénom", "Délégué(e)")]
    rows += [(f"Stagiaire{letters(n)}", "Alex", "x" if n in (3, 17) else None) for n in range(40)]
    await at_trainees(trainer)
    await trainer.sends_file("groupe.csv", "text/csv", csv_file(rows))
    await trainer.presses("Importer")
    await trainer.presses("Terminé")
    assert (
        "Stagiaires : 40, importés de « groupe.csv » (dont 2 pour représenter les stagiaires)"
        in trainer.last
    )


async def test_a_workbook_sent_while_creating_is_previewed_then_saved_with_the_formation(
    db: Database, trainer: Person
) -> None:
    await at_trainees(trainer)
    await trainer.sends_file("stagiaires.xlsx", XLSX, xlsx(LIST))
    shown = trainer.all_text
    assert "Fichier « stagiaires.xlsx » : 3 lignes lues." in shown
    assert "2 stagiaires à ajouter, dont 1 pour représenter les stagiaires" in shown
    assert "· Karim Benali – entrée le lundi 14 décembre 2026" in shown
    assert "· ligne 5 : date d'entrée « 31/02/2027 » impossible" in shown
    assert trainer.last.startswith("Ajouter ces 2 stagiaires à la formation ?")
    assert trainer.buttons == ["Importer", "Ne pas importer"]
    assert await step_of(db, trainer) == ("formation", "import_confirm")
    await survives(db, trainer, FOR_CHOICES)

    await trainer.presses("Importer")
    assert "Qui sont les délégués" in trainer.last
    assert "☑ Marie Dupont" in trainer.buttons and "☐ Karim Benali" in trainer.buttons
    await trainer.presses("Terminé")
    assert (
        "Stagiaires : Marie Dupont (Boulangerie Martin, représente les stagiaires), "
        "Karim Benali (entrée le" in trainer.last
    )
    await trainer.presses("Enregistrer")
    assert "2 stagiaires" in trainer.last
    saved = await stored(db, "Agent de restauration")
    marie, karim = saved["Marie Dupont"], saved["Karim Benali"]
    assert (marie.email, marie.phone, marie.is_delegate, marie.company) == (
        "marie@example.org",
        "06 12 34 56 78",
        True,
        "Boulangerie Martin",
    )
    assert (marie.entered_on, karim.entered_on, karim.is_delegate) == (
        date(2026, 12, 1),
        date(2026, 12, 14),
        False,
    )


async def test_declining_asks_again_and_a_typed_list_then_forgets_the_files_ticks(
    db: Database, trainer: Person
) -> None:
    await at_trainees(trainer)
    await trainer.sends_file("liste.csv", "text/csv", csv_file(LIST[1:], encoding="cp1252"))
    await trainer.presses("Ne pas importer")
    assert "Rien n'est importé" in trainer.all_text
    assert await step_of(db, trainer) == ("formation", "trainees")
    await trainer.says("Léa Martin\nPaul Henry")
    assert "☐ Léa Martin" in trainer.buttons and "☐ Paul Henry" in trainer.buttons
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    assert set(await stored(db, "Agent de restauration")) == {"Léa Martin", "Paul Henry"}


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("liste.pdf", PDF, "C'est un PDF"),
        ("photo.png", PNG, "C'est une image"),
        ("liste.xlsx", b"\x00\x01 random bytes named .xlsx", "abîmé"),
        ("liste.xlsx", protected(), "protégé par un mot de passe"),
        ("liste.xlsx", zip_bomb(), "trop lourd une fois décompressé"),
        ("vide.csv", b"", "le fichier est vide"),
        ("sans-entete.csv", b"Dupont;Marie\r\n", "au moins une colonne « Nom »"),
        ("gros.csv", csv_file(many(10_000)), "10 000 lignes"),
        ("erreurs.csv", b"Nom;Date d'entree\r\nDupont;32/01/2027\r\n", "Aucun stagiaire"),
    ],
)
async def test_a_wrong_file_is_answered_and_the_question_stays(
    db: Database, trainer: Person, name: str, content: bytes, says: str
) -> None:
    await at_trainees(trainer)
    await trainer.sends_file(name, "application/octet-stream", content)
    assert says in trainer.all_text
    assert "CSV" in trainer.all_text
    assert await step_of(db, trainer) == ("formation", "trainees")
    assert trainer.buttons == ["Plus tard"]


async def test_the_trainees_step_survives_the_hostile_battery(
    db: Database, trainer: Person
) -> None:
    await at_trainees(trainer)
    await survives(db, trainer, FOR_NAMES)


async def test_a_list_added_to_an_existing_formation_skips_who_is_there(
    db: Database, trainer: Person, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    assert "ou envoyez le fichier de la liste (CSV ou Excel)" in trainer.last
    rows = [
        ("NOM", "PRENOM", "EMPLOYEUR", "E-MAIL"),
        ("Martin", "Léa", "", ""),  # in the demo already
        ("Roy", "Nadia", "Garage Roy", "nadia.roy@example.org"),
        ("Lemoine", "Hugo", "", ""),
    ]
    await trainer.sends_file("liste.csv", "text/csv", csv_file(rows, encoding="cp1252"))
    assert "Déjà dans la formation (ligne non reprise) : Léa Martin (ligne 2)" in (  # AI17
        trainer.all_text
    )
    await trainer.presses("Importer")
    assert (
        "2 stagiaires importés dans « Agent de restauration (démo) » depuis « liste.csv »"
        in trainer.all_text
    )
    assert "Que voulez-vous faire" in trainer.last  # back to the formation's menu
    saved = await stored(db, "Agent de restauration (démo)")
    assert saved["Nadia Roy"].company == "Garage Roy"
    assert saved["Nadia Roy"].email == "nadia.roy@example.org"
    assert "Hugo Lemoine" in saved
    for secret in ("Nadia", "Roy", "nadia.roy", "Lemoine", "Garage"):
        assert secret not in caplog.text


async def test_an_abandon_imported_in_the_chat_is_said_as_a_rupture(trainer: Person) -> None:
    """Explorer T T3: the exit for abandon of a file's line opened nothing and said nothing."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    rows = [
        ("Nom", "Prénom", "Date de sortie", "Motif de sortie"),
        ("Roux", "Sarah", "01/12/2026", "abandon"),
    ]
    await trainer.sends_file("sorties.csv", "text/csv", csv_file(rows))
    await trainer.presses("Importer")
    assert (
        "Sarah Roux a abandonné la formation le mardi 1er décembre 2026 : c'est une rupture de "
        "parcours" in trainer.all_text
    )
    assert "Ouvrez son suivi avec /decrochage Sarah Roux." in trainer.all_text


async def test_a_list_sent_to_the_formations_menu_goes_to_adding_trainees(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.sends_file("photo.png", "image/png", PNG)
    assert "C'est une image" in trainer.all_text
    assert await step_of(db, trainer) == ("formations", "action")
    await trainer.sends_file(
        "l.xlsx", XLSX, xlsx([("Stagiaire", "Entreprise"), ("Nadia Roy", "Garage Roy")])
    )
    assert "1 stagiaire à ajouter" in trainer.all_text
    assert trainer.last.startswith("Ajouter cette personne à la formation ?")  # AI17
    assert await step_of(db, trainer) == ("formation_add", "import_confirm")
    await trainer.presses("Importer")
    assert "1 stagiaire importé" in trainer.all_text
    assert trainer.last == "Que voulez-vous faire d'« Agent de restauration (démo) » ?"
    assert (await stored(db, "Agent de restauration (démo)"))["Nadia Roy"].company == "Garage Roy"
    # Declined from there: the question of « Ajouter des stagiaires », nothing added.
    await trainer.sends_file("l.csv", "text/csv", b"Nom\r\nHugo Lemoine\r\n")
    await trainer.presses("Ne pas importer")
    assert "Quels stagiaires ajouter" in trainer.last
    assert "Hugo Lemoine" not in await stored(db, "Agent de restauration (démo)")


async def test_the_console_sends_a_file_with_fichier(
    engine: Engine, trainer: Person, db: Database, tmp_path: Path
) -> None:
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    path = tmp_path / "liste.xlsx"
    path.write_bytes(xlsx([("Nom et prénom",), ("Nadia Roy",)]))
    console = Console(engine, name="formateur", documents=tmp_path / "documents")
    replies = await engine.handle(console.incoming(f"/fichier {path}"))
    assert "1 stagiaire à ajouter" in "\n".join(plain(r.text) for r in replies)
    replies = await engine.handle(console.incoming("1"))  # « Importer », by its number
    assert "1 stagiaire importé" in "\n".join(plain(r.text) for r in replies)
    assert "Nadia Roy" in await stored(db, "Agent de restauration (démo)")


# --- through the Telegram emulator --------------------------------------------------

TOKEN = "987654:FORMABOT-imports"
TRAINER_ID = 601


@pytest.fixture
async def telegram(
    emulator: TelegramEmulator, db: Database, settings: Settings, clock: Clock, demo: None
) -> AsyncIterator[TelegramTransport]:
    async with trainer_bot(
        emulator, db, settings, clock, token=TOKEN, user_id=TRAINER_ID
    ) as transport:
        yield transport


@pytest.mark.slow
async def test_a_workbook_sent_as_a_telegram_document_is_imported(
    emulator: TelegramEmulator, telegram: TelegramTransport, db: Database
) -> None:
    async with emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as camille:

        async def after(action: object, expect: str) -> str:
            before = max((m.message_id for m in await camille.bot_messages()), default=0)
            await action  # type: ignore[misc]
            found = await camille.wait_until(
                lambda ms: any(m.message_id > before and expect in m.body for m in ms),
                15,
                what=expect,
            )
            return "\n".join(m.body for m in found if m.message_id > before)

        await after(camille.send_command("/formations"), "Quelle formation")
        await after(camille.press_button("Agent de restauration (démo)"), "Que voulez-vous faire")
        await after(camille.press_button("Ajouter des stagiaires"), "Quels stagiaires ajouter")
        workbook = xlsx(
            [("Nom", "Prénom", "Délégué"), ("Roy", "Nadia", "oui"), ("Lemoine", "Hugo", "")]
        )
        preview = await after(camille.send_document(workbook, "stagiaires.xlsx"), "Ajouter ces")
        assert "2 stagiaires à ajouter, dont 1 pour représenter les stagiaires" in preview
        done = await after(camille.press_button("Importer"), "importés")
        assert "2 stagiaires importés" in done
    saved = await stored(db, "Agent de restauration (démo)")
    assert saved["Nadia Roy"].is_delegate and "Hugo Lemoine" in saved


async def test_an_entry_day_with_its_weekday_in_a_file_is_of_the_year_it_falls_on(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer AB1: in December, a file's « lundi 11 janvier » was « illisible » while the
    next line, 11/01/2027, was read; a weekday that fits no near year is said with the one
    the day falls on."""
    clock.now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    await trainer.says("/formations")
    await trainer.presses("Projet professionnel")
    await trainer.presses("Ajouter des stagiaires")
    rows = [
        ("Nom", "Date d'entrée"),
        ("Lina Costa", "lundi 11 janvier"),
        ("Pierre Noir", "11/01/2027"),
        ("Hugo Lemoine", "mardi 11 janvier"),
    ]
    await trainer.sends_file("liste.csv", "text/csv", csv_file(rows))
    assert (
        "ligne 4 : date d'entrée « mardi 11 janvier » : le 11 janvier 2027 tombe un lundi, "
        "vérifiez le jour ou ajoutez l'année" in trainer.all_text
    )
    assert "ligne 2" not in trainer.all_text
    await trainer.presses("Importer")
    saved = await stored(db, "Projet professionnel (démo)")
    assert saved["Lina Costa"].entered_on == date(2027, 1, 11)
    assert saved["Pierre Noir"].entered_on == date(2027, 1, 11)
    assert "Hugo Lemoine" not in saved


async def test_the_import_question_of_trainees_added_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """« Ajouter cette personne à la formation ? » after a file sent to an existing formation
    re-asks on wrong, empty, huge or hostile input and imports no one (coverage BC)."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    before = set(await stored(db, "Agent de restauration (démo)"))
    await trainer.sends_file(
        "l.xlsx", XLSX, xlsx([("Stagiaire", "Entreprise"), ("Nadia Roy", "Garage Roy")])
    )
    assert await step_of(db, trainer) == ("formation_add", "import_confirm"), trainer.last
    await survives(db, trainer, FOR_CHOICES)
    assert trainer.buttons == ["Importer", "Ne pas importer"]
    assert set(await stored(db, "Agent de restauration (démo)")) == before
    await trainer.presses("Importer")
    assert set(await stored(db, "Agent de restauration (démo)")) == before | {"Nadia Roy"}
