"""Which words of a sentence may be a trainee's name: not « je », « qui », a day, an « échéance ».

The readers of a sentence typed outside any conversation (:mod:`bot.absences.sentence`,
:mod:`bot.absences.leaving`) cut out who it speaks of; these words say when what was cut is
no one.
"""

from __future__ import annotations

from bot.absences.line import soft_fold

NOT_NAMES = {
    *("je", "j", "il", "elle", "on", "nous", "vous", "ils", "elles", "qui", "personne", "en"),
    *("le", "la", "les", "l", "un", "une", "des", "mon", "ma", "mes", "tout", "tous", "toute"),
    *("aucun", "aucune", "rien", "pas", "neant", "ras"),  # nobody's names (explorer EA8)
    "j'ai",  # « j'ai un absent ce matin »: no one named yet (explorer QB1)
    # « qu'est ce qui est en retard », « quoi en retard »: a question (explorer BG13)
    *("qu'est", "quest", "quoi", "quel", "quelle", "quels", "quelles", "combien", "c'est"),
}
"""First words that start a sentence about someone, but not a name ("je suis absent demain")."""
_THINGS = {
    *("echeance", "echeances", "bilan", "bilans", "attestation", "attestations", "formation"),
    *("formations", "dossier", "dossiers", "document", "documents", "signature", "signatures"),
}
"""What the bot deals in, late or missing, never a trainee (« echeances en retard »: explorer
BG13, « Je ne trouve pas « echeances » parmi vos stagiaires »)."""
_DAY_WORDS = {
    *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    *("hier", "aujourd'hui", "aujourdhui", "demain", "avant-hier", "matin", "apres-midi"),
}
"""A day said before « retard » (« jeudi retard », at a date question) is no person."""


def looks_like_a_name(words: str) -> bool:
    parts = words.split()
    return (
        0 < len(parts) <= 4
        and all(any(ch.isalpha() for ch in p) for p in parts)
        and all(ch.isalpha() or ch in " '-" for ch in words)
        and parts[0] not in NOT_NAMES
        and not any(p in _DAY_WORDS or soft_fold(p) in _THINGS for p in parts)
        and not any(ch.isdigit() for ch in words)
    )
