"""A failure's log line names its type and place, never what its message quotes."""

from __future__ import annotations

import errno
import logging

import pytest
from sqlalchemy.exc import DBAPIError

from bot.failures import Refusals, Space, log_failure


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


def test_a_database_error_says_the_driver_s_class_and_sqlstate_not_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Explorer GC7: « DBAPIError at asyncpg.py:855 » said nothing of a PostgreSQL shut down."""

    class AdminShutdownError(Exception):
        sqlstate = "57P01"

    caplog.set_level(logging.ERROR, logger="bot.failures")
    said = AdminShutdownError("terminating connection, last query: Karim Benali malade")
    try:
        raise DBAPIError("SELECT …", {}, said)
    except DBAPIError as exc:
        log_failure("looking for inbox rows", exc)
    line = caplog.records[-1].getMessage()
    assert line.startswith(
        "looking for inbox rows failed: DBAPIError (AdminShutdownError, SQLSTATE 57P01) at "
    )
    assert "Karim" not in line and "terminating" not in line


def test_a_full_disk_is_said_once_then_said_back(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.failures")
    space = Space()
    full = OSError(errno.ENOSPC, "No space left on device: /srv/formabot/Léa Martin.pdf")
    assert not space.lacking(ValueError("autre chose")) and not space.full
    assert space.lacking(full) and space.lacking(full) and space.full
    space.written()
    space.written()
    assert not space.full
    assert [r.getMessage().split(";")[0] for r in caplog.records] == [
        "writing to the database failed: the disk is full (OSError)",
        "the database is written again (2 refused for want of space)",
    ]
    assert "Léa" not in caplog.text


def test_a_refusal_said_elsewhere_is_counted_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.failures")
    refusals = Refusals("recording telegram updates", 0.5, 15.0)
    refusals.refused(ConnectionRefusedError(), said=True)
    refusals.refused(ConnectionRefusedError())
    assert refusals.pause == 2.0
    refusals.answered()
    assert [r.getMessage() for r in caplog.records] == [
        "recording telegram updates: the database answers again (2 refused)"
    ]
