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
"""

from __future__ import annotations

from sqlalchemy import String, Table, and_, bindparam, insert, literal, select, update
from sqlalchemy.sql.elements import BindParameter

from bot.storage import people, state

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
    .outerjoin(_memberships, _memberships.c.person_id == _people.c.id)
    .outerjoin(_organisations, _organisations.c.id == _memberships.c.organisation_id)
    # The first membership (the oldest), as before; no membership: one row of NULLs.
    .order_by(_memberships.c.id.is_(None), _memberships.c.id)
    .limit(1)
)

MOVE_IDENTITY = (
    update(_identities)
    .where(_identities.c.id == bindparam("identity"))
    .values(chat_id=bindparam("new_chat"))
)
"""A person writing from another private chat: their replies go there from now on."""

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

RECORD = insert(_events).values(
    platform=bindparam("event_platform"),
    event_id=bindparam("event"),
    replies=bindparam("event_replies"),
)
