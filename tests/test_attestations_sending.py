"""bot.attestations.sending on its own: the bundle handed over (audited), the e-mail text,
and a sending recorded for after the commit (or refused)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from bot.attestations.evidence import bilan_words
from bot.attestations.sending import bundle_for, cannot_send, email_text, request_sending
from bot.attestations.service import Author, Chat
from bot.bilans.view import view_of
from bot.config import Settings
from bot.storage.attestations import ProofSending
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from tests.auxil.attestations import BILAN_END, BILAN_START, add_bilan, demo_author, open_zip
from tests.auxil.dialogue import Clock

SMTP = {"smtp_host": "127.0.0.1", "smtp_port": 2, "smtp_from": "formabot@example.org"}
CHAT = Chat("console", "formateur", "formateur")


async def test_the_bundle_handed_over_is_audited(
    db: Database, demo: None, clock: Clock, settings: Settings
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await view_of(session, bilan_id)
        assert info is not None
        bundle = await bundle_for(session, settings, info, author=author, now=clock.now)
        assert not bundle.complete and bundle.missing == ["Léa Martin"]
        _, manifest = open_zip(bundle.content)
        assert manifest["bilan"]["id"] == bilan_id
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry is not None and entry.details == {"complete": False}


async def test_the_email_says_what_is_missing(
    db: Database, demo: None, clock: Clock, settings: Settings
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START, kind="fin")
    async with db.sessions() as session:
        info = await view_of(session, bilan_id)
        assert info is not None
        bundle = await bundle_for(session, settings, info, author=Author(), now=clock.now)
        subject, body = email_text(bilan_words(info), bundle, fingerprint="ab12 cd34")
    assert subject == (
        "Justificatifs de participation – bilan de fin de formation du jeudi 26 novembre 2026 "
        "– Agent de restauration (démo)"
    )
    assert body.startswith("Bonjour Madame,")
    assert (
        "il manque encore le justificatif de Léa Martin. Je vous ferai suivre le justificatif "
        "manquant dès réception."
    ) in body  # one name, one proof: singular all through (explorer AI1)
    assert "ab12 cd34" in body and "formabot verifier" in body


async def test_a_sending_is_recorded_and_delivered_after_the_commit(
    db: Database, demo: None, clock: Clock, settings: Settings
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    clock.now = BILAN_END  # proofs go to the Région once the bilan has ended
    configured = replace(settings, **SMTP)  # type: ignore[arg-type]
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await view_of(session, bilan_id)
        assert info is not None
        sent = await request_sending(
            session, configured, info, author=author, chat=CHAT, now=clock.now
        )
        assert isinstance(sent, ProofSending)
        assert (sent.status, sent.to_address, sent.complete) == (
            "pending",
            "sophie.leroy@example.org",
            False,
        )
        assert (sent.requested_by, sent.requested_platform, sent.requested_chat_id) == (
            author.person_id,
            "console",
            "formateur",
        )
        assert sent.subject.startswith("Justificatifs de participation")
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "send_proofs"))
        assert entry is not None and entry.details == {"sending_id": sent.id}
    # Nothing was sent inside the transaction: the e-mail waits in the outbox.
    async with db.sessions() as session:
        row = await session.scalar(select(ProofSending))
        assert row is not None and row.status == "pending" and row.attempts == 0
        queued = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key == f"proofs:{row.id}")
        )
        assert queued is not None and queued.platform == "email"
        assert queued.chat_id == "sophie.leroy@example.org" and queued.status == "pending"


async def test_no_sending_without_smtp_or_address(
    db: Database, demo: None, clock: Clock, settings: Settings
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    clock.now = BILAN_END  # proofs go to the Région once the bilan has ended
    configured = replace(settings, **SMTP)  # type: ignore[arg-type]
    async with db.sessions() as session, session.begin():
        info = await view_of(session, bilan_id)
        assert info is not None
        unconfigured = replace(settings, smtp_host="", smtp_from="")
        assert cannot_send(unconfigured, info, BILAN_END) == "no_smtp"
        assert (
            await request_sending(
                session, unconfigured, info, author=Author(), chat=CHAT, now=clock.now
            )
            == "no_smtp"
        )
        formation = await session.get(Formation, info.formation.id)
        assert formation is not None
        formation.cm_email = None
        assert cannot_send(configured, info, BILAN_END) == "no_cm_email"
        assert (
            await request_sending(
                session, configured, info, author=Author(), chat=CHAT, now=clock.now
            )
            == "no_cm_email"
        )
        assert await session.scalar(select(ProofSending)) is None
