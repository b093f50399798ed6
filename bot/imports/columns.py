"""Which column is which, from the French headers people actually write.

"Prénom", "PRENOM", "prénom(s)", "Prenom *"; "E-mail", "Courriel", "Adresse
mail"; "Délégué(e)"; "Date d'entrée", "Entrée": headers are compared
folded (case, accents, punctuation), without the little words ("de", "d'",
"du") and a trailing "(e)" or "(s)", against the variants below.  The header
row is the first of the first rows that names a trainee's name column, so a
title line above the table ("Liste des stagiaires – session de mars") does
no harm.

A file of ``formabot export stagiaires`` comes back in too, whenever it was
written: its headers were ``delegue``, ``entree``, ``motif_sortie`` and are now
« représente les stagiaires », « entrée », « motif de sortie »; both fold to
variants below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers import fold
from bot.imports.reading import Cell

HEADER_SEARCH = 10
"""Rows looked at for the header: a title or two above the table is common."""

_LITTLE = {"d", "de", "du", "des", "la", "le", "l", "en", "a", "au", "n", "no", "e", "s"}

VARIANTS: dict[str, tuple[str, ...]] = {
    "last_name": ("nom", "nom famille", "nom usage", "nom naissance", "nom usuel", "nom stagiaire"),
    "first_name": ("prenom", "prenoms", "prenom usuel", "prenom stagiaire"),
    "full_name": (
        "nom prenom",
        "nom et prenom",
        "prenom nom",
        "prenom et nom",
        "nom complet",
        "stagiaire",
        "stagiaires",
        "apprenant",
        "apprenants",
        "participant",
        "participants",
        "identite",
    ),
    "company": (
        "entreprise",
        "employeur",
        "societe",
        "structure",
        "entreprise accueil",
        "raison sociale",
        "etablissement",
    ),
    "email": (
        "email",
        "e mail",
        "courriel",
        "mail",
        "mel",
        "adresse mail",
        "adresse e mail",
        "adresse email",
        "adresse electronique",
        "adresse courriel",
    ),
    "phone": (
        "telephone",
        "tel",
        "portable",
        "mobile",
        "gsm",
        "numero telephone",
        "telephone portable",
        "tel portable",
        "numero portable",
        "telephone mobile",
        "n telephone",
        "n portable",
        "numero tel",
    ),
    "entered_on": (
        "date entree",
        "entree",
        "date arrivee",
        "arrivee",
        "entree formation",
        "date debut",
        "debut",
        "debut parcours",
    ),
    "left_on": (
        "date sortie",
        "sortie",
        "date depart",
        "depart",
        "sortie formation",
        "date fin",
        "fin",
        "fin parcours",
    ),
    "exit_reason": ("motif sortie", "motif", "raison sortie", "motif depart"),
    "delegate": (
        "delegue",
        "deleguee",
        "delegues",
        "deleguees",
        "delegue stagiaires",
        "represente les stagiaires",
    ),
}

_KNOWN = {variant: name for name, variants in VARIANTS.items() for variant in variants}


def header_key(text: str) -> str:
    """ "Date d'entrée *" → "date entree"; "Délégué(e)" → "delegue"."""
    words = fold(text.replace("*", " ")).split()
    return " ".join(w for w in words if w not in _LITTLE or w == words[0])


def field_of(header: Cell) -> str | None:
    """The field a header names, or ``None`` for a column of something else."""
    if not isinstance(header, str) or not header.strip():
        return None
    return _KNOWN.get(header_key(header))


@dataclass(frozen=True)
class Header:
    """Where the header row is, which column holds which field, what was left aside."""

    index: int
    """Its position in the table's rows (0 for the first)."""
    columns: dict[str, int]
    ignored: list[str]


def find_header(rows: Sequence[tuple[int, Sequence[Cell]]]) -> Header | None:
    """The first row (among the first few) that names a name column; ``None`` when none does."""
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH]):
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for position, cell in enumerate(cells):
            found = field_of(cell)
            if found is None:
                if isinstance(cell, str) and cell.strip():
                    ignored.append(cell.strip()[:40])
                continue
            columns.setdefault(found, position)
        if "last_name" in columns or "full_name" in columns:
            return Header(index, columns, ignored)
    return None
