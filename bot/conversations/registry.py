"""Every conversation the bot knows (temporary: replaced by the feature list)."""

from __future__ import annotations

from bot.conversations.kit.flow import Flow


def all_flows() -> list[Flow]:
    from bot.conversations.absences import absence, decrochage, suivi
    from bot.conversations.attestations import trainer as attestations
    from bot.conversations.bilans import bilan
    from bot.conversations.deadlines import echeances, reglages, vacations
    from bot.conversations.formations import formation
    from bot.conversations.people import onboarding

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
