"""``formabot verifier FICHIER.zip``: a proof bundle checked without the database.

What is checked, in this order, each failure said in French:

1. the ZIP and its ``manifest.json`` can be read, in the signed format (an
   unsigned bundle, the Qualiopi one, gets step 4 alone, and is said to be
   unsigned: its hashes show nothing was damaged, not who made it; its kept
   documents, « documents conservés », against the SHA-256 recorded when each
   was stored, explorer IB5);
2. ``manifest.json.signature`` is the Ed25519 signature of the manifest's
   exact bytes by the public key the manifest carries;
3. that key is the organisation's: its fingerprint equals the one given
   (``--empreinte``, published by the organisation) or, on the
   organisation's own server, the key of its data folder; with neither,
   the verdict says the key could not be compared;
4. every file listed is there with its size and SHA-256, and nothing else;
5. the chain of answers: each record's hash recomputed, each linked to the
   previous one (the first to the bilan's starting value), each signed by
   the same key; a break is accepted only where the signed manifest
   declares answers erased there (``chaîne_interrompue``), and then said;
6. each attestation's ``.txt`` and PDF have the hashes its signed record
   gives.

A consistent forgery (an attestation's text, PDF, hashes and manifest redone
together) fails at 2 and 5: without the private key nothing can be signed
again.  Signing again with another key fails at 3.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from bot import texts
from bot.attestations.bundle import MANIFEST_FORMAT
from bot.attestations.chain import genesis, link_hash
from bot.attestations.keys import fingerprint, load_public, spaced, verify
from bot.documents.bundle import FILES, MANIFEST, SIGNATURE, sha256_hex

KEPT = "documents conservés"
"""The Qualiopi bundle's kept documents, by name: ``{"nature", RECORDED}``."""
RECORDED = "sha256 à l'enregistrement"


@dataclass
class Verdict:
    """What the verifier says: the problems (none when the bundle holds), then notes."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def wrong(self, block: str, **values: Any) -> None:
        self.problems.append(_say(block, **values))

    def note(self, block: str, **values: Any) -> None:
        self.notes.append(_say(block, **values))


def _say(block: str, **values: Any) -> str:
    return texts.plain(texts.say(f"attestations_verifier.{block}", **values))


def normalise(digest: str) -> str:
    return "".join(digest.split()).lower()


def verify_bundle(data: bytes, *, expected: str | None = None, local: str | None = None) -> Verdict:
    """Check a bundle; ``expected`` is the published fingerprint, ``local`` this server's."""
    verdict = Verdict()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        contents = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        verdict.wrong("not_a_zip")
        return verdict
    raw = contents.get(MANIFEST)
    if raw is None:
        verdict.wrong("no_manifest")
        return verdict
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        verdict.wrong("bad_manifest")
        return verdict
    if isinstance(manifest, dict) and "format" not in manifest and FILES in manifest:
        # An unsigned bundle (the Qualiopi one): its files against its own list, and said
        # so (explorer J: refused as « un dossier plus ancien », made a second before).
        _check_files(verdict, manifest, contents)
        _check_kept(verdict, manifest, contents)
        if verdict.ok:
            what = str(manifest.get("objet") or "")
            kept = manifest.get(KEPT)
            verdict.note(
                "unsigned",
                what=what,
                files=len(manifest.get(FILES) or []),
                kept=len(kept) if isinstance(kept, dict) else 0,
            )
        if expected is not None:
            # Asked who produced it: an unsigned bundle cannot say (explorer BC11: ✓ and 0
            # for any fingerprint, « abc » included).
            verdict.wrong("unsigned_expected", expected=expected.strip()[:80])
        return verdict
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        verdict.wrong("unknown_format", expected=MANIFEST_FORMAT)
        return verdict
    key_info = manifest.get("clé_publique") or {}
    key = load_public(str(key_info.get("pem", "")).encode("ascii", "replace"))
    if key is None:
        verdict.wrong("no_key")
        return verdict
    printed = fingerprint(key)
    signature = contents.get(SIGNATURE, b"").decode("ascii", "replace").strip()
    if not signature:
        verdict.wrong("no_signature")
    elif not verify(key, signature, raw):
        verdict.wrong("bad_signature")
    _check_key(verdict, printed, expected=expected, local=local)
    _check_files(verdict, manifest, contents)
    _check_chain(verdict, manifest, key, printed)
    _check_answers(verdict, manifest, contents)
    if verdict.ok:
        verdict.note(
            "summary",
            state=str(manifest.get("état", "")),
            files=len(manifest.get(FILES) or []),
            links=len(manifest.get("chaîne") or []),
            # Declared gaps (erasures) said in the same words as the summary PDF's, not
            # « continue » next to them (explorer AH10).
            gaps=len(manifest.get("chaîne_interrompue") or []),
            flagged=[
                f"{f.get('nom', '')} : {' ; '.join(f.get('motifs') or [])}"
                for f in manifest.get("à_vérifier") or []
            ],
            missing=manifest.get("manquants") or [],
            cancelled=(manifest.get("bilan") or {}).get("annulé_le"),
        )
    return verdict


def _check_key(verdict: Verdict, printed: str, *, expected: str | None, local: str | None) -> None:
    if expected is not None:
        if normalise(expected) != printed:
            verdict.wrong("other_key", found=spaced(printed), expected=spaced(normalise(expected)))
        else:
            verdict.note("key_expected", found=spaced(printed))
    elif local is not None:
        if local != printed:
            verdict.wrong("not_local_key", found=spaced(printed), local=spaced(local))
        else:
            verdict.note("key_local", found=spaced(printed))
    else:
        verdict.note("key_unchecked", found=spaced(printed))


def _check_files(verdict: Verdict, manifest: dict[str, Any], contents: dict[str, bytes]) -> None:
    listed: set[str] = set()
    for entry in manifest.get(FILES) or []:
        name = str(entry.get("nom", ""))
        listed.add(name)
        content = contents.get(name)
        if content is None:
            verdict.wrong("file_missing", name=name)
        elif sha256_hex(content) != entry.get("sha256") or len(content) != entry.get("taille"):
            verdict.wrong("file_changed", name=name)
    for name in sorted(set(contents) - listed - {MANIFEST, SIGNATURE}):
        verdict.wrong("file_extra", name=name)


def _check_kept(verdict: Verdict, manifest: dict[str, Any], contents: dict[str, bytes]) -> None:
    """The Qualiopi bundle's kept documents against the SHA-256 recorded when each was
    stored: the « fichiers » hashes are computed at export, so a document rewritten in the
    base since passed as intact (explorer IB5, where one name also carried the other
    compte rendu's hash)."""
    kept = manifest.get(KEPT)
    if not isinstance(kept, dict):
        return
    for name, entry in kept.items():
        content = contents.get(name)
        if content is None:
            verdict.wrong("kept_missing", name=name)
        elif not isinstance(entry, dict) or sha256_hex(content) != entry.get(RECORDED):
            verdict.wrong("kept_changed", name=name)


def _check_chain(verdict: Verdict, manifest: dict[str, Any], key: Any, printed: str) -> None:
    bilan_id = (manifest.get("bilan") or {}).get("id")
    previous = genesis(int(bilan_id)) if isinstance(bilan_id, int) else None
    declared = {
        (g.get("avant_la_réponse"), g.get("attendue"), g.get("signée"))
        for g in manifest.get("chaîne_interrompue") or []
        if isinstance(g, dict)
    }
    for number, link in enumerate(manifest.get("chaîne") or [], start=1):
        who = f"n° {number} ({link.get('nom_tapé', '')}, version {link.get('version', '?')})"
        if link.get("bilan") != bilan_id:
            verdict.wrong("link_other_bilan", who=who)
        if link.get("précédente") != previous:
            if (number, previous, link.get("précédente")) in declared:
                verdict.note("link_erased", who=who)
            else:
                verdict.wrong("link_broken", who=who)
        digest = link_hash(link)
        if digest != link.get("empreinte"):
            verdict.wrong("link_changed", who=who)
        signature = link.get("signature")
        if not signature:
            verdict.wrong("link_unsigned", who=who)
        elif link.get("clé_sha256") != printed or not verify(
            key, str(signature), str(link.get("empreinte", "")).encode("ascii", "replace")
        ):
            verdict.wrong("link_bad_signature", who=who)
        previous = link.get("empreinte")


def _check_answers(verdict: Verdict, manifest: dict[str, Any], contents: dict[str, bytes]) -> None:
    signed = {
        (link.get("participant"), link.get("version")): link
        for link in manifest.get("chaîne") or []
    }
    for person in manifest.get("participants") or []:
        answer = person.get("réponse")
        if not answer:
            continue
        who = str(person.get("nom", ""))
        link = signed.get((person.get("participant_id"), answer.get("version")))
        if link is None:
            verdict.wrong("answer_not_in_chain", who=who)
            continue
        for key, file_key, hash_key in (
            ("texte_sha256", "texte", "texte_sha256"),
            ("pdf_sha256", "pdf", "pdf_sha256"),
        ):
            if answer.get(key) != link.get(hash_key):
                verdict.wrong("answer_differs", who=who)
            name = answer.get(file_key)
            if name and name in contents and sha256_hex(contents[name]) != link.get(hash_key):
                verdict.wrong("answer_file_changed", who=who, name=name)
