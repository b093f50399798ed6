"""The command a hint tells a person to type again, as formabot was started."""

from __future__ import annotations

import sys

import pytest

from bot.invocation import typed_command


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
