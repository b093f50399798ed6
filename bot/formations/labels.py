"""The words of a formation: what its stored codes are called, how a name is compared.

The codes are those of :mod:`bot.rules`; the dialogues offer these labels
as choices and the detail shows them back.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import date

from bot import dates
from bot.answers import fold, printed_as_is

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
KIND_NOUNS = {
    "formation": "Formation",
    "bilan_competences": "Bilan de compétences",
    "vae": "Accompagnement VAE",
}
"""A formation's nature as a file names it, a noun with no article (explorer DE9: the
export's « nature » read « Une formation », the chat's button)."""
LENGTHS = {
    "courte": "Courte",
    "longue": "Longue",
}

EXIT_REASONS = {
    "abandon": "Abandon",
    "emploi": "Emploi",
    "fin_parcours": "Fin de parcours",
    "reorientation": "Réorientation",
    "autre": "Autre motif",
}
"""Why a trainee left, as the Région's exit data (EOS) asks it."""

LABELS: dict[str, dict[str, str]] = {
    "funder": FUNDERS,
    "programme": PROGRAMMES,
    "action_type": ACTION_TYPES,
    "mode": MODES,
    "kind": KINDS,
    "exit_reason": EXIT_REASONS,
}
"""Label of each stored code, by column: ``LABELS["funder"]["cvl"]``."""

REGION_FUNDERS = ("normandie", "cvl")
"""Funders whose formations are followed by a chargé(e) de mission."""

SESSION_FUNDERS = ("cvl",)
"""Funders whose rules count sessions: the Centre-Val de Loire owes bilans (and, when on,
orientation tables) per session or composante, whatever the action type (001, 002 §2)."""

COMPOSANTE_ACTION_TYPES = ("metiers",)
"""Action types whose sessions are grouped in composantes (002 §2)."""

SINGLE_PERSON_KINDS = ("bilan_competences", "vae")
"""Formats followed one person at a time: no group, no delegates."""


def written_like_a_name(name: str) -> bool:
    """Letters, blanks, « ' - . , » only: an emoji, « <b> » or a spreadsheet's formula in a
    name would be printed as is on every list and document (typed, or in a file)."""
    return all(ch.isalpha() or ch in " '’-.," for ch in name)


def name_letters(name: str) -> str:
    """``name`` in its letters' usual forms: « 𝔐𝔞𝔯𝔦𝔢 𝔇𝔲𝔭𝔬𝔫𝔱 » (the « fancy text » pasted
    from a phone) is « Marie Dupont », as the bot already found it by (explorer AK4: the
    documents printed « ? ? » in its place)."""
    return unicodedata.normalize("NFKC", name)


def unprintable(name: str) -> str:
    """The letters of ``name`` the documents' font cannot draw (« 王伟 »), each once: the
    attestations and comptes rendus would print « ? » for them (explorer AK4). Latin letters
    are never looked up; without the fonts, nothing is said."""
    rare = [ch for ch in dict.fromkeys(name) if ord(ch) > 0x24F and ch.isalpha()]
    if not rare:
        return ""
    try:
        from bot.documents.pdf import supported_codepoints

        covered = supported_codepoints()
    except Exception:  # fonts not installed: the PDFs say so themselves
        return ""
    return "".join(ch for ch in rare if ord(ch) not in covered)


TITLES = frozenset(
    {"m", "mr", "mme", "mlle", "melle", "me", "dr", "pr", "monsieur", "madame", "mademoiselle"}
)
"""Words before a name that are none of its parts (« M. Dupont » has no first name)."""


def full_name_given(name: str) -> bool:
    """A first name and a surname, as an attestation prints them: two words with letters,
    a civility not counted (explorers J, L and M: « Gaston », « Jean . », « Mme Martin »)."""
    words = [w.strip(".'’-") for w in name.replace(",", " ").split()]
    return sum(1 for w in words if any(ch.isalpha() for ch in w) and fold(w) not in TITLES) >= 2


def written_like_a_company(company: str) -> bool:
    """A company's name as it is printed (:func:`bot.answers.printed_as_is`)."""
    return printed_as_is(company)


def name_key(name: str) -> str:
    """How two trainees' names are compared: "Dupont" and "DUPONT" are one trainee."""
    return fold(name)


def told_apart(
    formations: Iterable[tuple[int, str, date]], marks: dict[int, str] | None = None
) -> dict[int, str]:
    """Each formation's name where several are listed, by id: its title, and its start day
    when another of them has the same title (« Agent de restauration (lundi 2 novembre
    2026) »), as /formations tells them apart (explorer BD1, BD2: three groups of one
    training read alike in every choice and list but that one); with its mark when another
    starts that day too (« (lundi 2 novembre 2026, n° 2) »: :mod:`bot.formations.twins`,
    explorer MA3)."""
    found = list(formations)
    shared = sharing_a_title(found)
    marks = marks or {}
    return {
        fid: f"{title} ({day_and_mark(dates.spell_date(start), marks.get(fid, ''))})"
        if fid in shared
        else title
        for fid, title, start in found
    }


def day_and_mark(day: str, mark: str) -> str:
    """« mardi 3 novembre 2026, avec Karim »: a start day and what tells its twin apart."""
    return f"{day}, {mark}" if mark else day


def sharing_a_title(formations: Iterable[tuple[int, str, date]]) -> set[int]:
    """The formations whose title another of them has: those :func:`told_apart` names with
    their start day."""
    found = list(formations)
    count = Counter(name_key(title) for _, title, _ in found)
    return {fid for fid, title, _ in found if count[name_key(title)] > 1}
