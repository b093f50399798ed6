"""The words of a follow-up (003 §2): each code the storage keeps, as a person reads it.

Chats, the ticket qualité, the timeline and the exports all say a sign, a
channel or a missing step with these words; one table each, so that they
say it the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.answers import fold
from bot.rules.facts import FOLLOWUP_PATHS

JUSTIFICATIF = "justificatif"
"""The kind of an absence's proof among the stored documents."""

SIGNS: dict[str, str] = {
    "absences_repetees": "Absences répétées",
    "retards": "Retards",
    "manque_reactivite": "Manque de réactivité",
    "baisse_motivation": "Baisse de motivation",
    "difficultes_personnelles": "Difficultés personnelles ou de santé",
    "autre": "Autre",
    "absence": "Une absence",
    "abandon": "Abandon de la formation",
}
WITH_WHOM: dict[str, str] = {
    "stagiaire": "la personne en formation",
    "entreprise": "l'entreprise",
    "equipe": "l'équipe (échange de pratiques)",
    "autre": "une autre personne",
    "sans_entreprise": "aucune entreprise : la personne n'a pas d'employeur",
}
NO_COMPANY = "sans_entreprise"
"""Noted instead of a contact with the company when the trainee has none (a job seeker):
ELY-SHORT's « et l'entreprise » has nobody to reach (explorer BB1: the contact step stayed
open and was closed « non tenue » by the ticket, an auditor reading a step missed)."""
CHANNELS: dict[str, str] = {
    "telephone": "téléphone",
    "email": "e-mail",
    "sms": "SMS",
    "visio": "visio",
    "en_personne": "en personne",
    "courrier": "courrier",
    "reunion": "réunion",
    "aucun": "sans objet",
}
SOLUTIONS: dict[str, str] = {
    "report": "report des dates du bilan",
    "maintien": "maintien du bilan",
    "avenant": "avenant à la convention",
    "autre": "autre solution",
}
CAUSES: dict[str, str] = {
    "sick_leave": "arrêt maladie",
    "difficulty": "difficulté pressentie ou avérée",
}
SICK_LEAVE = re.compile(
    r"\barrets?\s+(?:de\s+)?(?:maladie|travail|medical)\b|\b(?:en|un|son|d un)\s+arret\b"
)
"""An absence's motive that says sick leave (folded): « arrêt maladie », « elle a un arrêt »,
« en arrêt de travail »; not « malade » alone (a day's illness is no arrêt)."""


def sick_leave_said(reason: str | None) -> bool:
    """Whether an absence's motive is a sick leave (ELY-BILAN-COMP's very case)."""
    return bool(reason) and SICK_LEAVE.search(fold(reason or "")) is not None


PATH_LABELS: Mapping[str, str] = FOLLOWUP_PATHS
"""The rules' own words for the paths (« formation longue ou certifiante »)."""
DOCUMENT_KINDS: dict[str, str] = {
    "justificatif": "justificatif d'absence",
    "preuve_contact": "preuve d'échange",
    "compte_rendu": "compte rendu d'entretien",
    "livret_suivi": "livret de suivi",
    "piece_suivi": "document joint au suivi",
}
GAPS: dict[str, str] = {
    "contact_stagiaire": "un contact avec la personne",
    "contact_entreprise": "un contact avec l'entreprise",
    "entretien": "l'entretien individuel",
    "compte_rendu": "le compte rendu",
    "solution": "la solution convenue",
    "equipe": "l'échange en équipe",
    "regard_croise": "le regard croisé",
    "livret": "le livret de suivi",
}
"""What the procedure expected and a follow-up closed without (:meth:`Summary.missing`)."""
ENTRETIEN_KINDS: dict[str, str] = {
    "individuel": "entretien individuel",
    "regard_croise": "regard croisé",
}
CANCEL_REASONS: dict[str, str] = {
    "sortie": "la personne a quitté la formation",
    "absente": "la personne ne s'est pas présentée",
    "prevenu": "la personne a prévenu qu'elle ne viendrait pas",
    "autre": "autre raison",
}
"""Why an entretien will not be held (explorer GF3: only « reprogrammer » was offered, and the
ticket of a trainee gone read « pas encore tenu »)."""


def labels() -> Mapping[str, Mapping[str, str]]:
    """Every code → label table, for templates."""
    return {
        "signs": SIGNS,
        "whom": WITH_WHOM,
        "channels": CHANNELS,
        "solutions": SOLUTIONS,
        "causes": CAUSES,
        "paths": PATH_LABELS,
        "documents": DOCUMENT_KINDS,
        "entretiens": ENTRETIEN_KINDS,
        "cancel_reasons": CANCEL_REASONS,
        "gaps": GAPS,
    }
