"""Bilans scheduled by chat, who takes part, and the dated deadlines of every rule.

Tables:

- ``bilans``: one meeting (bilan d'étape or de fin), remote or on site, with
  its visio checks (NOR-VISIO), its iCalendar ``sequence`` (raised each time
  it moves or is cancelled, so calendar clients update the same event) and
  ``owed_key``, which owed bilan of :func:`bot.rules.owed_bilans` it holds;
- ``bilan_participants``: the delegates and outside partners invited; a row
  keeps its id when the bilan moves, so one invitation (and, later, one
  attestation) per participant stays attached to it;
- ``deadlines``: what :func:`bot.rules.deadlines` computes, stored so it can
  be marked done, postponed and reminded.  ``key`` is the rules' stable key
  (unique per formation): recomputing after a change updates the same row,
  so a deadline marked done stays done, with who and when.

Trainees' names appear in ``bilan_participants.name`` (the invitation needs
it) and in some ``deadlines.explanation`` sentences (CVL-EOS names the
trainee); never in logs or in the audit trail.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base, utcnow

BILAN_KINDS = ("etape", "fin")
PARTICIPANT_KINDS = ("delegate", "trainee", "partner")
DEADLINE_STATUSES = ("open", "done", "postponed")


def new_ics_uid() -> str:
    return f"bilan-{uuid.uuid4().hex}@formabot"


class Bilan(Base):
    __tablename__ = "bilans"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    formation_id: Mapped[int] = mapped_column(
        ForeignKey("formations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    """``etape`` | ``fin``."""
    owed_key: Mapped[str | None] = mapped_column(String(120))
    """Which owed bilan it holds: its kind and span (``fin``, ``etape``, ``fin:session:4``)."""
    remote: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    location: Mapped[str | None] = mapped_column(String(300))
    """On site: the place, as the trainer typed it."""
    visio_url: Mapped[str | None] = mapped_column(String(500))
    visio_password_required: Mapped[bool | None] = mapped_column(Boolean)
    visio_manages_speakers: Mapped[bool | None] = mapped_column(Boolean)
    visio_link_later: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Remote, and the trainer said the link would come "plus tard": NOR-VISIO-LINK asks
    for it until it is given (then this stays true, for the record)."""
    visio_password: Mapped[str | None] = mapped_column(String(100))
    """Only when the trainer asked for it to be written in the invitation."""
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    """iCalendar SEQUENCE: +1 each time the bilan moves or is cancelled."""
    ics_uid: Mapped[str | None] = mapped_column(String(80), default=new_ics_uid)
    """The invitation's iCalendar UID, random: a chargée de mission follows several
    organismes, each with its formabot, and « bilan-1@formabot » of two of them was one
    event in her calendar (explorer G G6).  Bilans from before it keep that old UID
    (:attr:`calendar_uid`), so that their updates still replace what she has."""
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    cancelled_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    cm_answer: Mapped[str | None] = mapped_column(String(20))
    """The chargée de mission's answer to the invitation (:mod:`bot.bilans.cm_answers`):
    ``confirmed``, ``other_date``, ``cannot``; it counts for ``cm_answer_sequence`` only."""
    cm_answer_sequence: Mapped[int | None] = mapped_column(Integer)
    cm_answered_at: Mapped[datetime | None] = mapped_column()
    cm_proposed_at: Mapped[datetime | None] = mapped_column()
    """The date she proposes instead (``other_date``)."""
    cm_note: Mapped[str | None] = mapped_column(String(500))
    """Her word with the answer, passed on to the trainer."""

    participants: Mapped[list[BilanParticipant]] = relationship(
        back_populates="bilan",
        primaryjoin="and_(Bilan.id == BilanParticipant.bilan_id, "
        "BilanParticipant.removed_at.is_(None))",
        order_by="BilanParticipant.id",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    """Who is invited now: a participant removed after scheduling keeps its row (and its
    history) but leaves this list, so every document and message forgets them."""

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def calendar_uid(self) -> str:
        return self.ics_uid or f"bilan-{self.id}@formabot"

    @property
    def cm_answered(self) -> bool:
        """The chargée de mission answered this version of the invitation."""
        return self.cm_answer is not None and self.cm_answer_sequence == self.sequence

    def next_version(self, now: datetime, *, same_date: bool) -> None:
        """A new version of the invitation (its ``SEQUENCE``).  The chargée de mission's
        answer was about the date: it holds for a version at the same date (a participant,
        the link: explorer G G2 saw it wiped, and her asked again), not for a move."""
        answered = self.cm_answered
        self.sequence += 1
        self.updated_at = now
        if answered and same_date:
            self.cm_answer_sequence = self.sequence


class BilanParticipant(Base):
    """A delegate (a trainee) or an outside partner invited to a bilan."""

    __tablename__ = "bilan_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    bilan_id: Mapped[int] = mapped_column(ForeignKey("bilans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    """``delegate`` | ``partner`` | ``trainee`` (another trainee, only where no rule
    restricts the bilan to the delegates: on site, or outside the Région Normandie)."""
    trainee_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainees.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    structure: Mapped[str | None] = mapped_column(String(200))
    """A partner's organisation (Pôle emploi, mission locale…)."""
    contact: Mapped[str | None] = mapped_column(String(254))
    """An e-mail address or a chat handle (``@pseudo``)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    derogation_by: Mapped[str | None] = mapped_column(String(200))
    """A trainee who is not a delegate, at a remote Normandie bilan: who agreed (the
    chargé(e) de mission, by derogation to "seuls les représentants", 000 §I)."""
    derogation_on: Mapped[date | None] = mapped_column()
    """The day that agreement was given."""
    derogation_how: Mapped[str | None] = mapped_column(String(20))
    """How it was given: a code of :data:`bot.bilans.participants.AGREEMENT_WAYS`."""
    removed_at: Mapped[datetime | None] = mapped_column()
    """Removed from the bilan after scheduling (the row stays, for the record)."""
    removed_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    no_show_at: Mapped[datetime | None] = mapped_column()
    """Recorded by the trainer after the bilan: did not take part.  The proof of
    participation is then complete without them."""
    no_show_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )

    bilan: Mapped[Bilan] = relationship(back_populates="participants")


class StoredDeadline(Base):
    """One dated deadline of a rule, as computed for a formation, and what became of it."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("formation_id", "key"),
        # The scheduler's "bilan begun" closing reads the open pre-bilan items already due.
        Index("ix_deadlines_rule_status_due", "rule_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    formation_id: Mapped[int] = mapped_column(
        ForeignKey("formations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(160))
    """The rules' key (``NOR-DOCS:bilan:12``): stable when dates move."""
    rule_id: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(12))
    """``formation`` | ``bilan`` | ``trainee`` | ``followup``."""
    subject_id: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(index=True)
    """The day it is due, in the organisation's zone."""
    due_at: Mapped[datetime | None] = mapped_column()
    """The exact moment, for rules counted in hours (NOR-DOCS)."""
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(String(200))
    """What tells it apart from the same title of the formation (a session, a composante);
    never a person's name: names are looked up when shown (``bot.deadlines.lines``)."""
    explanation: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(20))
    """``formateur`` (reminded to the formation's trainer) | ``organisation``."""
    postponable: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    """``open`` | ``done`` | ``postponed`` | ``missed`` (a pre-bilan item the bilan came
    before: closed as "non fait avant le bilan", kept so, never red again)."""
    done_at: Mapped[datetime | None] = mapped_column()
    done_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    postponed_to: Mapped[date | None] = mapped_column()
    postpone_reason: Mapped[str | None] = mapped_column(String(300))
    postponed_at: Mapped[datetime | None] = mapped_column()
    postponed_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    reminded_at: Mapped[datetime | None] = mapped_column()
    """Last time a personal reminder was queued for it."""
    anchor_on: Mapped[date | None] = mapped_column()
    """The day its due date is counted from, as last computed (null: not computed since 0046)."""
    reopened_at: Mapped[datetime | None] = mapped_column()
    """When a done final bilan was opened again, its end having moved past the day it was
    done (:mod:`bot.deadlines.reopened`): told in the chat and in the next digest."""
    reopened_from: Mapped[datetime | None] = mapped_column()
    """When it had been marked done, before it was opened again (``done_by`` stays who)."""
    done_anchor_on: Mapped[date | None] = mapped_column()
    """The anchor that done mark held for: the end brought back to it, it is done again."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column()

    @property
    def effective_due(self) -> date:
        """The day that counts: the postponed date when it was postponed."""
        if self.status == "postponed" and self.postponed_to is not None:
            return self.postponed_to
        return self.due_on

    @property
    def is_done(self) -> bool:
        return self.status == "done"
