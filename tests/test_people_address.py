"""How a member asked to be addressed, kept on the person behind a chat account."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.people.address import address_form_of, remember_address_form, role_word
from bot.storage.db import Database
from bot.storage.people import ChatIdentity, Person


async def test_the_form_is_kept_on_the_person_behind_the_account(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        claire = Person(display_name="Claire Martin")
        session.add(claire)
        await session.flush()
        session.add(
            ChatIdentity(person_id=claire.id, platform="console", user_id="claire", chat_id="c")
        )
        await session.flush()
        await remember_address_form(session, platform="console", user_id="claire", form="f")
        await remember_address_form(session, platform="console", user_id="nobody", form="m")
    async with db.sessions() as session:
        assert await address_form_of(session, claire.id) == "f"
        assert await address_form_of(session, 999) is None
        assert [p.address_form for p in await session.scalars(select(Person))] == ["f"]


async def test_only_the_three_forms(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        with pytest.raises(ValueError):
            await remember_address_form(session, platform="console", user_id="x", form="Madame")


@pytest.mark.parametrize(
    ("role", "form", "said"),
    [
        ("formateur", "f", "formatrice"),
        ("formateur", "m", "formateur"),
        ("formateur", "n", "formateur ou formatrice"),
        ("admin", "f", "administratrice"),
        ("admin", None, "administrateur ou administratrice"),
    ],
)
def test_a_role_is_said_as_the_person_asked(role: str, form: str | None, said: str) -> None:
    assert role_word(role, form) == said
