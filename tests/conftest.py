"""Shared fixtures: a migrated database (SQLite, or a real PostgreSQL), the engine,
a controllable clock, and people who talk to the bot."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot import app, cli, texts
from bot.app import build_engine
from bot.config import Settings
from bot.documents import pdf
from bot.engine import Engine
from bot.messages import Platform
from bot.storage.db import Database
from tests.auxil.command import Done
from tests.auxil.dialogue import Clock, Person
from tests.auxil.postgres import Cluster, fresh_database, migrated_template
from tests.auxil.smtp import SmtpServer, smtp_server
from tests.auxil.synapse import Synapse, launch_synapse
from tests.auxil.telegram_emulator import TelegramEmulator, run_emulator

# --- PDFs: each distinct document rendered once per test process ------------------------


@pytest.fixture(scope="session", autouse=True)
def pdfs_rendered_once() -> Iterator[None]:
    """A document whose cleaned markup, title and fonts were rendered before in this process
    is the bytes of that rendering.  fpdf2 parses its DejaVu fonts again for every document
    (about 0.3 s): most dialogue tests render the demo bilan's same agenda and attestation,
    and those renderings were over half of the suite's time.  Every distinct document is
    still rendered for real, the first time, and a failure is never kept."""
    render = pdf._render

    @lru_cache(maxsize=256)
    def rendered(markup: str, title: str, fonts: tuple[tuple[str, Path], ...]) -> bytes:
        return render(markup, title, dict(fonts))

    def once(markup: str, title: str, paths: dict[str, Path]) -> bytes:
        return rendered(markup, title, tuple(sorted(paths.items())))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "_render", once)
        yield


# --- SQLite: migrate once, copy the file for each test ------------------------------


@pytest.fixture
def toy_templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The kit's tests' own dialogues read their texts from ``tests/templates``."""
    monkeypatch.setenv("FORMABOT_TEMPLATES_DIR", str(Path(__file__).resolve().parent / "templates"))
    texts.environment.cache_clear()
    yield
    texts.environment.cache_clear()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def migrate() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.migrate()
        await db.dispose()

    asyncio.run(migrate())
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}",
        data_dir=tmp_path,
    )


@pytest.fixture
async def db(settings: Settings, migrated_sqlite: Path) -> AsyncIterator[Database]:
    target = Path(make_url(settings.database_url).database or "")
    shutil.copy(migrated_sqlite, target)
    database = Database(settings.database_url)
    yield database
    await database.dispose()


# --- PostgreSQL: one server per run, one fresh database per test --------------------


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    cluster = Cluster()
    url = cluster.start()
    try:
        yield url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server_url: str) -> Iterator[str]:
    """One migrated database per run (per worker), copied for each test."""
    with migrated_template(pg_server_url) as name:
        yield name


@pytest.fixture
async def pg_db(pg_server_url: str, pg_template: str) -> AsyncIterator[Database]:
    async with fresh_database(pg_server_url, template=pg_template) as database:
        yield database


@pytest.fixture
async def away() -> AsyncIterator[Database]:
    """A database that does not answer: a PostgreSQL server nobody runs (port 1), as during
    a restart or a maintenance; every connection is refused at once."""
    database = Database("postgresql+asyncpg://formabot@127.0.0.1:1/formabot", pool_timeout=1)
    yield database
    await database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Database:
    """The same test on SQLite and on a real PostgreSQL."""
    fixture = "db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(fixture)
    return database


# --- the engine and people ----------------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def engine(db: Database, settings: Settings, clock: Clock) -> Engine:
    return build_engine(db, settings, clock=clock)


@pytest.fixture
def person(engine: Engine) -> Callable[..., Person]:
    def make(name: str, platform: Platform = Platform.CONSOLE, **kwargs: object) -> Person:
        return Person(engine, name, platform, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
async def demo(db: Database, clock: Clock) -> None:
    """The demo organisation; its admin formateur is the console user ``formateur``."""
    from bot import demo as demo_module

    async with db.sessions() as session, session.begin():
        await demo_module.fill(session, today=clock.now.date())


@pytest.fixture
def trainer(demo: None, person: Callable[..., Person]) -> Person:
    return person("formateur")


def with_ttl(settings: Settings, hours: int) -> Settings:
    return replace(settings, conversation_ttl_hours=hours)


# --- Matrix: one throwaway Synapse per session ----------------------------------------


@pytest.fixture(scope="session")
def synapse() -> Iterator[Synapse]:
    """A homeserver on loopback for the whole session (tests register fresh accounts)."""
    server = launch_synapse()
    try:
        yield server
    finally:
        server.terminate()


# --- the command line, in process ---------------------------------------------------


@pytest.fixture
def formabot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[[list[str]], Done]]:
    """``formabot ARGS`` in this process, on a fresh data directory, as ``run`` would start it."""
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "MATRIX_")):
            monkeypatch.delenv(name)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("FORMABOT_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # no developer's .env leaks into the run
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in app.QUIET_LOGGERS)]
    levels = [logger.level for logger in loggers]

    def call(args: list[str]) -> Done:
        capsys.readouterr()
        try:
            code = cli.main(args)
        except SystemExit as stop:  # argparse: --help, bad arguments; a setting refused
            if isinstance(stop.code, str):
                print(stop.code, file=sys.stderr)  # as Python prints it, code 1
            code = 1 if isinstance(stop.code, str) else int(stop.code or 0)
        out, err = capsys.readouterr()
        return Done(code, out, err)

    yield call
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback, recording what it receives."""
    with smtp_server() as server:
        yield server


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    """The Telegram Bot API emulator (node, on loopback), fresh for each test."""
    async with run_emulator() as peer:
        yield peer
