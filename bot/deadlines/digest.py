"""The daily digest of deadlines, with each formateur's own reminders sent at its hour.

One job, declared in the deadlines feature's manifest
(:mod:`bot.features.deadlines`) and handed to the scheduler by the
composition root, done **a chunk of organisations per short transaction**
(:class:`bot.manifest.OrganisationJob` with ``run_many``, :data:`CHUNK`
organisations): safe to run at any time, in any number of processes, and
killed half-way it resumes with the organisations not yet committed.

- **Which organisations.** ``Organisation.digest_next_at`` says when each
  has something to look at: its next digest hour once today's is done, or
  sooner when a deadline in the digest's window was added or moved
  (:func:`bot.deadlines.service.look_again`) or a setting changed.  One
  indexed query finds those due; a steady tick finds none.
- **The digest.** Once the organisation's digest hour has come
  (``/reglages``, else ``FORMABOT_DIGEST_HOUR``, in the organisation's zone),
  one message lists what is overdue and what falls in the next seven days,
  **read from the stored deadlines** (kept current by the services that
  change their facts; nothing is recomputed here).  It goes to
  ``Organisation.digest_chat`` when an admin chose one (``/reglages`` →
  "Recevoir le récapitulatif ici"), else to each admin's private chat.
  Outbox key ``digest:org:<id>:<local date>`` (``…:person:<id>`` per admin
  when there is no digest chat): sent exactly once a day, even with two
  processes.
- **The reminders.** In the same transaction, each formateur gets, in
  private, the deadlines of their formations that are theirs to do (audience
  ``formateur``) and fall today or tomorrow, and on a Friday those of the
  weekend and the Monday (:func:`bot.deadlines.reminded.reminders_due`);
  key ``rappel:<deadline key>:<local date>`` — one the day before, one on
  the day, and one on the Friday before a Saturday's, a Sunday's or a
  Monday's, so that nobody discovers it on Monday.
- **Weekends.** Digests and reminders go out every day, Saturdays and
  Sundays included: the funders' deadlines fall on any day, and a bot down
  on a Friday sends Saturday's digest when it comes back.  A deadline on a
  Saturday or a Sunday keeps its date (the funders' texts set it) and is
  shown with « (un dimanche : à faire plutôt le vendredi …) » while that
  Friday is still to come (:func:`bot.dates.weekend_words`).
- **A chunk.** The organisations' next look is set, their rows read (each
  kind in one query for the chunk, :mod:`bot.deadlines.digest_messages`),
  every digest and reminder written by one ``INSERT … ON CONFLICT DO
  NOTHING`` and the reminders marked by one ``UPDATE``: ten to fifteen
  statements whatever the chunk's size.  Why chunks and not one
  organisation per transaction: each organisation cost about ten statements
  and 7 ms, most of it fixed costs (round trips, queries compiled, ORM
  objects).  Why :data:`CHUNK` = 25: measured at 1,000 organisations,
  alternating, on the shared 2-core machine, 50 per chunk spent about as
  much CPU as 25 (within the noise) but held the database twice as long
  (median transaction 160 ms against 80 ms under that load), and 10
  spent a fifth more CPU; a chunk of 25 holds the database a few tens of
  milliseconds on a quiet machine, so chats still get their turn between
  two chunks (see the README's "Benchmarks").  A chunk that fails
  is done again one organisation per transaction by the scheduler.

Downtime: a digest not sent because the bot was down is sent at the first
tick after the restart **if it is still the same day** (after the digest
hour): the organisation is still due.  Digests of earlier missed days are
not sent: today's lists everything still overdue, so nothing is lost and
nobody gets a pile of stale messages; what was closed before a bilan or
given up is told since the previous digest queued
(``Organisation.digest_told_at``), however late or many days after
(explorer QC7).  The same holds for reminders.  A
day with nothing overdue and nothing in the next seven days sends nothing
then; if something falls due later that day (a bilan scheduled at short
notice), the digest goes out then, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import Settings
from bot.dates.night import is_night
from bot.deadlines.digest_messages import bilans_over, digest_text, reminder_messages, to_do_of
from bot.deadlines.digest_recipients import (
    Recipient,
    admins_of,
    known_private,
    private_chats,
    recipients,
)
from bot.deadlines.lines import booked, concerned, short_scope
from bot.deadlines.org_settings import digest_hour
from bot.deadlines.reminded import reminders_due
from bot.deadlines.reopened import reopened_lines, reopened_since
from bot.deadlines.service import grouped
from bot.manifest import OrganisationJob
from bot.messages import Reply
from bot.outbox import Queued, enqueue_many
from bot.privacy.retention import digest_notes
from bot.storage.bilans import StoredDeadline
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation, zone_of
from bot.undelivered import undelivered_of

CHUNK = 25
"""Organisations done together at the digest hour, in one short transaction (see the module doc)."""


def local_now(organisation: Organisation, now: datetime) -> datetime:
    return now.astimezone(zone_of(organisation))


async def digests_due(session: AsyncSession, now: datetime, settings: Settings) -> list[int]:
    """The organisations with something to look at by ``now``.

    Two ranges of ``ix_organisations_digest_next_at`` (never looked at, and due
    by now) in a ``UNION ALL``: with ``IS NULL OR <= now`` SQLite read the
    whole index, which made the steady tick grow with the organisations.
    """
    next_at = Organisation.digest_next_at
    found = await session.scalars(
        union_all(
            select(Organisation.id).where(next_at.is_(None)),
            select(Organisation.id).where(next_at <= now),
        )
    )
    return sorted(found.all())  # sorted here: an ORDER BY id would read the table by its key


def digest_moment(organisation: Organisation, day: date, settings: Settings) -> datetime:
    """The digest hour of ``day`` (the organisation's local day), in UTC."""
    hour = digest_hour(organisation, settings.digest_hour)
    local = datetime.combine(day, time(hour), tzinfo=zone_of(organisation))
    return local.astimezone(UTC)


@dataclass(frozen=True)
class Due:
    """An organisation claimed in this transaction whose digest hour has come today."""

    organisation: Organisation
    local: datetime
    first_look: bool
    """Looked at on schedule (not again after a change): nothing of today's is queued yet,
    since queuing it set the next look to tomorrow; no need to look the keys up."""


async def claim(
    session: AsyncSession, organisation_ids: Sequence[int], now: datetime, settings: Settings
) -> list[Due]:
    """Set the next look of each organisation still due, and say which have their digest now.

    The next look is set by a conditional ``UPDATE … RETURNING`` (one per
    distinct next look: one or two for a chunk of one zone): of two processes
    on the same organisations, the second finds nothing due and does nothing.
    Before the digest hour only the next look is set.
    """
    organisations = (
        await session.scalars(select(Organisation).where(Organisation.id.in_(organisation_ids)))
    ).all()
    today: dict[int, datetime] = {}
    looks: dict[datetime, list[int]] = {}
    for organisation in organisations:
        day = local_now(organisation, now).date()
        today[organisation.id] = moment = digest_moment(organisation, day, settings)
        following = digest_moment(organisation, day + timedelta(days=1), settings)
        looks.setdefault(moment if now < moment else following, []).append(organisation.id)
    claimed: set[int] = set()
    for look, ids in looks.items():
        claimed.update(
            await session.scalars(
                update(Organisation)
                .where(
                    Organisation.id.in_(ids),
                    or_(Organisation.digest_next_at.is_(None), Organisation.digest_next_at <= now),
                )
                .values(digest_next_at=look)
                .returning(Organisation.id)
                .execution_options(synchronize_session=False)
            )
        )
    return [
        Due(
            organisation,
            local_now(organisation, now),
            first_look=organisation.digest_next_at is not None
            and organisation.digest_next_at <= today[organisation.id],
        )
        for organisation in sorted(organisations, key=lambda o: o.id)
        if organisation.id in claimed and now >= today[organisation.id]
    ]


async def digest_of(
    session: AsyncSession, organisation_id: int, now: datetime, settings: Settings
) -> None:
    """One organisation's digest and reminders, if its digest hour has come today (the
    scheduler's way when a chunk failed: each organisation alone)."""
    await digests_of(session, [organisation_id], now, settings)


async def digests_of(
    session: AsyncSession, organisation_ids: Sequence[int], now: datetime, settings: Settings
) -> None:
    """The digests and reminders of these organisations, those whose digest hour has come.

    Ten to fifteen statements whatever the number of organisations (a chunk
    of :data:`CHUNK`) and their size: the claim, their deadlines still to do
    with their formations, their admins, the admins' chats and the
    formateurs', the names concerned, the keys already queued (after a second
    look), the failures and purges to tell, one ``INSERT`` for every message
    and one ``UPDATE`` for the reminders queued.
    """
    due = await claim(session, organisation_ids, now, settings)
    if not due:
        return
    organisations = [d.organisation for d in due]
    # Since each one's previous digest, however long ago (explorer QC7): closed as missed,
    # given up, each told once.
    since = {o.id: previous_digest(o, now) for o in organisations}
    found, formations = await to_do_of(session, [o.id for o in organisations], missed_since=since)
    missed = {oid: [r for r in each if r.status == "missed"] for oid, each in found.items()}
    rows = {oid: [r for r in each if r.status != "missed"] for oid, each in found.items()}
    over = await bilans_over(session, [r for each in missed.values() for r in each], now)
    groups = {d.organisation.id: grouped(rows.get(d.organisation.id, []), d.local) for d in due}
    reminders = {
        d.organisation.id: reminders_due(rows.get(d.organisation.id, []), d.local.date(), now)
        for d in due
    }
    admins = await admins_of(session, organisations)
    owners = {
        formations[r.formation_id].owner_id
        for each in reminders.values()
        for r in each
        if r.formation_id in formations
    }
    chats = await private_chats(session, {*(p for each in admins.values() for p in each), *owners})
    said = [
        row
        for d in due
        for row in (
            *groups[d.organisation.id]["overdue"],
            *groups[d.organisation.id]["week"],
            *missed.get(d.organisation.id, ()),
            *reminders[d.organisation.id],
        )
    ]
    # « (Session 2) », not « (la session « Session 2 » (du … au …)) » (explorer QC3).
    who = {row_id: short_scope(what) for row_id, what in (await concerned(session, said)).items()}
    planned = await booked(  # the reminders' too: one past its hour is asked about (HB15)
        session,
        [
            *(r for d in due for g in ("overdue", "week") for r in groups[d.organisation.id][g]),
            *(r for d in due for r in reminders[d.organisation.id]),
        ],
    )
    private = await known_private(session, organisations)
    targets = {
        d.organisation.id: recipients(
            d.organisation,
            f"digest:org:{d.organisation.id}:{d.local.date().isoformat()}",
            admins.get(d.organisation.id, []),
            chats,
            private,
        )
        for d in due
    }
    # A look again after a change, at night: its digest and reminders are left to the
    # morning's (explorer AV7), whether the day's digest went or had nothing to say (AZ6).
    asleep = {
        d.organisation.id
        for d in due
        if not d.first_look and is_night(d.local, digest_hour(d.organisation, settings.digest_hour))
    }
    looked_again = [d for d in due if not d.first_look and d.organisation.id not in asleep]
    told = asleep | await _already_queued(session, looked_again, targets)
    telling = {
        d.organisation.id
        for d in due
        if targets[d.organisation.id] and d.organisation.id not in told
    }
    failures = await undelivered_of(session, sorted(telling), since)
    purged = await digest_notes(session, sorted(telling), now)  # the retention purge's counts
    # Done, then an end moved past it (reviewer MD3/KB8): told once, since the previous digest.
    redo = await reopened_since(session, {oid: since[oid] for oid in sorted(telling)})
    messages: list[Queued] = []
    reminding: dict[str, tuple[int, ...]] = {}  # a reminder's key: the deadlines it names
    for d in due:
        organisation = d.organisation
        if organisation.id in telling:
            for target in targets[organisation.id]:
                text = digest_text(
                    organisation,
                    groups[organisation.id],
                    d.local,
                    private=target.private,
                    formations=formations,
                    who=who,
                    failures=failures.get(organisation.id, ()),
                    missed=missed.get(organisation.id, ()),
                    bilans_over=over,
                    booked=planned,
                )
                again = _to_redo(organisation, redo.get(organisation.id), private=target.private)
                text = "\n\n".join(t for t in (text, again, purged.get(organisation.id)) if t)
                text = text or None
                if text is not None:
                    messages.append(
                        Queued(
                            target.key,
                            target.platform,
                            target.chat_id,
                            Reply(text=text),
                            organisation.id,
                            recipient=target.user,
                        )
                    )
        if organisation.id in asleep:
            continue
        for message, ids in reminder_messages(
            organisation, d.local, reminders[organisation.id], formations, chats, who, planned
        ):
            messages.append(message)
            reminding[message.key] = ids
    # The unique keys keep a second look the same day from sending anything again.
    queued = await enqueue_many(session, messages)
    told_now = [d.organisation.id for d in due if _digest_queued(d, targets, queued)]
    await _stamp(session, Organisation, told_now, digest_told_at=now)
    reminded = [row_id for key in queued for row_id in reminding.get(key, ())]
    await _stamp(session, StoredDeadline, reminded, reminded_at=now)


def _to_redo(
    organisation: Organisation,
    rows: list[tuple[StoredDeadline, str]] | None,
    *,
    private: bool,
) -> str | None:
    """The digest's words on the deadlines reopened since the previous one (a group reads
    their titles only, as the rest of its digest)."""
    if not rows:
        return None
    lines = reopened_lines(rows, zone_of(organisation))
    return texts.say("digest.to_redo", lines=lines, private=private)


async def _stamp(
    session: AsyncSession, model: type[Organisation | StoredDeadline], ids: list[int], **at: Any
) -> None:
    """The moment stored on the rows just told (in the digest's transaction: a restart
    never tells them twice)."""
    if ids:
        await session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(**at)
            .execution_options(synchronize_session=False)
        )


def previous_digest(organisation: Organisation, now: datetime) -> datetime:
    """Since when a digest tells what was missed or given up: the previous digest queued,
    stored (explorer QC7: a fixed « now − 1 day » left out a bilan begun at 14:00 from a
    digest sent at 18:00 the next day, or two days later); the last day before the first."""
    return organisation.digest_told_at or now - timedelta(days=1)


def _digest_queued(d: Due, targets: dict[int, list[Recipient]], queued: set[str]) -> bool:
    """A digest of this organisation was queued now (to one of its addresses at least)."""
    return any(t.key in queued for t in targets[d.organisation.id])


async def _already_queued(
    session: AsyncSession, looked_again: Sequence[Due], targets: dict[int, list[Recipient]]
) -> set[int]:
    """The organisations looked at again today whose digest is already queued: one query on
    the outbox's unique keys, looked up exactly (a ``LIKE`` scanned the whole outbox)."""
    keys = {t.key: d.organisation.id for d in looked_again for t in targets[d.organisation.id]}
    if not keys:
        return set()
    found = await session.scalars(
        select(OutboxMessage.key).where(OutboxMessage.key.in_(list(keys)))
    )
    return {keys[key] for key in found.all()}


send_digests = OrganisationJob(
    "send_digests", digests_due, digest_of, run_many=digests_of, chunk=CHUNK
)
"""The scheduler's job: the digests and reminders due, :data:`CHUNK` organisations per transaction."""
