"""What a follow-up records, one function per thing a trainer does in ``/decrochage``.

A contact, an entretien scheduled (rescheduled, or cancelled), its compte rendu (a PDF
kept as evidence), the solution agreed, the livret de suivi, more signs,
the ticket qualité that closes the follow-up, or closing it without one.
Each writes its rows and its audit entry, and marks done the deadlines the
step completes (:mod:`bot.absences.followup_deadlines`), so that
``/echeances``, the digest and the reminders agree with ``/decrochage``.

The dialogues ask, check and confirm, then call one of these inside their
transaction; nothing here commits, talks or logs personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.absences import followup_deadlines
from bot.absences.followups import (
    add_signs,
    current_entretien,
    next_reference,
    rule_for,
    store_document,
    summary_of,
    ticket_actions,
)
from bot.absences.uploads import Upload
from bot.absences.vocabulary import NO_COMPANY, SIGNS
from bot.deadlines.service import refresh_deadlines
from bot.documents.bundle import person_slug
from bot.documents.pdf import render_pdf
from bot.storage import audit
from bot.storage.absences import (
    Entretien,
    FollowUp,
    FollowUpContact,
    QualityTicket,
    StoredDocument,
)
from bot.storage.formations import Formation, Trainee


def _audit(
    session: AsyncSession,
    followup: FollowUp,
    actor_id: int,
    action: str,
    entity: str,
    entity_id: int | None,
    **details: Any,
) -> None:
    audit.record(
        session,
        organisation_id=followup.organisation_id,
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        **details,
    )


async def _keep(
    session: AsyncSession,
    followup: FollowUp,
    upload: Upload,
    kind: str,
    actor_id: int,
    now: datetime,
) -> StoredDocument:
    document = store_document(
        session,
        organisation_id=followup.organisation_id,
        followup_id=followup.id,
        kind=kind,
        filename=upload.filename,
        mime_type=upload.mime_type,
        content=upload.content,
        actor_id=actor_id,
        now=now,
    )
    await session.flush()
    return document


async def lock_followup(session: AsyncSession, followup: FollowUp) -> None:
    """Hold the follow-up's row until the turn commits (PostgreSQL: ``FOR NO KEY UPDATE``;
    SQLite's turns take the whole base already): two administrators scheduling its entretien
    or writing its compte rendu at the same moment go one after the other, the second
    reading what the first wrote (explorer IB3: two live entretiens, two reminders; IB4: two
    comptes rendus)."""
    await session.execute(
        select(FollowUp.id).where(FollowUp.id == followup.id).with_for_update(key_share=True)
    )


# --- contacts ----------------------------------------------------------------------


async def record_contact(
    session: AsyncSession,
    followup: FollowUp,
    actor_id: int,
    now: datetime,
    *,
    with_whom: str,
    channel: str,
    contacted_on: date,
    outcome: str,
    proof: Upload | None = None,
) -> FollowUpContact:
    """A contact (with its proof, if any); with the trainee and the company both reached,
    the procedure's ``CONTACT`` step is done (``followup_deadlines.contact_recorded``)."""
    document = (
        await _keep(session, followup, proof, "preuve_contact", actor_id, now) if proof else None
    )
    contact = FollowUpContact(
        followup_id=followup.id,
        with_whom=with_whom,
        channel=channel,
        contacted_on=contacted_on,
        outcome=outcome,
        proof_id=document.id if document is not None else None,
        recorded_by=actor_id,
        recorded_at=now,
    )
    session.add(contact)
    await session.flush()
    if with_whom in ("stagiaire", "entreprise", NO_COMPANY):
        await followup_deadlines.contact_recorded(session, followup, actor_id, now)
    _audit(
        session,
        followup,
        actor_id,
        "contact",
        "followup",
        followup.id,
        contact_id=contact.id,
        with_whom=with_whom,
        channel=channel,
        proof=document is not None,
    )
    return contact


# --- the entretien (or regard croisé) and its compte rendu --------------------------


def milestone_of_kind(kind: str) -> str:
    """The deadline step an interview of this kind meets."""
    return "REGARD-CROISE" if kind == "regard_croise" else "ENTRETIEN"


@dataclass(frozen=True)
class Scheduled:
    entretien: Entretien
    rescheduled: bool
    expected_by: date | None
    """The day the procedure expected the interview by (None when it does not apply)."""
    compte_rendu_by: date | None
    """The day its compte rendu is due (None when the procedure does not apply)."""
    replaced: Entretien | None = None
    """The interview it took over (kept, cancelled), if any."""


async def schedule_entretien(
    session: AsyncSession,
    followup: FollowUp,
    actor_id: int,
    now: datetime,
    *,
    kind: str,
    when: datetime,
    counsellor: str | None = None,
) -> Scheduled:
    """A new interview; one with no compte rendu yet is cancelled (kept, rescheduled).

    A moment already past is an interview held then: it is recorded as held, and its
    milestone done (explorer AD13: it stayed « prévu », and « à tenir au plus tard » in the
    to-do list, right after the bot had said it was noted as held).  The follow-up is
    locked first: one scheduled meanwhile by someone else is the one replaced (IB3)."""
    await lock_followup(session, followup)
    previous = await current_entretien(session, followup.id, kind)
    # One noted as held (given past) and with no compte rendu yet may still be corrected.
    rescheduled = previous is not None and previous.compte_rendu_at is None
    if previous is not None and rescheduled:
        previous.cancelled_at = now
    entretien = Entretien(
        followup_id=followup.id,
        kind=kind,
        counsellor=counsellor,
        scheduled_at=when,
        held_at=when if when <= now else None,
        created_by=actor_id,
        created_at=now,
    )
    session.add(entretien)
    await session.flush()
    milestone = [milestone_of_kind(kind)]
    if entretien.held_at is not None and followup.procedure_applies:
        # The rows refreshed first, then its milestone marked done.
        await followup_deadlines.complete(session, followup, milestone, actor_id, now)
    else:
        await refresh_deadlines(session, followup.formation_id)
        if rescheduled and previous is not None and previous.held_at is not None:
            await followup_deadlines.reopen(session, followup, milestone, now)
    due = {
        followup_deadlines.milestone_of(row): row.effective_due
        for row in await followup_deadlines.deadlines_of(session, followup)
    }
    _audit(
        session,
        followup,
        actor_id,
        "reschedule" if rescheduled else "schedule",
        "entretien",
        entretien.id,
        followup_id=followup.id,
        kind=kind,
    )
    return Scheduled(
        entretien=entretien,
        rescheduled=rescheduled,
        expected_by=due.get(milestone_of_kind(kind)),
        compte_rendu_by=due.get("COMPTE-RENDU"),
        replaced=previous if rescheduled else None,
    )


async def cancel_entretien(
    session: AsyncSession,
    followup: FollowUp,
    entretien: Entretien,
    actor_id: int,
    now: datetime,
    *,
    reason: str,
    note: str | None = None,
) -> None:
    """An interview that will not be held (the trainee left, did not come…), cancelled with
    its reason, kept: the ticket and the timeline say it was cancelled and why, not « pas
    encore tenu » (explorer GF3).  Its compte rendu is no longer due; the interview the
    procedure expects stays to do (another may be scheduled)."""
    entretien.cancelled_at, entretien.cancelled_by = now, actor_id
    entretien.cancel_reason, entretien.cancel_note = reason, note
    await refresh_deadlines(session, followup.formation_id)
    _audit(
        session,
        followup,
        actor_id,
        "cancel",
        "entretien",
        entretien.id,
        followup_id=followup.id,
        kind=entretien.kind,
        cancel_reason=reason,
    )


@dataclass(frozen=True)
class Report:
    """What the compte rendu says, as typed."""

    held_at: datetime
    constat: str
    causes: str
    mesures: str
    prochain_point: str | None
    prochain_point_on: date | None = None
    """The day the point names, for its reminder (explorer GF9)."""


async def write_compte_rendu(
    session: AsyncSession,
    followup: FollowUp,
    entretien: Entretien,
    actor_id: int,
    now: datetime,
    *,
    report: Report,
    formation: Formation,
    trainee: Trainee,
    author: str,
    organisation_name: str,
    tz: ZoneInfo,
) -> StoredDocument | None:
    """The interview held, its compte rendu produced as a PDF and kept; the interview's
    and the compte rendu's deadlines are done.  ``None``, and nothing written, when its
    compte rendu was written meanwhile (the follow-up locked, the interview read again:
    explorer IB4, two PDFs kept for one entretien)."""
    await lock_followup(session, followup)
    await session.refresh(entretien)
    if entretien.compte_rendu_id is not None:
        return None
    entretien.held_at = report.held_at
    entretien.constat = report.constat
    entretien.causes = report.causes
    entretien.mesures = report.mesures
    entretien.prochain_point = report.prochain_point
    entretien.prochain_point_on = report.prochain_point_on if report.prochain_point else None
    s = await summary_of(session, followup)
    content = render_pdf(
        "compte_rendu.html.j2",
        e=entretien,
        f=followup,
        formation=formation,
        trainee=trainee,
        organisation=organisation_name,
        author=author,
        held=dates.spell_datetime(report.held_at.astimezone(tz)),
        written=dates.spell_date(now),
        # « Autre : il dort en cours », one line (explorer O: « Autre » and its words apart).
        signs=[
            f"{SIGNS.get(sign.code, sign.code)} : {sign.note}"
            if sign.note
            else SIGNS.get(sign.code, sign.code)
            for sign in s.signs
        ],
        kind_label="Regard croisé" if entretien.kind == "regard_croise" else "Entretien individuel",
        rule=rule_for(followup.path, followup.cause),
    )
    day = report.held_at.astimezone(tz).date()
    filename = f"compte-rendu-{person_slug(trainee.full_name)}-{day.isoformat()}.pdf"
    upload = Upload(filename, "application/pdf", content)
    document = await _keep(session, followup, upload, "compte_rendu", actor_id, now)
    entretien.compte_rendu_id = document.id
    entretien.compte_rendu_at = now
    steps = [milestone_of_kind(entretien.kind), "COMPTE-RENDU"]
    await followup_deadlines.complete(session, followup, steps, actor_id, now)
    _audit(
        session,
        followup,
        actor_id,
        "compte_rendu",
        "entretien",
        entretien.id,
        followup_id=followup.id,
        document_id=document.id,
        sha256=document.sha256,
    )
    return document


# --- bilan de compétences, VAE, more signs ------------------------------------------


async def note_solution(
    session: AsyncSession,
    followup: FollowUp,
    actor_id: int,
    now: datetime,
    *,
    solution: str,
    with_employer: bool,
    note: str | None,
) -> None:
    """The solution agreed (bilan de compétences, sick leave): the ``SOLUTION`` step done."""
    followup.solution = solution
    followup.solution_with_employer = with_employer
    followup.solution_note = note
    followup.solution_at = now
    await followup_deadlines.complete(session, followup, ["SOLUTION"], actor_id, now)
    _audit(
        session,
        followup,
        actor_id,
        "solution",
        "followup",
        followup.id,
        solution=solution,
        with_employer=with_employer,
    )


async def file_livret(
    session: AsyncSession,
    followup: FollowUp,
    actor_id: int,
    now: datetime,
    livret: Upload,
    *,
    kind: str = "livret_suivi",
) -> StoredDocument:
    """The livret de suivi (VAE), kept: the ``LIVRET`` step done; or, ``kind`` « piece_suivi »,
    any other document joined to the follow-up (a compte rendu signed on paper, notes:
    explorer GF8), kept alike and in the Qualiopi bundle, no step done."""
    document = await _keep(session, followup, livret, kind, actor_id, now)
    if kind == "livret_suivi":
        await followup_deadlines.complete(session, followup, ["LIVRET"], actor_id, now)
    _audit(
        session,
        followup,
        actor_id,
        "livret" if kind == "livret_suivi" else "piece",
        "followup",
        followup.id,
        document_id=document.id,
        sha256=document.sha256,
    )
    return document


async def add_more_signs(
    session: AsyncSession,
    followup: FollowUp,
    actor_id: int,
    now: datetime,
    *,
    signs: list[str],
    note: str | None,
) -> int:
    """Signs observed since the opening; how many were added.  The deadlines follow: an
    absence added to a short formation's follow-up is what its procedure answers."""
    known = [code for code in signs if code in SIGNS]
    add_signs(session, followup, known, note, actor_id, now)
    _audit(session, followup, actor_id, "signs", "followup", followup.id, signs=sorted(known))
    await session.flush()
    await refresh_deadlines(session, followup.formation_id)
    return len(known)


# --- the ticket qualité, and closing ------------------------------------------------


async def _close(session: AsyncSession, followup: FollowUp, actor_id: int, now: datetime) -> None:
    """Closed, its deadlines kept as its history (settled: done with the follow-up)."""
    at = await followup_deadlines.closing_moment(session, followup, now)
    await followup_deadlines.settle(session, followup, actor_id, at)
    followup.closed_at, followup.closed_by = at, actor_id
    await session.flush()
    await refresh_deadlines(session, followup.formation_id)


async def file_ticket(
    session: AsyncSession,
    followup: FollowUp,
    actor_id: int,
    now: datetime,
    *,
    formation: Formation,
    trainee: Trainee,
    note: str | None,
    zone: str,
) -> QualityTicket:
    """The ticket qualité (what was done, the documents, a note), which closes the follow-up."""
    s = await summary_of(session, followup)
    today = now.date()
    number, reference = await next_reference(session, followup.organisation_id, today.year)
    ticket = QualityTicket(
        organisation_id=followup.organisation_id,
        reference=reference,
        year=today.year,
        number=number,
        followup_id=followup.id,
        formation_id=formation.id,
        trainee_id=trainee.id,
        rule_id=rule_for(followup.path, followup.cause),
        actions=ticket_actions(s, zone, trainee.left_on),
        note=note,
        document_ids=[d.id for d in s.documents],
        filed_on=today,
        created_by=actor_id,
        created_at=now,
    )
    session.add(ticket)
    await session.flush()
    await followup_deadlines.complete(session, followup, ["TICKET"], actor_id, now)
    await _close(session, followup, actor_id, now)
    _audit(
        session,
        followup,
        actor_id,
        "ticket",
        "followup",
        followup.id,
        ticket_id=ticket.id,
        reference=reference,
    )
    return ticket


async def close_followup(
    session: AsyncSession, followup: FollowUp, actor_id: int, now: datetime
) -> None:
    """Closing without a ticket (the procedure does not apply)."""
    await _close(session, followup, actor_id, now)
    _audit(session, followup, actor_id, "close", "followup", followup.id)
