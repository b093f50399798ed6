"""What a start could not reach or was refused by, said with the key to correct."""

from __future__ import annotations

import socket
import sqlite3

import aiohttp
from sqlalchemy.exc import OperationalError, ProgrammingError
from telegram.error import InvalidToken

from bot.refused import why_refused
from bot.transports.matrix.session import LoginFailed


class ServerSaid(Exception):
    """A driver's error carrying the server's SQLSTATE, as asyncpg's do."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_each_refusal_names_its_key_and_keeps_the_secret_out() -> None:
    token = why_refused(InvalidToken("The token `123:secret` was rejected by the server."))
    assert token is not None and "TELEGRAM_TOKEN" in token and "secret" not in token
    wrapped = OperationalError("connect", {}, ServerSaid("28P01"))
    assert why_refused(wrapped) == (
        "La base de DATABASE_URL refuse la connexion : le mot de passe est refusé."
    )
    assert "n'existe pas" in (why_refused(ServerSaid("3D000")) or "")
    assert "ne répond pas" in (why_refused(ConnectionRefusedError(111, "refused")) or "")
    assert "introuvable" in (why_refused(socket.gaierror(-2, "Name unknown")) or "")


def test_a_base_another_program_locks_is_said() -> None:
    """Explorer BA2: a piped console on a locked base printed nothing, code 0."""
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = sqlite3.SQLITE_BUSY
    said = why_refused(OperationalError("insert", {}, locked))
    assert said is not None and said.startswith("La base est occupée par un autre programme")


def test_anything_else_is_left_to_its_traceback() -> None:
    assert why_refused(ValueError("a bug")) is None
    assert why_refused(ServerSaid("23505")) is None


async def test_a_matrix_homeserver_out_of_reach_is_named_not_the_database() -> None:
    """Explorer DA11: « La base de DATABASE_URL ne répond pas » on a SQLite base that was
    fine, the Matrix homeserver named nowhere."""
    async with aiohttp.ClientSession() as client:
        try:
            await client.get("http://127.0.0.1:1/_matrix/client/versions")
        except aiohttp.ClientError as exc:
            said = why_refused(exc)
    assert said is not None and said.startswith(
        "Le serveur Matrix de MATRIX_HOMESERVER ne répond pas ou est introuvable"
    )
    assert "DATABASE_URL" not in said
    missing = why_refused(
        LoginFailed("Ni MATRIX_PASSWORD ni MATRIX_ACCESS_TOKEN : connexion impossible.")
    )
    assert missing is not None and missing.startswith("Ni MATRIX_PASSWORD ni MATRIX_ACCESS_TOKEN")


def test_a_user_that_does_not_own_its_base_is_told_how_to_give_it() -> None:
    """Explorer GC8: on PostgreSQL 15, `GRANT ALL ON DATABASE` lets no table be created in
    `public`; `formabot migrate` ended in a 165-line traceback « permission denied for
    schema public »."""
    refused = ProgrammingError("CREATE TABLE organisations", {}, ServerSaid("42501"))
    url = "postgresql+asyncpg://formabot:secret@127.0.0.1:5432/formabot_grant"
    assert why_refused(refused, url) == (
        "L'utilisateur formabot de DATABASE_URL n'a pas le droit de créer ou de lire les "
        "tables de la base formabot_grant (depuis PostgreSQL 15, seul le propriétaire d'une "
        "base peut y créer des tables) : en tant que postgres, faites-le propriétaire de la "
        "base (ALTER DATABASE formabot_grant OWNER TO formabot;) et de ses tables si un autre "
        "utilisateur les a créées, puis relancez."
    )
    odd = "postgresql+asyncpg://Forma-Bot:secret@127.0.0.1/base-1"
    assert 'ALTER DATABASE "base-1" OWNER TO "Forma-Bot";' in (why_refused(refused, odd) or "")
