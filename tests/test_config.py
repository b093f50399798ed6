"""The settings: the PostgreSQL pool sized from the environment, refused in French when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import config
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent


def test_the_pool_is_sized_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMABOT_DB_POOL_SIZE", "20")
    monkeypatch.setenv("FORMABOT_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("FORMABOT_DB_POOL_TIMEOUT", "2.5")
    settings = config.load(env_file=None)
    assert (settings.db_pool_size, settings.db_max_overflow, settings.db_pool_timeout) == (
        20,
        0,
        2.5,
    )
    assert settings.turns_at_once == 20  # one turn per connection, the others queue


def test_the_defaults_keep_every_connection_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fifteen turns at once, on connections kept open: no overflow closed and reopened."""
    for key in ("FORMABOT_DB_POOL_SIZE", "FORMABOT_DB_MAX_OVERFLOW", "FORMABOT_DB_POOL_TIMEOUT"):
        monkeypatch.delenv(key, raising=False)
    settings = config.load(env_file=None)
    assert (settings.db_pool_size, settings.db_max_overflow, settings.db_pool_timeout) == (
        15,
        0,
        30.0,
    )
    assert settings.turns_at_once == 15


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("FORMABOT_DB_POOL_SIZE", "0", "FORMABOT_DB_POOL_SIZE doit valoir au moins 1 (reçu 0)."),
        ("FORMABOT_DB_POOL_SIZE", "dix", "FORMABOT_DB_POOL_SIZE doit être un nombre entier"),
        ("FORMABOT_DB_MAX_OVERFLOW", "-1", "FORMABOT_DB_MAX_OVERFLOW doit valoir au moins 0"),
        ("FORMABOT_DB_POOL_TIMEOUT", "0", "FORMABOT_DB_POOL_TIMEOUT doit être un nombre positif"),
        ("FORMABOT_DB_POOL_TIMEOUT", "", None),  # empty: the default
    ],
)
def test_a_wrong_pool_value_stops_with_a_french_sentence(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str, said: str | None
) -> None:
    monkeypatch.setenv(key, value)
    if said is None:
        assert config.load(env_file=None).db_pool_timeout == 30.0
        return
    with pytest.raises(SystemExit) as stopped:
        config.load(env_file=None)
    assert str(stopped.value).startswith(said)


def test_every_pool_key_is_in_the_example_file() -> None:
    example = (ROOT / ".env.example").read_text("utf-8")
    for key in ("FORMABOT_DB_POOL_SIZE", "FORMABOT_DB_MAX_OVERFLOW", "FORMABOT_DB_POOL_TIMEOUT"):
        assert f"\n{key}=" in example


async def test_a_postgresql_pool_takes_the_sizes_sqlite_keeps_one_connection(
    tmp_path: Path,
) -> None:
    pg = Database(
        "postgresql+asyncpg://u@127.0.0.1:1/x", pool_size=7, max_overflow=3, pool_timeout=4
    )
    pool = pg.engine.sync_engine.pool
    assert (pool.size(), pool._max_overflow, pool._timeout) == (7, 3, 4)  # type: ignore[attr-defined]
    lite = Database(f"sqlite+aiosqlite:///{tmp_path / 'f.db'}", pool_size=7, max_overflow=3)
    assert (lite.engine.sync_engine.pool.size(), lite.engine.sync_engine.pool._max_overflow) == (  # type: ignore[attr-defined]
        1,
        0,
    )
    await pg.dispose()
    await lite.dispose()
