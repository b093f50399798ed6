"""Files that hold personal data are readable by the bot's user only.

The database, the documents the console writes (a compte rendu, a Qualiopi
bundle with names and absences) and the exports are personal data: folders
are made 700 and files 600 whatever the umask, so another account on the
same server cannot read them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """``path`` as a folder; made only-for-its-owner when formabot creates it.

    An existing folder keeps its mode: the database may be put in a shared
    place on purpose (and ``/tmp`` must never become private); the files
    formabot writes there are private anyway.
    """
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        os.chmod(path, PRIVATE_DIR)
    return path


def write_private(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path``, readable by its owner only (also when it existed)."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    os.chmod(path, PRIVATE_FILE)
    return path


def make_private(path: Path) -> None:
    """Restrict an existing file to its owner; nothing when it does not exist."""
    try:
        os.chmod(path, PRIVATE_FILE)
    except FileNotFoundError:
        pass


def kept_secret(path: Path, make: Callable[[], str]) -> str:
    """A secret made once and kept in ``path`` (mode 600), the same at every start.

    Two processes starting at once agree: the file is created exclusively,
    and the one that loses reads what the other wrote.
    """
    if path.exists():
        kept = path.read_text(encoding="ascii").strip()
        if kept:
            return kept
    private_dir(path.parent)
    secret = make()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        kept = path.read_text(encoding="ascii").strip()
        if kept:
            return kept
        write_private(path, secret)  # an empty file left by a crash
        return secret
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secret)
    os.chmod(path, PRIVATE_FILE)
    return secret


def why_unreadable(exc: OSError) -> str:
    """Why a file given on the command line cannot be read, in French (the system's own
    words are English: « No such file or directory »)."""
    if isinstance(exc, FileNotFoundError):
        return "ce fichier n'existe pas"
    if isinstance(exc, IsADirectoryError):
        return "c'est un dossier, pas un fichier"
    if isinstance(exc, PermissionError):
        return "le droit de le lire manque"
    return f"erreur du système n° {exc.errno}" if exc.errno else "erreur du système"
