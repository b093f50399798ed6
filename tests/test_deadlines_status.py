"""A deadline's status in words, and the date that follows a bilan d'étape's meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.deadlines.status import MEETING_DAY, at_the_meeting, status_label


@dataclass
class Row:
    status: str
    due_on: date = date(2027, 1, 2)
    postponed_to: date | None = None
    postpone_reason: str | None = None


def test_a_date_moved_earlier_is_avancee_later_reportee() -> None:
    assert status_label(Row("postponed", postponed_to=date(2026, 12, 20))) == "avancée"
    assert status_label(Row("postponed", postponed_to=date(2027, 1, 14))) == "reportée"
    assert status_label(Row("open")) == "à faire"


def test_only_a_date_moved_to_the_meeting_follows_it() -> None:
    moved = Row("postponed", postpone_reason=f"{MEETING_DAY}, jeudi 14 janvier 2027")
    assert at_the_meeting(moved)
    assert not at_the_meeting(Row("postponed", postpone_reason="salle indisponible"))
    assert not at_the_meeting(Row("done", postpone_reason=f"{MEETING_DAY}, …"))
