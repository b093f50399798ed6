"""Events that came before their room key: said once to the person, set aside after a day."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any, cast

from bot.messages import Reply
from bot.storage.base import utcnow
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

        self.inbox = SimpleNamespace(undecrypted=undecrypted, failed=failed)
        self.client = SimpleNamespace(decrypt_event=decrypt_event)
        self.user_id = "@formabot:localhost"

    async def _deliver(self, room_id: str, reply: Reply, *, tx: str | None = None) -> None:
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
