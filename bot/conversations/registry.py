"""Every conversation the bot knows, and the handlers of ``/start CODE``.

Adding a conversation is adding its module here.
"""

from __future__ import annotations

from bot.conversations.flow import Flow


def all_flows() -> list[Flow]:
    from bot.conversations import (
        absence,
        attestations,
        bilan,
        decrochage,
        echeances,
        formation,
        onboarding,
        reglages,
        suivi,
        vacations,
    )

    return [
        *onboarding.FLOWS,
        *formation.FLOWS,
        *absence.FLOWS,
        *decrochage.FLOWS,
        *suivi.FLOWS,
        *vacations.FLOWS,
        *bilan.FLOWS,
        *echeances.FLOWS,
        *reglages.FLOWS,
        *attestations.FLOWS,
    ]
