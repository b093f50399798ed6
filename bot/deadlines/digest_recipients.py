"""Who receives an organisation's daily digest: its digest chat, else each admin in private.

Read for a whole chunk of organisations at once (:mod:`bot.deadlines.digest`): each
kind of row in one query (the admins, their private chats, which digest chats are
someone's private chat, so that a group is never shown names).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.people import ChatIdentity, Membership, Organisation, Role


@dataclass(frozen=True)
class Recipient:
    key: str
    platform: str
    chat_id: str
    private: bool
    user: str | None = None
    """The admin's account, when it is her own copy (the digest's room is everyone's)."""


async def private_chats(
    session: AsyncSession, person_ids: Iterable[int]
) -> dict[int, ChatIdentity]:
    """Each person's first private chat the bot may still write to, in one query."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    found: dict[int, ChatIdentity] = {}
    rows = await session.scalars(
        select(ChatIdentity).where(
            ChatIdentity.person_id.in_(wanted), ChatIdentity.blocked_at.is_(None)
        )
    )
    # Ordered here: with ``ORDER BY id`` SQLite, once ANALYZE had run, read the whole table
    # in id order rather than sort a few rows found by ``person_id``'s index (issue 14).
    for identity in sorted(rows.all(), key=lambda i: i.id):
        found.setdefault(identity.person_id, identity)
    return found


async def admins_of(
    session: AsyncSession, organisations: Sequence[Organisation]
) -> dict[int, list[int]]:
    """Each organisation's admins, in one query: they get the digest when no digest chat was
    chosen (the others are not asked)."""
    wanted = [o.id for o in organisations if not o.digest_chat]
    if not wanted:
        return {}
    found: dict[int, list[int]] = {}
    for organisation_id, person_id in (
        await session.execute(
            select(Membership.organisation_id, Membership.person_id)
            .where(
                Membership.organisation_id.in_(wanted),
                Membership.role == Role.ADMIN.value,
            )
            .order_by(Membership.person_id)
        )
    ).all():
        found.setdefault(int(organisation_id), []).append(int(person_id))
    return found


def digest_address(platform: str, chat_id: str) -> str:
    """How ``Organisation.digest_chat`` keeps a chat (``platform:chat id``), read back by
    :func:`digest_chat_of`."""
    return f"{platform}:{chat_id}"


def digest_chat_of(organisation: Organisation) -> tuple[str, str] | None:
    """(platform, chat id) of the chat an admin chose for the digest, if any."""
    if organisation.digest_chat and ":" in organisation.digest_chat:
        platform, _, chat_id = organisation.digest_chat.partition(":")
        return platform, chat_id
    return None


async def known_private(
    session: AsyncSession, organisations: Sequence[Organisation]
) -> set[tuple[str, str]]:
    """The digest chats that are someone's private chat (they may show details; any other
    is a group), in one query."""
    chats = {chat for o in organisations if (chat := digest_chat_of(o)) is not None}
    if not chats:
        return set()
    found = await session.execute(
        select(ChatIdentity.platform, ChatIdentity.chat_id).where(
            ChatIdentity.platform.in_(sorted({platform for platform, _ in chats})),
            ChatIdentity.chat_id.in_(sorted({chat_id for _, chat_id in chats})),
        )
    )
    return {(str(platform), str(chat_id)) for platform, chat_id in found.all()} & chats


def recipients(
    organisation: Organisation,
    base: str,
    admins: Sequence[int],
    chats: dict[int, ChatIdentity],
    private: set[tuple[str, str]],
) -> list[Recipient]:
    """The digest chat, else each admin's private chat (all looked up with the chunk)."""
    chat = digest_chat_of(organisation)
    if chat is not None:
        return [Recipient(base, chat[0], chat[1], chat in private)]
    return [
        Recipient(
            f"{base}:person:{person_id}",
            identity.platform,
            identity.chat_id,
            True,
            identity.user_id,
        )
        for person_id in admins
        if (identity := chats.get(person_id)) is not None
    ]
