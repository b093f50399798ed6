"""Absences and décrochages: the absence log, the Elycoop follow-up, vacations."""

from bot.absences import detection, evidence, exports, reminders
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
from bot.manifest import Feature, TableExport

FEATURE = Feature(
    name="absences",
    flows=(
        *absence.FLOWS,
        *appel.FLOWS,
        *sentence.FLOWS,
        *group.FLOWS,
        *corrections.FLOWS,
        *decrochage.FLOWS,
        *suivi.FLOWS,
        *vacations.FLOWS,
    ),
    jobs=(reminders.entretien_reminders,),
    tables={
        "absences": TableExport(exports.ABSENCE_COLUMNS, exports.cli_absences, title="Absences")
    },
    files={"qualiopi": exports.cli_qualiopi},
    settings=detection.SETTINGS,
    free_text=(sentence.absence_sentence,),
    works={"absences.qualiopi": evidence.qualiopi_work},
)
