"""Migration 0031: trainees erased before the erasure cleared the flag no longer represent anyone.

Upgrade to 0030, store a formation whose erased trainee still carries the
delegate flag (as erasures left it before), a delegate whose name only looks
like a pseudonym, and a real delegate; upgrade to head, then read the flags.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select, update

from bot.storage.db import Database
from bot.storage.formations import ERASED_NAME, Formation, Trainee
from bot.storage.people import Organisation, Person
from tests.test_absences_migration import empty, upgrade

__all__ = ["empty"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_erased_trainees_lose_the_delegate_flag_and_no_one_else(empty: Database) -> None:
    await upgrade(empty, "0030_erased_invitations")
    async with empty.sessions() as session, session.begin():
        org = await session.scalar(
            insert(Organisation)
            .values(name="OF", timezone="Europe/Paris", settings={}, created_at=NOW)
            .returning(Organisation.id)
        )
        owner = await session.scalar(
            insert(Person).values(display_name="Camille", created_at=NOW).returning(Person.id)
        )
        formation = await session.scalar(
            insert(Formation)
            .values(
                organisation_id=org,
                owner_id=owner,
                title="F",
                funder="autre",
                mode="dates",
                kind="formation",
                start_date=date(2026, 9, 1),
                end_date=date(2027, 3, 1),
                certifying=False,
                long=False,
                remote_coaching=False,
                created_at=NOW,
            )
            .returning(Formation.id)
        )
        ids = {}
        for key, name in (("erased", "Léa Martin"), ("lookalike", "x"), ("delegate", "Hugo")):
            ids[key] = await session.scalar(
                insert(Trainee)
                .values(
                    formation_id=formation,
                    full_name=name,
                    name_key=name.lower(),
                    is_delegate=True,
                    created_at=NOW,
                )
                .returning(Trainee.id)
            )
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
