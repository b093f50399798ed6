"""How a moment is written in the access document."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.privacy.moments import when_said


def test_a_moment_to_the_second_and_none_for_none() -> None:
    assert when_said(datetime(2026, 12, 6, 9, 30, 15, 123, tzinfo=UTC)) == (
        "2026-12-06T09:30:15+00:00"
    )
    assert when_said(None) is None
