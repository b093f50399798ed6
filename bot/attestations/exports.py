"""``formabot export attestations --bilan ID --out FILE.zip``: the proof bundle of a bilan.

The bundle is signed with the key of the data folder, which the command
line hands over as ``args.data_dir``.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attestations.bundle import build
from bot.attestations.keys import organisation_key
from bot.dates.spelling import spell_date
from bot.storage.bilans import Bilan
from bot.storage.formations import Formation
from bot.storage.people import Organisation

LISTED = 30
"""Bilans listed when the one asked for is missing: the most recent first."""


async def attestations_bundle(session: AsyncSession, args: argparse.Namespace) -> bytes:
    if args.bilan is None:
        raise LookupError("Précisez le bilan : --bilan ID." + await _choices(session, args))
    key = await organisation_key(session, Path(getattr(args, "data_dir", None) or "data"))
    try:
        bundle = await build(
            session,
            int(args.bilan),
            now=datetime.now(UTC),
            key=key,
            organisation_id=args.organisation,
        )
    except LookupError as unknown:
        raise LookupError(str(unknown) + await _choices(session, args)) from None
    return bundle.content


async def _choices(session: AsyncSession, args: argparse.Namespace) -> str:
    """The bilans to choose from, with their ids (which the chat never shows), newest first."""
    query = (
        select(
            Bilan.id, Bilan.starts_at, Bilan.cancelled_at, Formation.title, Organisation.timezone
        )
        .join(Formation, Formation.id == Bilan.formation_id)
        .join(Organisation, Organisation.id == Bilan.organisation_id)
        .order_by(Bilan.starts_at.desc(), Bilan.id.desc())
        .limit(LISTED)
    )
    if args.organisation is not None:
        query = query.where(Bilan.organisation_id == args.organisation)
    found = (await session.execute(query)).all()
    if not found:
        return " Aucun bilan n'est programmé."
    lines = [
        f"  {bilan_id} : {title}, {spell_date(starts.astimezone(ZoneInfo(zone)))}"
        + (" (annulé)" if cancelled is not None else "")
        for bilan_id, starts, cancelled, title, zone in found
    ]
    return "\nLes bilans, du plus récent au plus ancien :\n" + "\n".join(lines)
