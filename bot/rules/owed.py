"""Which bilans a formation owes its funder, read from the seeds.

Centre-Val de Loire ties the bilans to the action type and to how the
formation is organised (002 §2): a group de date à date owes one bilan de
fin; ESP or several sessions add a bilan d'étape; "premiers gestes" owes a
fin per session; "se former au(x) métier(s)" owes a fin per composante.
Where 002 is silent (an ESP "premiers gestes", a de-date-à-date "créer une
entreprise", a programme without an action type), the general rule of the
whole PRF quoted in 001 applies: a group de date à date owes a bilan at the
end of its session, the other cases (ESP) a bilan à mi-session and one at the
end.  Every owed bilan carries the sentence that says why, so the bot can
answer "pourquoi ce bilan ?".

Région Normandie holds one bilan de fin with its chargé(e) de mission
(remote or on site, 000); other funders owe none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.rules.catalogue import RULES_BY_ID
from bot.rules.catalogue.centre_val_de_loire import CVL_001_LABEL, CVL_002_LABEL
from bot.rules.catalogue.normandie import NOR_LABEL
from bot.rules.facts import ACTION_TYPES, BilanKind, FormationFacts, SessionFacts
from bot.rules.french import spell_date

# The documents as the deadlines cite them (« Référence »), never a bare number.
SOURCE_002 = f"{CVL_002_LABEL}, §2"
SOURCE_001 = f"{CVL_001_LABEL}, « Bilan collectif de formation »"
SOURCE_EXTENSION = f"{CVL_002_LABEL}, « ATTENTION »"
SOURCE_NORMANDIE = NOR_LABEL


@dataclass(frozen=True, kw_only=True)
class OwedBilan:
    """One bilan a formation owes, for the whole formation, a session or a composante."""

    kind: BilanKind
    start: date
    end: date
    """End of the span: the end that counts (extension included) for a fin; the
    planned end for an étape, whose date is agreed early with the référent."""
    planned_end: date
    """End of the span before any extension."""
    suggested_on: date
    """A fin: the end of its span; an étape: mid-way (the référent may agree another date)."""
    reason: str
    """One French sentence citing the seed."""
    scope_label: str
    """``la formation « … »``, ``la session 2 (du … au …)``, ``la composante « … »``."""
    session: int | None = None
    """1-based position of the session by start date, for display."""
    session_key: int | None = None
    """The session's id when known, else its position in ``FormationFacts.sessions``."""
    composante: str | None = None
    extended: bool = False
    """True when a bon de commande supplémentaire moved this fin later."""

    @property
    def key_suffix(self) -> str:
        """The part of a deadline key naming this span; independent of dates."""
        if self.session_key is not None:
            return f":session:{self.session_key}"
        if self.composante is not None:
            return f":composante:{_slug(self.composante)}"
        return ""


@dataclass(frozen=True)
class Span:
    """A stretch of a formation something is owed for: the whole, a session, a composante."""

    start: date
    planned_end: date
    end: date
    label: str
    session: int | None = None
    session_key: int | None = None
    composante: str | None = None

    @property
    def extended(self) -> bool:
        return self.end > self.planned_end


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "sans-nom"


def _dates(start: date, end: date) -> str:
    return f"du {spell_date(start)} au {spell_date(end)}"


def midway(start: date, end: date, percent: int = 50) -> date:
    """``percent`` of the way from ``start`` to ``end``, rounded down to a day."""
    return start + timedelta(days=(end - start).days * percent // 100)


def _extend(formation: FormationFacts, planned_end: date, last_end: date) -> date:
    """Apply the extension to the span that ends last: 002 speaks of *the* final bilan."""
    if planned_end == last_end and formation.effective_end > planned_end:
        return formation.effective_end
    return planned_end


def _whole(formation: FormationFacts) -> Span:
    return Span(
        start=formation.start,
        planned_end=formation.end,
        end=formation.effective_end,
        label=f"la formation « {formation.title} »",
    )


def _ordered(formation: FormationFacts) -> list[tuple[int, SessionFacts]]:
    """(position in the tuple, session), sorted by dates for display numbers."""
    return sorted(enumerate(formation.sessions, start=1), key=lambda p: (p[1].start, p[1].end))


def _session_spans(formation: FormationFacts) -> list[Span]:
    """Each session's span; its end counts the extensions of its own trainees' paths
    (explorer IC5: a bon de commande supplémentaire for a trainee of session 1 moves session
    1's final bilan, not the last one's)."""
    ordered = _ordered(formation)
    spans = []
    for number, (position, session) in enumerate(ordered, start=1):
        name = f"session « {session.label} »" if session.label else f"session {number}"
        spans.append(
            Span(
                start=session.start,
                planned_end=session.end,
                end=formation.session_end(session),
                label=f"la {name} ({_dates(session.start, session.end)})",
                session=number,
                session_key=session.id if session.id is not None else position,
            )
        )
    return spans


def session_spans(formation: FormationFacts) -> list[Span]:
    """Each session of the formation in date order, or the whole formation when it has none.

    What is owed "pour chaque session de formation" (the orientation table,
    002 §1) is owed once for a formation that is one session.
    """
    return _session_spans(formation) if formation.sessions else [_whole(formation)]


def _composante_spans(formation: FormationFacts) -> list[tuple[Span, int]]:
    """One span per composante, with its number of sessions, in order of first start."""
    groups: dict[str, list[SessionFacts]] = {}
    for _, session in _ordered(formation):
        groups.setdefault(session.composante or "", []).append(session)
    last_end = max(s.end for s in formation.sessions)
    spans = []
    for name, sessions in groups.items():
        start = min(s.start for s in sessions)
        planned_end = max(s.end for s in sessions)
        label = f"la composante « {name} »" if name else "l'ensemble des sessions sans composante"
        spans.append(
            (
                Span(
                    start=start,
                    planned_end=planned_end,
                    end=_extend(formation, planned_end, last_end),
                    label=label,
                    composante=name or "sans composante",
                ),
                len(sessions),
            )
        )
    return spans


CVL_EXTENSION = (
    "Un bon de commande supplémentaire reporte la fin retenue au {end} : le bilan final est "
    "attendu à son issue ({source})."
)
"""The Centre-Val de Loire's words for a path extended (002, « ATTENTION »)."""


def _fin(span: Span, reason: str, extension: str = CVL_EXTENSION) -> OwedBilan:
    if span.extended:
        words = extension.format(end=spell_date(span.end), source=SOURCE_EXTENSION)
        reason = f"{reason} {words}"
    return OwedBilan(
        kind="fin",
        start=span.start,
        end=span.end,
        planned_end=span.planned_end,
        suggested_on=span.end,
        reason=reason,
        scope_label=span.label,
        session=span.session,
        session_key=span.session_key,
        composante=span.composante,
        extended=span.extended,
    )


def _etape(span: Span, reason: str) -> OwedBilan:
    return OwedBilan(
        kind="etape",
        start=span.start,
        end=span.planned_end,
        planned_end=span.planned_end,
        suggested_on=midway(span.start, span.planned_end),
        reason=f"{reason} La date du bilan d'étape est à arrêter avec la personne référente "
        "territoriale ; à défaut, mi-parcours.",
        scope_label=span.label,
        session=span.session,
        session_key=span.session_key,
        composante=span.composante,
    )


def _both(span: Span, reason: str) -> list[OwedBilan]:
    return [_etape(span, reason), _fin(span, reason)]


def _cvl(formation: FormationFacts) -> list[OwedBilan]:
    # 002's action types are the Parcours Métiers' own: a Visa's bilans come from 001 alone.
    pm = formation.programme in (None, "parcours_metiers")
    action = formation.action_type if pm else None
    name = ACTION_TYPES.get(action or "", "")
    esp = formation.mode == "esp"
    several = len(formation.sessions) > 1
    whole = _whole(formation)
    how = "en plusieurs sessions" if several else "à entrées et sorties permanentes"
    general_esp = (
        f"{name or 'Action'} {how} : les pièces pédagogiques exigées ne prévoient pas ce cas ; "
        f"la règle générale du PRF "
        f"demande alors un bilan à mi-session et un autre en fin de session ({SOURCE_001})."
    )

    if action == "projet_pro":
        if esp or several:
            return _both(
                whole,
                f"{name} {how} : un bilan d'étape et un bilan de fin de formation ({SOURCE_002}).",
            )
        return [_fin(whole, f"{name} de date à date : uniquement un bilan de fin ({SOURCE_002}).")]

    if action == "premiers_gestes":
        if several:
            reason = f"{name} en plusieurs sessions : un bilan de fin à la fin de chaque session ({SOURCE_002})."
            return [_fin(span, reason) for span in _session_spans(formation)]
        if esp:
            return _both(whole, general_esp)
        return [_fin(whole, f"{name} de date à date : uniquement un bilan de fin ({SOURCE_002}).")]

    if action == "creer_entreprise":
        if esp or several:
            return _both(
                whole,
                f"{name} {how} : un bilan d'étape et un bilan de fin de formation ({SOURCE_002}).",
            )
        return [
            _fin(
                whole,
                f"{name} de date à date : les pièces pédagogiques exigées ne prévoient que les "
                f"actions à entrées et sorties "
                f"permanentes ou à plusieurs sessions ; pour un groupe de date à date, la règle "
                f"générale du PRF demande un bilan en fin de session ({SOURCE_001}).",
            )
        ]

    if action == "metiers":
        composantes = _composante_spans(formation) if formation.sessions else []
        if len(composantes) > 1:
            owed: list[OwedBilan] = []
            for span, count in composantes:
                if count > 1 or esp:
                    owed += _both(
                        span,
                        f"{name}, plusieurs sessions au sein de la même composante : un bilan "
                        f"d'étape et un bilan de fin de formation ({SOURCE_002}).",
                    )
                else:
                    owed.append(
                        _fin(
                            span,
                            f"{name}, action à plusieurs composantes : un bilan de fin de "
                            f"formation par composante ({SOURCE_002}).",
                        )
                    )
            return owed
        if several:
            return _both(
                whole,
                f"{name}, plusieurs sessions au sein de la même composante : un bilan d'étape "
                f"et un bilan de fin de formation ({SOURCE_002}).",
            )
        if esp:
            return _both(whole, general_esp)
        return [_fin(whole, f"{name} de date à date : uniquement un bilan de fin ({SOURCE_002}).")]

    # No action type (Visa, Visa+, Alpha FLE…): the general rule of the PRF (001).
    if esp:
        return _both(
            whole,
            f"Action à entrées et sorties permanentes : un bilan à mi-session et un autre en fin "
            f"de session ({SOURCE_001}).",
        )
    if several:
        reason = f"Chaque session de date à date : un bilan de formation en fin de session ({SOURCE_001})."
        return [_fin(span, reason) for span in _session_spans(formation)]
    return [
        _fin(
            whole,
            f"Session de date à date : un bilan de formation en fin de session ({SOURCE_001}).",
        )
    ]


def owed_bilans(formation: FormationFacts) -> list[OwedBilan]:
    """The bilans ``formation`` owes its funder, étapes before fins, in date order."""
    if formation.funder == "normandie":
        whole = _whole(formation)
        return [
            _fin(
                whole,
                "La Région Normandie tient un bilan avec la personne chargée de mission, à "
                f"distance ou sur place ({SOURCE_NORMANDIE}) ; la fiche ne dit pas quand : "
                "formabot en prévoit un, en fin de formation.",
                # The « bon de commande » and its « bilan final » are 002's, not the fiche's
                # (explorer F F6).
                extension="Un parcours prolongé reporte la fin de la formation au {end} : "
                "formabot propose le bilan de fin après lui (la fin qui compte est la plus "
                "tardive).",
            )
        ]
    if formation.funder == "cvl":
        owed = _cvl(formation)
        # A programme 001 does not name owes its bilans by prudence, and says so (UB3).
        if beyond := RULES_BY_ID["CVL-BQ-END"].beyond_for(formation.programme):
            owed = [replace(o, reason=f"{o.reason} {beyond}.") for o in owed]
        return sorted(owed, key=lambda o: (o.suggested_on, o.kind != "etape"))
    return []
