"""The members' service: never without an administrator, formations handed over whole, and
nobody joins by the hand of someone gone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.people import members
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Invitation, Membership, Role
from tests.auxil.dialogue import Person as Talker
from tests.test_members import organisation, owned

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_the_last_admin_stays_and_formations_are_never_left_with_no_one(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorer AQ5, AQ6: the successor removed meanwhile (or a formation made meanwhile)
    and the member was removed anyway, her formation left with her."""
    await organisation(person)
    claire, bruno = await owned(db, "Claire Martin"), await owned(db, "Bruno Lefèvre")
    organisation_id = 1  # the only one: created by Claire
    async with db.sessions() as session, session.begin():
        session.add(
            Formation(
                organisation_id=organisation_id,
                owner_id=bruno,
                title="Cariste",
                funder="autre",
                start_date=date(2026, 12, 1),
                end_date=date(2027, 3, 1),
            )
        )
    async with db.sessions() as session, session.begin():
        listed = await members.members(session, organisation_id)
        assert [m.name for m in listed] == ["Bruno Lefèvre", "Chloé Durand", "Claire Martin"]
        assert [m.is_admin for m in listed] == [False, False, True]
        assert (
            await members.remove(
                session, organisation_id, claire, successor=None, by=claire, now=NOW
            )
            == "last_admin"
        )
        assert (
            await members.set_role(
                session, organisation_id, claire, Role.FORMATEUR, by=claire, now=NOW
            )
            == "last_admin"
        )
        for successor in (None, 999_999):  # none chosen, or no longer a member
            assert (
                await members.remove(
                    session, organisation_id, bruno, successor=successor, by=claire, now=NOW
                )
                == "successor_needed"
            )
        assert len(await members.members(session, organisation_id)) == 3


async def test_the_invitations_of_a_member_removed_stop_working(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorer AQ7: an admin's code made by an admin removed since made an administrator."""
    await organisation(person)
    claire, chloe = await owned(db, "Claire Martin"), await owned(db, "Chloé Durand")
    async with db.sessions() as session, session.begin():
        await members.set_role(session, 1, chloe, Role.ADMIN, by=claire, now=NOW)
        session.add(
            Invitation(
                organisation_id=1,
                code_hash="a" * 64,
                role=Role.ADMIN.value,
                created_by=chloe,
                expires_at=datetime(2026, 12, 31, tzinfo=UTC),
            )
        )
    async with db.sessions() as session, session.begin():
        assert await members.remove(session, 1, chloe, successor=None, by=claire, now=NOW) == (
            "done"
        )
    async with db.sessions() as session:
        left = await session.scalar(select(Invitation).where(Invitation.code_hash == "a" * 64))
        assert left is not None and left.revoked_at is not None
        revoked = await session.scalar(select(AuditEntry).where(AuditEntry.action == "revoke"))
        assert revoked is not None and revoked.entity_id == left.id  # as « Révoquer » does
        assert await session.scalar(select(Membership).where(Membership.person_id == chloe)) is None


async def test_an_administrator_s_codes_stop_with_her_administration(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorer AR: demoted, her pending administrator's code still made an administrator;
    her trainer's codes stay, as she still is a member."""
    await organisation(person)
    claire, chloe = await owned(db, "Claire Martin"), await owned(db, "Chloé Durand")
    async with db.sessions() as session, session.begin():
        await members.set_role(session, 1, chloe, Role.ADMIN, by=claire, now=NOW)
        for code, role in (("a", Role.ADMIN), ("b", Role.FORMATEUR)):
            session.add(
                Invitation(
                    organisation_id=1,
                    code_hash=code * 64,
                    role=role.value,
                    created_by=chloe,
                    expires_at=datetime(2026, 12, 31, tzinfo=UTC),
                )
            )
    async with db.sessions() as session, session.begin():
        await members.set_role(session, 1, chloe, Role.FORMATEUR, by=claire, now=NOW)
    async with db.sessions() as session:
        codes = {i.code_hash[0]: i.revoked_at for i in await session.scalars(select(Invitation))}
    assert codes["a"] is not None and codes["b"] is None


async def test_a_formation_deleted_asks_no_successor(
    db: Database, person: Callable[..., Talker]
) -> None:
    """A deleted formation reminds no one: it does not keep its trainer in the organisation."""
    await organisation(person)
    claire, bruno = await owned(db, "Claire Martin"), await owned(db, "Bruno Lefèvre")
    async with db.sessions() as session, session.begin():
        session.add(
            Formation(
                organisation_id=1,
                owner_id=bruno,
                title="Ancienne",
                funder="autre",
                start_date=date(2026, 1, 5),
                end_date=date(2026, 3, 1),
                deleted_at=NOW,
            )
        )
    async with db.sessions() as session, session.begin():
        assert await members.remove(session, 1, bruno, successor=None, by=claire, now=NOW) == (
            "done"
        )
