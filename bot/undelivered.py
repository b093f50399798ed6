"""What the bot gave up sending, told to the organisation instead of lost silently.

The outbox retries for a day (:data:`bot.outbox.GIVE_UP_AFTER`); a message
still refused after that, or refused for good (the person blocked the bot),
is marked ``failed``.  Nobody reads logs in a training organisation, so the
next digest and an admin's ``/echeances`` list those messages: what it was,
to whom, and why, in words a trainer understands.  The outbox key says what
a message is about (``rappel:…``, ``attestation:invite:…``), so no extra
column is needed; the recipient's name comes from their chat identity when
the bot knows one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Person

KINDS: tuple[tuple[str, str], ...] = (
    ("digest:", "le récapitulatif des échéances"),
    ("rappel:", "un rappel d'échéance"),
    ("entretien:", "un rappel d'entretien"),
    ("attestation:invite:", "une invitation à attester"),
    ("attestation:remind:", "une relance d'attestation"),
    ("attestation:over:", "un avis de fin des attestations"),
    ("attestation:answer:", "un accusé de réception d'attestation"),
    ("attestations:mail:", "l'envoi des preuves à la personne chargée de mission"),
    ("bilan:", "une invitation au bilan"),
    ("invitation:", "une invitation à rejoindre l'organisme"),
    ("reply:", "une réponse à un message"),
)
"""Key prefix → what the message was, most specific first."""

LIST_WINDOW = timedelta(days=7)
"""How far back ``/echeances`` looks: a week, so a failure seen on Monday is still there on Friday."""


@dataclass(frozen=True)
class Undelivered:
    what: str
    to: str
    at: datetime
    """When it was meant to go (queued), not when the bot gave up (explorer AV5)."""
    blocked: bool
    """True when the platform refused for good (the person blocked the bot)."""

    def local(self, zone: tzinfo) -> Undelivered:
        """Its moment in the organisation's time (explorer AV5: « à 6 h 00 », UTC)."""
        at = self.at if self.at.tzinfo is not None else self.at.replace(tzinfo=UTC)
        return replace(self, at=at.astimezone(zone))


def kind_of(key: str) -> str:
    return next((label for prefix, label in KINDS if key.startswith(prefix)), "un message")


async def undelivered(
    session: AsyncSession, organisation_id: int, since: datetime
) -> list[Undelivered]:
    """The organisation's messages given up since ``since``, oldest first."""
    return (await undelivered_of(session, [organisation_id], since)).get(organisation_id, [])


async def undelivered_of(
    session: AsyncSession, organisation_ids: Sequence[int], since: datetime | Mapping[int, datetime]
) -> dict[int, list[Undelivered]]:
    """Each organisation's messages given up since ``since``, oldest first (none: absent).

    ``since``: one moment for all, or each organisation's own (the digest: its previous
    digest, explorer QC7).  Two queries whatever the number of organisations (the digest
    hour asks for a chunk of them at once).
    """
    if not organisation_ids:
        return {}
    given_up_at = func.coalesce(OutboxMessage.claimed_at, OutboxMessage.created_at)
    each = since if isinstance(since, Mapping) else dict.fromkeys(organisation_ids, since)
    moments: dict[datetime, list[int]] = {}
    for wanted in sorted(organisation_ids):
        moments.setdefault(each[wanted], []).append(wanted)
    recent = or_(
        *(
            and_(OutboxMessage.organisation_id.in_(ids), given_up_at >= moment)
            for moment, ids in moments.items()
        )
    )
    rows = (
        await session.execute(
            select(
                OutboxMessage.organisation_id,
                OutboxMessage.key,
                OutboxMessage.platform,
                OutboxMessage.chat_id,
                OutboxMessage.created_at,
            )
            .where(
                OutboxMessage.organisation_id.in_(list(organisation_ids)),
                OutboxMessage.status == "failed",
                recent,
            )
            .order_by(given_up_at, OutboxMessage.id)
        )
    ).all()
    if not rows:
        return {}
    chats = {chat for _, _, _, chat, _ in rows}
    known = (
        await session.execute(
            select(
                ChatIdentity.platform,
                ChatIdentity.chat_id,
                Person.display_name,
                ChatIdentity.blocked_at,
            )
            .join(Person, Person.id == ChatIdentity.person_id)
            .where(ChatIdentity.chat_id.in_(chats))
        )
    ).all()
    names: dict[tuple[str, str], str] = {}
    blocked: set[tuple[str, str]] = set()
    for platform, chat, name, blocked_at in known:
        names[(platform, chat)] = name
        if blocked_at is not None:
            blocked.add((platform, chat))
    found: dict[int, list[Undelivered]] = {}
    for organisation_id, key, platform, chat, at in rows:
        if organisation_id is None:  # never: the query names each organisation
            continue
        found.setdefault(organisation_id, []).append(
            Undelivered(
                what=kind_of(key),
                to=names.get((platform, chat)) or recipient_label(platform, chat),
                at=at,
                blocked=(platform, chat) in blocked,
            )
        )
    return found


def recipient_label(platform: str, chat: str) -> str:
    """Who, when the bot knows no name: a Matrix ID says itself; a bare number says nothing.
    « l'assistant », as every other message names it (explorer AI10: « parlé au bot »)."""
    if platform == "matrix" and chat.startswith("@"):
        return chat
    return "une personne qui n'a pas encore parlé à l'assistant"
