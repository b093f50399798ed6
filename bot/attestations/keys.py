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

A key is made only for a base that has signed nothing yet (explorer GC15): a
base restored without its data folder, or a worker on a machine without a
copy of the key, used to make a new one silently, and the trainer got a proof
bundle « complet … signé » that ``formabot verifier`` refused as rewritten.
The latest signed answer names its key (``key_sha256``): ``run``, ``work``
and the console refuse to start when the folder's key is not that one
(:func:`refusal`, one query), and whatever signs or bundles takes its key
through :func:`organisation_key`, which refuses likewise.  A key lost for good
(no backup of the data folder) is replaced only on purpose, by ``formabot
nouvelle-cle``: the folder then lists the fingerprint it replaces
(``attestations-cles-remplacees.txt``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.files import private_dir, write_private
from bot.storage.attestations import Attestation

if TYPE_CHECKING:  # cryptography is imported when a key is first used, not at start
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

KEY_FILE = "attestations-ed25519.pem"
REPLACED_FILE = "attestations-cles-remplacees.txt"
"""The fingerprints of lost keys this folder's key replaces, one a line (``nouvelle-cle``)."""

log = logging.getLogger(__name__)


class KeyMissing(Exception):
    """The data folder lacks the key that signed this base's attestations (explorer GC15):
    nothing is signed and no key is made; the message is the French sentence to act on."""


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


def missing_words(data_dir: Path) -> str:
    """What an operator reads when the data folder is not the one that signed (GC15)."""
    return (
        f"Le dossier de données {data_dir.absolute()} n'a pas la clé qui a signé les "
        f"attestations de cette base ({KEY_FILE}) : remettez en place la sauvegarde du "
        "dossier de données (voir « Mettre en production » dans le README), puis relancez."
    )


async def latest_signer(session: AsyncSession) -> str | None:
    """The fingerprint of the key that signed the base's latest answer; ``None`` when the
    base has signed nothing yet (one query, by primary key: cheap at every start)."""
    found: str | None = await session.scalar(
        select(Attestation.key_sha256)
        .where(Attestation.key_sha256.is_not(None))
        .order_by(Attestation.id.desc())
        .limit(1)
    )
    return found


def refusal(data_dir: Path, signer: str | None) -> str | None:
    """Why this data folder may not sign for a base whose latest answer ``signer`` signed
    (:func:`latest_signer`), in French; ``None`` when it may (a base that signed nothing
    yet gets its key at the first need).  Creates nothing."""
    if signer is None:
        return None
    if not (data_dir / KEY_FILE).exists():
        return missing_words(data_dir)
    if signing_key(data_dir).fingerprint != signer and signer not in replaced(data_dir):
        return missing_words(data_dir)
    return None


def replaced(data_dir: Path) -> set[str]:
    """The fingerprints of the lost keys this folder's key was put in place of, on purpose."""
    try:
        return set((data_dir / REPLACED_FILE).read_text(encoding="ascii").split())
    except FileNotFoundError:
        return set()


def replace_lost(data_dir: Path, signer: str) -> SigningKey:
    """``formabot nouvelle-cle``: this folder's key (made if there is none) signs from now
    on in place of the lost key ``signer``, which the folder records."""
    key = signing_key(data_dir)
    lines = sorted(replaced(data_dir) | {signer})
    write_private(data_dir / REPLACED_FILE, "".join(f"{line}\n" for line in lines))
    return key


async def organisation_key(session: AsyncSession, data_dir: Path) -> SigningKey:
    """The key to sign an answer or a bundle with: the data folder's, made here only for a
    base that has signed nothing yet; :class:`KeyMissing` when the folder lacks the key
    that signed the base (GC15: a worker without a copy of the key, a folder lost after the
    start), rather than a new key nobody published."""
    refused = refusal(data_dir, await latest_signer(session))
    if refused is not None:
        log.error(
            "the data folder %s lacks the key that signed this base's attestations (%s): "
            "nothing signed",
            data_dir,
            KEY_FILE,
        )
        raise KeyMissing(refused)
    return signing_key(data_dir)
