"""What a rule is about: its subjects (the formation, a bilan, a trainee, a follow-up, an
owed bilan), the moments its offsets count from, and the predicates it tests.

Rules name these; :mod:`bot.rules.engine` resolves the names here and does the dates.
Kept apart from the engine so each module holds one thing (the engine was past 500 lines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.rules.arithmetic import Moment, local_date
from bot.rules.facts import (
    BilanFacts,
    FollowUpFacts,
    FormationFacts,
    TraineeFacts,
)
from bot.rules.model import Milestone, SubjectKind
from bot.rules.owed import OwedBilan, Span, owed_bilans, session_spans


@dataclass(frozen=True)
class Subject:
    """What one deadline is about: the formation itself, a bilan, a trainee, a follow-up,
    or an owed bilan (whose subject is the formation, narrowed by ``key_suffix``)."""

    formation: FormationFacts
    kind: SubjectKind
    id: int
    key_suffix: str = ""
    bilan: BilanFacts | None = None
    trainee: TraineeFacts | None = None
    followup: FollowUpFacts | None = None
    owed: OwedBilan | None = None
    span: Span | None = None
    """A session (or the whole formation, when it has none), for what each session owes."""
    tz: ZoneInfo | None = None
    """The organisation's zone (the engine's), for an instant an anchor compares as a day:
    a rupture said at 0 h 30 is that day's, not the UTC day before (explorer KB3)."""


# --------------------------------------------------------------------- registries

SCOPES: dict[str, Callable[[FormationFacts], Iterable[Subject]]] = {
    "formation": lambda f: [Subject(f, "formation", f.id)],
    # A cancelled bilan owes nothing: it simply is not a subject.
    "bilans": lambda f: [Subject(f, "bilan", b.id, bilan=b) for b in f.bilans if not b.cancelled],
    # An erased trainee is owed nothing any more (explorer QC2), though their dates count.
    "trainees": lambda f: [
        Subject(f, "trainee", t.id, trainee=t) for t in f.trainees if not t.erased
    ],
    "followups": lambda f: [
        Subject(f, "followup", u.id, followup=u, trainee=f.trainee(u.trainee_id))
        for u in f.followups
    ],
    "sessions": lambda f: [
        Subject(
            f,
            "formation",
            f.id,
            key_suffix=f":session:{s.session_key}" if s.session_key is not None else "",
            span=s,
        )
        for s in session_spans(f)
    ],
    "owed_fin": lambda f: [
        Subject(f, "formation", f.id, key_suffix=o.key_suffix, owed=o)
        for o in owed_bilans(f)
        if o.kind == "fin"
    ],
    "owed_etape": lambda f: [
        Subject(f, "formation", f.id, key_suffix=o.key_suffix, owed=o)
        for o in owed_bilans(f)
        if o.kind == "etape"
    ],
}


def _trainee_exit(s: Subject) -> date | None:
    """A trainee leaves on ``left_on``; one who entered and has no exit yet leaves at the
    end of their path (their own extension, else their group's end: their session's, explorer
    IC5)."""
    if s.trainee is None:
        return None
    return s.trainee.exit_on(s.formation.group_end_of(s.trainee))


def entretien_of(s: Subject) -> datetime | None:
    """The entretien as held, else as planned: the compte rendu follows whichever is known."""
    if s.followup is None:
        return None
    return s.followup.entretien_held_at or s.followup.entretien_at


def sign_of(s: Subject) -> Moment | None:
    """The first sign's day, else (a follow-up from before it was asked) its opening."""
    if s.followup is None:
        return None
    return s.followup.sign_on or s.followup.opened_at


def _rupture(s: Subject) -> date | None:
    """An absence or a rupture added to a follow-up opened on other signs: its day, or the
    exit's when that came first."""
    came = s.followup.rupture_at if s.followup else None
    if came is None:
        return None
    day = local_date(came, s.tz) if s.tz is not None else came.date()
    left = s.trainee.left_on if s.trainee else None
    return min(day, left or day)


ANCHORS: dict[str, Callable[[Subject], Moment | None]] = {
    "bilan_start": lambda s: s.bilan.starts_at if s.bilan else None,
    "bilan_end": lambda s: s.bilan.ends_at if s.bilan else None,
    "bilan_scheduled": lambda s: s.bilan.scheduled_at if s.bilan else None,
    "formation_start": lambda s: s.formation.start,
    "formation_end": lambda s: s.formation.end,
    "formation_effective_end": lambda s: s.formation.effective_end,
    "span_start": lambda s: s.owed.start if s.owed else None,
    "span_end": lambda s: s.owed.end if s.owed else None,
    "span_planned_end": lambda s: s.owed.planned_end if s.owed else None,
    "session_start": lambda s: s.span.start if s.span else None,
    "trainee_entry": lambda s: s.trainee.entered_on if s.trainee else None,
    "trainee_exit": _trainee_exit,
    "followup_opened": lambda s: s.followup.opened_at if s.followup else None,
    "followup_sign": sign_of,
    "followup_difficulty": sign_of,
    "followup_rupture": lambda s: _rupture(s) or sign_of(s),
    "followup_entretien": entretien_of,
}
"""``span_*`` anchors belong to owed bilans: ``span_end`` counts an extension,
``span_planned_end`` does not (a bilan d'étape is agreed before any extension)."""

ANCHOR_LABELS: dict[str, str] = {
    "bilan_start": "le début du bilan",
    "bilan_end": "la fin du bilan",
    "bilan_scheduled": "la programmation du bilan",
    "formation_start": "le début de la formation",
    "formation_end": "la fin prévue de la formation",
    "formation_effective_end": "la fin de la formation, prolongation comprise",
    "span_start": "le début de la session",
    "span_end": "la fin de la formation, de la session ou de la composante, prolongation comprise",
    "span_planned_end": "la fin prévue",
    "session_start": "l'entrée en formation de la session",
    "trainee_entry": "l'entrée en formation",
    "trainee_exit": "la sortie de formation",
    "followup_opened": "l'ouverture du suivi",
    "followup_sign": "le premier signe (absence ou décrochage)",
    "followup_difficulty": "la difficulté constatée",
    "followup_rupture": "l'absence ou la rupture",
    "followup_entretien": "l'entretien",
}


PREDICATES: dict[str, Callable[[Subject, str], bool]] = {
    "bilan_remote": lambda s, _: s.bilan is not None and s.bilan.remote,
    "bilan_link_missing": lambda s, _: s.bilan is not None and s.bilan.link_missing,
    "remote_coaching": lambda s, _: s.formation.remote_coaching,
    "subcontracted": lambda s, _: s.formation.subcontracted,
    "programme": lambda s, arg: s.formation.programme == arg,
    "mode": lambda s, arg: s.formation.mode == arg,
    "kind": lambda s, arg: s.formation.kind == arg,
    "path": lambda s, arg: s.followup is not None and s.followup.path == arg,
    "cause": lambda s, arg: s.followup is not None and s.followup.cause == arg,
    "absent_or_gone": lambda s, _: s.followup is not None and s.followup.absent_or_gone,
    # The contact's other half reached, this one left (explorer HB10).
    "only_left": lambda s, arg: (
        s.followup is not None
        and bool(s.followup.reached)
        and s.followup.reached == {"stagiaire", "entreprise"} - {arg}
    ),
}
"""Predicates are written ``name`` or ``name:arg``; a leading ``!`` negates."""


def worded(milestone: Milestone, subject: Subject) -> Milestone:
    """The milestone in the words of what is left of it (:attr:`Milestone.wordings`)."""
    for wording in milestone.wordings:
        if holds(wording.when, subject):
            return replace(milestone, title=wording.title, explanation=wording.explanation)
    return milestone


def holds(name: str, subject: Subject) -> bool:
    negate = name.startswith("!")
    base, _, arg = name.removeprefix("!").partition(":")
    return PREDICATES[base](subject, arg) != negate


def path_end(s: Subject) -> date:
    """The last day of the followed trainee's path: their extension, else their group's end,
    their session's if they follow one (explorer IC5) (an exit is not the formation's end: an
    entretien after an abandon is still held)."""
    trainee = s.trainee
    if trainee is None:
        return s.formation.group_end
    end = s.formation.group_end_of(trainee)
    if trainee.path_end is not None and trainee.path_end > end:
        return trainee.path_end
    return end
