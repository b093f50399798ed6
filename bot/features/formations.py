"""Formations: creating and correcting them, their trainees and delegates."""

from bot.conversations.formations import create, edit, manage, paths
from bot.formations import exports
from bot.manifest import Feature, TableExport

FEATURE = Feature(
    name="formations",
    flows=(*create.FLOWS, *manage.FLOWS, *edit.FLOWS, *paths.FLOWS),
    tables={
        "formations": TableExport(
            exports.FORMATION_COLUMNS,
            lambda s, a: exports.formations(s, a.organisation),
            title="Formations",
        ),
        "stagiaires": TableExport(
            exports.TRAINEE_COLUMNS,
            lambda s, a: exports.trainees(s, a.organisation),
            title="Stagiaires",
        ),
    },
)
