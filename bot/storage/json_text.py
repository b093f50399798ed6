"""The JSON text of the database's JSON columns, written and read with less work per value.

Every turn writes two JSON values (the conversation's state, the event's replies) and
reads one.  ``json.dumps`` makes its C encoder anew at each call, through three Python
calls, and checks for circular references: about a third of a small value's encoding
(NA).  :func:`dumps` keeps one encoder, made once, with ``json.dumps``'s very settings, so
the text stored is the same, character for character (ASCII, « , » and « : » with their
spaces); the state and the replies are plain data, never circular.  :func:`loads` reads
with the decoder's scanner directly, and leaves to ``json.loads`` whatever it does not
read whole (spaces around, a text that is not JSON: the same error as before).
"""

from __future__ import annotations

import json
from json import decoder, encoder, scanner
from typing import Any

_made: Any = getattr(encoder, "c_make_encoder", None)  # the C encoder (typeshed omits it)
_encode = (
    # json.dumps's own: its ``default`` (a TypeError for what JSON cannot hold), no indent,
    # its separators, keys unsorted and none skipped, NaN allowed; no circular check.
    _made(
        None,
        encoder.JSONEncoder().default,
        encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    if _made is not None
    else None
)


def dumps(value: Any) -> str:
    """``json.dumps(value)``, the same text."""
    if _encode is None:  # an interpreter without the C encoder
        return json.dumps(value)
    return "".join(_encode(value, 0))


_scan: Any = scanner.make_scanner(decoder.JSONDecoder())  # type: ignore[arg-type]


def loads(text: str | bytes) -> Any:
    """``json.loads(text)``, the same value."""
    if isinstance(text, str):
        try:
            value, end = _scan(text, 0)
        except StopIteration:
            pass
        else:
            if end == len(text):
                return value
    return json.loads(text)
