"""The formations and trainees tables of ``formabot export``.

A formation deleted by mistake stays in ``formations`` with its deletion day
(``supprimee_le``): an auditor sees what existed.  Each trainee's path is in
``stagiaires``: entry, exit and its reason, the end of an extended path.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.answers import by_surname
from bot.formations.labels import EXIT_REASONS
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation

FORMATION_COLUMNS = (
    "id",
    "organisme",
    "intitule",
    "nature",
    "financeur",
    "programme",
    "type_action",
    "mode",
    "debut",
    "fin",
    "fin_prolongee",
    "certifiante",
    "longue",
    "charge_de_mission",
    "email_charge_de_mission",
    "stagiaires",
    "supprimee_le",
)
TRAINEE_COLUMNS = (
    "formation_id",
    "formation",
    "nom",
    "entreprise",
    "delegue",
    "entree",
    "sortie",
    "motif_sortie",
    "fin_parcours",
)


async def formations(
    session: AsyncSession, organisation_id: int | None = None
) -> list[dict[str, Any]]:
    query = (
        select(Formation, Organisation.name)
        .join(Organisation, Organisation.id == Formation.organisation_id)
        .options(selectinload(Formation.trainees))
        .order_by(Formation.id)
    )
    if organisation_id is not None:
        query = query.where(Formation.organisation_id == organisation_id)
    rows = []
    for formation, organisation in (await session.execute(query)).all():
        rows.append(
            {
                "id": formation.id,
                "organisme": organisation,
                "intitule": formation.title,
                "nature": formation.kind,
                "financeur": formation.funder,
                "programme": formation.programme,
                "type_action": formation.action_type,
                "mode": formation.mode,
                "debut": formation.start_date,
                "fin": formation.end_date,
                "fin_prolongee": formation.extended_end,
                "certifiante": formation.certifying,
                "longue": formation.long,
                "charge_de_mission": formation.cm_name,
                "email_charge_de_mission": formation.cm_email,
                "stagiaires": len(formation.trainees),
                "supprimee_le": formation.deleted_at,
            }
        )
    return rows


async def trainees(
    session: AsyncSession, organisation_id: int | None = None
) -> list[dict[str, Any]]:
    query = (
        select(Trainee, Formation)
        .join(Formation, Formation.id == Trainee.formation_id)
        .order_by(Formation.id, Trainee.full_name)
    )
    if organisation_id is not None:
        query = query.where(Formation.organisation_id == organisation_id)
    return [
        {
            "formation_id": formation.id,
            "formation": formation.title,
            "nom": trainee.full_name,
            "entreprise": trainee.company,
            "delegue": trainee.is_delegate,
            "entree": trainee.entered_on,
            "sortie": trainee.left_on,
            "motif_sortie": EXIT_REASONS.get(trainee.exit_reason or ""),
            "fin_parcours": trainee.path_end,
        }
        for trainee, formation in sorted(
            (await session.execute(query)).all(),
            key=lambda row: (row[1].id, by_surname(row[0].full_name)),
        )
    ]
