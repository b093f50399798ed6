"""Organisations, the people in them, and how each person is reached in chat.

One person may talk to the bot from several platforms; a chat identity is
what a transport knows (platform + user id) and points at the person.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base, JSONDict, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    FORMATEUR = "formateur"


DEFAULT_TIMEZONE = "Europe/Paris"


def zone_of(organisation: Organisation | None) -> ZoneInfo:
    """The organisation's time zone; Paris when none is known or the stored name is unknown."""
    return zone_named(organisation.timezone if organisation else None)


def zone_named(name: str | None) -> ZoneInfo:
    """The time zone of this stored name (an organisation's column read alone); Paris when
    there is none or it is unknown."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ValueError, KeyError):
        return ZoneInfo(DEFAULT_TIMEZONE)


class Organisation(Base):
    """An organisme de formation.

    ``founding`` is true on the one organisation created by ``/start`` on an
    empty database, null on any other: its unique index lets only one
    ``/start`` win when two people finish it at the same moment.
    """

    __tablename__ = "organisations"
    __table_args__ = (Index("uq_organisations_founding", "founding", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONDict, default=dict)
    digest_chat: Mapped[str | None] = mapped_column(String(200))
    """``platform:chat`` of the group or DM that receives the daily digest."""
    founding: Mapped[bool | None] = mapped_column(Boolean)
    """True on the organisation ``/start`` created first; null on every other."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    digest_next_at: Mapped[datetime | None] = mapped_column(index=True)
    """When the daily digest job has something to look at next (UTC): the next digest
    hour once today's is done, or sooner when a deadline inside its window changed;
    null until the first.  The scheduler's digest finds what is due by this index."""
    digest_told_at: Mapped[datetime | None] = mapped_column()
    """When its last digest was queued (the digest hour's moment, UTC): the next one tells
    what was missed before a bilan, and the messages given up, since then, however late it
    goes out or however many days were skipped (explorer QC7); null before the first."""
    rules_version: Mapped[str | None] = mapped_column(String(16), index=True)
    """The fingerprint of the rules its stored deadlines were computed with: a new
    version of the rules is applied organisation by organisation, in the background."""


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    address_form: Mapped[str | None] = mapped_column(String(10))
    """"f", "m" or "n" (neither): how to agree the words that name this person; asked once."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    identities: Mapped[list[ChatIdentity]] = relationship(back_populates="person")


class ChatIdentity(Base):
    __tablename__ = "chat_identities"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(255))
    chat_id: Mapped[str] = mapped_column(String(255))
    """The private chat where the bot can write to this person first."""
    blocked_at: Mapped[datetime | None] = mapped_column()
    """Set when the platform says the person blocked the bot: stop retrying."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="identities")


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organisation_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    person: Mapped[Person] = relationship()


class Invitation(Base):
    """A one-time code that makes its holder a formateur (or admin) of an organisation.

    Only the SHA-256 of the code is stored: a leaked database cannot be used
    to join.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.FORMATEUR.value)
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column()


DEMO_ORGANISATION = "Organisme de démonstration"
"""The demo's organisation (:mod:`bot.demo`), named here for the checks of every start."""


async def only_the_demo(session: AsyncSession) -> bool:
    """Whether the base's organisations are the demo's alone: a bot put on a network so
    turns every newcomer away (« demandez une invitation à votre organisme »)."""
    names = set((await session.scalars(select(Organisation.name))).all())
    return names == {DEMO_ORGANISATION}


async def no_organisation(session: AsyncSession) -> bool:
    """An empty base: what ``formabot run`` without a token fills with the demo (a check
    that needs none of the demo's modules, which every start would otherwise import)."""
    return await session.scalar(select(Organisation.id).limit(1)) is None


async def check_organisation(session: AsyncSession, wanted: int | None) -> None:
    """A French :class:`LookupError` naming the organisations there are, when ``--organisation
    wanted`` names none (explorer AM10: an empty file, code 0, where « --formation 99 » is
    refused)."""
    if wanted is None or await session.get(Organisation, wanted) is not None:
        return
    found = (await session.execute(select(Organisation.id, Organisation.name))).all()
    listed = ", ".join(f"{i} ({name})" for i, name in found[:10]) or "aucun"
    raise LookupError(f"Organisme {wanted} introuvable. Organismes : {listed}.")
