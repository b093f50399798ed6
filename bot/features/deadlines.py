"""Deadlines: the funders' rules, ``/echeances``, ``/reglages`` and the daily digest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.manifest import Command, Dialogues, Feature, Services, TableExport
from bot.storage.people import Role

if TYPE_CHECKING:
    from bot.conversations.kit.flow import Flow


def flows() -> Sequence[Flow]:
    """The dialogues, imported when one of them is first needed (:class:`Dialogues`)."""
    from bot.conversations.deadlines import echeances, reglages

    return (*echeances.FLOWS, *reglages.FLOWS)


def services() -> Services:
    """The rules, the digest, the exports and the settings, imported when first needed."""
    from bot.deadlines import catch_up, digest, exports, service
    from bot.deadlines.org_settings import DIGEST_HOUR, TIMEZONE
    from bot.deadlines.reminded import outdated_reminders
    from bot.rules import SETTINGS as RULE_SETTINGS

    return Services(
        jobs=(service.close_begun_bilans, catch_up.refresh_outdated, digest.send_digests),
        tables={"echeances": TableExport(exports.COLUMNS, exports.rows, title="Échéances")},
        calendars={"echeances": exports.calendar},
        outdated=(outdated_reminders,),
        settings=(TIMEZONE, DIGEST_HOUR, *RULE_SETTINGS),
    )


FEATURE = Feature(
    name="deadlines",
    dialogues=Dialogues(
        flows,
        commands=(
            Command(
                "echeances",
                summary="voir vos échéances, les marquer faites ou les reporter",
                menu="Mes échéances",
                role=Role.FORMATEUR,
            ),
            Command(
                "reglages",
                summary="régler les délais, le récapitulatif quotidien et sa destination",
                menu="Réglages de l'organisme (administrateurs)",
                role=Role.ADMIN,
                in_groups=True,
            ),
        ),
    ),
    services=services,
)
