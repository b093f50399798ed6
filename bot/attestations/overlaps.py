"""The chat accounts that attested another bilan held at the same time as one: one person
cannot have been at both (:func:`~bot.attestations.concerns.concerns_of` flags them)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilans.view import BilanView
from bot.storage.attestations import Attestation
from bot.storage.bilans import Bilan


async def accounts_elsewhere(
    session: AsyncSession, info: BilanView
) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """The chat accounts whose current answer attests another bilan that overlaps this one
    (not cancelled): one person cannot have been at both.  First those of a bilan of the
    same organisation, then those of another organisation's (explorer AF5: one account swore
    as Léa Martin for one organisation and as Zoé Autre for another, at the same hour, and
    both counted); of the latter only the fact is told, nothing of that organisation."""
    bilan = info.bilan
    found = await session.execute(
        select(
            Attestation.participant_id,
            Attestation.version,
            Attestation.answer,
            Attestation.platform,
            Attestation.chat_user_id,
            Bilan.organisation_id,
        )
        .join(Bilan, Bilan.id == Attestation.bilan_id)
        .where(
            Bilan.id != bilan.id,
            Bilan.cancelled_at.is_(None),
            Bilan.starts_at < bilan.ends_at,
            Bilan.ends_at > bilan.starts_at,
        )
        .order_by(Attestation.participant_id, Attestation.version)
    )
    current = {row.participant_id: row for row in found.all()}  # the last version wins
    attested = [row for row in current.values() if row.answer == "attested"]
    here = bilan.organisation_id
    return (
        frozenset((r.platform, r.chat_user_id) for r in attested if r.organisation_id == here),
        frozenset((r.platform, r.chat_user_id) for r in attested if r.organisation_id != here),
    )
