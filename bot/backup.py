"""``formabot backup`` and ``formabot restore``: a copy of the data that can be put back.

SQLite: the online backup API copies the database page by page while the bot
keeps running (writers wait a few milliseconds at most; the copy is a
consistent snapshot, WAL included).  A restore first saves the current
database beside the backups (nothing is ever overwritten without a copy),
checks that the file given is a formabot database, copies it into place with
the same API, then applies any migration it lacks (a backup of an older
version comes back up to date).  Stop the bot before a restore: a running
process would keep writing into the database being replaced.

PostgreSQL has its own tools, better than anything written here: the README
shows ``pg_dump``/``pg_restore``; both commands say so instead of guessing.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot import running
from bot.files import make_private, private_dir
from bot.unwritable import why_unwritable


class BackupError(Exception):
    """Said to the person in French, as is."""


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if not url.get_backend_name().startswith("sqlite"):
        raise BackupError(
            "La base est PostgreSQL : utilisez pg_dump pour la sauvegarder et pg_restore pour "
            "la restaurer (voir la section « Mettre en production » du README)."
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("La base SQLite est en mémoire : il n'y a rien à sauvegarder.")
    return Path(url.database)


def server_now() -> datetime:
    """The server's local time, that of `ls -l` and of its cron: a name in UTC said 11:58
    beside a file dated 12:58, and a night's backup after midnight in summer the day before
    (explorer GC12)."""
    return datetime.now().astimezone()


def default_target(data_dir: Path, now: datetime, prefix: str = "formabot") -> Path:
    """A new file in ``sauvegardes`` (made by :func:`_copy`), named after the second; two
    in the same second (two restores in a row) get ``-2``, ``-3``…"""
    name = f"{prefix}-{now:%Y%m%d-%H%M%S}"
    target, number = data_dir / "sauvegardes" / f"{name}.db", 2
    while target.exists():
        target, number = data_dir / "sauvegardes" / f"{name}-{number}.db", number + 1
    return target


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` into ``target`` (a new file), readable by its owner only.

    The copy is one file, in SQLite's rollback-journal mode, not the live
    base's WAL: a base in WAL mode cannot be opened where nothing may be
    written beside it, and a backup is read from such places (a medium
    mounted read-only, explorer R R8).
    """
    if target.exists():
        raise BackupError(f"{target} existe déjà : choisissez un autre nom.")
    # Written under a name of its own, then renamed: a copy killed half-way (a reboot, the
    # OOM killer) never bears a backup's name (explorer BA6).
    partial = target.with_name(target.name + ".partiel")
    try:
        private_dir(target.parent)
        with closing(reader(source)) as reading, closing(sqlite3.connect(partial)) as writing:
            reading.backup(writing, pages=256)
            writing.execute("PRAGMA journal_mode=DELETE")
        make_private(partial)
        partial.rename(target)
    except (OSError, sqlite3.Error) as exc:
        reason = why_unwritable(exc)
        with suppress(OSError):
            partial.unlink(missing_ok=True)  # a copy cut short is no backup
        if reason is None:
            raise
        raise BackupError(
            f"Impossible d'écrire la copie dans {target.parent} : {reason}. Rien n'a changé."
        ) from exc


def reader(path: Path) -> sqlite3.Connection:
    """``path`` opened for reading only; on read-only storage, as a file nobody changes.

    SQLite opens a base in WAL mode by writing its shared-memory file beside
    it: where that is refused (a read-only mount), the base is read as
    ``immutable``, which is true there, since nothing can write to it.
    """
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        connection.execute("SELECT 1 FROM sqlite_master LIMIT 1")
    except sqlite3.OperationalError:
        connection.close()
        if os.access(path.parent, os.W_OK):
            raise
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    return connection


def is_formabot_database(path: Path) -> bool:
    try:
        with closing(reader(path)) as connection:
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
            return {"alembic_version", "organisations", "formations"} <= tables and bool(
                connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            )
    except sqlite3.DatabaseError:
        return False


def backup(database_url: str, data_dir: Path, target: Path | None = None) -> Path:
    """Copy the live database; returns where the copy is."""
    source = sqlite_path(database_url)
    if not is_formabot_database(source):
        raise BackupError(f"{source} n'est pas une base formabot (ou n'existe pas encore).")
    if target is not None and not target.parent.exists():
        # A NAS not mounted: the copy would land on the local disk, said written (AM2).
        raise BackupError(
            f"Je ne peux pas écrire {target} : le dossier {target.parent} n'existe pas. "
            "Rien n'a été écrit."
        )
    target = target or default_target(data_dir, server_now())
    _copy(source, target)
    return target


FORGETTING = ("erase", "purge_retention")
"""The audit actions of data forgotten on purpose: an erasure at a person's request (RGPD),
a formation past its retention."""


def forgotten_since(database_url: str, source: Path) -> list[tuple[str, int]]:
    """What the live database forgot on purpose after ``source`` was saved: (action, id of
    what), from the audit trail's entries newer than the backup's last one.  Putting the
    backup back brings that data back (explorer J: an erased trainee returned, unsaid)."""
    database = sqlite_path(database_url)
    if not database.exists() or not is_formabot_database(database):
        return []
    with closing(reader(source)) as saved:
        last = saved.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]
    marks = ",".join("?" for _ in FORGETTING)
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as live:
        rows = live.execute(
            f"SELECT action, entity_id FROM audit_log WHERE id > ? AND action IN ({marks})"
            " ORDER BY id",
            (last, *FORGETTING),
        ).fetchall()
    return [(str(action), int(entity or 0)) for action, entity in rows]


def restore(database_url: str, data_dir: Path, source: Path) -> tuple[Path, Path | None]:
    """Put ``source`` in place of the database; returns (database, copy of the one replaced)."""
    database = sqlite_path(database_url)
    if running.busy(database_url):  # it would go on with the restored data (explorer R R1)
        raise BackupError(
            "formabot tourne encore sur cette base : arrêtez-le d'abord (systemctl stop, "
            "docker compose stop…), puis relancez la restauration. Rien n'a changé."
        )
    if not source.is_file() or not is_formabot_database(source):
        raise BackupError(f"{source} n'est pas une sauvegarde formabot lisible : rien n'a changé.")
    saved = None
    if database.exists() and is_formabot_database(database):
        saved = default_target(data_dir, server_now(), prefix="avant-restauration")
        _copy(database, saved)
    private_dir(database.parent)
    with (
        closing(reader(source)) as reading,
        closing(sqlite3.connect(database, timeout=30)) as writing,
    ):
        reading.backup(writing)
    make_private(database)
    return database, saved
