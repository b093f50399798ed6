"""The first organisation and chat identities, without a dialogue."""

from __future__ import annotations

from sqlalchemy import select

from bot.people.organisations import (
    ChatAddress,
    attach_identity,
    create_first_organisation,
    has_organisation,
)
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.people import ChatIdentity, Membership, Organisation, Person

CLAIRE = ChatAddress("telegram", "111", "111")


async def test_the_first_organisation_makes_its_creator_admin(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        assert not await has_organisation(session)
        created = await create_first_organisation(
            session,
            name="Forma Plus",
            timezone="Indian/Reunion",
            admin_name="Claire Martin",
            address=CLAIRE,
        )
        assert created is not None
        assert await has_organisation(session)
    async with store.sessions() as session:
        org = await session.scalar(select(Organisation))
        assert org is not None and (org.name, org.timezone) == ("Forma Plus", "Indian/Reunion")
        person = await session.scalar(select(Person))
        assert person is not None and person.display_name == "Claire Martin"
        member = await session.scalar(select(Membership))
        assert member is not None
        assert (member.organisation_id, member.person_id, member.role) == (
            org.id,
            person.id,
            "admin",
        )
        identity = await session.scalar(select(ChatIdentity))
        assert identity is not None
        assert (identity.person_id, identity.platform, identity.user_id, identity.chat_id) == (
            person.id,
            "telegram",
            "111",
            "111",
        )
        entry = await session.scalar(select(AuditEntry))
        assert entry is not None
        assert (entry.action, entry.entity, entry.entity_id, entry.actor_id) == (
            "create",
            "organisation",
            org.id,
            person.id,
        )


async def test_a_second_first_organisation_is_not_created(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        await create_first_organisation(
            session, name="Forma Plus", timezone="Europe/Paris", admin_name="Claire", address=CLAIRE
        )
        again = await create_first_organisation(
            session,
            name="Autre",
            timezone="Europe/Paris",
            admin_name="Bruno",
            address=ChatAddress("telegram", "222", "222"),
        )
        assert again is None
    async with store.sessions() as session:
        assert [o.name for o in await session.scalars(select(Organisation))] == ["Forma Plus"]
        assert [p.display_name for p in await session.scalars(select(Person))] == ["Claire"]


async def test_an_identity_is_created_once_and_moves_to_its_new_person(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        first, second = Person(display_name="Avant"), Person(display_name="Après")
        session.add_all([first, second])
        await session.flush()
        await attach_identity(session, first.id, CLAIRE)
        await attach_identity(session, second.id, ChatAddress("telegram", "111", "999"))
    async with store.sessions() as session:
        identities = (await session.scalars(select(ChatIdentity))).all()
        assert [(i.person_id, i.user_id, i.chat_id) for i in identities] == [
            (second.id, "111", "111")
        ]
