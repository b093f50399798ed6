"""The copy of a turn's replies kept for de-duplication never holds an invitation code in clear.

The engine stores each turn's replies with the platform's event id, so that
a redelivered event is answered again without a second effect and a crash
between the commit and the sending loses no reply (documents and codes
included: the person must still get them).  Invitation codes (formateur
invitations, attestation links) are stored elsewhere only as a SHA-256;
keeping them in clear in that copy would defeat the hash.

So a reply that carries a code (``Reply.extras["invite_code"]``) is stored
with every occurrence of the code masked, a sentence saying it is not kept,
and no extras; its original text and extras are kept **sealed** (Fernet:
AES-128 and HMAC-SHA256) with a key made once and kept in the data folder,
mode 600, never in the database.  A copy of the database alone reveals no
code.  Until the replies are delivered, a replay (a restart after a crash)
unseals them and the person gets the whole message; once delivered,
:meth:`Engine.delivered <bot.engine.Engine.delivered>` drops the sealed part,
and a later redelivery of the event gets the masked text.  A process whose
data folder holds another key (two machines sharing one PostgreSQL) cannot
unseal: it sends the masked text, which says to ask for a new code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import texts
from bot.files import kept_secret
from bot.messages import Reply
from bot.outbox_payload import payload_to_reply, reply_to_payload

if TYPE_CHECKING:  # cryptography is imported by the first reply that carries a code
    from cryptography.fernet import Fernet

MASK = "••••••"
"""What the stored copy shows where the code was."""

KEY_FILE = "replies.key"
SEALED = "sealed"
"""Payload key of the sealed original (text, caption, extras)."""


class Sealer:
    """Seals and unseals the originals of replies carrying a code, with a key kept on disk."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / KEY_FILE
        self._fernet: Fernet | None = None

    @property
    def fernet(self) -> Fernet:
        if self._fernet is None:
            from cryptography.fernet import Fernet

            key = kept_secret(self.path, lambda: Fernet.generate_key().decode("ascii"))
            self._fernet = Fernet(key.encode("ascii"))
        return self._fernet

    def seal(self, value: dict[str, Any]) -> str:
        return self.fernet.encrypt(json.dumps(value).encode("utf-8")).decode("ascii")

    def unseal(self, token: str) -> dict[str, Any] | None:
        from cryptography.fernet import InvalidToken

        try:
            found: dict[str, Any] = json.loads(self.fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError):
            return None
        return found


def secrets_of(reply: Reply) -> list[str]:
    """The codes a reply carries (non-empty, longest first so none hides another)."""
    found = [value for key, value in reply.extras.items() if key.endswith("_code") and value]
    return sorted(found, key=len, reverse=True)


def stored_copy(reply: Reply, sealer: Sealer) -> dict[str, Any]:
    """The payload kept for de-duplication: ``reply`` with its codes masked, the original sealed."""
    payload = reply_to_payload(reply)
    codes = secrets_of(reply)
    payload.pop("extras", None)
    if not codes:
        return payload
    document = payload.get("document")
    original = {
        "text": reply.text,
        "caption": reply.document.caption if reply.document else "",
        "extras": dict(reply.extras),
    }
    text = _masked(reply.text, codes)
    if text != reply.text:
        text = f"{text}\n{texts.say('privacy.code_not_kept')}"
    payload["text"] = text
    if isinstance(document, dict) and document.get("caption"):
        document["caption"] = _masked(str(document["caption"]), codes)
    payload[SEALED] = sealer.seal(original)
    return payload


def replayed(payload: dict[str, Any], sealer: Sealer) -> Reply:
    """A stored reply as sent again: whole while its original is sealed in, masked after."""
    payload = dict(payload)
    token = payload.pop(SEALED, None)
    original = sealer.unseal(token) if isinstance(token, str) else None
    if original is not None:
        payload["text"] = original.get("text", "")
        payload["extras"] = dict(original.get("extras") or {})
        document = payload.get("document")
        if isinstance(document, dict):
            payload["document"] = {**document, "caption": original.get("caption", "")}
    return payload_to_reply(payload)


def delivered_copy(payload: dict[str, Any]) -> dict[str, Any]:
    """What is kept once the reply was sent: text and buttons, no document, nothing sealed."""
    payload = dict(payload)
    payload.pop("extras", None)
    payload.pop(SEALED, None)
    document = payload.pop("document", None)
    if document is not None and not payload.get("text"):
        payload["text"] = document.get("caption", "")
    return payload


def _masked(text: str, codes: list[str]) -> str:
    for code in codes:
        text = text.replace(code, MASK)
    return text
