"""E-mailing a bilan's proof bundle to the chargé(e) de mission, through the outbox.

**Decision: record, queue, follow up.**  An SMTP exchange can take seconds
or a minute, while the engine holds one database transaction per message:
sending from a conversation step would freeze every other conversation
meanwhile.  So the trainer's step writes, in its own transaction, a
:class:`~bot.storage.attestations.ProofSending` row (the record: the exact
bundle, its digest, whether it was complete, who asked, from which chat)
and queues the e-mail on the outbox's e-mail channel
(:func:`bot.outbox.queue_email`, key ``proofs:<id>``), the one path every
e-mail of the bot takes: claimed, sent after the commit with no transaction
open, retried with backoff, given up after a day, a refused address failing
at once (:mod:`bot.mailer`).

When the outbox records the outcome, :func:`record_outcome` (a follow-up the
attestations manifest declares) updates the record in the same transaction:
``sent`` with the time, the NOR-PROOF deadline marked done at that time (when
the bundle was complete) and a notice queued for the trainer; or ``failed``
with the error's type and a notice too.  A process stopped before the
sending leaves the outbox row pending: it is sent once back.  A crash after
the SMTP server accepted the message but before it was recorded means it
may be sent twice, with the same Message-ID (mail clients show one);
losing it would be worse.  Logs name the row and the error type only.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.bilans.queries import PROOF_RULE
from bot.config import Settings
from bot.deadlines.actions import reopen
from bot.deadlines.service import mark_done, refresh_deadlines
from bot.mailer import message_id
from bot.messages import Document, Reply, recipient_of
from bot.outbox import About, enqueue, queue_email
from bot.people.chats import chat_of_person
from bot.storage.attestations import ProofSending
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation, zone_of

log = logging.getLogger(__name__)

KEY_PREFIX = "proofs:"


def proof_key(bilan_id: int) -> str:
    """The rules' key of the NOR-PROOF deadline of a bilan."""
    return f"{PROOF_RULE}:bilan:{bilan_id}"


async def queue(session: AsyncSession, sending: ProofSending, settings: Settings) -> None:
    """Queue the e-mail of ``sending`` (flushed) on the outbox: sent after the commit."""
    key = f"{KEY_PREFIX}{sending.id}"
    sending.message_id = message_id(key, settings)
    await queue_email(
        session,
        to=sending.to_address,
        subject=sending.subject,
        body=sending.body,
        attachments=[
            Document(filename=sending.filename, mime_type="application/zip", content=sending.bundle)
        ],
        key=key,
        organisation_id=sending.organisation_id,
        about=About(bilan_id=sending.bilan_id, what="proofs"),
    )


async def record_outcome(session: AsyncSession, row: OutboxMessage) -> None:
    """The outbox's follow-up: the outcome of a proof bundle's e-mail on its record."""
    if not row.key.startswith(KEY_PREFIX) or not row.key[len(KEY_PREFIX) :].isdigit():
        return
    sending = await session.get(ProofSending, int(row.key[len(KEY_PREFIX) :]))
    if sending is None or sending.status in ("sent", "failed"):
        return
    sending.attempts = row.attempts
    sending.claimed_at = row.claimed_at
    if row.status == "sent":
        sending.status = "sent"
        sending.sent_at = row.sent_at
        sending.last_error = None
        done_at = row.sent_at or row.created_at
        marked = await _mark_proof_done(session, sending, done_at) if sending.complete else False
        await _tell_requester(session, sending, "attestation_trainer.mail_sent", marked=marked)
        log.info("proof sending %s: sent", sending.id)
    elif row.status == "failed":
        sending.status = "failed"
        sending.last_error = row.last_error
        permanent = (row.last_error or "").startswith(
            "SMTP"
        ) or row.last_error == "MailNotConfigured"
        await _tell_requester(
            session, sending, "attestation_trainer.mail_failed", permanent=permanent
        )


async def _mark_proof_done(session: AsyncSession, row: ProofSending, at: datetime) -> bool:
    """Mark the bilan's NOR-PROOF deadline done at the time of sending; whether it was."""
    bilan = await session.get(Bilan, row.bilan_id)
    if bilan is None:
        return False

    async def find() -> StoredDeadline | None:
        return await session.scalar(
            select(StoredDeadline).where(
                StoredDeadline.formation_id == bilan.formation_id,
                StoredDeadline.key == proof_key(bilan.id),
            )
        )

    deadline = await find()
    if deadline is None:
        await refresh_deadlines(session, bilan.formation_id)
        deadline = await find()
    if deadline is None:
        return False
    if deadline.status != "done":
        if row.requested_by is not None:
            mark_done(deadline, row.requested_by, at)
        else:
            deadline.status, deadline.done_at, deadline.updated_at = "done", at, at
    return True


async def reopen_proofs(session: AsyncSession, bilan: Bilan, at: datetime) -> bool:
    """The dossier sent has gone stale (an answer since): its NOR-PROOF deadline is open
    again, so that /echeances and the digest bring it back; whether it was done (explorer
    AL7: it stayed « faite », only a one-off notice saying the dossier was out of date)."""
    deadline = await session.scalar(
        select(StoredDeadline).where(
            StoredDeadline.formation_id == bilan.formation_id,
            StoredDeadline.key == proof_key(bilan.id),
        )
    )
    if deadline is None or deadline.status != "done":
        return False
    await reopen(session, None, deadline.id, at, undoing="done", by="reponse_apres_envoi")
    return True


async def _tell_requester(
    session: AsyncSession, row: ProofSending, message: str, **extra: Any
) -> None:
    if row.requested_platform and row.requested_chat_id:
        where: tuple[str, str] | None = (row.requested_platform, row.requested_chat_id)
    elif row.requested_by is not None:
        where = await chat_of_person(session, row.requested_by)
    else:
        where = None
    if where is None:
        return
    organisation = await session.get(Organisation, row.organisation_id)
    when = dates.spell_datetime((row.sent_at or row.requested_at).astimezone(zone_of(organisation)))
    await enqueue(
        session,
        key=f"attestations:mail:{row.id}:{row.status}",
        platform=where[0],
        chat_id=where[1],
        reply=Reply(text=texts.say(message, s=row, when=when, **extra)),
        organisation_id=row.organisation_id,
        recipient=recipient_of(where),
    )
