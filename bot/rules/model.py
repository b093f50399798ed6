"""The shapes of a rule (data) and of a deadline (what the rules produce).

A rule is data only: which formations it applies to, which subjects it
iterates over (each bilan, each trainee, each owed bilan…), and for each of
its milestones an :class:`Offset` naming an anchor, an amount, a unit and the
setting that overrides the amount.  The arithmetic lives once in
:mod:`bot.rules.engine`, behind small registries of named anchors, scopes
and predicates, so adding a Région is adding entries to ``RULES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.dates.working_days import is_working_day, previous_working_day

Audience = Literal["formateur", "organisation"]
Unit = Literal["hours", "days", "months", "percent"]
Direction = Literal["before", "after"]
SubjectKind = Literal["formation", "bilan", "trainee", "followup"]


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where a rule comes from, to quote it: ``file`` and ``section`` of a seed."""

    file: str
    section: str
    label: str
    """The document in French words, e.g. "fiche procédure bilan à distance, Région Normandie"."""
    programmes: tuple[str, ...] | None = None
    """The programmes the document speaks of (002: Parcours Métiers only); ``None``: all."""
    beyond: str = ""
    """For a document that names the programmes it covers but is kept, by prudence, for a
    programme it does not name (001 and the Centre-Val de Loire's « Autre programme »): the
    sentence then said of it, in each deadline's explanation, each owed bilan's reason and
    the formation's recap (explorer UB3: cited as if 001 covered it)."""

    def beyond_for(self, programme: str | None) -> str:
        """:attr:`beyond` when ``programme`` is one the document does not name, else ""."""
        covered = programme is None or self.programmes is None or programme in self.programmes
        return "" if covered else self.beyond

    @property
    def ref(self) -> str:
        return f"{self.file}, {self.section}"

    @property
    def citation(self) -> str:
        return f"{self.label}, {self.section}"


@dataclass(frozen=True, kw_only=True)
class Offset:
    """When a milestone is due, relative to an anchor of its subject.

    ``amount`` is used as is when ``setting`` is ``None``; otherwise the
    organisation's setting (or its catalogued default) gives the amount.
    ``unit="percent"`` places the date ``amount`` % of the way from
    ``anchor`` to ``towards`` (a bilan d'étape mid-way through a session).
    """

    anchor: str
    unit: Unit
    direction: Direction = "after"
    amount: int = 0
    setting: str | None = None
    towards: str | None = None


@dataclass(frozen=True, kw_only=True)
class Wording:
    """A milestone's title and explanation while a predicate of the engine holds: what is
    left once part of it is done (explorer HB10: « Contacter la personne et son entreprise »
    still, a week after the person was reached)."""

    when: str
    """A predicate, as :attr:`Rule.subject_if` writes them (``only_left:entreprise``)."""
    title: str
    explanation: str


@dataclass(frozen=True, kw_only=True)
class Milestone:
    """One dated thing to do; a rule has one or several (CVL-EOS: entry, exit).

    Not a conversation step (:class:`bot.conversations.kit.flow.Step`): a
    milestone is a date a rule sets, the trainer never answers it."""

    key: str | None
    """Suffix of the rule id in deadline keys (``ELY-LONG-ENTRETIEN``); ``None`` for a single milestone."""
    offset: Offset
    title: str
    """Short French title, the same for every subject (no personal data)."""
    explanation: str
    """French sentence template (``str.format`` fields, see the engine); the source is appended."""
    what: str
    """What must be done, in French, for the rules table."""
    postponable: bool
    """True when the date is the organisation's choice (a setting where the seed is
    silent); False when the seed itself fixes it."""
    not_before: str | None = None
    """The key of a milestone of the same rule this one is never due before: the ticket
    qualité closes a follow-up, so not before the compte rendu of a late entretien
    (explorer T T6: the ticket fell due three days before it)."""
    not_before_said: str = ""
    """The sentence added to the explanation when that moved the date."""
    day_off_after: str = ""
    """For a milestone done at an event itself (an entry, an exit), or a few days after it
    by a delay the organisation chose (:data:`ORG_DELAY_DAY_OFF`): when it falls on a day
    off, the working day after it, never before (explorer T T2: « à faire plutôt » put an
    EOS entry three days before the person entered; explorer AA, AA1: a compte rendu « à
    faire plutôt » two days before its entretien); the sentence then added to the
    explanation, with ``{day}`` (the day it fell on) and ``{off}`` (« un samedi »)."""
    booked_late: str = ""
    """For a target the organisation set before a bilan where the seed only says « en amont »
    (NOR-PREP, NOR-GUIDES): a bilan booked after that target leaves it due the last working
    day before the bilan (the booking day at the earliest), this sentence added, with the
    explanation's fields (explorer EB1: « déjà dépassée » from the booking of a bilan three
    days away, which the Région's fiche does not say)."""
    within_path: str = ""
    """For a step the procedure places during the formation (ELY-LONG's entretien, « tout au
    long de la formation … dès qu'un signe de décrochage apparaît »): for a follow-up opened
    by the end of the trainee's path, due that last day at the latest, this sentence added,
    with ``{path_end}`` (explorer IC3: a sign on the last day gave an entretien a week after
    the end, a day the bot itself then questioned)."""
    day_off_explanation: str = ""
    """With :attr:`day_off_after`: the whole explanation once moved, instead of the explanation
    and that sentence, with the explanation's fields and ``{off_on}`` (« un samedi (le 2
    janvier) », « un jour férié (lundi de Pâques, le 29 mars) »): the day said once (explorer
    UB5: « à son entrée en formation, le lundi 4 janvier 2027. Son entrée tombe le samedi 2
    janvier 2027, un samedi »)."""
    after_its_event: bool = False
    """With :attr:`day_off_after`: moved only when the working day before would come before
    the event it is counted from (a Saturday contact after a Friday absence stays « à faire
    plutôt le vendredi », the day itself)."""

    def moves_off(self, due: date, event: date) -> bool:
        """Whether a day-less deadline due on ``due`` goes to the working day after it
        (:attr:`day_off_after`, :attr:`after_its_event`; ``event``: the anchor's day)."""
        if not self.day_off_after or is_working_day(due):
            return False
        return not self.after_its_event or previous_working_day(due) < event

    wordings: tuple[Wording, ...] = ()
    """Other words for it while part of it is done (the first whose predicate holds)."""

    several: str | None = None
    """For a milestone owed once per trainee: what several of one formation are called
    together, after their count ("entrées à saisir dans EOS"), so a list shows one line
    "3 entrées à saisir dans EOS" rather than three."""


@dataclass(frozen=True, kw_only=True)
class Toggle:
    """An organisation's yes/no setting that turns a rule off, and the reason to show when off.

    The rule applies while the setting is true; its default says whether the
    rule is on out of the box (CVL-TABLE is off: a later text withdrew it)."""

    setting: str
    reason: str
    brief: str = ""
    """Why it is off, for the rules table, when its setting is off by default (explorer IC4:
    CVL-TABLE read there as a live deadline)."""


@dataclass(frozen=True, kw_only=True)
class Exclusion:
    """A case where the rule's own source says it does not apply."""

    predicate: str
    reason: str
    brief: str = ""
    """The case, for the rules table (explorer IC4: the Elycoop rows never said it)."""


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    funder: str | None
    """A code of ``bot.rules.facts.FUNDERS``; ``None``: the organisation's own procedure."""
    programmes: tuple[str, ...] | None
    """Programmes it applies to; ``None``: all of the funder's."""
    scope: str
    """Name of the subjects it iterates over (engine registry ``SCOPES``)."""
    trigger: str
    what: str
    audience: Audience
    sources: tuple[Source, ...]
    milestones: tuple[Milestone, ...]
    applies_if: tuple[str, ...] = ()
    """Predicates on the formation (``PREDICATES``; ``name:arg``, ``!`` negates)."""
    subject_if: tuple[str, ...] = ()
    """Predicates each subject must satisfy (a remote bilan, a follow-up's path…)."""
    toggles: tuple[Toggle, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    origin: str = ""
    """Where a rule the seed does not state as such comes from (the organisation's reminder,
    its reading of the text), said after its source in the rules table (explorer IC4)."""

    @property
    def source_ref(self) -> str:
        return " ; ".join(s.ref for s in self.sources)

    def sources_for(self, programme: str | None) -> tuple[Source, ...]:
        """The sources that speak of ``programme``: a deadline never cites a text it is not under."""
        found = tuple(s for s in self.sources if s.programmes is None or programme in s.programmes)
        return found or tuple(s for s in self.sources if s.beyond) or self.sources

    def beyond_for(self, programme: str | None) -> str:
        """What its texts say of being kept for ``programme`` by prudence (:attr:`Source.beyond`);
        "" for a programme they name."""
        return " ".join(
            filter(None, (s.beyond_for(programme) for s in self.sources_for(programme)))
        )

    @property
    def citation(self) -> str:
        """Its texts as a person quotes them (« fiche procédure bilan à distance, Région
        Normandie (000), §I »): what a user reads, never the seed files' names."""
        return " ; ".join(s.citation for s in self.sources)

    def citation_for(self, programme: str | None) -> str:
        return " ; ".join(s.citation for s in self.sources_for(programme))


def without_source(explanation: str, source: str) -> str:
    """A deadline's explanation without the source it ends with in brackets, where the source
    is given on its own line or in its own column (explorer DE8: « … (à 50 % du parcours, à
    défaut d'une date convenue) (bilan collectif de formation, Région Centre-Val de Loire
    (001), note 1 ; …). », two brackets in a row, and the source said twice in the calendar).
    The stored explanation keeps it: a row read alone still cites its text."""
    tail = f" ({source})."
    return explanation[: -len(tail)] + "." if explanation.endswith(tail) else explanation


@dataclass(frozen=True, kw_only=True)
class Deadline:
    key: str
    """Stable while dates move: rule (and milestone), subject kind and id, span."""
    rule_id: str
    formation_id: int
    subject: SubjectKind
    subject_id: int
    due_on: date
    """The day it is due, in the organisation's zone."""
    due_at: datetime | None
    """The exact moment, aware, in the organisation's zone, for rules counted in hours."""
    title: str
    explanation: str
    source: str
    """Seed file(s) and section(s)."""
    audience: Audience
    postponable: bool
    detail: str | None = None
    """What tells it apart from a deadline of the same title in the formation: the span of
    an owed bilan ("la composante « Cuisine »"), the bilan of a bilan's item ("bilan de fin
    du 26/11"); never a person's name."""
    anchor_on: date | None = None
    """The day its due date is counted from, in the organisation's zone (the last path's
    end for a final bilan): a done mark holds for that day (:data:`REDONE_AFTER_LATER_END`
    in :mod:`bot.rules.catalogue`)."""


ORG_DELAY_DAY_OFF = (
    ". Ce délai, que l'organisme s'est donné, tombait le {day}, {off} : c'est le jour ouvré suivant"
)
"""The :attr:`Milestone.day_off_after` of a delay no text fixes, counted from an event that
may itself fall just before a weekend (an entretien, a bilan, an absence)."""
