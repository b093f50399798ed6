"""E-mailing a bilan's proof bundle to the chargé(e) de mission, never inside a transaction.

**Decision: record, then send after the commit.**  An SMTP exchange can take
seconds or a minute (a slow relay, a timeout), while the engine holds one
database transaction per message, and SQLite has a single connection for the
whole process: sending from a conversation step would freeze every other
conversation meanwhile.  So the trainer's step only writes a
:class:`~bot.storage.attestations.ProofSending` row (``pending``, with the
exact bundle and text to send) and asks to be called back once that
transaction has committed.  The delivery then runs on its own:

1. a short transaction *claims* the row (a conditional UPDATE: two processes
   never send the same row);
2. the e-mail goes out, with no transaction open;
3. another short transaction records the outcome: ``sent`` with the time,
   the NOR-PROOF deadline marked done (when the bundle was complete) and a
   notice queued for the trainer in the outbox; or ``pending`` again to be
   retried, or ``failed`` for good (authentication refused, address
   rejected, too many attempts) with a notice too.

The message itself is composed and handed to SMTP by :mod:`bot.mailer`, the
code every e-mail of the bot goes through.  The claim, retry and record here
remain its own (see the README, "Attestations": moving the proof bundle onto
the outbox's e-mail channel is what is left to do).

If the process stops between the commit and the sending, the scheduler job
:func:`resend_proofs` finds the row still ``pending`` (or claimed too long
ago) and sends it.  A crash after the SMTP server accepted the message but
before it was recorded means it may be sent twice; losing it would be worse.
Logs name the row and the error type only, never an address or a name.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import and_, event, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import dates, texts
from bot.attestations.service import chat_of_person
from bot.config import Settings
from bot.deadlines.service import mark_done, refresh_deadlines
from bot.mailer import PERMANENT, MailNotConfigured, transmit
from bot.mailer import compose as compose_mail
from bot.messages import Document, Reply
from bot.outbox import Mail, enqueue
from bot.storage.attestations import ProofSending
from bot.storage.base import utcnow
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.people import Organisation, zone_of

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CLAIM_TIMEOUT = timedelta(minutes=10)
"""A row claimed longer ago than this by a process that died is taken again."""
FIRST_RETRY = timedelta(minutes=1)

_running: set[asyncio.Task[str]] = set()


def proof_key(bilan_id: int) -> str:
    """The rules' key of the NOR-PROOF deadline of a bilan."""
    return f"NOR-PROOF:bilan:{bilan_id}"


def compose(sending: ProofSending, settings: Settings, *, now: datetime) -> EmailMessage:
    bundle = Document(
        filename=sending.filename, mime_type="application/zip", content=sending.bundle
    )
    mail = Mail(subject=sending.subject, body=sending.body, attachments=(bundle,))
    return compose_mail(sending.to_address, mail, settings, ref=f"{sending.id}.proof", now=now)


__all__ = ["MailNotConfigured", "compose", "deliver", "resend_proofs", "transmit"]


# --- after the commit ----------------------------------------------------------------------


def send_after_commit(session: AsyncSession, settings: Settings, sending_id: int) -> None:
    """Deliver ``sending_id`` once ``session``'s transaction has committed (never on rollback)."""
    bind = session.bind
    if not isinstance(bind, AsyncEngine):
        raise TypeError("the session must be bound to an AsyncEngine")
    loop = asyncio.get_running_loop()

    def committed(_session: Any) -> None:
        loop.call_soon(_spawn, bind, settings, sending_id)

    event.listen(session.sync_session, "after_commit", committed, once=True)


def _spawn(bind: AsyncEngine, settings: Settings, sending_id: int) -> None:
    sessions = async_sessionmaker(bind, expire_on_commit=False)
    task = asyncio.ensure_future(deliver(sessions, settings, sending_id))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def wait_for_deliveries() -> None:
    """Wait until every delivery started by this process is over (tests, clean stop)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)
        await asyncio.sleep(0)


# --- one delivery ----------------------------------------------------------------------------


async def deliver(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    sending_id: int,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> str:
    """Claim, send, record; returns the row's new status (``skipped`` if not claimed)."""
    now = clock()
    async with sessions() as session, session.begin():
        claimed = await session.execute(
            update(ProofSending)
            .where(
                ProofSending.id == sending_id,
                or_(
                    ProofSending.status == "pending",
                    and_(
                        ProofSending.status == "sending",
                        ProofSending.claimed_at < now - CLAIM_TIMEOUT,
                    ),
                ),
            )
            .values(status="sending", claimed_at=now, attempts=ProofSending.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return "skipped"
        row = await session.get(ProofSending, sending_id)
        assert row is not None
        message = compose(row, settings, now=now)
        attempts = row.attempts

    failure: Exception | None = None
    try:
        await transmit(message, settings)
    except Exception as exc:
        failure = exc
        log.warning(
            "proof sending %s: attempt %s failed (%s)", sending_id, attempts, type(exc).__name__
        )

    done_at = clock()
    async with sessions() as session, session.begin():
        row = await session.get(ProofSending, sending_id)
        if row is None:  # the bilan was deleted meanwhile
            return "skipped"
        if failure is None:
            row.status = "sent"
            row.sent_at = done_at
            row.message_id = str(message["Message-ID"])
            row.last_error = None
            marked = await _mark_proof_done(session, row, done_at) if row.complete else False
            await _tell_requester(session, row, "attestation_trainer.mail_sent", marked=marked)
            log.info("proof sending %s: sent", sending_id)
        else:
            permanent = isinstance(failure, (*PERMANENT, MailNotConfigured))
            row.last_error = type(failure).__name__
            if permanent or attempts >= MAX_ATTEMPTS:
                row.status = "failed"
                await _tell_requester(
                    session, row, "attestation_trainer.mail_failed", permanent=permanent
                )
            else:
                row.status = "pending"
        return row.status


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
    )


# --- the safety net --------------------------------------------------------------------------


async def resend_proofs(session: AsyncSession, now: datetime, settings: Settings) -> None:
    """Deliver what a stopped process left pending, with backoff between attempts."""
    rows = (
        await session.scalars(
            select(ProofSending).where(
                or_(
                    ProofSending.status == "pending",
                    and_(
                        ProofSending.status == "sending",
                        ProofSending.claimed_at < now - CLAIM_TIMEOUT,
                    ),
                )
            )
        )
    ).all()
    for row in rows:
        last = row.claimed_at or row.requested_at
        wait = FIRST_RETRY * (2 ** max(0, row.attempts - 1)) if row.attempts else FIRST_RETRY
        if row.status == "sending" or last <= now - wait:
            send_after_commit(session, settings, row.id)
