"""The outbox's e-mail channel: an outbox row becomes one message handed to SMTP.

Every e-mail the bot sends (a participant's attestation link, a bilan's
``.ics`` and its updates, the chargé(e) de mission's invitation, the proof
bundle) is queued with :func:`bot.outbox.queue_email` inside the writer's
transaction and sent here by the outbox sender, after the commit, with no
transaction open: one path, one retry policy, one record of the outcome.

A refusal that will not change by retrying (recipient or sender refused,
authentication refused, a feature the server lacks) is a
:class:`~bot.outbox.PermanentFailure` whose reason is the exception's name;
the row is then ``failed`` and the trainer's view says why in French
(:mod:`bot.bilans.sent`).  Anything else (server down, timeout) is retried
by the sender.  Logs name the row and the error type only, never an address.

The Message-ID is built from the row's key (a digest of it), so a
message sent again after a crash between SMTP's answer and the record
carries the same Message-ID: mail clients show it once.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import aiosmtplib

from bot import texts
from bot.config import Settings
from bot.outbox import PermanentFailure
from bot.outbox_payload import Mail
from bot.storage.base import utcnow

PERMANENT = (
    aiosmtplib.SMTPAuthenticationError,
    aiosmtplib.SMTPRecipientsRefused,
    aiosmtplib.SMTPSenderRefused,
    aiosmtplib.SMTPNotSupported,
)


EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
"""An address the bot will write to (one address, no display name)."""


def looks_like_email(text: str) -> bool:
    return bool(EMAIL.match(text.strip()))


class MailNotConfigured(RuntimeError):
    """SMTP_HOST / SMTP_FROM are not set."""


def as_mail(rendered: str) -> Mail:
    """Subject and body of an e-mail text whose first line is « Objet : … »."""
    first, _, rest = rendered.strip().partition("\n")
    subject = " ".join(first.removeprefix("Objet :").split())[:250]
    return Mail(subject=subject, body=rest.strip() + "\n")


def render_email(template: str, /, **context: Any) -> Mail:
    """Subject and body from an e-mail template (``templates/email/*.j2``)."""
    return as_mail(texts.render_document(template, **context))


def message_id(key: str, settings: Settings) -> str:
    """The Message-ID of the outbox row under ``key``: the same every time it is sent,
    and known before it is (a proof bundle's record keeps it)."""
    domain = settings.smtp_from.rpartition("@")[2].strip(" >") or "formabot.invalid"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<formabot.{digest}@{domain}>"


def compose(
    to: str, mail: Mail, settings: Settings, *, ref: str, now: datetime | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    _subject(message, mail.subject)
    message["Date"] = format_datetime(now or utcnow())
    message["Message-ID"] = message_id(ref, settings)
    message.set_content(mail.body)
    for attached in mail.attachments:
        maintype, _, subtype = attached.mime_type.partition("/")
        message.add_attachment(
            attached.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attached.filename,
            params=_text_params(attached.mime_type, attached.content),
        )
    return message


ICS_METHOD = re.compile(rb"^METHOD:([A-Za-z-]+)\r?$", re.MULTILINE)


def _text_params(mime_type: str, content: bytes) -> dict[str, str]:
    """The charset of a text part, and the iTIP method of a calendar: the file's own.

    Bytes get no charset from the email package, and text/* without one is
    US-ASCII (RFC 2046): accents of a UTF-8 ``.ics`` read as garbage in a strict
    client (explorer KC2).  RFC 6047 §2.4 wants ``method`` equal to the file's
    METHOD: a published invitation (no organiser to answer to) labelled REQUEST
    made clients offer « Accepter » that goes nowhere (explorer KC1).
    """
    params: dict[str, str] = {}
    if not mime_type.startswith("text/"):
        return params
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return params
    params["charset"] = "utf-8"
    if mime_type == "text/calendar" and (method := ICS_METHOD.search(content)):
        params["method"] = method.group(1).decode("ascii").upper()
    return params


def _subject(message: EmailMessage, subject: str) -> None:
    """``Subject``, encoded whole when it is not ASCII.

    Python's folder (CPython gh-144156) puts the space between two words at
    a fold between two encoded-words, where RFC 2047 §6.2 has it ignored: clients
    showed « de la formation« Projet … » (explorer KC6).  Encoded by
    :class:`email.header.Header`, every space is inside an encoded-word; stored raw,
    in lines under 78 characters, the policy sends it unchanged and reads it back
    decoded (``message["Subject"]`` is the subject as written).
    """
    if subject.isascii():
        message["Subject"] = subject
        return
    message.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())


async def transmit(message: EmailMessage, settings: Settings) -> None:
    """Hand ``message`` to the configured SMTP server (``SMTP_TLS``: starttls, tls, none)."""
    if not settings.has_smtp:
        raise MailNotConfigured("SMTP_HOST and SMTP_FROM are needed to send e-mail")
    options: dict[str, Any] = {
        "hostname": settings.smtp_host,
        "port": settings.smtp_port,
        "timeout": 60,
        # Anything but "tls" or "none" (a typo included) means STARTTLS: never
        # fall back to plain text by mistake.
        "use_tls": settings.smtp_tls == "tls",
        "start_tls": settings.smtp_tls not in ("tls", "none"),
    }
    if settings.smtp_user:
        options.update(username=settings.smtp_user, password=settings.smtp_password)
    await aiosmtplib.send(message, **options)


class Mailer:
    """The e-mail channel of :class:`bot.outbox.Sender` (``Sender(..., mailer=Mailer(s).send)``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, to: str, mail: Mail, ref: str) -> None:
        message = compose(to, mail, self.settings, ref=ref)
        try:
            await transmit(message, self.settings)
        except PERMANENT as exc:
            raise PermanentFailure(type(exc).__name__) from exc
        except MailNotConfigured as exc:
            raise PermanentFailure(type(exc).__name__) from exc
