"""Where the bot writes to a person first: the platform asked for, then a real platform
before the console, never a blocked account."""

from __future__ import annotations

from bot.people.chats import chat_of_person
from bot.storage.db import Database
from bot.storage.people import ChatIdentity, Person


async def test_the_chat_a_person_is_reached_in(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        person = Person(display_name="Camille Durand")
        nobody = Person(display_name="Personne")
        session.add_all([person, nobody])
        await session.flush()
        session.add_all(
            [
                ChatIdentity(person_id=person.id, platform="console", user_id="c", chat_id="c"),
                ChatIdentity(person_id=person.id, platform="telegram", user_id="1", chat_id="1"),
                ChatIdentity(person_id=person.id, platform="matrix", user_id="@c:x", chat_id="!r"),
            ]
        )
        await session.flush()
        assert await chat_of_person(session, person.id) == ("telegram", "1")
        assert await chat_of_person(session, person.id, prefer="matrix") == ("matrix", "!r")
        assert await chat_of_person(session, person.id, prefer="console") == ("console", "c")
        assert await chat_of_person(session, nobody.id) is None
