"""Where the bot writes to a person first: the platform asked for, then a real platform
before the console, never a blocked account; a notice queued there once."""

from __future__ import annotations

from sqlalchemy import select

from bot.messages import RECIPIENT, Reply
from bot.people.chats import FORWARD_LIMIT, capped, chat_of_person, tell_person
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Organisation, Person


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


async def test_a_notice_is_queued_once_in_that_chat_or_not_at_all(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        person = Person(display_name="Camille Durand")
        nobody = Person(display_name="Personne")
        session.add_all([person, nobody])
        await session.flush()
        session.add(
            ChatIdentity(person_id=person.id, platform="matrix", user_id="@c:x", chat_id="!r")
        )
        organisation = Organisation(name="Forma Plus")
        session.add(organisation)
        await session.flush()
        notice = Reply(text="Votre bilan est programmé.")
        for _ in range(2):  # handled again after a crash: the key keeps it single
            told = await tell_person(
                session, person.id, notice, key="avis:1", organisation_id=organisation.id
            )
            assert told
        assert not await tell_person(
            session, nobody.id, notice, key="avis:2", organisation_id=organisation.id
        )
        queued = (await session.scalars(select(OutboxMessage))).all()
        assert [(m.key, m.platform, m.chat_id) for m in queued] == [("avis:1", "matrix", "!r")]
        # Whom it is for, as the room may be others' chat too (explorer AJ2's exception).
        assert queued[0].payload["extras"] == {RECIPIENT: "@c:x"}


def test_a_long_message_is_cut_and_its_length_kept_to_say_so() -> None:
    assert capped("  je propose le 15 à 10 h \u202e ") == ("je propose le 15 à 10 h", None)
    shown, full = capped("é" * (FORWARD_LIMIT + 5))
    assert (len(shown), full) == (FORWARD_LIMIT, FORWARD_LIMIT + 5)
