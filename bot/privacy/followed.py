"""What formabot holds about a Région's chargée de mission, for her ``/mesdonnees``.

She is no person of the bot: formations name her (name, e-mail, Matrix ID) and
her answers to bilan invitations are kept on the bilans.  Without this, her
« /mesdonnees » said « Je ne relie ce compte à personne » (explorer AX4).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilans.cm_answers import ANSWERS
from bot.privacy.moments import when_said
from bot.storage.bilans import Bilan
from bot.storage.formations import followed_by
from bot.storage.people import Organisation

KEY = "formations où vous êtes la personne chargée de mission"


async def as_charge_de_mission(
    session: AsyncSession, platform: str, user_id: str
) -> list[dict[str, Any]]:
    """Each formation naming this Matrix account as its chargée de mission, with what it says
    of her and her answers to its bilans' invitations."""
    if platform != "matrix":
        return []
    formations = await followed_by(session, user_id)
    if not formations:
        return []
    names = dict(
        (
            await session.execute(
                select(Organisation.id, Organisation.name).where(
                    Organisation.id.in_({f.organisation_id for f in formations})
                )
            )
        ).all()
    )
    bilans = (
        await session.scalars(
            select(Bilan)
            .where(Bilan.formation_id.in_([f.id for f in formations]))
            .order_by(Bilan.starts_at)
        )
    ).all()
    return [
        {
            "organisme": names.get(f.organisation_id, ""),
            "formation": f.title,
            "nom": f.cm_name,
            "e-mail": f.cm_email,
            "identifiant Matrix": f.cm_matrix,
            "réponses aux invitations": [
                {
                    "bilan du": when_said(b.starts_at),
                    "réponse": ANSWERS.get(b.cm_answer or "", b.cm_answer),
                    "répondu le": when_said(b.cm_answered_at),
                    "date proposée": when_said(b.cm_proposed_at),
                    "mot": b.cm_note,
                }
                for b in bilans
                if b.formation_id == f.id and b.cm_answer
            ],
        }
        for f in formations
    ]
