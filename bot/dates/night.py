"""The night, when nothing the bot decides by itself goes out: from 21 h until the morning.

A reminder that fell due while the bot was down (restarted at 3 h, explorer
AV8: the entretien's reminder, a delegate's « le bilan est terminé »), or a
look again at the deadlines after a change made at 22 h (AV7: a colleague's
« À faire demain » at 22 h 10), waits for the morning: queued for then, or
left to the morning's digest.  What a person asks for is answered at once.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

EVENING = 21
"""From this hour, local time, it is night."""
MORNING_AT_LATEST = 8
"""The night ends at the organisation's digest hour, and never after this one (a digest set at
18 h leaves the day open)."""


def is_night(local: datetime, digest_hour: int) -> bool:
    """Whether ``local`` (the organisation's time) is in the night."""
    return local.hour >= EVENING or local.hour < min(digest_hour, MORNING_AT_LATEST)


def morning_after(now: datetime, zone: tzinfo, digest_hour: int) -> datetime | None:
    """When a message the bot sends by itself at ``now`` may go: ``None`` for at once (the day),
    else the coming morning."""
    local = now.astimezone(zone)
    if not is_night(local, digest_hour):
        return None
    day = local.date() + timedelta(days=1) if local.hour >= EVENING else local.date()
    return datetime.combine(day, time(min(digest_hour, MORNING_AT_LATEST)), zone)
