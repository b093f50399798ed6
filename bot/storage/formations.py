"""Trainings and their trainees: what every rule and every conversation hangs on."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import collection

from bot.answers import by_surname
from bot.storage.base import Base, utcnow

if TYPE_CHECKING:  # pragma: no cover
    _RosterBase = list["Trainee"]
else:
    _RosterBase = list


class Roster(_RosterBase):
    """A formation's trainees, kept sorted by surname, accents folded, wherever they are listed.

    Every list, picker, document and export that walks ``formation.trainees``
    then shows Élodie Étienne between Dupont and Fabre, without each one
    sorting again (SQL cannot fold accents nor find the surname portably).
    """

    @collection.appender  # type: ignore[untyped-decorator]
    def append(self, item: Trainee) -> None:
        keys = [by_surname(t.full_name) for t in self]
        list.insert(self, bisect_right(keys, by_surname(item.full_name)), item)


class Formation(Base):
    __tablename__ = "formations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    """The formateur in charge; only they (and admins) see it."""
    title: Mapped[str] = mapped_column(String(200))
    funder: Mapped[str] = mapped_column(String(20))
    """``normandie`` | ``cvl`` | ``rectorat`` | ``autre`` (codes of bot.rules)."""
    programme: Mapped[str | None] = mapped_column(String(40))
    action_type: Mapped[str | None] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10), default="dates")
    """``dates`` (de date à date) or ``esp`` (entrées et sorties permanentes)."""
    kind: Mapped[str] = mapped_column(String(30), default="formation")
    """``formation`` | ``bilan_competences`` | ``vae``: picks the Elycoop follow-up path."""
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column(index=True)
    extended_end: Mapped[date | None] = mapped_column()
    """End of an additional purchase order (bon de commande supplémentaire)."""
    certifying: Mapped[bool] = mapped_column(Boolean, default=False)
    long: Mapped[bool] = mapped_column(Boolean, default=False)
    remote_coaching: Mapped[bool] = mapped_column(Boolean, default=False)
    cm_name: Mapped[str | None] = mapped_column(String(200))
    cm_email: Mapped[str | None] = mapped_column(String(254))
    cm_matrix: Mapped[str | None] = mapped_column(String(255))
    """The chargé(e) de mission's Matrix/Tchap ID: the bot writes to them itself."""
    subcontracted: Mapped[bool | None] = mapped_column(Boolean)
    """Subcontracted for another OF: the Elycoop procedure does not apply (None: not asked)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column()
    """Deleted by mistake: hidden everywhere, its deadlines closed; the audit keeps it."""

    trainees: Mapped[list[Trainee]] = relationship(
        back_populates="formation",
        order_by="Trainee.full_name",
        collection_class=Roster,
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    sessions: Mapped[list[FormationSession]] = relationship(
        back_populates="formation",
        order_by="FormationSession.start_date",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def effective_end(self) -> date:
        """The end that counts for the final bilan: an extension moves it later."""
        if self.extended_end and self.extended_end > self.end_date:
            return self.extended_end
        return self.end_date


class FormationSession(Base):
    """A session (or a composante) of a formation, when the rules need them."""

    __tablename__ = "formation_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    formation_id: Mapped[int] = mapped_column(
        ForeignKey("formations.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    composante: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()

    formation: Mapped[Formation] = relationship(back_populates="sessions")


class Trainee(Base):
    __tablename__ = "trainees"
    __table_args__ = (UniqueConstraint("formation_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    formation_id: Mapped[int] = mapped_column(
        ForeignKey("formations.id", ondelete="CASCADE"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    """Lower-case, accent-free form: "Dupont" and "DUPONT" are one trainee."""
    company: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    """Given by an imported list; the RGPD erasure clears it with the name."""
    phone: Mapped[str | None] = mapped_column(String(40))
    is_delegate: Mapped[bool] = mapped_column(Boolean, default=False)
    entered_on: Mapped[date | None] = mapped_column()
    left_on: Mapped[date | None] = mapped_column()
    exit_reason: Mapped[str | None] = mapped_column(String(20))
    """Why they left (a code of ``bot.formations.labels.EXIT_REASONS``), with ``left_on``."""
    path_end: Mapped[date | None] = mapped_column()
    """End of this trainee's path when a bon de commande supplémentaire extends it."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    formation: Mapped[Formation] = relationship(back_populates="trainees")
