"""The copy of a turn's replies kept for de-duplication never holds an invitation code.

The engine stores each turn's replies with the platform's event id, so that
a redelivered event is answered again without a second effect and a crash
between the commit and the sending loses no reply.  Invitation codes
(formateur invitations, attestation links) are stored elsewhere only as a
SHA-256: keeping them in clear in that copy would defeat the hash.  A reply
that carries a code says so in ``Reply.extras["invite_code"]``; the stored
copy has every occurrence of the code replaced by a mask and a sentence
saying it was not kept, and loses the extras (the Telegram deep link).  The
message delivered right after the turn is the whole one, from memory.

Cost, on purpose: if the bot dies in the instant between the commit and the
sending of such a reply, the replayed reply shows the mask and asks for a new
code (the old one still works for whoever received it, if anyone did).
"""

from __future__ import annotations

from typing import Any

from bot import texts
from bot.messages import Reply
from bot.outbox import reply_to_payload

MASK = "••••••"
"""What the stored copy shows where the code was."""


def secrets_of(reply: Reply) -> list[str]:
    """The codes a reply carries (non-empty, longest first so none hides another)."""
    found = [value for key, value in reply.extras.items() if key.endswith("_code") and value]
    return sorted(found, key=len, reverse=True)


def without_secrets(reply: Reply) -> dict[str, Any]:
    """The payload kept for de-duplication: ``reply`` with its codes masked."""
    payload = reply_to_payload(reply)
    codes = secrets_of(reply)
    payload.pop("extras", None)
    if not codes:
        return payload
    text = _masked(str(payload.get("text", "")), codes)
    if text != payload.get("text", ""):
        payload["text"] = f"{text}\n{texts.say('privacy.code_not_kept')}"
    document = payload.get("document")
    if isinstance(document, dict) and document.get("caption"):
        document["caption"] = _masked(str(document["caption"]), codes)
    return payload


def _masked(text: str, codes: list[str]) -> str:
    for code in codes:
        text = text.replace(code, MASK)
    return text
