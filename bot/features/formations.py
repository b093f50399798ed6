"""Formations: creating and correcting them, their trainees and delegates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.manifest import Command, Dialogues, Feature, Services, TableExport
from bot.storage.people import Role

if TYPE_CHECKING:
    from bot.conversations.kit.flow import Flow


def flows() -> Sequence[Flow]:
    """The dialogues, imported when one of them is first needed (:class:`Dialogues`)."""
    from bot.conversations.formations import (
        adding,
        create,
        edit,
        handover,
        manage,
        new_dates,
        paths,
    )

    return (
        *create.FLOWS,
        *manage.FLOWS,
        *adding.FLOWS,
        *new_dates.FLOWS,
        *edit.FLOWS,
        *paths.FLOWS,
        *handover.FLOWS,
    )


def services() -> Services:
    """The exports, imported when first needed."""
    from bot.formations import exports

    return Services(
        tables={
            "formations": TableExport(
                exports.FORMATION_COLUMNS,
                lambda s, a: exports.formations(s, a.organisation, a.formation),
                title="Formations",
            ),
            "stagiaires": TableExport(
                exports.TRAINEE_COLUMNS,
                lambda s, a: exports.trainees(s, a.organisation, a.formation),
                title="Stagiaires",
            ),
        },
    )


FEATURE = Feature(
    name="formations",
    dialogues=Dialogues(
        flows,
        commands=(
            Command(
                "formation",
                summary="créer une formation",
                menu="Créer une formation",
                role=Role.FORMATEUR,
            ),
            Command(
                "formations",
                summary="voir et modifier vos formations",
                menu="Voir et modifier mes formations",
                role=Role.FORMATEUR,
            ),
        ),
    ),
    services=services,
)
