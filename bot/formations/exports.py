"""The formations and trainees tables of ``formabot export``.

A formation deleted by mistake stays in ``formations`` with its deletion day
(``supprimée le``): an auditor sees what existed.  Each trainee's path is in
``stagiaires``: entry, exit and its reason, the end of an extended path.

The headers are French words, accents and spaces included, as in every export: the
person opening the file in a spreadsheet reads them, and scripts can index by them just
as well.  So are the cells: funder, programme, action type, mode and nature are written
with the labels the chat offers (« Région Normandie », « Entrées et sorties
permanentes »), not the stored codes; nothing reads this table back.  ``stagiaires`` goes back in through ``formabot import stagiaires`` (its headers
are among those :mod:`bot.imports.columns` recognises, as the ones before them were).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.answers import by_surname
from bot.documents.sheets import Moment
from bot.formations.labels import EXIT_REASONS, KIND_NOUNS, LABELS, SINGLE_PERSON_KINDS
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation, Person, zone_of

FORMATION_COLUMNS = (
    "identifiant",
    "organisme",
    "intitulé",
    "nature",
    "financeur",
    "programme",
    "type d'action",
    "mode",
    "début",
    "fin",
    "fin prolongée",
    "certifiante",
    "longue",
    "personne chargée de mission",
    "e-mail de la personne chargée de mission",
    "stagiaires",
    "supprimée le",
    "en charge",
)
TRAINEE_COLUMNS = (
    "identifiant de la formation",
    "formation",
    "nom",
    "entreprise",
    "représente les stagiaires",
    "entrée",
    "sortie",
    "motif de sortie",
    "fin de parcours",
    "e-mail",
    "téléphone",
    "identifiant de stagiaire",
)


async def formations(
    session: AsyncSession, organisation_id: int | None = None, formation_id: int | None = None
) -> list[dict[str, Any]]:
    """Every formation, or the one ``--formation`` names (checked by the command: explorer
    BC19, the option was ignored and every formation exported)."""
    query = (
        select(Formation, Organisation, Person.display_name)
        .join(Organisation, Organisation.id == Formation.organisation_id)
        .join(Person, Person.id == Formation.owner_id)
        .options(selectinload(Formation.trainees))
        .order_by(Formation.id)
    )
    if organisation_id is not None:
        query = query.where(Formation.organisation_id == organisation_id)
    if formation_id is not None:
        query = query.where(Formation.id == formation_id)
    rows = []
    for formation, organisation, owner in (await session.execute(query)).all():
        deleted = formation.deleted_at
        # A bilan de compétences or a VAE is asked neither its mode, nor whether it is
        # certifying or long: empty cells, not defaults an auditor reads as facts (explorer J).
        group = formation.kind not in SINGLE_PERSON_KINDS
        rows.append(
            {
                "identifiant": formation.id,
                "organisme": organisation.name,
                "intitulé": formation.title,
                "nature": KIND_NOUNS.get(formation.kind, formation.kind),
                "financeur": formation.funder_name or _label("funder", formation.funder),
                "programme": _label("programme", formation.programme),
                "type d'action": _label("action_type", formation.action_type),
                "mode": _label("mode", formation.mode) if group else None,
                "début": formation.start_date,
                "fin": formation.end_date,
                "fin prolongée": formation.extended_end,
                "certifiante": formation.certifying if group else None,
                "longue": formation.long if group else None,
                "personne chargée de mission": formation.cm_name,
                "e-mail de la personne chargée de mission": formation.cm_email,
                "stagiaires": len(formation.trainees),
                # In the organisation's time, to the minute, as every other moment exported
                # (explorer J: UTC with microseconds, an hour off the audit trail's).
                "supprimée le": (
                    Moment(deleted.astimezone(zone_of(organisation)), "minutes")
                    if deleted
                    else None
                ),
                # Who is in charge, last: the columns read by position stay (explorer AP5).
                "en charge": owner,
            }
        )
    return rows


def _label(column: str, code: str | None) -> str | None:
    """The words the chat shows for a stored code (a code no longer offered: as stored)."""
    return LABELS[column].get(code, code) if code is not None else None


async def trainees(
    session: AsyncSession, organisation_id: int | None = None, formation_id: int | None = None
) -> list[dict[str, Any]]:
    """Every formation's trainees, or those of the one ``--formation`` names: a file to move
    them to another formation holds them alone (explorer BC19: everyone's were added)."""
    query = (
        select(Trainee, Formation)
        .join(Formation, Formation.id == Trainee.formation_id)
        .order_by(Formation.id, Trainee.full_name)
    )
    if organisation_id is not None:
        query = query.where(Formation.organisation_id == organisation_id)
    if formation_id is not None:
        query = query.where(Formation.id == formation_id)
    return [
        {
            "identifiant de la formation": formation.id,
            "formation": formation.title,
            "nom": trainee.full_name,
            "entreprise": trainee.company,
            "représente les stagiaires": trainee.is_delegate,
            "entrée": trainee.entered_on,
            "sortie": trainee.left_on,
            "motif de sortie": EXIT_REASONS.get(trainee.exit_reason or ""),
            "fin de parcours": trainee.path_end,
            # Last, older files' columns where they were; kept when the list goes back in
            # (explorer J: imported, then lost on the way).
            "e-mail": trainee.email,
            "téléphone": trainee.phone,
            # The number the journal gives the trainee (« identifiant de stagiaire »), which
            # nothing resolved (explorer KC4); last, the columns read by position stay.
            "identifiant de stagiaire": trainee.id,
        }
        for trainee, formation in sorted(
            (await session.execute(query)).all(),
            key=lambda row: (row[1].id, by_surname(row[0].full_name)),
        )
    ]
