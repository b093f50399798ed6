"""Calendar invitations (``.ics``, RFC 5545 with iTIP methods of RFC 5546).

A bilan is sent with an invitation so that it lands in the trainer's and the
stagiaire's agendas.  Three details decide whether calendar clients behave:

* **Time zone.** DTSTART/DTEND carry the TZID of the organisation's zone and
  the file embeds the matching VTIMEZONE, so a bilan at 14 h 00 Paris time
  stays at 14 h 00 across daylight saving changes, whatever the client's zone.
* **UID and SEQUENCE.** A moved bilan is sent again with the same UID and a
  higher SEQUENCE: clients then update the existing event instead of adding
  a second one.  A cancellation is the same UID with METHOD:CANCEL.
* **Replies.** Attendees are asked to answer (METHOD:REQUEST, RSVP=TRUE)
  only when an ORGANIZER address is given: RFC 5546 sends an answer to the
  organiser, and without one « Accepter » in a client goes nowhere (or the
  client refuses the file).  Without an organiser the event is published
  (METHOD:PUBLISH, no ATTENDEE, as RFC 5546 wants): clients offer to add it
  and, by its UID and SEQUENCE, to update it.
* **Text.** Free text (a summary, a place typed by the trainer) is escaped
  by icalendar; control characters are removed first, as they have no
  meaning in a calendar and some clients reject the whole file for them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # icalendar is imported when a calendar is built, not at start
    from icalendar import Calendar, vCalAddress

from bot.dates import spell_date

PRODID = "-//formabot//formabot//FR"
_EMAIL = re.compile(r"[^@\s<>\"',;:]+@[^@\s<>\"',;:]+\.[^@\s<>\"',;:]+")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def _text(value: str, *, multiline: bool = False) -> str:
    """Free text without control or format characters.

    Line breaks survive only in a multi-line field (DESCRIPTION); a summary
    or a place is shown on one line by every client, so it is made one.
    """
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        char
        for char in value
        if char == "\n" or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    if multiline:
        return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    return " ".join(text.split())


def _address(email: str, *, what: str) -> vCalAddress:
    from icalendar import vCalAddress

    email = email.strip()
    if not _EMAIL.fullmatch(email):
        raise ValueError(f"{what}: not an e-mail address: {email!r}")
    return vCalAddress(f"mailto:{email}")


def _zoned(moment: datetime, *, what: str) -> datetime:
    """An aware datetime whose zone can be named by a TZID.

    A ZoneInfo is kept as is (its key becomes the TZID); UTC stays UTC;
    a bare fixed offset has no name a client could resolve, so it is
    converted to UTC rather than written ambiguously.
    """
    zone: tzinfo | None = moment.tzinfo
    if zone is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime (zoneinfo), got {moment!r}")
    if isinstance(zone, ZoneInfo) or zone is UTC:
        return moment
    return moment.astimezone(UTC)


def with_timezones(calendar: Calendar, first: date, last: date) -> None:
    """One VTIMEZONE per TZID the events use, with its comment in French.

    Generated from the zoneinfo rules for the years around the events only
    (the default span, 1970-2038, is long and would stop short of a late
    event).  icalendar writes "This timezone only works from …" in each: a
    calendar client may show it, so it is said in French instead.
    """
    span_start, span_end = date(first.year - 1, 1, 1), date(last.year + 2, 1, 1)
    calendar.add_missing_timezones(first_date=span_start, last_date=span_end)
    for zone in calendar.walk("VTIMEZONE"):
        zone.pop("COMMENT", None)
        zone.add(
            "comment",
            f"Fuseau horaire valable du {spell_date(span_start)} au {spell_date(span_end)}.",
        )


def invitation(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    location: str | None,
    organizer_email: str | None = None,
    organizer_name: str = "",
    attendees: Sequence[str] = (),
    sequence: int = 0,
    cancelled: bool = False,
    stamp: datetime | None = None,
) -> bytes:
    """One event as an ``.ics`` file: METHOD:REQUEST with an organiser, PUBLISH without
    (nobody to answer to), CANCEL when ``cancelled``.

    ``uid`` must stay the same for the life of the event (e.g.
    ``bilan-42@formabot``); ``sequence`` goes up each time the event moves
    or is cancelled.  A location that is a link (a visio) is also given as
    URL so clients show it clickable.  ``stamp`` (DTSTAMP) defaults to now.
    """
    from icalendar import Calendar, Event, vText

    uid = _text(uid)
    if not uid or any(char.isspace() for char in uid):
        raise ValueError(f"uid must be a non-empty token without spaces, got {uid!r}")
    if sequence < 0:
        raise ValueError(f"sequence must be >= 0, got {sequence}")
    start = _zoned(start, what="start")
    end = _zoned(end, what="end")
    if end <= start:
        raise ValueError(f"end {end.isoformat()} is not after start {start.isoformat()}")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    asks_answers = bool(organizer_email) and not cancelled
    calendar.add("method", "CANCEL" if cancelled else "REQUEST" if asks_answers else "PUBLISH")

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", _text(summary))
    event.add("description", _text(description, multiline=True))
    if location and (place := _text(location)):
        event.add("location", place)
        if link := _URL.fullmatch(place):
            event.add("url", link.group())
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer_email:
        organizer = _address(organizer_email, what="organizer_email")
        if name := _text(organizer_name):
            organizer.params["CN"] = vText(name)
        event.add("organizer", organizer)
    for email in dict.fromkeys(a.strip() for a in attendees):
        attendee = _address(email, what="attendee")
        if not (asks_answers or cancelled):
            continue  # checked all the same: a bad address is the caller's bug either way
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        if asks_answers:
            attendee.params["RSVP"] = vText("TRUE")
        event.add("attendee", attendee)
    calendar.add_component(event)
    with_timezones(calendar, start.date(), end.date())
    data: bytes = calendar.to_ical()
    return data
