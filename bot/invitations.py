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


def new_code() -> str:
    """A URL-safe code that Telegram accepts as a deep-link payload."""
    return secrets.token_urlsafe(CODE_BYTES)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def looks_like_code(text: str) -> bool:
    return bool(_CODE_SHAPE.match(text.strip()))


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
