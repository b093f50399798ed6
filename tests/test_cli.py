"""The command line as a newcomer uses it: help, a piped dialogue, exports, the demo.

Commands that read no standard input run in process (``bot.cli.main``); a real
``python -m bot`` process is kept where the pipe is the point (marked slow).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from bot import cli
from bot.app import FEATURES
from bot.cli_parser import build_parser
from bot.config import Settings
from bot.demo import DEMO_USER
from bot.storage.db import Database
from bot.storage.people import ChatIdentity, Organisation, Person
from tests.auxil.command import Done
from tests.auxil.terminal import CTRL_D, in_a_terminal

FORMABOT = [sys.executable, "-m", "bot"]


def run(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_"))}
    env.pop("DATABASE_URL", None)
    env["FORMABOT_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [*FORMABOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )


def test_help_lists_every_command(formabot: Callable[[list[str]], Done]) -> None:
    result = formabot(["--help"])
    assert result.returncode == 0
    for command in ("run", "console", "demo", "migrate", "export"):
        assert command in result.stdout
    for command in ("run", "console", "demo", "migrate", "export"):
        sub = formabot([command, "--help"])
        assert sub.returncode == 0 and "utilisation : formabot" in sub.stdout
        assert "afficher cette aide et quitter" in sub.stdout and "usage" not in sub.stdout


def test_every_help_names_what_is_typed_in_french_and_says_it(
    formabot: Callable[[list[str]], Done],
) -> None:
    """Explorer EB5: `formabot export --help` showed « --out OUT », « --bilan BILAN »; the
    file of `verifier`, `backup` and `restore` had no line saying what it is."""
    export = formabot(["export", "--help"]).stdout
    assert "[--organisation ID] [--formation ID]" in export and "[--out FICHIER]" in export
    assert not re.search(r"\b(OUT|ORGANISATION|FORMATION|BILAN)\b", export)
    for command, typed in (
        ("verifier", "FICHIER.zip"),
        ("backup", "FICHIER"),
        ("restore", "FICHIER"),
    ):
        arguments = formabot([command, "--help"]).stdout.split("arguments:\n")[1]
        first = arguments.splitlines()[0].split()
        assert first[0] == typed and len(first) > 1  # its help on the same line


def test_the_command_line_s_hints_are_typed_as_formabot_was_started(
    formabot: Callable[[list[str]], Done], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer EB6 (BE13's kind): after `make run` only .venv/bin/formabot exists, and the data
    folder came from the environment: « la liste : formabot export formations » failed as typed,
    or listed another base's formations."""
    monkeypatch.setattr(sys, "argv", [".venv/bin/formabot", "export"])
    typed = f"FORMABOT_DATA_DIR={tmp_path} .venv/bin/formabot"
    assert formabot(["demo"]).returncode == 0
    unknown = formabot(["export", "formations", "--formation", "999"])
    assert unknown.stderr.strip() == (
        f"Formation 999 introuvable. La liste des formations : {typed} export formations."
    )
    bundle = formabot(["export", "qualiopi", "--out", str(tmp_path / "q.zip")])
    assert bundle.stderr.strip() == (
        f"Précisez la formation : --formation ID (la liste : {typed} export formations)."
    )
    nothing = formabot(["verifier"])
    assert nothing.stderr.strip() == (
        "Précisez le dossier à vérifier : .venv/bin/formabot verifier FICHIER.zip"
    )


def test_demo_s_oui_alone_is_refused_and_fills_nothing(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer EB11: `formabot demo --oui` (meant as « retirer sans demander ») filled the base
    with the demo, the « oui » read as nothing."""
    done = formabot(["demo", "--oui"])
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "utilisation : formabot demo [-h] [--retirer] [--oui]",
        "formabot demo : erreur : --oui ne sert qu'avec --retirer (formabot demo --retirer --oui)",
    ]
    assert list(tmp_path.iterdir()) == []


def test_argparse_refusals_are_in_french(formabot: Callable[[list[str]], Done]) -> None:
    """Explorer J: « invalid int value: 'abc' », « positional arguments » were English."""
    wrong = formabot(["import", "stagiaires", "--formation", "abc", "liste.csv"])
    assert wrong.returncode == 2
    assert "erreur : argument --formation : valeur invalide (nombre attendu) : 'abc'" in (
        wrong.stderr
    )
    unknown = formabot(["exporte"])
    assert "choix inconnu : 'exporte'" in unknown.stderr and "invalid" not in unknown.stderr
    assert "arguments:" in formabot(["import", "--help"]).stdout


PIPED = """/start
Forma Plus
1
Claire Martin
1
/formation
Agent de restauration
Une formation
Région Normandie
De date à date
du 1er décembre 2026 au 15 juin 2027
oui
non
courte
Passer
Marie Dupont ; Boulangerie Martin \\
Karim Benali \\
Julie Petit
1
Terminé
Enregistrer
"""


@pytest.mark.slow
def test_a_piped_dialogue_creates_an_organisation_and_a_formation(tmp_path: Path) -> None:
    first = run(["console", "--as", "claire"], tmp_path, PIPED)
    assert first.returncode == 0, first.stderr
    assert "C'est enregistré : Agent de restauration" in first.stdout
    assert "3 stagiaires" in first.stdout
    assert "Traceback" not in first.stderr

    export = run(["export", "stagiaires"], tmp_path)
    assert export.returncode == 0, export.stderr
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert [(r["nom"], r["entreprise"], r["représente les stagiaires"]) for r in rows] == [
        ("Karim Benali", "", "non"),  # by surname
        ("Marie Dupont", "Boulangerie Martin", "oui"),
        ("Julie Petit", "", "non"),
    ]
    assert {r["formation"] for r in rows} == {"Agent de restauration"}


def test_demo_then_exports_in_csv_and_json(formabot: Callable[[list[str]], Done]) -> None:
    assert formabot(["demo"]).returncode == 0
    again = formabot(["demo"])
    assert again.returncode == 1 and "déjà" in again.stdout
    formations = list(csv.DictReader(io.StringIO(formabot(["export", "formations"]).stdout)))
    assert {f["financeur"] for f in formations} == {
        "Région Normandie",
        "Région Centre-Val de Loire",
    }
    assert sum(int(f["stagiaires"]) for f in formations) == 7
    as_json = json.loads(formabot(["export", "stagiaires", "--format", "json"]).stdout)
    assert len(as_json) == 7 and {"nom", "représente les stagiaires"} <= set(as_json[0])
    unknown = formabot(["export", "nimportequoi"])
    assert unknown.returncode == 2 and "Exportation inconnue" in unknown.stderr

    # « --formation » names the formation exported (explorer BC19: every one was).
    second = max(int(f["identifiant"]) for f in formations)
    for what in ("stagiaires", "formations"):
        done = formabot(["export", what, "--formation", str(second), "--format", "json"])
        key = "identifiant de la formation" if what == "stagiaires" else "identifiant"
        assert {row[key] for row in json.loads(done.stdout)} == {second}, what
    missing = formabot(["export", "stagiaires", "--formation", "999"])
    assert missing.returncode == 1 and "Formation 999 introuvable" in missing.stderr


@pytest.mark.parametrize(
    ("started", "typed"),
    [
        (".venv/bin/formabot", ".venv/bin/formabot"),  # as `make run` starts it
        ("/opt/formabot/bin/formabot", "/opt/formabot/bin/formabot"),
        ("formabot", "formabot"),  # found on the PATH
        ("/src/bot/__main__.py", "formabot"),
    ],
)
async def test_the_demo_s_hint_is_typed_as_formabot_was_started(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    started: str,
    typed: str,
) -> None:
    """Explorer BE13: after `make run`, « Essayez : formabot console … » failed as typed,
    « formabot: command not found » (only .venv/bin/formabot exists)."""
    monkeypatch.setattr(sys, "argv", [started, "demo"])
    assert await cli.cmd_demo(settings) == 0
    assert f"Essayez : {typed} console --as formateur" in capsys.readouterr().out


def test_the_demo_s_hint_gives_the_data_folder_it_was_given(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer EB1: after `FORMABOT_DATA_DIR=/tmp/essai formabot demo`, « Essayez : formabot
    console --as formateur » typed as printed opened ./data, an empty base."""
    done = formabot(["demo"])
    assert done.returncode == 0
    assert done.stdout.strip().endswith(
        f"Essayez : FORMABOT_DATA_DIR={tmp_path} formabot console --as formateur"
    )


@pytest.mark.slow
def test_run_on_an_empty_base_opens_the_console_on_the_demo(tmp_path: Path) -> None:
    """What the README promises of ``make run`` without a token, piped as a tester does."""
    first = run(["run"], tmp_path, "/formations\n")
    assert first.returncode == 0, first.stderr
    assert "Organisme de démonstration chargé : vous êtes Camille Durand" in first.stdout
    assert "Agent de restauration" in first.stdout  # her formations, at once
    again = run(["run"], tmp_path, "Karim absent hier matin\n")
    assert "démonstration chargé" not in again.stdout  # loaded once
    assert "Noter l'absence de Karim Benali, hier matin (" in again.stdout
    # What the line says to do for one's own organisation: a named console on a base of
    # its own is given no demo, and /start creates the organisation there.
    assert "FORMABOT_DATA_DIR=data-mon-organisme formabot console --as VOTRE_NOM" in first.stdout
    own = run(["console", "--as", "nora"], tmp_path / "mon-organisme", "/start\nMon OF\n")
    assert "démonstration" not in own.stdout and "fuseau horaire" in own.stdout


@pytest.mark.slow
async def test_at_the_keyboard_the_demo_is_offered_and_enter_takes_it(tmp_path: Path) -> None:
    offer = "Charger l'organisme de démonstration ? [O/n]"
    taken = await in_a_terminal(["run"], tmp_path / "oui", [(offer, b"\n"), ("vous> ", CTRL_D)])
    assert "vous êtes Camille Durand" in taken.shown and taken.code == 0
    # Ctrl-D at the prompt: a farewell on its own line, not the shell's prompt glued to
    # « vous> » (explorer BC1); the base said as its file (BC2).
    assert taken.shown.endswith("vous> \nAu revoir !\n")
    assert f"console sur {tmp_path}/oui/formabot.db" in taken.shown
    # The way out said once, and Camille not called by the console's account (explorer QB14).
    assert taken.shown.count("/quitter ou Ctrl-D pour quitter") == 1
    assert "console de formateur" not in taken.shown
    declined = await in_a_terminal(
        ["run"], tmp_path / "non", [(offer, b"n\n"), ("vous> ", b"/aide\n"), ("vous> ", CTRL_D)]
    )
    assert "Camille Durand" not in declined.shown and "envoyez /start" in declined.shown
    # Explorer AB4: neither yes nor no is asked again, not a silent « non »; « non » says
    # what to send next.
    again = "Répondez « o » (oui) pour charger la démonstration ou « n » (non). [O/n]"
    unsure = await in_a_terminal(
        ["run"],
        tmp_path / "bof",
        [(offer, b"bof\n"), (again, b"/formation\n"), (again, b"non\n"), ("vous> ", CTRL_D)],
    )
    assert unsure.shown.count(again) == 2 and "Camille Durand" not in unsure.shown
    assert "La base reste vide : envoyez /start pour créer votre organisme, que vous" in (
        unsure.shown
    )
    # Leaving at the question: Ctrl-D says goodbye, Ctrl-C stops at once; no traceback.
    left = await in_a_terminal(["run"], tmp_path / "partie", [(offer, CTRL_D)])
    assert left.shown.endswith("Au revoir !\n") and (left.code, left.errors) == (0, "")
    stopped = await in_a_terminal(["run"], tmp_path / "arret", [(offer, signal.SIGINT)])
    assert (stopped.code, stopped.errors) == (130, "Interrompu.\n")


async def test_a_demo_filled_by_another_process_in_the_same_instant_is_left_whole(
    store: Database, settings: Settings
) -> None:
    """Two `make run` on one empty base both see it empty; the fill that comes second meets
    the first one's rows (here its trainer's console identity, committed between the look
    and the fill) and gives up cleanly, where it ended in a traceback."""
    async with store.sessions() as session, session.begin():
        camille = Person(display_name="Camille Durand")
        session.add(camille)
        await session.flush()
        session.add(
            ChatIdentity(
                person_id=camille.id, platform="console", user_id=DEMO_USER, chat_id=DEMO_USER
            )
        )
    assert not await cli.fill_demo(store, settings)
    async with store.sessions() as session:  # nothing of the second fill is left
        assert await session.scalar(select(func.count(Organisation.id))) == 0
        assert await session.scalar(select(func.count(Person.id))) == 1


@pytest.mark.slow
def test_the_demo_user_talks_as_the_demo_trainer(tmp_path: Path) -> None:
    run(["demo"], tmp_path)
    result = run(["console"], tmp_path, "/formations\n1\nVoir le détail\n")
    assert "Léa Martin" in result.stdout
    assert "Léa" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("line", ["", "😀", "<b>x</b>", "x" * 10_000, "/formation\n/annuler"])
def test_odd_lines_in_a_pipe_get_an_answer(tmp_path: Path, line: str) -> None:
    run(["demo"], tmp_path)
    result = run(["console"], tmp_path, line + "\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stdout.strip()


def test_the_console_start_line_never_prints_the_database_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORMABOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://bob:s3cret-pw@127.0.0.1:9/formabot")
    for key in ("TELEGRAM_TOKEN", "MATRIX_HOMESERVER", "MATRIX_USER_ID"):
        monkeypatch.setenv(key, "")
    monkeypatch.setattr(cli, "first_line_read", lambda: io.StringIO("/quitter\n"))  # a pipe
    try:
        cli.main(["run"])  # no server listens there: what matters is the line before
    except (OSError, SystemExit):
        pass
    out = capsys.readouterr()
    assert "console sur postgresql+asyncpg://bob:***@127.0.0.1:9/formabot" in out.out
    assert "s3cret-pw" not in out.out + out.err


def test_settings_keep_secrets_out_of_their_repr() -> None:
    settings = Settings(
        database_url="postgresql+asyncpg://bob:s3cret-pw@h/db",
        telegram_token="123:AAsecret",
        telegram_webhook_secret="hooksecret",
        smtp_password="smtpsecret",
        matrix_password="mxsecret",
        matrix_access_token="mxtoken",
        matrix_pickle_key="picklekey",
    )
    shown = repr(settings)
    for secret in (
        "s3cret-pw",
        "AAsecret",
        "hooksecret",
        "smtpsecret",
        "mxsecret",
        "mxtoken",
        "picklekey",
    ):
        assert secret not in shown
    assert settings.shown_database_url == "postgresql+asyncpg://bob:***@h/db"


def test_every_table_exports_to_excel_forms(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """``--format xlsx`` and ``--format csv-excel`` on every table the features declare."""
    assert formabot(["demo"]).returncode == 0
    assert set(FEATURES.tables) >= {"formations", "stagiaires", "absences", "echeances", "audit"}
    for name, table in FEATURES.tables.items():
        workbook = tmp_path / f"{name}.xlsx"
        done = formabot(["export", name, "--format", "xlsx", "--out", str(workbook)])
        assert done.returncode == 0, done.stderr
        assert "Écrit" in done.stderr
        sheet = openpyxl.load_workbook(workbook).active
        assert sheet is not None and sheet.title == table.title and table.title
        assert [c.value for c in sheet[1]] == list(table.columns)
        assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width
        excel = formabot(["export", name, "--format", "csv-excel"])
        assert excel.returncode == 0 and excel.stdout.startswith("\ufeff")
        header = next(csv.reader(io.StringIO(excel.stdout.lstrip("\ufeff")), delimiter=";"))
        assert header == list(table.columns)
        # One style in every file: lower-case French words, never « type_action » nor « (e) ».
        odd = [h for h in header if h != h.lower() or "_" in h or "(" in h or h != h.strip()]
        assert not odd, (name, odd)
    # The demo's deadlines: dates are dates in the workbook, French in the CSV for Excel.
    sheet = openpyxl.load_workbook(tmp_path / "echeances.xlsx").active
    assert sheet is not None and sheet.max_row > 1
    due = sheet.cell(row=2, column=list(FEATURES.tables["echeances"].columns).index("échéance") + 1)
    assert due.is_date and due.number_format == "dd/mm/yyyy"
    rows = list(
        csv.DictReader(
            io.StringIO(formabot(["export", "echeances", "--format", "csv-excel"]).stdout[1:]),
            delimiter=";",
        )
    )
    assert rows[0]["échéance"] == due.value.strftime("%d/%m/%Y")


def test_an_export_format_that_does_not_exist_is_refused(
    formabot: Callable[[list[str]], Done],
) -> None:
    done = formabot(["export", "absences", "--format", "xls"])
    assert done.returncode == 2 and "csv-excel" in done.stderr and "xlsx" in done.stderr


def test_an_export_to_a_folder_that_does_not_exist_is_said(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer J: a Python traceback, in English."""
    target = tmp_path / "absent" / "f.csv"
    done = formabot(["export", "formations", "--out", str(target)])
    assert done.returncode == 2
    assert f"Je ne peux pas écrire {target} : le dossier {target.parent} n'existe pas." in (
        done.stderr
    )
    assert "Traceback" not in done.stderr


def test_a_workbook_is_not_printed_on_a_terminal(
    formabot: Callable[[list[str]], Done], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert formabot(["demo"]).returncode == 0
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    done = formabot(["export", "formations", "--format", "xlsx"])
    assert done.returncode == 2 and "--out FICHIER.xlsx" in done.stderr and done.stdout == ""
    done = formabot(["export", "formations", "--format", "xlsx", "--out", str(tmp_path / "f.xlsx")])
    assert done.returncode == 0 and openpyxl.load_workbook(tmp_path / "f.xlsx").active


@pytest.mark.parametrize("given", ["/dev/null", "an empty pipe", "an empty file", "blank lines"])
def test_a_service_started_without_its_token_fills_nothing(tmp_path: Path, given: str) -> None:
    """Explorers J and L: Docker, systemd or cron (no terminal, standard input /dev/null,
    an empty pipe or file) without TELEGRAM_TOKEN filled the production base with the
    demo, then turned everyone away."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_"))}
    env.pop("DATABASE_URL", None)
    env["FORMABOT_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    (tmp_path / "empty").write_bytes(b"")
    with (tmp_path / "empty").open("rb") as empty:
        stdin: dict[str, Any] = {
            "/dev/null": {"stdin": subprocess.DEVNULL},
            "an empty pipe": {"input": ""},
            "blank lines": {"input": "\n \n\x00\n"},  # nothing said either (explorer M)
            "an empty file": {"stdin": empty},
        }[given]
        started = subprocess.run(
            [*FORMABOT, "run"],
            **stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
            cwd=tmp_path,  # as a unit without WorkingDirectory= starts it
        )
    assert started.returncode == 2
    assert "pas de terminal pour la console : renseignez TELEGRAM_TOKEN" in started.stderr
    # Explorer GC14: the .env filled in elsewhere, « renseignez … dans .env » read alone.
    assert f"(Aucun fichier .env dans {tmp_path}, le dossier courant" in started.stderr
    assert "démonstration" not in started.stdout
    assert not (tmp_path / "data").exists()


def test_removing_the_demo_where_no_base_is_creates_none(tmp_path: Path) -> None:
    """Explorer L: a mistyped data folder was created, with an empty base, while the
    command said that nothing was removed."""
    for asked in ([], ["--oui"]):  # said before any question (explorer M)
        removed = run(["demo", "--retirer", *asked], tmp_path / "mal-tape", "o\n")
        assert removed.returncode == 1
        assert removed.stdout.startswith(
            "Il n'y a pas d'organisme de démonstration dans cette base"
        )
        assert not (tmp_path / "mal-tape").exists()


def test_an_unknown_option_shows_its_own_command_s_usage(tmp_path: Path) -> None:
    """Explorer L: ``demo --bogus`` showed the usage of ``formabot`` itself."""
    refused = run(["demo", "--bogus"], tmp_path)
    assert refused.returncode == 2
    assert "utilisation : formabot demo [-h] [--retirer] [--oui]" in refused.stderr
    assert "formabot demo : erreur : arguments inconnus : --bogus" in refused.stderr
    assert not (tmp_path / "formabot.db").exists()
    # Explorer AM10: a value given to an option that takes none was said in English.
    valued = run(["demo", "--retirer=x"], tmp_path)
    assert valued.returncode == 2
    assert (
        "formabot demo : erreur : argument --retirer : cette option ne prend pas de valeur "
        "(reçu 'x')" in valued.stderr
    )


def test_the_members_export_resolves_the_journal_s_numbers(
    formabot: Callable[[list[str]], Done],
) -> None:
    """Explorer J: the audit trail names people by number, and nothing said who they were."""
    assert formabot(["demo"]).returncode == 0
    done = formabot(["export", "membres"])
    assert done.returncode == 0
    header, row = list(csv.reader(io.StringIO(done.stdout)))[:2]
    assert header == ["identifiant", "nom", "rôle", "organisme", "membre depuis"]
    assert row[:4] == [
        "1",
        "Camille Durand",
        "administratrice",
        "Organisme de démonstration",
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d\+0[12]:00", row[4])  # Paris, to the minute


@pytest.mark.parametrize("width", [50, 60, 70, 80, 90, 100, 120])
def test_help_never_starts_a_line_with_a_closing_sign(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer AM7: « … ouvre directement » then « ; --format xlsx » on the next line."""
    monkeypatch.setenv("COLUMNS", str(width))
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in {"formabot": parser, **commands.choices}.items():
        for line in command.format_help().splitlines():
            assert not line.lstrip().startswith((";", ":", "»", "?", "!")), (name, line)
            assert not line.rstrip().endswith("«"), (name, line)


def test_a_half_configured_channel_stops_what_serves_not_a_backup(
    formabot: Callable[[list[str]], Done], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer BC7, CB8: the start is stopped, naming the missing key; a nightly backup or
    an export, which no channel concerns, still goes."""
    assert formabot(["demo"]).returncode == 0
    monkeypatch.setenv("SMTP_HOST", "smtp.example.org")
    monkeypatch.delenv("SMTP_FROM", raising=False)
    assert formabot(["backup"]).returncode == 0
    assert formabot(["export", "formations"]).returncode == 0
    done = formabot(["run"])
    assert done.returncode == 1
    assert "SMTP_HOST est renseigné mais pas SMTP_FROM" in done.stderr


def test_the_console_beside_a_running_bot_leaves_its_metrics_port_alone(tmp_path: Path) -> None:
    """Explorer GC11: with FORMABOT_METRICS_PORT in .env, `formabot console` beside the
    production bot was refused, « le port … est déjà pris »."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_"))}
        env.pop("DATABASE_URL", None)
        env["FORMABOT_DATA_DIR"] = str(tmp_path / "data")
        env["FORMABOT_METRICS_PORT"] = str(taken.getsockname()[1])
        said = subprocess.run(
            [*FORMABOT, "console", "--as", "operateur"],
            input="/aide\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,
        )
    assert said.returncode == 0 and "déjà pris" not in said.stderr
    assert "/start" in said.stdout


def test_migrate_says_how_many_migrations_it_applied(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer GC6: « Base à jour. » after 27 migrations as after none: the operator could
    not tell whether the upgrade happened, nor from which version."""
    from alembic.script import ScriptDirectory

    from bot.storage.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    (head,) = script.get_heads()
    everything = len(list(script.walk_revisions()))
    since_0011 = len(list(script.iterate_revisions(head, "0011_retention")))
    assert formabot(["migrate"]).stdout == (
        f"Base créée et mise à jour : {everything} migrations appliquées ({head}).\n"
    )
    assert formabot(["migrate"]).stdout == f"Base déjà à jour ({head}).\n"

    async def at_0011() -> None:
        (tmp_path / "formabot.db").unlink()
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}")
        await database.migrate("0011_retention")
        await database.dispose()

    asyncio.run(at_0011())
    assert formabot(["migrate"]).stdout == (
        f"Base mise à jour de 0011_retention à {head} : {since_0011} migrations appliquées.\n"
    )
