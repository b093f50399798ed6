"""The Matrix transport's own records: a person who left her direct chat and writes again."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.messages import Platform
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Organisation
from bot.storage.state import ConversationState
from bot.transports.matrix.inbox import Inbox
from tests.auxil.dialogue import Person
from tests.test_onboarding import first_admin

CLAIRE = "@claire:localhost"


async def claire_on_matrix(person: Callable[..., Person]) -> Person:
    claire = person(CLAIRE, Platform.MATRIX, chat="!old:localhost")
    await first_admin(claire)
    return claire


async def test_the_dialogue_under_way_follows_her_to_a_new_direct_chat(
    db: Database, person: Callable[..., Person]
) -> None:
    """Explorer EF5: she left the chat at « Intitulé de la formation ? » and opened another;
    her answer there was « pas sûr de ce que vous voulez faire », `/reprendre` found nothing."""
    claire = await claire_on_matrix(person)
    await claire.says("/formation")
    asked = claire.last
    inbox = Inbox(db.sessions, "@formabot:localhost")
    await inbox.gone("!old:localhost")
    await inbox.back("!new:localhost", CLAIRE)
    claire.chat = "!new:localhost"
    await claire.says("/reprendre")
    assert claire.last == asked
    async with db.sessions() as session:
        identity = await session.scalar(select(ChatIdentity))
        assert identity is not None
        assert (identity.chat_id, identity.blocked_at) == ("!new:localhost", None)


async def test_back_in_an_older_chat_of_hers_the_dialogue_follows_her_there(
    db: Database, person: Callable[..., Person]
) -> None:
    """That chat keeps the row of what she did there before, no dialogue in it."""
    claire = await claire_on_matrix(person)
    claire.chat = "!b:localhost"
    await claire.says("/formation")
    asked = claire.last
    inbox = Inbox(db.sessions, "@formabot:localhost")
    await inbox.gone("!b:localhost")
    await inbox.back("!old:localhost", CLAIRE)
    claire.chat = "!old:localhost"
    await claire.says("/reprendre")
    assert claire.last == asked


async def test_a_dialogue_under_way_in_the_new_chat_is_kept_and_the_old_one_left_alone(
    db: Database, person: Callable[..., Person]
) -> None:
    claire = await claire_on_matrix(person)
    await claire.says("/formation")
    inbox = Inbox(db.sessions, "@formabot:localhost")
    await inbox.gone("!old:localhost")
    claire.chat = "!new:localhost"
    await claire.says("/inviter")
    await inbox.back("!new:localhost", CLAIRE)
    async with db.sessions() as session:
        rows = (
            await session.execute(select(ConversationState.chat_id, ConversationState.flow))
        ).all()
    assert sorted(rows) == [("!new:localhost", "inviter"), ("!old:localhost", "formation")]


async def test_the_bot_out_of_the_digest_s_room_sends_it_to_the_admins_and_tells_them(
    db: Database, person: Callable[..., Person]
) -> None:
    """Explorer ID2: Claire kicked the bot from the room chosen for the digest; every digest,
    and the « non remis » notice, went on to that room, /reglages still said « dans une
    autre discussion (un groupe) »."""
    claire = await claire_on_matrix(person)
    async with db.sessions() as session, session.begin():
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None
        organisation.digest_chat = "matrix:!team:localhost"
    inbox = Inbox(db.sessions, "@formabot:localhost")
    await inbox.gone("!team:localhost", "@bruno:localhost")  # someone else left: kept
    async with db.sessions() as session:
        assert await session.scalar(select(Organisation.digest_chat)) == "matrix:!team:localhost"
    await inbox.gone("!team:localhost")  # the bot is out (kicked, or the room emptied)
    async with db.sessions() as session:
        assert await session.scalar(select(Organisation.digest_chat)) is None
        told = (await session.scalars(select(OutboxMessage))).all()
    assert [(m.platform, m.chat_id) for m in told] == [("matrix", "!old:localhost")]
    assert (
        told[0]
        .payload["text"]
        .startswith(
            "Je ne fais plus partie du salon choisi pour le récapitulatif quotidien des échéances"
        )
    )
    await claire.says("/reglages")
    assert "en message privé à chaque membre de l'administration" in claire.last
