"""What a start could not reach, or was refused by, in the French its operator reads.

A PostgreSQL down or on the wrong port, a password the server refuses, a
Telegram token it rejects: Python's traceback (« ConnectionRefusedError »,
« InvalidToken: The token `123:…` was rejected ») names neither the setting
to correct nor keeps the secret out of the log (explorer BC5, BC6); a SQLite
base another program keeps locked left a piped console silent, code 0
(explorer BA2); a base whose tables are not the version it records
(a restore over a newer base) ended in a migration's traceback (explorer GC1).
:mod:`bot.launch` says it instead, naming the key; never the secret itself.
"""

from __future__ import annotations

import re
import socket

from sqlalchemy.engine import make_url

from bot.storage.full import wrapped
from bot.storage.revisions import SchemaMismatch

SQLITE_BUSY = 5
SQLITE_LOCKED = 6
_POSTGRES_REFUSALS = {
    "28P01": "le mot de passe est refusé",
    "28000": "l'utilisateur n'est pas autorisé",
    "3D000": "cette base n'existe pas sur le serveur",
}
"""SQLSTATE codes a PostgreSQL server answers a wrong DATABASE_URL with."""
INSUFFICIENT_PRIVILEGE = "42501"


def _not_owner(url: str | None) -> str:
    """A user that may not create the tables (explorer GC8: since PostgreSQL 15, `GRANT ALL
    ON DATABASE` opens no table to it in `public`), with the command that gives it the base."""
    parsed = make_url(url) if url else None
    user = _identifier((parsed.username if parsed else None) or "formabot")
    base = _identifier((parsed.database if parsed else None) or "formabot")
    return (
        f"L'utilisateur {user} de DATABASE_URL n'a pas le droit de créer ou de lire les tables "
        f"de la base {base} (depuis PostgreSQL 15, seul le propriétaire d'une base peut y "
        "créer des tables) : en tant que postgres, faites-le propriétaire de la base "
        f"(ALTER DATABASE {base} OWNER TO {user};) et de ses tables si un autre utilisateur "
        "les a créées, puis relancez."
    )


def _identifier(name: str) -> str:
    """``name`` as PostgreSQL reads it in a command: quoted unless plain lower case."""
    if re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def why_refused(exc: BaseException, database_url: str | None = None) -> str | None:
    """The sentence for ``exc``, or ``None`` when it is something else; ``database_url``
    names the user and the base in a command to type (never its password)."""
    for seen in wrapped(exc):
        if isinstance(seen, SchemaMismatch):  # its own sentence (explorer GC1)
            return str(seen)
        kind = type(seen)
        if kind.__name__ == "InvalidToken" and kind.__module__.startswith("telegram"):
            return (
                "Telegram refuse le jeton TELEGRAM_TOKEN : vérifiez dans .env le jeton que "
                "@BotFather a donné (sans guillemets ni espace), puis relancez."
            )
        if kind.__name__ == "LoginFailed" and kind.__module__.startswith("bot.transports"):
            return (
                f"{seen} Vérifiez MATRIX_USER_ID, MATRIX_PASSWORD ou MATRIX_ACCESS_TOKEN dans .env."
            )
        if kind.__module__.startswith("aiohttp") and isinstance(seen, OSError):
            # Matrix speaks through aiohttp, the databases do not (explorer DA11: a homeserver
            # not started yet was said to be the database's fault).
            return (
                "Le serveur Matrix de MATRIX_HOMESERVER ne répond pas ou est introuvable : "
                "vérifiez son adresse dans .env et qu'il est démarré, puis relancez."
            )
        state = getattr(seen, "sqlstate", None)
        if state == INSUFFICIENT_PRIVILEGE:
            return _not_owner(database_url)
        if state in _POSTGRES_REFUSALS:
            return f"La base de DATABASE_URL refuse la connexion : {_POSTGRES_REFUSALS[state]}."
        if isinstance(seen, ConnectionRefusedError):
            return (
                "La base de DATABASE_URL ne répond pas (connexion refusée) : vérifiez que "
                "PostgreSQL est démarré, et son hôte et son port dans DATABASE_URL."
            )
        if isinstance(seen, socket.gaierror):
            return "L'hôte de DATABASE_URL est introuvable : vérifiez son nom dans .env."
        if getattr(seen, "sqlite_errorcode", None) in (SQLITE_BUSY, SQLITE_LOCKED):
            return (
                "La base est occupée par un autre programme (une transaction d'écriture reste "
                "ouverte : un « sqlite3 » ou un outil de sauvegarde ?) : ce qui était en cours "
                "n'est pas enregistré. Réessayez quand il l'aura libérée."
            )
    return None
