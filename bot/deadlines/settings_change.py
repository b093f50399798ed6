"""What an admin changes with ``/reglages``: one setting, its default back, the digest's chat.

Each write takes the session, the admin who acts and the organisation,
stores the change, adds its audit entry in the caller's transaction and,
for a setting, recomputes every deadline of the organisation at once, so the
admin is told how many were added, moved or removed.

- :func:`change_setting` stores a value checked against its catalogue's
  bounds (:class:`bot.rules.SettingError` otherwise, nothing stored);
- :func:`reset_setting` removes the organisation's value: the default holds;
- :func:`choose_digest_chat` sends the daily digest to one chat (a group:
  counts only, no trainee named) or, with ``None``, to each admin in private.

Values live in ``Organisation.settings`` (see :mod:`bot.deadlines.org_settings`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines import org_settings
from bot.deadlines.service import refresh_organisation
from bot.rules import Setting
from bot.storage import audit
from bot.storage.people import Organisation


@dataclass(frozen=True)
class SettingChanged:
    """A setting once saved: the value in force, and what its recomputation changed."""

    value: object
    added: int
    moved: int
    removed: int


async def organisation(session: AsyncSession, organisation_id: int) -> Organisation | None:
    """The organisation whose settings are shown."""
    return await session.get(Organisation, organisation_id)


async def change_setting(
    session: AsyncSession,
    actor_id: int,
    organisation_id: int,
    spec: Setting,
    value: object | None,
    *,
    digest_default: int,
) -> SettingChanged | None:
    """Store ``value`` for ``spec`` (``None``: back to the default) and recompute.

    Raises :class:`bot.rules.SettingError` when ``value`` is outside the
    setting's bounds or choices.  ``digest_default`` is the digest hour in
    force when the organisation chose none (``FORMABOT_DIGEST_HOUR``).
    ``None`` if the organisation no longer exists.
    """
    found = await organisation(session, organisation_id)
    if found is None:
        return None
    before = org_settings.value_of(found, spec, digest_default=digest_default)
    org_settings.store(found, spec, None if value is None else spec.check(value))
    refreshed = await refresh_organisation(session, organisation_id)
    audit.record(  # what it was and what it is, in words: why a deadline moved (explorer AP6)
        session,
        organisation_id=organisation_id,
        actor_id=actor_id,
        action="setting",
        entity="organisation",
        entity_id=organisation_id,
        key=spec.key,
        label=spec.label,
        before=org_settings.shown(before, spec),
        after=org_settings.shown(
            org_settings.value_of(found, spec, digest_default=digest_default), spec
        ),
    )
    return SettingChanged(
        value=org_settings.value_of(found, spec, digest_default=digest_default),
        added=len(refreshed.added),
        moved=len(refreshed.moved),
        removed=len(refreshed.removed),
    )


async def reset_setting(
    session: AsyncSession,
    actor_id: int,
    organisation_id: int,
    spec: Setting,
    *,
    digest_default: int,
) -> SettingChanged | None:
    """Remove the organisation's value for ``spec``: its default holds again."""
    return await change_setting(
        session, actor_id, organisation_id, spec, None, digest_default=digest_default
    )


async def choose_digest_chat(
    session: AsyncSession,
    actor_id: int,
    organisation_id: int,
    chat: str | None,
    *,
    group: bool,
) -> Organisation | None:
    """Send the daily digest to ``chat`` (``platform:chat id``), or ``None``: to each admin.

    ``group`` says whether the chat that asked is a group (kept in the audit
    entry; the address itself is not).
    """
    found = await organisation(session, organisation_id)
    if found is None:
        return None
    found.digest_chat = chat
    audit.record(
        session,
        organisation_id=organisation_id,
        actor_id=actor_id,
        action="digest_destination",
        entity="organisation",
        entity_id=organisation_id,
        group=group,
    )
    await session.flush()
    return found
