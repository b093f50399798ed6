"""A failure's log line names its type and place, never what its message quotes."""

from __future__ import annotations

import logging

import pytest

from bot.failures import log_failure


def test_the_message_of_an_error_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="bot.failures")
    try:
        raise ValueError("duplicate key: (full_name)=(Léa Martin) absente le 3 décembre")
    except ValueError as exc:
        log_failure("saving an absence", exc)
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    line = record.getMessage()
    assert line.startswith("saving an absence failed: ValueError at test_failures.py:")
    assert "Léa" not in line and "absente" not in line and "duplicate" not in line
