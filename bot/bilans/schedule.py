"""Scheduling a bilan: the bilan, its participants, its deadlines, in one call.

:func:`schedule_bilan` stores the bilan with the chosen trainees (a
delegate as ``delegate``, any other as ``trainee``, with the chargé(e) de
mission's agreement where the Normandie procedure needs one) and the outside
partners, recomputes the formation's deadlines (the rules add the bilan's
preparation, documents and proofs) and writes the audit entry.  The caller
sends the documents from what it returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.bilans.participants import Derogation, needs_agreement, trainee_participant
from bot.bilans.queries import bilan_formation, deadlines_of_bilan, written_bilan_deadline
from bot.bilans.view import BilanView, view_with
from bot.deadlines.actions import postpone_limit, postpone_problem, reopen
from bot.deadlines.service import STILL_TO_DO, postpone, refresh_deadlines
from bot.deadlines.status import MEETING_DAY, at_the_meeting
from bot.formations.queries import Member
from bot.storage import audit
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.people import Person


@dataclass(frozen=True)
class Partner:
    """Someone from outside the formation (who oriented the public towards it)."""

    name: str
    structure: str | None = None
    contact: str | None = None
    """An e-mail address or a chat handle."""


@dataclass(frozen=True)
class Visio:
    """How a remote bilan is joined, and what its tool allows."""

    url: str | None
    """``None``: the link comes later (NOR-VISIO-LINK asks for it)."""
    password_required: bool
    manages_speakers: bool
    password: str | None = None
    """Written in the invitation only when the trainer asked for that."""


@dataclass(frozen=True)
class Plan:
    """Everything the trainer chose for one bilan."""

    kind: str
    """``etape`` or ``fin``."""
    owed_key: str | None
    starts_at: datetime
    minutes: int
    visio: Visio | None = None
    """Remote when given; on site (at ``location``) otherwise."""
    location: str | None = None
    trainee_ids: Sequence[int] = ()
    partners: Sequence[Partner] = field(default_factory=tuple)
    derogations: Mapping[int, Derogation] = field(default_factory=dict)
    """The chargé(e) de mission's agreement, by trainee id, for a trainee who is not a
    delegate at a remote Normandie bilan (without it, such a trainee is not invited)."""


@dataclass(frozen=True)
class Scheduled:
    bilan: Bilan
    view: BilanView
    deadlines: list[StoredDeadline]


@dataclass(frozen=True)
class AlreadyScheduled:
    """The owed bilan someone scheduled since the dialogue offered it: nothing stored."""

    bilan: Bilan
    by_id: int | None
    by: str


async def schedule_bilan(
    session: AsyncSession, viewer: Member, now: datetime, formation_id: int, plan: Plan
) -> Scheduled | AlreadyScheduled | None:
    """Store the bilan ``plan`` describes; ``None`` if ``viewer`` may not see the formation
    (or it was deleted meanwhile).  The formation's row is locked and read again first, so
    a deletion at the same moment waits or is seen (explorer UD2), and an owed bilan someone
    else scheduled since the dialogue offered it is :class:`AlreadyScheduled`, not a second
    live one (explorer UD5: two bilans de fin, two invitations per participant)."""
    formation = await bilan_formation(session, viewer, formation_id, lock=True)
    if formation is None:
        return None
    taken = await live_owed_bilan(session, formation.id, plan.owed_key)
    if taken is not None:
        creator = await session.get(Person, taken.created_by) if taken.created_by else None
        by = creator.display_name if creator else "?"
        return AlreadyScheduled(taken, taken.created_by, by)
    visio = plan.visio
    bilan = Bilan(
        organisation_id=formation.organisation_id,
        formation_id=formation.id,
        kind="etape" if plan.kind == "etape" else "fin",
        owed_key=plan.owed_key,
        remote=visio is not None,
        starts_at=plan.starts_at,
        ends_at=plan.starts_at + timedelta(minutes=plan.minutes),
        location=None if visio is not None else plan.location,
        visio_url=visio.url if visio else None,
        visio_link_later=visio is not None and not visio.url,
        visio_password_required=visio.password_required if visio else None,
        visio_manages_speakers=visio.manages_speakers if visio else None,
        visio_password=visio.password if visio else None,
        sequence=0,
        created_by=viewer.person_id,
        created_at=now,
        participants=[],
    )
    chosen = set(plan.trainee_ids)
    for trainee in formation.trainees:
        if trainee.id not in chosen:
            continue
        derogation = plan.derogations.get(trainee.id)
        if needs_agreement(formation, trainee, remote=visio is not None) and derogation is None:
            continue
        bilan.participants.append(trainee_participant(trainee, derogation))
    for partner in plan.partners:
        bilan.participants.append(
            BilanParticipant(
                kind="partner",
                name=partner.name,
                structure=partner.structure,
                contact=partner.contact,
            )
        )
    session.add(bilan)
    await session.flush()
    await refresh_deadlines(session, formation.id)
    audit.record(
        session,
        organisation_id=viewer.organisation_id,
        actor_id=viewer.person_id,
        action="schedule",
        entity="bilan",
        entity_id=bilan.id,
        formation_id=formation.id,
        remote=bilan.remote,
        participants=len(bilan.participants),
    )
    view = await view_with(session, bilan, formation)
    await agree_on_the_meeting_day(session, bilan, view.tz, viewer.person_id, now)
    rows = await deadlines_of_bilan(session, bilan)
    return Scheduled(bilan=bilan, view=view, deadlines=rows)


async def live_owed_bilan(
    session: AsyncSession, formation_id: int, owed_key: str | None
) -> Bilan | None:
    """The formation's bilan, not cancelled, scheduled for ``owed_key``."""
    if owed_key is None:
        return None
    return await session.scalar(
        select(Bilan)
        .where(
            Bilan.formation_id == formation_id,
            Bilan.owed_key == owed_key,
            Bilan.cancelled_at.is_(None),
        )
        .limit(1)
    )


async def agree_on_the_meeting_day(
    session: AsyncSession, bilan: Bilan, tz: ZoneInfo, actor_id: int, now: datetime
) -> StoredDeadline | None:
    """A Centre-Val de Loire bilan d'étape met after the written bilan's default date: the
    letter to the référent(e) promises it « au plus tard le jour de cette rencontre », the
    date « arrêtée » with them (001, note), so the deadline moves there (explorer W, W8: it
    stayed on Saturday 2 January, overdue until the 5th).  A meeting moved back before the
    default gives that date back; one the rules refuse (after the span's end) changes
    nothing."""
    row = await written_bilan_deadline(session, bilan)
    if bilan.kind != "etape" or row is None or row.status not in STILL_TO_DO:
        return None
    day = bilan.starts_at.astimezone(tz).date()
    ours = at_the_meeting(row)
    if day <= row.due_on:
        if ours:
            await reopen(session, actor_id, row.id, now, undoing="postponed")
        return None
    if day == row.effective_due or (row.status == "postponed" and not ours):
        return None  # already there, or a date the trainer set: theirs
    today = now.astimezone(tz).date()
    if postpone_problem(row, day, today, await postpone_limit(session, row)) is not None:
        return None
    postpone(
        row, to=day, reason=f"{MEETING_DAY}, {dates.spell_date(day)}", person_id=actor_id, now=now
    )
    return row
