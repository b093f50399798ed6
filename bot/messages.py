"""The neutral shapes that cross the border between a chat platform and the engine.

Transports only translate: a Telegram update, a Matrix event or a terminal
line becomes an :class:`Incoming`; the engine answers with :class:`Reply`
objects that each transport renders in its own idiom (inline keyboards,
numbered choices, uploaded files).  Nothing here knows about any platform.

How the platforms map:

- Telegram: ``chat`` is the chat id, ``user`` the sender id, ``event_id`` the
  update id; a callback query sets ``choice`` to its data; ``/start PAYLOAD``
  from a deep link sets ``payload``; a photo or document sets ``attachment``
  (downloaded by the transport).
- Matrix: ``chat`` is the room id, ``user`` the MXID, ``event_id`` the event
  id; an ``m.file``/``m.image`` event sets ``attachment``; numbered choices are
  answered by text, which the engine matches itself.
- Console: ``chat`` and ``user`` are the ``--as`` name; ``event_id`` a
  counter persisted by the console.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum


class Platform(StrEnum):
    CONSOLE = "console"
    TELEGRAM = "telegram"
    MATRIX = "matrix"


@dataclass(frozen=True)
class Attachment:
    """A file or photo the user sent, already fetched by the transport."""

    filename: str
    mime_type: str
    content: bytes

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


WAITED_AT_LEAST = timedelta(minutes=1)
WAITED_AT_MOST = timedelta(days=2)

_INVISIBLE = str.maketrans("", "", "\u200b\u2060\ufeff\u00ad")
"""Zero-width space, word joiner, byte-order mark, soft hyphen: nothing a reader sees."""

_MARKS = re.compile("[\u200c-\u200f\u061c]")
_HIDDEN = re.compile("[\u200b\u2060\ufeff\u00ad\u200c-\u200f\u061c]")
"""Any character :func:`cleaned` may leave out (:data:`_INVISIBLE`, :data:`_MARKS`): one search."""
_EMOJI_PARTS = ("So", "Sk", "Mn")
"""What comes before a joiner that is part of an emoji (👩‍🏫: a symbol, a skin tone, U+FE0F)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate (:attr:`Incoming.is_valid_unicode`): one search, not a comparison per
character of every message (ZP)."""


def _without_marks(text: str) -> str:
    """Left-to-right and right-to-left marks (U+200E, U+200F, U+061C), and the joiners
    (U+200C, U+200D) but within an emoji, left out: copied from a mail with a name, they
    made « « Sophie Leroy » ne ressemble pas à un nom », nothing visible to correct
    (explorer GD4)."""
    if _MARKS.search(text) is None:
        return text
    return "".join(
        ch
        for n, ch in enumerate(text)
        if ch not in "\u200e\u200f\u061c"
        and (
            ch not in "\u200c\u200d"
            or (n > 0 and unicodedata.category(text[n - 1]) in _EMOJI_PARTS)
        )
    )


def cleaned(text: str) -> str:
    """``text`` as every check and every stored copy sees it: composed (NFC), without what
    no reader sees (:data:`_INVISIBLE`, :func:`_without_marks`)."""
    if text.isascii():  # nothing invisible, nothing to compose: as it came (DA2)
        return text
    if _HIDDEN.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text
    return _cleaned_slowly(text)


def _cleaned_slowly(text: str) -> str:
    """:func:`cleaned`, each step taken whatever the text holds."""
    out = _without_marks(text.translate(_INVISIBLE))
    if not unicodedata.is_normalized("NFC", out):
        out = unicodedata.normalize("NFC", out)
    return out


UNREAD = ("edit", "reaction", "voice", "media", "forward")
"""What a person may send that the bot does not read, each said so and not taken as an empty
answer (explorers AW3, AW5, AT1, AT2: an edit from « 1 » to « 3 » ignored without a word, a
voice message « Je n'ai rien reçu »): a message changed, a reaction, a voice message, a
sticker, a place, a contact card or a poll, and someone else's message forwarded (AW10: a
trainee's « Bonjour madame je serai absente demain » read as the trainer's words)."""


@dataclass(frozen=True)
class Incoming:
    platform: Platform
    chat: str
    user: str
    event_id: str
    text: str = ""
    choice: str | None = None
    """Opaque data of a pressed button, as the engine emitted it (Telegram)."""
    attachment: Attachment | None = None
    display_name: str = ""
    """The name the platform shows for the user; never logged."""
    is_group: bool = False
    """The chat has several people in it: no personal data may be shown there."""
    sent_at: datetime | None = None
    """When the person sent it, as the platform says (Telegram's ``date``, Matrix's
    ``origin_server_ts``); ``None`` for a button (Telegram gives no moment of the press)."""
    kind: str = ""
    """What came that the bot does not read, :data:`UNREAD`; "" for a message it reads."""
    quoted: str = ""
    """The text of the bot's own message this one answers (Matrix « Répondre », a thread on
    it), when known: which invitation she answers (explorer DB3); never logged."""

    def __post_init__(self) -> None:
        # Text pasted from macOS or iOS comes decomposed (« é » as « e » and an accent
        # mark): every check and every stored copy sees it composed (explorer AK1:
        # « Marie-Hélène » pasted so was « ne ressemble pas à un nom »). The invisible
        # characters a copy from a mail or a document carries go (AK6: a visio link
        # with a zero-width space inside was sent broken to the participants), and so do the
        # direction marks and the joiners between letters (GD4).
        # Most messages are plain ASCII or hold nothing to change: one test each (DA2).
        for name in ("text", "display_name"):
            value = getattr(self, name)
            if (fixed := cleaned(value)) is not value:
                object.__setattr__(self, name, fixed)

    def read_at(self, now: datetime, zone: tzinfo | None = None) -> datetime:
        """The moment the message is read at: when it was sent, if it waited for the bot
        (stopped, restarting) more than a minute and less than two days, else ``now``.

        Explorer AJ1: « Inès absente ce matin », sent at 22 h 05 while the bot was down
        and handled the next morning, was offered for the wrong day; AJ2: an answer given
        an hour after the question was refused as « Sans réponse depuis un moment »."""
        sent = self.sent_at
        if sent is None or not now - WAITED_AT_MOST <= sent <= now:
            return now
        # Sent before midnight, handled just after (``zone``: the organisation's): its day is
        # the day it was sent, however short the wait (explorer AR5).
        crossed = zone is not None and sent.astimezone(zone).date() != now.astimezone(zone).date()
        return sent if crossed or sent <= now - WAITED_AT_LEAST else now

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.platform.value, self.chat, self.user)

    @property
    def command(self) -> str | None:
        """``/formation`` → ``formation``; ``/start@formabot_bot CODE`` → ``start``."""
        text = self.text.strip()
        if not text.startswith("/") or len(text) < 2:
            return None
        word = text[1:].split(maxsplit=1)[0]
        return word.split("@", 1)[0].lower() or None

    @property
    def unread(self) -> str | None:
        """Why the message is not read, as the chat message that says so; ``None``: it is."""
        if self.kind in UNREAD:
            return f"common.unread_{self.kind}"
        return None if self.is_valid_unicode else "common.invalid_unicode"

    @property
    def is_valid_unicode(self) -> bool:
        """False for text that cannot be stored or shown: lone surrogates (``\\udcff``).

        Some clients and bridges let them through; no database, template or
        platform accepts them back, so they are refused before any step sees
        them.
        """
        return _SURROGATE.search(self.text) is None and (
            self.choice is None or _SURROGATE.search(self.choice) is None
        )

    @property
    def argument(self) -> str:
        """What follows the command word: the deep-link payload of ``/start CODE``."""
        parts = self.text.strip().split(maxsplit=1)
        return parts[1].strip() if len(parts) == 2 else ""


MAX_LABEL = 90
"""The longest label a choice shows (a numbered line on the console and Matrix); a longer
one is fitted by the conversation (:mod:`bot.conversations.kit.labels`)."""

TELEGRAM_BUTTON = 64
"""The characters a Telegram button shows on a phone; a longer label is cut by the transport."""


def label_limit(platform: Platform) -> int:
    """What a choice's label may hold on ``platform``: a label fitted to it by the
    conversation (:func:`bot.conversations.kit.labels.fit`) keeps what tells two lines apart,
    where the transport's cut would take the middle (explorer H: two Telegram buttons
    read the same, the formation's name cut away)."""
    return TELEGRAM_BUTTON if platform is Platform.TELEGRAM else MAX_LABEL


ELLIPSIS = "…"


def shorten(text: str, limit: int = MAX_LABEL, *, middle: bool = False) -> str:
    """``text`` in at most ``limit`` characters, « … » where it was cut.

    ``middle`` keeps both ends (« Agent de r…n – Caen »): where lines share
    their start, what tells them apart is often at the end.
    """
    if len(text) <= limit:
        return text
    room = max(limit - 1, 0)
    if middle:
        tail = room // 2
        head, end = text[: room - tail].rstrip(" " + ELLIPSIS), text[len(text) - tail :]
        return head + ELLIPSIS + end.lstrip(ELLIPSIS)
    return text[:room].rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Choice:
    """One button / numbered option.  ``data`` is opaque to transports."""

    label: str
    data: str
    number: int | None = None
    """The number typing answers it with, when not its rank (a page of a long list)."""
    numbered: bool = True
    """False: shown with a dash and typed by its label only, where a number typed is an
    answer in itself (a setting's value), so no number on screen can mean two things."""
    detail: str = ""
    """The whole line a platform's narrow buttons cut (Telegram): listed, numbered, under the
    message's text there (explorer ED1: « Envoyer le bila… – Chloé…nier » was all an
    administrator could read of 34 deadlines)."""


def numbering(choices: tuple[Choice, ...]) -> list[str]:
    """What a numbering platform (console, Matrix) shows before each choice.

    Choices are numbered 1, 2, 3… in order unless some carry their own
    number (a page of a multi-choice list keeps the whole list's numbers);
    then the others ("Suivants", "Terminé") are typed by their label and
    shown with a dash, as are choices not ``numbered``.
    """
    own = any(c.number is not None for c in choices)
    shown: list[str] = []
    rank = 0
    for choice in choices:
        if not choice.numbered or (own and choice.number is None):
            shown.append("–")
        elif own:
            shown.append(f"{choice.number}.")
        else:
            rank += 1
            shown.append(f"{rank}.")
    return shown


def numbers(choices: tuple[Choice, ...]) -> dict[str, str]:
    """Each number shown (:func:`numbering`) and the data of the choice it stands for.

    What the engine keeps with a question, so that a number typed is the
    choice shown with that number, whatever the step does with other text.
    """
    return {
        shown.rstrip("."): choice.data
        for shown, choice in zip(numbering(choices), choices, strict=True)
        if shown != "–"
    }


@dataclass(frozen=True)
class Document:
    filename: str
    mime_type: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """One message from the bot.

    ``text`` is safe chat markup (see :mod:`bot.texts`).  ``edit_previous``
    asks the transport to replace the message whose button was just pressed
    (so old buttons cannot be pressed twice) instead of sending a new one.
    ``chat`` set means "send to that chat instead of the current one" (a
    notice to another person), on the same platform.
    """

    text: str = ""
    choices: tuple[Choice, ...] = ()
    document: Document | None = None
    edit_previous: bool = False
    chat: str | None = None
    columns: int = 1
    extras: dict[str, str] = field(default_factory=dict)


BUSY = "busy"
"""In a reply's ``extras``: the engine gave the turn up, the database refusing it five times
running (another process moving the same conversation, a server restarting)."""

SAY_ONCE = "say once"
"""The value of :data:`BUSY` for a wait that may last (the disk full, :mod:`bot.storage.full`):
a transport that keeps the update says the reply's text once, not at every try."""


SENT_AS = "outbox_key"
"""In a reply's ``extras``, set by the outbox as it sends: the message's own key, so a
transport that must not send one message twice (Matrix, opening a direct chat for it) tells
a retry of it from another message of the same words (explorer GB3: a relance, word for word
the invitation, was taken for it and never sent)."""


STALE = "stale_press"
"""In a reply's ``extras``: the turn refused a button as no longer current (an old message,
or a second button of one question pressed before the first was answered).  A transport
must not show that button's label as the answer taken (explorer H H2)."""


def gave_up(replies: Sequence[Reply]) -> bool:
    """The engine's only answer is that it gave the turn up (:data:`BUSY`): a transport that
    keeps the update (a durable inbox) tries it again later instead of sending that."""
    return len(replies) == 1 and BUSY in replies[0].extras


ROOM_NAME = "matrix_room_name"
ROOM_TOPIC = "matrix_room_topic"
"""In a reply's ``extras`` (:mod:`bot.matrix_room`): the name and topic of the direct chat the
Matrix transport opens for it, when the reply goes to a Matrix ID (explorer DC2: the invitation
arrived bare, saying neither which organisation nor why).  Kept with the reply in the outbox;
ignored when the room exists already and on other platforms."""


RECIPIENT = "recipient"
"""In a reply's ``extras``, set by :func:`bot.outbox.enqueue`: the chat account (its user id
on the platform) of the one person a message the bot sends on its own is for.  Her chat may
be a room others read, several people writing to the bot from it (explorer AJ2): the room
does not say whose the message is, this does, so that the Matrix transport takes it to her
own private chat.  Absent from what is meant for a group (the digest's room)."""


class ChatFor(tuple[str, str]):
    """(platform, chat) of one person, with whose account it is (:data:`RECIPIENT`).

    A pair as before wherever it is unpacked; :func:`recipient_of` reads the account."""

    user: str | None

    def __new__(cls, platform: str, chat: str, user: str | None) -> ChatFor:
        found = super().__new__(cls, (platform, chat))
        found.user = user
        return found


def recipient_of(where: tuple[str, str]) -> str | None:
    """The account a chat was found for (:class:`ChatFor`), None for a bare pair."""
    return where.user if isinstance(where, ChatFor) else None
