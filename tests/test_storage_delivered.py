"""Events marked delivered many at once, on SQLite and PostgreSQL: what is kept of their
replies, and events already marked or never recorded left as they are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.privacy.replies import delivered_copy
from bot.storage import delivered
from bot.storage.base import utcnow
from bot.storage.db import Database
from bot.storage.state import ProcessedEvent
from tests.auxil.statements import counting, generic_plan, unanalyzed_events

DOCUMENT = {"filename": "cr.pdf", "mime_type": "application/pdf", "caption": "Le CR"}


async def test_many_events_are_marked_in_one_read_and_one_write(store: Database) -> None:
    earlier = utcnow() - timedelta(hours=1)
    async with store.sessions() as session, session.begin():
        for n in range(5):
            session.add(
                ProcessedEvent(
                    platform="telegram",
                    event_id=f"e{n}",
                    replies=[{"text": f"bonjour {n}"}, {"text": "", "document": DOCUMENT}],
                )
            )
        session.add(
            ProcessedEvent(
                platform="telegram",
                event_id="old",
                replies=[{"text": "", "document": DOCUMENT}],
                delivered_at=earlier,
            )
        )
    now = utcnow()
    wanted = [("telegram", f"e{n}") for n in range(5)] + [("telegram", "old"), ("matrix", "e0")]
    with counting(store) as sent:
        async with store.transaction() as connection:
            marked = await delivered.mark(connection, wanted, delivered_copy, now)
    assert marked == 5  # "old" was marked before, ("matrix", "e0") never recorded
    assert len([s for s in sent if s.startswith(("SELECT", "UPDATE"))]) == 2
    async with store.sessions() as session:
        events = {e.event_id: e for e in await session.scalars(select(ProcessedEvent))}
    for n in range(5):
        event = events[f"e{n}"]
        assert event.delivered_at is not None
        # Sent: the document is not kept, its caption stands for it.
        assert event.replies == [{"text": f"bonjour {n}"}, {"text": "Le CR"}]
    assert events["old"].replies == [{"text": "", "document": DOCUMENT}]  # left as it was
    assert events["old"].delivered_at is not None
    assert abs((events["old"].delivered_at - earlier).total_seconds()) < 1


async def test_nothing_to_mark_sends_nothing(store: Database) -> None:
    with counting(store) as sent:
        async with store.transaction() as connection:
            assert await delivered.mark(connection, [], delivered_copy, utcnow()) == 0
    assert [s for s in sent if s.startswith(("SELECT", "UPDATE"))] == []


@pytest.mark.postgres
async def test_a_new_database_marks_an_event_through_its_key(pg_db: Database) -> None:
    """Issue 14: as the turn's look-up (``test_storage_turn_rows``), the mark planned once
    for any value on a table not analyzed yet goes through the primary key."""
    await unanalyzed_events(pg_db, 300)
    values = {"at_platform": "telegram", "at_event": "e7", "kept": [], "at": utcnow()}
    plan = await generic_plan(pg_db, delivered._DELIVERED, values)
    assert "pk_processed_events" in plan, plan
    assert "ix_processed_events" not in plan, plan
