"""The daily digest of deadlines, with each formateur's own reminders sent at its hour.

One job, declared in the deadlines feature's manifest
(:mod:`bot.features.deadlines`) and handed to the scheduler by the
composition root, done **organisation by organisation, each in its own
short transaction** (:class:`bot.manifest.OrganisationJob`): safe to run at
any time, in any number of processes, and killed half-way it resumes with
the organisations not yet committed.

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
  ``formateur``) and fall today or tomorrow; key ``rappel:<deadline
  key>:<local date>`` — one the day before, one on the day.

Downtime: a digest not sent because the bot was down is sent at the first
tick after the restart **if it is still the same day** (after the digest
hour): the organisation is still due.  Digests of earlier missed days are
not sent: today's lists everything still overdue, so nothing is lost and
nobody gets a pile of stale messages.  The same holds for reminders.

Group digests name no trainee: they give each formation's title and its
counts only.  Private digests and reminders name what tells a line apart
(the trainee, the session, the bilan) and show the entries or exits of one
formation as one line ("3 entrées à saisir dans EOS", the names after it),
see :mod:`bot.deadlines.lines`.  A day with nothing overdue and nothing in the next
seven days sends nothing then; if something falls due later that day (a
bilan scheduled at short notice), the digest goes out then, once.  Formations
for one person (bilan de compétences, VAE), whose titles often name them,
are numbered rather than named in a group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import Settings
from bot.deadlines.documents import due_text
from bot.deadlines.lines import Line, bundle, concerned
from bot.deadlines.org_settings import digest_hour
from bot.deadlines.service import STILL_TO_DO, grouped, order
from bot.manifest import OrganisationJob
from bot.messages import Reply
from bot.outbox import Queued, enqueue_many
from bot.privacy.retention import digest_note
from bot.storage.bilans import StoredDeadline
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Membership, Organisation, Role, zone_of
from bot.undelivered import Undelivered, undelivered

MAX_LINES = 25
"""Lines per group in a private digest; the rest is counted ("… et 4 autres")."""

INDIVIDUAL_KINDS = {"bilan_competences": "Bilan de compétences", "vae": "Accompagnement VAE"}
"""Formations for one person, whose title often names them: a group digest numbers them."""


@dataclass(frozen=True)
class Recipient:
    key: str
    platform: str
    chat_id: str
    private: bool


def local_now(organisation: Organisation, now: datetime) -> datetime:
    return now.astimezone(zone_of(organisation))


def due_now(organisation: Organisation, now: datetime, settings: Settings) -> bool:
    """Whether today's digest hour has come in the organisation's zone."""
    return local_now(organisation, now).hour >= digest_hour(organisation, settings.digest_hour)


async def private_chats(
    session: AsyncSession, person_ids: Iterable[int]
) -> dict[int, ChatIdentity]:
    """Each person's first private chat the bot may still write to, in one query."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    found: dict[int, ChatIdentity] = {}
    for identity in (
        await session.scalars(
            select(ChatIdentity)
            .where(ChatIdentity.person_id.in_(wanted), ChatIdentity.blocked_at.is_(None))
            .order_by(ChatIdentity.id)
        )
    ).all():
        found.setdefault(identity.person_id, identity)
    return found


async def admins_of(session: AsyncSession, organisation: Organisation) -> list[int]:
    """The organisation's admins (each gets the digest when no digest chat was chosen)."""
    if organisation.digest_chat:
        return []
    found = await session.scalars(
        select(Membership.person_id)
        .where(
            Membership.organisation_id == organisation.id,
            Membership.role == Role.ADMIN.value,
        )
        .order_by(Membership.person_id)
    )
    return list(found.all())


async def recipients(
    session: AsyncSession,
    organisation: Organisation,
    base: str,
    admins: Sequence[int],
    chats: dict[int, ChatIdentity],
) -> list[Recipient]:
    """The digest chat, else each admin's private chat (``chats``, looked up with the rest)."""
    if organisation.digest_chat and ":" in organisation.digest_chat:
        platform, _, chat_id = organisation.digest_chat.partition(":")
        # A chat that is someone's private chat may show details; anything else is a group.
        private = await session.scalar(
            select(ChatIdentity.id).where(
                ChatIdentity.platform == platform, ChatIdentity.chat_id == chat_id
            )
        )
        return [Recipient(base, platform, chat_id, private is not None)]
    return [
        Recipient(f"{base}:person:{person_id}", chat.platform, chat.chat_id, True)
        for person_id in admins
        if (chat := chats.get(person_id)) is not None
    ]


@dataclass(frozen=True)
class Titled:
    """A formation as the digest names it."""

    title: str
    kind: str
    owner_id: int


async def to_do_of(
    session: AsyncSession, organisation_id: int
) -> tuple[list[StoredDeadline], dict[int, Titled]]:
    """The organisation's deadlines still to do, in order, and their formations: one query."""
    found = (
        await session.execute(
            select(StoredDeadline, Formation.title, Formation.kind, Formation.owner_id)
            .join(Formation, Formation.id == StoredDeadline.formation_id)
            .where(
                StoredDeadline.organisation_id == organisation_id,
                StoredDeadline.status.in_(STILL_TO_DO),
            )
        )
    ).all()
    formations = {
        row.formation_id: Titled(str(title), str(kind), int(owner))
        for row, title, kind, owner in found
    }
    return sorted((row for row, *_ in found), key=order), formations


def digest_text(
    organisation: Organisation,
    rows: Sequence[StoredDeadline],
    local: datetime,
    *,
    private: bool,
    formations: dict[int, Titled],
    who: dict[int, str],
    failures: Sequence[Undelivered] = (),
) -> str | None:
    """The digest of ``rows`` (stored, still to do) as one chat reads it; ``None``: nothing to say.

    ``who`` names what each deadline concerns (:func:`bot.deadlines.lines.concerned`).
    """
    groups = grouped(rows, local)
    overdue, week = groups["overdue"], groups["week"]
    if not overdue and not week and not failures:
        return None
    titles = {
        fid: (
            f"{INDIVIDUAL_KINDS[f.kind]} n° {fid}"
            if not private and f.kind in INDIVIDUAL_KINDS
            else f.title
        )
        for fid, f in formations.items()
    }
    tz = zone_of(organisation)
    if not private:
        counts: dict[int, dict[str, int]] = {}
        for name, items in (("overdue", overdue), ("week", week)):
            for row in items:
                counts.setdefault(row.formation_id, {"overdue": 0, "week": 0})[name] += 1
        lines = [
            {"title": titles.get(fid, ""), "overdue": c["overdue"], "week": c["week"]}
            for fid, c in sorted(counts.items(), key=lambda p: titles.get(p[0], ""))
        ]
        return texts.say("digest.group", day=local.date(), lines=lines, undelivered=list(failures))

    def line(item: Line) -> dict[str, str]:
        row = item.first
        return {
            "due": due_text(row, tz),
            "title": item.title,
            "formation": titles.get(row.formation_id, ""),
            "who": item.who,
            "postponed": "oui" if row.status == "postponed" and not item.several else "",
        }

    late = bundle(overdue, who, local)
    soon = bundle(week, who, local)
    return texts.say(
        "digest.private",
        day=local.date(),
        organisation=organisation.name,
        overdue=[line(r) for r in late[:MAX_LINES]],
        overdue_more=max(0, len(late) - MAX_LINES),
        week=[line(r) for r in soon[:MAX_LINES]],
        week_more=max(0, len(soon) - MAX_LINES),
        undelivered=list(failures),
    )


async def digests_due(session: AsyncSession, now: datetime, settings: Settings) -> list[int]:
    """The organisations with something to look at by ``now`` (by ``ix_organisations_digest_next_at``)."""
    found = await session.scalars(
        select(Organisation.id).where(
            or_(Organisation.digest_next_at.is_(None), Organisation.digest_next_at <= now)
        )
    )
    return sorted(found.all())  # sorted here: an ORDER BY id would read the table by its key


def digest_moment(organisation: Organisation, day: date, settings: Settings) -> datetime:
    """The digest hour of ``day`` (the organisation's local day), in UTC."""
    hour = digest_hour(organisation, settings.digest_hour)
    local = datetime.combine(day, time(hour), tzinfo=zone_of(organisation))
    return local.astimezone(UTC)


async def digest_of(
    session: AsyncSession, organisation_id: int, now: datetime, settings: Settings
) -> None:
    """One organisation's digest and reminders, if its digest hour has come today.

    The organisation's next look is set first by a conditional ``UPDATE``: of
    two processes on the same organisation, the second finds nothing due and
    does nothing.  Before the digest hour only the next look is set.
    """
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        return
    local = local_now(organisation, now)
    today = digest_moment(organisation, local.date(), settings)
    following = digest_moment(organisation, local.date() + timedelta(days=1), settings)
    claimed = await session.execute(
        update(Organisation)
        .where(
            Organisation.id == organisation_id,
            or_(Organisation.digest_next_at.is_(None), Organisation.digest_next_at <= now),
        )
        .values(digest_next_at=today if now < today else following)
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0) or now < today:
        return
    # Looked at on schedule (not again after a change): nothing of today's is queued yet,
    # since queuing it set the next look to tomorrow; no need to look the keys up.
    scheduled = organisation.digest_next_at is not None and organisation.digest_next_at <= today
    await _send(session, organisation, now, local, first_look=scheduled)


async def _send(
    session: AsyncSession,
    organisation: Organisation,
    now: datetime,
    local: datetime,
    *,
    first_look: bool,
) -> None:
    """The digest and the reminders of the day, from one read of the stored deadlines.

    About ten statements whatever the organisation's size: its deadlines still
    to do with their formations, its admins, their chats and the formateurs'
    in one query, the names concerned, and one ``INSERT`` for every message.
    """
    rows, formations = await to_do_of(session, organisation.id)
    due = reminders_due(rows, local.date())
    admins = await admins_of(session, organisation)
    owners = {formations[r.formation_id].owner_id for r in due if r.formation_id in formations}
    chats = await private_chats(session, {*admins, *owners})
    groups = grouped(rows, local)
    who = await concerned(session, [*groups["overdue"], *groups["week"], *due])
    messages = await _digests(
        session, organisation, now, local, rows, formations, who, admins, chats, first_look
    )
    tz = zone_of(organisation)
    for row in due:
        formation = formations.get(row.formation_id)
        identity = chats.get(formation.owner_id) if formation else None
        if formation is None or identity is None:
            continue
        text = texts.say(
            "digest.reminder",
            title=row.title,
            who=who.get(row.id, ""),
            formation=formation.title,
            due=due_text(row, tz),
            today=row.effective_due == local.date(),
            explanation=row.explanation,
        )
        messages.append(
            Queued(
                reminder_key(row, local.date()),
                identity.platform,
                identity.chat_id,
                Reply(text=text),
                organisation.id,
            )
        )
    # The unique keys keep a second look the same day from sending anything again.
    queued = await enqueue_many(session, messages)
    for row in due:
        if reminder_key(row, local.date()) in queued:
            row.reminded_at = now


async def _digests(
    session: AsyncSession,
    organisation: Organisation,
    now: datetime,
    local: datetime,
    rows: Sequence[StoredDeadline],
    formations: dict[int, Titled],
    who: dict[int, str],
    admins: Sequence[int],
    chats: dict[int, ChatIdentity],
    first_look: bool,
) -> list[Queued]:
    """The day's digest for each recipient, unless already queued today."""
    base = f"digest:org:{organisation.id}:{local.date().isoformat()}"
    targets = await recipients(session, organisation, base, admins, chats)
    if not targets:
        return []
    if not first_look:
        # The outbox's unique keys, looked up exactly (a LIKE scanned the whole outbox).
        sent = await session.scalar(
            select(OutboxMessage.id)
            .where(OutboxMessage.key.in_([target.key for target in targets]))
            .limit(1)
        )
        if sent is not None:
            return []
    # Given up since the previous digest, a day ago: each failure is told once.
    failures = await undelivered(session, organisation.id, now - timedelta(days=1))
    purged = await digest_note(session, organisation.id, now)  # the retention purge's count
    messages = []
    for target in targets:
        text = digest_text(
            organisation,
            rows,
            local,
            private=target.private,
            formations=formations,
            who=who,
            failures=failures,
        )
        text = "\n\n".join(t for t in (text, purged) if t) or None
        if text is not None:
            messages.append(
                Queued(
                    target.key, target.platform, target.chat_id, Reply(text=text), organisation.id
                )
            )
    return messages


def reminders_due(rows: Sequence[StoredDeadline], today: date) -> list[StoredDeadline]:
    """The formateurs' own deadlines falling today or tomorrow (``rows``: those still to do)."""
    days = (today, today + timedelta(days=1))
    return [
        row
        for row in rows
        if row.audience == "formateur"
        and (
            (row.status == "open" and row.due_on in days)
            or (row.status == "postponed" and row.postponed_to in days)
        )
    ]


def reminder_key(row: StoredDeadline, today: date) -> str:
    """``rappel:<deadline key>:<local date>``: one the day before, one on the day."""
    return f"rappel:{row.key}:{today.isoformat()}"


send_digests = OrganisationJob("send_digests", digests_due, digest_of)
"""The scheduler's job: the digests and reminders due, one organisation per transaction."""
