"""The chain of a bilan's answers: each record hashed with the previous one's hash, signed
by the key; any change of what it proves changes its hash; two answers at once cannot
follow the same link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.attestations import keys
from bot.attestations.chain import RECORD_KEYS, genesis, link_hash, record_of, seal
from bot.attestations.keys import SigningKey
from bot.storage.attestations import Attestation
from bot.storage.db import Database
from tests.auxil.attestations import BILAN_START

KEY = SigningKey(Ed25519PrivateKey.generate())


def answer(**changes: object) -> Attestation:
    values: dict[str, object] = {
        "bilan_id": 7,
        "participant_id": 3,
        "version": 1,
        "answer": "attested",
        "typed_name": "Léa Martin",
        "role": "delegate",
        "structure": None,
        "reason": None,
        "text_sha256": "a" * 64,
        "pdf_sha256": "b" * 64,
        "answered_at": BILAN_START + timedelta(hours=3),
        "platform": "console",
        "chat_user_id": "lea",
        "bilan_starts_at": BILAN_START,
        "bilan_ends_at": BILAN_START + timedelta(hours=2),
    }
    values.update(changes)
    return Attestation(**values)


def test_the_record_is_in_french_and_its_hash_covers_every_field() -> None:
    first = answer()
    seal(first, genesis(7), KEY)
    record = record_of(first)
    assert list(record) == list(RECORD_KEYS)
    assert record["réponse"] == "attestée" and record["rôle"] == "délégation des stagiaires"
    assert record["répondu_le"] == "2026-11-26T16:00:00Z" and record["précédente"] == genesis(7)
    assert first.chain_sha256 == link_hash(record)
    assert keys.verify(KEY.public, str(first.signature), str(first.chain_sha256).encode())
    assert first.key_sha256 == KEY.fingerprint
    for field, value in (
        ("typed_name", "Zoé Martin"),
        ("text_sha256", "c" * 64),
        ("pdf_sha256", None),
        ("chat_user_id", "intrus"),
        ("answer", "declined"),
        ("bilan_starts_at", BILAN_START + timedelta(days=7)),
    ):
        other = answer(**{field: value})
        seal(other, genesis(7), KEY)
        assert other.chain_sha256 != first.chain_sha256, field
    second = answer(participant_id=4)
    seal(second, str(first.chain_sha256), KEY)
    assert record_of(second)["précédente"] == first.chain_sha256
    assert genesis(7) != genesis(8)


async def test_two_answers_cannot_follow_the_same_link(db: Database, demo: None) -> None:
    from tests.auxil.attestations import add_bilan

    bilan_id = await add_bilan(
        db, participants=(("delegate", "Léa Martin", None), ("delegate", "Hugo Moreau", None))
    )
    async with db.sessions() as session, session.begin():
        from bot.bilans.view import view_of

        info = await view_of(session, bilan_id)
        assert info is not None
        for participant in info.bilan.participants:
            row = answer(
                bilan_id=bilan_id,
                participant_id=participant.id,
                organisation_id=info.bilan.organisation_id,
                name_matches=True,
                role_matches=True,
                text="…",
                chat_id="x",
            )
            seal(row, genesis(bilan_id), KEY)  # both read the same end of the chain
            session.add(row)
        with pytest.raises(IntegrityError):
            await session.flush()
        await session.rollback()
    async with db.sessions() as session:
        assert (await session.scalars(select(Attestation))).all() == []
