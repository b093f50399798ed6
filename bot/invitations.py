"""One-time codes: random, stored only as a hash, expiring, used once.

The same mechanism serves the formateur invitations of the foundation and
the participants' invitations of the attestations; each kind of code has its
own table, and ``/start CODE`` asks each registered handler in turn.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

CODE_BYTES = 16
"""128 bits of randomness: not guessable, still short enough for a deep link."""

_CODE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

_ISSUED_SHAPE = re.compile(r"^[A-Za-z0-9_-]{22}$")
"""What :func:`new_code` gives: 16 bytes in URL-safe base64, 22 characters."""

_AROUND = " \t\r\n\u00a0\u202f\"'`«»“”„‘’‚‹›.,;:!?()[]<>"
"""What a copy-paste leaves around a code (spaces, quotes, a full stop): never one of the
code's own characters, so stripping it cannot turn a wrong code into a right one."""


def new_code() -> str:
    """A URL-safe code that Telegram accepts as a deep-link payload."""
    return secrets.token_urlsafe(CODE_BYTES)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def looks_like_code(text: str) -> bool:
    return bool(_CODE_SHAPE.match(text.strip()))


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


_FORWARDED = re.compile(r"(?:/start\s+|[?&]start=)([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])")
"""« … envoyez au bot formabot : /start Ab3… Ce code est personnel … »: the invitation a
trainer forwarded, pasted back whole; or its link, « https://t.me/…?start=Ab3… », pasted
as a message by someone who could not open it (explorer DB1)."""


def pasted(text: str) -> str:
    """The code as typed, without the quotes, spaces and punctuation a copy-paste adds; in a
    forwarded invitation pasted whole, the code after its « /start » (explorer G G8: the
    participant read only about an older, cancelled bilan); in a sentence, its one word
    shaped as a code (« Bonjour, voici mon code : t4Dq… », explorer U U6: told to send the
    code it held)."""
    forwarded = _FORWARDED.search(text) if len(text) < 4000 else None
    if forwarded is not None:
        return forwarded[1]
    bare = text.strip(_AROUND)
    words = [w.strip(_AROUND) for w in text.split()] if len(text) < 4000 else []
    codes = [w for w in words if looks_issued(w)]
    return codes[0] if len(codes) == 1 and not looks_issued(bare) else bare


def looks_issued(text: str) -> bool:
    """A message that is nothing but a code as the bot issues them (pasted without /start).

    Its exact length, and letters of both cases or digits mixed in as a random code
    has (a 22-letter word in lower case is a word): nothing else is read as a code.
    """
    if not _ISSUED_SHAPE.match(text):
        return False
    kinds = (any(c.islower() for c in text), any(c.isupper() for c in text))
    return sum(kinds) + any(c.isdigit() for c in text) >= 2
