"""Each attestation chained to the previous one of its bilan, and signed.

The **record** of an answer is what it proves, in French keys: the bilan and
participant, the version, the answer, the typed name, the role, the reason,
the SHA-256 of the exact text shown and of the PDF sent, the UTC moment, the
chat account that answered, the bilan's dates as the text names them, and
the chain hash of the bilan's previous answer (``précédente``; a fixed
value for the first).  Its chain hash is the SHA-256 of its canonical JSON
(keys sorted, no spaces, UTF-8); the organisation's key signs that hash.

The manifest of a proof bundle carries every record of the bilan, oldest
first, with its hash and signature, so :mod:`bot.attestations.verify`
recomputes the chain without the database: a removed, reordered or
rewritten answer breaks it, and a rewritten one without the private key
cannot be signed again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.attestations.keys import SigningKey
from bot.storage.attestations import Attestation

ANSWER_WORDS = {"attested": "attestée", "declined": "non-participation"}
RECORD_ROLES = {
    "delegate": "délégation des stagiaires",
    "trainee": "stagiaire",
    "partner": "partenaire",
}
"""The role in a signed record: part of what is hashed, so never reworded (an answer signed
with these words must recompute to the same hash in every later bundle)."""
RECORD_KEYS = (
    "bilan",
    "participant",
    "version",
    "réponse",
    "nom_tapé",
    "rôle",
    "structure",
    "raison",
    "texte_sha256",
    "pdf_sha256",
    "répondu_le",
    "messagerie",
    "compte",
    "bilan_du",
    "bilan_au",
    "précédente",
)


def utc_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def genesis(bilan_id: int) -> str:
    """What the first answer of a bilan is chained to."""
    return hashlib.sha256(f"formabot/attestations/bilan/{bilan_id}".encode()).hexdigest()


def record_of(answer: Attestation) -> dict[str, Any]:
    """The signed record of ``answer`` (its ``previous_sha256`` must be set)."""
    return {
        "bilan": answer.bilan_id,
        "participant": answer.participant_id,
        "version": answer.version,
        "réponse": ANSWER_WORDS.get(answer.answer, answer.answer),
        "nom_tapé": answer.typed_name,
        "rôle": RECORD_ROLES.get(answer.role, answer.role),
        "structure": answer.structure,
        "raison": answer.reason,
        "texte_sha256": answer.text_sha256,
        "pdf_sha256": answer.pdf_sha256,
        "répondu_le": utc_text(answer.answered_at),
        "messagerie": answer.platform,
        "compte": answer.chat_user_id,
        "bilan_du": utc_text(answer.bilan_starts_at),
        "bilan_au": utc_text(answer.bilan_ends_at),
        "précédente": answer.previous_sha256,
    }


def link_hash(record: Mapping[str, Any]) -> str:
    """The chain hash of a record: SHA-256 of its canonical JSON (only ``RECORD_KEYS``)."""
    canonical = json.dumps(
        {key: record.get(key) for key in RECORD_KEYS},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal(answer: Attestation, previous: str, key: SigningKey) -> None:
    """Chain ``answer`` to ``previous`` and sign it (before it is first written)."""
    answer.previous_sha256 = previous
    answer.chain_sha256 = link_hash(record_of(answer))
    answer.signature = key.sign(answer.chain_sha256.encode("ascii"))
    answer.key_sha256 = key.fingerprint


def gaps(links: list[dict[str, Any]], bilan_id: int) -> list[dict[str, Any]]:
    """Where the chain skips answers that were deleted (an erasure asked under the RGPD, of
    answers not yet sent): the signed manifest declares each one, with the hash expected and
    the one found, so the verifier tells a declared erasure from a silent removal."""
    found: list[dict[str, Any]] = []
    expected = genesis(bilan_id)
    for number, link in enumerate(links, start=1):
        previous = link.get("précédente")
        if previous is not None and previous != expected:
            found.append({"avant_la_réponse": number, "attendue": expected, "signée": previous})
        expected = link.get("empreinte") or expected
    return found
