"""Which chats an erasure (or a purge) in one organisation may touch.

An erasure found the copies of a trainee's name by the name alone, in every
organisation: another organisme's trainer typing an absence for her own
trainee of the same name had her dialogue closed (« les données … viennent
d'être effacées »), and its stored messages rewritten to « Personne effacée »
(explorer AI2).  The copies it touches are now those of the organisation's
own chats: its members' accounts, and the accounts that answered for the
participants erased; the outbox rows are the organisation's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.inbox import InboxUpdate
from bot.storage.matrix import MatrixEvent, MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Membership
from bot.storage.state import ConversationState, ProcessedEvent


@dataclass(frozen=True)
class Scope:
    """An organisation and the chat accounts (platform, user id) that are its own."""

    organisation_id: int
    accounts: frozenset[tuple[str, str]]
    others_events: set[tuple[str, str]] = field(default_factory=set)
    """Handled events seen to be another organisation's chats' (platform, event id), as the
    inbox and the Matrix queue are read: their stored replies are left as they are."""

    def reaches(self, row: Any) -> bool:
        """Whether ``row`` (one of the tables the transports keep) is this organisation's;
        the inbox and Matrix rows must come before the handled events (:func:`scrub`'s
        order), which are known to be another's only through them."""
        if isinstance(row, ConversationState | InboxUpdate):  # by its person, or its chat
            own = bool({(row.platform, row.user_id), (row.platform, row.chat_id)} & self.accounts)
            if not own and isinstance(row, InboxUpdate):
                self.others_events.add((row.platform, row.event_id))
            return own
        if isinstance(row, OutboxMessage):
            if row.organisation_id is not None:
                return row.organisation_id == self.organisation_id
            return (row.platform, row.chat_id) in self.accounts
        if isinstance(row, MatrixEvent):
            own = ("matrix", row.sender) in self.accounts
            if not own:
                self.others_events.add(("matrix", row.event_id))
            return own
        if isinstance(row, MatrixWelcome):
            return ("matrix", row.invitee) in self.accounts
        if isinstance(row, ProcessedEvent):
            return (row.platform, row.event_id) not in self.others_events
        return True


async def scope_of(session: AsyncSession, organisation_id: int, answering: Iterable[int]) -> Scope:
    """The organisation's members' accounts and those of the people in ``answering`` (who
    answered for the participants erased), read before those accounts are forgotten."""
    members = select(Membership.person_id).where(Membership.organisation_id == organisation_id)
    people = set((await session.scalars(members)).all()) | set(answering)
    accounts = frozenset(
        (platform, user)
        for platform, user in await session.execute(
            select(ChatIdentity.platform, ChatIdentity.user_id).where(
                ChatIdentity.person_id.in_(people)
            )
        )
    )
    return Scope(organisation_id, accounts)
