"""The proof bundle (bot/attestations/bundle.py) read as its receiver reads it: the
summary PDF and ``manifest.json`` of ``formabot export attestations``.

The demo clock says Monday 23 November 2026, 10:00 in Paris; Karim Benali is a trainee of
"Agent de restauration (démo)", not a delegate; Mme Sophie Leroy is its chargée de mission.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import cli
from bot.attestations.bundle import build
from bot.attestations.keys import signing_key
from bot.attestations.verify import verify_bundle
from bot.config import Settings
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from tests.auxil.attestations import (
    UP_TO_PARTICIPANTS,
    add_bilan,
    codes,
    open_zip,
    schedule_bilan,
    trainer_corrects_name,
)
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.pdf import pdf_words

AGREED = "accord de Mme Sophie Leroy, par e-mail, le dimanche 22 novembre 2026"
"""The agreement as the agenda and the draft e-mail say it (tests/test_bilans_derogation.py)."""


async def schedule_with_karim(trainer: Talker) -> int:
    """``/bilan`` with the delegates and Karim Benali, the chargée de mission having agreed
    by e-mail yesterday; the bilan's id."""
    for line in UP_TO_PARTICIPANTS:
        await trainer.says(line)
    await trainer.presses("Karim Benali")
    await trainer.presses("Oui, j'ai cet accord")
    await trainer.presses("Mme Sophie Leroy")
    await trainer.says("hier")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Par e-mail")
    await trainer.presses("Terminé")
    await trainer.presses("Terminé")
    await trainer.presses("Programmer le bilan")
    assert "C'est programmé" in trainer.all_text
    agenda = next(
        r.document for r in trainer.replies if r.document and r.document.filename.endswith(".pdf")
    )
    assert f"Karim Benali, stagiaire ({AGREED})" in pdf_words(agenda.content)
    async with trainer.engine.db.sessions() as session:
        bilan_id = await session.scalar(select(Bilan.id))
        assert bilan_id is not None
        return bilan_id


async def exported(settings: Settings, bilan_id: int, tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """What ``formabot export attestations --bilan`` writes: the summary's words, the manifest."""
    out = tmp_path / "preuves.zip"
    args = cli.parse(["export", "attestations", "--bilan", str(bilan_id), "--out", str(out)])
    assert await cli.cmd_export(settings, args) == 0
    files, manifest = open_zip(out.read_bytes())
    return " ".join(pdf_words(files["recapitulatif.pdf"]).split()), manifest


async def test_the_bundle_carries_the_agreement_for_a_trainee_who_is_not_a_delegate(
    trainer: Talker, settings: Settings, tmp_path: Path
) -> None:
    """Explorer AE1: the agenda said « accord de Mme Sophie Leroy … », the summary sent to
    the Région said « stagiaire » alone, as if Karim Benali had no business there."""
    bilan_id = await schedule_with_karim(trainer)
    recap, manifest = await exported(settings, bilan_id, tmp_path)
    assert f"stagiaire ({AGREED})" in recap, recap
    by_name = {p["nom"]: p for p in manifest["participants"]}
    assert by_name["Karim Benali"]["accord_chargé_de_mission"] == {
        "texte": AGREED,
        "donné_par": "Mme Sophie Leroy",
        "le": "2026-11-22",
        "moyen": "par e-mail",
    }
    # A delegate needs no agreement: none is invented.
    assert by_name["Léa Martin"]["accord_chargé_de_mission"] is None
    assert recap.count("accord de") == 1


async def test_a_bundle_without_a_derogation_says_no_agreement(
    trainer: Talker, settings: Settings, tmp_path: Path
) -> None:
    bilan_id = await schedule_bilan(trainer)
    recap, manifest = await exported(settings, bilan_id, tmp_path)
    assert "accord de" not in recap
    assert {p["accord_chargé_de_mission"] for p in manifest["participants"]} == {None}


NORMANDIE_PROOFS = (
    "Justificatifs de participation au bilan (Région Normandie, fiche procédure bilan à "
    "distance, §III ; règle NOR-PROOF)"
)


async def test_the_signed_manifest_names_the_procedure_of_its_own_funder_or_none(
    trainer: Talker,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Explorer KC5: the bundle of a Centre-Val de Loire bilan on site said it followed the
    Région Normandie's remote-bilan procedure (rule NOR-PROOF); no CVL text asks for proofs
    of participation (seeds 001, 002), so it names none.  Without any answer, neither the
    summary nor the verifier speaks of answers chained (« chaîne de 0 réponse signée »)."""
    cvl = await add_bilan(db, formation_title="Projet professionnel (démo)", remote=False)
    recap, manifest = await exported(settings, cvl, tmp_path)
    assert manifest["bilan"]["financeur"] == "Région Centre-Val de Loire"
    assert manifest["objet"] == "Justificatifs de participation au bilan"
    assert "Normandie" not in recap and "NOR-" not in recap
    assert "chaînée" not in recap
    assert "manifest.json est signé (fichier manifest.json.signature) par la clé" in recap
    capsys.readouterr()
    assert cli.cmd_verifier(settings, cli.parse(["verifier", str(tmp_path / "preuves.zip")])) == 0
    said = capsys.readouterr().out
    assert "conformes au manifeste, aucune réponse de participant." in said, said
    normandie = await schedule_bilan(trainer)
    _, manifest = await exported(settings, normandie, tmp_path)
    assert manifest["objet"] == NORMANDIE_PROOFS


async def test_two_bundles_of_one_day_are_named_by_their_formation(
    trainer: Talker, db: Database, settings: Settings
) -> None:
    """Explorer YD3: a trainer with two bilans the same day, in two formations, received
    « justificatifs-bilan-1-2026-12-07.zip » and « justificatifs-bilan-2-2026-12-07.zip »:
    numbers of the database, nothing saying which was which (nor to the chargée de mission
    who gets the file by e-mail).  They are named as the bilan's agenda is."""
    first = await schedule_bilan(trainer)
    async with db.sessions() as session:
        bilan = await session.get(Bilan, first)
        assert bilan is not None
        start = bilan.starts_at
    other = await add_bilan(db, start=start, formation_title="Projet professionnel (démo)")
    key = signing_key(settings.data_dir)
    async with db.sessions() as session:
        names = [(await build(session, b, now=start, key=key)).filename for b in (first, other)]
    assert names == [
        "justificatifs-bilan-2026-11-26-agent-de-restauration-demo.zip",
        "justificatifs-bilan-2026-11-26-projet-professionnel-demo.zip",
    ]


async def test_the_summary_lists_the_participants_by_surname(
    demo: None, db: Database, settings: Settings, tmp_path: Path
) -> None:
    """Explorer CF11: the recapitulatif of a 203-trainee bilan listed them as they were added
    (Thomas Fabre, Inès Garnier, Nadia Roux, Adèle Lefèvre…): those for the trainees first,
    then the trainees, then the partners, each by surname."""
    added = [("trainee", "Thomas Fabre"), ("partner", "Marc Aubry"), ("trainee", "Inès Garnier")]
    added += [("delegate", "Nadia Roux"), ("trainee", "Adèle Lefèvre"), ("delegate", "Léa Martin")]
    bilan_id = await add_bilan(db, participants=tuple((kind, name, None) for kind, name in added))
    recap, _ = await exported(settings, bilan_id, tmp_path)
    names = ("Léa Martin", "Nadia Roux", "Thomas Fabre", "Inès Garnier", "Adèle Lefèvre")
    places = [recap.index(name) for name in (*names, "Marc Aubry")]
    assert places == sorted(places), recap


async def test_a_name_corrected_after_signing_is_exported_with_the_name_signed_under(
    trainer: Talker,
    person: Callable[..., Talker],
    clock: Clock,
    settings: Settings,
    tmp_path: Path,
) -> None:
    """Explorer KE2: a sworn attestation is a signed record, never rewritten; the trainer
    corrects « Léa Martin » to « Léa Martin-Diallo » after she signed, and « Hugo Moreau »
    to « Hugo Moreau-Petit » before he answered. The auditor reads both for Léa (the name
    now, the name signed under), the corrected one alone for Hugo, and the chain holds."""
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=7)
    lea = person("lea")
    for line in (f"/start {invited['Léa Martin']}", "Léa Martin"):
        await lea.says(line)
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    await trainer_corrects_name(trainer, "Léa Martin", "Léa Martin-Diallo")
    await trainer_corrects_name(trainer, "Hugo Moreau", "Hugo Moreau-Petit")
    recap, manifest = await exported(settings, bilan_id, tmp_path)
    by_name = {p["nom"]: p for p in manifest["participants"]}
    assert set(by_name) == {"Léa Martin-Diallo", "Hugo Moreau-Petit"}
    lea_entry = by_name["Léa Martin-Diallo"]
    assert lea_entry["signée_sous_le_nom"] == "Léa Martin"
    assert lea_entry["réponse"]["nom_tapé"] == "Léa Martin"
    assert lea_entry["à_vérifier"] == [] and lea_entry["justifié"] is True
    assert "signée_sous_le_nom" not in by_name["Hugo Moreau-Petit"]  # no answer yet
    assert "Hugo Moreau-Petit" in recap and "Léa Martin-Diallo" in recap, recap
    assert "réponse signée sous le nom « Léa Martin », avant la correction de son nom" in recap
    out = tmp_path / "preuves.zip"
    files, _ = open_zip(out.read_bytes())
    (text,) = [data for name, data in files.items() if name.endswith(".txt")]
    assert "Moi, Léa Martin, représentant les stagiaires" in text.decode("utf-8")
    verdict = verify_bundle(out.read_bytes())
    assert verdict.problems == [], verdict.problems
