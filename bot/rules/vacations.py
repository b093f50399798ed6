"""Pay for the Rectorat's accompagnement à distance, in vacations (004 §3).

"Une vacation pour deux heures d'intervention", "limitée à une vacation par
stagiaire ayant effectivement participé", "pour un groupe, limitée à huit
vacations".  The seed does not say how a started pair of hours counts: the
rounding is an organisation setting, down by default (a vacation is owed
for two *full* hours), and the result carries its working in French so the
formateur can check it against the responsable académique's decision.

Arithmetic is exact (fractions), so 9 h gives 4,5 vacations before rounding,
never 4.499999.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from bot.rules.catalogue.rectorat import REC_LABEL
from bot.rules.french import decimal, plural
from bot.rules.settings import ROUNDINGS, Rounding

MINUTES_PER_VACATION = 120
GROUP_CAP = 8

Cap = Literal["trainee", "group"]

_ROUNDING_WORDS: dict[Rounding, str] = {
    "down": "arrondi à l'inférieur",
    "nearest": "arrondi au plus proche (une demi-vacation compte)",
    "up": "arrondi au supérieur",
}


@dataclass(frozen=True)
class VacationsResult:
    vacations: int
    raw: Fraction
    """Hours divided by two, before rounding and caps."""
    cap: Cap | None
    """The cap that lowered the result: ``trainee`` (one per participant), ``group`` (eight)."""
    working: list[str] = field(default_factory=list)
    """French lines showing the arithmetic, in order."""


def _round(value: Fraction, rounding: Rounding) -> int:
    if rounding == "down":
        return value.numerator // value.denominator
    if rounding == "up":
        return -(-value.numerator // value.denominator)
    # Half up, as people count: 4,5 gives 5 (Python's round() would give 4).
    return int((value + Fraction(1, 2)).numerator // (value + Fraction(1, 2)).denominator)


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}"


def compute_vacations(
    coaching_minutes: int, participants: int, rounding: Rounding = "down"
) -> VacationsResult:
    """Vacations owed for ``coaching_minutes`` of remote coaching with ``participants``.

    ``participants`` counts the trainees who actually took part, not those
    enrolled: absences lower the cap (004 §3, "ayant effectivement participé").
    """
    if coaching_minutes < 0 or participants < 0:
        raise ValueError("la durée et le nombre de participants ne peuvent pas être négatifs")
    if rounding not in ROUNDINGS:
        raise ValueError(f"arrondi inconnu : {rounding!r} (down, nearest ou up)")

    raw = Fraction(coaching_minutes, MINUTES_PER_VACATION)
    rounded = _round(raw, rounding)
    working = [
        f"Temps d'accompagnement à distance : {_hours(coaching_minutes)} "
        f"({plural(coaching_minutes, 'minute')}).",
        f"Une vacation pour deux heures : {_hours(coaching_minutes)} ÷ 2 h = "
        f"{decimal(float(raw))} {'vacation' if raw < 2 else 'vacations'}.",
    ]
    if raw.denominator != 1:
        working.append(
            f"Vacation entamée, {_ROUNDING_WORDS[rounding]} : {plural(rounded, 'vacation')} "
            "(le texte ne dit pas comment la compter : c'est le réglage de l'organisme, "
            "modifiable avec /reglages)."
        )

    cap: Cap | None = None
    result = rounded
    limit = min(participants, GROUP_CAP)
    working.append(
        f"Plafonds : une vacation par stagiaire ayant effectivement participé "
        f"({participants}), huit pour un groupe."
    )
    if rounded > limit:
        # On a tie (eight participants) the group cap is named: it holds whatever the attendance.
        cap = "trainee" if participants < GROUP_CAP else "group"
        result = limit
        which = (
            f"plafond d'une vacation par stagiaire ayant participé ({participants})"
            if cap == "trainee"
            else f"plafond de {GROUP_CAP} vacations pour un groupe"
        )
        working.append(
            f"Plafond appliqué, {which} : {plural(result, 'vacation')} au lieu de {rounded}."
        )
    working.append(f"Résultat : {plural(result, 'vacation')} ({REC_LABEL}, §3 Rémunération).")
    return VacationsResult(vacations=result, raw=raw, cap=cap, working=working)
