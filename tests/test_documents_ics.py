"""Calendar invitations, parsed back as a calendar client would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.documents.ics import invitation

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 11, 26, 14, 0, tzinfo=PARIS)
END = datetime(2026, 11, 26, 15, 30, tzinfo=PARIS)


def make(**changes: Any) -> bytes:
    arguments: dict[str, Any] = {
        "uid": "bilan-42@formabot",
        "start": START,
        "end": END,
        "summary": "Bilan de mi-parcours – Zoé Lefèvre",
        "description": "Préparez vos questions ; apportez l’attestation, s’il vous plaît.\n2e ligne",
        "location": "Salle Œillet, 3 rue de l’Église",
        "organizer_email": "formatrice@example.org",
        "attendees": ["zoe@example.org", "tuteur@example.org"],
    }
    arguments.update(changes)
    return invitation(**arguments)


def parse(data: bytes) -> Calendar:
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded per RFC 5545
    return Calendar.from_ical(data)


def only_event(calendar: Calendar) -> Any:
    """The single VEVENT; typed Any because icalendar types every property
    value as a union of all its value classes, which tests read dynamically."""
    [event] = calendar.events
    return event


def test_request_carries_times_zone_and_texts() -> None:
    calendar = parse(make())

    assert calendar["METHOD"] == "REQUEST"
    assert "formabot" in str(calendar["PRODID"])
    assert calendar["VERSION"] == "2.0"
    event = only_event(calendar)
    assert event.start == START
    assert event.end == END
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTEND"].params["TZID"] == "Europe/Paris"
    assert event.start.utcoffset() == timedelta(hours=1)  # CET in November
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    assert str(event["UID"]) == "bilan-42@formabot"
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Bilan de mi-parcours – Zoé Lefèvre"
    assert str(event["DESCRIPTION"]) == (
        "Préparez vos questions ; apportez l’attestation, s’il vous plaît.\n2e ligne"
    )
    assert str(event["LOCATION"]) == "Salle Œillet, 3 rue de l’Église"
    assert "URL" not in event
    assert str(event["STATUS"]) == "CONFIRMED"
    stamp = event.decoded("DTSTAMP")
    assert stamp.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)
    assert str(event["ORGANIZER"]) == "mailto:formatrice@example.org"
    assert "CN" not in event["ORGANIZER"].params  # no name given, none made up
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:zoe@example.org", "mailto:tuteur@example.org"]
    assert all(a.params["RSVP"] == "TRUE" for a in attendees)


def test_without_an_organiser_nobody_is_asked_to_answer() -> None:
    """RFC 5546: answers go to the ORGANIZER; without one « Accepter » would go nowhere."""
    data = make(organizer_email=None)
    calendar = parse(data)

    assert calendar["METHOD"] == "PUBLISH"
    event = only_event(calendar)
    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event
    assert b"RSVP" not in data
    assert str(event["UID"]) == "bilan-42@formabot"
    with pytest.raises(ValueError, match="attendee"):  # a bad address is still refused
        make(organizer_email=None, attendees=["pas une adresse"])


def test_an_organiser_is_named_when_given() -> None:
    event = only_event(parse(make(organizer_name="Camille Durand (Forma Plus)")))

    assert event["ORGANIZER"].params["CN"] == "Camille Durand (Forma Plus)"


def test_summer_time_is_resolved_from_the_zone() -> None:
    start = datetime(2027, 7, 1, 9, 0, tzinfo=PARIS)
    event = only_event(parse(make(start=start, end=start + timedelta(hours=1))))

    assert event.start.utcoffset() == timedelta(hours=2)
    assert event.start.astimezone(UTC) == datetime(2027, 7, 1, 7, 0, tzinfo=UTC)


def test_a_moved_bilan_keeps_its_uid_with_a_higher_sequence() -> None:
    first = only_event(parse(make()))
    later = START + timedelta(days=7)
    moved = only_event(parse(make(start=later, end=later + timedelta(hours=1), sequence=1)))

    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] > first["SEQUENCE"]
    assert moved.start == datetime(2026, 12, 3, 14, 0, tzinfo=PARIS)


def test_cancellation_is_the_same_event_with_method_cancel() -> None:
    calendar = parse(make(sequence=2, cancelled=True))

    assert calendar["METHOD"] == "CANCEL"
    event = only_event(calendar)
    assert str(event["UID"]) == "bilan-42@formabot"
    assert event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"
    attendees = event["ATTENDEE"]
    assert all("RSVP" not in a.params for a in attendees)


def test_a_visio_link_is_also_the_url_and_optional_fields_may_be_absent() -> None:
    link = "https://visio.example.org/bilan-42?pwd=abc"
    event = only_event(parse(make(location=link, organizer_email=None, attendees=())))

    assert str(event["LOCATION"]) == link
    assert str(event["URL"]) == link
    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event

    event = only_event(parse(make(location=None)))
    assert "LOCATION" not in event


def test_typed_text_cannot_inject_properties_or_components() -> None:
    hostile = "Bilan\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:pirate\x00\u202e; a,b"
    calendar = parse(make(summary=hostile, description=hostile, location=hostile))

    event = only_event(calendar)
    assert str(event["UID"]) == "bilan-42@formabot"
    assert str(event["SUMMARY"]) == "Bilan END:VEVENT BEGIN:VEVENT UID:pirate; a,b"
    assert str(event["LOCATION"]) == "Bilan END:VEVENT BEGIN:VEVENT UID:pirate; a,b"
    assert str(event["DESCRIPTION"]) == "Bilan\nEND:VEVENT\nBEGIN:VEVENT\nUID:pirate; a,b"


def test_fixed_offsets_are_written_in_utc() -> None:
    offset = timezone(timedelta(hours=2))
    start = datetime(2026, 11, 26, 16, 0, tzinfo=offset)
    data = make(start=start, end=start + timedelta(hours=1))

    assert b"DTSTART:20261126T140000Z" in data
    assert only_event(parse(data)).start == start


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": datetime(2026, 11, 26, 14, 0)}, "aware"),
        ({"end": START}, "not after start"),
        ({"end": START - timedelta(hours=1)}, "not after start"),
        ({"uid": " "}, "uid"),
        ({"uid": "a b"}, "uid"),
        ({"sequence": -1}, "sequence"),
        ({"organizer_email": "pas une adresse"}, "organizer_email"),
        ({"attendees": ["zoe@example.org\r\nATTENDEE:mailto:x@y.z"]}, "attendee"),
    ],
)
def test_bad_arguments_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make(**changes)


def test_nothing_in_english_in_the_file_a_user_opens() -> None:
    """Issue 11 item 24: icalendar's "This timezone only works from …" is said in French."""
    calendar = parse(make())
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    assert str(zones[0]["COMMENT"]) == (
        "Fuseau horaire valable du mercredi 1er janvier 2025 au samedi 1er janvier 2028."
    )
    unfolded = make().replace(b"\r\n ", b"").decode()
    for english in ("This timezone", "only works", "timezone"):
        assert english not in unfolded
