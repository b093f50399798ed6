"""The demo organisation a newcomer loads: formations that look like real ones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot import demo
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import no_organisation


@pytest.mark.parametrize("today", [date(2026, 12, 2), date(2026, 11, 28), date(2027, 3, 1)])
async def test_formations_start_on_a_monday_and_end_on_a_friday(db: Database, today: date) -> None:
    """Whatever day it is loaded, no demo formation starts or ends on a weekend."""
    async with db.sessions() as session:
        await demo.fill(session, today=today)
        await session.commit()
        formations = (await session.scalars(select(Formation))).all()
    assert len(formations) == 2
    for formation in formations:
        assert formation.start_date is not None and formation.end_date is not None
        assert formation.start_date.isoweekday() == 1, formation.title
        assert formation.end_date.isoweekday() == 5, formation.title
        assert formation.start_date < today < formation.end_date


async def test_is_empty_until_filled(db: Database) -> None:
    async with db.sessions() as session:
        assert await no_organisation(session)
        await demo.fill(session, today=date(2026, 12, 2))
        assert not await no_organisation(session)
