"""One trainee's story as an auditor reads it: every absence, sign, contact,
interview, document, ticket and deadline of the procedure met (or settled when
the follow-up closed), dated, with who recorded it.

The same events feed ``/suivi`` (paged, in chat) and the timeline PDF of the
Qualiopi bundle.  Events are ordered by the moment they happened: an event
known by its day only (an absence, a contact) takes the time it was recorded
when recorded that day, else the start of its half-day for an absence, and a
contact recorded later still comes after the opening of its follow-up that
day (it is one of its steps), never before "Suivi ouvert".  Each event's sentence comes from ``templates/chat/suivi.j2``
(block ``event``), so the wording is the same in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.absences.vocabulary import labels
from bot.answers import by_surname
from bot.deadlines.settled import settled
from bot.formations.labels import EXIT_REASONS
from bot.storage.absences import (
    Absence,
    Entretien,
    FollowUp,
    FollowUpContact,
    FollowUpSign,
    QualityTicket,
    StoredDocument,
)
from bot.storage.audit import AuditEntry
from bot.storage.bilans import StoredDeadline
from bot.storage.formations import Trainee
from bot.storage.people import Person

IMPORTED = "liste de stagiaires importée"
"""Who recorded what came with a trainee's row from a list (its exit): the list, not a person."""


@dataclass(frozen=True)
class Event:
    """One line of the timeline: when it happened, what, who recorded it and when."""

    day: date
    moment: datetime | None
    """The hour, when the event has one (an interview); None for a whole day."""
    kind: str
    text: str
    who: str
    recorded_at: datetime
    about: time | None = None
    """For an event of a day only: the local time it is ordered at within its day."""

    @property
    def sort_key(self) -> tuple[date, time, datetime]:
        clock = self.moment.time() if self.moment else (self.about or time(0))
        return (self.day, clock, self.recorded_at)


HALF_DAY_STARTS = {"apres_midi": time(13, 30)}
"""Where an absence recorded on a later day sits in its day (else the morning, 8 h)."""


def _about(day: date, recorded: datetime, otherwise: time) -> time:
    """The recording's local time if recorded on ``day`` itself, else ``otherwise``."""
    return recorded.time() if recorded.date() == day else otherwise


async def _names(session: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Person.id, Person.display_name).where(Person.id.in_(wanted))
    )
    return {row[0]: row[1] for row in rows}


def _line(kind: str, **values: object) -> str:
    return texts.plain(texts.say("suivi.event", kind=kind, labels=labels(), **values))


async def timeline(session: AsyncSession, trainee: Trainee, zone: str) -> list[Event]:
    """Every event about ``trainee``, oldest first."""
    tz = ZoneInfo(zone)
    absences = list(
        (
            await session.scalars(
                select(Absence).where(
                    Absence.trainee_id == trainee.id, Absence.deleted_at.is_(None)
                )
            )
        ).all()
    )
    followups = list(
        (await session.scalars(select(FollowUp).where(FollowUp.trainee_id == trainee.id))).all()
    )
    ids = [f.id for f in followups]
    signs = list(
        (await session.scalars(select(FollowUpSign).where(FollowUpSign.followup_id.in_(ids)))).all()
    )
    contacts = list(
        (
            await session.scalars(
                select(FollowUpContact).where(FollowUpContact.followup_id.in_(ids))
            )
        ).all()
    )
    entretiens = list(
        (await session.scalars(select(Entretien).where(Entretien.followup_id.in_(ids)))).all()
    )
    tickets = list(
        (
            await session.scalars(
                select(QualityTicket).where(QualityTicket.trainee_id == trainee.id)
            )
        ).all()
    )
    deadlines = list(
        (
            await session.scalars(
                select(StoredDeadline).where(
                    StoredDeadline.subject == "followup",
                    StoredDeadline.subject_id.in_(ids),
                    StoredDeadline.status == "done",
                )
            )
        ).all()
    )
    proof_ids = {a.proof_id for a in absences if a.proof_id}
    documents = list(
        (
            await session.scalars(
                select(StoredDocument).where(
                    (StoredDocument.followup_id.in_(ids)) | (StoredDocument.id.in_(proof_ids))
                )
            )
        ).all()
    )
    exit_entry = await _exit_entry(session, trainee)
    declined = await _declined(session, trainee)
    people = await _names(
        session,
        {exit_entry.actor_id if exit_entry else None}
        | {e.actor_id for e in declined}
        | {a.recorded_by for a in absences}
        | {f.opened_by for f in followups}
        | {f.closed_by for f in followups}
        | {s.recorded_by for s in signs}
        | {c.recorded_by for c in contacts}
        | {e.created_by for e in entretiens}
        | {e.cancelled_by for e in entretiens}
        | {t.created_by for t in tickets}
        | {d.created_by for d in documents}
        | {row.done_by for row in deadlines},
    )

    def who(person_id: int | None) -> str:
        return people.get(person_id or 0, "?")

    def local(moment: datetime) -> datetime:
        return moment.astimezone(tz)

    events: list[Event] = []
    for a in absences:
        start = HALF_DAY_STARTS.get(a.period, time(8, 0))
        events.append(
            Event(
                a.day,
                None,
                "absence",
                _line("absence", a=a),
                who(a.recorded_by),
                a.recorded_at,
                about=_about(a.day, local(a.recorded_at), start),
            )
        )
    opened_at = {f.id: local(f.opened_at) for f in followups}
    signs_by_followup: dict[tuple[int, datetime], list[FollowUpSign]] = {}
    for sign in signs:
        signs_by_followup.setdefault((sign.followup_id, sign.recorded_at), []).append(sign)
    for f in followups:
        opened = local(f.opened_at)
        events.append(
            Event(
                opened.date(),
                opened,
                "ouverture",
                _line("ouverture", f=f),
                who(f.opened_by),
                f.opened_at,
            )
        )
        if f.solution and f.solution_at:
            moment = local(f.solution_at)
            events.append(
                Event(
                    moment.date(),
                    moment,
                    "solution",
                    _line("solution", f=f),
                    who(f.opened_by),
                    f.solution_at,
                )
            )
        if f.closed_at:
            closed = local(f.closed_at)
            events.append(
                Event(
                    closed.date(),
                    closed,
                    "cloture",
                    _line("cloture", f=f),
                    who(f.closed_by),
                    f.closed_at,
                )
            )
    for (_followup_id, recorded_at), group in signs_by_followup.items():
        moment = local(recorded_at)
        events.append(
            Event(
                moment.date(),
                moment,
                "signes",
                _line("signes", signs=group),
                who(group[0].recorded_by),
                recorded_at,
            )
        )
    for c in contacts:
        opening = opened_at.get(c.followup_id)
        after_opening = opening.time() if opening and opening.date() == c.contacted_on else time(0)
        at = _about(c.contacted_on, local(c.recorded_at), after_opening)
        events.append(
            Event(
                c.contacted_on,
                None,
                "contact",
                _line("contact", c=c),
                who(c.recorded_by),
                c.recorded_at,
                about=max(at, after_opening),
            )
        )
    for e in entretiens:
        scheduled = local(e.scheduled_at)
        if e.held_at is None or e.scheduled_at > e.created_at:
            # One given already past was noted as held, never planned (explorer AD13).
            events.append(
                Event(
                    local(e.created_at).date(),
                    local(e.created_at),
                    "programmation",
                    _line("programmation", e=e, when=scheduled),
                    who(e.created_by),
                    e.created_at,
                )
            )
        if e.cancelled_at and e.cancel_reason:  # not to be held, and why (explorer GF3)
            cancelled = local(e.cancelled_at)
            events.append(
                Event(
                    cancelled.date(),
                    cancelled,
                    "annulation",
                    _line("annulation", e=e, when=scheduled),
                    who(e.cancelled_by),
                    e.cancelled_at,
                )
            )
        if e.held_at:
            held = local(e.held_at)
            events.append(
                Event(
                    held.date(),
                    held,
                    "entretien",
                    _line("entretien", e=e, when=held),
                    who(e.created_by),
                    e.compte_rendu_at or e.created_at,
                )
            )
    for d in documents:
        moment = local(d.created_at)
        events.append(
            Event(
                moment.date(),
                moment,
                "document",
                _line("document", doc=d),
                who(d.created_by),
                d.created_at,
            )
        )
    for t in tickets:
        moment = local(t.created_at)
        events.append(
            Event(
                moment.date(),
                moment,
                "ticket",
                _line("ticket", t=t),
                who(t.created_by),
                t.created_at,
            )
        )
    closing = {f.id: f.closed_at for f in followups}
    for row in deadlines:
        if row.done_at is None:
            continue
        moment = local(row.done_at)
        closed_with_it = settled(row, closing.get(row.subject_id))
        # Done after its day: said with the day it was due (explorer AF7: « Échéance faite »
        # alone for a contact due on the Saturday and made on the Monday).
        late = (
            row.effective_due if moment.date() > row.effective_due and not closed_with_it else None
        )
        events.append(
            Event(
                moment.date(),
                moment,
                "echeance",
                _line("echeance", row=row, settled=closed_with_it, late=late),
                who(row.done_by),
                row.done_at,
            )
        )
    for entry in declined:  # a sign seen, no follow-up opened (explorer GF2)
        moment = local(entry.at)
        events.append(
            Event(
                moment.date(),
                moment,
                "signe_vu",
                _line("signe_vu", signs=entry.details.get("signs") or []),
                who(entry.actor_id),
                entry.at,
            )
        )
    if trainee.left_on is not None:
        # The exit that ends a follow-up is part of its story (explorer AO3: an entretien
        # never held read as a procedure not followed, the exit for a job nowhere).
        # No « trainee_exit » in the journal: the exit came in the trainee's own row, with an
        # imported list, when that row was written (explorer CF14: « ? », and noon of the
        # exit's day, a moment nobody entered anything).
        events.append(
            Event(
                trainee.left_on,
                None,
                "sortie",
                _line("sortie", motive=EXIT_REASONS.get(trainee.exit_reason or "", "")),
                who(exit_entry.actor_id) if exit_entry else IMPORTED,
                exit_entry.at if exit_entry else trainee.created_at,
                about=time(23, 59),
            )
        )
    events.sort(key=lambda e: e.sort_key)
    return events


async def _exit_entry(session: AsyncSession, trainee: Trainee) -> AuditEntry | None:
    """Who recorded the trainee's exit, and when: the journal's last « trainee_exit » of her."""
    entries = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "trainee_exit", AuditEntry.entity_id == trainee.formation_id)
        .order_by(AuditEntry.id.desc())
    )
    return next((e for e in entries if e.details.get("trainee_id") == trainee.id), None)


async def _declined(session: AsyncSession, trainee: Trainee) -> list[AuditEntry]:
    """The signs of décrochage the bot raised for the trainee and the trainer left without a
    follow-up (« Pas maintenant »), from the journal."""
    found = await session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.action == "decline_followup",
            AuditEntry.entity == "trainee",
            AuditEntry.entity_id == trainee.id,
        )
        .order_by(AuditEntry.id)
    )
    return list(found.all())


async def followed_trainees(session: AsyncSession, formation_id: int) -> list[Trainee]:
    """Trainees of a formation with at least one follow-up, or a sign declined (explorer
    GF2: three half-days missed, « Pas maintenant », and no timeline in the bundle), by
    name."""
    declined = select(AuditEntry.entity_id).where(
        AuditEntry.action == "decline_followup", AuditEntry.entity == "trainee"
    )
    rows = await session.scalars(
        select(Trainee).where(
            Trainee.formation_id == formation_id,
            Trainee.id.in_(select(FollowUp.trainee_id).where(FollowUp.formation_id == formation_id))
            | Trainee.id.in_(declined),
        )
    )
    return sorted(rows.all(), key=lambda t: by_surname(t.full_name))
