"""Health in what people write: pointed out once before it is kept.

Two readings, for two readers. What a participant writes to decline a bilan
goes to the Région, which needs no word of health at all (:data:`HEALTH`,
explorer W, W13). A trainer's notes (an absence's motive, a follow-up's
observations, a compte rendu) go to the organisation's file, where « arrêt
maladie » is the motive the question itself offers, but a diagnosis or a
treatment is a medical detail no file needs (:data:`MEDICAL_DETAIL`, explorer
Z, Z5: « arrêt maladie, gastro », « son traitement contre la dépression »
were printed in the PDF without a word). Either is said once, and kept if
sent again unchanged: the person may have a reason we cannot see.
"""

from __future__ import annotations

import re
from typing import Any

from bot.answers import fold

_DETAILS = (
    r"grippe|gastro\w*|covid\w*|fievre|angine|bronchite|rhume|migraines?|otite"
    r"|depression|depressive?|antidepresseurs?|burn out|anxiete|angoisses?|psychiatr\w*"
    r"|psycholog\w*|psy|therapie|cancer|chimio\w*|diabete|asthme|allergie|infection"
    r"|enceinte|grossesse|accouchement|fausse couche|ivg|operation|opere|operee|chirurgi\w*"
    r"|fracture|entorse|blessure|blesse|blessee|traitements?|medicaments?|handicap"
    r"|addiction|alcool\w*|drogues?|suicid\w*"
)
_CATEGORIES = (
    r"malade|maladie|arret (?:de )?travail|medecin|medical|medicale|hopital|hospitalis\w*"
    r"|sante|soins?|urgences?"
)

MEDICAL_DETAIL = re.compile(rf"\b(?:{_DETAILS})\b")
"""A diagnosis, a treatment or a condition (folded): more than a file's motive needs."""

HEALTH = re.compile(rf"\b(?:{_DETAILS}|{_CATEGORIES})\b")
"""Any word of health (folded), the categories (« arrêt maladie ») too."""

SAID = "_health_said"
"""The answer (folded) last pointed out, in the dialogue's data: sent again, it is kept."""


def point_out_once(data: dict[str, Any], text: str, words: re.Pattern[str]) -> bool:
    """Whether ``text`` holds ``words`` and was not pointed out already (then it is now)."""
    folded = fold(text)
    if words.search(folded) is None or data.get(SAID) == folded:
        return False
    data[SAID] = folded
    return True
