"""A Matrix chat opened for a bilan that its guest has not joined after a day, or refused:
the trainer is told once, while the bilan is still to come.

On Tchap the bot cannot write to someone who never wrote to it: it opens a
direct chat, and the message waits there until the person joins
(:mod:`bot.transports.matrix.rooms`).  A chargée de mission who missed the
invitation among her Tchap notifications would never read the bilan's date;
``/bilans`` says « en attente » (explorer AT3), but only to a trainer who
looks.  A day after, the trainer hears it at once, with whom to tell another
way (explorer AT3's second half).  A chat she refused (Tchap's « Refuser ») is told at
once: the bot left it, the message will never reach her (explorer MG4: nothing was said).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.bilans.sent import sent_line, welcome_of
from bot.bilans.view import kind_label
from bot.config import Settings
from bot.dates.night import morning_after
from bot.messages import Reply
from bot.people.chats import tell_person
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation, zone_of
from bot.storage.sweeps import SWEEP_BATCH

WAITED = timedelta(days=1)
"""How long an unjoined chat waits before the trainer is told: a working day's notifications."""
LOOK_BACK = timedelta(days=60)
"""Older chats are not looked at again: their bilans are past."""


async def tell_trainers_of_unjoined(
    session: AsyncSession, now: datetime, settings: Settings
) -> None:
    """A scheduler job: each message about a bilan to come still waiting in a Matrix chat
    opened a day ago or more, told to the formation's trainer once (its outbox key)."""
    welcomes = (
        await session.execute(
            select(MatrixWelcome.invitee, MatrixWelcome.payload, MatrixWelcome.status)
            .where(
                # Refused (or left before she joined): told at once, it will never arrive
                # (explorer MG4: the trainer heard of an ignored chat, never of a refused one).
                (MatrixWelcome.status == "declined")
                | (
                    (MatrixWelcome.status == "pending") & (MatrixWelcome.created_at <= now - WAITED)
                ),
                MatrixWelcome.created_at > now - LOOK_BACK,
            )
            .order_by(MatrixWelcome.id)
            .limit(SWEEP_BATCH)
        )
    ).all()
    if not welcomes:
        return
    rows = (
        await session.execute(
            select(OutboxMessage, Bilan, Formation)
            .join(Bilan, Bilan.id == OutboxMessage.bilan_id)
            .join(Formation, Formation.id == Bilan.formation_id)
            .where(
                OutboxMessage.platform == "matrix",
                OutboxMessage.chat_id.in_({w.invitee for w in welcomes}),
                OutboxMessage.status == "sent",
                OutboxMessage.about.is_not(None),
                Bilan.cancelled_at.is_(None),
                Bilan.starts_at > now,
            )
        )
    ).all()
    for row, bilan, formation in rows:
        found = [w.status for w in welcomes if welcome_of(row, w.invitee, w.payload)]
        if found:
            await _tell(session, row, bilan, formation, now, settings, "declined" in found)


async def _tell(
    session: AsyncSession,
    row: OutboxMessage,
    bilan: Bilan,
    formation: Formation,
    now: datetime,
    settings: Settings,
    declined: bool,
) -> None:
    organisation = await session.get(Organisation, bilan.organisation_id)
    tz = zone_of(organisation)
    participant = (
        await session.get(BilanParticipant, row.participant_id) if row.participant_id else None
    )
    await tell_person(
        session,
        formation.owner_id,
        Reply(
            text=texts.say(
                "bilan.declined" if declined else "bilan.unjoined",
                m=sent_line(row, participant.name if participant else None, formation, tz),
                kind=kind_label(bilan.kind),
                title=formation.title,
                when=dates.spell_datetime(bilan.starts_at.astimezone(tz)),
            )
        ),
        key=f"bilan:{bilan.id}:{'declined' if declined else 'unjoined'}:{row.id}",
        organisation_id=bilan.organisation_id,
        # Found at night (a restart, a late tick): told in the morning (explorer AV8).
        not_before=morning_after(now, tz, settings.digest_hour),
    )
