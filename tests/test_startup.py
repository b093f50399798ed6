"""Starting is cheap: the heavy libraries are imported by the turn that needs them.

Each check runs in a fresh interpreter (this one has imported everything
already) and reads its ``sys.modules``; nothing here is timed (the figures
are ``python -m bench.startup``'s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("fpdf", "fontTools", "pypdf", "icalendar", "telegram", "nio", "openpyxl")
"""Never needed to start nor to answer the first messages on the console."""

LATER = "dateparser"
"""Not needed to start; loaded by the background warm-up or the first relative date."""

REPORT = "import json, sys; print(json.dumps(sorted(m for m in {names} if m in sys.modules)))"


def python(code: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_"))}
    env.pop("DATABASE_URL", None)
    env.update(FORMABOT_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=data_dir,
        timeout=120,
        check=True,
    )


def loaded(output: str) -> list[str]:
    found: list[str] = json.loads(output.strip().splitlines()[-1])
    return found


def test_importing_the_bot_and_the_console_loads_no_heavy_library(tmp_path: Path) -> None:
    code = "import bot.app, bot.cli, bot.transports.console; " + REPORT.format(
        names=(*HEAVY, LATER, "cryptography", "alembic")
    )
    assert loaded(python(code, tmp_path).stdout) == []


def test_the_warm_up_loads_the_french_dates_data(tmp_path: Path) -> None:
    """What the first "dans 15 jours" would cost is paid by the warm-up, in the background."""
    code = "import asyncio, bot.app; asyncio.run(bot.app.warm_up(0)); " + REPORT.format(
        names=(LATER,)
    )
    assert loaded(python(code, tmp_path).stdout) == [LATER]


@pytest.mark.slow
def test_a_restarted_console_answers_without_loading_them(tmp_path: Path) -> None:
    """The first messages after a start (help, a relative date) need neither PDFs,
    calendars nor platforms, and a database already up to date needs no Alembic."""
    python("from bot import cli; cli.main(['demo'])", tmp_path)
    messages = "/aide\n/absence\n1\n1\ndans 15 jours\n/annuler\n"
    code = "from bot import cli; cli.main(['run']); " + REPORT.format(names=(*HEAVY, "alembic"))
    done = python(code, tmp_path, stdin=messages)
    assert "Voici ce que je sais faire" in done.stdout  # the reply to /aide
    assert "est à venir" in done.stdout  # "dans 15 jours" was read as a date
    assert loaded(done.stdout) == []


DIALOGUES = "bot.conversations."
"""Every dialogue module is under it; only the flow kit is needed to start."""


def dialogues_loaded(output: str) -> list[str]:
    return [m for m in loaded(output) if not m.startswith(f"{DIALOGUES}kit")]


REPORT_DIALOGUES = "import json, sys; print(json.dumps(sorted(m for m in sys.modules if m.startswith({prefix!r}))))"


def test_a_start_and_the_help_import_no_dialogue(tmp_path: Path) -> None:
    """/aide lists every command the admin may use from the manifests alone."""
    from bot.app import FEATURES

    python("from bot import cli; cli.main(['demo'])", tmp_path)
    code = "from bot import cli; cli.main(['run']); " + REPORT_DIALOGUES.format(prefix=DIALOGUES)
    done = python(code, tmp_path, stdin="/aide\n")
    assert "Voici ce que je sais faire" in done.stdout
    for name, command in FEATURES.commands.items():
        if command.role is not None:  # what members may do (the demo user is an admin)
            assert f"/{name} : {command.summary}" in done.stdout
    assert dialogues_loaded(done.stdout) == []


def test_a_dialogue_resumes_in_a_process_that_had_not_imported_it(tmp_path: Path) -> None:
    """A conversation left half-way before a restart goes on: its flow is loaded by the
    answer that needs it, not by the start."""
    python("from bot import cli; cli.main(['demo'])", tmp_path)
    first = python("from bot import cli; cli.main(['run'])", tmp_path, "/formation\nCuisine\n")
    assert "De quoi s'agit-il ?" in first.stdout
    code = (
        "import json, sys; from bot import cli; "
        f"before = sorted(m for m in sys.modules if m.startswith({DIALOGUES!r})); "
        "cli.main(['run']); print(json.dumps(before)); "
        + REPORT_DIALOGUES.format(prefix=f"{DIALOGUES}formations")
    )
    done = python(code, tmp_path, stdin="1\n")
    assert "Qui la finance ?" in done.stdout  # the answer to the question asked before
    before = json.loads(done.stdout.strip().splitlines()[-2])
    assert [m for m in before if not m.startswith(f"{DIALOGUES}kit")] == []
    assert f"{DIALOGUES}formations.create" in loaded(done.stdout)


def test_a_stranger_s_help_imports_no_dialogue(tmp_path: Path) -> None:
    """Before any organisation exists, /aide gets the first comer's answer (« envoyez
    /start »): it and the guides for people who are no members (a bilan's participant, the
    chargée de mission on Matrix) load no dialogue (they had made a start a third slower)."""
    code = "from bot import cli; cli.main(['console']); " + REPORT_DIALOGUES.format(
        prefix=DIALOGUES
    )
    done = python(code, tmp_path, stdin="/aide\n")
    assert "envoyez /start pour créer le vôtre" in done.stdout  # a first comer's answer
    assert dialogues_loaded(done.stdout) == []
