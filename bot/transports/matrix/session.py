"""Logging in once: the access token, the device id and nio's key store, kept together.

The first start logs in (password) or asks the homeserver who the token
belongs to (access token), then writes ``credentials.json`` beside nio's
store in ``FORMABOT_DATA_DIR/matrix`` (folder 700, files 600).  Every later
start calls ``restore_login()`` with what was written: the same device, its
Olm account and the room keys it received, never a second device.

nio is configured so that nothing blocks silently: a 429 or a network error
comes back to the caller (the sender honours ``retry_after_ms``, the sync loop
backs off) instead of nio sleeping through it.  The store's key is
``MATRIX_PICKLE_KEY``, or a random one written with the credentials the first
time (nio's default key would leave the Olm account readable at rest).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from nio import (
    AsyncClient,
    AsyncClientConfig,
    LoginResponse,
    ProfileGetDisplayNameResponse,
    ProfileSetDisplayNameResponse,
    WhoamiResponse,
)

from bot.config import Settings
from bot.transports.matrix.pacing import Pacer

log = logging.getLogger(__name__)

CREDENTIALS = "credentials.json"


class LoginFailed(RuntimeError):
    """The homeserver refused the configured password or token (said without them)."""


@dataclass(frozen=True)
class Credentials:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str
    pickle_key: str


def folder(settings: Settings) -> Path:
    path = settings.data_dir / "matrix"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    (path / "store").mkdir(exist_ok=True)
    (path / "store").chmod(0o700)
    return path


def private_files(path: Path) -> None:
    """Files mode 600 under ``path`` (nio creates its store with the umask's mode)."""
    for item in path.rglob("*"):
        if item.is_file():
            item.chmod(0o600)


def read_credentials(settings: Settings) -> Credentials | None:
    path = folder(settings) / CREDENTIALS
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    saved = Credentials(**data)
    if saved.user_id != settings.matrix_user_id:
        raise LoginFailed(
            f"{path} appartient à un autre compte : déplacez-le pour repartir de zéro "
            "(l'ancien appareil restera visible dans le compte)."
        )
    return saved


def write_credentials(settings: Settings, credentials: Credentials) -> None:
    path = folder(settings) / CREDENTIALS
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(credentials.__dict__, out)
    os.replace(temporary, path)


def client_config(pickle_key: str) -> AsyncClientConfig:
    return AsyncClientConfig(
        encryption_enabled=True,
        store_sync_tokens=False,  # the token lives in formabot's SQL (see bot.storage.matrix)
        pickle_key=pickle_key,
        max_limit_exceeded=0,  # a 429 comes back to us: nio would sleep through it silently
        max_timeouts=0,  # network errors too: the sender and the sync loop back off
        request_timeout=60,
    )


def new_client(settings: Settings, credentials: Credentials) -> AsyncClient:
    store = folder(settings) / "store"
    client = AsyncClient(
        credentials.homeserver,
        credentials.user_id,
        device_id=credentials.device_id,
        store_path=str(store),
        config=client_config(credentials.pickle_key),
    )
    client.restore_login(credentials.user_id, credentials.device_id, credentials.access_token)
    private_files(store)
    return client


async def open_client(settings: Settings) -> AsyncClient:
    """A logged-in client: the stored login, or a first login stored at once."""
    saved = read_credentials(settings)
    if saved is not None:
        return new_client(settings, saved)
    homeserver = settings.matrix_homeserver.rstrip("/")
    pickle_key = settings.matrix_pickle_key or secrets.token_urlsafe(32)
    probe = AsyncClient(homeserver, settings.matrix_user_id, config=client_config(pickle_key))
    try:
        if settings.matrix_access_token:
            probe.access_token = settings.matrix_access_token
            whoami = await probe.whoami()
            if not isinstance(whoami, WhoamiResponse) or not whoami.device_id:
                raise LoginFailed("MATRIX_ACCESS_TOKEN refusé par le serveur Matrix.")
            if whoami.user_id != settings.matrix_user_id:
                raise LoginFailed("MATRIX_ACCESS_TOKEN appartient à un autre compte.")
            device_id, token = whoami.device_id, settings.matrix_access_token
        elif settings.matrix_password:
            response = await probe.login(
                settings.matrix_password, device_name=settings.matrix_device_name
            )
            if not isinstance(response, LoginResponse):
                raise LoginFailed("Connexion Matrix refusée : vérifiez MATRIX_PASSWORD.")
            device_id, token = response.device_id, response.access_token
        else:
            raise LoginFailed("Ni MATRIX_PASSWORD ni MATRIX_ACCESS_TOKEN : connexion impossible.")
    finally:
        await probe.close()
    credentials = Credentials(homeserver, settings.matrix_user_id, device_id, token, pickle_key)
    write_credentials(settings, credentials)
    log.info("matrix: first login stored; later starts reuse this device")
    return new_client(settings, credentials)


async def show_name(client: AsyncClient, settings: Settings, pacer: Pacer) -> None:
    """The bot's display name made ``MATRIX_DISPLAY_NAME``'s: one request at start to read
    it, a second only when it differs (explorer DC2: people saw the localpart, « formabot »,
    or the raw Matrix id).  The change waits its turn at the account's pace: the homeserver
    counts it with the messages (Tchap's 1/s: the first reminder after it earned a 429).  A
    failure is logged and the start goes on: the name waits for the next start, the
    conversations do not."""
    wanted = settings.matrix_display_name
    try:
        current = await client.get_displayname()
        if isinstance(current, ProfileGetDisplayNameResponse) and current.displayname == wanted:
            return
        await pacer.turn()
        try:
            changed = await client.set_displayname(wanted)
        finally:
            pacer.finished()
        if isinstance(changed, ProfileSetDisplayNameResponse):
            log.info("matrix: display name set from MATRIX_DISPLAY_NAME")
        else:
            log.warning("matrix: the display name was refused (%s)", changed.status_code)
    except Exception as exc:  # the homeserver unreachable: the sync loop will say it too
        log.warning("matrix: display name not set (%s)", type(exc).__name__)
