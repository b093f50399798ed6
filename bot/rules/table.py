"""The README's rules table, generated from ``RULES`` so the two never drift.

Run ``python -m bot.rules.table`` and paste its output; the test suite
checks that every rule id appears with its source.
"""

from __future__ import annotations

from bot.rules.catalogue import RULES
from bot.rules.facts import FUNDERS, PROGRAMMES
from bot.rules.model import Milestone, Offset, Rule
from bot.rules.settings import SETTINGS_BY_KEY
from bot.rules.subjects import ANCHOR_LABELS

HEADER = ("id", "financeur", "déclencheur", "échéance", "à faire", "source")


def _cell(text: str) -> str:
    """Markdown-safe: a pipe would split the cell, a newline would end the row."""
    return text.replace("|", "\\|").replace("\n", " ")


def describe_offset(offset: Offset) -> str:
    """French, with the default amount and the setting that overrides it."""
    anchor = ANCHOR_LABELS[offset.anchor]
    amount = offset.amount
    if offset.setting is not None:
        default = SETTINGS_BY_KEY[offset.setting].default
        amount = default if isinstance(default, int) and not isinstance(default, bool) else 0
    if offset.unit == "percent":
        towards = ANCHOR_LABELS.get(offset.towards or "", "?")
        text = f"à {amount} % entre {anchor} et {towards}"
    elif amount == 0:
        text = f"à {anchor}"
    else:
        unit = {"hours": "h", "days": "j", "months": "mois"}[offset.unit]
        side = "avant" if offset.direction == "before" else "après"
        text = f"{amount} {unit} {side} {anchor}"
    if offset.setting is not None:
        text += f" (réglage `{offset.setting}`)"
    return text


def _funder(rule: Rule) -> str:
    funder = FUNDERS[rule.funder] if rule.funder else "procédure de l'organisme (Elycoop)"
    if rule.programmes:
        funder += " — " + ", ".join(PROGRAMMES[p] for p in rule.programmes)
    return funder


def _due(rule: Rule) -> str:
    if len(rule.milestones) == 1:
        return describe_offset(rule.milestones[0].offset) + _day_off(rule.milestones[0])
    whats = {s.key: s.what for s in rule.milestones}
    return " ; ".join(
        f"{s.what} : {describe_offset(s.offset)}"
        + (f", pas avant « {whats[s.not_before]} »" if s.not_before else "")
        + _day_off(s)
        for s in rule.milestones
    )


def _day_off(milestone: Milestone) -> str:
    if not milestone.day_off_after:
        return ""
    if milestone.after_its_event:
        return (
            " (un jour sans formation : le jour ouvré d'avant, ou le suivant si celui d'avant"
            " précède l'événement)"
        )
    return " (un jour sans formation : le jour ouvré suivant)"


def _trigger(rule: Rule) -> str:
    """The trigger, and when the rule is off: by default (CVL-TABLE), or in a case its source
    excludes (the Elycoop procedure for a subcontractor; explorer IC4)."""
    notes = [
        f"désactivée par défaut (réglage `{t.setting}`) : {t.brief}"
        for t in rule.toggles
        if SETTINGS_BY_KEY[t.setting].default is False
    ]
    notes += [e.brief for e in rule.exclusions if e.brief]
    return " ; ".join([rule.trigger, *notes])


def _source(rule: Rule) -> str:
    return f"{rule.source_ref} ({rule.origin})" if rule.origin else rule.source_ref


def markdown_table() -> str:
    """One row per rule: id, funder, trigger, due, what, source."""
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "| " + " | ".join("---" for _ in HEADER) + " |",
    ]
    for rule in RULES:
        row = (rule.id, _funder(rule), _trigger(rule), _due(rule), rule.what, _source(rule))
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    print(markdown_table(), end="")


if __name__ == "__main__":
    main()
