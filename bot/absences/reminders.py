"""The reminder of an entretien (or regard croisé), sent to the formateur the day before.

Due the day before at the digest hour (``FORMABOT_DIGEST_HOUR``, 8 h by
default, organisation time), so it arrives with the morning's other
messages; an entretien scheduled later than that (for the next morning,
say) is reminded at the next tick.  The outbox key
``entretien:<id>:<date>`` makes it exactly once, even after downtime or with
two processes; a rescheduled entretien is a new row, so it gets its own
reminder.  Nothing is sent once the entretien has started, nor for one held,
cancelled, or whose follow-up is closed; one queued and still waiting when that
happens (its person's console closed, a platform down) is not sent either
(:func:`outdated_entretien_reminders`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import Settings
from bot.dates.night import morning_after
from bot.deadlines.org_settings import digest_hour
from bot.messages import Reply
from bot.outbox import enqueue
from bot.storage.absences import Entretien, FollowUp
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Organisation, zone_of

KEY = "entretien:"
"""The outbox keys of these reminders: ``entretien:<id>:<date>``."""

LOOKAHEAD = timedelta(days=2)
"""Entretiens further ahead than this cannot be due yet (the reminder is the day before)."""


def _still_ahead() -> tuple[ColumnElement[bool], ...]:
    """An entretien still to be reminded of: neither held nor cancelled, its follow-up open."""
    return (
        Entretien.held_at.is_(None),
        Entretien.cancelled_at.is_(None),
        FollowUp.closed_at.is_(None),
    )


def reminder_due(scheduled_at: datetime, zone: str, hour: int) -> datetime:
    """When the reminder of an entretien is due: the day before, at ``hour``, local time."""
    tz = ZoneInfo(zone)
    day_before = scheduled_at.astimezone(tz).date() - timedelta(days=1)
    return datetime.combine(day_before, time(hour=max(0, min(23, hour))), tz)


def with_their_people() -> Select[Entretien, Formation, Trainee, Organisation]:
    """The entretiens with their formation, trainee and organisation, through their
    follow-up: what a reminder about one names and where it goes."""
    return (
        select(Entretien, Formation, Trainee, Organisation)
        .join(FollowUp, FollowUp.id == Entretien.followup_id)
        .join(Formation, Formation.id == FollowUp.formation_id)
        .join(Trainee, Trainee.id == FollowUp.trainee_id)
        .join(Organisation, Organisation.id == FollowUp.organisation_id)
    )


async def remind_owner(
    session: AsyncSession,
    formation: Formation,
    organisation: Organisation,
    *,
    key: str,
    text: str,
    not_before: datetime | None,
) -> None:
    """Queue ``text`` for the formation's owner, in her first chat not blocked (none: nothing);
    ``key`` makes it once."""
    identity = await session.scalar(
        select(ChatIdentity)
        .where(ChatIdentity.person_id == formation.owner_id, ChatIdentity.blocked_at.is_(None))
        .order_by(ChatIdentity.id)
        .limit(1)
    )
    if identity is None:
        return
    await enqueue(
        session,
        key=key,
        platform=identity.platform,
        chat_id=identity.chat_id,
        reply=Reply(text=text),
        organisation_id=organisation.id,
        not_before=not_before,
        recipient=identity.user_id,
    )


def waiting_for(messages: Sequence[OutboxMessage], prefix: str) -> dict[int, int]:
    """The entretien each of ``messages`` keyed ``<prefix><entretien id>:…`` is about, by the
    message's id."""
    asked: dict[int, int] = {}
    for message in messages:
        number = message.key.removeprefix(prefix).split(":")[0]
        if message.key.startswith(prefix) and number.isdigit():
            asked[message.id] = int(number)
    return asked


async def entretien_reminders(session: AsyncSession, now: datetime, settings: Settings) -> None:
    rows = await session.execute(
        with_their_people()
        .where(
            *_still_ahead(),
            Entretien.scheduled_at > now,
            Entretien.scheduled_at <= now + LOOKAHEAD,
        )
        .order_by(Entretien.scheduled_at, Entretien.id)
    )
    for entretien, formation, trainee, organisation in rows.all():
        hour = digest_hour(organisation, settings.digest_hour)  # the organisation's (AV2)
        if now < reminder_due(entretien.scheduled_at, organisation.timezone, hour):
            continue
        if trainee.left_before(entretien.scheduled_at.astimezone(zone_of(organisation)).date()):
            continue  # gone before it (explorer K: reminded of a trainee who had left)
        local = entretien.scheduled_at.astimezone(zone_of(organisation))
        text = texts.say(
            "decrochage.reminder_entretien",
            e=entretien,
            when=local,
            name=trainee.full_name,
            title=formation.title,
        )
        await remind_owner(
            session,
            formation,
            organisation,
            key=f"{KEY}{entretien.id}:{local.date().isoformat()}",
            text=text,
            # Due while the bot was down, found at 3 h: sent in the morning (explorer AV8).
            not_before=morning_after(now, zone_of(organisation), hour),
        )


async def outdated_entretien_reminders(
    session: AsyncSession, messages: Sequence[OutboxMessage], now: datetime
) -> set[int]:
    """The reminders among ``messages`` whose entretien was held, cancelled or has begun,
    whose follow-up was closed, or whose trainee's exit came before it, since they were
    queued."""
    asked = waiting_for(messages, KEY)
    if not asked:
        return set()
    found = await session.execute(
        select(Entretien.id, Entretien.scheduled_at, Trainee, Organisation)
        .join(FollowUp, FollowUp.id == Entretien.followup_id)
        .join(Trainee, Trainee.id == FollowUp.trainee_id)
        .join(Organisation, Organisation.id == FollowUp.organisation_id)
        .where(
            Entretien.id.in_(set(asked.values())),
            *_still_ahead(),
            Entretien.scheduled_at > now,
        )
    )
    ahead = {
        entretien
        for entretien, when, trainee, organisation in found.all()
        if not trainee.left_before(when.astimezone(zone_of(organisation)).date())
    }
    return {message for message, entretien in asked.items() if entretien not in ahead}


async def entretiens_after(session: AsyncSession, trainee: Trainee, day: date) -> list[datetime]:
    """When the trainee's entretiens still to hold are, those after ``day`` (an exit being
    recorded: said before it is saved, explorer K), in the organisation's time."""
    found = await session.execute(
        select(Entretien.scheduled_at, Organisation.timezone)
        .join(FollowUp, FollowUp.id == Entretien.followup_id)
        .join(Organisation, Organisation.id == FollowUp.organisation_id)
        .where(FollowUp.trainee_id == trainee.id, *_still_ahead())
        .order_by(Entretien.scheduled_at)
    )
    moments = [when.astimezone(ZoneInfo(zone)) for when, zone in found.all()]
    return [moment for moment in moments if moment.date() > day]
