"""The database itself refuses to rewrite an attestation (SQLite and PostgreSQL): a raw
``UPDATE`` of any signed column fails, whoever runs it; the foreign keys that are set to
NULL when a person or an invitation goes still can be."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot import demo
from bot.storage.attestations import (
    FROZEN_COLUMNS,
    SIGNED_COLUMNS,
    Attestation,
    FrozenEvidence,
)
from bot.storage.db import Database
from tests.auxil.attestations import BILAN_START, add_bilan
from tests.auxil.dialogue import Clock


async def stored_attestation(store: Database, clock: Clock) -> int:
    async with store.sessions() as session, session.begin():
        await demo.fill(session, today=clock.now.date())
    bilan_id = await add_bilan(store, start=BILAN_START)
    async with store.sessions() as session, session.begin():
        from bot.bilans.view import view_of

        info = await view_of(session, bilan_id)
        assert info is not None
        row = Attestation(
            organisation_id=info.bilan.organisation_id,
            bilan_id=bilan_id,
            participant_id=info.bilan.participants[0].id,
            answer="attested",
            typed_name="Léa Martin",
            role="delegate",
            name_matches=True,
            role_matches=True,
            text="Je soussigné(e) Léa Martin …\n",
            text_sha256="a" * 64,
            answered_at=clock.now,
            platform="console",
            chat_user_id="lea",
            chat_id="lea",
        )
        session.add(row)
        await session.flush()
        return row.id


async def test_a_raw_update_of_any_signed_column_is_refused(store: Database, clock: Clock) -> None:
    row_id = await stored_attestation(store, clock)
    # The words written before the answer too, unsigned but kept as given (explorer GB5).
    for column in FROZEN_COLUMNS:
        # Even writing the same value: the trigger fires on the column being set at all.
        with pytest.raises(DBAPIError, match="attestation figée"):
            async with store.sessions() as session, session.begin():
                await session.execute(
                    text(f"UPDATE attestations SET {column} = {column} WHERE id = :id"),
                    {"id": row_id},
                )
    with pytest.raises(DBAPIError, match="attestation figée"):
        async with store.sessions() as session, session.begin():
            await session.execute(
                text("UPDATE attestations SET typed_name = 'Zoé Martin' WHERE id = :id"),
                {"id": row_id},
            )
    async with store.sessions() as session:
        kept = await session.get(Attestation, row_id)
        assert kept is not None and kept.typed_name == "Léa Martin"


async def test_the_foreign_keys_set_to_null_still_can_be_and_the_orm_hook_stays(
    store: Database, clock: Clock
) -> None:
    row_id = await stored_attestation(store, clock)
    async with store.sessions() as session, session.begin():
        await session.execute(
            text("UPDATE attestations SET person_id = NULL, invitation_id = NULL WHERE id = :id"),
            {"id": row_id},
        )
    with pytest.raises(FrozenEvidence):
        async with store.sessions() as session, session.begin():
            row = await session.get(Attestation, row_id)
            assert row is not None
            row.reason = "réécrit"
    assert {"text", "signature", "chain_sha256", "previous_sha256"} <= set(SIGNED_COLUMNS)
    assert not {"person_id", "invitation_id"} & set(SIGNED_COLUMNS)
