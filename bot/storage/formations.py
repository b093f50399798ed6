"""Trainings and their trainees: what every rule and every conversation hangs on."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, make_transient_to_detached, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.collections import collection

from bot.answers import by_surname, same_matrix_id
from bot.storage import turn_rows
from bot.storage.base import Base, as_loaded, insert_every_column, row_to_insert, utcnow

ERASED_NAME = "Personne effacée n° {id}"
"""What an erased trainee is called afterwards (a form that needs no agreement)."""

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
        # A binary search reading a few keys: the ORM appends a loaded formation's
        # trainees one by one, and reading every key at each append cost 0.4 s of
        # CPU for a formation of 300 (45,000 names folded).
        at = bisect_right(self, by_surname(item.full_name), key=_surname_of)
        list.insert(self, at, item)


def _surname_of(trainee: Trainee) -> tuple[str, str]:
    return by_surname(trainee.full_name)


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
    funder_name: Mapped[str | None] = mapped_column(String(150))
    """For ``autre``: who pays, as the trainer wrote it (« France Travail », « OPCO Akto »)."""
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
        return effective_end(self.end_date, self.extended_end)

    @property
    def named_trainees(self) -> list[Trainee]:
        """The trainees a dialogue offers, reads by name or notes something for: an erased
        one (RGPD) stays only a placeholder of the counts and exports (explorer J: offered
        first as « Personne effacée n° 2 », and absences noted on them again)."""
        return [t for t in self.trainees if not t.erased]


def effective_end(end: date, extended: date | None) -> date:
    """The end that counts for the final bilan: an extension moves it later."""
    return extended if extended is not None and extended > end else end


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
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("formation_sessions.id", ondelete="SET NULL"), index=True
    )
    """The session followed in a formation of several sessions: the path ends with it
    (explorer IC5); ``None``: the whole formation (one session, or a row from before)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    formation: Mapped[Formation] = relationship(back_populates="trainees")

    def left_before(self, day: date) -> bool:
        """Whether their exit, recorded, came before ``day``: nothing is noted for them after
        it, and they no longer speak for the group (an absence after a departure would be a
        record of no one's training)."""
        return self.left_on is not None and day > self.left_on

    @property
    def erased(self) -> bool:
        """Erased at an admin's request (:mod:`bot.privacy.erasure`): the row stays as a
        placeholder for the formation's counts, never offered again as a delegate or a
        participant.  The pseudonym carries the row's own id, so no typed name matches it
        by chance on another row."""
        return self.full_name == ERASED_NAME.format(id=self.id)


# --- writing a new formation ----------------------------------------------------------

# The tables, not the mapped classes: an insert on a mapped class takes the ORM's
# bulk-persistence path, at several times the cost.
_formations: Table = Formation.__table__  # type: ignore[assignment]
_trainees: Table = Trainee.__table__  # type: ignore[assignment]
_sessions: Table = FormationSession.__table__  # type: ignore[assignment]

# Built once: SQLAlchemy then finds their compiled form in its cache.
_INSERT_FORMATION = insert_every_column(_formations).returning(_formations.c.id)
_INSERT_TRAINEES = insert(_trainees).returning(_trainees.c.name_key, _trainees.c.id)
_INSERT_SESSION = insert_every_column(_sessions).returning(_sessions.c.id)


async def insert_new(
    rows: turn_rows.TurnRows,
    formation: Mapping[str, Any],
    sessions: Sequence[Mapping[str, Any]] = (),
    trainees: Sequence[Mapping[str, Any]] = (),
    placed: Mapping[str, int] | None = None,
) -> Formation:
    """Write a new formation, its sessions and its trainees (their columns, by name), and
    return it with them as if read back (:func:`bot.storage.base.as_loaded`), ids included.

    The unit of work would send one ``INSERT … RETURNING`` per trainee and
    per session (SQLite cannot say in which order a multi-row ``RETURNING``
    answers) and each caller then read back what it wrote.  Here the
    trainees' ids come back with their ``name_key``, unique in the
    formation, so one statement serves whatever the order; the sessions (a
    few at most, with no key of their own) go one statement each, in order.
    Every column is sent, defaults included, and the objects are made of the
    rows sent, not built attribute by attribute (BA): :func:`attach` lets
    them join a session as loaded, and the saving turn of ``/formation``,
    which opens no session, only reads them.  ``rows``: the turn's
    (:func:`bot.storage.turn_rows.on`), straight to the driver on a SQLite
    file (ZP, AP).

    ``placed``: the session each trainee follows (explorer IC5), by ``name_key``, as its
    position in ``sessions``: written first, their ids go with the trainees.
    """
    row = row_to_insert(formation, _formations)
    row["id"] = formation_id = (await rows.one(_INSERT_FORMATION, row))["id"]
    parts = []
    for values in sessions:
        part = row_to_insert({**values, "formation_id": formation_id}, _sessions)
        part["id"] = (await rows.one(_INSERT_SESSION, part))["id"]
        parts.append(part)
    people = []
    for values in trainees:
        position = (placed or {}).get(values["name_key"])
        session_id = parts[position]["id"] if position is not None else None
        people.append(
            row_to_insert(
                {**values, "formation_id": formation_id, "session_id": session_id}, _trainees
            )
        )
    if people:
        ids: dict[str, int] = dict(await rows.inserted(_INSERT_TRAINEES, people))
        for person in people:
            person["id"] = ids[person["name_key"]]
    return _loaded(row, parts, people)


def _loaded(
    row: Mapping[str, Any], parts: Sequence[Mapping[str, Any]], people: Sequence[Mapping[str, Any]]
) -> Formation:
    """The formation of ``row`` with its sessions and trainees, as a query would load them
    (the trainees in :class:`Roster` order), each pointing back at it."""
    formation = as_loaded(Formation, row)
    sessions = [as_loaded(FormationSession, part) for part in parts]
    trainees = [as_loaded(Trainee, person) for person in people]
    set_committed_value(formation, "sessions", sessions)
    set_committed_value(formation, "trainees", trainees)
    for child in (*sessions, *trainees):
        set_committed_value(child, "formation", formation)
    return formation


def attach(session: AsyncSession, formation: Formation) -> None:
    """``formation``, written by :func:`insert_new`, joins ``session`` as if just loaded
    (``make_transient_to_detached``): no SQL, nothing expired, and a later change to it is
    an ordinary ``UPDATE``."""
    for part in (*formation.sessions, *formation.trainees):
        make_transient_to_detached(part)
    make_transient_to_detached(formation)
    session.add(formation)


# Built once, like the inserts: the saving turn of /formation asks it every time.
_SAME_TITLE_AND_DATES = select(_formations.c.id).where(
    _formations.c.owner_id == bindparam("owner"),
    _formations.c.organisation_id == bindparam("organisation"),
    _formations.c.deleted_at.is_(None),
    func.lower(_formations.c.title) == bindparam("title"),
    _formations.c.funder == bindparam("funder"),
    _formations.c.start_date == bindparam("start"),
    _formations.c.end_date == bindparam("end"),
)
_NAME_KEYS = select(_trainees.c.name_key).where(_trainees.c.formation_id == bindparam("formation"))


async def same_title_and_dates(
    rows: turn_rows.TurnRows,
    *,
    owner: int,
    organisation: int,
    title: str,
    funder: str,
    start: date,
    end: date,
) -> list[int]:
    """The ids of ``owner``'s formations (not deleted) with this title (``title`` given
    lower-cased), funder and dates: the candidates for a twin, read without loading them.

    Straight to the driver on a SQLite file (:meth:`bot.storage.turn_rows.TurnRows.every`):
    SQLAlchemy's execution of this one read was a tenth of the saving turn (ZP)."""
    found = await rows.every(
        _SAME_TITLE_AND_DATES,
        {
            "owner": owner,
            "organisation": organisation,
            "title": title,
            "funder": funder,
            "start": start,
            "end": end,
        },
    )
    return [formation_id for (formation_id,) in found]


async def name_keys(rows: turn_rows.TurnRows, formation_id: int) -> list[str]:
    """The ``name_key`` of every trainee of the formation, erased ones included."""
    return [key for (key,) in await rows.every(_NAME_KEYS, {"formation": formation_id})]


async def followed_by(session: AsyncSession, user: str) -> list[Formation]:
    """The formations (not deleted) that name the Matrix ID ``user`` as their chargée de
    mission, oldest first: one query, case folded in SQL, then the spec's comparison (the
    user part exactly, :func:`bot.answers.same_matrix_id`)."""
    found = await session.scalars(
        select(Formation)
        .where(
            func.lower(Formation.cm_matrix) == user.strip().lower(),
            Formation.deleted_at.is_(None),
        )
        .order_by(Formation.id)
    )
    return [f for f in found.all() if same_matrix_id(f.cm_matrix or "", user)]
