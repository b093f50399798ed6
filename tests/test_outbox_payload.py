"""A message waiting in the outbox reads the same when it leaves, even after a restart."""

from __future__ import annotations

from pathlib import Path

from bot.messages import Choice, Document, Reply
from bot.outbox_payload import (
    Mail,
    mail_to_payload,
    payload_to_mail,
    payload_to_reply,
    reply_to_payload,
    without_attachments,
)
from bot.transports.console import render


def test_a_reply_survives_the_round_trip_through_json() -> None:
    reply = Reply(
        text="<b>Rappel</b>",
        choices=(Choice("Fait", "1|done"),),
        document=Document("a.pdf", "application/pdf", b"%PDF-1.4 \x00\xff", "légende"),
    )
    back = payload_to_reply(reply_to_payload(reply))
    assert back.text == reply.text and back.choices == reply.choices
    assert back.document == reply.document


def test_a_page_of_a_long_list_reads_the_same_when_shown_again() -> None:
    """Its own numbers and its dashed « Terminé » were lost on the way: replayed after a
    restart, the page showed « 4. Terminé », a number the question does not read."""
    page = (Choice("Léa Martin", "1|3", number=3), Choice("Suivants", "1|next"))
    page += (Choice("Terminé", "1|done", numbered=False),)
    shown = render(payload_to_reply(reply_to_payload(Reply("Qui ?", choices=page))), Path("/tmp"))
    assert shown == "Qui ?\n  3. Léa Martin\n  – Suivants\n  – Terminé"
    # Rows written before the number was kept still read.
    assert payload_to_reply({"text": "Qui ?", "choices": [["Oui", "1|yes"]]}).choices == (
        Choice("Oui", "1|yes"),
    )
    # The whole line a narrow button cuts (explorer ED1) is kept too, for Telegram.
    cut = (Choice("🔵 30/04 Déposer le livr…", "1|d:4", detail="🔵 30/04 Déposer le livret"),)
    assert payload_to_reply(reply_to_payload(Reply("Vos échéances :", choices=cut))).choices == cut


def test_a_sent_mail_keeps_its_files_names_not_their_content() -> None:
    ics = Document("bilan.ics", "text/calendar", b"BEGIN:VCALENDAR", "")
    payload = mail_to_payload(Mail("Bilan", "Bonjour", (ics,)))
    assert payload_to_mail(payload).attachments == (ics,)
    kept = without_attachments(payload)
    assert [(a["filename"], a["content"]) for a in kept["attachments"]] == [("bilan.ics", "")]
    assert payload["attachments"][0]["content"]  # the queued row itself is not changed
