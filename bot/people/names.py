"""What a person's or an organisation's name must look like when typed."""

from __future__ import annotations

from bot import texts
from bot.answers import Invalid, clean_line


def person_name(text: str, *, example: str) -> str | Invalid:
    """A person's name as typed (one line, with letters); ``example`` shows one in the re-ask."""
    name = clean_line(text, limit=100)
    if isinstance(name, Invalid):
        return name
    if not any(ch.isalpha() for ch in name):
        return Invalid(texts.say("onboarding.name_needs_letters", example=example))
    return name


def organisation_name(text: str) -> str | Invalid:
    name = clean_line(text, limit=120)
    if isinstance(name, Invalid):
        return name
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return Invalid(texts.say("onboarding.org_name_too_short"))
    return name
