"""What a bilan's answers must look like: a duration, a visio link, a partner's contact.

Pure functions over one cleaned line: each gives the value to store, or
``None`` when the line does not fit (the dialogue says why, from its
templates).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot import dates
from bot.mailer import EMAIL

DEFAULT_MINUTES = 120
MIN_MINUTES = 30
MAX_MINUTES = 8 * 60
MAX_PARTNERS = 15

_URL_HOST = re.compile(r"^[A-Za-z0-9.-]+$")

HANDLE = re.compile(r"^@[A-Za-z0-9_.=\-/]{3,64}(:[A-Za-z0-9.\-]{1,190}(:[0-9]{1,5})?)?$")
"""A Telegram ``@pseudo`` or a Matrix/Tchap ``@user:server``."""


def duration_minutes(line: str) -> int | None:
    """Minutes of a duration in French ("1 h 30", "90 minutes"); ``None`` if unclear, or
    negative (explorer AK10: « -2 h » was taken as two hours without a word)."""
    if line.lstrip().startswith(("-", "−", "–")):
        return None
    duration = dates.understand_duration(line)
    if duration is None:
        return None
    return int(duration.total_seconds() // 60)


def minutes_fit(minutes: int) -> bool:
    return MIN_MINUTES <= minutes <= MAX_MINUTES


_NOT_IN_URLS = frozenset(' <>"\\`{}|^')
"""RFC 3986: never bare in an address."""


_BARE_HOST = re.compile(r"(?i)^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/:?#]|$)")
"""A host name and its path without « https:// » (www.…, meet.google.com/…)."""


def visio_url(line: str) -> str | None:
    """The link if it is a full http(s) address with a plausible host, and nothing an address
    must percent-encode (« <b> », quotes): it is copied into invitations, the ``.ics`` and the
    letter to the chargée de mission as it is."""
    if any(c in _NOT_IN_URLS for c in line):
        return None
    if "://" not in line and _BARE_HOST.match(line):
        line = f"https://{line}"  # « meet.google.com/abc-defg-hij », as Meet shows it (DG13)
    try:
        parts = urlsplit(line)
        host = parts.hostname or ""
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not port_ok:
        return None
    if not _URL_HOST.match(host) or ("." not in host and host != "localhost"):
        return None
    if host.startswith(".") or host.endswith(".") or ".." in host:
        return None
    return line


def contact(line: str) -> str | None:
    """An e-mail address (lower-cased) or a chat handle, as typed."""
    value = line.strip()
    if EMAIL.match(value):
        return value.lower()
    if HANDLE.match(value):
        return value
    return None
