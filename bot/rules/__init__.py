"""The funders' deadlines as data, and the pure function that dates them.

Public API::

    deadlines(formation, settings, tz) -> list[Deadline]
    owed_bilans(formation) -> list[OwedBilan]
    disabled_rules(formation, settings) -> list[tuple[Rule, str]]
    compute_vacations(coaching_minutes, participants, rounding) -> VacationsResult
    RULES, SETTINGS, markdown_table()

No database and no I/O: storage maps its rows onto the dataclasses of
:mod:`bot.rules.facts`, so every rule is tested against the seeds' examples.
"""

from bot.rules.catalogue import (
    BEFORE_BILAN,
    REDONE_AFTER_LATER_END,
    RULES,
    RULES_BY_ID,
    WITHIN_SPAN,
    milestone_of,
)
from bot.rules.engine import DEFAULT_TZ, deadlines, disabled_rules
from bot.rules.facts import (
    BilanFacts,
    FollowUpFacts,
    FormationFacts,
    SessionFacts,
    TraineeFacts,
)
from bot.rules.model import Deadline, Milestone, Offset, Rule, Source
from bot.rules.owed import OwedBilan, owed_bilans
from bot.rules.settings import SETTINGS, Setting, SettingError, rounding_setting
from bot.rules.vacations import VacationsResult, compute_vacations

__all__ = [
    "BEFORE_BILAN",
    "DEFAULT_TZ",
    "REDONE_AFTER_LATER_END",
    "RULES",
    "RULES_BY_ID",
    "SETTINGS",
    "WITHIN_SPAN",
    "BilanFacts",
    "Deadline",
    "FollowUpFacts",
    "FormationFacts",
    "Milestone",
    "Offset",
    "OwedBilan",
    "Rule",
    "SessionFacts",
    "Setting",
    "SettingError",
    "Source",
    "TraineeFacts",
    "VacationsResult",
    "compute_vacations",
    "deadlines",
    "disabled_rules",
    "milestone_of",
    "owed_bilans",
    "rounding_setting",
]
