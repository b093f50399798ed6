"""Migration 0035: a bilan's invitation gets a UID of its own; those scheduled before keep theirs.

Upgrade to 0034, store a bilan as the schema then had it, upgrade to head: the old bilan
keeps « bilan-<id>@formabot » (the invitations already sent carry it: their updates must
still replace what the chargée de mission has), a new one gets a random UID.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import select

from bot.storage.base import UTCDateTime
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from tests.auxil.migrations import empty, old_formation, upgrade

__all__ = ["empty"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OLD_BILANS = sa.table(
    "bilans",
    *(sa.column(n) for n in ("organisation_id", "formation_id", "kind", "remote", "sequence")),
    *(sa.column(n, UTCDateTime()) for n in ("starts_at", "ends_at", "created_at")),
)
"""The columns the bilan of 0034 needs, without the model's (its new UID's default)."""


async def test_old_bilans_keep_their_uid_and_new_ones_get_their_own(empty: Database) -> None:
    await upgrade(empty, "0034_followup_sign_day")
    async with empty.sessions() as session, session.begin():
        old = await old_formation(session, at=NOW)
        start = NOW + timedelta(days=10)
        await session.execute(
            sa.insert(OLD_BILANS).values(
                organisation_id=old.organisation,
                formation_id=old.formation,
                kind="fin",
                remote=False,
                starts_at=start,
                ends_at=start,
                sequence=2,
                created_at=NOW,
            )
        )
    await upgrade(empty, "head")
    async with empty.sessions() as session, session.begin():
        [before] = (await session.scalars(select(Bilan))).all()
        assert before.ics_uid is None and before.calendar_uid == f"bilan-{before.id}@formabot"
        fresh = [
            Bilan(
                organisation_id=old.organisation,
                formation_id=old.formation,
                kind="fin",
                remote=False,
                starts_at=NOW,
                ends_at=NOW,
            )
            for _ in range(2)
        ]
        session.add_all(fresh)
        await session.flush()
        uids = {b.calendar_uid for b in fresh}
        assert len(uids) == 2 and all(u.startswith("bilan-") and len(u) == 47 for u in uids)
        assert f"bilan-{fresh[0].id}@formabot" not in uids
