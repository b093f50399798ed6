"""What a message of the outbox looks like in its row: plain JSON.

A reply (its text, its choices as shown, a file in base64) or an e-mail
(subject, body, attachments); a message shown again after a restart reads
the same as the first time.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.messages import Choice, Document, Reply


@dataclass(frozen=True)
class Mail:
    """One e-mail as queued: plain French text, files attached (an ``.ics``, a ``.zip``)."""

    subject: str
    body: str
    attachments: tuple[Document, ...] = ()


def _document_payload(document: Document) -> dict[str, str]:
    return {
        "filename": document.filename,
        "mime_type": document.mime_type,
        "caption": document.caption,
        "content": base64.b64encode(document.content).decode("ascii"),
    }


def _payload_document(doc: Mapping[str, Any]) -> Document:
    return Document(
        filename=doc["filename"],
        mime_type=doc["mime_type"],
        caption=doc.get("caption", ""),
        content=base64.b64decode(doc["content"]),
    )


def reply_to_payload(reply: Reply) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": reply.text, "columns": reply.columns}
    if reply.choices:
        # A choice's own number and dash (a page of a long list) are part of what it shows:
        # a reply shown again after a restart must read the same.
        payload["choices"] = [
            [c.label, c.data]
            + ([c.number, c.numbered] if c.number or not c.numbered or c.detail else [])
            + ([c.detail] if c.detail else [])
            for c in reply.choices
        ]
    if reply.edit_previous:
        payload["edit_previous"] = True
    if reply.chat is not None:
        payload["chat"] = reply.chat
    if reply.extras:
        payload["extras"] = dict(reply.extras)
    if reply.document is not None:
        payload["document"] = _document_payload(reply.document)
    return payload


def payload_to_reply(payload: Mapping[str, Any]) -> Reply:
    document = _payload_document(payload["document"]) if "document" in payload else None
    return Reply(
        text=payload.get("text", ""),
        choices=tuple(Choice(*shown) for shown in payload.get("choices", [])),
        document=document,
        columns=int(payload.get("columns", 1)),
        edit_previous=bool(payload.get("edit_previous", False)),
        chat=payload.get("chat"),
        extras=dict(payload.get("extras", {})),
    )


def mail_to_payload(mail: Mail) -> dict[str, Any]:
    return {
        "subject": mail.subject,
        "body": mail.body,
        "attachments": [_document_payload(a) for a in mail.attachments],
    }


def payload_to_mail(payload: Mapping[str, Any]) -> Mail:
    return Mail(
        subject=payload.get("subject", ""),
        body=payload.get("body", ""),
        attachments=tuple(_payload_document(a) for a in payload.get("attachments", [])),
    )


def without_attachments(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An e-mail's payload once it is sent or given up: the files' names stay, their
    content goes (an ``.ics`` names the participants, a proof bundle weighs megabytes;
    the bundle's own record keeps it, and nothing will send the row again)."""
    return {
        **payload,
        "attachments": [{**a, "content": ""} for a in payload.get("attachments", [])],
    }
