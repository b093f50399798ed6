"""``formabot export attestations --bilan ID --out FILE.zip``: the proof bundle of a bilan."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.attestations.bundle import build


async def attestations_bundle(session: AsyncSession, args: argparse.Namespace) -> bytes:
    if args.bilan is None:
        raise LookupError(
            "Précisez le bilan : --bilan ID (l'identifiant est donné par /attestations)."
        )
    bundle = await build(
        session, int(args.bilan), now=datetime.now(UTC), organisation_id=args.organisation
    )
    return bundle.content
