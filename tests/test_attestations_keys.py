"""The organisation's signing key: made once in the data folder, private, the same afterwards
(also when two processes race to make it), and what it signs checks only with it."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bot.attestations import keys
from bot.attestations.keys import KEY_FILE, SigningKey, existing_key, signing_key


def test_the_key_is_made_once_private_and_found_again(tmp_path: Path) -> None:
    folder = tmp_path / "donnees"
    assert existing_key(folder) is None and not folder.exists()
    key = signing_key(folder)
    path = folder / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in path.read_bytes()
    keys._loaded.clear()  # a restart
    again = signing_key(folder)
    assert again.fingerprint == key.fingerprint
    assert existing_key(folder) is not None
    assert [p.name for p in folder.iterdir()] == [KEY_FILE]  # no draft left behind


def test_two_processes_making_it_at_once_end_with_one_key(tmp_path: Path) -> None:
    def make(_: int) -> str:
        keys._loaded.clear()
        return signing_key(tmp_path).fingerprint

    with ThreadPoolExecutor(8) as pool:
        found = set(pool.map(make, range(16)))
    assert len(found) == 1
    keys._loaded.clear()
    assert found == {signing_key(tmp_path).fingerprint}


def test_a_signature_checks_with_its_key_only() -> None:
    key, other = SigningKey(Ed25519PrivateKey.generate()), SigningKey(Ed25519PrivateKey.generate())
    signature = key.sign(b"manifest")
    assert keys.verify(key.public, signature, b"manifest")
    assert not keys.verify(key.public, signature, b"manifest!")
    assert not keys.verify(other.public, signature, b"manifest")
    assert not keys.verify(key.public, "pas de l'hexadécimal", b"manifest")
    loaded = keys.load_public(key.public_pem)
    assert loaded is not None and keys.fingerprint(loaded) == key.fingerprint
    assert (
        keys.load_public(b"-----BEGIN PUBLIC KEY-----\nnimporte\n-----END PUBLIC KEY-----") is None
    )
    assert keys.spaced("a1b2c3d4e5") == "a1b2 c3d4 e5"
