"""What an :class:`~bot.messages.Incoming` looks like in the inbox table: plain JSON.

Attachments go in base64: a file a person sent is kept, like the rest of
the update, until its turn is done (then the payload is emptied).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.messages import Attachment, Incoming, Platform


def incoming_to_payload(incoming: Incoming) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "platform": incoming.platform.value,
        "chat": incoming.chat,
        "user": incoming.user,
        "event_id": incoming.event_id,
        "text": incoming.text,
        "display_name": incoming.display_name,
        "is_group": incoming.is_group,
    }
    if incoming.choice is not None:
        payload["choice"] = incoming.choice
    if incoming.sent_at is not None:
        payload["sent_at"] = incoming.sent_at.isoformat()
    if incoming.kind:
        payload["kind"] = incoming.kind
    if incoming.attachment is not None:
        payload["attachment"] = {
            "filename": incoming.attachment.filename,
            "mime_type": incoming.attachment.mime_type,
            "content": base64.b64encode(incoming.attachment.content).decode("ascii"),
        }
    return payload


def payload_to_incoming(payload: Mapping[str, Any]) -> Incoming:
    attachment = None
    if "attachment" in payload:
        raw = payload["attachment"]
        attachment = Attachment(
            filename=raw["filename"],
            mime_type=raw["mime_type"],
            content=base64.b64decode(raw["content"]),
        )
    return Incoming(
        platform=Platform(payload["platform"]),
        chat=payload["chat"],
        user=payload["user"],
        event_id=payload["event_id"],
        text=payload.get("text", ""),
        choice=payload.get("choice"),
        attachment=attachment,
        display_name=payload.get("display_name", ""),
        is_group=bool(payload.get("is_group", False)),
        sent_at=datetime.fromisoformat(payload["sent_at"]) if "sent_at" in payload else None,
        kind=str(payload.get("kind", "")),
    )
