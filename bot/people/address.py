"""How a member asked to be addressed: "l'administratrice", "l'administrateur", or neither.

Asked once at onboarding (:mod:`bot.conversations.people.onboarding`) and
kept on the person, so that sentences naming them agree with what they
said, and use a form that needs no agreement when they chose neither.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.people import ChatIdentity, Person

FORMS = ("f", "m", "n")
"""Féminin, masculin, neither (the bot then writes forms that need no agreement)."""


async def remember_address_form(
    session: AsyncSession, *, platform: str, user_id: str, form: str
) -> None:
    """Keep the form on the person behind this chat account (nothing if there is none yet)."""
    if form not in FORMS:
        raise ValueError(f"unknown address form {form!r}")
    person = await session.scalar(
        select(Person)
        .join(ChatIdentity, ChatIdentity.person_id == Person.id)
        .where(ChatIdentity.platform == platform, ChatIdentity.user_id == user_id)
    )
    if person is not None:
        person.address_form = form
        await session.flush()


async def address_form_of(session: AsyncSession, person_id: int) -> str | None:
    person = await session.get(Person, person_id)
    return person.address_form if person is not None else None
