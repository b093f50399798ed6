"""Attestations sur l'honneur: the invitations, the frozen evidence, the sheets, the sending.

Tables:

- ``attestation_invitations``: one personal code per participant of a bilan
  (Normandie §III, rule NOR-PROOF).  Only the SHA-256 of the code is kept.
  The record is transport-neutral: the first chat identity that redeems the
  code (``redeemed_platform`` + ``redeemed_user_id``) is the only one that
  may use it afterwards; ``target_platform`` / ``target_user`` name who it
  is meant for when a transport can invite someone directly (a Matrix ID),
  and stay empty for a code handed over by the trainer (a Telegram link).
- ``attestations``: the evidence, one row per answer, **never updated**: the
  exact text shown, its SHA-256, the UTC time of the answer, the platform
  and chat user id, the invitation used, and the PDF the participant got.
  A correction adds a row with the next ``version``; the latest version of a
  participant is their current answer, older ones are kept as history.
- ``attendance_sheets`` and ``attendance_sheet_entries``: the signed feuille
  d'émargement (photo or PDF) uploaded by the trainer for on-site
  participants, and who the trainer ticked as appearing on it.
- ``proof_sendings``: each e-mail of a bilan's proof bundle to the chargé(e)
  de mission: the bundle exactly as sent, its hash, and the outcome.
- ``attestation_reviews``: the trainer's decision on an answer the bot
  flagged (given from another chat account than an earlier answer or link
  of the same participant; a role other than the invitation's; words written
  under the text before attesting).

Each attestation is chained to the previous one of its bilan and signed
with the organisation's Ed25519 key (:mod:`bot.attestations.chain`,
:mod:`bot.attestations.keys`): a row rewritten in the database, however
consistently, no longer matches its signature.  The signed columns are also
refused an ``UPDATE`` by a database trigger (migration ``0012_evidence``),
not only by the ORM hook below.

Participants' names live in ``attestations.typed_name`` and in the frozen
text; never in logs or in the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow

ANSWERS = ("attested", "declined")
ROLES = ("delegate", "partner")
SENDING_STATUSES = ("pending", "sending", "sent", "failed")


class AttestationInvitation(Base):
    __tablename__ = "attestation_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    bilan_id: Mapped[int] = mapped_column(ForeignKey("bilans.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("bilan_participants.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_sealed: Mapped[str | None] = mapped_column(Text)
    """The code itself, sealed with the key kept in the data folder (never in the
    database, :class:`bot.privacy.replies.Sealer`): "Relancer" gives the same link
    again.  ``None`` for codes issued before revision ``0022_relances``."""
    target_platform: Mapped[str | None] = mapped_column(String(20))
    """Who it is meant for, when a transport can invite directly (``matrix``)."""
    target_user: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    """At issue: the bilan's end plus the organisation's delay (a moved bilan pushes it)."""
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    redeemed_at: Mapped[datetime | None] = mapped_column()
    redeemed_platform: Mapped[str | None] = mapped_column(String(20))
    redeemed_user_id: Mapped[str | None] = mapped_column(String(255))
    redeemed_chat_id: Mapped[str | None] = mapped_column(String(255))
    redeemed_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    contested_at: Mapped[datetime | None] = mapped_column()
    """When another account was first refused on it: a link forwarded, opened by someone
    else (explorer AL3, AL4); an answer given through it after that is to be examined."""

    @property
    def is_redeemed(self) -> bool:
        return self.redeemed_at is not None


class Attestation(Base):
    """One answer of a participant, frozen: rows are inserted, never updated."""

    __tablename__ = "attestations"
    __table_args__ = (
        UniqueConstraint("participant_id", "version"),
        UniqueConstraint("bilan_id", "previous_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    bilan_id: Mapped[int] = mapped_column(ForeignKey("bilans.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("bilan_participants.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("attestation_invitations.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    answer: Mapped[str] = mapped_column(String(10))
    """``attested`` | ``declined``."""
    typed_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    """``delegate`` | ``partner``, as the participant said."""
    structure: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    """Why they did not take part (optional, declined only)."""
    name_matches: Mapped[bool] = mapped_column(Boolean)
    role_matches: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text)
    """The exact text shown before the answer (UTF-8)."""
    text_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The PDF the participant received (attested only)."""
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column()
    platform: Mapped[str] = mapped_column(String(20))
    chat_user_id: Mapped[str] = mapped_column(String(255))
    chat_id: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    bilan_starts_at: Mapped[datetime | None] = mapped_column()
    """The bilan's start and end as the text names them (a bilan moved later shows it)."""
    bilan_ends_at: Mapped[datetime | None] = mapped_column()
    previous_sha256: Mapped[str | None] = mapped_column(String(64))
    """The chain hash of the bilan's previous attestation (its genesis value for the first)."""
    chain_sha256: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of this answer's canonical record, which includes ``previous_sha256``."""
    signature: Mapped[str | None] = mapped_column(String(128))
    """Ed25519 signature of ``chain_sha256`` (hex), by the key of ``key_sha256``."""
    key_sha256: Mapped[str | None] = mapped_column(String(64))
    words_before: Mapped[str | None] = mapped_column(Text)
    """What the participant wrote under the text before answering, in the same round, as it
    was passed on to the trainer (« oui mais je suis partie à midi »; several messages one a
    line): the answer is flagged ``reserve`` (explorer GB5: the attestation counted, the
    words in no part of the evidence).  Not in the signed record, whose keys are fixed
    (:data:`bot.attestations.chain.RECORD_KEYS`); in the bundle's signed manifest, and
    refused an ``UPDATE`` like the signed columns (migration ``0041_words_before``)."""


SIGNED_COLUMNS = (
    "bilan_id",
    "participant_id",
    "version",
    "answer",
    "typed_name",
    "role",
    "structure",
    "reason",
    "name_matches",
    "role_matches",
    "text",
    "text_sha256",
    "pdf",
    "pdf_sha256",
    "answered_at",
    "platform",
    "chat_user_id",
    "chat_id",
    "bilan_starts_at",
    "bilan_ends_at",
    "previous_sha256",
    "chain_sha256",
    "signature",
    "key_sha256",
)
"""What the signed record covers, and the database refuses to update (the foreign keys that
may be set to NULL are not)."""
FROZEN_COLUMNS = (*SIGNED_COLUMNS, "words_before")
"""What the database refuses to update: the signed columns, and the words written before the
answer (unsigned, kept as given all the same)."""


class FrozenEvidence(Exception):
    """An attestation row was about to change: evidence is never rewritten."""


@event.listens_for(Attestation, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: Attestation) -> None:
    raise FrozenEvidence("an attestation is frozen once given; add a new version instead")


REVIEW_CONCERNS = (
    "identity",
    "contested",
    "name",
    "role",
    "reversal",
    "elsewhere",
    "abroad",
    "reserve",
)


REVIEW_DECISIONS = ("validated", "rejected")


class AttestationReview(Base):
    """The trainer's decision on a flagged answer (one row per answer and concern).

    ``validated``: the answer counts.  ``rejected``: it does not (a new link
    was issued), and the chat account it came from is not held against the
    participant's next answer."""

    __tablename__ = "attestation_reviews"
    __table_args__ = (UniqueConstraint("attestation_id", "concern"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    bilan_id: Mapped[int] = mapped_column(ForeignKey("bilans.id", ondelete="CASCADE"), index=True)
    attestation_id: Mapped[int] = mapped_column(
        ForeignKey("attestations.id", ondelete="CASCADE"), index=True
    )
    concern: Mapped[str] = mapped_column(String(10))
    """One of :data:`REVIEW_CONCERNS`."""
    decision: Mapped[str] = mapped_column(String(10))
    """``validated`` | ``rejected``."""
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendanceSheet(Base):
    """A signed feuille d'émargement, photographed or scanned, uploaded by the trainer."""

    __tablename__ = "attendance_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    bilan_id: Mapped[int] = mapped_column(ForeignKey("bilans.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendanceSheetEntry(Base):
    """A participant the trainer ticked as appearing on a sheet."""

    __tablename__ = "attendance_sheet_entries"
    __table_args__ = (UniqueConstraint("sheet_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("attendance_sheets.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("bilan_participants.id", ondelete="CASCADE"), index=True
    )


class ProofSending(Base):
    """The proof bundle of a bilan e-mailed to the chargé(e) de mission.

    Written ``pending`` in the trainer's transaction, sent after it commits
    (never inside it), then marked ``sent`` with the time, or ``failed``.
    """

    __tablename__ = "proof_sendings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    bilan_id: Mapped[int] = mapped_column(ForeignKey("bilans.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(200))
    bundle: Mapped[bytes] = mapped_column(LargeBinary)
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    complete: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    """``pending`` → ``sending`` (claimed) → ``sent`` | ``failed``."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_platform: Mapped[str | None] = mapped_column(String(20))
    requested_chat_id: Mapped[str | None] = mapped_column(String(255))
    """Where the trainer asked from: the outcome is told there."""
    claimed_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    message_id: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str | None] = mapped_column(String(200))
    """The error's type only (an SMTP error may quote addresses)."""
