"""Personal data (RGPD): retention and its purge, /mesdonnees, /effacer, the audit trail (/journal, export)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.manifest import Command, Dialogues, Feature, Services, TableExport
from bot.storage.people import Role

if TYPE_CHECKING:
    from bot.conversations.kit.flow import Flow


def flows() -> Sequence[Flow]:
    """The dialogues, imported when one of them is first needed (:class:`Dialogues`)."""
    from bot.conversations.privacy import effacer, journal, mesdonnees

    return (*mesdonnees.FLOWS, *effacer.FLOWS, *journal.FLOWS)


def services() -> Services:
    """The retention jobs, the audit export and its setting, imported when first needed."""
    from bot.privacy import journal_rows, retention

    return Services(
        jobs=(
            retention.purge_expired,
            retention.forget_abandoned_conversations,
            retention.forget_sent_messages,
        ),
        tables={
            "audit": TableExport(
                journal_rows.AUDIT_COLUMNS, journal_rows.audit_rows, title=journal_rows.AUDIT_TITLE
            ),
            "membres": TableExport(
                journal_rows.MEMBER_COLUMNS, journal_rows.member_rows, title="Membres"
            ),
        },
        settings=(retention.RETENTION_YEARS,),
    )


FEATURE = Feature(
    name="privacy",
    dialogues=Dialogues(
        flows,
        commands=(
            Command(
                "mesdonnees",
                summary="recevoir tout ce que formabot garde à votre sujet",
                menu="Les données que formabot garde sur vous",
                in_help=True,
            ),
            Command(
                "effacer",
                summary="effacer les données personnelles d'une personne en formation",
                menu="Effacer les données d'un stagiaire (administrateurs)",
                role=Role.ADMIN,
                participants=True,
            ),
            Command(
                "journal",
                summary="recevoir le journal des actions de l'organisme (qui a fait quoi, quand)",
                menu="Journal des actions de l'organisme (administrateurs)",
                role=Role.ADMIN,
            ),
        ),
    ),
    services=services,
)
