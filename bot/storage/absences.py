"""Absences, décrochage follow-ups and the evidence they leave (Qualiopi indicator 12).

Every row says who recorded it and when (UTC).  Rows are never physically
deleted by the conversations: a deleted absence keeps its row with
``deleted_at``/``deleted_by`` and disappears from lists, counts and
exports, and the audit log names the change.  Free text typed by trainers
(reasons, notes, outcomes) lives here only, never in the audit log or the
logs.

Tables:

- ``stored_documents``: files kept as evidence (proofs, screenshots,
  comptes rendus, livrets de suivi), bytes in the database with their
  SHA-256, type and name;
- ``absences``: one row per absence or late arrival;
- ``followups``: a décrochage follow-up (the Elycoop procedure, 003 §2),
  with its path (short, long, bilan_comp, vae);
- ``followup_signs``: the signs observed, each dated;
- ``followup_contacts``: contacts with the trainee, the company, the team;
- ``entretiens``: interviews (entretien individuel, regard croisé), with
  their compte rendu;
- ``quality_tickets``: the ticket qualité, "TQ-2026-0001", unique per
  organisation;

What a follow-up is due by is no table of its own: the rules (ELY-*) date it,
stored with the formation's deadlines (``deadlines``, subject ``followup``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow

PERIODS = ("matin", "apres_midi", "journee", "retard")
"""Codes of :attr:`Absence.period`."""

PATHS = ("short", "long", "bilan_comp", "vae")
"""Codes of :attr:`FollowUp.path`, those of :data:`bot.rules.facts.FOLLOWUP_PATHS`."""


class StoredDocument(Base):
    """A file kept as evidence: the bytes, their SHA-256, what they are."""

    __tablename__ = "stored_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    followup_id: Mapped[int | None] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), index=True
    )
    """The follow-up it belongs to (``None`` for an absence's proof)."""
    kind: Mapped[str] = mapped_column(String(30))
    """``justificatif`` | ``preuve_contact`` | ``compte_rendu`` | ``livret_suivi``."""
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


LIVE = "deleted_at IS NULL"


def _live_where(condition: str) -> dict[str, Any]:
    """The predicate of a partial index on live rows, for both databases."""
    where = text(f"{LIVE} AND {condition}")
    return {"sqlite_where": where, "postgresql_where": where}


MORNING = "period IN ('matin', 'journee')"
AFTERNOON = "period IN ('apres_midi', 'journee')"
LATE = "period = 'retard'"


class Absence(Base):
    """An absence or a late arrival.

    The schema holds "one half-day counts once": among a trainee's live
    absences of a day, one covers the morning (``matin`` or ``journee``) and
    one the afternoon (``apres_midi`` or ``journee``), whatever the number of
    processes saving at once.  Late arrivals are numbered (``late_rank``):
    the first of the day is 1, a second one confirmed as such is 2, so two
    people noting the same late arrival at once save it once.
    """

    __tablename__ = "absences"
    __table_args__ = (
        Index("uq_absences_morning", "trainee_id", "day", unique=True, **_live_where(MORNING)),
        Index("uq_absences_afternoon", "trainee_id", "day", unique=True, **_live_where(AFTERNOON)),
        Index(
            "uq_absences_late",
            "trainee_id",
            "day",
            "late_rank",
            unique=True,
            **_live_where(LATE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    formation_id: Mapped[int] = mapped_column(
        ForeignKey("formations.id", ondelete="CASCADE"), index=True
    )
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("trainees.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column()
    period: Mapped[str] = mapped_column(String(12))
    """``matin`` | ``apres_midi`` | ``journee`` | ``retard``."""
    late_minutes: Mapped[int | None] = mapped_column(Integer)
    late_rank: Mapped[int | None] = mapped_column(Integer)
    """A late arrival's rank among the trainee's late arrivals of the day (1, 2 …)."""
    late_half: Mapped[str | None] = mapped_column(String(12))
    """A late arrival's half-day (``matin`` | ``apres_midi``) when a roll call of that
    half-day noted it: the afternoon's call then knows the morning's is another one."""
    justified: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(String(300))
    proof_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_documents.id", ondelete="SET NULL"), index=True
    )
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime | None] = mapped_column()
    deleted_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    deleted_at: Mapped[datetime | None] = mapped_column()

    @property
    def half_days(self) -> int:
        """How many half-days this absence counts for: a journée is two, a retard none."""
        return {"matin": 1, "apres_midi": 1, "journee": 2}.get(self.period, 0)


class FollowUp(Base):
    """A décrochage follow-up, opened on signs, closed by its ticket qualité.

    A trainee has at most one open follow-up: a partial unique index holds it,
    so two people opening one at the same moment open one.
    """

    __tablename__ = "followups"
    __table_args__ = (
        Index(
            "uq_followups_open",
            "trainee_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    formation_id: Mapped[int] = mapped_column(
        ForeignKey("formations.id", ondelete="CASCADE"), index=True
    )
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("trainees.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(12))
    """``short`` | ``long`` | ``bilan_comp`` | ``vae`` (from the formation, 003 §2)."""
    cause: Mapped[str | None] = mapped_column(String(20))
    """Bilan de compétences only: ``sick_leave`` | ``difficulty``."""
    procedure_applies: Mapped[bool] = mapped_column(Boolean, default=True)
    """False when the formateur works as a subcontractor (003, Objet) or the
    organisation switched the procedure off: signs and contacts are kept,
    no task nor ticket is due."""
    absence_id: Mapped[int | None] = mapped_column(Integer)
    """The absence whose repetition opened it, if any (no foreign key: absences
    are only ever soft-deleted, and a key would close a cycle with documents)."""
    sign_on: Mapped[date | None] = mapped_column()
    """The day the first sign was seen (the absence's day when an absence opened it): the
    entretien and the contact are due from it.  ``None`` for follow-ups opened before it
    was asked, whose steps count from their opening."""
    solution: Mapped[str | None] = mapped_column(String(20))
    """Bilan de compétences, sick leave: ``report`` | ``maintien`` | ``avenant`` | ``autre``."""
    solution_with_employer: Mapped[bool | None] = mapped_column(Boolean)
    solution_note: Mapped[str | None] = mapped_column(String(500))
    solution_at: Mapped[datetime | None] = mapped_column()
    opened_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    closed_at: Mapped[datetime | None] = mapped_column()


class FollowUpSign(Base):
    """One sign of décrochage, as observed on a given day."""

    __tablename__ = "followup_signs"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(300))
    """Only for ``autre``: what was observed."""
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowUpContact(Base):
    """A contact made about a follow-up: with the trainee, the company, the team."""

    __tablename__ = "followup_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), index=True
    )
    with_whom: Mapped[str] = mapped_column(String(20))
    """``stagiaire`` | ``entreprise`` | ``equipe`` | ``autre``."""
    channel: Mapped[str] = mapped_column(String(20))
    """``telephone`` | ``email`` | ``sms`` | ``visio`` | ``en_personne`` | ``courrier`` | ``reunion``."""
    contacted_on: Mapped[date] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(500))
    proof_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_documents.id", ondelete="SET NULL"), index=True
    )
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Entretien(Base):
    """An interview: the entretien individuel (ELY-LONG) or a regard croisé (ELY-BILAN-DIFF)."""

    __tablename__ = "entretiens"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="individuel")
    """``individuel`` | ``regard_croise``."""
    counsellor: Mapped[str | None] = mapped_column(String(200))
    """Regard croisé: the other counsellor who holds it."""
    scheduled_at: Mapped[datetime] = mapped_column(index=True)
    held_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    """Set when it is rescheduled (a new row takes over) or cancelled (``cancel_reason``)."""
    cancel_reason: Mapped[str | None] = mapped_column(String(20))
    """Cancelled, not to be held: ``sortie`` | ``absente`` | ``autre``
    (:data:`bot.absences.vocabulary.CANCEL_REASONS`); ``None`` when rescheduled."""
    cancel_note: Mapped[str | None] = mapped_column(String(300))
    """The reason in words, for ``autre``."""
    cancelled_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    constat: Mapped[str | None] = mapped_column(Text)
    causes: Mapped[str | None] = mapped_column(Text)
    mesures: Mapped[str | None] = mapped_column(Text)
    prochain_point: Mapped[str | None] = mapped_column(String(300))
    prochain_point_on: Mapped[date | None] = mapped_column(index=True)
    """The day the « prochain point » names, if it names one: that morning the trainer is
    reminded of it (:mod:`bot.absences.next_point`, explorer GF9)."""
    compte_rendu_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_documents.id", ondelete="SET NULL"), index=True
    )
    compte_rendu_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QualityTicket(Base):
    """The ticket qualité: what was done about a follow-up, as the OF keeps it."""

    __tablename__ = "quality_tickets"
    __table_args__ = (UniqueConstraint("organisation_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    reference: Mapped[str] = mapped_column(String(20))
    """``TQ-2026-0001``: year of filing and a number counted per organisation and year."""
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), unique=True
    )
    formation_id: Mapped[int] = mapped_column(
        ForeignKey("formations.id", ondelete="CASCADE"), index=True
    )
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("trainees.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str] = mapped_column(String(20))
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    """What was done, one line each, composed from the follow-up's records."""
    note: Mapped[str | None] = mapped_column(String(1000))
    document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """The documents linked to the follow-up when the ticket was filed."""
    filed_on: Mapped[date] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
