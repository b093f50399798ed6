"""How a moment is written in the access document (``/mesdonnees``): ISO 8601 to the second,
which the document's text version reads back in words and local time."""

from __future__ import annotations

from datetime import datetime


def when_said(moment: datetime | None) -> str | None:
    """A moment in the access document, ``None`` for none."""
    return moment.isoformat(timespec="seconds") if moment is not None else None
