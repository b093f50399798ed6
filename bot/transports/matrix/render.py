"""Replies as Matrix message contents, and Matrix message contents as what was said.

Outgoing: ``body`` is plain text with the choices numbered (``1. Oui``), for
clients that show no HTML and for notifications; ``formatted_body`` is the
reply's chat markup (already safe HTML, see :mod:`bot.texts`) with the choices
as an ``<ol>``; labels are escaped here.  People answer by number or label,
which the engine matches itself.

Incoming: only ``body`` is read, never ``formatted_body`` (HTML from a client is
not trusted); the quoted fallback of a reply and the mention of the bot that
opens a message in a group are dropped.  Edits, reactions and unknown types
are not messages.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot import texts
from bot.messages import Choice, Reply, numbering
from bot.transports.sizes import split_within

MAX_BODY = 12_000
"""Characters per event: Matrix caps an event at 64 KiB, encryption inflates it by a third."""
MAX_ESCAPED = 16_000
"""Bytes of an event's text once written in the JSON that is encrypted, which nio writes in
ASCII: « é » takes six bytes (``\\u00e9``), an emoji twelve.  The text goes twice (``body``,
``formatted_body``) and encryption inflates it by a third: under the 64 KiB (explorer ME3:
11,000 « é », 5,000 emoji were refused, ``M_TOO_LARGE``, and never shown).  The numbered
choices count with the text (explorer ME4: they came on top of it)."""
MAX_INCOMING = 65_536
"""What is kept of a message: the most a homeserver lets an event hold (64 KiB), so a real
message arrives whole and the engine tells its true length (explorer EF4: 26,000 characters
were said 20,000); only a forged event is cut."""
MAX_DOWNLOAD = 20 * 1024 * 1024

TEXT_TYPES = ("m.text", "m.notice", "m.emote")
FILE_TYPES = ("m.file", "m.image")
UNREAD_TYPES = {"m.audio": "voice", "m.video": "media"}
"""Element's and Tchap's voice message is an ``m.audio``: not listened to, said so as on
Telegram, not answered about files and justificatifs (explorer AZ7)."""


def _markup_to_html(markup: str) -> str:
    return markup.replace("\n", "<br>")


def escaped(text: str) -> int:
    """The bytes ``text`` takes in the JSON nio encrypts (ASCII: ``\\u00e9``)."""
    return len(json.dumps(text)) - 2


def text_contents(reply: Reply, *, group: str = "") -> list[dict[str, Any]]:
    """The ``m.room.message`` contents of a reply's text and choices (one or more events).

    ``group``: the bot's name in a room of more than two, where only what is addressed to it
    is read; the hint says how to answer (explorer EF11: the number typed was never read).
    The choices follow the text's last part when the event stays within :data:`MAX_ESCAPED`
    with them, else they go in events of their own (:func:`_choice_events`)."""
    markup = reply.text
    if not markup.strip() and not reply.choices:
        return []
    parts = (
        split_within(markup, MAX_BODY, escaped, MAX_ESCAPED, floor=MAX_ESCAPED // 12)
        if markup.strip()
        else []
    )
    texts_shown = [(texts.plain(part), _markup_to_html(part)) for part in parts]
    if not reply.choices:
        return [_content(plain, formatted) for plain, formatted in texts_shown]
    numbers = list(zip(numbering(reply.choices), reply.choices, strict=True))
    # No number shown (a setting's value is typed): no hint to answer by one. The
    # same hint in both forms (explorer EF6: the plain body had none).
    hint = texts.plain(texts.say("common.answer_by_number", name=group))
    hint = hint if group or any(n[0].isdigit() for n, _ in numbers) else ""
    *before, (plain, formatted) = texts_shown or [("", "")]
    together = _with_choices(plain, formatted, numbers, hint)
    if _fits(together):
        return [*(_content(*shown) for shown in before), together]
    return [_content(*shown) for shown in texts_shown] + _choice_events(numbers, hint)


Numbered = list[tuple[str, Choice]]
"""Choices with the number each is shown with (:func:`~bot.messages.numbering`)."""


def _content(plain: str, formatted: str) -> dict[str, Any]:
    return {
        "msgtype": "m.text",
        "body": plain or "…",
        "format": "org.matrix.custom.html",
        "formatted_body": formatted or "…",
    }


def _fits(content: dict[str, Any]) -> bool:
    """Its text twice (``body``, ``formatted_body``) within what :data:`MAX_ESCAPED` allows
    each: the numbered choices count with the text (explorer ME4: they were not counted, and
    long ones after a text cut at the limit could make an event refused, ``M_TOO_LARGE``)."""
    return escaped(content["body"]) + escaped(content["formatted_body"]) <= 2 * MAX_ESCAPED


def _with_choices(plain: str, formatted: str, numbers: Numbered, hint: str) -> dict[str, Any]:
    """A text followed by choices: numbered lines in ``body``, a list in ``formatted_body``."""
    numbered = "\n".join(f"{n} {c.label}" for n, c in numbers)
    ranked = [(n, c) for n, c in numbers if n[0].isdigit()]
    items = "".join(
        (f'<li value="{c.number}">' if c.number is not None else "<li>")
        + f"{html.escape(c.label)}</li>"
        for n, c in ranked
    )
    others = "".join(f"<li>{html.escape(c.label)}</li>" for n, c in numbers if not n[0].isdigit())
    first = ranked[0][0].rstrip(".") if ranked else "1"
    opening = "<ol>" if first == "1" or ranked[0][1].number is not None else f'<ol start="{first}">'
    lists = (f"{opening}{items}</ol>" if items else "") + (f"<ul>{others}</ul>" if others else "")
    plain = f"{plain}\n\n{numbered}" if plain else numbered
    plain = f"{plain}\n{hint}" if hint else plain
    formatted = f"{formatted}{lists}<i>{html.escape(hint)}</i>" if hint else f"{formatted}{lists}"
    return _content(plain, formatted)


def _choice_events(numbers: Numbered, hint: str) -> list[dict[str, Any]]:
    """The choices alone, in as few events as hold them (the hint after the last), each
    list going on with the numbers of the one before."""
    for count in range(1, len(numbers) + 1):
        size = -(-len(numbers) // count)
        groups = [numbers[at : at + size] for at in range(0, len(numbers), size)]
        events = [
            _with_choices("", "", chosen, hint if chosen is groups[-1] else "") for chosen in groups
        ]
        if all(_fits(event) for event in events):
            return events
    return events  # a label each, the most they can be cut (a label holds 90 characters)


def file_content(
    *, filename: str, mime_type: str, size: int, url: str, keys: dict[str, Any] | None
) -> dict[str, Any]:
    """An ``m.file`` event; ``keys`` (from an encrypted upload) puts the url in ``file``."""
    content: dict[str, Any] = {
        "msgtype": "m.file",
        "body": filename,
        "filename": filename,
        "info": {"mimetype": mime_type, "size": size},
    }
    if keys is not None:
        content["file"] = {"url": url, **keys}
    else:
        content["url"] = url
    return content


@dataclass(frozen=True)
class Said:
    """What a message event says, once read."""

    text: str = ""
    file: dict[str, Any] | None = None
    """``{"url", "keys" (or None), "filename", "mime_type", "size"}`` of an attachment."""


_QUOTE = re.compile(r"^(> .*\n)+\n", re.MULTILINE)


def _without_reply_fallback(body: str, content: dict[str, Any]) -> str:
    relates = content.get("m.relates_to")
    if isinstance(relates, dict) and "m.in_reply_to" in relates and body.startswith("> "):
        match = _QUOTE.match(body)
        if match:
            return body[match.end() :]
    return body


_MARKDOWN = (
    ("strong", re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")),
    (
        "em",
        re.compile(
            r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)"
        ),
    ),
    ("code", re.compile(r"`([^`\n]+)`")),
)
"""Element's Markdown, as its plain ``body`` keeps it, and the tag the formatted body shows."""


def _without_markdown(body: str, content: dict[str, Any]) -> str:
    """« Yanis dit être **démotivé** » as the person sees it, « démotivé » in bold: the
    markers out of the text the bot reads, which reaches the compte rendu's PDF (explorer
    EF2), only where the formatted body shows that formatting (asterisks typed as such
    stay)."""
    shown = content.get("formatted_body")
    if content.get("format") != "org.matrix.custom.html" or not isinstance(shown, str):
        return body
    for tag, marked in _MARKDOWN:
        if f"<{tag}>" in shown:
            body = marked.sub(lambda m: next(g for g in m.groups() if g is not None), body)
    return body


def is_message(source: dict[str, Any]) -> bool:
    """Something a person sent: a message, or an edit, a reaction, a place (:func:`kind_of`),
    not a state or an unknown event."""
    return kind_of(source) is not None


def kind_of(source: dict[str, Any]) -> str | None:
    """ "" for a message the bot reads; what the bot does not read, said so
    (:data:`bot.messages.UNREAD`: explorers AT1, AT2, her « 1 » edited into « 3 » and her
    👍 under the invitation ignored without a word); ``None`` for no message."""
    content = source.get("content")
    if not isinstance(content, dict):
        return None
    if source.get("type") == "m.reaction":
        return "reaction"
    if source.get("type") != "m.room.message":
        return None
    relates = content.get("m.relates_to")
    if isinstance(relates, dict) and relates.get("rel_type") == "m.replace":
        return "edit"
    if content.get("msgtype") in UNREAD_TYPES:
        return UNREAD_TYPES[content["msgtype"]]
    if content.get("msgtype") in (*TEXT_TYPES, *FILE_TYPES):
        return ""
    return "media" if isinstance(content.get("msgtype"), str) else None


def read(source: dict[str, Any]) -> Said:
    """Text and attachment of a message event (``formatted_body`` is ignored)."""
    content = source.get("content") or {}
    if kind_of(source):  # an edit, a reaction…: nothing read (:data:`bot.messages.UNREAD`)
        return Said()
    msgtype = content.get("msgtype")
    body = content.get("body")
    body = body if isinstance(body, str) else ""
    if msgtype in TEXT_TYPES:
        text = _without_markdown(_without_reply_fallback(body, content), content)
        return Said(text=text[:MAX_INCOMING])
    if msgtype in FILE_TYPES:
        raw_info, raw_file = content.get("info"), content.get("file")
        info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
        encrypted: dict[str, Any] | None = raw_file if isinstance(raw_file, dict) else None
        url = (encrypted or {}).get("url") or content.get("url") or ""
        filename = content.get("filename") or body or "document"
        mime = info.get("mimetype") or "application/octet-stream"
        size = info.get("size") if isinstance(info.get("size"), int) else 0
        return Said(
            file={
                "url": url if isinstance(url, str) else "",
                "keys": encrypted,
                "filename": str(filename)[:200],
                "mime_type": str(mime)[:100],
                "size": size,
            }
        )
    return Said()


def addressed(text: str, content: dict[str, Any], me: str, names: tuple[str, ...]) -> str | None:
    """In a group: the text meant for the bot (mention dropped), or None if not for it.

    A command (``/aide``) is for the bot, as on Telegram; so is a message that
    mentions it (``m.mentions``, or starting with its name or MXID).
    """
    stripped = text.strip()
    if stripped.startswith("/"):
        return stripped
    for name in (me, *names):
        if name and stripped.lower().startswith(name.lower()):
            rest = stripped[len(name) :]
            if rest[:1].isalnum():  # « formabots » is not « formabot »
                continue
            return rest.lstrip(" :,").strip()
    mentions = content.get("m.mentions")
    if isinstance(mentions, dict) and me in (mentions.get("user_ids") or []):
        return stripped
    return None


def hail(me: str, shown: str | None) -> str:
    """The name a group's hint tells people to start with: the display name's first word
    when it is the account's own name (« Formabot », not « Formabot – suivi des formations »,
    with its dash nobody types: explorer BE11), else the whole display name, both of which
    :func:`addressed` reads; the account's name when the room shows none."""
    localpart = me[1:].split(":", 1)[0]
    first = shown.split()[0] if shown and shown.split() else ""
    if first and first.lower() == localpart.lower():
        return first
    return shown or localpart


def related(content: dict[str, Any]) -> tuple[str, ...]:
    """The events a message answers: the root of the thread it is in (``rel_type``
    ``m.thread``), then the one it replies to (``m.in_reply_to``).  One of them the bot's:
    the message is for the bot, whatever the client put in ``m.mentions`` (explorer ID6: the
    answer given in reply to its question, as it asks, was ignored without a mention)."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, dict):
        return ()
    found: list[str] = []
    root = relates.get("event_id")
    if relates.get("rel_type") == "m.thread" and isinstance(root, str) and root:
        found.append(root)
    reply = relates.get("m.in_reply_to")
    parent = reply.get("event_id") if isinstance(reply, dict) else None
    if isinstance(parent, str) and parent:
        found.append(parent)
    return tuple(dict.fromkeys(found))


def in_thread(content: dict[str, Any], event_id: str) -> dict[str, Any] | None:
    """The ``m.relates_to`` of the bot's answer to ``event_id``, sent in a thread: the same
    thread, and a reply to the message for clients that show no threads (explorer ID6: the
    answer came in the main timeline); None out of a thread."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, dict) or relates.get("rel_type") != "m.thread":
        return None
    root = relates.get("event_id")
    if not isinstance(root, str) or not root:
        return None
    return {
        "rel_type": "m.thread",
        "event_id": root,
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": event_id},
    }


def sent_at(source: dict[str, Any]) -> datetime | None:
    """When the homeserver received the event (``origin_server_ts``, milliseconds)."""
    stamp = source.get("origin_server_ts")
    if not isinstance(stamp, int) or isinstance(stamp, bool):
        return None
    try:
        return datetime.fromtimestamp(stamp / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def message_source(source: dict[str, Any]) -> dict[str, Any] | None:
    """The parts of a message event that are kept, or None when it is no message."""
    kept = {
        "type": source.get("type"),
        "event_id": source.get("event_id"),
        "sender": source.get("sender"),
        "content": source.get("content"),
        "origin_server_ts": source.get("origin_server_ts"),  # when sent (AJ1; explorer AY2)
    }
    if not isinstance(kept["event_id"], str) or not is_message(kept):
        return None
    return kept
