"""A real SMTP server on loopback (aiosmtpd), recording what it receives.

``Controller(port=0)`` does not work (its start-up check connects to the
port it was given), so a free port is picked first by binding a socket to 0.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from bot.config import Settings
from bot.mailer import Mailer
from bot.outbox import Sender
from bot.storage.base import utcnow
from bot.storage.db import Database


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """The aiosmtpd handler: keeps every message; can refuse recipients."""

    received: list[Received] = field(default_factory=list)
    refuse_recipients: bool = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.refuse_recipients:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    port: int
    recorder: Recorder

    @property
    def received(self) -> list[Received]:
        return self.recorder.received


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, recorder)
    finally:
        controller.stop()


SENDER = "formabot@forma-demo.example"


def mailing_bot_settings(tmp_path: Path, server: SmtpServer) -> Settings:
    """A Telegram bot's settings, its database in ``tmp_path``, mailing through ``server``."""
    return mail_settings(
        Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}",
            data_dir=tmp_path,
            telegram_token="123:abc",
            telegram_username="formabot_demo_bot",
        ),
        server,
    )


def mail_settings(settings: Settings, server: SmtpServer) -> Settings:
    """``settings`` sending its e-mails to ``server``, in clear on loopback."""
    return replace(
        settings, smtp_host="127.0.0.1", smtp_port=server.port, smtp_from=SENDER, smtp_tls="none"
    )


async def send_emails(
    db: Database,
    settings: Settings,
    later: timedelta = timedelta(),
    clock: Callable[[], datetime] = utcnow,
) -> int:
    """One pass of the outbox sender over its e-mail channel, with every feature's
    follow-up, as ``formabot run`` does; how many were sent.  The sender's clock is
    ``clock``, ``later`` ahead: the real one by default, which finds due the rows a turn
    queued at the fixtures' earlier clock; a test of retries gives the fixtures' clock,
    by which the rows were stamped (explorer QC6), or they look days old and are given up."""
    from bot.app import FEATURES

    sender = Sender(
        db.sessions,
        {},
        mailer=Mailer(settings).send,
        after=FEATURES.delivered,
        clock=lambda: clock() + later,
    )
    return await sender.run_once()
