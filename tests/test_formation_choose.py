"""How a formation is offered to choose: its title and its start day, both readable."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from bot.conversations.formations.choose import formation_option
from bot.messages import MAX_LABEL


def listed(title: str, start: date = date(2026, 11, 2)) -> Any:
    return SimpleNamespace(id=7, title=title, start_date=start)


def test_a_short_title_reads_as_before() -> None:
    option = formation_option(listed("Cariste"))
    assert (option.label, option.value) == ("Cariste (lundi 2 novembre 2026)", "7")


def test_two_sessions_of_a_long_title_keep_their_start_day() -> None:
    """Explorer M: « Formation 10 Agent polyvalent … – session… », the day cut away, so two
    sessions of one long title read the same."""
    title = "Agent polyvalent de restauration collective et de cuisine centrale – session"
    labels = [
        formation_option(listed(title, start)).label
        for start in (date(2026, 9, 7), date(2027, 1, 4))
    ]
    assert labels[0].endswith("(lundi 7 septembre 2026)")
    assert labels[1].endswith("(lundi 4 janvier 2027)")
    assert all(label.startswith("Agent polyvalent de") and "…" in label for label in labels)
    assert all(len(label) <= MAX_LABEL for label in labels)


def test_two_long_titles_that_differ_in_their_middle_read_apart() -> None:
    """Explorer N: cut in their middle, « … session d'hiver du groupe … » and « … session
    d'été du groupe … » read the same."""
    start = "Agent de restauration collective et commerciale – session d'"
    end = " du groupe de Caen centre-ville nord"
    winter, summer = (formation_option(listed(start + s + end)).label for s in ("hiver", "été"))
    assert winter != summer
    assert "session d'hiver" in winter and "session d'été" in summer
    assert winter.endswith("(lundi 2 novembre 2026)")
