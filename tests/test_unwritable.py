"""Which failures are said as « formabot cannot write there », and in which words."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from bot.unwritable import why_unwritable


def test_a_base_opened_read_only_is_a_read_only_medium(tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(tmp_path / "b.db")) as making:
        making.execute("CREATE TABLE t (x)")
    reading = sqlite3.connect(f"file:{tmp_path / 'b.db'}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        reading.execute("INSERT INTO t VALUES (1)")
    reading.close()
    assert why_unwritable(refused.value) == "le support est en lecture seule"


def test_a_folder_under_a_file_is_said_as_such(tmp_path: Path) -> None:
    (tmp_path / "fichier").write_text("pas un dossier")
    with pytest.raises(OSError) as made:
        (tmp_path / "fichier" / "data").mkdir(parents=True)
    assert why_unwritable(made.value) == "le chemin passe par un fichier, pas par un dossier"
    with pytest.raises(sqlite3.OperationalError) as opened:
        sqlite3.connect(tmp_path / "fichier" / "formabot.db")
    assert why_unwritable(opened.value) == (
        "le fichier ne peut pas y être créé ni ouvert (lecture seule, droits ou chemin)"
    )


def test_permissions_and_a_full_disk_have_their_words() -> None:
    denied = OSError(errno.EACCES, "Permission denied", "/srv/formabot/data")
    assert why_unwritable(denied) == "formabot n'a pas le droit d'y écrire"
    assert why_unwritable(OSError(errno.ENOSPC, "No space left")) == "le disque est plein"


def test_anything_else_is_not_taken_for_it() -> None:
    assert why_unwritable(ValueError("Léa")) is None
    assert why_unwritable(IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE"))) is None
    assert why_unwritable(OSError(errno.ECONNREFUSED, "refused")) is None
