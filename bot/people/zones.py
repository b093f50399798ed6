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
