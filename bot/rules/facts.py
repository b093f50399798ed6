"""What the rules need to know about a formation, and nothing else.

The rules are a pure function: other code (storage, conversations) maps its
SQL rows onto these frozen dataclasses, and :func:`bot.rules.deadlines` turns
them into dated deadlines.  Keeping the input this narrow is what makes the
rules testable against the seeds' own examples without a database.

The codes below are the vocabulary shared with storage.  They are checked
when a fact is built, because a typo in a mapper ("CVL" for "cvl") would
otherwise silently produce *no* deadline, which is the worst failure a
reminder system can have.  Adding a Région or a programme is adding a line
to these tables, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Mode = Literal["dates", "esp"]
"""``dates``: one group from a start to an end date; ``esp``: entrées et sorties permanentes."""

BilanKind = Literal["etape", "fin"]

FUNDERS: dict[str, str] = {
    "normandie": "Région Normandie",
    "cvl": "Région Centre-Val de Loire",
    "rectorat": "Rectorat",
    "autre": "Autre financeur",
}

REGION_CONTACT = "personne chargée de mission"
"""Who follows a formation at the Région, in its documents (Normandie's words, 000)."""
REGION_CONTACTS: dict[str, str] = {
    "cvl": "personne référente territoriale",
}
"""The same, by funder, as its texts name it: Centre-Val de Loire's « le (la) référent(e)
territorial(e) en charge du suivi de l'action » (001 note 1, 002 §2; explorer CF10: its
agenda read « personne chargée de mission » beside « référents territoriaux »)."""


def region_contact(funder: str | None) -> str:
    return REGION_CONTACTS.get(funder or "", REGION_CONTACT)


PROGRAMMES: dict[str, str] = {
    "parcours_metiers": "Parcours Métiers",
    "visa": "Visa",
    "visa_plus": "Visa+ Parcours vers l'Emploi",
    "alpha_fle": "Alpha FLE/FLI Ran",
    "autre": "Autre programme",
}

ACTION_TYPES: dict[str, str] = {
    "projet_pro": "Élaboration de projet professionnel",
    "premiers_gestes": "Acquisition des premiers gestes professionnels",
    "creer_entreprise": "Se préparer à créer ou reprendre une entreprise",
    "metiers": "Se former au(x) métier(s) de",
}

GROUP_SESSION_ACTION_TYPES = ("premiers_gestes",)
"""The action types whose sessions are each a group of its own trainees: 002 §2 asks of
« Acquisition des premiers gestes professionnels » « un bilan de fin à la fin de chaque
session »; the others in several sessions owe « étape + fin », one path through them."""


def sessions_are_groups(
    funder: str | None, programme: str | None, action_type: str | None, sessions: int
) -> bool:
    """Whether a formation's ``sessions`` (their number) are each a group of its own
    trainees, who leave with their session: only a Centre-Val de Loire « premiers gestes »
    (of the Parcours Métiers, whose action types they are) in several sessions.  Explorer
    MA1: « Se former au(x) métier(s) de » in one composante, « Élaboration de projet
    professionnel » and « Se préparer à créer ou reprendre une entreprise » follow the same
    trainees through their sessions (étape + fin); their EOS exit is the formation's end.
    The one definition the rules, the stored formations and the dialogues use."""
    return (
        sessions > 1
        and funder == "cvl"
        and programme in (None, "parcours_metiers")
        and action_type in GROUP_SESSION_ACTION_TYPES
    )


FOLLOWUP_PATHS: dict[str, str] = {
    "short": "formation courte",
    "long": "formation longue ou certifiante",
    "bilan_comp": "bilan de compétences",
    "vae": "VAE",
}

FOLLOWUP_CAUSES: dict[str, str] = {
    "sick_leave": "arrêt maladie",
    "difficulty": "difficulté avec le bénéficiaire",
}
"""Why a bilan de compétences follow-up was opened: 003 treats the two apart."""


ABSENCE_OR_RUPTURE = frozenset({"absence", "absences_repetees", "retards", "abandon"})
"""The signs of an absence or a rupture (a late arrival is part of a half-day missed)."""


def _check_code(value: str | None, table: dict[str, str], what: str) -> None:
    if value is not None and value not in table:
        known = ", ".join(sorted(table))
        raise ValueError(f"{what} inconnu : {value!r} (codes possibles : {known})")


def _check_aware(value: datetime | None, what: str) -> None:
    """Naive datetimes are refused: a bilan's hour means nothing without its zone."""
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{what} doit porter un fuseau horaire (datetime « aware »)")


@dataclass(frozen=True, kw_only=True)
class SessionFacts:
    """A session or a composante of a formation.

    ``id`` and ``label`` are optional extras: when ``id`` is given, deadline
    keys use it, so they survive a reordering of the sessions; otherwise the
    position in the tuple is used.

    Every fact class is keyword-only: mappers name each field, so a new
    optional field can never shift a positional argument.
    """

    start: date
    end: date
    composante: str | None = None
    id: int | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("une session ne peut pas finir avant de commencer")


@dataclass(frozen=True, kw_only=True)
class TraineeFacts:
    """A trainee's entry and exit; ``name`` is only used to word reminders.

    ``path_end`` is the end of this trainee's path when a bon de commande
    supplémentaire extended it (002, « ATTENTION »): they leave then, unless
    ``left_on`` says they left earlier, and the final bilan waits for it.

    ``session_id`` is the session (its :attr:`SessionFacts.id`) this trainee follows in
    a formation of several sessions: their group ends with it, and their extension moves
    that session's final bilan (explorer IC5: a trainee of session 1 left only at the
    end of the last session).  ``None``: the whole formation, as before.

    ``erased``: their data was erased at an admin's request (:mod:`bot.privacy.erasure`).
    They still count in the formation's dates, but nothing is owed about them any more
    (explorer QC2: their EOS entry, already done, came back « en retard » under the
    pseudonym after /effacer had said their deadlines were erased).
    """

    id: int
    entered_on: date | None = None
    left_on: date | None = None
    name: str | None = None
    path_end: date | None = None
    session_id: int | None = None
    erased: bool = False

    @property
    def later_end(self) -> date | None:
        """What this path adds to the end that counts: the recorded exit, else the
        extension (an early exit never brings it forward: the caller takes the latest)."""
        if self.left_on is not None:
            return self.left_on
        return self.path_end

    def exit_on(self, group_end: date) -> date | None:
        """When this path ends: the recorded exit, else its extension, else the group's end.

        ``None`` for a trainee who has not entered (nothing to record at exit yet).
        """
        if self.left_on is not None:
            return self.left_on
        if self.entered_on is None:
            return None
        if self.path_end is not None and self.path_end > group_end:
            return self.path_end
        return group_end


@dataclass(frozen=True, kw_only=True)
class BilanFacts:
    id: int
    kind: BilanKind
    remote: bool
    starts_at: datetime
    ends_at: datetime
    cancelled: bool = False
    link_missing: bool = False
    """A remote bilan whose visio link is to be given later ("plus tard")."""
    scheduled_at: datetime | None = None
    """When it was booked: what the Région asks « at scheduling » is due then (NOR-VISIO,
    NOR-DELEGATES); ``None`` for a bilan not booked yet (a preview)."""

    def __post_init__(self) -> None:
        if self.kind not in ("etape", "fin"):
            raise ValueError(f"type de bilan inconnu : {self.kind!r}")
        _check_aware(self.starts_at, "le début du bilan")
        _check_aware(self.ends_at, "la fin du bilan")
        if self.ends_at < self.starts_at:
            raise ValueError("un bilan ne peut pas finir avant de commencer")


@dataclass(frozen=True, kw_only=True)
class FollowUpFacts:
    """An absence or décrochage follow-up (Elycoop procedure, 003 §2).

    ``cause`` is an optional extra: 003 handles a sick leave during a bilan de
    compétences (ELY-BILAN-COMP) apart from a difficulty (ELY-BILAN-DIFF);
    when it is unknown, the difficulty path applies, because the bot opens a
    follow-up on a sign of décrochage.
    """

    id: int
    trainee_id: int
    path: str
    opened_at: datetime
    entretien_at: datetime | None = None
    entretien_held_at: datetime | None = None
    cause: str | None = None
    sign_on: date | None = None
    """The day the first sign was seen (an absence's day, or what the trainer said):
    « dès qu'un signe de décrochage apparaît » counts from it; unknown, from the opening."""
    signs: frozenset[str] = frozenset()
    """The codes of the signs observed; none known: every rule of the path applies."""
    reached: frozenset[str] = frozenset()
    """Who was contacted since the first sign, of those a short formation's procedure asks
    (``stagiaire``, ``entreprise``; « no employer » counts as the company): what is left
    of the contact is said (explorer HB10)."""
    rupture_at: datetime | None = None
    """When a sign of absence or rupture was added to a follow-up opened on other signs
    (« manque de réactivité », then an abandon): what a short formation's contact counts
    from (explorer T T4: from the old sign, overdue the moment it appeared)."""

    @property
    def absent_or_gone(self) -> bool:
        """Whether a sign says the person was absent or left: what a short formation's
        procedure answers (003 §2 « le participant absent et/ou en rupture »)."""
        return not self.signs or bool(self.signs & ABSENCE_OR_RUPTURE)

    def __post_init__(self) -> None:
        _check_code(self.path, FOLLOWUP_PATHS, "parcours de suivi")
        _check_code(self.cause, FOLLOWUP_CAUSES, "motif de suivi")
        _check_aware(self.opened_at, "l'ouverture du suivi")
        _check_aware(self.entretien_at, "la date de l'entretien")
        _check_aware(self.entretien_held_at, "la date de l'entretien tenu")


@dataclass(frozen=True, kw_only=True)
class FormationFacts:
    """A formation as the rules see it.

    ``subcontracted`` is an optional extra: the Elycoop procedure (003,
    Objet) does not apply when the formateur works as a subcontractor of
    another OF.
    """

    id: int
    title: str
    funder: str
    start: date
    end: date
    mode: Mode = "dates"
    kind: str = "formation"
    """``formation`` | ``bilan_competences`` | ``vae``: what is followed (the Elycoop procedure
    asks a livret de suivi of every VAE candidate)."""
    programme: str | None = None
    action_type: str | None = None
    extended_end: date | None = None
    sessions: tuple[SessionFacts, ...] = ()
    remote_coaching: bool = False
    chargee_de_mission: str | None = None
    trainees: tuple[TraineeFacts, ...] = ()
    bilans: tuple[BilanFacts, ...] = ()
    followups: tuple[FollowUpFacts, ...] = ()
    subcontracted: bool = False

    def __post_init__(self) -> None:
        _check_code(self.funder, FUNDERS, "financeur")
        _check_code(self.programme, PROGRAMMES, "programme")
        _check_code(self.action_type, ACTION_TYPES, "type d'action")
        if self.mode not in ("dates", "esp"):
            raise ValueError(f"mode inconnu : {self.mode!r} (codes possibles : dates, esp)")
        if self.end < self.start:
            raise ValueError("une formation ne peut pas finir avant de commencer")

    @property
    def group_end(self) -> date:
        """The end of the group's own path: the planned end, or the formation's extension."""
        if self.extended_end is not None and self.extended_end > self.end:
            return self.extended_end
        return self.end

    @property
    def effective_end(self) -> date:
        """The end that counts: once every path has ended (002, « ATTENTION »).

        A bon de commande supplémentaire for the whole formation or for one
        trainee moves it later; an early exit never moves it earlier.
        """
        ends = [t.later_end for t in self.trainees if t.later_end is not None]
        return max([self.group_end, *ends])

    def trainee(self, trainee_id: int) -> TraineeFacts | None:
        return next((t for t in self.trainees if t.id == trainee_id), None)

    @property
    def sessions_are_groups(self) -> bool:
        """Several sessions, each its own group of trainees (explorer IC5): « premiers
        gestes » only (explorer MA1, :func:`sessions_are_groups`)."""
        return sessions_are_groups(
            self.funder, self.programme, self.action_type, len(self.sessions)
        )

    def earlier_session(self, trainee: TraineeFacts) -> SessionFacts | None:
        """The session ``trainee`` follows when it ends before the last one; ``None`` for
        a trainee of the last session or of none: their group ends with the formation."""
        if not self.sessions_are_groups or trainee.session_id is None:
            return None
        session = next((s for s in self.sessions if s.id == trainee.session_id), None)
        last = max(s.end for s in self.sessions)
        return session if session is not None and session.end < last else None

    def group_end_of(self, trainee: TraineeFacts) -> date:
        """When the group ``trainee`` follows ends: their session's end (explorer IC5: a
        trainee of session 1 of « premiers gestes », 1–31 March, is out of EOS on 31 March,
        not at the end of session 2 in June), else the formation's."""
        session = self.earlier_session(trainee)
        return self.group_end if session is None else session.end

    def session_end(self, session: SessionFacts) -> date:
        """The end that counts for ``session``'s final bilan: its planned end, or later
        when one of its trainees' path was extended (002 « ATTENTION »: « le bilan final est
        attendu à l'issue du bon de commande supplémentaire »); the last session's also
        counts the formation's extension and the trainees of no earlier session."""
        if session.end >= max(s.end for s in self.sessions):
            others = [t for t in self.trainees if self.earlier_session(t) is None]
            ends = [t.later_end for t in others if t.later_end is not None]
            return max([session.end, self.group_end, *ends])
        mine = [t for t in self.trainees if self.earlier_session(t) is session]
        return max([session.end, *(t.later_end for t in mine if t.later_end is not None)])
