"""What a new absence collides with, called on a session: the same half-day, a second late
arrival, a late arrival beside a half-day's absence; and how a period reads."""

from __future__ import annotations

from datetime import date

import pytest

from bot.absences.clashes import conflict, late_beside, overlap, period_label
from bot.absences.log import Details, record_absence
from bot.storage.db import Database
from tests.test_absences_log import NOW, unjustified, world


async def test_conflicts_on_the_same_day(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        hugo = w.trainee("Hugo Moreau")
        day = date(2026, 11, 20)
        morning = await record_absence(
            session, w.formation, hugo, unjustified(day), by=w.camille.id, now=NOW
        )
        found = await conflict(session, hugo.id, day, "journee")
        assert found is not None
        assert (found.kind, found.period, found.by) == ("duplicate", "matin", "Camille Durand")
        assert await conflict(session, hugo.id, day, "apres_midi") is None
        assert await conflict(session, hugo.id, day, "matin", exclude=morning.absence.id) is None
        assert await conflict(session, hugo.id, date(2026, 11, 19), "matin") is None

        await record_absence(
            session,
            w.formation,
            hugo,
            Details(day, "retard", 10, False, None),
            by=w.camille.id,
            now=NOW,
        )
        late = await conflict(session, hugo.id, day, "retard")
        assert late is not None and (late.kind, late.period) == ("late_twice", "retard de 10 min")
        assert await conflict(session, hugo.id, day, "retard", late_twice_ok=True) is None


@pytest.mark.parametrize(
    ("first", "second", "collide"),
    [
        ("matin", "matin", True),
        ("matin", "apres_midi", False),
        ("journee", "apres_midi", True),
        ("retard", "retard", False),
        ("retard", "matin", False),
        ("retard", "journee", True),
    ],
)
def test_which_periods_overlap(first: str, second: str, collide: bool) -> None:
    assert overlap(first, second) is collide
    assert overlap(second, first) is collide


def test_periods_in_words() -> None:
    assert period_label("apres_midi", None) == "après-midi"
    assert period_label("journee", None) == "journée"
    assert period_label("retard", 20) == "retard de 20 min"
    assert period_label("retard", None) == "retard"
    assert period_label("retard", 20, "matin") == "retard de 20 min le matin"
    assert period_label("retard", None, "apres_midi") == "retard l'après-midi"
    assert period_label("matin", None, "apres_midi") == "matin"


async def test_late_arrivals_of_known_half_days(db: Database) -> None:
    """Explorer DG5: a late arrival's half-day, when said, tells two late arrivals apart, and
    a late arrival from a half-day's absence."""
    async with db.sessions() as session, session.begin():
        w = await world(session)
        hugo = w.trainee("Hugo Moreau")
        day = date(2026, 11, 20)
        late = Details(day, "retard", 20, False, None, late_half="apres_midi")
        await record_absence(session, w.formation, hugo, late, by=w.camille.id, now=NOW)
        assert await conflict(session, hugo.id, day, "retard", late_half="matin") is None
        again = await conflict(session, hugo.id, day, "retard", late_half="apres_midi")
        assert again is not None
        assert (again.kind, again.period) == ("duplicate", "retard de 20 min l'après-midi")
        unsaid = await conflict(session, hugo.id, day, "retard")
        assert unsaid is not None and unsaid.kind == "late_twice"
        assert await late_beside(session, hugo.id, day, "matin") is None
        beside = await late_beside(session, hugo.id, day, "apres_midi")
        assert beside is not None and beside.kind == "late_and_half"

        await record_absence(
            session, w.formation, hugo, unjustified(date(2026, 11, 19)), by=w.camille.id, now=NOW
        )
        assert (
            await late_beside(session, hugo.id, date(2026, 11, 19), "retard", "apres_midi") is None
        )
        said = await late_beside(session, hugo.id, date(2026, 11, 19), "retard", "matin")
        assert said is not None and said.kind == "late_and_half"
        unknown = await late_beside(session, hugo.id, date(2026, 11, 19), "retard")
        assert unknown is not None and unknown.kind == "late_and_half"
