"""One view of a bilan for every message and document: names, times, participants."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.bilans.view import kind_label, view_of
from bot.storage.bilans import BilanParticipant
from bot.storage.db import Database
from tests.test_bilans_queries import bilan, formation_titled


@pytest.mark.usefixtures("demo")
async def test_a_bilan_seen_in_the_organisations_zone_with_its_people(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        restauration = await formation_titled(session, "Agent")
        row = bilan(restauration, datetime(2026, 12, 3, 13, 0, tzinfo=UTC), kind="etape")
        session.add(row)
        await session.flush()
        session.add_all(
            [
                BilanParticipant(bilan_id=row.id, kind="delegate", name="Léa Martin"),
                BilanParticipant(bilan_id=row.id, kind="partner", name="Sophie Leroy"),
            ]
        )
        await session.flush()
        view = await view_of(session, row.id)
        assert view is not None
        assert view.organisation_name == "Organisme de démonstration"
        assert view.trainer == "Camille Durand"
        assert (view.start.hour, view.end.hour) == (14, 16)  # Paris, in winter
        assert view.minutes == 120
        assert view.kind_label == "bilan d'étape"
        assert [p.name for p in view.delegates] == ["Léa Martin"]
        assert [p.name for p in view.partners] == ["Sophie Leroy"]
        assert view.file_stem == "bilan-2026-12-03-agent-de-restauration-demo"
        assert view.participant(view.partners[0].id) is view.partners[0]
        assert view.participant(999_999) is None
        assert await view_of(session, row) == view
        assert await view_of(session, 999_999) is None


def test_labels() -> None:
    assert kind_label("fin") == "bilan de fin de formation"
    assert kind_label("autre") == "bilan"
