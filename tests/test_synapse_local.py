"""``make matrix-local``: a homeserver to try formabot on, its accounts usable (explorer AJ1)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.auxil.synapse import ROOT, starting_the_bot

pytestmark = pytest.mark.slow  # starts a real Synapse


def login(url: str, user: str, password: str) -> int:
    body = {"type": "m.login.password", "user": user, "password": password}
    return httpx.post(f"{url}/_matrix/client/v3/login", json=body, timeout=10).status_code


def test_the_local_homeserver_gives_the_bot_and_two_people_accounts(tmp_path: Path) -> None:
    env = tmp_path / "matrix-local.env"
    # Started with SIGINT ignored, as a shell's background job is: Ctrl-C must still stop it.
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.auxil.synapse", "--env", str(env)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, ignored)
    try:
        assert process.stdout is not None
        said = []
        for line in process.stdout:
            said.append(line)
            if line.startswith("Ctrl-C"):
                break
        settings = dict(line.split("=", 1) for line in env.read_text().splitlines())
        url = settings["MATRIX_HOMESERVER"]
        assert settings["MATRIX_USER_ID"] == "@formabot:localhost"
        assert login(url, "formabot", settings["MATRIX_PASSWORD"]) == 200
        people = re.findall(r"(@\w+:localhost)  mot de passe : (\S+)", "".join(said))
        assert [who for who, _ in people] == ["@formatrice:localhost", "@chargee:localhost"]
        assert all(login(url, who, password) == 200 for who, password in people)
        folder = Path(re.findall(r"\(dossier (\S+)\)", "".join(said))[0])
        assert folder.is_dir()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(60) == 0
        except subprocess.TimeoutExpired:
            process.terminate()  # its server stopped all the same, the failure said
            raise
    assert not folder.exists()  # stopped and removed


def test_the_bot_is_started_as_the_readme_says_on_a_base_of_its_own() -> None:
    """Explorer EB2: it said « dans .env, puis `.venv/bin/formabot run` », which after
    `make run` put Matrix on the demo's base (a newcomer's /start: ask for an invitation)."""
    lines = ["MATRIX_HOMESERVER=http://127.0.0.1:8008", "MATRIX_USER_ID=@formabot:localhost"]
    said = starting_the_bot(Path("matrix-local.env"), lines)
    assert said[1:3] == [
        "  set -a; . ./matrix-local.env; set +a",
        "  FORMABOT_DATA_DIR=data-matrix .venv/bin/formabot run",
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(line.strip().split("  #")[0] in readme for line in said[1:3])
    assert said[-2:] == [f"  {line}" for line in lines]
