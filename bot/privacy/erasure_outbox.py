"""An erasure and the messages still waiting to be sent (explorer AX7).

The outbox keeps a message until the platform takes it: with the SMTP server
slow or down, an e-mail waits.  Erased meanwhile, a trainee still received
« Bonjour Personne effacée n° 2 », an invitation to a bilan she was just
removed from, with a code the erasure had made invalid; and the chargée de
mission's e-mail, its text rewritten with the pseudonym, kept an agenda PDF
naming her.  So, before anything is renamed: what waits for her (her
participations' messages, any e-mail to her address) is cancelled, and the
files of the e-mails waiting about her bilans (an agenda, an ``.ics``, which
name the participants) are dropped, the text said without them.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import EMAIL, cancel_pending
from bot.storage.bilans import BilanParticipant
from bot.storage.formations import Trainee
from bot.storage.outbox import OutboxMessage


async def withhold_pending(session: AsyncSession, trainee: Trainee, kept: Collection[int]) -> int:
    """Cancel what waits for ``trainee`` and drop the files of what waits about her bilans
    (her participations but ``kept``, the ones whose answers the funder holds); how many
    messages were changed."""
    rows = (
        await session.execute(
            select(BilanParticipant.id, BilanParticipant.bilan_id, BilanParticipant.contact).where(
                BilanParticipant.trainee_id == trainee.id, BilanParticipant.id.not_in(kept)
            )
        )
    ).all()
    addresses = {a for a in (trainee.email, *(r.contact for r in rows)) if a and "@" in a}
    cancelled = await cancel_pending(
        session,
        or_(
            OutboxMessage.participant_id.in_([r.id for r in rows]),
            # Her address, for no one else's participation (a centre's shared address:
            # the other delegate's invitation stays, explorer AY9).
            (OutboxMessage.platform == EMAIL)
            & OutboxMessage.chat_id.in_(addresses)
            & OutboxMessage.participant_id.is_(None),
        ),
    )
    about = await session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.status == "pending",
            OutboxMessage.platform == EMAIL,
            OutboxMessage.bilan_id.in_({r.bilan_id for r in rows}),
        )
    )
    stripped = 0
    for row in about.all():
        if row.payload.get("attachments"):
            row.payload = {**row.payload, "attachments": []}
            stripped += 1
    return len(cancelled) + stripped
