"""Delivery of the messages the bot sends on its own: one row per message, sent at least once.

Writers call :func:`enqueue` inside their transaction with a key naming
what the message is about; the same key twice is one message (a unique
index, ``INSERT … ON CONFLICT DO NOTHING``: two processes running the same
job write one row, and the one that loses logs nothing).  A sender loop
claims due rows (a claim is a conditional UPDATE, so two processes never
take the same row), hands them to the transport of their platform, and
records the outcome: sent, or retried later.  The outcome is written in its
own short transaction right after the platform answers; a process killed
in that instant leaves the row claimed, and it is sent again once the
claim times out (:data:`CLAIM_TIMEOUT`), or at once by a process started
again on the same host (:mod:`bot.storage.claimers`).  That one case is at least once,
not exactly once: no platform lets a sender ask "did you get this?".
Retries are quick at first (5 s doubling, for :data:`FAST_ATTEMPTS`), then
every :data:`SLOW_INTERVAL` until the message is :data:`GIVE_UP_AFTER` old:
a platform outage of an hour, or a network cut at digest time, delivers
everything once the platform is back.  A row given up is marked
``failed``, kept like the sent ones (:data:`DELIVERED_KEPT`).

E-mail is one more channel of the same outbox (platform :data:`EMAIL`, the
address as ``chat_id``): :func:`queue_email` writes the row in the caller's
transaction, the sender hands it to SMTP after the commit
(:mod:`bot.mailer`), with the same claim, retries and record.  Its
Message-ID is derived from the row's key, so the rare second sending after a crash
carries the same one and mail clients show it once.  A row may say which
bilan and participant it is about (``bilan_id``, ``participant_id``,
``about``): the trainer's view of the bilan lists them (:mod:`bot.bilans.sent`).
The features' follow-ups (``Feature.delivered``) are told of each outcome in
the transaction that records it (a proof bundle sent marks its deadline done).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.failures import Refusals, log_failure
from bot.manifest import Delivered, Outdated
from bot.messages import RECIPIENT, SENT_AS, Document, Reply
from bot.metrics import METRICS
from bot.outbox_payload import (
    Mail,
    mail_to_payload,
    payload_to_mail,
    payload_to_reply,
    reply_to_payload,
    without_attachments,
)
from bot.storage.base import stamp_now, stamps_from, utcnow
from bot.storage.claimers import LONGEST, claimer, take_back
from bot.storage.conflicts import insert_all_unless_taken
from bot.storage.outbox import OutboxMessage
from bot.storage.ping import may_be_lost
from bot.storage.sweeps import delete_oldest

log = logging.getLogger(__name__)

FAST_ATTEMPTS = 8
"""Retries 5 s, 10 s, 20 s … 640 s apart: a short glitch costs seconds."""
SLOW_INTERVAL = timedelta(minutes=15)
"""After the quick retries, one try every quarter of an hour."""
GIVE_UP_AFTER = timedelta(days=1)
"""A message still undelivered a day after it was queued is marked failed."""
CLAIM_TIMEOUT = timedelta(minutes=5)
"""A row claimed longer ago than this by a process that died is taken again (at once when
that process ran on this host: :meth:`Sender._take_back_orphans`)."""
UNSURE_PAUSE = timedelta(minutes=2)
"""After a send that may have arrived (the platform took it but answered too late), the
next try waits this long: a slow platform delivers the first meanwhile, and a second copy
is the price of never losing one (explorer AC12: four copies after a 25 s stall)."""
ORPHANS_EVERY = timedelta(minutes=1)
"""How often a sender looks for rows a dead process of this host left claimed."""


EMAIL = "email"
"""The outbox channel of e-mails: ``chat_id`` is the address."""


class PermanentFailure(Exception):
    """The platform refused for good (the person blocked the bot, an address refused):
    do not retry.  ``reason`` is what the row records (never an address or a name)."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason or type(self).__name__


class MayHaveArrived(Exception):
    """The platform may have the message: the request went out and no answer came in
    time.  Tried again, but not at once (:data:`UNSURE_PAUSE`)."""


SendFunction = Callable[[str, Reply], Awaitable[None]]
MailFunction = Callable[[str, Mail, str], Awaitable[None]]
"""Sends ``mail`` to an address; the third argument is the row's key, for its Message-ID."""


async def cancel_pending(session: AsyncSession, *where: Any) -> list[OutboxMessage]:
    """Rows not yet claimed that a newer message replaces are cancelled, in the caller's
    transaction (a conditional UPDATE: a row the sender already took is left to it); the
    rows cancelled, an e-mail's files dropped as once sent."""
    cancelled = list(
        (
            await session.scalars(
                update(OutboxMessage)
                .where(OutboxMessage.status == "pending", *where)
                .values(status="cancelled")
                .returning(OutboxMessage)
                .execution_options(synchronize_session=False)
            )
        ).all()
    )
    for row in cancelled:
        if row.platform == EMAIL:
            row.payload = without_attachments(row.payload)
    return cancelled


@dataclass(frozen=True)
class About:
    """What a message is about, for the trainer's view of a bilan (all optional)."""

    bilan_id: int | None = None
    participant_id: int | None = None
    what: str | None = None


@dataclass(frozen=True)
class Queued:
    """One message for :func:`enqueue_many`."""

    key: str
    platform: str
    chat_id: str
    reply: Reply
    organisation_id: int | None = None
    not_before: datetime | None = None
    about: About | None = None
    recipient: str | None = None
    """The account of the one person it is for, when it is hers alone (:data:`RECIPIENT`)."""


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    platform: str,
    chat_id: str,
    reply: Reply,
    organisation_id: int | None = None,
    not_before: datetime | None = None,
    about: About | None = None,
    recipient: str | None = None,
) -> bool:
    """Queue a message unless one with this key exists; True when queued now.  ``recipient``:
    the account of the person it is for, kept with it (:data:`~bot.messages.RECIPIENT`)."""
    message = Queued(key, platform, chat_id, reply, organisation_id, not_before, about, recipient)
    return key in await enqueue_many(session, [message])


def _addressed(message: Queued) -> Reply:
    """The reply as kept: with whom it is for, when that is one person."""
    if message.recipient is None:
        return message.reply
    return replace(message.reply, extras={**message.reply.extras, RECIPIENT: message.recipient})


async def enqueue_many(session: AsyncSession, messages: Sequence[Queued]) -> set[str]:
    """Queue each message unless one with its key exists; the keys queued now.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING key`` for them all: when
    two processes run the same daily job at once, the loser's insert does
    nothing, without an error to log or a transaction to roll back; a digest
    and its reminders cost one statement.
    """
    rows = [
        _row(
            m.key,
            m.platform,
            m.chat_id,
            reply_to_payload(_addressed(m)),
            m.organisation_id,
            m.about,
        )
        | {"next_attempt_at": m.not_before or stamp_now()}
        for m in messages
    ]
    return await _insert_rows(session, rows)


async def queue_email(
    session: AsyncSession,
    *,
    to: str,
    subject: str,
    body: str,
    key: str,
    attachments: Sequence[Document] = (),
    organisation_id: int | None = None,
    about: About | None = None,
) -> bool:
    """Queue an e-mail to ``to`` unless one with this key exists; True when queued now.

    Sent after the caller's transaction commits, by the sender's e-mail
    channel (only a process with SMTP configured runs one: the callers check
    ``Settings.has_smtp`` first and give the trainer a draft otherwise).
    """
    mail = Mail(subject=" ".join(subject.split())[:250], body=body, attachments=tuple(attachments))
    row = _row(key, EMAIL, to.strip(), mail_to_payload(mail), organisation_id, about)
    return key in await _insert_rows(session, [row | {"next_attempt_at": stamp_now()}])


def _row(
    key: str,
    platform: str,
    chat_id: str,
    payload: dict[str, Any],
    organisation_id: int | None,
    about: About | None,
) -> dict[str, Any]:
    about = about or About()
    return {
        "key": key,
        "organisation_id": organisation_id,
        "platform": platform,
        "chat_id": chat_id,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "bilan_id": about.bilan_id,
        "participant_id": about.participant_id,
        "about": about.what,
    }


async def _insert_rows(session: AsyncSession, rows: list[dict[str, Any]]) -> set[str]:
    if not rows:
        return set()
    stamp = stamp_now()
    for row in rows:
        row["created_at"] = stamp
    return {str(key) for key in await insert_all_unless_taken(session, OutboxMessage, rows, "key")}


def unsure(exc: BaseException) -> bool:
    """The failure may hide a delivery (:class:`MayHaveArrived`, raised as it or as cause)."""
    return isinstance(exc, MayHaveArrived) or isinstance(exc.__cause__, MayHaveArrived)


def backoff(attempts: int) -> timedelta:
    """How long to wait after ``attempts`` failed tries."""
    if attempts > FAST_ATTEMPTS:
        return SLOW_INTERVAL
    return min(SLOW_INTERVAL, timedelta(seconds=5 * 2 ** max(0, attempts - 1)))


class Sender:
    """Claims due outbox rows and sends them through the platforms' transports."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        transports: Mapping[str, SendFunction],
        *,
        mailer: MailFunction | None = None,
        after: Sequence[Delivered] = (),
        outdated: Outdated | None = None,
        batch: int = 20,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.transports = transports
        self.mailer = mailer
        self.after = tuple(after)
        self.outdated = outdated
        self.batch = batch
        self.clock = clock
        self.worker = f"{claimer()}:{id(self):x}"[:LONGEST]
        self._orphans_looked_at: datetime | None = None

    @property
    def platforms(self) -> list[str]:
        """The platforms whose rows this sender sends: its transports', e-mail with a mailer."""
        return [*self.transports, *([EMAIL] if self.mailer is not None else [])]

    async def claim(self) -> list[OutboxMessage]:
        now = self.clock()
        async with self.sessions() as session, session.begin():
            looked = self._orphans_looked_at
            if looked is None or now - looked >= ORPHANS_EVERY:
                self._orphans_looked_at = now
                await self._take_back_orphans(session, self.platforms)
            candidates = (
                await session.scalars(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.platform.in_(self.platforms),
                        OutboxMessage.next_attempt_at <= now,
                        or_(
                            OutboxMessage.status == "pending",
                            (OutboxMessage.status == "sending")
                            & (OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
                        ),
                    )
                    .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                    .limit(self.batch)
                )
            ).all()
            claimed: list[int] = []
            for row_id in candidates:
                result = await session.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id == row_id,
                        or_(
                            OutboxMessage.status == "pending",
                            (OutboxMessage.status == "sending")
                            & (OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
                        ),
                    )
                    .values(status="sending", claimed_by=self.worker, claimed_at=now)
                )
                if result.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(row_id)
            if not claimed:
                return []
            rows = (
                await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)))
            ).all()
            return await self._still_due(session, rows)

    async def _still_due(
        self, session: AsyncSession, rows: Sequence[OutboxMessage]
    ) -> list[OutboxMessage]:
        """The claimed rows whose news still holds; the others cancelled in the claim's
        transaction (a reminder that waited for a closed console, its deadline done since).
        A look that fails sends them all, as before it existed: never a message stuck."""
        gone: set[int] = set()
        if self.outdated is not None:
            try:
                async with session.begin_nested():
                    gone = await self.outdated(session, rows, self.clock())
            except Exception as exc:
                log_failure(f"outbox: the second look at {len(rows)} rows (sent as they are)", exc)
        if gone:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(gone))
                .values(status="cancelled", claimed_by=None)
            )
            for row_id in sorted(gone):
                log.info("outbox %s: no longer holds, cancelled", row_id)
        return [row for row in rows if row.id not in gone]

    async def _take_back_orphans(self, session: AsyncSession, platforms: list[str]) -> None:
        """Rows a process of this host left ``sending`` when it died are due again now, not
        once their claim times out: a bot killed in the middle of a sending and started
        again sends at once (perhaps twice: the platform may have had it; the claim's
        timeout would send it again all the same)."""
        sending = (OutboxMessage.platform.in_(platforms), OutboxMessage.status == "sending")
        for row_id in await take_back(session, OutboxMessage, *sending, me=self.worker):
            log.info("outbox %s: left by a stopped process, due again", row_id)

    async def run_once(self) -> int:
        """Send what is due now; returns how many were sent (what the follow-ups write
        stamped by this sender's clock: :func:`bot.storage.base.stamp_now`)."""
        with stamps_from(self.clock):
            return await self._send_due()

    async def _send_due(self) -> int:
        sent = 0
        for row in await self.claim():
            outcome: dict[str, Any]
            try:
                await self._send(row)
            except PermanentFailure as exc:
                outcome = {"status": "failed", "last_error": exc.reason[:200]}
                log.warning("outbox %s: refused for good (%s)", row.id, exc.reason)
            except Exception as exc:
                attempts = row.attempts + 1
                give_up = self.clock() - row.created_at >= GIVE_UP_AFTER
                outcome = {
                    "status": "failed" if give_up else "pending",
                    "attempts": attempts,
                    "next_attempt_at": self.clock()
                    + max(backoff(attempts), UNSURE_PAUSE if unsure(exc) else timedelta(0)),
                    "last_error": type(exc).__name__,
                }
                log.warning(
                    "outbox %s: attempt %s failed (%s)%s",
                    row.id,
                    attempts,
                    type(exc).__name__,
                    ", giving up" if give_up else "",
                )
            else:
                outcome = {"status": "sent", "sent_at": self.clock(), "attempts": row.attempts + 1}
                sent += 1
            if row.platform == EMAIL and outcome["status"] in ("sent", "failed"):
                outcome["payload"] = without_attachments(row.payload)
            async with self.sessions() as session, session.begin():
                await session.execute(
                    update(OutboxMessage).where(OutboxMessage.id == row.id).values(**outcome)
                )
                if outcome["status"] in ("sent", "failed"):
                    await self._follow_up(session, row.id)
            METRICS.delivery(row.platform, outcome["status"])
        return sent

    async def _follow_up(self, session: AsyncSession, row_id: int) -> None:
        """The features' follow-ups of an outcome, each in a savepoint: one that fails is
        logged and undone, the outcome stays recorded (never a second sending)."""
        done = await session.get(OutboxMessage, row_id, populate_existing=True)
        if done is None:
            return
        for hook in self.after:
            try:
                async with session.begin_nested():
                    await hook(session, done)
            except Exception as exc:
                log_failure(f"outbox {row_id}: follow-up", exc)

    async def _send(self, row: OutboxMessage) -> None:
        if row.platform == EMAIL and self.mailer is not None:
            await self.mailer(row.chat_id, payload_to_mail(row.payload), row.key)
        else:
            reply = payload_to_reply(row.payload)
            sent_as = replace(reply, extras={**reply.extras, SENT_AS: row.key})
            await self.transports[row.platform](row.chat_id, sent_as)

    async def run_forever(self, stop: asyncio.Event, *, interval: float = 2.0) -> None:
        """A pass every ``interval`` seconds; while the database is away, said once and
        tried less and less often (up to :data:`AWAY_PAUSE_MAX`), then said back."""
        refusals = Refusals("outbox sender pass", interval, AWAY_PAUSE_MAX)
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception as exc:
                if may_be_lost(exc):
                    refusals.refused(exc)
                else:
                    log_failure("outbox sender pass", exc)
            else:
                refusals.answered()
            try:
                await asyncio.wait_for(stop.wait(), timeout=refusals.pause)
            except TimeoutError:
                pass


AWAY_PAUSE_MAX = 30.0
"""Seconds between two passes at most while the database is away: the messages it holds
go out within that once it answers again."""


DELIVERED_KEPT = timedelta(days=90)
"""Sent and given-up rows are kept three months, then deleted: their keys are
what makes a message queued once, and every key names a day, a version or an
event that is long past by then; the outbox stays the size of a season."""

DELIVERED = ("sent", "failed", "cancelled")
"""The statuses nothing will send again."""

PRUNE_BATCH = 500
"""Outbox rows deleted per status and per tick: a row deleted is a write to each of the
outbox's ten indexes (500 take about 5 ms on SQLite and 4 ms on PostgreSQL in one
``DELETE``, after the digest hour of 2,000 organisations; more than erasing 1,000 texts).
A day's messages of 20,000 organisations (25,600) go within 52 minutes of their three
months; they hold no text by then."""


async def forget_delivered_messages(
    session: AsyncSession, now: datetime, settings: Settings
) -> None:
    """The outbox is pruned: rows sent or given up more than :data:`DELIVERED_KEPT` ago.

    At most :data:`PRUNE_BATCH` rows of each status per tick, oldest first
    through ``(status, created_at)``'s index: a day's messages of 20,000
    organisations come of age in the same minute, and a server upgraded from
    a version that never pruned has months to delete; either is worked down
    over the next ticks, each as cheap as a quiet one.
    """
    for status in DELIVERED:
        await delete_oldest(
            session,
            OutboxMessage,
            OutboxMessage.created_at,
            [OutboxMessage.status == status],
            now - DELIVERED_KEPT,
            batch=PRUNE_BATCH,
        )
