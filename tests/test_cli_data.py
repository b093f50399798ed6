"""``formabot export`` and ``formabot import`` on the base as it is, or on none."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from tests.auxil.command import Done


def test_an_export_or_an_import_without_a_base_says_so_and_creates_none(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer BC8: run from another folder, an export read a new empty base, headers only,
    code 0, and left the stray base behind."""
    for args in (["export", "absences"], ["export", "formations"]):
        done = formabot(args)
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.startswith(f"Pas de base formabot à {tmp_path}/formabot.db")
    (tmp_path / "liste.csv").write_text("nom\nZoé Lambert\n", encoding="utf-8")
    done = formabot(["import", "stagiaires", "--formation", "1", str(tmp_path / "liste.csv")])
    assert done.returncode == 1 and "Pas de base formabot" in done.stderr
    assert not (tmp_path / "formabot.db").exists()
    # What is refused before any base is opened says its own reason first.
    unknown = formabot(["export", "galaxies"])
    assert unknown.returncode == 2 and "Exportation inconnue « galaxies »" in unknown.stderr
    assert not (tmp_path / "formabot.db").exists()


def test_on_a_base_the_export_reads_it(formabot: Callable[[list[str]], Done]) -> None:
    assert formabot(["demo"]).returncode == 0
    done = formabot(["export", "formations"])
    assert done.returncode == 0
    assert len(list(csv.DictReader(io.StringIO(done.stdout)))) == 2


def test_an_unknown_formation_is_said_by_every_export(
    formabot: Callable[[list[str]], Done],
) -> None:
    """Explorer CA11: « export echeances --formation 99 » wrote the header alone, code 0."""
    assert formabot(["demo"]).returncode == 0
    for what in ("echeances", "audit", "absences", "stagiaires", "formations"):
        done = formabot(["export", what, "--formation", "99"])
        assert done.returncode == 1 and "Formation 99 introuvable" in done.stderr, what
        assert done.stdout == "", what
