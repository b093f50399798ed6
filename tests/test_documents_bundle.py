"""Proof bundles: the ZIP opens, the manifest's hashes match its entries."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.documents.bundle import build_bundle, person_slug, safe_name, sha256_hex, slug

CREATED = datetime(2026, 11, 26, 13, 5, 9, tzinfo=UTC)


def open_zip(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None  # every CRC checks out
    return archive


def manifest_of(archive: zipfile.ZipFile) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(archive.read("manifest.json").decode("utf-8"))
    return document


def test_entries_and_manifest_hashes_match() -> None:
    files = [
        ("attestation-zoé.pdf", b"%PDF-1.7 attestation " * 100),
        ("emargement.csv", "nom;date\nZoé;26/11/2026\n".encode()),
        ("vide.txt", b""),
    ]
    data = build_bundle(
        files,
        manifest={
            "formation": "Cœur de métier",
            "export_par": "Élodie",
            "jour": date(2026, 11, 26),
        },
        created=CREATED,
    )

    archive = open_zip(data)
    assert archive.namelist() == [
        "manifest.json",
        "attestation-zoé.pdf",
        "emargement.csv",
        "vide.txt",
    ]
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    manifest = manifest_of(archive)
    assert manifest["formation"] == "Cœur de métier"
    assert manifest["export_par"] == "Élodie"
    assert manifest["jour"] == "2026-11-26"
    assert manifest["créé_le"] == "2026-11-26T13:05:09Z"
    assert [entry["nom"] for entry in manifest["fichiers"]] == [name for name, _ in files]
    for entry, (_, original) in zip(manifest["fichiers"], files, strict=True):
        content = archive.read(entry["nom"])
        assert content == original
        assert entry["taille"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert archive.getinfo("emargement.csv").date_time == (2026, 11, 26, 13, 5, 8)  # 2-s DOS clock


def test_created_defaults_to_now_in_utc() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    manifest = manifest_of(open_zip(build_bundle([("a.txt", b"a")], manifest={})))

    created = datetime.fromisoformat(manifest["créé_le"])
    assert manifest["créé_le"].endswith("Z")
    assert created.utcoffset() is not None
    assert before <= created <= datetime.now(UTC)


def test_hostile_names_stay_inside_the_extraction_folder(tmp_path: Path) -> None:
    files = [
        ("../../etc/passwd", b"1"),
        ("/abs/chemin/releve.pdf", b"2"),
        ("C:\\Users\\zoe\\note.pdf", b"3"),
        ("..", b"4"),
        ("", b"5"),
        ("con.pdf", b"6"),
        ("a\x00b\u202e\n.pdf", b"7"),
        ('que?stion<>:"|*.txt', b"8"),
        ("manifest.json", b"9"),
        (" .cache. ", b"10"),
        ("é" * 300 + ".pdf", b"11"),
    ]
    data = build_bundle(files, manifest={}, created=CREATED)
    target = tmp_path / "extrait"

    archive = open_zip(data)
    archive.extractall(target)

    names = archive.namelist()
    assert names == [
        "manifest.json",
        "passwd",
        "releve.pdf",
        "note.pdf",
        "fichier",
        "fichier-2",
        "_con.pdf",
        "ab .pdf",
        "que_stion______.txt",
        "manifest-2.json",
        "cache",
        "é" * 73 + ".pdf",  # 150 bytes in UTF-8,
    ]
    extracted = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    assert extracted == sorted(names)  # flat: no folder was created
    for entry, (_, content) in zip(manifest_of(archive)["fichiers"], files, strict=True):
        assert (target / entry["nom"]).read_bytes() == content


def test_duplicates_get_numbered_ignoring_case() -> None:
    files = [("bilan.pdf", b"1"), ("Bilan.pdf", b"2"), ("bilan.pdf", b"3"), ("bilan-2.pdf", b"4")]
    archive = open_zip(build_bundle(files, manifest={}, created=CREATED))

    assert archive.namelist()[1:] == ["bilan.pdf", "Bilan-2.pdf", "bilan-3.pdf", "bilan-2-2.pdf"]
    assert [archive.read(n) for n in archive.namelist()[1:]] == [b"1", b"2", b"3", b"4"]


def test_same_inputs_same_bytes() -> None:
    files = [("a.txt", b"alpha"), ("b.txt", b"beta")]

    first = build_bundle(files, manifest={"k": 1}, created=CREATED)
    assert build_bundle(files, manifest={"k": 1}, created=CREATED) == first
    assert build_bundle(files, manifest={"k": 2}, created=CREATED) != first


def test_manifest_keys_of_its_own_and_non_json_values_are_refused() -> None:
    with pytest.raises(ValueError, match="fichiers"):
        build_bundle([], manifest={"fichiers": []})
    with pytest.raises(TypeError, match="bytes"):
        build_bundle([], manifest={"brut": b"\x00"})


def test_sha256_hex_and_safe_name() -> None:
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256_hex(b"") == hashlib.sha256(b"").hexdigest()
    assert safe_name("dossier/sous/attestation.pdf") == "attestation.pdf"
    assert safe_name("Compte rendu – Zoé.pdf") == "Compte rendu – Zoé.pdf"
    assert safe_name("LPT1") == "_LPT1"
    assert safe_name("😀" * 100) == "😀" * 37  # cut on a character, within 150 bytes


def test_a_title_or_a_name_in_a_file_name_is_the_same_everywhere() -> None:
    assert slug("Éducateur spécialisé(e) — Caen") == "educateur-specialise-e-caen"
    assert slug("Cariste – Rouen") == "cariste-rouen"
    assert slug("Élodie Roux", empty="stagiaire") == "elodie-roux"
    assert slug("???") == "document"
    assert slug("???", empty="formation") == "formation"
    assert slug("a" * 30 + " " + "b" * 30) == "a" * 30 + "-" + "b" * 9  # 40 at most
    assert not slug("a" * 39 + " b").endswith("-")


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Иван Петров", "ivan-petrov"),
        ("Юлия Щербакова", "iouliia-shcherbakova"),
        ("محمد علي", "mhmd-aly"),
        ("Νίκος Παπαδόπουλος", "nikos-papadopoulos"),
        ("שרה כהן", "shrh-khn"),
        ("김민준", "gimminjun"),
        ("Søren Łukasz Straße", "soren-lukasz-strasse"),
        ("王芳", "stagiaire"),  # no reading of ideographs here: the fallback
    ],
)
def test_a_name_in_another_alphabet_is_romanized_in_a_file_name(name: str, said: str) -> None:
    """Explorer DC5: a trainee named in Cyrillic or Arabic letters had
    « compte-rendu-stagiaire-….pdf », « chronologie-stagiaire.pdf »: nothing of her name."""
    assert person_slug(name) == said
