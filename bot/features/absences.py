"""Absences and décrochages: the absence log, the Elycoop follow-up, vacations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.manifest import Command, Dialogues, Feature, Services, TableExport
from bot.storage.people import Role

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context
    from bot.conversations.kit.flow import Flow, Outcome


def flows() -> Sequence[Flow]:
    """The dialogues, imported when one of them is first needed (:class:`Dialogues`)."""
    from bot.conversations.absences import (
        absence,
        appel,
        corrections,
        decrochage,
        group,
        sentence,
        suivi,
        vacations,
    )

    return (
        *absence.FLOWS,
        *appel.FLOWS,
        *sentence.FLOWS,
        *group.FLOWS,
        *corrections.FLOWS,
        *decrochage.FLOWS,
        *suivi.FLOWS,
        *vacations.FLOWS,
    )


async def absence_sentence(ctx: Context) -> Outcome | None:
    """ "Karim absent hier matin" typed outside any conversation (its dialogue loaded then)."""
    from bot.conversations.absences import sentence

    return await sentence.absence_sentence(ctx)


async def left_sentence(ctx: Context) -> Outcome | None:
    """ "Joao a abandonné hier": where a trainee's leaving is noted."""
    from bot.conversations.absences import left

    return await left.left_sentence(ctx)


async def dropping_out_sentence(ctx: Context) -> Outcome | None:
    """ "Inès a pas donné de nouvelles depuis lundi": /decrochage for her (explorer BG9)."""
    from bot.conversations.absences import dropping_out

    return await dropping_out.dropping_out_sentence(ctx)


async def contact_sentence(ctx: Context) -> Outcome | None:
    """ "g appelé karim il revient lundi": his follow-up, where a contact is noted (KF2)."""
    from bot.conversations.absences import dropping_out

    return await dropping_out.contact_sentence(ctx)


async def interview_sentence(ctx: Context) -> Outcome | None:
    """ "faut faire l entretien de karim": his follow-up, where it is programmed (KF3)."""
    from bot.conversations.absences import dropping_out

    return await dropping_out.interview_sentence(ctx)


async def everyone_there_sentence(ctx: Context) -> Outcome | None:
    """ "Tout le monde était là ce matin": nothing to note, said so (explorer QB13)."""
    from bot.conversations.absences import everyone

    return await everyone.everyone_there_sentence(ctx)


def services() -> Services:
    """The reminders, exports, settings and Qualiopi bundle, imported when first needed."""
    from bot.absences import detection, evidence, exports, next_point, reminders

    return Services(
        jobs=(reminders.entretien_reminders, next_point.next_point_reminders),
        outdated=(
            reminders.outdated_entretien_reminders,
            next_point.outdated_next_point_reminders,
        ),
        tables={
            "absences": TableExport(exports.ABSENCE_COLUMNS, exports.cli_absences, title="Absences")
        },
        files={"qualiopi": exports.cli_qualiopi},
        settings=detection.SETTINGS,
        works={"absences.qualiopi": evidence.qualiopi_work},
    )


FEATURE = Feature(
    name="absences",
    dialogues=Dialogues(
        flows,
        commands=(
            Command(
                "absence",
                summary="noter une absence ou un retard (ex. : /absence Dupont hier matin)",
                menu="Noter une absence",
                role=Role.FORMATEUR,
            ),
            Command(
                "appel",
                summary="faire l'appel d'une demi-journée (ex. : /appel ce matin)",
                menu="Faire l'appel",
                role=Role.FORMATEUR,
            ),
            Command(
                "absences",
                summary="corriger ou supprimer une absence déjà notée",
                role=Role.FORMATEUR,
            ),
            Command(
                "decrochage",
                summary="suivre un décrochage (signes, contacts, entretien, ticket qualité)",
                menu="Suivre un décrochage",
                role=Role.FORMATEUR,
            ),
            Command(
                "suivi",
                summary="voir le suivi individuel d'une personne en formation : absences, "
                "signes, contacts, entretiens",
                menu="Le suivi d'un stagiaire",
                role=Role.FORMATEUR,
            ),
            Command(
                "exporter",
                summary="exporter les absences ou le dossier Qualiopi d'une formation",
                role=Role.FORMATEUR,
            ),
            Command(
                "vacations",
                summary="calculer les vacations d'un accompagnement à distance (Rectorat)",
                role=Role.FORMATEUR,
            ),
        ),
    ),
    free_text=(
        absence_sentence,
        left_sentence,
        everyone_there_sentence,
        dropping_out_sentence,
        contact_sentence,
        interview_sentence,
    ),
    services=services,
)
