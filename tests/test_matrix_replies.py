"""Explorer ID6: in a group room, a reply or a thread on the bot's own message is for the bot,
and the answer to a message in a thread goes in that thread (group and direct chat alike)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from nio import RoomCreateResponse, RoomGetEventError, RoomGetEventResponse

from bot.app import build_engine
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.people import ChatIdentity
from bot.transports.matrix import MatrixTransport
from bot.transports.matrix.replies import Own
from tests.auxil.attestations import demo_author
from tests.auxil.matrix_people import ENCRYPTION, MatrixPerson
from tests.auxil.synapse import Synapse
from tests.test_matrix_e2e import bot_settings

ME = "@formabot:localhost"


class Homeserver:
    """What :class:`Own` asks of the transport; ``room_get_event`` counts its calls."""

    def __init__(self) -> None:
        self.user_id = ME
        self.asked: list[str] = []
        self.client = SimpleNamespace(rooms={}, room_get_event=self.room_get_event)

    async def room_get_event(self, room_id: str, event_id: str) -> Any:
        self.asked.append(event_id)
        if event_id == "$absent":
            return RoomGetEventError.from_dict({"errcode": "M_NOT_FOUND", "error": "absent"})
        sender = ME if event_id.startswith("$bot") else "@bruno:localhost"
        return RoomGetEventResponse.from_dict(
            {
                "type": "m.room.message",
                "event_id": event_id,
                "sender": sender,
                "origin_server_ts": 1,
                "content": {"msgtype": "m.text", "body": "…"},
            }
        )


def replying(to: str, *, thread: bool = False) -> dict[str, Any]:
    relates: dict[str, Any] = {"m.in_reply_to": {"event_id": to}}
    if thread:
        relates.update({"rel_type": "m.thread", "event_id": to, "is_falling_back": True})
    return {"msgtype": "m.text", "body": "Terminé", "m.relates_to": relates}


async def test_a_reply_to_the_bots_message_is_for_it_whose_message_is_asked_once() -> None:
    """Explorer ID6: a reply without a mention was ignored.  The bot's events the sync showed
    are known without asking; another is asked to the homeserver once, whoever wrote it."""
    server = Homeserver()
    own = Own(cast(Any, server))
    own.saw("$question")
    assert await own.addressed("!g", " Terminé ", replying("$question")) == "Terminé"
    assert await own.addressed("!g", "Terminé", replying("$bot-ancienne", thread=True)) == (
        "Terminé"
    )
    assert await own.addressed("!g", "Terminé", replying("$bruno")) is None
    assert await own.addressed("!g", "Terminé", replying("$absent")) is None
    assert await own.addressed("!g", "bonjour", {"msgtype": "m.text", "body": "bonjour"}) is None
    for event in ("$bot-ancienne", "$bruno", "$absent"):  # known now: not asked again
        await own.addressed("!g", "Terminé", replying(event))
    assert server.asked == ["$bot-ancienne", "$bruno", "$absent"]


# --- on a real homeserver ------------------------------------------------------------------


@pytest.fixture
async def bot(synapse: Synapse, db: Database, settings: Settings) -> AsyncIterator[MatrixTransport]:
    configured = bot_settings(settings, synapse, synapse.register(synapse.unique("formabot")))
    transport = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=5000)
    await transport.start()
    yield transport
    await transport.stop()


@pytest.mark.slow
async def test_in_a_group_a_reply_and_a_thread_on_the_bots_question_are_answered(
    synapse: Synapse, bot: MatrixTransport, db: Database, demo: None, tmp_path: Path
) -> None:
    """Explorer ID6: « répondez en citant ce message », and the reply without a mention, or
    the thread on the question, got nothing; the answer to the thread is in the thread."""
    async with (
        MatrixPerson.joining(synapse, tmp_path, "camille") as camille,
        MatrixPerson.joining(synapse, tmp_path, "julien") as julien,
    ):
        async with db.sessions() as session, session.begin():
            admin, _ = await demo_author(session)
            session.add(
                ChatIdentity(
                    person_id=admin, platform="matrix", user_id=camille.user_id, chat_id=""
                )
            )
        created = await camille.client.room_create(
            name="Équipe pédagogique",
            invite=[bot.user_id, julien.user_id],
            initial_state=[ENCRYPTION],
        )
        assert isinstance(created, RoomCreateResponse)
        room = str(created.room_id)
        await camille.wait(lambda: camille.has_joined(room, bot.user_id), what="the bot joining")
        await camille.wait(lambda: camille.has_joined(room, julien.user_id), what="julien")

        question = await camille.ask(room, "/reglages", "répondez en citant ce message")
        count = len(camille.in_room(room))
        await camille.send(room, replying(question.event_id))
        left = await camille.reply_after(room, count, "Réglages laissés tels quels.")
        assert "m.relates_to" not in left.content  # a reply out of a thread: main timeline

        question = await camille.ask(room, "/reglages", "répondez en citant ce message")
        bot.own._known.clear()  # as after a restart: the homeserver tells whose it is
        count = len(camille.in_room(room))
        sent = await camille.send(room, replying(question.event_id, thread=True))
        left = await camille.reply_after(room, count, "Réglages laissés tels quels.")
        assert left.content["m.relates_to"] == {
            "rel_type": "m.thread",
            "event_id": question.event_id,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": sent},
        }


@pytest.mark.slow
async def test_in_a_direct_chat_the_answer_to_a_thread_goes_in_the_thread(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    """Explorer ID6: « /aide » sent in a thread was answered in the main timeline."""
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room = await claire.open_dm(bot.user_id)
        first = await claire.ask(room, "/aide", "/start")
        count = len(claire.in_room(room))
        content = {**replying(first.event_id, thread=True), "body": "/aide"}
        sent = await claire.send(room, content)
        again = await claire.reply_after(room, count, "/start")
        assert again.decrypted
        assert again.content["m.relates_to"] == {
            "rel_type": "m.thread",
            "event_id": first.event_id,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": sent},
        }
