"""The command a hint tells a person to type again, as formabot was started."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.invocation import command_on_this_base, typed_command


@pytest.mark.parametrize(
    ("started", "typed"),
    [
        (".venv/bin/formabot", ".venv/bin/formabot"),  # as `make run` starts it
        ("/opt/formabot/bin/formabot", "/opt/formabot/bin/formabot"),
        ("formabot", "formabot"),  # found on the PATH
        ("/src/bot/__main__.py", "formabot"),  # python -m bot
    ],
)
def test_the_command_is_the_path_it_was_started_by(
    monkeypatch: pytest.MonkeyPatch, started: str, typed: str
) -> None:
    """Explorer BE13: « formabot … » failed as typed after `make run` (no such command)."""
    monkeypatch.setattr(sys, "argv", [started, "console"])
    assert typed_command() == typed


@pytest.mark.parametrize(
    ("given", "env_file", "typed"),
    [
        (None, None, "formabot"),
        ("/tmp/essai", None, "FORMABOT_DATA_DIR=/tmp/essai formabot"),
        ("data-mon organisme", None, "FORMABOT_DATA_DIR='data-mon organisme' formabot"),
        ("data", None, "formabot"),  # what the command typed again reads anyway
        ("/srv/formabot", "FORMABOT_DATA_DIR=/srv/formabot\n", "formabot"),  # from .env
        (
            "/tmp/essai",
            "FORMABOT_DATA_DIR=/srv/formabot\n",
            "FORMABOT_DATA_DIR=/tmp/essai formabot",
        ),
        ("data", "FORMABOT_DATA_DIR=/srv/formabot\n", "FORMABOT_DATA_DIR=data formabot"),
    ],
)
def test_a_command_on_this_base_gives_the_data_folder_the_environment_gave(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    given: str | None,
    env_file: str | None,
    typed: str,
) -> None:
    """Explorer EB1: « Essayez : formabot console --as formateur » after
    `FORMABOT_DATA_DIR=/tmp/essai formabot demo` opened ./data, another base."""
    monkeypatch.setattr(sys, "argv", ["formabot", "demo"])
    monkeypatch.chdir(tmp_path)
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file)
    if given is None:
        monkeypatch.delenv("FORMABOT_DATA_DIR", raising=False)
    else:
        monkeypatch.setenv("FORMABOT_DATA_DIR", given)
    assert command_on_this_base() == typed
