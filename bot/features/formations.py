"""Formations: creating and correcting them, their trainees and delegates."""

from bot import exports
from bot.conversations.formations import formation
from bot.manifest import Feature, TableExport

FEATURE = Feature(
    name="formations",
    flows=formation.FLOWS,
    tables={
        "formations": TableExport(
            exports.FORMATION_COLUMNS, lambda s, a: exports.formations(s, a.organisation)
        ),
        "stagiaires": TableExport(
            exports.TRAINEE_COLUMNS, lambda s, a: exports.trainees(s, a.organisation)
        ),
    },
)
