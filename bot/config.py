"""Configuration from the environment (and ``.env`` when present).

Every key is documented in ``.env.example`` with its safe default.  The
only other key read, ``FORMABOT_TEMPLATES_DIR``, is read by :mod:`bot.texts`
when the templates load (it must be known before any settings object).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/formabot.db"


def masked_url(url: str) -> str:
    """A database URL fit to print: its password replaced by ``***``, up to the last « @ »
    (a password with an « @ » unescaped, as a provider's panel gives it, was split at its
    first one and its end printed: explorer DA5)."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.partition(":")[0]
        url = f"{scheme}://{user}:***@{host}" if ":" in credentials else url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(adresse de base illisible)"


def secret() -> str:
    """A secret (token, password, key): never in a ``repr`` that could reach a log."""
    found: str = field(default="", repr=False)
    return found


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)
    data_dir: Path = Path("data")
    default_timezone: str = "Europe/Paris"
    conversation_ttl_hours: int = 24
    invitation_ttl_days: int = 7
    log_level: str = "INFO"
    telegram_token: str = secret()
    telegram_base_url: str = ""
    telegram_webhook_url: str = ""
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: str = secret()
    telegram_poll_interval: float = 0.0
    telegram_username: str = ""
    """The bot's @name without the @: e-mailed invitations carry ``https://t.me/<name>?start=…``."""
    matrix_homeserver: str = ""
    matrix_user_id: str = ""
    matrix_password: str = secret()
    matrix_access_token: str = secret()
    matrix_device_name: str = "formabot"
    matrix_display_name: str = "Formabot – suivi des formations"
    """The name people see for the bot in their Matrix client, rather than its account's
    localpart (« formabot vous invite »: explorer DC2); set at start when it differs."""
    matrix_pickle_key: str = secret()
    matrix_messages_per_second: float = 0.9
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = secret()
    smtp_from: str = ""
    smtp_tls: str = "starttls"
    scheduler_interval_seconds: int = 60
    digest_hour: int = 8
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 0
    """``/healthz`` and ``/metrics`` (:mod:`bot.metrics`); 0 = not served."""
    db_pool_size: int = 15
    """PostgreSQL connections each process keeps open (SQLite: always one)."""
    db_max_overflow: int = 0
    """Connections opened on top at a peak, closed when returned.

    None by default: under a sustained peak an overflow connection is
    returned while the pool is full, closed, and opened again for the next
    piece of work (457 connections made for 3,500 updates through the inbox,
    each a TCP connection and the driver's set-up).  The same fifteen
    connections are kept open instead.
    """
    db_pool_timeout: float = 30.0
    """Seconds a piece of work waits for a connection before it fails."""

    @property
    def turns_at_once(self) -> int:
        """How many turns one process runs at once: as many as it has connections.

        The others wait in order, per person, before taking any connection
        (:class:`bot.engine.Engine`), so a peak of messages makes a queue,
        never a pool timeout.
        """
        return max(1, self.db_pool_size + self.db_max_overflow)

    @property
    def is_sqlite(self) -> bool:
        """A SQLite file (or memory): what a start without a token may fill with the demo;
        a PostgreSQL base is a server's, never given it."""
        return self.database_url.startswith("sqlite")

    @property
    def shown_database_url(self) -> str:
        """``database_url`` without its password, for what is printed or logged."""
        return masked_url(self.database_url)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)

    @property
    def has_telegram(self) -> bool:
        return bool(self.telegram_token)

    @property
    def has_matrix(self) -> bool:
        return bool(self.matrix_homeserver and self.matrix_user_id)

    @property
    def has_smtp(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} doit être un nombre entier (reçu {raw!r}).") from exc


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} doit être un nombre (reçu {raw!r}).") from exc
    if not math.isfinite(value):  # « nan », « inf »: no pace, no wait (explorer EB10)
        raise SystemExit(f"{name} doit être un nombre (reçu {raw!r}).")
    return value


def _positive(name: str, default: float) -> float:
    value = _float(name, default)
    if value <= 0:  # said as typed, « reçu 0 », not Python's « 0.0 » (explorer EB10)
        raw = os.environ.get(name, "").strip()
        raise SystemExit(f"{name} doit être un nombre positif (reçu {raw}).")
    return value


def _at_least(name: str, default: int, lowest: int) -> int:
    value = _int(name, default)
    if value < lowest:
        raise SystemExit(f"{name} doit valoir au moins {lowest} (reçu {value}).")
    return value


def _between(name: str, default: int, lowest: int, highest: int) -> int:
    """A whole number in range (explorer AM6: « FORMABOT_DIGEST_HOUR=25 » was taken, a port
    of 99999 stopped the bot with a Python traceback)."""
    value = _int(name, default)
    if not lowest <= value <= highest:
        raise SystemExit(f"{name} doit valoir de {lowest} à {highest} (reçu {value}).")
    return value


def _one_of(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of the documented words, never another silently read as one of them (« ssl »)."""
    value = _str(name, default).lower()
    if value not in choices:
        said = ", ".join(choices[:-1]) + " ou " + choices[-1]
        raise SystemExit(f"{name} doit valoir {said} (reçu {value!r}).")
    return value


def _folder(name: str) -> None:
    """A folder named by the settings exists (a mistyped one would be ignored unsaid)."""
    value = _str(name)
    if value and not Path(value).is_dir():
        raise SystemExit(f"{name} : le dossier {value!r} n'existe pas.")


LOG_LEVELS = ("debug", "info", "warning", "warn", "error", "critical")
PORT = (1, 65535)


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip() or default


DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
"""The database drivers formabot talks through (asynchronous ones)."""


def _database_url(url: str) -> str:
    """``url``, or a stop naming DATABASE_URL when it names no driver formabot has (explorer
    BC5: « postgresql:// », « sqlite:/// », « mysql:// » ended in a 40-line traceback)."""
    try:
        driver = make_url(url).drivername
    except ArgumentError as exc:
        raise SystemExit(
            "DATABASE_URL n'est pas une adresse de base lisible : écrivez par exemple "
            "postgresql+asyncpg://utilisateur:motdepasse@hôte:5432/base, ou "
            "sqlite+aiosqlite:///data/formabot.db."
        ) from exc
    if driver not in DRIVERS:
        shown = masked_url(url)
        raise SystemExit(
            f"DATABASE_URL doit commencer par {DRIVERS[0]}:// ou {DRIVERS[1]}:// (reçu "
            f"{shown}) : formabot parle aux bases de façon asynchrone, "
            "par exemple « postgresql+asyncpg:// » au lieu de « postgresql:// »."
        )
    return url


def load(env_file: str | None = ".env") -> Settings:
    """Read the settings once at start-up; a bad value stops with a French message."""
    if env_file and Path(env_file).exists():
        load_dotenv(env_file, override=False)
    data_dir = Path(_str("FORMABOT_DATA_DIR", "data"))
    url = _database_url(
        _str("DATABASE_URL", "") or f"sqlite+aiosqlite:///{data_dir / 'formabot.db'}"
    )
    zone = _str("FORMABOT_TIMEZONE", "Europe/Paris")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SystemExit(f"FORMABOT_TIMEZONE : fuseau horaire inconnu {zone!r}.") from exc
    _folder("FORMABOT_TEMPLATES_DIR")
    return Settings(
        database_url=url,
        data_dir=data_dir,
        default_timezone=zone,
        conversation_ttl_hours=_at_least("FORMABOT_CONVERSATION_TTL_HOURS", 24, 1),
        invitation_ttl_days=_at_least("FORMABOT_INVITATION_TTL_DAYS", 7, 1),
        log_level=_one_of("FORMABOT_LOG_LEVEL", "info", LOG_LEVELS).upper(),
        telegram_token=_str("TELEGRAM_TOKEN"),
        telegram_base_url=_str("TELEGRAM_BASE_URL"),
        telegram_webhook_url=_str("TELEGRAM_WEBHOOK_URL"),
        telegram_webhook_listen=_str("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
        telegram_webhook_port=_between("TELEGRAM_WEBHOOK_PORT", 8443, *PORT),
        telegram_webhook_secret=_str("TELEGRAM_WEBHOOK_SECRET"),
        telegram_poll_interval=_float("TELEGRAM_POLL_INTERVAL", 0.0),
        telegram_username=_str("TELEGRAM_USERNAME").lstrip("@"),
        matrix_homeserver=_str("MATRIX_HOMESERVER"),
        matrix_user_id=_str("MATRIX_USER_ID"),
        matrix_password=_str("MATRIX_PASSWORD"),
        matrix_access_token=_str("MATRIX_ACCESS_TOKEN"),
        matrix_device_name=_str("MATRIX_DEVICE_NAME", "formabot"),
        matrix_display_name=_str("MATRIX_DISPLAY_NAME", "Formabot – suivi des formations"),
        matrix_pickle_key=_str("MATRIX_PICKLE_KEY"),
        matrix_messages_per_second=_positive("MATRIX_MESSAGES_PER_SECOND", 0.9),
        smtp_host=_str("SMTP_HOST"),
        smtp_port=_between("SMTP_PORT", 587, *PORT),
        smtp_user=_str("SMTP_USER"),
        smtp_password=_str("SMTP_PASSWORD"),
        smtp_from=_str("SMTP_FROM"),
        smtp_tls=_one_of("SMTP_TLS", "starttls", ("starttls", "tls", "none")),
        scheduler_interval_seconds=_at_least("FORMABOT_SCHEDULER_INTERVAL_SECONDS", 60, 1),
        digest_hour=_between("FORMABOT_DIGEST_HOUR", 8, 0, 23),
        metrics_host=_str("FORMABOT_METRICS_HOST", "127.0.0.1"),
        metrics_port=_between("FORMABOT_METRICS_PORT", 0, 0, PORT[1]),
        db_pool_size=_at_least("FORMABOT_DB_POOL_SIZE", 15, 1),
        db_max_overflow=_at_least("FORMABOT_DB_MAX_OVERFLOW", 0, 0),
        db_pool_timeout=_positive("FORMABOT_DB_POOL_TIMEOUT", 30.0),
    )


_PAIRS = (
    ("SMTP_HOST", "smtp_host", "SMTP_FROM", "smtp_from", "l'adresse d'expédition des e-mails"),
    ("SMTP_FROM", "smtp_from", "SMTP_HOST", "smtp_host", "le serveur de messagerie"),
    ("MATRIX_HOMESERVER", "matrix_homeserver", "MATRIX_USER_ID", "matrix_user_id", "le compte"),
    ("MATRIX_USER_ID", "matrix_user_id", "MATRIX_HOMESERVER", "matrix_homeserver", "son serveur"),
)
"""Keys that only work together: one without the other switched its channel off unsaid."""


def paired(settings: Settings) -> Settings:
    """``settings``, or a stop naming the key missing beside the one given (explorer BC7: an
    SMTP_HOST without SMTP_FROM was logged « no SMTP server configured », every e-mail became
    a draft to forward). Asked by the commands that serve (``run``, ``work``, ``console``),
    not by a nightly backup or an export, which no channel concerns (explorer CB8)."""
    for given, attribute, missing, other, what in _PAIRS:
        if getattr(settings, attribute) and not getattr(settings, other):
            raise SystemExit(
                f"{given} est renseigné mais pas {missing} ({what}) : renseignez-le dans .env, "
                f"ou videz {given}."
            )
    if settings.smtp_from and "@" not in settings.smtp_from:
        raise SystemExit(f"SMTP_FROM doit être une adresse e-mail (reçu « {settings.smtp_from} »).")
    return settings
