"""An entretien cancelled or rescheduled by someone else while its compte rendu was being
written, and held after all.

Explorer IB (left by IB4's fix): the compte rendu was saved on the cancelled entretien, no
word said.  The dialogue now says what became of it (:func:`what_became`), and when the
writer answers that it was held, :func:`held_after_all` makes it the interview that stands
again (no longer cancelled; :func:`bot.absences.records.write_compte_rendu` then marks it
held), the one that took it over, not held yet, being cancelled with the reason given.

Nothing here commits, talks or logs personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.followups import current_entretien
from bot.absences.records import cancel_entretien, lock_followup
from bot.storage import audit
from bot.storage.absences import Entretien, FollowUp


@dataclass(frozen=True)
class Became:
    """What was done to an entretien meanwhile: cancelled (``reason``) or rescheduled to
    ``taken`` (the entretien that took it over), by ``by``."""

    by: int | None
    reason: str | None
    note: str | None
    taken: Entretien | None


async def what_became(
    session: AsyncSession, followup: FollowUp, entretien: Entretien
) -> Became | None:
    """``None`` while the entretien stands; otherwise by whom it was cancelled, or to which
    one it was rescheduled (the next of its kind, as the timeline says).  The follow-up is
    locked and the entretien read again: a cancelling at this moment is seen."""
    await lock_followup(session, followup)
    await session.refresh(entretien)
    if entretien.cancelled_at is None:
        return None
    if entretien.cancel_reason is not None:
        return Became(entretien.cancelled_by, entretien.cancel_reason, entretien.cancel_note, None)
    taken = await session.scalar(
        select(Entretien)
        .where(
            Entretien.followup_id == entretien.followup_id,
            Entretien.kind == entretien.kind,
            Entretien.id > entretien.id,
        )
        .order_by(Entretien.id)
        .limit(1)
    )
    return Became(taken.created_by if taken else None, None, None, taken)


async def standing_instead(session: AsyncSession, entretien: Entretien) -> Entretien | None:
    """The entretien of its kind standing in its place, planned and not held yet: the one
    :func:`held_after_all` cancels."""
    standing = await current_entretien(session, entretien.followup_id, entretien.kind)
    if standing is None or standing.id == entretien.id:
        return None
    return standing if standing.held_at is None and standing.compte_rendu_id is None else None


async def held_after_all(
    session: AsyncSession,
    followup: FollowUp,
    entretien: Entretien,
    actor_id: int,
    now: datetime,
    *,
    note: str,
) -> Entretien | None:
    """The entretien stands again (its compte rendu, written next, marks it held); the one
    standing in its place, planned and not held, is cancelled (reason ``autre``, ``note``)
    and returned, so that whoever scheduled it may be told."""
    await lock_followup(session, followup)
    standing = await standing_instead(session, entretien)
    entretien.cancelled_at = entretien.cancelled_by = None
    entretien.cancel_reason = entretien.cancel_note = None
    await session.flush()  # before write_compte_rendu reads it again
    audit.record(
        session,
        organisation_id=followup.organisation_id,
        actor_id=actor_id,
        action="held_after_all",
        entity="entretien",
        entity_id=entretien.id,
        followup_id=followup.id,
    )
    if standing is None:
        return None
    await cancel_entretien(session, followup, standing, actor_id, now, reason="autre", note=note)
    return standing
