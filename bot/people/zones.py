"""The time zones an organisation works in, as people name them.

Every hour an organisation reads (bilans, deadlines, the digest) is said in
its zone; it is chosen at ``/start`` and changed in ``/reglages``, with the
same words in both (metropolitan France and the overseas regions where
training organisations work with the State's funders).
"""

from __future__ import annotations

ZONES: dict[str, str] = {
    "Europe/Paris": "Métropole (Europe/Paris)",
    "America/Martinique": "Guadeloupe, Martinique (America/Martinique)",
    "America/Cayenne": "Guyane (America/Cayenne)",
    "Indian/Reunion": "La Réunion (Indian/Reunion)",
    "Indian/Mayotte": "Mayotte (Indian/Mayotte)",
    "Pacific/Noumea": "Nouvelle-Calédonie (Pacific/Noumea)",
    "Pacific/Tahiti": "Polynésie (Pacific/Tahiti)",
}
"""Zone id → the words shown (the id kept: it is what a calendar file says)."""

HOURS: dict[str, str] = {
    "Europe/Paris": "heure de Paris",
    "America/Martinique": "heure des Antilles",
    "America/Cayenne": "heure de Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
    "Pacific/Noumea": "heure de Nouvelle-Calédonie",
    "Pacific/Tahiti": "heure de Tahiti",
}
"""Zone id → its hour as a sentence says it (a sworn text: « de 14 h 00 à 16 h 00 (heure de
La Réunion) »; explorer CF5, « heure locale, Indian/Reunion », the code in English)."""


def hour_words(zone: str) -> str:
    """« heure de Paris », « heure de La Réunion »…; a zone outside :data:`ZONES` (set by
    hand in the database) is the local hour, unnamed rather than named by its code."""
    return HOURS.get(zone, "heure locale")
