"""The funders' rules as data: one :class:`Rule` per rule id of ``docs/RULES.md``.

Each entry quotes its seed (file and section), names the subjects it applies
to and, for every milestone, the anchor, the amount, the unit and the setting
that overrides the amount.  Nothing here computes: see :mod:`bot.rules.engine`.
One module per funder, each holding its seeds' names and labels.

Explanation templates are ``str.format`` strings; the engine supplies:
``due`` ("le mardi 24 novembre 2026 à 14 h 00"), ``delay`` ("48 h", "7 jours",
"1 mois", "50 %"), ``anchor`` (the anchor's day, "le lundi 15 juin 2027"),
``formation`` ("« Titre »"), ``a_chargee`` ("à Mme X" or "à la personne chargée
de mission"), and by scope: ``bilan`` ("bilan de fin de formation du jeudi 26
novembre 2026 à 14 h 00", no article); ``span`` ("la session 2 (du … au …)");
``trainee`` and ``of_trainee`` ("Jean Dupont" / "de Jean Dupont");
``opened`` and ``entretien`` for follow-ups.  The engine appends the source.
"""

from __future__ import annotations

from functools import lru_cache

from bot.rules.catalogue.centre_val_de_loire import CENTRE_VAL_DE_LOIRE
from bot.rules.catalogue.elycoop import ELYCOOP
from bot.rules.catalogue.normandie import NORMANDIE
from bot.rules.catalogue.rectorat import RECTORAT
from bot.rules.facts import FUNDERS
from bot.rules.model import Milestone, Rule

RULES: tuple[Rule, ...] = (*NORMANDIE, *CENTRE_VAL_DE_LOIRE, *RECTORAT, *ELYCOOP)
"""In this order in the README's rules table and in ``docs/RULES.md``."""

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

ORGANISATION_PROCEDURE = "procédure Elycoop de prévention des ruptures"
"""How a person names the organisation's own procedure (003), where a rule has no funder."""


def rule_label(rule_id: str) -> str:
    """A rule as a trainer or an auditor reads it, never its code (explorer Z, Z7: « procédure
    ELY-LONG » in the chat, the compte rendu and the chronologie): who asks it, and when
    (« procédure Elycoop de prévention des ruptures – signe de décrochage dans une formation
    longue ou certifiante »); an id no longer in the catalogue, as stored."""
    rule = RULES_BY_ID.get(rule_id)
    if rule is None:
        return rule_id
    who = FUNDERS[rule.funder] if rule.funder else ORGANISATION_PROCEDURE
    return f"{who} – {rule.trigger}"


def rule_citation(rule_id: str) -> str:
    """A rule's texts as the chat cites them, funder and document named (« fiche procédure
    bilan à distance, Région Normandie, §I »): one wording for every sentence resting on it
    (explorer KB6: « (fiche procédure, §I) », whose funder the trainer had to guess)."""
    rule = RULES_BY_ID.get(rule_id)
    return rule_id if rule is None else rule.citation


@lru_cache(maxsize=256)
def kept_by_prudence(funder: str | None, programme: str | None) -> str:
    """What the funder's texts say of being kept by prudence for ``programme``, one sentence
    each (:attr:`bot.rules.model.Source.beyond`): the formation's recap says it once
    (explorer UB3: « Autre programme » of the Centre-Val de Loire); "" for most.

    Kept per funder and programme: the catalogue is the code's, fixed for the process, and
    walking its rules was 15 µs of every recap (AQ)."""
    said = dict.fromkeys(
        beyond
        for rule in RULES
        if rule.funder == funder
        and rule.funder is not None
        and (rule.programmes is None or programme in rule.programmes)
        and (beyond := rule.beyond_for(programme))
    )
    return " ".join(f"{sentence}." for sentence in said)


BEFORE_BILAN: frozenset[str] = frozenset(
    rule.id
    for rule in RULES
    if rule.scope == "bilans"
    and all(
        m.offset.anchor == "bilan_scheduled"
        or (m.offset.anchor == "bilan_start" and m.offset.direction == "before")
        for m in rule.milestones
    )
)
"""Rules whose every milestone comes before a bilan (NOR-PREP, NOR-DOCS; NOR-VISIO, due at
booking): they cannot be
postponed past it, and once it has begun they are closed, done or "non fait avant le bilan"."""

WITHIN_SPAN: frozenset[str] = frozenset(rule.id for rule in RULES if rule.scope == "owed_etape")
"""Rules owed mid-way through a span (CVL-BQ-MID, the bilan d'étape): never postponed past
its end, where it would review nothing mid-way."""

REDONE_AFTER_LATER_END: frozenset[str] = frozenset(
    rule.id
    for rule in RULES
    if all(m.offset.anchor in ("span_end", "formation_effective_end") for m in rule.milestones)
)
"""Rules counted from the end that counts, every path's extension included (CVL-BQ-END, the
final bilan: « le bilan final est attendu à l'issue du bon de commande supplémentaire », 002
« ATTENTION »; REC-ACTIVITY, the bilan d'activités after the formation): done, they hold for
the end they were done on; that end moved past the day they were done, they are to do again
(:mod:`bot.deadlines.reopened`).  Not an EOS exit (a fact of its day, kept there:
:data:`bot.deadlines.postponed.PINNED_WHEN_DONE`) nor a VAE's livret (its candidate's own
exit, an early one included, not the last path's end)."""


_MILESTONES: dict[str, Milestone] = {}
for _rule in reversed(RULES):  # reversed: the first rule naming a key wins, as it always did
    for _milestone in reversed(_rule.milestones):
        _MILESTONES[f"{_rule.id}-{_milestone.key}" if _milestone.key else _rule.id] = _milestone
"""The head of a stored deadline's key → its milestone (the digest hour looks up thousands)."""


def milestone_of(key: str) -> Milestone | None:
    """The milestone a stored deadline's key comes from (``CVL-EOS-ENTRY:trainee:4``)."""
    return _MILESTONES.get(key.partition(":")[0])
