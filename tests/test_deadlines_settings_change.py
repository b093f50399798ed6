"""What an admin changes with /reglages, called directly: stored, recomputed, audited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines import org_settings
from bot.deadlines.settings_change import (
    SettingChanged,
    change_setting,
    choose_digest_chat,
    organisation,
    reset_setting,
)
from bot.rules import SETTINGS, SettingError
from bot.storage.audit import AuditEntry
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.people import Organisation
from tests.test_deadlines import bilan, formation, paris
from tests.test_deadlines import organisation as new_organisation

DOCS = next(s for s in SETTINGS if s.key == "nor_docs_hours_before")
TABLE = next(s for s in SETTINGS if s.key == "cvl_table_parcours_metiers")
ROUNDING = next(s for s in SETTINGS if s.key == "rec_vacation_rounding")


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.sessions() as s, s.begin():
        yield s


async def with_bilan(session: AsyncSession) -> tuple[Organisation, int]:
    org, owner = await new_organisation(session)
    f = await formation(session, org, owner)
    await bilan(session, f, paris(2026, 11, 26, 14))
    return org, owner.id


async def docs_due(session: AsyncSession) -> datetime | None:
    return await session.scalar(
        select(StoredDeadline.due_at).where(StoredDeadline.rule_id == "NOR-DOCS")
    )


async def trail(session: AsyncSession) -> list[tuple[str, int | None, dict[str, object]]]:
    entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    return [(e.action, e.entity_id, e.details) for e in entries]


async def test_a_setting_is_stored_and_the_deadlines_recomputed(session: AsyncSession) -> None:
    org, admin = await with_bilan(session)
    changed = await change_setting(session, admin, org.id, DOCS, 72, digest_default=8)
    # The first recomputation adds the bilan's six deadlines, NOR-DOCS already 72 h before.
    assert changed == SettingChanged(value=72, added=6, moved=0, removed=0)
    assert org.settings == {"nor_docs_hours_before": 72}
    assert await docs_due(session) == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    changed = await change_setting(session, admin, org.id, DOCS, 96, digest_default=8)
    assert changed == SettingChanged(value=96, added=0, moved=1, removed=0)
    assert await docs_due(session) == datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
    # What it was and what it is, in words (explorer AP6: the key alone).
    label = "Bilan pédagogique à la personne chargée de mission (heures avant le bilan)"
    assert await trail(session) == [
        (
            "setting",
            org.id,
            {"key": "nor_docs_hours_before", "label": label, "before": "48", "after": "72"},
        ),
        (
            "setting",
            org.id,
            {"key": "nor_docs_hours_before", "label": label, "before": "72", "after": "96"},
        ),
    ]


async def test_a_value_out_of_bounds_is_refused_and_nothing_stored(
    session: AsyncSession,
) -> None:
    org, admin = await with_bilan(session)
    for bad in (24, 337, "beaucoup"):
        with pytest.raises(SettingError):
            await change_setting(session, admin, org.id, DOCS, bad, digest_default=8)
    with pytest.raises(SettingError):
        await change_setting(session, admin, org.id, ROUNDING, "sideways", digest_default=8)
    assert org.settings == {}
    assert await trail(session) == []


async def test_reset_brings_the_default_back_and_removes_what_it_added(
    session: AsyncSession,
) -> None:
    org, admin = await with_bilan(session)
    await change_setting(session, admin, org.id, TABLE, True, digest_default=8)
    assert org.settings == {"cvl_table_parcours_metiers": True}
    changed = await reset_setting(session, admin, org.id, DOCS, digest_default=8)
    assert changed is not None and changed.value == 48
    assert org.settings == {"cvl_table_parcours_metiers": True}
    changed = await reset_setting(session, admin, org.id, TABLE, digest_default=8)
    assert changed == SettingChanged(value=False, added=0, moved=0, removed=0)
    assert org.settings == {}
    assert [action for action, _, _ in await trail(session)] == ["setting"] * 3


async def test_the_digest_hour_in_force_falls_back_on_the_configured_one(
    session: AsyncSession,
) -> None:
    org, admin = await with_bilan(session)
    spec = org_settings.DIGEST_HOUR
    changed = await reset_setting(session, admin, org.id, spec, digest_default=6)
    assert changed is not None and changed.value == 6
    changed = await change_setting(session, admin, org.id, spec, 7, digest_default=6)
    assert changed is not None and changed.value == 7
    assert org.settings == {"digest_hour": 7}


async def test_the_digest_goes_to_a_chat_or_back_to_each_admin(session: AsyncSession) -> None:
    org, admin = await with_bilan(session)
    assert org_settings.digest_destination(org, "console:groupe") == "private"
    found = await choose_digest_chat(session, admin, org.id, "console:groupe", group=True)
    assert found is org and org.digest_chat == "console:groupe"
    assert org_settings.digest_destination(org, "console:groupe") == "here"
    assert org_settings.digest_destination(org, "console:formateur") == "elsewhere"
    await choose_digest_chat(session, admin, org.id, None, group=False)
    assert org.digest_chat is None
    assert await trail(session) == [
        ("digest_destination", org.id, {"group": True}),
        ("digest_destination", org.id, {"group": False}),
    ]


async def test_an_organisation_gone_changes_nothing(session: AsyncSession) -> None:
    _, admin = await with_bilan(session)
    assert await organisation(session, 999) is None
    assert await change_setting(session, admin, 999, DOCS, 72, digest_default=8) is None
    assert await choose_digest_chat(session, admin, 999, None, group=False) is None
    assert await trail(session) == []
