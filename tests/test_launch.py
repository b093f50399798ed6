"""A Ctrl-C while the ``formabot`` command loads its modules, a data folder it cannot write
to: a word in French, no traceback."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.auxil.readonly import read_only_folder

ROOT = Path(__file__).resolve().parent.parent

CTRL_C_WHILE_LOADING = """
import sys

class CtrlC:
    '''Raises what a Ctrl-C raises, where it lands on a first start: in the imports.'''

    def find_spec(self, name, path=None, target=None):
        if name == "bot.app":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, CtrlC())
from bot.launch import main
raise SystemExit(main())
"""


def test_a_ctrl_c_while_the_modules_load_says_interrupted_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_LOADING, "console"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert (done.returncode, done.stderr, done.stdout) == (130, "Interrompu.\n", "")


def test_without_a_ctrl_c_the_command_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0 and "console" in done.stdout


def formabot(
    data: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_"))
    }
    environment.pop("DATABASE_URL", None)
    environment["FORMABOT_DATA_DIR"] = str(data)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=data.parent if data.parent.is_dir() else ROOT,
        env=environment,
        timeout=60,
    )


def test_a_data_folder_under_a_file_is_said_with_the_folder(tmp_path: Path) -> None:
    (tmp_path / "fichier").write_text("pas un dossier")
    for args in (["migrate"], ["run"], ["console"]):
        done = formabot(tmp_path / "fichier" / "data", *args, stdin="/aide\n")
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith(f"formabot ne peut pas écrire dans {tmp_path}/fichier")
        assert "le chemin passe par un fichier" in done.stderr


def test_run_and_console_on_a_read_only_mount_say_so(tmp_path: Path) -> None:
    """Explorer R R9: `formabot run` on a read-only folder printed Python's traceback."""

    def a_demo(folder: Path) -> None:
        assert formabot(folder / "data", "demo").returncode == 0

    with read_only_folder(tmp_path / "monte", a_demo) as folder:
        for args in (["run"], ["console"], ["backup"]):
            done = formabot(folder / "data", *args, stdin="/aide\n")
            assert done.returncode == 1, done.stderr
            assert "Traceback" not in done.stderr
            reasons = ("lecture seule", "n'a pas le droit d'y écrire")  # root: a ro mount
            assert any(reason in done.stderr for reason in reasons), done.stderr
    shutil.rmtree(tmp_path / "monte", ignore_errors=True)


def test_a_database_url_that_cannot_serve_is_said_with_its_key(tmp_path: Path) -> None:
    """Explorer BC5: « postgresql:// », « sqlite:/// », a PostgreSQL down ended in a traceback."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # nothing listens there once closed
    cases = {
        "postgresql://moi:secret@127.0.0.1/base": "DATABASE_URL doit commencer par",
        "sqlite:///formabot.db": "DATABASE_URL doit commencer par",
        "n'importe quoi": "DATABASE_URL n'est pas une adresse de base lisible",
        f"postgresql+asyncpg://moi:secret@127.0.0.1:{port}/base": "ne répond pas",
    }
    for url, said in cases.items():
        done = formabot(tmp_path / "data", "migrate", DATABASE_URL=url)
        assert done.returncode == 1, done.stderr
        assert said in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert "secret" not in done.stderr


class Refusing(BaseHTTPRequestHandler):
    """A Bot API that refuses every token, as Telegram answers a wrong one."""

    def do_POST(self) -> None:
        body = b'{"ok":false,"error_code":401,"description":"Unauthorized"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *_: object) -> None:
        pass


def test_a_token_telegram_refuses_is_said_without_printing_it(tmp_path: Path) -> None:
    """Explorer BC6: a traceback ending « The token `123:wrong` was rejected »."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        done = formabot(
            tmp_path / "data",
            "run",
            TELEGRAM_TOKEN="123456:jeton-faux-secret",
            TELEGRAM_BASE_URL=f"http://127.0.0.1:{server.server_address[1]}/bot",
        )
    finally:
        server.shutdown()
    assert done.returncode == 1, done.stderr
    assert "Telegram refuse le jeton TELEGRAM_TOKEN" in done.stderr
    assert "jeton-faux-secret" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_a_piped_console_on_a_base_another_program_locks_says_so(tmp_path: Path) -> None:
    """Explorer BA2: nothing printed, nothing recorded, exit code 0."""
    data = tmp_path / "data"
    assert formabot(data, "demo").returncode == 0
    holder = sqlite3.connect(data / "formabot.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # an operator's « sqlite3 » with a write open
    try:
        done = formabot(data, "console", "--as", "formateur", stdin="/absence\nKarim Benali\n")
    finally:
        holder.close()
    assert done.returncode == 1, done.stderr
    assert "La base est occupée par un autre programme" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_base_restored_over_a_newer_one_is_said_not_a_traceback(tmp_path: Path) -> None:
    """Explorer GC1: the README's `pg_restore --clean` of a pre-upgrade dump over the
    upgraded base kept the dump's version beside the newer tables; `formabot migrate` then
    died on « column "address_form" … already exists » in a 100-line traceback."""
    data = tmp_path / "data"
    assert formabot(data, "migrate").returncode == 0
    base = sqlite3.connect(data / "formabot.db", isolation_level=None)
    base.execute("UPDATE alembic_version SET version_num = '0011_retention'")
    base.close()
    for args in (["migrate"], ["run"]):
        done = formabot(data, *args, stdin="/aide\n")
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith(
            "La base ne correspond pas à la version de formabot qu'elle enregistre "
            "(0011_retention) : "
        ), done.stderr
        assert done.stderr.count("\n") == 1


@pytest.mark.postgres
async def test_a_base_its_user_does_not_own_is_said_with_the_fix(
    tmp_path: Path, pg_server_url: str
) -> None:
    """Explorer GC8: the usual recipe (`CREATE DATABASE`, `GRANT ALL PRIVILEGES ON DATABASE`)
    on PostgreSQL 15 left `public` closed to the user: a 165-line traceback."""
    import asyncpg
    from sqlalchemy.engine import make_url

    server = make_url(pg_server_url)
    admin = await asyncpg.connect(
        f"postgresql://{server.username}@{server.host}:{server.port}/{server.database}"
    )
    suffix = uuid.uuid4().hex[:8]
    user, base = f"granted_{suffix}", f"grant_{suffix}"
    await admin.execute(f"CREATE ROLE {user} LOGIN PASSWORD 'secret'")
    await admin.execute(f"CREATE DATABASE {base}")
    await admin.execute(f"GRANT ALL PRIVILEGES ON DATABASE {base} TO {user}")
    try:
        url = f"postgresql+asyncpg://{user}:secret@{server.host}:{server.port}/{base}"
        done = await asyncio.to_thread(formabot, tmp_path / "data", "migrate", DATABASE_URL=url)
    finally:
        await admin.execute(f"DROP DATABASE {base} WITH (FORCE)")
        await admin.execute(f"DROP ROLE {user}")
        await admin.close()
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(
        f"L'utilisateur {user} de DATABASE_URL n'a pas le droit de créer ou de lire les "
        f"tables de la base {base} "
    ), done.stderr
    assert f"(ALTER DATABASE {base} OWNER TO {user};)" in done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr
