"""The engine's own rows, as statements built once for the life of the process.

A turn checks its event was not handled before, reads where the
conversation stands and who is writing (one query), writes the new state
and records the event with its replies: the same three statements every
time, whatever the dialogue.  Built through the ORM at each turn they
cost more Python than SQLite takes to run them (expression construction,
cache keys, the unit of work, identity map).  Here they are Core statements
with bound parameters, constructed once, so SQLAlchemy only finds their
compiled form in its cache and binds the values.

- :data:`LOAD`: the replies of the event if it was already handled, the
  state row (if any) and the person behind the account, their first
  membership and its organisation, in one query anchored on a one-row
  select, so a stranger with no state still gets a row of NULLs.
- :data:`CREATE_STATE` / :data:`SAVE_STATE`: the first turn inserts the row
  (the unique key stops a concurrent first turn), the next ones update it
  where the version is still the one read.
- :data:`RECORD`: the event with its replies; its primary key stops a
  redelivery or the same event handled at once elsewhere.

:func:`on` runs them.  Even Core's execution path (execution context,
result object, a greenlet switch per call) cost more than the database's
own work, so on a turn's direct path (:meth:`bot.storage.db.Database.turn`)
each statement is compiled once per dialect (:class:`~bot.storage.prepared.Prepared`), with its
types' converters, and handed straight to the driver on the turn's
connection, so in the same transaction as the session's statements: on a
SQLite file the driver's cursor, run in the loop's thread
(:class:`InlineRows`); on PostgreSQL the coroutine SQLAlchemy's asyncpg
adapter awaits for its own cursor (:class:`AdaptedRows`).  Elsewhere (SQLite
in memory, a session's connection) through SQLAlchemy Core (:class:`Rows`).
The one definition above serves every path.  A few statements of the
steps, built once like these, go the same way where they cost most
(:meth:`TurnRows.every` for a read of many rows, ZP).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    String,
    Table,
    and_,
    bindparam,
    func,
    insert,
    literal,
    null,
    select,
    update,
)
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Insert, Select, Update
from sqlalchemy.sql.elements import BindParameter

from bot.messages import Incoming
from bot.storage import people, state
from bot.storage.held import Held
from bot.storage.inline import InlineConnection
from bot.storage.prepared import ROWS_AT_ONCE, Prepared, Statement, listed, prepared_for

if TYPE_CHECKING:
    from bot.messages import Incoming

# The tables, not the mapped classes: a statement on a mapped class goes through
# the ORM's execution path (bulk persistence, entity loading) even when it only
# moves columns, at several times the cost.
_states: Table = state.ConversationState.__table__  # type: ignore[assignment]
_events: Table = state.ProcessedEvent.__table__  # type: ignore[assignment]
_identities: Table = people.ChatIdentity.__table__  # type: ignore[assignment]
_people: Table = people.Person.__table__  # type: ignore[assignment]
_memberships: Table = people.Membership.__table__  # type: ignore[assignment]
_organisations: Table = people.Organisation.__table__  # type: ignore[assignment]

_one = select(literal(1).label("one")).subquery("one")
_platform: BindParameter[str] = bindparam("platform", type_=String())
_chat: BindParameter[str] = bindparam("chat", type_=String())
_user: BindParameter[str] = bindparam("user", type_=String())

SEEN = select(_events.c.replies).where(
    _events.c.platform == bindparam("event_platform"),
    _events.c.event_id == bindparam("event"),
)
"""The replies stored for an event already handled (none: a new event)."""

_earlier = _memberships.alias("earlier")
_FIRST_MEMBERSHIP = (
    select(func.min(_earlier.c.id)).where(_earlier.c.person_id == _people.c.id).scalar_subquery()
)
"""The person's first membership (the oldest); none: NULLs.  Joined by its id, so the query
reads one row by construction: it was every membership sorted to keep the first (``ORDER BY
… LIMIT 1``), and SQLite's sorter, opened at every turn for one row, was about a third of the
query's own work (100,000 → 70,000 instructions, MA)."""

LOAD = (
    select(
        SEEN.scalar_subquery().label("seen"),
        _states.c.id.label("state_id"),
        _states.c.flow,
        _states.c.step,
        _states.c.data,
        _states.c.version,
        _states.c.expires_at,
        _identities.c.id.label("identity_id"),
        _identities.c.chat_id.label("identity_chat"),
        _identities.c.blocked_at.label("identity_blocked"),
        _people.c.id.label("person_id"),
        _people.c.display_name.label("person_name"),
        _memberships.c.role,
        _organisations.c.id.label("organisation_id"),
        _organisations.c.name.label("organisation_name"),
        _organisations.c.timezone,
    )
    .select_from(_one)
    .outerjoin(
        _states,
        and_(
            _states.c.platform == _platform,
            _states.c.chat_id == _chat,
            _states.c.user_id == _user,
        ),
    )
    .outerjoin(
        _identities, and_(_identities.c.platform == _platform, _identities.c.user_id == _user)
    )
    .outerjoin(_people, _people.c.id == _identities.c.person_id)
    .outerjoin(_memberships, _memberships.c.id == _FIRST_MEMBERSHIP)
    .outerjoin(_organisations, _organisations.c.id == _memberships.c.organisation_id)
)

MOVE_IDENTITY = (
    update(_identities)
    .where(_identities.c.id == bindparam("identity"))
    .values(chat_id=bindparam("new_chat"), blocked_at=null())
)
"""A person writing from another private chat, or from one where the bot was blocked: their
replies go there from now on, and what the bot says first too (explorer ID3: someone who had
blocked the bot once and come back got no digest, reminder or notice again)."""

STATE_VALUES = ("flow", "step", "data", "version", "expires_at", "updated_at")
"""What a turn writes in the state row, bound as ``new_<name>``."""

CREATE_STATE = insert(_states).values(
    platform=_platform,
    chat_id=_chat,
    user_id=_user,
    **{name: bindparam(f"new_{name}") for name in STATE_VALUES},
)

SAVE_STATE = (
    update(_states)
    .where(
        _states.c.id == bindparam("state_id"),
        _states.c.version == bindparam("seen_version"),
    )
    .values(**{name: bindparam(f"new_{name}") for name in STATE_VALUES})
)

_RECORDED = {
    "platform": "event_platform",
    "event_id": "event",
    "processed_at": "processed_at",
    "replies": "event_replies",
}
"""The columns of the event's row and the parameters that fill them."""

RECORD = insert(_events).values(**{column: bindparam(name) for column, name in _RECORDED.items()})


def _recorded_after(state: Insert | Update) -> Insert:
    """RECORD and the state's write in one statement (PostgreSQL: a write in a ``WITH``).

    The event is recorded only if the state was written: a version that
    moved on records nothing, and the row count says so (0).
    """
    written = state.returning(_states.c.id).cte("written")
    values = select(
        *(bindparam(name, type_=_events.c[column].type) for column, name in _RECORDED.items())
    ).select_from(written)
    return insert(_events).from_select(list(_RECORDED), values)


RECORDED_AFTER = {
    SAVE_STATE: _recorded_after(SAVE_STATE),
    CREATE_STATE: _recorded_after(CREATE_STATE),
}
"""The turn's last write in one statement, for each way of writing the state."""

STATEMENTS = (LOAD, SAVE_STATE, RECORD)
"""What a turn in the middle of a dialogue sends (``bench.turns`` replays them bare)."""


class TurnRows:
    """What :func:`on` gives, on every path: a read, a write, and the turn's last writes."""

    async def one(self, statement: Statement, params: Mapping[str, Any]) -> Mapping[str, Any]:
        raise NotImplementedError

    async def write(self, statement: Statement, params: Mapping[str, Any]) -> int:
        raise NotImplementedError

    async def every(
        self, statement: Select[Any], params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """Every row ``statement`` reads, as tuples: for a step's read of many short rows
        (:func:`bot.formations.queries.namesakes`), where SQLAlchemy's result and row objects
        cost more than the rows themselves."""
        raise NotImplementedError

    async def inserted(
        self, statement: Insert, rows: Sequence[Mapping[str, Any]]
    ) -> list[tuple[Any, ...]]:
        """What ``statement`` (``insert(table).returning(…)``, no values) returns for ``rows``
        (each naming the same columns), sent as one multi-row ``INSERT``: a saving turn's
        trainees (:func:`bot.storage.formations.insert_new`), whose execution through
        SQLAlchemy (its batching of the rows, its result) was a quarter of that turn (AP).
        In no set order."""
        raise NotImplementedError

    async def finish(
        self, state: Insert | Update, state_params: Mapping[str, Any], event: Mapping[str, Any]
    ) -> bool:
        """The turn's last writes: the state, then the event with its replies (:data:`RECORD`).

        False, and nothing recorded, when the state's version moved on (a
        concurrent writer: the engine starts the turn over).
        """
        if await self.write(state, state_params) != 1:
            return False
        await self.write(RECORD, event)
        return True


class Rows(TurnRows):
    """The engine's statements on one connection, through SQLAlchemy Core."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def one(self, statement: Statement, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The one row ``statement`` reads."""
        return dict((await self.connection.execute(statement, params)).one()._mapping)

    async def write(self, statement: Statement, params: Mapping[str, Any]) -> int:
        """Run ``statement``; how many rows it changed."""
        return (await self.connection.execute(statement, params)).rowcount

    async def every(
        self, statement: Select[Any], params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in (await self.connection.execute(statement, params)).all()]

    async def inserted(
        self, statement: Insert, rows: Sequence[Mapping[str, Any]]
    ) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in (await self.connection.execute(statement, rows)).all()]


class DirectRows(TurnRows):
    """The same statements straight to the driver, on the turn's very connection.

    Whatever listens to SQLAlchemy's ``before_cursor_execute`` on the engine
    (the tests' statement counter, the plan checks, ``bench.turns``) still
    sees each statement (with the SQLAlchemy connection if the turn made
    one, else None), and a driver error comes out as SQLAlchemy's (an
    ``IntegrityError`` starts the turn over, as on the Core path), its
    parameters hidden: they may quote what a person typed.  A subclass says
    how its driver runs a statement.
    """

    def __init__(
        self,
        dbapi: Any,
        dialect: Dialect,
        events: Engine | Connection,
        sync: Callable[[], Connection | None],
    ) -> None:
        self.dbapi = dbapi
        """The driver's connection (SQLite's), or SQLAlchemy's adapter of it (asyncpg's)."""
        self.dialect = dialect
        self.events = events
        self.sync = sync

    error: type[Exception] = Exception
    """What the driver raises for a failed statement."""

    inline = False
    """The driver's cursor runs a statement by a plain call (SQLite's): :meth:`_run` calls it
    without the coroutine of :meth:`_execute` (three a turn, AQ)."""

    async def _execute(self, cursor: Any, sql: str, values: tuple[Any, ...]) -> None:
        raise NotImplementedError

    def _cursor(self) -> Any:
        return self.dbapi.cursor()

    async def _run(self, statement: Statement, params: Mapping[str, Any]) -> tuple[Prepared, Any]:
        prepared = prepared_for(statement, self.dialect)
        values = prepared.values(params)
        cursor = self._cursor()
        listeners = self.events.dispatch.before_cursor_execute
        if listeners:
            listeners(self.sync(), cursor, prepared.sql, values, None, False)
        try:
            if self.inline:
                cursor.execute(prepared.sql, values)
            else:
                await self._execute(cursor, prepared.sql, values)
        except self.error as exc:
            raise DBAPIError.instance(
                prepared.sql, values, exc, self.error, hide_parameters=True, dialect=self.dialect
            ) from exc
        return prepared, cursor

    async def one(self, statement: Statement, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The one row ``statement`` reads."""
        prepared, cursor = await self._run(statement, params)
        raw = cursor.fetchall()
        if len(raw) != 1:
            raise ValueError(f"one row expected, {len(raw)} read")
        return prepared.row(tuple(raw[0]))

    async def write(self, statement: Statement, params: Mapping[str, Any]) -> int:
        """Run ``statement``; how many rows it changed."""
        count: int = (await self._run(statement, params))[1].rowcount
        return count

    async def every(
        self, statement: Select[Any], params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        prepared, cursor = await self._run(statement, params)
        return prepared.tuples(cursor.fetchall())

    async def inserted(
        self, statement: Insert, rows: Sequence[Mapping[str, Any]]
    ) -> list[tuple[Any, ...]]:
        """As many rows a statement as :data:`ROWS_AT_ONCE` (more: several statements)."""
        found: list[tuple[Any, ...]] = []
        for first in range(0, len(rows), ROWS_AT_ONCE):
            page = rows[first : first + ROWS_AT_ONCE]
            params = {
                f"{key}__{n}": value for n, row in enumerate(page) for key, value in row.items()
            }
            prepared, cursor = await self._run(listed(statement, tuple(page[0]), len(page)), params)
            found += prepared.tuples(cursor.fetchall())
        return found


class InlineRows(DirectRows):
    """On a SQLite file: its cursor, called in the loop's thread (:class:`InlineConnection`)."""

    error = sqlite3.Error
    inline = True

    _turns_cursor: sqlite3.Cursor | None = None

    def _cursor(self) -> sqlite3.Cursor:
        """One cursor for all the statements of the turn: each is read whole, or its count
        taken, before the next runs; a cursor made and freed for each was some 4,000
        instructions (NA)."""
        if self._turns_cursor is None:
            self._turns_cursor = self.dbapi.cursor()
        return self._turns_cursor


class AdaptedRows(DirectRows):
    """On PostgreSQL: the coroutine SQLAlchemy's asyncpg cursor awaits, awaited here.

    It prepares each statement once per connection, gives asyncpg's errors
    the adapter's classes and opens the transaction when the connection is
    not in ``autocommit``: what SQLAlchemy's path does, without its
    execution context, result object and greenlet.  A turn's reads run
    alone until something writes (:meth:`bot.storage.db.Database.turn`):
    :meth:`write` opens the transaction, :meth:`finish` joins it if open.
    """

    def __init__(self, adapted: Any, *args: Any) -> None:
        super().__init__(adapted, *args)
        self.error = adapted.dbapi.Error

    async def _execute(self, cursor: Any, sql: str, values: tuple[Any, ...]) -> None:
        await cursor._prepare_and_execute(sql, values)

    async def write(self, statement: Statement, params: Mapping[str, Any]) -> int:
        """Run ``statement`` in the turn's transaction, opened here if it is not yet."""
        self.dbapi.autocommit = False
        return await super().write(statement, params)

    async def one(self, statement: Statement, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A read alone, as :meth:`write` says; a write's row (``RETURNING``) in the
        transaction: a formation saved by a turn that opens no session (BA)."""
        if not isinstance(statement, Select):
            self.dbapi.autocommit = False
        return await super().one(statement, params)

    async def inserted(
        self, statement: Insert, rows: Sequence[Mapping[str, Any]]
    ) -> list[tuple[Any, ...]]:
        """In the turn's transaction, as :meth:`write`."""
        self.dbapi.autocommit = False
        return await super().inserted(statement, rows)

    async def finish(
        self, state: Insert | Update, state_params: Mapping[str, Any], event: Mapping[str, Any]
    ) -> bool:
        """The state and the event in one statement: one exchange instead of two.

        Atomic by itself: run alone when nothing in the turn wrote before it
        (:meth:`bot.storage.db.Database.turn`), else in the turn's transaction.
        """
        statement = RECORDED_AFTER[state]
        count: int = (await self._run(statement, {**state_params, **event}))[1].rowcount
        return count == 1


def on(target: Held | AsyncConnection) -> TurnRows:
    """The way to run the engine's statements on a turn's connection (in its transaction).

    A turn's :class:`~bot.storage.held.Held` on the direct path, or a
    checked-out connection whose driver is inline: straight to the driver
    (no await needed to reach it); anything else through Core.
    """
    if isinstance(target, Held):
        engine = target.engine.sync_engine
        if target.sqlite is not None:
            return InlineRows(target.sqlite, engine.dialect, engine, lambda: target.sync_connection)
        if target.adapted is not None:
            return AdaptedRows(
                target.adapted, engine.dialect, engine, lambda: target.sync_connection
            )
        return Rows(target.connection)
    sync = target.sync_connection
    raw = sync.connection.driver_connection if sync is not None else None
    if sync is not None and isinstance(raw, InlineConnection):
        return InlineRows(raw.sqlite, target.dialect, sync, lambda: sync)
    return Rows(target)


def chat_key(incoming: Incoming) -> dict[str, Any]:
    """The parameters naming a conversation in these statements."""
    platform, chat, user = incoming.key
    return {"platform": platform, "chat": chat, "user": user}


def event_key(incoming: Incoming) -> dict[str, Any]:
    """The parameters naming an event in these statements."""
    return {"event_platform": incoming.platform.value, "event": incoming.event_id}
