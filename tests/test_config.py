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
        # As typed, not Python's « -1.0 », and no « nan » taken for a number (explorer EB10).
        (
            "FORMABOT_DB_POOL_TIMEOUT",
            "-1",
            "FORMABOT_DB_POOL_TIMEOUT doit être un nombre positif (reçu -1).",
        ),
        (
            "FORMABOT_DB_POOL_TIMEOUT",
            "nan",
            "FORMABOT_DB_POOL_TIMEOUT doit être un nombre (reçu 'nan').",
        ),
        (
            "MATRIX_MESSAGES_PER_SECOND",
            "0",
            "MATRIX_MESSAGES_PER_SECOND doit être un nombre positif (reçu 0).",
        ),
        (
            "MATRIX_MESSAGES_PER_SECOND",
            "inf",
            "MATRIX_MESSAGES_PER_SECOND doit être un nombre (reçu 'inf').",
        ),
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


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("FORMABOT_DIGEST_HOUR", "25", "FORMABOT_DIGEST_HOUR doit valoir de 0 à 23 (reçu 25)."),
        ("FORMABOT_METRICS_PORT", "99999", "FORMABOT_METRICS_PORT doit valoir de 0 à 65535"),
        ("TELEGRAM_WEBHOOK_PORT", "0", "TELEGRAM_WEBHOOK_PORT doit valoir de 1 à 65535"),
        ("SMTP_PORT", "70000", "SMTP_PORT doit valoir de 1 à 65535"),
        ("SMTP_TLS", "ssl", "SMTP_TLS doit valoir starttls, tls ou none (reçu 'ssl')."),
        ("FORMABOT_LOG_LEVEL", "verbeux", "FORMABOT_LOG_LEVEL doit valoir debug, info, warning"),
        ("FORMABOT_CONVERSATION_TTL_HOURS", "-1", "FORMABOT_CONVERSATION_TTL_HOURS doit valoir au"),
        ("FORMABOT_SCHEDULER_INTERVAL_SECONDS", "0", "FORMABOT_SCHEDULER_INTERVAL_SECONDS doit"),
        ("FORMABOT_TEMPLATES_DIR", "/nulle/part", "FORMABOT_TEMPLATES_DIR : le dossier"),
    ],
)
def test_a_setting_out_of_its_range_stops_with_a_french_sentence(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str, said: str
) -> None:
    """Explorer AM6: a digest at 25 h was taken (shown so in /reglages), « ssl » was read as
    starttls, an unknown log level printed English lines in the console."""
    monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit) as stopped:
        config.load(env_file=None)
    assert str(stopped.value).startswith(said)


def test_documented_words_are_taken_in_either_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_TLS", "TLS")
    monkeypatch.setenv("FORMABOT_LOG_LEVEL", "debug")
    settings = config.load(env_file=None)
    assert (settings.smtp_tls, settings.log_level) == ("tls", "DEBUG")
    for level in ("CRITICAL", "WARN", "warning", "Error"):  # Python's names (explorer AN7)
        monkeypatch.setenv("FORMABOT_LOG_LEVEL", level)
        assert config.load(env_file=None).log_level == level.upper()


def test_every_pool_key_is_in_the_example_file() -> None:
    example = (ROOT / ".env.example").read_text("utf-8")
    for key in ("FORMABOT_DB_POOL_SIZE", "FORMABOT_DB_MAX_OVERFLOW", "FORMABOT_DB_POOL_TIMEOUT"):
        assert f"\n{key}=" in example


def test_the_example_file_says_every_log_level_and_what_e_mail_sends() -> None:
    """Explorer EB7: .env.example named four log levels of the six read, and e-mail as
    sending the proof bundles only (it sends the bilans' invitations and links too)."""
    lines = (ROOT / ".env.example").read_text("utf-8").splitlines()
    level = lines.index("FORMABOT_LOG_LEVEL=INFO")
    said = " ".join(lines[level - 2 : level])
    assert all(name.upper() in said for name in config.LOG_LEVELS)
    smtp = lines.index("SMTP_HOST=")
    said = " ".join(lines[smtp - 2 : smtp])
    assert "invitations" in said and "attestation links" in said and "proof bundles" in said


def test_the_bot_s_matrix_display_name_is_read_and_documented(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Explorer DC2: the name people see for the bot on Matrix, French unless changed."""
    monkeypatch.delenv("MATRIX_DISPLAY_NAME", raising=False)
    assert config.load(env_file=None).matrix_display_name == "Formabot – suivi des formations"
    monkeypatch.setenv("MATRIX_DISPLAY_NAME", "  Assistant Forma Plus ")
    assert config.load(env_file=None).matrix_display_name == "Assistant Forma Plus"
    assert "\nMATRIX_DISPLAY_NAME=Formabot – suivi des formations\n" in (
        ROOT / ".env.example"
    ).read_text("utf-8")


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


def test_a_database_url_without_an_asynchronous_driver_stops_with_its_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Explorer BC5: « postgresql:// » ended in « No module named 'psycopg' »."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://moi:secret@127.0.0.1/base")
    with pytest.raises(SystemExit) as stopped:
        config.load(env_file=None)
    said = str(stopped.value)
    assert said.startswith(
        "DATABASE_URL doit commencer par sqlite+aiosqlite:// ou postgresql+asyncpg:// (reçu"
    )
    assert "secret" not in said and "postgresql://moi:***@127.0.0.1/base" in said
    # A password with an « @ » as a provider gives it: no part of it (explorer DA5).
    monkeypatch.setenv("DATABASE_URL", "postgresql://moi:Azerty@2026!@db.example.org/base")
    with pytest.raises(SystemExit) as stopped:
        config.load(env_file=None)
    said = str(stopped.value)
    assert "2026!" not in said and "Azerty" not in said
    assert "postgresql://moi:***@db.example.org/base" in said
    # A driver formabot does not ship is refused the same way (explorer CA9).
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://moi@127.0.0.1/base")
    with pytest.raises(SystemExit):
        config.load(env_file=None)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://moi@127.0.0.1/base")
    assert config.load(env_file=None).database_url.startswith("postgresql+asyncpg://")


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"SMTP_HOST": "smtp.example.org"}, "SMTP_HOST est renseigné mais pas SMTP_FROM"),
        ({"SMTP_FROM": "bot@example.org"}, "SMTP_FROM est renseigné mais pas SMTP_HOST"),
        ({"MATRIX_HOMESERVER": "https://m.example.org"}, "MATRIX_HOMESERVER est renseigné mais"),
        ({"MATRIX_USER_ID": "@bot:example.org"}, "MATRIX_USER_ID est renseigné mais pas"),
        (
            {"SMTP_HOST": "smtp.example.org", "SMTP_FROM": "pasunemail"},
            "SMTP_FROM doit être une adresse e-mail (reçu « pasunemail »)",
        ),
    ],
)
def test_a_channel_half_configured_stops_naming_the_missing_key(
    monkeypatch: pytest.MonkeyPatch, given: dict[str, str], said: str
) -> None:
    """Explorer BC7: switched off without a word, the log saying no SMTP server was set."""
    for key in ("SMTP_HOST", "SMTP_FROM", "MATRIX_HOMESERVER", "MATRIX_USER_ID"):
        monkeypatch.delenv(key, raising=False)
    for key, value in given.items():
        monkeypatch.setenv(key, value)
    settings = config.load(env_file=None)  # a backup or an export goes on (explorer CB8)
    with pytest.raises(SystemExit) as stopped:
        config.paired(settings)
    assert str(stopped.value).startswith(said)
