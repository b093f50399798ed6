"""The organisation's Ed25519 key, which signs every attestation and every proof bundle.

Generated once, at the first use, in the data folder (``attestations-ed25519.pem``,
mode 600 via :func:`bot.files.write_private`), never in the database: whoever
can rewrite the database (a backup restored by hand, a stolen dump, an
administrator) cannot sign, so a consistently rewritten attestation or
bundle no longer matches its signature.  The public key travels in each
bundle; its fingerprint (SHA-256 of the raw key) is what an auditor compares
with the one the organisation publishes (``formabot verifier --cle``).

Two processes starting at once on one data folder must not write two keys:
the key is written to a private draft then linked into place (an atomic
step that fails when the file exists), and the loser reads the winner's.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.files import private_dir, write_private

if TYPE_CHECKING:  # cryptography is imported when a key is first used, not at start
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

KEY_FILE = "attestations-ed25519.pem"


@dataclass(frozen=True)
class SigningKey:
    """The private key with what the bundles show of it."""

    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_pem(self) -> bytes:
        return public_pem(self.public)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def sign(self, data: bytes) -> str:
        """The signature of ``data``, hex."""
        return self.private.sign(data).hex()


def public_pem(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the 32 raw bytes of the public key, hex: short enough to read aloud."""
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def spaced(digest: str) -> str:
    """``a1b2 c3d4 …``: a fingerprint as people compare it."""
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def load_public(pem: bytes) -> Ed25519PublicKey | None:
    """The Ed25519 public key of a PEM, or ``None`` for anything else."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def verify(key: Ed25519PublicKey, signature_hex: str, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(bytes.fromhex(signature_hex), data)
    except (InvalidSignature, ValueError):
        return False
    return True


_loaded: dict[Path, SigningKey] = {}


def signing_key(data_dir: Path) -> SigningKey:
    """The key of this data folder, created on first use (file mode 600)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = (private_dir(data_dir) / KEY_FILE).resolve()
    known = _loaded.get(path)
    if known is not None and path.exists():
        return known
    if not path.exists():
        fresh = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        draft = write_private(path.with_name(f".{KEY_FILE}.{secrets.token_hex(8)}"), fresh)
        try:
            os.link(draft, path)  # atomic, and refused when another process was first
        except FileExistsError:
            pass  # use theirs
        finally:
            draft.unlink()
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError(f"{path} ne contient pas une clé Ed25519")
    key = SigningKey(private)
    _loaded[path] = key
    return key


def existing_key(data_dir: Path) -> SigningKey | None:
    """The key of this data folder if there is one (the verifier never creates one)."""
    return signing_key(data_dir) if (data_dir / KEY_FILE).exists() else None
