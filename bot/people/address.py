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

ROLE_WORDS = {
    ("admin", "f"): "administratrice",
    ("admin", "m"): "administrateur",
    ("formateur", "f"): "formatrice",
    ("formateur", "m"): "formateur",
    ("admin", ""): "administrateur ou administratrice",
    ("formateur", ""): "formateur ou formatrice",
}


def role_word(role: str, form: str | None) -> str:
    """A member's role as the person asked to be named (explorer Z, Z8: Marc, « au
    masculin », was still « formateur ou formatrice » in his data and in the admin's
    notice); both forms when they chose neither or were never asked."""
    return ROLE_WORDS.get((role, form or "")) or ROLE_WORDS.get((role, ""), role)


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
