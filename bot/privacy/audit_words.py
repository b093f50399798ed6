"""The audit trail in French words: what its stored codes mean to the admin and the auditor.

The database keeps the codes (``edit``, ``deadline``, ``{"fields": …}``):
they are stable, short, and what queries and older entries use.  Only what
is shown or exported (``/journal``, ``formabot export audit``,
``/mesdonnees``) goes through these tables.  Every code recorded anywhere
in ``bot/`` has its word here: ``tests/test_privacy_audit_words.py`` reads
the source for the codes handed to the audit and fails on one without it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.absences.clashes import PERIOD_LABELS
from bot.absences.vocabulary import (
    CANCEL_REASONS,
    CAUSES,
    CHANNELS,
    ENTRETIEN_KINDS,
    PATH_LABELS,
    SIGNS,
    SOLUTIONS,
    WITH_WHOM,
)
from bot.deadlines.status import STATUS_LABELS
from bot.documents.sheets import Record

ACTIONS = {
    "add_participant": "ajout d'une personne au bilan",
    "add_trainees": "ajout de stagiaires",
    "attest": "attestation de participation",
    "cancel": "annulation",
    "charge_de_mission_answer": "réponse de la personne chargée de mission",
    "close": "clôture",
    "compte_rendu": "dépôt d'un compte rendu d'entretien",
    "contact": "prise de contact",
    "create": "création",
    "decline": "déclaration de non-participation",
    "decline_followup": "suivi refusé",
    "delete": "suppression",
    "digest_destination": "choix du salon du récapitulatif",
    "done": "marquée faite",
    "edit": "modification",
    "edit_dates": "modification des dates",
    "edit_sessions": "modification des sessions",
    "erase": "effacement",
    "export": "exportation",
    "export_timeline": "exportation de la chronologie",
    "invite": "invitation",
    "invite_on_matrix": "invitation sur Matrix",
    "hand_over": "formation confiée à un autre membre",
    "held_after_all": "entretien finalement tenu (annulation levée)",
    "join": "adhésion",
    "livret": "dépôt du livret de suivi",
    "piece": "document joint au suivi",
    "move": "déplacement",
    "move_first_sign": "premier signe déplacé avec l'absence",
    "no_show": "absence au bilan notée",
    "no_show_cancelled": "absence au bilan annulée",
    "open": "ouverture",
    "postpone": "report",
    "promote": "nomination à l'administration",
    "demote": "retrait de l'administration",
    "remove_member": "retrait d'un membre de l'organisme",
    "purge_retention": "effacement en fin de conservation",
    "redeem": "utilisation du lien",
    "reissue": "nouveau lien",
    "record_absences": "absences notées en une fois",
    "reject": "refus",
    "remind": "relance",
    "remove_participant": "retrait d'une personne du bilan",
    "remove_trainee": "retrait de stagiaire",
    "reopen": "réouverture",
    "repeated_absence": "absences répétées signalées",
    "repeated_lateness": "retards répétés signalés",
    "reschedule": "nouvelle date",
    "revoke": "révocation",
    "rollcall": "appel",
    "schedule": "planification",
    "send_proofs": "envoi des preuves",
    "set_delegates": "choix des délégués",
    "set_subcontracted": "réglage de la sous-traitance",
    "setting": "réglage",
    "signs": "signes de décrochage notés",
    "solution": "solution notée",
    "ticket": "ticket qualité",
    "trainee_correct": "correction de stagiaire",
    "trainee_entry": "entrée de stagiaire",
    "trainee_exit": "sortie de stagiaire",
    "trainee_extension": "prolongation d'un parcours",
    "update": "modification",
    "upload_sheet": "dépôt d'une feuille d'émargement",
    "validate": "validation",
    "vacations": "calcul des vacations",
    "visio_link": "lien de visioconférence",
}
"""Each ``action`` code: the noun of what was done."""

ENTITIES = {
    "absence": "absence",
    "attendance_sheet": "feuille d'émargement",
    "attestation": "attestation",
    "attestation_invitation": "invitation à attester",
    "bilan": "bilan",
    "bilan_proofs": "preuves du bilan",
    "deadline": "échéance",
    "entretien": "entretien",
    "followup": "suivi",
    "formation": "formation",
    "invitation": "invitation",
    "membership": "adhésion",
    "organisation": "organisme",
    "trainee": "stagiaire",
}
"""Each ``entity`` code: what the action was done to (the ``objet`` column)."""

DETAIL_KEYS = {
    "answer": "réponse",
    "absence_id": "identifiant de l'absence",
    "absences": "absences",
    "absent": "absents",
    "already": "déjà notés",
    "applies": "s'applique",
    "attestations": "attestations",
    "bilan_id": "identifiant du bilan",
    "by": "par",
    "cancel_reason": "motif de l'annulation",
    "cap": "plafond",
    "channel": "moyen",
    "complete": "complet",
    "concerns": "réserves",
    "concern": "réserve examinée",
    "contact_id": "identifiant du contact",
    "corrections": "corrections",
    "count": "nombre",
    "day": "jour",
    "document_id": "identifiant du document",
    "documents": "documents",
    "fields": "champs",
    "followup_id": "identifiant du suivi",
    "followups": "suivis",
    "formation_id": "identifiant de la formation",
    "formations": "formations confiées à un autre membre",
    "invitation_id": "identifiant de l'invitation",
    "group": "salon",
    "half_days": "demi-journées",
    "how": "comment",
    "justified": "justifiée",
    "kept": "conservées",
    "key": "réglage",
    "label": "intitulé du réglage",
    "before": "valeur précédente",
    "after": "nouvelle valeur",
    "kind": "nature",
    "late": "retards",
    "link": "lien",
    "minutes": "minutes",
    "new": "nouvelle valeur",
    "old": "ancienne valeur",
    "opens": "réponses ouvertes à partir de",
    "owner_id": "identifiant du membre qui en a la charge",
    "participant_id": "identifiant de la personne du bilan",
    "person_id": "identifiant de la personne",
    "previous_owner_id": "identifiant du membre qui en avait la charge",
    "successor_id": "identifiant du membre qui reprend ses formations",
    "participants": "participants",
    "path": "parcours",
    "period": "période",
    "present": "présents",
    "previous": "valeurs précédentes",
    "proof": "justificatif",
    "reference": "référence",
    "remote": "à distance",
    "replaced": "remplacée",
    "role": "rôle",
    "rounding": "arrondi",
    "rule": "règle",
    "rule_id": "identifiant de la règle",
    "sending_id": "identifiant de l'envoi",
    "sequence": "version",
    "sha256": "empreinte SHA-256",
    "sign_on": "jour du premier signe",
    "signs": "signes",
    "solution": "solution",
    "source": "source",
    "ticket_id": "identifiant du ticket qualité",
    "trainee_id": "identifiant de stagiaire",
    "trainees": "stagiaires",
    "undone": "statut précédent",
    "unjustified": "non justifiées",
    "vacations": "vacations",
    "value": "valeur",
    "version": "version",
    "what": "quoi",
    "with_employer": "avec l'employeur",
    "with_whom": "avec qui",
}
"""Each key of ``details``: the French key the export shows."""

PARTICIPANT_ROLES = {
    "delegate": "représente les stagiaires",
    "partner": "partenaire",
    "trainee": "stagiaire",
}
ROLES = {"admin": "administrateur ou administratrice", "formateur": "formateur ou formatrice"}
"""A member's role, as a person's (explorer J: « rôle : formation » named no one)."""
CM_ANSWERS = {
    "confirmed": "présence confirmée",
    "other_date": "autre date proposée",
    "cannot": "ne pourra pas venir",
}
DONE_BY = {
    "reponse": "les réponses données en programmant le bilan",
    "reponse_apres_envoi": "une réponse reçue après l'envoi du dossier de preuves",
    "bilan_deplace": "le bilan déplacé après l'envoi de ses justificatifs de participation",
    "commande": "la commande « formabot import » sur le serveur",
}
"""Who marked a deadline done, when it was no one's « Fait » (explorer W, W10: « par :
reponse »)."""
SOURCES = {"appel": "appel", "phrase": "phrase tapée"}
CONCERNS = {
    "identity": "réponse depuis un autre compte de messagerie que le précédent",
    "contested": "lien essayé depuis un autre compte de messagerie",
    "name": "nom tapé différent de celui de l'invitation",
    "role": "rôle choisi différent de celui de l'invitation",
    "reversal": "attestation après une déclaration de non-participation",
    "contradicted": "non-participation déclarée, mais sur la feuille d'émargement",
    "elsewhere": "même compte qu'une attestation d'un bilan au même moment",
    "abroad": "même compte qu'une attestation d'un bilan d'un autre organisme au même moment",
    "reserve": "mots écrits sous le texte avant d'attester",
    "moved": "réponse pour une ancienne date du bilan",
}
"""Why an attestation was examined, briefly (explorer AU4: « réserves : identity »); the
proof bundle says each at length (``attestations_bundle.concern``)."""
FIELDS = {
    "day": "jour",
    "period": "période",
    "late_minutes": "minutes de retard",
    "late_half": "demi-journée du retard",
    "justified": "justifiée",
    "reason": "motif",
    "proof": "justificatif",
    "title": "intitulé",
    "funder_name": "nom du financeur",
    "cm_name": "nom de la personne chargée de mission",
    "cm_email": "adresse de la personne chargée de mission",
    "cm_matrix": "compte Matrix de la personne chargée de mission",
    "certifying": "certifiante",
    "long": "longue",
    "remote_coaching": "accompagnement à distance",
    "kind": "nature",
    "funder": "financeur",
    "programme": "programme",
    "action_type": "type d'action",
    "mode": "organisation",
}
"""A changed column's French name (``champs``, and the keys of ``valeurs précédentes``:
explorer DE12, « late_minutes », « justified » in the journal an auditor opens)."""
ROUNDINGS = {
    "down": "à l'inférieur",
    "nearest": "au plus proche",
    "up": "au supérieur",
}
REMINDED_HOW = {
    "chat": "message dans sa conversation avec l'assistant",
    "link": "le même lien redonné à transférer",
    "matrix": "lien envoyé par l'assistant sur Matrix",
}
"""How an attestation reminder went (``remind``'s ``how``; explorer HB9: « comment : link »)."""
VALUES: dict[str, Mapping[str, str]] = {
    "answer": CM_ANSWERS,
    "by": DONE_BY,
    "cancel_reason": CANCEL_REASONS,
    "cause": CAUSES,
    "channel": CHANNELS,
    "concern": CONCERNS,
    "concerns": CONCERNS,
    "kind": {**PARTICIPANT_ROLES, **ENTRETIEN_KINDS},
    "path": PATH_LABELS,
    "period": PERIOD_LABELS,
    "fields": FIELDS,
    "how": REMINDED_HOW,
    "role": ROLES,
    "rounding": ROUNDINGS,
    "signs": SIGNS,
    "solution": SOLUTIONS,
    "source": SOURCES,
    "undone": STATUS_LABELS,
    "with_whom": WITH_WHOM,
}
"""Detail values that are codes with a French label in the project, by key (a list's items
each; explorer AH5: « parcours : short », « absences_repetees », « journee »); others stay."""


def action_words(code: str) -> str:
    """The action's French noun; an unknown code (an entry older than this table) as stored."""
    return ACTIONS.get(code, code)


def entity_words(code: str) -> str:
    return ENTITIES.get(code, code)


def details_words(details: Mapping[str, Any]) -> Record:
    """``details`` with French keys, its coded values in French, its days as days (each
    export writes them as it writes its dates: explorer CF2)."""
    return Record(_in_words(details, DETAIL_KEYS))


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: str) -> str | date:
    """A day stored as ISO text (« 2026-11-16 »), as a day; any other text as it is."""
    if _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _in_words(details: Mapping[str, Any], keys: Mapping[str, str]) -> dict[str, Any]:
    """Each key in French, each coded value too; the columns' values before a change
    (« valeurs précédentes ») by their columns' French names."""
    shown: dict[str, Any] = {}
    for key, value in details.items():
        labels = VALUES.get(key, {})
        if isinstance(value, bool):
            value = "oui" if value else "non"
        elif isinstance(value, str):
            value = _day(labels.get(value, value))
        elif isinstance(value, list):
            value = [_day(labels.get(v, v)) if isinstance(v, str) else v for v in value]
        elif isinstance(value, Mapping):
            value = _in_words(value, FIELDS)
        shown[keys.get(key, key)] = value
    return shown
