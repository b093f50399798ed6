"""One ZIP holding a bilan's proofs, with a manifest that lets anyone check them.

An export (attestations, feuilles d'émargement, comptes rendus) goes to a
funder or an auditor who must be able to tell that nothing was altered after
the fact: ``manifest.json`` lists every file with its size and SHA-256
(``fichiers``: ``nom``, ``taille``, ``sha256``; ``créé_le``: when), next to
whatever the caller describes (the formation, the period, who exported).
The keys are French: an auditor opens this file.  A caller that can sign
passes ``seal``, which gets the manifest's exact bytes and returns the files
to add after it (a signature): a hash list alone proves nothing against
someone who rewrites the files and the list together.

File names come from users (an uploaded "../../etc/passwd.pdf", two
"attestation.pdf"), so each is reduced to a plain name that every unzip tool
and every file system accepts, and duplicates get "-2", "-3" suffixes instead
of silently overwriting one another on extraction.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import PurePosixPath

from bot.documents.romanized import romanized

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.signature"
"""Where a sealed bundle keeps the signature of ``manifest.json`` (no file may take it)."""
CREATED = "créé_le"
FILES = "fichiers"
Seal = Callable[[bytes], Sequence[tuple[str, bytes]]]
# File systems cap a name at 255 bytes; leave room for a "-2" suffix.
MAX_NAME_BYTES = 150
FALLBACK_NAME = "fichier"
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
# Names Windows refuses whatever the extension ("con.pdf" included).
_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, lowercase hex, as ``sha256sum`` prints it."""
    return hashlib.sha256(data).hexdigest()


def slug(text: str, *, empty: str = "document", limit: int = 40) -> str:
    """``cariste-rouen``, ``elodie-roux``: a title or a name in a file name, ASCII, lower case,
    dashes, so a document bears the same name on every platform, on disk and in a bundle;
    other alphabets romanized (explorer DC5: « Иван Петров » was « stagiaire »)."""
    return re.sub(r"[^a-z0-9]+", "-", romanized(text)).strip("-")[:limit].strip("-") or empty


def person_slug(full_name: str) -> str:
    """A trainee's name in a document's file name, the chronologie's and the compte rendu's
    alike: whole (a name holds at most 100 characters), ASCII, dashes (explorer CF7: the
    chronologie's was cut at 40 characters, the compte rendu's was not)."""
    return slug(full_name, empty="stagiaire", limit=100)


def safe_name(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """A bare file name: no folder, no control character, nothing Windows refuses; cut to
    ``limit`` UTF-8 bytes, its extension kept (explorer AA4: a name cut after this lost its
    « .pdf », and the Qualiopi bundle held a document with no extension)."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/")
    name = PurePosixPath(name).name if "/" in name else name
    # Control and format characters vanish; any kind of space or line break
    # becomes a plain space.
    name = "".join(
        " " if unicodedata.category(char)[0] == "Z" or char in "\t\n\r" else char
        for char in name
        if unicodedata.category(char)[0] != "C" or char in "\t\n\r"
    )
    name = _FORBIDDEN.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if _RESERVED.fullmatch(name):
        name = f"_{name}"
    if len(name.encode("utf-8")) > limit:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and 0 < len(suffix.encode("utf-8")) <= 10:
            room = limit - len(suffix.encode("utf-8")) - 1
            name = _cut(stem, room).rstrip(" .") + "." + suffix
        else:
            name = _cut(name, limit).rstrip(" .")
    return name or FALLBACK_NAME


def _cut(text: str, size: int) -> str:
    """The longest prefix of ``text`` fitting in ``size`` UTF-8 bytes."""
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def _numbered(name: str, number: int) -> str:
    stem, dot, suffix = name.rpartition(".")
    if dot and stem:
        return f"{stem}-{number}.{suffix}"
    return f"{name}-{number}"


def unique_names(names: Sequence[str]) -> list[str]:
    """Safe names, duplicates (ignoring case, as Windows and macOS do) numbered.

    ``manifest.json`` (and its signature) are taken by the bundle itself, so a
    file of that name becomes ``manifest-2.json``.
    """
    taken = {MANIFEST.casefold(), SIGNATURE.casefold()}
    result: list[str] = []
    for raw in names:
        name = candidate = safe_name(raw)
        number = 1
        while candidate.casefold() in taken:
            number += 1
            candidate = _numbered(name, number)
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"manifest value of type {type(value).__name__} is not JSON: {value!r}")


def build_bundle(
    files: Sequence[tuple[str, bytes]],
    *,
    manifest: Mapping[str, object],
    created: datetime | None = None,
    seal: Seal | None = None,
) -> bytes:
    """A deflated ZIP of ``files`` plus ``manifest.json``.

    The manifest is ``manifest`` plus ``créé_le`` (UTC, ISO-8601) and
    ``fichiers``: one ``{"nom", "taille", "sha256"}`` per file, in the given
    order, under the name it has inside the ZIP.  ``created`` defaults to
    now; passing it makes the bytes reproducible.  ``seal(manifest_bytes)``
    returns files stored right after the manifest (not listed in it).
    """
    reserved = {FILES, CREATED} & set(manifest)
    if reserved:
        raise ValueError(f"manifest keys {sorted(reserved)} are set by build_bundle itself")
    moment = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    names = unique_names([name for name, _ in files])
    entries = [
        {"nom": name, "taille": len(data), "sha256": sha256_hex(data)}
        for name, (_, data) in zip(names, files, strict=True)
    ]
    document = {**manifest, CREATED: moment.isoformat().replace("+00:00", "Z"), FILES: entries}
    manifest_bytes = (
        json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    ).encode("utf-8")

    # ZIP stores local time without a zone; we store the UTC time, as
    # the manifest says, rather than the server's wall clock.
    stamp = max(moment, datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        sealed = list(seal(manifest_bytes)) if seal is not None else []
        for name, data in [(MANIFEST, manifest_bytes), *sealed] + [
            (name, data) for name, (_, data) in zip(names, files, strict=True)
        ]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
