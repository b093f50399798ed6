"""Each bilan of a person's access document, said as she knows it.

The document named a bilan by its number (« bilan : 1 », three times, in a
file written for a trainee who never saw an id: explorer AH12).  The number
stays, as « numéro du bilan » (what the organisme looks it up by), and each
entry that holds one also says which bilan it is, in the chat's words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.bilans.view import kind_label
from bot.storage.bilans import Bilan
from bot.storage.formations import Formation
from bot.storage.people import Organisation, zone_of

NUMBER = "numéro du bilan"
PARTS = ("participations aux bilans", "invitations reçues", "attestations données")


async def name_the_bilans(session: AsyncSession, held: dict[str, Any]) -> None:
    """Add « quel bilan » beside every « numéro du bilan » of ``held``."""
    entries = [e for part in PARTS for e in held.get(part) or [] if NUMBER in e]
    ids = {e[NUMBER] for e in entries}
    if not ids:
        return
    rows = await session.execute(
        select(Bilan, Formation.title, Organisation)
        .join(Formation, Formation.id == Bilan.formation_id)
        .join(Organisation, Organisation.id == Formation.organisation_id)
        .where(Bilan.id.in_(ids))
    )
    said = {
        bilan.id: f"{kind_label(bilan.kind)} du "
        f"{dates.spell_datetime(bilan.starts_at.astimezone(zone_of(organisation)))} "
        f"(« {title} »)"
        for bilan, title, organisation in rows
    }
    for entry in entries:
        if entry[NUMBER] in said:
            entry["quel bilan"] = said[entry[NUMBER]]
