"""What every table shares: the declarative base and UTC-only timestamps.

SQLite has no time zone type, so :class:`UTCDateTime` stores naive UTC and
hands back aware UTC datetimes on both SQLite and PostgreSQL: the code never
sees a naive datetime coming out of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from sqlalchemy import JSON, DateTime, Insert, MetaData, Table, bindparam, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


_STAMPS: ContextVar[Callable[[], datetime]] = ContextVar("stamps", default=utcnow)


def stamp_now() -> datetime:
    """Now, for a stamp the scheduler compares later with its own now (an outbox row's
    creation and first try, a deadline's refresh): the clock of the turn, tick or sending
    that writes it (:func:`stamps_from`).  The wall clock in production, where every clock
    is; the tests' controllable clock under the fixtures, so that a simulated month sees its
    rows as old as the simulated days say (explorer QC6: a reminder sent again at every tick,
    its row pruned at once as three months old by the wall clock)."""
    return _STAMPS.get()()


def stamps_from(clock: Callable[[], datetime]) -> _Stamps:
    """The stamps written inside take their time from ``clock`` (:func:`stamp_now`)."""
    return _Stamps(clock)


class _Stamps:
    """:func:`stamps_from`'s context, a class: a generator's context manager was five calls more
    around every turn (AQ)."""

    __slots__ = ("clock", "token")

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock

    def __enter__(self) -> None:
        self.token = _STAMPS.set(self.clock)

    def __exit__(self, *_failed: object) -> None:
        _STAMPS.reset(self.token)


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[datetime | None], Any] | None:
        """On SQLite, :meth:`process_bind_param` and the text SQLAlchemy's ``DATETIME`` makes
        of it in one step (:func:`sqlite_text`): three stamps a turn, each a conversion, then
        a dictionary formatted, through two closures (DA3)."""
        if dialect.name == "sqlite":
            return sqlite_text
        return super().bind_processor(dialect)


def sqlite_text(value: datetime | None) -> str | None:
    """An aware ``value`` as SQLite stores it: UTC, « 2026-12-07 15:42:15.300821 »."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # its offset (« +00:00 ») left out


JSONDict = MutableDict.as_mutable(JSON)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


def insert_every_column(table: Table) -> Insert:
    """An ``INSERT`` of every column of ``table`` but its primary key, each bound by its name:
    what SQLAlchemy makes of ``insert(table)`` given a whole :func:`row_to_insert`, written
    out so that the driver can be given it (:mod:`bot.storage.turn_rows`, which refuses a
    column left to a default SQLAlchemy's execution would fill)."""
    return insert(table).values(
        {c.key: bindparam(c.key, type_=c.type) for c in table.columns if not c.primary_key}
    )


_Row = TypeVar("_Row", bound=Base)


def row_to_insert(values: Mapping[str, Any], table: Table) -> dict[str, Any]:
    """``values`` as a row for a Core ``INSERT`` on ``table``: every column but the primary
    key (left to the database), a column not given taking its default, as SQLAlchemy's
    execution would, so that the row holds every value it is written with (an object made
    of it with :func:`as_loaded` is then as if read back)."""
    row = {}
    for key, default in _defaults_of(table):
        if key in values:
            row[key] = values[key]
        else:
            row[key] = default(None) if callable(default) else default
    return row


_defaults: dict[Table, tuple[tuple[str, Any], ...]] = {}


def _defaults_of(table: Table) -> tuple[tuple[str, Any], ...]:
    """Each column of ``table`` but its primary key, with its default, read once."""
    found = _defaults.get(table)
    if found is None:
        found = _defaults[table] = tuple(
            (c.key, getattr(c.default, "arg", None)) for c in table.columns if not c.primary_key
        )
    return found


def as_loaded(cls: type[_Row], row: Mapping[str, Any]) -> _Row:
    """An instance of ``cls`` holding ``row`` (every column) as if loaded by a query: what
    SQLAlchemy's loading does, without the constructor's event for each attribute set (a
    formation with three trainees built by their constructors was a tenth of the saving
    turn of ``/formation``, BA).  It belongs to no session; ``make_transient_to_detached``
    lets it join one (:func:`bot.storage.formations.attach`)."""
    instance: _Row = cls.__mapper__.class_manager.new_instance()
    instance.__dict__.update(row)
    return instance
