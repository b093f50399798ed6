"""An erasure and the e-mails still waiting: nothing sent to the erased person, no file naming
her sent to anyone (explorer AX7), with a real SMTP server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.config import Settings
from bot.storage.db import Database
from bot.storage.formations import Trainee
from tests.auxil.dialogue import Person
from tests.auxil.smtp import SmtpServer, mailing_bot_settings, send_emails
from tests.test_bilans_notify import STEPS


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return mailing_bot_settings(tmp_path, smtp)


async def test_what_waits_for_her_is_withheld_and_no_file_names_her(
    trainer: Person, db: Database, settings: Settings, smtp: SmtpServer
) -> None:
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Trainee)
            .where(Trainee.full_name == "Léa Martin")
            .values(email="lea.martin@example.org")
        )
    for line in STEPS:
        await trainer.says(line)
    assert "Léa Martin" in trainer.all_text  # invited by e-mail, not sent yet (SMTP slow)
    await trainer.says("/effacer léa")
    await trainer.presses("Effacer définitivement")
    await send_emails(db, settings)
    assert smtp.received, "the others' e-mails still go"
    assert not [r for r in smtp.received if "lea.martin@example.org" in r.rcpt_tos]
    for received in smtp.received:
        for part in received.message.walk():
            if part.get_content_maintype() == "text":
                assert "Léa Martin" not in str(part.get_content())
        # An agenda PDF or an .ics named the participants: the files of what waited about
        # her bilan are dropped, its text (the pseudonym in it) still goes.
        assert not list(received.message.iter_attachments())
    async with db.sessions() as session:
        left = await session.scalars(select(Trainee.email).where(Trainee.email.is_not(None)))
        assert "lea.martin@example.org" not in left.all()


async def test_another_participant_sharing_her_address_keeps_his_messages(
    trainer: Person, db: Database, settings: Settings, smtp: SmtpServer
) -> None:
    """Explorer AY9: the other delegate, reached at the same centre's address, lost his
    invitation and his link when she was erased."""
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Trainee)
            .where(Trainee.full_name.in_(("Léa Martin", "Hugo Moreau")))
            .values(email="accueil@centre.example")
        )
    for line in STEPS:
        await trainer.says(line)
    await trainer.says("/effacer léa")
    await trainer.presses("Effacer définitivement")
    await send_emails(db, settings)
    to_centre = [r for r in smtp.received if "accueil@centre.example" in r.rcpt_tos]
    assert to_centre and all(
        "Hugo Moreau" in str(part.get_content())
        for r in to_centre
        for part in r.message.walk()
        if part.get_content_type() == "text/plain"
    )
