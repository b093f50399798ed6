"""Migration 0031: trainees erased before the erasure cleared the flag no longer represent anyone.

Upgrade to 0030, store a formation whose erased trainee still carries the
delegate flag (as erasures left it before), a delegate whose name only looks
like a pseudonym, and a real delegate; upgrade to head, then read the flags.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.storage.db import Database
from bot.storage.formations import ERASED_NAME, Trainee
from tests.auxil.migrations import empty, old_formation, old_trainee, upgrade

__all__ = ["empty"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_erased_trainees_lose_the_delegate_flag_and_no_one_else(empty: Database) -> None:
    await upgrade(empty, "0030_erased_invitations")
    async with empty.sessions() as session, session.begin():
        formation = (await old_formation(session, at=NOW)).formation
        ids = {
            key: await old_trainee(session, formation, name, at=NOW, delegate=True)
            for key, name in (("erased", "Léa Martin"), ("lookalike", "x"), ("delegate", "Hugo"))
        }
        # Erased as before: the pseudonym carries the row's own id, the flag stayed.
        await session.execute(
            update(Trainee)
            .where(Trainee.id == ids["erased"])
            .values(full_name=ERASED_NAME.format(id=ids["erased"]))
        )
        # Another row's pseudonym: not this row's, so not an erased row.
        await session.execute(
            update(Trainee)
            .where(Trainee.id == ids["lookalike"])
            .values(full_name=ERASED_NAME.format(id=ids["erased"] + 1000))
        )
    await upgrade(empty, "head")
    async with empty.sessions() as session:
        flags = dict((await session.execute(select(Trainee.id, Trainee.is_delegate))).all())
    assert flags == {ids["erased"]: False, ids["lookalike"]: True, ids["delegate"]: True}
