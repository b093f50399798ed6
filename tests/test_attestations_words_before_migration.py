"""Migration 0041: an answer keeps the words its participant wrote under the text before it.

Upgrade to 0040, store an attestation as the schema then held it, upgrade to head: it has
no words before it, and the database still refuses to rewrite it, its new column included
(explorer GB5: the words, unsigned, are evidence all the same).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.storage.attestations import Attestation
from bot.storage.base import UTCDateTime
from bot.storage.db import Database
from tests.auxil.migrations import empty, old_formation, upgrade

__all__ = ["empty"]

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
OLD_BILANS = sa.table(
    "bilans",
    *(sa.column(n) for n in ("id", "organisation_id", "formation_id", "kind", "remote")),
    sa.column("sequence"),
    *(sa.column(n, UTCDateTime()) for n in ("starts_at", "ends_at", "created_at")),
)
OLD_PARTICIPANTS = sa.table(
    "bilan_participants",
    *(sa.column(n) for n in ("id", "bilan_id", "kind", "name")),
    sa.column("created_at", UTCDateTime()),
)
OLD_ATTESTATIONS = sa.table(
    "attestations",
    *(
        sa.column(n)
        for n in (
            "organisation_id",
            "bilan_id",
            "participant_id",
            "version",
            "answer",
            "typed_name",
            "role",
            "text",
            "text_sha256",
            "platform",
            "chat_user_id",
            "chat_id",
        )
    ),
    sa.column("name_matches", sa.Boolean()),
    sa.column("role_matches", sa.Boolean()),
    sa.column("answered_at", UTCDateTime()),
)
"""The columns of 0040's attestations, without the model's new one."""


async def test_an_old_answer_has_no_words_before_it_and_stays_frozen(empty: Database) -> None:
    await upgrade(empty, "0040_entretien_cancel")
    async with empty.sessions() as session, session.begin():
        old = await old_formation(session, at=NOW)
        await session.execute(
            sa.insert(OLD_BILANS).values(
                id=1,
                organisation_id=old.organisation,
                formation_id=old.formation,
                kind="fin",
                remote=True,
                sequence=0,
                starts_at=NOW - timedelta(hours=2),
                ends_at=NOW - timedelta(hours=1),
                created_at=NOW - timedelta(days=3),
            )
        )
        await session.execute(
            sa.insert(OLD_PARTICIPANTS).values(
                id=1, bilan_id=1, kind="delegate", name="Léa Martin", created_at=NOW
            )
        )
        await session.execute(
            sa.insert(OLD_ATTESTATIONS).values(
                organisation_id=old.organisation,
                bilan_id=1,
                participant_id=1,
                version=1,
                answer="attested",
                typed_name="Léa Martin",
                role="delegate",
                text="Je soussignée Léa Martin …",
                text_sha256="a" * 64,
                platform="console",
                chat_user_id="lea",
                chat_id="lea",
                name_matches=True,
                role_matches=True,
                answered_at=NOW,
            )
        )
    await upgrade(empty, "head")
    async with empty.sessions() as session:
        [row] = (await session.scalars(select(Attestation))).all()
        assert (row.typed_name, row.words_before) == ("Léa Martin", None)
    for column in ("typed_name", "words_before"):
        with pytest.raises(DBAPIError, match="attestation figée"):
            async with empty.sessions() as session, session.begin():
                await session.execute(text(f"UPDATE attestations SET {column} = 'réécrit'"))
