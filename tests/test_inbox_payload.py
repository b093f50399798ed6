"""An update keeps everything through the table's JSON, attachment included."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.inbox_payload import incoming_to_payload, payload_to_incoming
from bot.messages import Attachment, Incoming, Platform

PDF = b"%PDF-1.4 compte rendu \x00\xff"


def test_an_incoming_survives_the_round_trip_through_json() -> None:
    incoming = Incoming(
        Platform.TELEGRAM,
        "-100",
        "7",
        "42",
        text="/start CODE",
        choice="3|oui",
        attachment=Attachment("scan.pdf", "application/pdf", PDF),
        display_name="Léa",
        is_group=True,
        sent_at=datetime(2026, 12, 8, 21, 5, tzinfo=UTC),  # read then, if handled late (AJ1)
    )
    assert payload_to_incoming(incoming_to_payload(incoming)) == incoming
    edited = Incoming(Platform.MATRIX, "!r", "@u", "$e", kind="edit")  # said so once read
    assert payload_to_incoming(incoming_to_payload(edited)) == edited
