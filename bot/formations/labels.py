"""The words of a formation: what its stored codes are called, how a name is compared.

The codes are those of :mod:`bot.rules`; the dialogues offer these labels
as choices and the detail shows them back.
"""

from __future__ import annotations

from bot.answers import fold

FUNDERS = {
    "normandie": "Région Normandie",
    "cvl": "Région Centre-Val de Loire",
    "rectorat": "Rectorat (formation continue)",
    "autre": "Autre financeur",
}
PROGRAMMES = {
    "parcours_metiers": "Parcours Métiers",
    "visa": "Visa",
    "visa_plus": "Visa+ Parcours vers l'Emploi",
    "alpha_fle": "Alpha / FLE / FLI / RAN",
    "autre": "Autre programme",
}
ACTION_TYPES = {
    "projet_pro": "Élaboration de projet professionnel",
    "premiers_gestes": "Acquisition des premiers gestes professionnels",
    "creer_entreprise": "Se préparer à créer ou reprendre une entreprise",
    "metiers": "Se former au(x) métier(s) de…",
    "autre": "Autre type d'action",
}
MODES = {
    "dates": "De date à date (un groupe)",
    "esp": "Entrées et sorties permanentes",
}
KINDS = {
    "formation": "Une formation",
    "bilan_competences": "Un bilan de compétences",
    "vae": "Un accompagnement VAE",
}
LENGTHS = {
    "courte": "Courte",
    "longue": "Longue",
}

LABELS: dict[str, dict[str, str]] = {
    "funder": FUNDERS,
    "programme": PROGRAMMES,
    "action_type": ACTION_TYPES,
    "mode": MODES,
    "kind": KINDS,
}
"""Label of each stored code, by column: ``LABELS["funder"]["cvl"]``."""

REGION_FUNDERS = ("normandie", "cvl")
"""Funders whose formations are followed by a chargé(e) de mission."""

SESSION_ACTION_TYPES = ("premiers_gestes", "metiers")
"""Centre-Val de Loire action types that may owe a bilan per session or composante."""


def name_key(name: str) -> str:
    """How two trainees' names are compared: "Dupont" and "DUPONT" are one trainee."""
    return fold(name)
