"""An hour said on a day, placed in the organisation's zone, and what the change of time
does to it.

Going through UTC moves a time in the spring-forward gap (2 h 30) to the hour it means
(3 h 30) and keeps the first of two autumn 2 h 30; :func:`clock_change` says which
happened, so the bot can say it (explorer IB1: 2 h 30 shown back as 3 h 30, no word why).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo


def at_wall(day: date, clock: time, zone: tzinfo | None) -> datetime:
    """``clock`` on ``day`` in ``zone``: an aware datetime that exists (naive without a
    zone), as :func:`bot.dates.understand` places an hour said."""
    naive = datetime.combine(day, clock)
    if zone is None:
        return naive
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def clock_change(when: datetime, typed: time | None) -> str | None:
    """``"ete"`` when the hour ``typed`` does not exist on ``when``'s day (the spring change:
    ``when`` is the hour it means), ``"hiver"`` when it comes twice (the autumn one: ``when``
    is the first), else ``None``."""
    if typed is None or when.tzinfo is None:
        return None
    if (when.hour, when.minute) != (typed.hour, typed.minute):
        return "ete"
    return "hiver" if when.replace(fold=1).utcoffset() != when.utcoffset() else None
