"""A throwaway PostgreSQL 15 cluster for the storage tests.

``make test`` starts one and exports ``TEST_DATABASE_URL``; when pytest runs
on its own, :func:`server_url` starts one itself for the session.  As root,
``initdb`` must run as the ``postgres`` user (it refuses root).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.storage.db import Database

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="formabot-pg-"))
        self.port = free_port()

    def _as_owner(self, command: list[str]) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            joined = " ".join(f"'{part}'" for part in command)
            subprocess.run(
                ["su", "postgres", "-s", "/bin/sh", "-c", joined],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        else:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> str:
        if not (BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL 15 introuvable dans {BIN} : lancez `make test`.")
        data = self.dir / "data"
        self._as_owner(
            [
                str(BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._as_owner(
            [
                str(BIN / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self.dir / "pg.log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        )
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._as_owner(
                [str(BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-w", "-m", "fast", "stop"]
            )
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@asynccontextmanager
async def fresh_database(
    server_url: str, *, prefix: str = "t", template: str | None = None
) -> AsyncIterator[Database]:
    """A new database on the cluster (a copy of ``template`` if given), dropped after."""
    import asyncpg

    server = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    dsn = f"postgresql://{server.username}@{server.host}:{server.port}/{server.database}"
    admin = await asyncpg.connect(dsn)
    copied = f' TEMPLATE "{template}"' if template else ""
    await admin.execute(f'CREATE DATABASE "{name}"{copied}')
    database = Database(str(server.set(database=name)))
    try:
        yield database
    finally:
        await database.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@contextmanager
def migrated_template(server_url: str) -> Iterator[str]:
    """A migrated database kept as a template: copying it (``CREATE DATABASE … TEMPLATE``)
    costs a few hundredths of a second where running the migrations costs about half a second,
    once per PostgreSQL test."""
    server = make_url(server_url)
    name = f"tpl_{uuid.uuid4().hex[:12]}"

    async def admin(statement: str) -> None:
        import asyncpg

        connection = await asyncpg.connect(
            f"postgresql://{server.username}@{server.host}:{server.port}/{server.database}"
        )
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    async def create() -> None:
        await admin(f'CREATE DATABASE "{name}"')
        database = Database(str(server.set(database=name)))
        await database.migrate()
        await database.dispose()

    asyncio.run(create())
    try:
        yield name
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def refuse_connections(database: Database, refused: bool) -> None:
    """``database`` stops taking connections, its open ones dropped (``refused``), or takes
    them again: a PostgreSQL outage for this database alone, the cluster the other tests
    share left running."""
    import asyncpg

    url = make_url(database.url)
    admin = await asyncpg.connect(f"postgresql://{url.username}@{url.host}:{url.port}/postgres")
    try:
        await admin.execute(
            f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS {"false" if refused else "true"}'
        )
        if refused:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                url.database,
            )
    finally:
        await admin.close()
