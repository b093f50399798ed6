"""The reminder of a compte rendu's « prochain point », sent to the formateur that morning.

The compte rendu of an entretien says when the next point with the trainee is (« le 24
novembre, en fin de séance, avec la coordinatrice »); the day it names was written in the
PDF and then never followed (explorer GF9).  The morning of that day, at the digest hour
(organisation time), the formation's formateur is reminded of it, with the words of the
compte rendu.  The outbox key ``prochain-point:<entretien>:<date>`` makes it once, also after
downtime or with two processes; a point whose day has gone by while the bot was down is not
reminded any more (a reminder of yesterday's point is noise), nor one written on its own day
(the trainer has just typed it), nor one whose follow-up was closed or whose trainee left or
was erased before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.absences.reminders import remind_owner, waiting_for, with_their_people
from bot.config import Settings
from bot.dates.night import morning_after
from bot.deadlines.org_settings import digest_hour
from bot.storage.absences import Entretien, FollowUp
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation

KEY = "prochain-point:"
"""The outbox keys of these reminders: ``prochain-point:<entretien id>:<date>``."""


async def next_point_reminders(session: AsyncSession, now: datetime, settings: Settings) -> None:
    """Queue this morning's reminders of the points the comptes rendus promised for today."""
    # Every zone's today lies between yesterday and tomorrow in UTC.
    rows = await session.execute(
        with_their_people()
        .where(
            FollowUp.closed_at.is_(None),
            Entretien.compte_rendu_id.is_not(None),
            Entretien.prochain_point_on.between(
                now.date() - timedelta(days=1), now.date() + timedelta(days=1)
            ),
        )
        .order_by(Entretien.prochain_point_on, Entretien.id)
    )
    for entretien, formation, trainee, organisation in rows.all():
        zone = ZoneInfo(organisation.timezone)
        local = now.astimezone(zone)
        hour = digest_hour(organisation, settings.digest_hour)
        if entretien.prochain_point_on != local.date() or local.hour < hour:
            continue
        written = entretien.compte_rendu_at
        if written is not None and written.astimezone(zone).date() == local.date():
            continue
        if trainee.erased or trainee.left_before(local.date()):
            continue
        text = texts.say(
            "decrochage.reminder_next_point",
            point=entretien.prochain_point,
            held=entretien.held_at.astimezone(zone) if entretien.held_at else None,
            name=trainee.full_name,
            title=formation.title,
        )
        await remind_owner(
            session,
            formation,
            organisation,
            key=f"{KEY}{entretien.id}:{local.date().isoformat()}",
            text=text,
            not_before=morning_after(now, zone, hour),
        )


async def outdated_next_point_reminders(
    session: AsyncSession, messages: Sequence[OutboxMessage], now: datetime
) -> set[int]:
    """The reminders among ``messages`` whose follow-up was closed since they were queued, or
    whose day went by while they waited (a platform down all day)."""
    asked = waiting_for(messages, KEY)
    if not asked:
        return set()
    found = await session.execute(
        select(Entretien.id, Entretien.prochain_point_on, Organisation.timezone)
        .join(FollowUp, FollowUp.id == Entretien.followup_id)
        .join(Organisation, Organisation.id == FollowUp.organisation_id)
        .where(Entretien.id.in_(set(asked.values())), FollowUp.closed_at.is_(None))
    )
    ahead = {
        entretien
        for entretien, day, zone in found.all()
        if day is not None and day >= now.astimezone(ZoneInfo(zone)).date()
    }
    return {message for message, entretien in asked.items() if entretien not in ahead}
