"""Time arithmetic, decided once for every rule.

* Days and months are calendar days in the organisation's zone: a bilan on
  Thursday at 14 h 00 gives "J-7" on the previous Thursday, whatever the UTC
  offset.  Months clamp to the end of a shorter month (31 January + 1 month =
  28 or 29 February), as a person counting on a calendar would; a day off
  moves only what :attr:`Milestone.day_off_after` says.
* Hours ("48h avant maximum") have two readings that differ only on the
  weekends the clocks change: elapsed time (48 × 3600 s) and wall-clock time
  (same clock time, two days earlier).  The engine takes the *earlier* of the
  two, which satisfies both: in autumn the wall-clock time wins (10 h 00 two
  days before, 49 h), in spring the elapsed one (9 h 00, as 10 h 00 leaves 47 h).
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Moment = date | datetime
"""An anchor: a day, or a moment (aware)."""


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped: 15 June + 1 = 15 July; 31 January + 1 = 28/29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def local_date(moment: Moment, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date() if isinstance(moment, datetime) else moment


def local_moment(moment: Moment, tz: ZoneInfo) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone(tz)
    return datetime.combine(moment, time(0), tzinfo=tz)


def shift_hours(moment: datetime, hours: int, tz: ZoneInfo) -> datetime:
    """``moment`` + ``hours`` (negative: before), the earlier of elapsed and wall-clock time."""
    local = moment.astimezone(tz)
    elapsed = (local.astimezone(UTC) + timedelta(hours=hours)).astimezone(tz)
    naive = local.replace(tzinfo=None) + timedelta(hours=hours)
    # A wall-clock time in the spring gap does not exist; the UTC round trip moves it
    # past the gap.  An ambiguous autumn time takes its first occurrence (fold=0).
    wall = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    # Compare instants: Python compares two datetimes sharing a tzinfo by wall clock.
    return min(wall, elapsed, key=lambda moment: moment.astimezone(UTC))
