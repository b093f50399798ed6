"""``formabot verifier``: a genuine bundle passes; a changed file, a consistent forgery
(text, PDF, hashes and manifest redone together, in the ZIP or in the database), a bundle
signed again with another key, a removed answer and an added file are each refused with a
French reason and a non-zero exit code."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text

from bot import cli
from bot.attestations.bundle import build
from bot.attestations.chain import link_hash, record_of
from bot.attestations.keys import SigningKey, signing_key
from bot.attestations.verify import verify_bundle
from bot.config import Settings
from bot.storage.attestations import Attestation
from bot.storage.db import Database
from tests.auxil.attestations import codes, open_zip, schedule_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.pdf import pdf_words


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def dump(manifest: dict[str, object]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


async def attested_bundle(
    trainer: Talker, person: Callable[..., Talker], clock: Clock, db: Database, settings: Settings
) -> tuple[int, bytes]:
    """Léa and Hugo both attest; the bundle as the trainer gets it."""
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=7)
    for user, name in (("lea", "Léa Martin"), ("hugo", "Hugo Moreau")):
        who = person(user)
        await who.says(f"/start {invited[name]}")
        await who.says(name)
        await who.presses("Je représente les stagiaires")
        await who.presses("Je l'atteste")
    async with db.sessions() as session:
        bundle = await build(session, bilan_id, now=clock.now, key=signing_key(settings.data_dir))
    return bilan_id, bundle.content


def run(
    tmp_path: Path, settings: Settings, data: bytes, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    path = tmp_path / "dossier.zip"
    path.write_bytes(data)
    code = cli.cmd_verifier(settings, cli.parse(["verifier", str(path), *extra]))
    return code, capsys.readouterr().out


async def test_a_genuine_bundle_is_verified_here_and_elsewhere_with_the_fingerprint(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, data = await attested_bundle(trainer, person, clock, db, settings)
    key = signing_key(settings.data_dir)
    code, out = run(tmp_path, settings, data, capsys)
    assert code == 0, out
    assert "Dossier intact : signature valide, 6 fichiers conformes au manifeste" in out
    assert "chaîne continue de 2 réponses signées" in out  # explorer AI2
    assert "celle de cet organisme, sur ce serveur" in out and "✓ dossier.zip" in out
    # Elsewhere (no key in the data folder): with the published fingerprint, spaces allowed.
    elsewhere = Settings(database_url="sqlite://", data_dir=tmp_path / "ailleurs")
    spaced = " ".join(key.fingerprint[i : i + 4] for i in range(0, 64, 4))
    code, out = run(tmp_path, elsewhere, data, capsys, "--empreinte", spaced)
    assert code == 0 and "celle que vous avez donnée" in out
    code, out = run(tmp_path, elsewhere, data, capsys)
    assert code == 0 and "je n'ai pas pu la comparer à celle de l'organisme" in out
    assert not (tmp_path / "ailleurs").exists()  # the verifier never creates a key


async def test_a_changed_file_is_refused(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, data = await attested_bundle(trainer, person, clock, db, settings)
    files, _ = open_zip(data)
    files["attestation-01-lea-martin.txt"] = files["attestation-01-lea-martin.txt"].replace(
        "Léa Martin".encode(), "Zoé Martin".encode()
    )
    code, out = run(tmp_path, settings, rezip(files), capsys)
    assert code == 1
    assert "Le fichier attestation-01-lea-martin.txt a été modifié" in out
    assert "✗ dossier.zip : dossier refusé." in out


async def test_a_consistent_forgery_in_the_zip_is_refused_by_the_signatures(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, data = await attested_bundle(trainer, person, clock, db, settings)
    files, manifest = open_zip(data)
    # Redo Léa's text, its PDF, every hash, the chain and the file list together.
    forged_text = files["attestation-01-lea-martin.txt"].replace(
        "Léa Martin".encode(), "Zoé Martin".encode()
    )
    forged_pdf = b"%PDF-1.4 forged"
    files["attestation-01-lea-martin.txt"], files["attestation-01-lea-martin.pdf"] = (
        forged_text,
        forged_pdf,
    )
    lea = next(p for p in manifest["participants"] if p["nom"] == "Léa Martin")
    lea["réponse"].update(texte_sha256=sha(forged_text), pdf_sha256=sha(forged_pdf))
    previous = None
    for link in manifest["chaîne"]:
        if link["participant"] == lea["participant_id"]:
            link.update(
                texte_sha256=sha(forged_text), pdf_sha256=sha(forged_pdf), nom_tapé="Zoé Martin"
            )
        if previous is not None:
            link["précédente"] = previous
        link["empreinte"] = previous = link_hash(link)
    for entry in manifest["fichiers"]:
        entry["sha256"] = sha(files[entry["nom"]])
        entry["taille"] = len(files[entry["nom"]])
    files["manifest.json"] = dump(manifest)
    code, out = run(tmp_path, settings, rezip(files), capsys)
    assert code == 1
    assert "La signature ne correspond pas au manifeste" in out
    assert "La signature de la réponse n° 1 (Zoé Martin, version 1) ne correspond pas" in out, out
    assert "réponse n° 2 (Hugo Moreau, version 1) ne correspond pas" in out  # re-linked after
    assert "Le fichier" not in out  # every file matches the forged list: only signatures tell


async def test_signing_again_with_another_key_is_refused_against_the_fingerprint(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, data = await attested_bundle(trainer, person, clock, db, settings)
    genuine = signing_key(settings.data_dir).fingerprint
    files, manifest = open_zip(data)
    other = SigningKey(Ed25519PrivateKey.generate())
    for link in manifest["chaîne"]:
        link["signature"] = other.sign(link["empreinte"].encode())
        link["clé_sha256"] = other.fingerprint
    manifest["clé_publique"]["pem"] = other.public_pem.decode()
    manifest["clé_publique"]["empreinte_sha256"] = other.fingerprint
    files["cle-publique.pem"] = other.public_pem
    for entry in manifest["fichiers"]:
        entry["sha256"] = sha(files[entry["nom"]])
        entry["taille"] = len(files[entry["nom"]])
    files["manifest.json"] = dump(manifest)
    files["manifest.json.signature"] = other.sign(files["manifest.json"]).encode()
    forged = rezip(files)
    # Internally consistent: only the comparison with the organisation's key refuses it.
    assert verify_bundle(forged).ok
    code, out = run(tmp_path, settings, forged, capsys, "--empreinte", genuine)
    assert code == 1 and "et non par celle que vous avez donnée" in out
    code, out = run(tmp_path, settings, forged, capsys)
    assert code == 1 and "et non par la clé de cet organisme" in out


async def test_a_forgery_in_the_database_is_refused_even_in_a_bundle_the_bot_signs(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bilan_id, _ = await attested_bundle(trainer, person, clock, db, settings)
    forged_text = "Je soussigné(e) Zoé Martin, atteste …\n"
    async with db.sessions() as session, session.begin():
        await session.execute(text("DROP TRIGGER attestations_frozen"))  # a determined forger
        first = await session.scalar(select(Attestation).order_by(Attestation.id).limit(1))
        assert first is not None
        record = {
            "typed_name": "Zoé Martin",
            "text": forged_text,
            "text_sha256": sha(forged_text.encode()),
            "pdf": b"%PDF forged",
            "pdf_sha256": sha(b"%PDF forged"),
        }
        first_id = first.id
    async with db.sessions() as session, session.begin():
        await session.execute(
            text(
                "UPDATE attestations SET typed_name=:typed_name, text=:text, "
                "text_sha256=:text_sha256, pdf=:pdf, pdf_sha256=:pdf_sha256 WHERE id=:id"
            ),
            {**record, "id": first_id},
        )
    # The chain redone in the rows too: hashes and links all consistent again.
    async with db.sessions() as session:
        rows = list((await session.scalars(select(Attestation).order_by(Attestation.id))).all())
        previous = rows[0].previous_sha256
        relinked = []
        for row in rows:
            row.previous_sha256 = previous
            previous = link_hash(record_of(row))
            relinked.append({"id": row.id, "p": row.previous_sha256, "c": previous})
        await session.rollback()
    async with db.sessions() as session, session.begin():
        for values in relinked:
            await session.execute(
                text("UPDATE attestations SET previous_sha256=:p, chain_sha256=:c WHERE id=:id"),
                values,
            )
    async with db.sessions() as session:
        bundle = await build(session, bilan_id, now=clock.now, key=signing_key(settings.data_dir))
    code, out = run(tmp_path, settings, bundle.content, capsys)
    assert code == 1
    assert "La signature de la réponse n° 1 (Zoé Martin, version 1) ne correspond pas" in out
    assert "a été modifiée" not in out and "rompue" not in out  # hashes and links consistent
    assert "La signature ne correspond pas au manifeste" not in out  # the bot signed it


async def test_a_removed_answer_and_an_added_file_are_refused(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, data = await attested_bundle(trainer, person, clock, db, settings)
    files, manifest = open_zip(data)
    del manifest["chaîne"][0]
    files["manifest.json"] = dump(manifest)
    files["autre.pdf"] = b"%PDF"
    code, out = run(tmp_path, settings, rezip(files), capsys)
    assert code == 1
    assert "La chaîne des réponses est rompue à la réponse n° 1" in out
    assert "Le fichier autre.pdf a été ajouté" in out
    assert "ne figure pas dans la chaîne signée" in out


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"not a zip", "n'est pas une archive ZIP lisible"),
        (rezip({"a.txt": b"a"}), "ne contient pas de manifest.json"),
        (rezip({"manifest.json": b"{"}), "manifest.json est illisible"),
        (
            rezip({"manifest.json": b'{"format": "formabot-attestations/1"}'}),
            "pas dans un format que je sais vérifier",
        ),
        (rezip({"manifest.json": b'{"format": "formabot-attestations/2"}'}), "clé publique"),
    ],
)
def test_what_is_not_a_signed_bundle_is_said(
    content: bytes,
    said: str,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(tmp_path, settings, content, capsys)
    assert code == 1 and said in out


async def test_the_organisation_key_is_printed_to_be_published_and_a_missing_file_said(
    settings: Settings, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await cli.cmd_public_key(settings)  # `formabot verifier --cle`
    out = capsys.readouterr().out
    key = signing_key(settings.data_dir)
    assert code == 0 and "BEGIN PUBLIC KEY" in out and key.fingerprint[:4] in out
    missing = cli.parse(["verifier", str(tmp_path / "absent.zip")])
    assert cli.cmd_verifier(settings, missing) == 2
    assert "Je ne peux pas lire" in capsys.readouterr().err


async def test_answers_erased_before_sending_are_declared_and_said_not_refused(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bilan_id, _ = await attested_bundle(trainer, person, clock, db, settings)
    async with db.sessions() as session, session.begin():  # as an erasure (/effacer) does
        first = await session.scalar(select(Attestation).order_by(Attestation.id).limit(1))
        assert first is not None
        await session.execute(text("DELETE FROM attestations WHERE id = :id"), {"id": first.id})
    async with db.sessions() as session:
        bundle = await build(session, bilan_id, now=clock.now, key=signing_key(settings.data_dir))
    files, manifest = open_zip(bundle.content)
    (gap,) = manifest["chaîne_interrompue"]
    assert gap["avant_la_réponse"] == 1 and gap["signée"] == manifest["chaîne"][0]["précédente"]
    assert "Réponses effacées" in pdf_words(files["recapitulatif.pdf"])
    code, out = run(tmp_path, settings, bundle.content, capsys)
    assert code == 0, out
    assert "Avant la réponse n° 1 (Hugo Moreau, version 1), des réponses ont été effacées" in out
    # Not « continue » beside it: the gap said as the summary PDF says it (explorer AH10).
    assert "interrompue 1 fois là où des réponses ont été effacées" in out
    assert "et continue" not in out
    # Undeclared, the same break is refused (the manifest, signed again, says nothing of it).
    del manifest["chaîne_interrompue"]
    files["manifest.json"] = dump(manifest)
    key = signing_key(settings.data_dir)
    files["manifest.json.signature"] = key.sign(files["manifest.json"]).encode()
    code, out = run(tmp_path, settings, rezip(files), capsys)
    assert code == 1 and "La chaîne des réponses est rompue à la réponse n° 1" in out


def test_the_missing_proofs_are_named_as_a_sentence() -> None:
    """Explorer AI2: « Manque : Léa Martin, Inès Roy. » in the verifier's summary and on the
    recap PDF's first page: the proofs are missing, named with « et », singular for one."""
    from bot.texts import render_document, say

    summary = say(
        "attestations_verifier.summary",
        files=4,
        links=2,
        gaps=0,
        links_total=2,
        state="incomplet",
        cancelled=None,
        missing=["Léa Martin", "Inès Roy"],
        flagged=[],
    )
    assert "chaîne continue de 2 réponses signées." in summary
    assert "Justificatifs manquants : Léa Martin et Inès Roy." in summary
    one = say(
        "attestations_verifier.summary",
        files=4,
        links=1,
        gaps=0,
        state="incomplet",
        cancelled=None,
        missing=["Inès Roy"],
        flagged=[],
    )
    assert "Justificatif manquant : Inès Roy." in one
    bilan = {
        "kind": "bilan de fin de formation",
        "day": "jeudi 26 novembre 2026",
        "formation": "Agent de propreté",
        "action": "",
        "funder": "Région Normandie",
        "remote": True,
        "start": "14 h 00",
        "end": "16 h 00",
        "cm": "Mme Sophie Leroy",
        "trainer": "Camille Durand",
        "organisation": "Organisme de démonstration",
    }
    recap = render_document(
        "documents/attestations_recap.html.j2",
        b=bilan,
        rows=[],
        files=[],
        superseded=[],
        examined=[],
        complete=False,
        missing=["Léa Martin", "Inès Roy"],
        created="mardi",
        cancelled=None,
        moved=False,
        held=True,
        flagged=[],
        fingerprint="AB",
        erased=0,
        answered=True,
    )
    assert "incomplet. Justificatifs manquants : Léa Martin et Inès Roy." in recap
