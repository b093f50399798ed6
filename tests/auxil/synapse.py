"""A real Matrix homeserver (Synapse) on loopback, and accounts on it.

``launch_synapse()`` writes a test profile of the homeserver's configuration
(every ``rc_*`` limit raised, ``bcrypt_rounds: 4``, no federation, SQLite) into
a fresh folder on ``/dev/shm`` when there is one, picks a free port by binding
port 0, starts ``python -m synapse.app.homeserver`` from the separate
``.venv-synapse`` (``make test`` creates it; ``SYNAPSE_PYTHON`` overrides the
interpreter) and waits for ``/_matrix/client/versions`` to answer::

    server = launch_synapse()
    alice = server.register("alice", "secret")      # @alice:localhost, device logged out
    await server.tchap_pace(alice.user_id)          # 1 message/s, burst 1, like Tchap
    server.terminate()

To try formabot on Matrix on a laptop (explorer AJ1), ``make matrix-local`` (or
``.venv/bin/python -m tests.auxil.synapse --env matrix-local.env``) starts one,
creates the bot's account and two people's (a trainer, a chargée de mission),
prints their passwords and the lines for ``.env``, writes them to the file
given, and keeps the homeserver up until Ctrl-C (then it is stopped and removed).

Accounts are created through the admin API with the shared-secret HMAC (no CLI:
0.05 s instead of 0.8 s); the device the registration opens is logged out, so
the account's first real login is its only device.  Stopping is SIGTERM to the
process group, SIGKILL after 10 s.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[2]
VENV_PYTHON = ROOT / ".venv-synapse" / "bin" / "python"
INSTALL_HINT = "run make test (it creates .venv-synapse with matrix-synapse)"
SERVER_NAME = "localhost"

_RAISED = {"per_second": 1000, "burst_count": 1000}


class SynapseError(RuntimeError):
    """The homeserver could not be started, or refused an admin call."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def homeserver_config(port: int, secret: str, *, tchap: bool = False) -> dict[str, Any]:
    """The test profile; ``tchap=True`` keeps Synapse's defaults but messages at 1/s."""
    config: dict[str, Any] = {
        "server_name": SERVER_NAME,
        "report_stats": False,
        "registration_shared_secret": secret,
        "enable_registration": False,
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": "homeserver.db"}},
        "media_store_path": "media",
        "signing_key_path": "signing.key",
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "presence": {"enabled": False},
        "url_preview_enabled": False,
        "enable_metrics": False,
        "bcrypt_rounds": 4,
    }
    if tchap:
        config["rc_message"] = {"per_second": 1, "burst_count": 1}
        return config
    for key in (
        "rc_message",
        "rc_registration",
        "rc_joins_per_room",
        "rc_room_creation",
        "rc_3pid_validation",
        "rc_media_create",
        "rc_key_requests",
        "rc_delayed_event_mgmt",
        "rc_reports",
        "rc_user_directory",
        "rc_profile",
    ):
        config[key] = dict(_RAISED)
    config["rc_login"] = {k: dict(_RAISED) for k in ("address", "account", "failed_attempts")}
    config["rc_joins"] = {k: dict(_RAISED) for k in ("local", "remote")}
    config["rc_invites"] = {k: dict(_RAISED) for k in ("per_room", "per_user", "per_issuer")}
    config["rc_presence"] = {"per_user": dict(_RAISED)}
    return config


@dataclass(frozen=True)
class Account:
    user_id: str
    password: str
    localpart: str


@dataclass
class Synapse:
    """A running homeserver: ``url`` is ``http://127.0.0.1:PORT``."""

    url: str
    port: int
    folder: Path
    secret: str
    process: subprocess.Popen[bytes]
    started_in: float = 0.0
    admin_token: str = ""
    _names: set[str] = field(default_factory=set)

    @property
    def server_name(self) -> str:
        return SERVER_NAME

    def log_tail(self, lines: int = 40) -> str:
        path = self.folder / "synapse.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    # --- accounts ----------------------------------------------------------------------

    def unique(self, prefix: str) -> str:
        """A localpart no other test of the session used."""
        name = f"{prefix}{secrets.token_hex(3)}".lower()
        while name in self._names:
            name = f"{prefix}{secrets.token_hex(3)}".lower()
        self._names.add(name)
        return name

    def register(self, localpart: str, password: str = "", *, admin: bool = False) -> Account:
        """Create ``@localpart:localhost``; its registration device is logged out."""
        password = password or secrets.token_urlsafe(12)
        account, token = self._register(localpart, password, admin=admin)
        httpx.post(
            f"{self.url}/_matrix/client/v3/logout",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).raise_for_status()
        return account

    def _register(self, localpart: str, password: str, *, admin: bool) -> tuple[Account, str]:
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        nonce = httpx.get(endpoint, timeout=10).json()["nonce"]
        mac = hmac.new(self.secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), localpart.encode(), password.encode()]))
        mac.update(b"\x00admin" if admin else b"\x00notadmin")
        response = httpx.post(
            endpoint,
            json={
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
            timeout=10,
        )
        if response.status_code != 200:
            raise SynapseError(f"register {localpart}: HTTP {response.status_code} {response.text}")
        body = response.json()
        return Account(body["user_id"], password, localpart), body["access_token"]

    def _admin(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(
            method,
            f"{self.url}{path}",
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=10,
            **kwargs,
        )
        if response.status_code != 200:
            raise SynapseError(f"{method} {path}: HTTP {response.status_code} {response.text}")
        return response.json()

    def devices(self, user_id: str) -> list[dict[str, Any]]:
        """The account's devices, as the admin API lists them."""
        body = self._admin("GET", f"/_synapse/admin/v2/users/{quote(user_id)}/devices")
        devices: list[dict[str, Any]] = body["devices"]
        return devices

    def tchap_pace(self, user_id: str) -> None:
        """Tchap's message rate for this account only: 1 event/s, burst 1."""
        self._admin(
            "POST",
            f"/_synapse/admin/v1/users/{quote(user_id)}/override_ratelimit",
            json={"messages_per_second": 1, "burst_count": 1},
        )

    # --- stopping ----------------------------------------------------------------------

    def stop(self) -> None:
        """Stopped as an administrator stops it (SIGTERM), its data kept for :meth:`start`."""
        self._stop()

    def start(self, timeout: float = 60.0) -> None:
        """Started again on the same port and data, after :meth:`stop` (an upgrade, a reboot)."""
        self.process = _spawn(self.folder)
        try:
            _wait_ready(self, timeout)
        except BaseException:
            raise SynapseError(f"Synapse did not start again:\n{self.log_tail()}") from None

    def terminate(self) -> None:
        """SIGTERM to the process group, SIGKILL after 10 s; the folder is removed."""
        self._stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def synapse_python() -> Path:
    given = os.environ.get("SYNAPSE_PYTHON")
    path = Path(given) if given else VENV_PYTHON
    if not path.exists():
        raise SynapseError(f"{path} is missing: {INSTALL_HINT}")
    return path


def launch_synapse(*, tchap: bool = False, timeout: float = 60.0) -> Synapse:
    """Start a throwaway homeserver and wait until it answers (synchronously)."""
    python = synapse_python()
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="formabot-synapse-", dir=base))
    port = free_port()
    secret = secrets.token_hex(16)
    # JSON is YAML: no YAML library needed on this side.
    config = homeserver_config(port, secret, tchap=tchap)
    (folder / "homeserver.yaml").write_text(json.dumps(config, indent=1))
    began = time.monotonic()
    process = _spawn(folder, python)
    server = Synapse(f"http://127.0.0.1:{port}", port, folder, secret, process)
    try:
        _wait_ready(server, timeout)
        _, server.admin_token = server._register(
            server.unique("admin"), secrets.token_urlsafe(12), admin=True
        )
    except BaseException:
        tail = server.log_tail()
        server.terminate()
        raise SynapseError(f"Synapse did not start within {timeout:g} s:\n{tail}") from None
    server.started_in = time.monotonic() - began
    return server


def _spawn(folder: Path, python: Path | None = None) -> subprocess.Popen[bytes]:
    """The homeserver of ``folder`` (its ``homeserver.yaml``), its log appended to."""
    with (folder / "synapse.log").open("ab") as log:
        return subprocess.Popen(
            [
                str(python or synapse_python()),
                "-m",
                "synapse.app.homeserver",
                "-c",
                "homeserver.yaml",
            ],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_ready(server: Synapse, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running:
            raise SynapseError(f"Synapse exited with {server.process.returncode}")
        try:
            if httpx.get(f"{server.url}/_matrix/client/versions", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError


LOCAL_PEOPLE = ("formatrice", "chargee")
"""The people of a local trial, besides the bot: who plays the trainer, who the Région."""


def starting_the_bot(env: Path | None, lines: list[str]) -> list[str]:
    """How to start formabot on this homeserver, as the README's « Essayer Matrix en local »
    says: on a base of its own, not the demo's that `make run` filled, whose newcomer's
    /start is told to ask for an invitation (explorer EB2: « dans .env, puis
    `.venv/bin/formabot run` »)."""
    run = "FORMABOT_DATA_DIR=data-matrix .venv/bin/formabot run"
    settings = [f"  {line}" for line in lines]
    if env is None:
        return [f"Pour formabot, ces lignes dans .env, puis `{run}` :", *settings]
    # `. name` looks in the PATH, `. ./name` in this folder.
    source = shlex.quote(str(env) if env.parent != Path() else f"./{env}")
    return [
        "Pour formabot, dans un second terminal (une base à lui, migrée au démarrage) :",
        f"  set -a; . {source}; set +a",
        f"  {run}",
        f"Le fichier {env} contient :",
        *settings,
    ]


def local_trial(env: Path | None) -> int:
    """Start a homeserver for a trial, its accounts, and wait for Ctrl-C (explorer AJ1)."""
    # Ctrl-C honoured even when started in the background of a shell, which starts it with
    # SIGINT ignored (Python then leaves it so): it waited for ever, its server running.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    server = launch_synapse()
    try:
        bot = server.register("formabot", secrets.token_urlsafe(12))
        people = [server.register(name, secrets.token_urlsafe(9)) for name in LOCAL_PEOPLE]
        lines = [
            f"MATRIX_HOMESERVER={server.url}",
            f"MATRIX_USER_ID={bot.user_id}",
            f"MATRIX_PASSWORD={bot.password}",
        ]
        if env is not None:
            env.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        print(f"Synapse sur {server.url} (dossier {server.folder}).")
        print("\n".join(starting_the_bot(env, lines)))
        print(f"Dans Element, serveur d'accueil {server.url} :")
        for person in people:
            print(f"  {person.user_id}  mot de passe : {person.password}")
        print("Ctrl-C pour arrêter (le serveur et ses comptes sont alors effacés).", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            server.process.wait()
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A Matrix homeserver to try formabot locally.")
    parser.add_argument("--env", type=Path, help="also write the bot's .env lines to this file")
    sys.exit(local_trial(parser.parse_args().env))
