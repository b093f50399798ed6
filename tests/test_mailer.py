"""The outbox's e-mail channel: a message composed as the recipient's client reads it
(a stable Message-ID, the .ics with its iTIP method), the TLS modes, refusals for good."""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import pytest

from bot import mailer
from bot.config import Settings
from bot.messages import Document
from bot.outbox import PermanentFailure
from bot.outbox_payload import Mail
from tests.auxil.smtp import SmtpServer, mail_settings

ICS = b"BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return mail_settings(Settings(data_dir=tmp_path), smtp)


def test_the_same_row_always_carries_the_same_message_id(settings: Settings) -> None:
    mail = Mail("Objet", "Bonjour,\n", (Document("a.ics", "text/calendar", ICS),))
    first = mailer.compose("x@example.org", mail, settings, ref="12.bilan:1")
    again = mailer.compose("x@example.org", mail, settings, ref="12.bilan:1")
    other = mailer.compose("x@example.org", mail, settings, ref="13.bilan:1")
    assert first["Message-ID"] == again["Message-ID"] != other["Message-ID"]
    assert str(first["Message-ID"]).endswith("@forma-demo.example>")
    parsed = message_from_bytes(first.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    (ics,) = list(parsed.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "CANCEL"


def test_an_e_mail_template_gives_its_subject_and_body() -> None:
    mail = mailer.as_mail("Objet :  Bilan   du jeudi\n\nBonjour,\n\nÀ bientôt.\n\n")
    assert mail.subject == "Bilan du jeudi"
    assert mail.body == "Bonjour,\n\nÀ bientôt.\n"


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("k.haddad@example.org", True),
        (" k.haddad@example.org ", True),
        ("@lina_costa", False),
        ("Karim <k@example.org>", False),
        ("", False),
        ("a@b", False),
    ],
)
def test_what_counts_as_an_address(text: str, valid: bool) -> None:
    assert mailer.looks_like_email(text) is valid


async def test_a_refused_recipient_is_a_failure_for_good(
    settings: Settings, smtp: SmtpServer
) -> None:
    smtp.recorder.refuse_recipients = True
    with pytest.raises(PermanentFailure) as refused:
        await mailer.Mailer(settings).send("x@example.org", Mail("Objet", "Texte\n"), "1.k")
    assert refused.value.reason == "SMTPRecipientsRefused"
    assert smtp.received == []
    smtp.recorder.refuse_recipients = False
    await mailer.Mailer(settings).send("x@example.org", Mail("Objet", "Texte\n"), "1.k")
    (received,) = smtp.received
    assert received.message["Subject"] == "Objet"


async def test_without_smtp_nothing_is_tried(settings: Settings) -> None:
    with pytest.raises(PermanentFailure) as refused:
        await mailer.Mailer(replace(settings, smtp_host="")).send(
            "x@example.org", Mail("Objet", "Texte\n"), "1.k"
        )
    assert refused.value.reason == "MailNotConfigured"


@pytest.mark.parametrize(
    ("mode", "use_tls", "start_tls"),
    [("starttls", False, True), ("tls", True, False), ("none", False, False), ("ssl", False, True)],
)
async def test_smtp_tls_modes_and_login(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, mode: str, use_tls: bool, start_tls: bool
) -> None:
    calls: list[dict[str, object]] = []

    async def fake_send(message: object, **options: object) -> None:
        calls.append(options)

    monkeypatch.setattr(aiosmtplib, "send", fake_send)
    configured = replace(settings, smtp_tls=mode, smtp_user="of", smtp_password="secret")
    await mailer.transmit(EmailMessage(), configured)
    (options,) = calls
    assert (options["use_tls"], options["start_tls"]) == (use_tls, start_tls)
    assert (options["username"], options["password"]) == ("of", "secret")
    with pytest.raises(mailer.MailNotConfigured):
        await mailer.transmit(EmailMessage(), replace(settings, smtp_host=""))


def _sent(message: EmailMessage) -> EmailMessage:
    """The message as the recipient's client parses it (CRLF lines, SMTP policy)."""
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_the_ics_part_says_the_method_and_charset_of_the_file(settings: Settings) -> None:
    """Explorer KC1, KC2: a published invitation (no organiser to answer to) went out as
    ``method="REQUEST"``, and without charset its accents read as US-ASCII."""
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"
        "SUMMARY:Bilan de fin de formation – Agent de restauration (démo)\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    mail = Mail("Objet", "Bonjour,\n", (Document("bilan.ics", "text/calendar", ics),))
    parsed = _sent(mailer.compose("x@example.org", mail, settings, ref="1.bilan:1"))
    (part,) = list(parsed.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_content_charset() == "utf-8"
    assert "Bilan de fin de formation – Agent de restauration (démo)" in part.get_content()
    assert part.get_content().encode() == ics


def test_a_long_subject_with_accents_and_quotes_arrives_as_written(settings: Settings) -> None:
    """Explorer KC6: Python's folder dropped the space between two encoded-words
    (« de la formation« Projet … »)."""
    subjects = [
        "Invitation – bilan d'étape de la formation « Projet professionnel (démo) »"
        " – jeudi 10 décembre 2026 à 9 h 30",
        "Bilan mis à jour – bilan de fin de la formation « Agent de restauration (démo) »"
        " – lundi 7 décembre 2026 à 14 h 00, « visio » déplacée à la demande de Mme Awa Diallo"
        " (France Travail Caen Nord) – « Échange avec les délégués » à 15 h 00",
        "Justificatifs du bilan",
    ]
    for subject in subjects:
        sent = mailer.compose("x@example.org", Mail(subject, "Bonjour,\n"), settings, ref="1.k")
        raw = sent.as_bytes(policy=policy.SMTP)
        assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))
        assert _sent(sent)["Subject"] == subject
