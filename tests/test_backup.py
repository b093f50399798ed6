"""``formabot backup`` while the bot writes, ``formabot restore`` that keeps what it replaces."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.backup import backup
from tests.auxil.command import Done
from tests.auxil.readonly import read_only_folder


def titles(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return sorted(t for (t,) in connection.execute("SELECT title FROM formations"))


def test_a_backup_taken_while_the_bot_writes_is_whole_and_private(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    assert formabot(["demo"]).returncode == 0
    database = tmp_path / "formabot.db"
    stop = threading.Event()
    written = 0

    def writer() -> None:  # another process's turns, as fast as SQLite allows
        nonlocal written
        with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
            while not stop.is_set():
                connection.execute(
                    "INSERT INTO organisations (name, timezone, settings, created_at)"
                    " VALUES ('Autre', 'Europe/Paris', '{}', '2026-12-01 10:00:00')"
                )
                connection.commit()
                written += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = formabot(["backup"])
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Sauvegarde écrite : ")
    [copy] = (tmp_path / "sauvegardes").glob("formabot-*.db")
    assert copy.stat().st_mode & 0o777 == 0o600
    with contextlib.closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copied = connection.execute("SELECT count(*) FROM organisations").fetchone()[0]
    assert 1 <= copied <= 1 + written  # a snapshot taken while rows were added
    assert titles(copy) == titles(database)


def test_a_backup_killed_before_it_ends_bears_no_backup_s_name(
    formabot: Callable[[list[str]], Done], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer BA6: killed half-way, the copy was named like a finished backup."""
    assert formabot(["demo"]).returncode == 0
    real_rename = Path.rename

    def killed(self: Path, target: Path) -> Path:
        raise KeyboardInterrupt  # the process stopped between the copy and its naming

    monkeypatch.setattr(Path, "rename", killed)
    formabot(["backup"])
    monkeypatch.setattr(Path, "rename", real_rename)
    assert list((tmp_path / "sauvegardes").glob("*.db")) == []
    assert [p.name.endswith(".db.partiel") for p in (tmp_path / "sauvegardes").iterdir()] == [True]
    assert formabot(["backup"]).returncode == 0  # the next night's: whole, named
    [copy] = (tmp_path / "sauvegardes").glob("*.db")
    assert titles(copy) == titles(tmp_path / "formabot.db")


def test_restore_puts_the_backup_back_and_keeps_the_replaced_database(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    assert formabot(["demo"]).returncode == 0
    database = tmp_path / "formabot.db"
    before = titles(database)
    assert formabot(["backup", str(tmp_path / "hier.db")]).returncode == 0
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("UPDATE formations SET title = 'Renommée par erreur'")
        connection.commit()
    result = formabot(["restore", str(tmp_path / "hier.db")])
    assert result.returncode == 0, result.stderr
    assert "Sauvegarde remise en place" in result.stdout
    assert titles(database) == before
    [kept] = (tmp_path / "sauvegardes").glob("avant-restauration-*.db")
    assert set(titles(kept)) == {"Renommée par erreur"}
    exported = formabot(["export", "formations"])
    assert exported.returncode == 0 and before[0] in exported.stdout


def test_a_backup_is_one_file_and_is_restored_from_a_read_only_medium(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer R R8: a backup kept on a medium mounted read-only was refused as « not a
    formabot backup »: in WAL mode, SQLite must write beside a base to open it."""
    assert formabot(["demo"]).returncode == 0
    database = tmp_path / "formabot.db"
    before = titles(database)
    assert formabot(["backup", str(tmp_path / "hier.db")]).returncode == 0
    with contextlib.closing(sqlite3.connect(tmp_path / "hier.db")) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not "wal"

    shutil.copy(database, tmp_path / "vive.db")  # a copy of the live base, in WAL mode

    def copied(folder: Path) -> None:
        for name in ("hier.db", "vive.db"):
            shutil.copy(tmp_path / name, folder / name)

    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("UPDATE formations SET title = 'Renommée par erreur'")
        connection.commit()
    with read_only_folder(tmp_path / "cle", copied) as medium:
        for source in ("hier.db", "vive.db"):
            result = formabot(["restore", "--oui", str(medium / source)])
            assert result.returncode == 0, result.stderr
            assert titles(database) == before
    kept = sorted(p.name for p in (tmp_path / "sauvegardes").glob("avant-restauration-*.db"))
    assert len(kept) == 2  # two restores in the same second: two names


def test_a_copy_that_cannot_be_written_is_said_and_nothing_is_left(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    assert formabot(["demo"]).returncode == 0
    (tmp_path / "fichier").write_text("pas un dossier")
    result = formabot(["backup", str(tmp_path / "fichier" / "hier.db")])
    assert result.returncode == 1
    assert result.stderr == (
        f"Impossible d'écrire la copie dans {tmp_path}/fichier : le fichier ne peut pas y être "
        "créé ni ouvert (lecture seule, droits ou chemin). Rien n'a changé.\n"
    )


def test_a_copy_into_a_missing_folder_is_refused_not_made_there(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer AM2: a NAS not mounted, and the nightly copy landed on the local disk, said
    written; « export --out » refused the same path."""
    assert formabot(["demo"]).returncode == 0
    result = formabot(["backup", str(tmp_path / "nas" / "formabot" / "hier.db")])
    assert result.returncode == 1
    assert result.stderr == (
        f"Je ne peux pas écrire {tmp_path}/nas/formabot/hier.db : le dossier "
        f"{tmp_path}/nas/formabot n'existe pas. Rien n'a été écrit.\n"
    )
    assert not (tmp_path / "nas").exists()


@pytest.mark.parametrize("content", [b"", b"pas une base", b"SQLite format 3\x00" + b"\x00" * 200])
def test_restore_refuses_what_is_not_a_formabot_backup(
    formabot: Callable[[list[str]], Done], tmp_path: Path, content: bytes
) -> None:
    assert formabot(["demo"]).returncode == 0
    database = tmp_path / "formabot.db"
    before = titles(database)
    wrong = tmp_path / "mauvais.db"
    wrong.write_bytes(content)
    result = formabot(["restore", str(wrong)])
    assert result.returncode == 1
    assert "n'est pas une sauvegarde formabot lisible : rien n'a changé." in result.stderr
    assert titles(database) == before
    assert not (tmp_path / "sauvegardes").exists()


def test_postgresql_is_pointed_to_pg_dump(
    formabot: Callable[[list[str]], Done], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://formabot:secret@127.0.0.1/formabot")
    result = formabot(["backup"])
    assert result.returncode == 1
    assert "utilisez pg_dump" in result.stderr and "secret" not in result.stderr


def test_a_backup_that_brings_back_erased_data_is_asked_first(
    formabot: Callable[[list[str]], Done], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer J: a trainee erased at their request (RGPD) came back with the backup, unsaid."""
    assert formabot(["demo"]).returncode == 0
    database = tmp_path / "formabot.db"
    assert formabot(["backup", str(tmp_path / "hier.db")]).returncode == 0
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute(  # what /effacer writes in the journal, and the change itself
            "INSERT INTO audit_log (organisation_id, actor_id, action, entity, entity_id,"
            " details, at) VALUES (1, 1, 'erase', 'trainee', 3, '{}',"
            " '2026-12-04 10:00:00')"
        )
        connection.execute("UPDATE formations SET title = 'Après effacement'")
        connection.commit()
    answers = iter(["n"])
    monkeypatch.setattr("builtins.input", lambda _question: next(answers))
    refused = formabot(["restore", str(tmp_path / "hier.db")])
    assert refused.returncode == 1
    assert "depuis cette sauvegarde, des données ont été effacées exprès" in refused.stdout
    assert "des personnes, à leur demande (stagiaire n° 3 dans le journal)" in refused.stdout
    assert "Rien n'a changé." in refused.stdout
    assert set(titles(database)) == {"Après effacement"}
    done = formabot(["restore", "--oui", str(tmp_path / "hier.db")])
    assert done.returncode == 0 and "Sauvegarde remise en place" in done.stdout
    assert "Après effacement" not in titles(database)


def test_a_backup_is_named_in_the_server_s_own_time(
    formabot: Callable[[list[str]], Done], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer GC12: named in UTC, « …-115812.db » beside a file `ls` dates 12:58, and a
    night's backup after midnight in summer under the day before."""
    assert formabot(["demo"]).returncode == 0
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: another day than UTC's, often
    time.tzset()
    try:
        written = backup(f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}", tmp_path)
        local = datetime.now()
    finally:
        monkeypatch.undo()
        time.tzset()
    named = datetime.strptime(written.stem.removeprefix("formabot-"), "%Y%m%d-%H%M%S")
    assert abs(local - named) < timedelta(minutes=1)


def test_a_backup_run_from_another_folder_says_where_the_base_should_be(
    formabot: Callable[[list[str]], Done], tmp_path: Path
) -> None:
    """Explorer EB4: from cron's home folder it said « data/formabot.db n'est pas une base
    formabot (ou n'existe pas encore). », without the way to the right one that an export or
    an import gives."""
    done = formabot(["backup"])
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == (
        f"Pas de base formabot à {tmp_path / 'formabot.db'} : lancez la commande depuis le"
        " dossier du bot, ou donnez son dossier de données (FORMABOT_DATA_DIR). Rien n'a été"
        " créé."
    )
    assert list(tmp_path.iterdir()) == []
