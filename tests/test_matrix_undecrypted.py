"""Events that came before their room key: said once to the person, set aside after a day."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any, cast

from nio import RoomGetEventResponse
from sqlalchemy import select, update

from bot.messages import Reply
from bot.storage.base import utcnow
from bot.storage.db import Database
from bot.storage.matrix import MatrixEvent
from bot.transports.matrix.inbox import Inbox, Recorded
from bot.transports.matrix.replies import Own
from bot.transports.matrix.undecrypted import Undecrypted

ENCRYPTED = {
    "type": "m.room.encrypted",
    "event_id": "$chiffre",
    "sender": "@claire:localhost",
    "origin_server_ts": 1,
    "content": {
        "algorithm": "m.megolm.v1.aes-sha2",
        "session_id": "inconnue",
        "ciphertext": "AwgA",
        "device_id": "GHOST",
        "sender_key": "Yh0Y",
    },
}


class FakeTransport:
    """What :class:`Undecrypted` uses of the transport: its inbox, client and sending."""

    def __init__(self, rows: list[Any]) -> None:
        self.sent: list[tuple[str, Reply, str | None]] = []
        self.given_up: list[int] = []

        async def undecrypted() -> list[Any]:
            return rows

        async def failed(row_id: int, attempts: int, why: str, *, give_up: bool) -> None:
            self.given_up.append(row_id)

        def decrypt_event(event: Any) -> Any:
            raise ValueError("no session")

        async def resend_asked(row_id: int) -> None:
            pass

        self.inbox = SimpleNamespace(
            undecrypted=undecrypted, failed=failed, resend_asked=resend_asked
        )
        self.client = SimpleNamespace(decrypt_event=decrypt_event)
        self.user_id = "@formabot:localhost"

    async def _deliver(
        self, room_id: str, reply: Reply, *, tx: str | None = None, thread: Any = None
    ) -> None:
        self.sent.append((room_id, reply, tx))


def row(row_id: int, minutes_ago: float, *, group: bool = False) -> Any:
    return SimpleNamespace(
        id=row_id,
        received_at=utcnow() - timedelta(minutes=minutes_ago),
        attempts=0,
        source=ENCRYPTED,
        room_id=f"!salle{row_id}:localhost",
        is_group=group,
        event_id=f"$chiffre{row_id}",
        resend_asked_at=None,
    )


async def test_a_message_never_decrypted_is_said_once_then_set_aside() -> None:
    """Explorer EF3: a message whose key never came got no answer, ever."""
    fake = FakeTransport([row(1, 0.5), row(2, 5), row(3, 5, group=True), row(4, 60 * 25)])
    undecrypted = Undecrypted(cast(Any, fake))
    await undecrypted.retry()
    await undecrypted.retry()  # the next sync: nothing said again
    assert [(room, tx) for room, _, tx in fake.sent] == [
        ("!salle2:localhost", "unreadable/$chiffre2")
    ]
    assert fake.sent[0][1].text == (
        "Je n'ai pas pu lire votre dernier message : sa clé de chiffrement ne m'est pas "
        "parvenue. Renvoyez-le, s'il vous plaît."
    )
    assert fake.given_up == [4, 4]


# --- with the inbox itself: what is stored when the key comes late --------------------

ME = "@bot-of:localhost"
CLAIRE = "@claire:localhost"


class LateKey:
    """A transport whose client has no key for the events until ``key_came``, with the real
    inbox: a new :class:`Undecrypted` on it is the transport after a restart."""

    def __init__(self, inbox: Inbox, display_name: str = "formabot") -> None:
        self.inbox = inbox
        self.user_id = ME
        self.sent: list[tuple[str, str | None]] = []
        self.clear: dict[str, Any] | None = None

        def decrypt_event(event: Any) -> Any:
            if self.clear is None:
                raise ValueError("no session")
            return SimpleNamespace(source=self.clear)

        room = SimpleNamespace(user_name=lambda user: display_name if user == ME else None)

        async def get(room_id: str, event_id: str) -> Any:  # the homeserver: whose event
            sender = ME if event_id == "$question" else CLAIRE
            return RoomGetEventResponse.from_dict(
                {
                    "type": "m.room.message",
                    "event_id": event_id,
                    "sender": sender,
                    "origin_server_ts": 1,
                    "content": {"msgtype": "m.text", "body": "…"},
                }
            )

        self.client = SimpleNamespace(
            decrypt_event=decrypt_event, rooms={"!salle:localhost": room}, room_get_event=get
        )
        self.own = Own(cast(Any, self))

    def key_came(self, body: str, **content: Any) -> None:
        self.clear = {
            "type": "m.room.message",
            "event_id": "$chiffre",
            "sender": CLAIRE,
            "origin_server_ts": 1,
            "content": {"msgtype": "m.text", "body": body, **content},
        }

    async def _deliver(
        self, room_id: str, reply: Reply, *, tx: str | None = None, thread: Any = None
    ) -> None:
        self.sent.append((room_id, tx))


async def received(db: Database, *, minutes_ago: float, group: bool = False) -> Inbox:
    inbox = Inbox(db.sessions, ME)
    event = Recorded("$chiffre", "!salle:localhost", CLAIRE, ENCRYPTED, group, encrypted=True)
    await inbox.record([event], None)
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(MatrixEvent).values(received_at=utcnow() - timedelta(minutes=minutes_ago))
        )
    return inbox


async def stored(db: Database) -> tuple[str, dict[str, Any]]:
    async with db.sessions() as session:
        row = await session.scalar(select(MatrixEvent))
        assert row is not None
        return row.status, row.source


async def test_a_message_she_was_asked_to_send_again_is_not_handled_when_its_key_comes(
    db: Database,
) -> None:
    """Explorer GA2: told « Renvoyez-le », she sent it again and that copy was answered; the
    original, decrypted later, was handled too, as the answer to whatever was asked by then
    (« 1 » meant for a date became « Le matin »). Kept after a restart: the notice is stored."""
    inbox = await received(db, minutes_ago=5)
    transport = LateKey(inbox)
    await Undecrypted(cast(Any, transport)).retry()
    assert transport.sent == [("!salle:localhost", "unreadable/$chiffre")]
    await Undecrypted(cast(Any, transport)).retry()  # restarted: not said again
    assert len(transport.sent) == 1
    transport.key_came("1")
    await Undecrypted(cast(Any, transport)).retry()  # restarted again, then the key
    assert await stored(db) == ("done", {})
    assert await inbox.next_in("!salle:localhost") is None
    assert len(transport.sent) == 1


async def test_a_message_whose_key_comes_before_she_is_asked_is_handled(db: Database) -> None:
    inbox = await received(db, minutes_ago=1)
    transport = LateKey(inbox)
    await Undecrypted(cast(Any, transport)).retry()
    transport.key_came("1")
    await Undecrypted(cast(Any, transport)).retry()
    status, source = await stored(db)
    assert (status, source["content"]["body"], transport.sent) == ("pending", "1", [])


async def test_in_a_group_a_late_message_is_addressed_by_the_bots_display_name(
    db: Database,
) -> None:
    """Explorer GA3: « formabot : 1 », as every question in a group says to answer, was read
    at sync time but set aside unsaid when its key came late (the display name was not
    among the names)."""
    inbox = await received(db, minutes_ago=0.5, group=True)
    transport = LateKey(inbox, display_name="formabot")
    transport.key_came("formabot : 1")
    await Undecrypted(cast(Any, transport)).retry()
    status, source = await stored(db)
    assert (status, source["formabot_text"]) == ("pending", "1")


async def test_in_a_group_a_late_reply_to_the_bots_question_is_for_the_bot(db: Database) -> None:
    """Explorer ID6: « Terminé » in reply to the bot's question, without a mention, was
    ignored; a reply to someone else's message still is."""
    inbox = await received(db, minutes_ago=0.5, group=True)
    transport = LateKey(inbox)
    transport.key_came("Terminé", **{"m.relates_to": {"m.in_reply_to": {"event_id": "$question"}}})
    await Undecrypted(cast(Any, transport)).retry()
    status, source = await stored(db)
    assert (status, source["formabot_text"]) == ("pending", "Terminé")


async def test_in_a_group_a_late_reply_to_someone_else_is_not_read(db: Database) -> None:
    inbox = await received(db, minutes_ago=0.5, group=True)
    transport = LateKey(inbox)
    transport.key_came("Terminé", **{"m.relates_to": {"m.in_reply_to": {"event_id": "$autre"}}})
    await Undecrypted(cast(Any, transport)).retry()
    assert await stored(db) == ("done", {})
