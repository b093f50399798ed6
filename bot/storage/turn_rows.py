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

from sqlalchemy import String, and_, bindparam, insert, literal, select, update
from sqlalchemy.sql.elements import BindParameter

from bot.storage.people import ChatIdentity, Membership, Organisation, Person
from bot.storage.state import ConversationState, ProcessedEvent

_one = select(literal(1).label("one")).subquery("one")
_platform: BindParameter[str] = bindparam("platform", type_=String())
_chat: BindParameter[str] = bindparam("chat", type_=String())
_user: BindParameter[str] = bindparam("user", type_=String())

SEEN = select(ProcessedEvent.replies).where(
    ProcessedEvent.platform == bindparam("event_platform"),
    ProcessedEvent.event_id == bindparam("event"),
)
"""The replies stored for an event already handled (none: a new event)."""

LOAD = (
    select(
        SEEN.scalar_subquery().label("seen"),
        ConversationState.id.label("state_id"),
        ConversationState.flow,
        ConversationState.step,
        ConversationState.data,
        ConversationState.version,
        ConversationState.expires_at,
        ChatIdentity.id.label("identity_id"),
        ChatIdentity.chat_id.label("identity_chat"),
        Person.id.label("person_id"),
        Person.display_name.label("person_name"),
        Membership.role,
        Organisation.id.label("organisation_id"),
        Organisation.name.label("organisation_name"),
        Organisation.timezone,
    )
    .select_from(_one)
    .outerjoin(
        ConversationState,
        and_(
            ConversationState.platform == _platform,
            ConversationState.chat_id == _chat,
            ConversationState.user_id == _user,
        ),
    )
    .outerjoin(
        ChatIdentity, and_(ChatIdentity.platform == _platform, ChatIdentity.user_id == _user)
    )
    .outerjoin(Person, Person.id == ChatIdentity.person_id)
    .outerjoin(Membership, Membership.person_id == Person.id)
    .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
    # The first membership (the oldest), as before; no membership: one row of NULLs.
    .order_by(Membership.id.is_(None), Membership.id)
    .limit(1)
)

MOVE_IDENTITY = (
    update(ChatIdentity)
    .where(ChatIdentity.id == bindparam("identity"))
    .values(chat_id=bindparam("new_chat"))
)
"""A person writing from another private chat: their replies go there from now on."""

STATE_VALUES = ("flow", "step", "data", "version", "expires_at", "updated_at")
"""What a turn writes in the state row, bound as ``new_<name>``."""

CREATE_STATE = insert(ConversationState).values(
    platform=_platform,
    chat_id=_chat,
    user_id=_user,
    **{name: bindparam(f"new_{name}") for name in STATE_VALUES},
)

SAVE_STATE = (
    update(ConversationState)
    .where(
        ConversationState.id == bindparam("state_id"),
        ConversationState.version == bindparam("seen_version"),
    )
    .values(**{name: bindparam(f"new_{name}") for name in STATE_VALUES})
)

RECORD = insert(ProcessedEvent).values(
    platform=bindparam("event_platform"),
    event_id=bindparam("event"),
    replies=bindparam("event_replies"),
)
