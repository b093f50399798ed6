"""``formabot export attestations --bilan ID --out FILE.zip``: the proof bundle of a bilan.

The bundle is signed with the key of the data folder, which the command
line hands over as ``args.data_dir``.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.attestations.bundle import build
from bot.attestations.keys import signing_key


async def attestations_bundle(session: AsyncSession, args: argparse.Namespace) -> bytes:
    if args.bilan is None:
        raise LookupError(
            "Précisez le bilan : --bilan ID (l'identifiant est donné par /attestations)."
        )
    bundle = await build(
        session,
        int(args.bilan),
        now=datetime.now(UTC),
        key=signing_key(Path(getattr(args, "data_dir", None) or "data")),
        organisation_id=args.organisation,
    )
    return bundle.content
