"""The members' service: never without an administrator, formations handed over whole."""

from __future__ import annotations

from collections.abc import Callable

from bot.people import members
from bot.storage.db import Database
from bot.storage.people import Role
from tests.auxil.dialogue import Person as Talker
from tests.test_members import organisation, owned


async def test_the_last_admin_stays_and_a_successor_must_be_a_member(
    db: Database, person: Callable[..., Talker]
) -> None:
    await organisation(person)
    claire, bruno = await owned(db, "Claire Martin"), await owned(db, "Bruno Lefèvre")
    async with db.sessions() as session, session.begin():
        organisation_id = 1  # the only one: created by Claire
        listed = await members.members(session, organisation_id)
        assert [m.name for m in listed] == ["Bruno Lefèvre", "Chloé Durand", "Claire Martin"]
        assert [m.is_admin for m in listed] == [False, False, True]
        assert (
            await members.remove(session, organisation_id, claire, successor=None, by=claire)
            == "last_admin"
        )
        assert (
            await members.set_role(session, organisation_id, claire, Role.FORMATEUR, by=claire)
            == "last_admin"
        )
        assert (
            await members.remove(session, organisation_id, bruno, successor=999_999, by=claire)
            == "gone"
        )  # no such member to take over: nothing done
        assert len(await members.members(session, organisation_id)) == 3
