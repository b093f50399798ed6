"""Sending the proof bundle to the chargé(e) de mission through the outbox's e-mail
channel and a real SMTP server on loopback (aiosmtpd): the message and its attachment
as received, the NOR-PROOF deadline marked done at the time of sending, the trainer
told; a refused address, a server down then back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.storage.attestations import ProofSending
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity
from tests.auxil.attestations import codes, open_zip, schedule_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.pdf import pdf_words
from tests.auxil.smtp import SENDER, SmtpServer, free_port, mail_settings, send_emails


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return mail_settings(
        Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}", data_dir=tmp_path),
        smtp,
    )


async def answer(talker: Talker, code: str, name: str, *, attest: bool) -> None:
    await talker.says(f"/start {code}")
    await talker.says(name)
    await talker.presses("Je représente les stagiaires")
    if attest:
        await talker.presses("Je l'atteste")
    else:
        await talker.presses("Je n'ai pas participé")
        await talker.says("Empêchement familial")


async def scheduled(trainer: Talker, db: Database, settings: Settings, smtp: SmtpServer) -> int:
    """The demo bilan, its invitation e-mailed to the chargée de mission and set aside."""
    bilan_id = await schedule_bilan(trainer)
    await send_emails(db, settings)
    smtp.received.clear()
    return bilan_id


async def proof_deadline(db: Database, bilan_id: int) -> StoredDeadline:
    async with db.sessions() as session:
        row = await session.scalar(
            select(StoredDeadline).where(StoredDeadline.key == f"NOR-PROOF:bilan:{bilan_id}")
        )
        assert row is not None
        return row


async def test_the_complete_bundle_is_mailed_and_the_deadline_marked_done(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    settings: Settings,
    smtp: SmtpServer,
) -> None:
    bilan_id = await scheduled(trainer, db, settings, smtp)
    invited = codes(trainer.replies)
    assert (await proof_deadline(db, bilan_id)).status == "open"
    clock.advance(days=3, hours=6)
    await answer(person("lea"), invited["Léa Martin"], "Léa Martin", attest=True)
    await answer(person("hugo"), invited["Hugo Moreau"], "Hugo Moreau", attest=False)

    await trainer.says("/attestations")
    await trainer.presses("Envoyer à la personne chargée de mission")
    assert "Mme Sophie Leroy <sophie.leroy@example.org>" in trainer.last
    assert "incomplet" not in trainer.last
    await trainer.presses("Envoyer")
    assert "J'envoie le dossier de preuves à sophie.leroy@example.org" in trainer.all_text
    await send_emails(db, settings)

    (received,) = smtp.received
    assert received.mail_from == SENDER
    assert received.rcpt_tos == ["sophie.leroy@example.org"]
    message = received.message
    assert message["To"] == "sophie.leroy@example.org"
    assert message["Subject"] == (
        "Justificatifs de participation – bilan de fin de formation du jeudi 26 novembre 2026 "
        "– Agent de restauration (démo)"
    )
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert text.startswith("Bonjour Madame,")
    assert "1 attestation sur l'honneur renvoyée par les participants" in text
    assert "incomplet" not in text and "Camille Durand" in text
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/zip"
    filename = attachment.get_filename()
    assert filename == "justificatifs-bilan-2026-11-26-agent-de-restauration-demo.zip"
    zipped = attachment.get_content()
    files, manifest = open_zip(zipped)
    assert manifest["complet"] is True
    assert "Léa Martin" in pdf_words(files["attestation-01-lea-martin.pdf"])

    async with db.sessions() as session:
        sending = await session.scalar(select(ProofSending))
        assert sending is not None
        assert sending.status == "sent" and sending.attempts == 1
        assert sending.bundle == zipped and sending.complete
        assert sending.message_id == str(message["Message-ID"]).strip()
        assert sending.sent_at is not None
        trainer_id = await session.scalar(
            select(ChatIdentity.person_id).where(ChatIdentity.user_id == "formateur")
        )
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key == f"attestations:mail:{sending.id}:sent")
        )
        assert notice is not None and notice.chat_id == "formateur"
        assert "envoyé à sophie.leroy@example.org" in notice.payload["text"]
        assert "marquée faite" in notice.payload["text"]
    deadline = await proof_deadline(db, bilan_id)
    assert deadline.status == "done"
    assert deadline.done_at == sending.sent_at and deadline.done_by == trainer_id

    await trainer.says("/attestations")
    assert "envoyé à sophie.leroy@example.org le" in trainer.last


async def test_an_incomplete_bundle_can_be_sent_but_the_deadline_stays_open(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    settings: Settings,
    smtp: SmtpServer,
) -> None:
    bilan_id = await scheduled(trainer, db, settings, smtp)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=6)
    await answer(person("lea"), invited["Léa Martin"], "Léa Martin", attest=True)
    await trainer.says("/attestations")
    await trainer.presses("Envoyer à la personne chargée de mission")
    assert "incomplet : il manque le justificatif d'Hugo Moreau" in trainer.last
    assert "Envoyer quand même" in trainer.buttons
    await trainer.presses("Pas maintenant")
    assert "rien n'est envoyé" in trainer.all_text
    await trainer.presses("Envoyer à la personne chargée de mission")
    await trainer.presses("Envoyer quand même")
    await send_emails(db, settings)
    (received,) = smtp.received
    body = received.message.get_body(preferencelist=("plain",))
    assert (
        body is not None and "il manque encore le justificatif d'Hugo Moreau" in body.get_content()
    )
    assert (await proof_deadline(db, bilan_id)).status == "open"
    async with db.sessions() as session:
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.like("attestations:mail:%:sent"))
        )
        assert notice is not None and "l'échéance reste ouverte" in notice.payload["text"]


async def test_a_refused_recipient_fails_for_good_and_tells_the_trainer(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    settings: Settings,
    smtp: SmtpServer,
) -> None:
    bilan_id = await scheduled(trainer, db, settings, smtp)
    clock.advance(days=3, hours=6)
    smtp.recorder.refuse_recipients = True
    await trainer.says("/attestations")
    await trainer.presses("Envoyer à la personne chargée de mission")
    await trainer.presses("Envoyer quand même")
    await send_emails(db, settings)
    assert smtp.received == []
    async with db.sessions() as session:
        sending = await session.scalar(select(ProofSending))
        assert sending is not None and sending.status == "failed"
        assert sending.last_error == "SMTPRecipientsRefused"
        notice = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.key == f"attestations:mail:{sending.id}:failed"
            )
        )
        assert notice is not None and "a échoué" in notice.payload["text"]
    assert (await proof_deadline(db, bilan_id)).status == "open"
    await trainer.says("/attestations")
    assert "l'envoi à sophie.leroy@example.org a échoué" in trainer.last


async def test_a_server_down_is_retried_until_it_is_back(
    trainer: Talker,
    db: Database,
    clock: Clock,
    settings: Settings,
    smtp: SmtpServer,
) -> None:
    await scheduled(trainer, db, settings, smtp)
    clock.advance(days=3, hours=6)
    await trainer.says("/attestations")
    await trainer.presses("Envoyer à la personne chargée de mission")
    await trainer.presses("Envoyer quand même")
    # Nothing listens on the configured port for the first attempt.
    assert await send_emails(db, replace(settings, smtp_port=free_port()), clock=clock) == 0
    async with db.sessions() as session:
        sending = await session.scalar(select(ProofSending))
        assert sending is not None and sending.status == "pending"
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.key.like("proofs:%")))
        assert row is not None and (row.status, row.attempts) == ("pending", 1)
        assert row.last_error is not None and "@" not in row.last_error
    await trainer.says("/attestations")
    assert "en cours" in trainer.last or "envoi" in trainer.last
    # Too early for a retry (5 s of backoff): nothing is tried.
    assert await send_emails(db, settings, clock=clock) == 0
    assert smtp.received == []
    # After the backoff, the server is back: sent once, recorded, the trainer told.
    assert await send_emails(db, settings, timedelta(seconds=6), clock) == 1
    assert await send_emails(db, settings, timedelta(minutes=30), clock) == 0
    assert len(smtp.received) == 1
    async with db.sessions() as session:
        sending = await session.scalar(select(ProofSending))
        assert sending is not None and (sending.status, sending.attempts) == ("sent", 2)
        assert sending.message_id == str(smtp.received[0].message["Message-ID"]).strip()


async def test_without_smtp_the_send_action_is_not_offered(
    trainer: Talker, settings: Settings
) -> None:
    trainer.engine.settings = replace(settings, smtp_host="", smtp_from="")
    await schedule_bilan(trainer)
    await trainer.says("/attestations")
    assert not any("Envoyer" in b for b in trainer.buttons)
    await trainer.says("Envoyer à la personne chargée de mission")
    assert "Je n'ai pas reconnu ce choix" in trainer.last


def proofs_mail(missing: list[str], flagged: list[str]) -> str:
    from bot.texts import render_document

    bilan = {
        "kind": "bilan de fin de formation",
        "day": "jeudi 26 novembre 2026",
        "formation": "Agent de propreté",
        "remote": True,
        "start": "14 h 00",
        "end": "16 h 00",
        "cm": "Mme Sophie Leroy",
        "trainer": "Camille Durand",
        "organisation": "Organisme de démonstration",
    }
    return render_document(
        "email/proofs_to_charge_de_mission.txt.j2",
        b=bilan,
        complete=False,
        missing=missing,
        flagged=flagged,
        count=1,
        sheets=0,
        filename="x.zip",
        fingerprint="AB CD",
        cancelled=False,
    )


def test_the_mail_names_the_missing_proofs_as_a_sentence() -> None:
    """Explorer AI1: « il manque encore Léa Martin, Inès Roy. Les réponses d'Hugo Petit, Anne
    Dubois restent … » — the proofs are missing, not the people; « et », « de » before each
    name, and one answer in the singular."""
    two = proofs_mail(["Léa Martin", "Inès Roy"], ["Hugo Petit", "Anne Dubois"])
    assert (
        "Le dossier est incomplet : il manque encore les justificatifs de Léa Martin et d'Inès"
        " Roy. Les réponses d'Hugo Petit et d'Anne Dubois restent à vérifier de mon côté."
    ) in " ".join(two.split())
    one = proofs_mail(["Léa Martin"], ["Hugo Petit"])
    assert (
        "il manque encore le justificatif de Léa Martin. La réponse d'Hugo Petit reste à"
        " vérifier de mon côté."
    ) in " ".join(one.split())


def test_the_invitation_mail_names_the_organisation_never_bare() -> None:
    """Explorer AI13: « Ce message est envoyé par formabot, l'assistant d'Organisme de
    démonstration. » — the organisation's name quoted, never bare."""
    from bot.texts import render_document

    text = render_document(
        "email/attestation_invitation.txt.j2",
        name="Léa Martin",
        code="ABC123",
        telegram="",
        matrix="",
        expires="lundi 7 décembre 2026",
        again=False,
        trainer="Camille Durand",
        organisation="Association Élan",
        formation="Agent de restauration",
        kind="bilan d'étape",
        day="jeudi 26 novembre 2026",
        start="14 h 00",
        end="16 h 00",
        before=False,
    )
    assert (
        "Ce message est envoyé par formabot, l'assistant de l'organisme de formation"
        " « Association Élan »." in text
    )
