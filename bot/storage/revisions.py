"""The migration files' revisions, read without importing Alembic, and a base they do not fit.

Each file assigns ``revision`` and ``down_revision`` (a string, a tuple for a
merge, or None) on a line of its own at module level.  From those two lines
alone come the heads (:func:`schema_heads`: a start on a base up to date
never imports Alembic), how many migrations an upgrade applied (explorer GC6:
``formabot migrate`` said « Base à jour. » after 27 of them as after none),
and whether a version a base records is one of this code's.

A base whose tables are not those of the version it records (explorer GC1: a
pre-upgrade dump restored with ``pg_restore --clean`` over the upgraded base
kept the dump's version beside the newer tables), or that records a version
this code does not know (a newer formabot's), is refused with
:class:`SchemaMismatch`, in French, instead of a migration's traceback.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from sqlalchemy.exc import DBAPIError

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"

_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)
"""``revision: str = "0019_imports"``, ``down_revision = ("a", "b")``: the name and the value."""

_MISMATCH_STATES = {
    "42P07",  # duplicate_table
    "42701",  # duplicate_column
    "42710",  # duplicate_object (a constraint, an index, a trigger)
    "42P01",  # undefined_table
    "42703",  # undefined_column
    "42704",  # undefined_object
    "42P16",  # invalid_table_definition
}
"""PostgreSQL's answers to a migration meeting tables of another version."""

_SQLITE_MISMATCH = re.compile(
    r"already exists|duplicate column name|no such (table|column|index)", re.IGNORECASE
)

_SEE = "(voir « Mettre en production » dans le README)"


class SchemaMismatch(Exception):
    """A base whose tables or recorded version this code cannot migrate; ``str()`` is the
    French sentence its operator reads (:mod:`bot.refused`)."""

    def __init__(self, recorded: frozenset[str] | None, *, newer: bool = False) -> None:
        shown = ", ".join(sorted(recorded or ()))
        if newer:
            said = (
                "La base a été mise à jour par une version de formabot plus récente que "
                f"celle-ci ({shown}) : rien n'a été modifié ; lancez la version qui l'a mise à "
                "jour, ou restaurez dans une base vide la sauvegarde prise avant cette mise à "
                f"jour {_SEE}."
            )
        elif recorded:
            said = (
                "La base ne correspond pas à la version de formabot qu'elle enregistre "
                f"({shown}) : des tables ou des colonnes d'une autre version y sont déjà, ou y "
                "manquent, comme après une sauvegarde restaurée par-dessus une base plus "
                "récente ; rien n'a été modifié : restaurez la sauvegarde dans une base vide "
                f"{_SEE}, puis relancez."
            )
        else:
            said = (
                "La base contient déjà des tables sans dire quelle version de formabot les a "
                "créées (pas de table alembic_version), comme après une restauration "
                "incomplète ; rien n'a été modifié : restaurez la sauvegarde dans une base "
                f"vide {_SEE}, puis relancez."
            )
        super().__init__(said)
        self.recorded = recorded


def is_mismatch(exc: DBAPIError) -> bool:
    """Whether a migration failed on a table, a column or an index already there, or
    missing: the base is not the version it records (not a refusal, not a lost server)."""
    state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if state is not None:
        return state in _MISMATCH_STATES
    return _SQLITE_MISMATCH.search(str(exc.orig)) is not None


@lru_cache(maxsize=1)
def revision_parents() -> dict[str, frozenset[str]]:
    """Each revision of the migration files, with those it comes down from.

    Only the two assignment lines are read (parsing every migration whole was
    a twentieth of a start).
    """
    parents: dict[str, frozenset[str]] = {}
    for path in VERSIONS.glob("*.py"):
        revision: str | None = None
        down: frozenset[str] = frozenset()
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            found = ast.literal_eval(value)
            if name == "revision":
                revision = found
            else:
                down = frozenset([found] if isinstance(found, str) else found or ())
        if revision is not None:
            parents[revision] = down
    return parents


@lru_cache(maxsize=1)
def schema_heads() -> frozenset[str]:
    """The head revisions of the migration files: those no other one comes down from."""
    graph = revision_parents()
    below = {parent for parents in graph.values() for parent in parents}
    return frozenset(set(graph) - below)


def unknown(recorded: Iterable[str]) -> frozenset[str]:
    """What a base records that no migration file here names (a newer formabot's)."""
    return frozenset(recorded) - set(revision_parents())


def _up_to(heads: Iterable[str]) -> set[str]:
    """``heads`` and every revision they come down from."""
    graph = revision_parents()
    seen: set[str] = set()
    waiting = [head for head in heads if head in graph]
    while waiting:
        revision = waiting.pop()
        if revision not in seen:
            seen.add(revision)
            waiting.extend(graph[revision])
    return seen


def applied_between(before: Iterable[str], after: Iterable[str]) -> int:
    """How many migrations an upgrade from ``before`` to ``after`` applied."""
    return len(_up_to(after) - _up_to(before))
