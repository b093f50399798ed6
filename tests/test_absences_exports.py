"""`formabot export absences` and `formabot export qualiopi`: the CSV an organisation opens
and the bundle an auditor receives, read back and checked."""

from __future__ import annotations

import asyncio
import codecs
import csv
import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import cli, dates
from bot.absences.exports import ABSENCE_COLUMNS, absence_rows, qualiopi_bundle
from bot.attestations.verify import verify_bundle
from bot.documents.bundle import build_bundle
from bot.storage.absences import Absence, Entretien, FollowUp, QualityTicket, StoredDocument
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Person
from tests.auxil.dialogue import Person as Talker
from tests.auxil.pdf import pdf_words


async def fill(url: str) -> int:
    """A migrated database with the demo, two absences (one deleted), a closed follow-up."""
    from bot import demo

    db = Database(url)
    await db.migrate()
    async with db.sessions() as session, session.begin():
        await demo.fill(session, today=date(2026, 11, 23))
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent"))
        )
        assert formation is not None
        trainees = {t.full_name: t for t in formation.trainees}
        owner = await session.scalar(select(Person))
        assert owner is not None
        at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
        for trainee, day, period, justified, reason, deleted in (
            ("Julie Petit", date(2026, 11, 20), "journee", True, '=HYPERLINK("x")', None),
            ("Hugo Moreau", date(2026, 11, 19), "retard", False, None, None),
            ("Léa Martin", date(2026, 11, 18), "matin", False, "oubli", at),
        ):
            session.add(
                Absence(
                    organisation_id=formation.organisation_id,
                    formation_id=formation.id,
                    trainee_id=trainees[trainee].id,
                    day=day,
                    period=period,
                    late_minutes=15 if period == "retard" else None,
                    late_half="apres_midi" if period == "retard" else None,  # DG5
                    justified=justified,
                    reason=reason,
                    recorded_by=owner.id,
                    recorded_at=at,
                    deleted_at=deleted,
                )
            )
        followup = FollowUp(
            organisation_id=formation.organisation_id,
            formation_id=formation.id,
            trainee_id=trainees["Hugo Moreau"].id,
            path="long",
            opened_by=owner.id,
            opened_at=at,
            closed_at=at,
            closed_by=owner.id,
        )
        session.add(followup)
        await session.flush()
        report = StoredDocument(
            organisation_id=formation.organisation_id,
            followup_id=followup.id,
            kind="compte_rendu",
            filename="compte-rendu-hugo-moreau-2026-11-23.pdf",
            mime_type="application/pdf",
            size=9,
            sha256=hashlib.sha256(b"%PDF-1.4 ").hexdigest(),
            content=b"%PDF-1.4 ",
            created_by=owner.id,
            created_at=at,
        )
        session.add(report)
        await session.flush()
        session.add(
            Entretien(
                followup_id=followup.id,
                scheduled_at=at,
                held_at=at,
                mesures="Tutorat renforcé",
                compte_rendu_id=report.id,
                compte_rendu_at=at,
                created_by=owner.id,
                created_at=at,
            )
        )
        session.add(
            QualityTicket(
                organisation_id=formation.organisation_id,
                reference="TQ-2026-0001",
                year=2026,
                number=1,
                followup_id=followup.id,
                formation_id=formation.id,
                trainee_id=trainees["Hugo Moreau"].id,
                rule_id="ELY-LONG",
                actions=["Entretien individuel tenu", "Mesures décidées : Tutorat renforcé"],
                note="Suivi clos",
                document_ids=[report.id],
                filed_on=date(2026, 11, 23),
                created_by=owner.id,
                created_at=at,
            )
        )
        formation_id = formation.id
    await db.dispose()
    return formation_id


@pytest.fixture
def filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    url = f"sqlite+aiosqlite:///{tmp_path / 'formabot.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("FORMABOT_DATA_DIR", str(tmp_path))
    return asyncio.run(fill(url))


def test_export_absences_on_the_command_line(
    filled: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", "absences", "--formation", str(filled)]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert (
        table[0]
        == list(ABSENCE_COLUMNS)
        == [
            "formation",
            "stagiaire",
            "date",
            "période",
            "justifiée",
            "motif",
            "saisie par",
            "saisie le",
            "justificatif",
            "organisme",  # whose, when a base holds several (explorer AI4)
        ]
    )
    assert table[1:] == [
        [
            "Agent de restauration (démo)",
            "Hugo Moreau",
            "2026-11-19",
            "retard de 15 min l'après-midi",
            "non",
            "",
            "Camille Durand",
            "2026-11-23T10:30+01:00",
            "",
            "Organisme de démonstration",
        ],
        [
            "Agent de restauration (démo)",
            "Julie Petit",
            "2026-11-20",
            "journée",
            "oui",
            '\'=HYPERLINK("x")',
            "Camille Durand",
            "2026-11-23T10:30+01:00",
            "",
            "Organisme de démonstration",
        ],
    ]
    assert cli.main(["export", "absences", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_export_qualiopi_on_the_command_line(
    filled: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "qualiopi.zip"
    assert cli.main(["export", "qualiopi", "--formation", str(filled), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        files = {name: archive.read(name) for name in names}
    assert names[0] == "manifest.json"
    assert {
        "absences.csv",
        "tickets-qualite.csv",
        "chronologie-hugo-moreau.pdf",
        "compte-rendu-hugo-moreau-2026-11-23.pdf",
    } <= set(names)
    for entry in manifest["fichiers"]:
        assert hashlib.sha256(files[entry["nom"]]).hexdigest() == entry["sha256"]
    assert manifest["tickets qualité"] == 1 and manifest["suivis"] == 1
    recorded = manifest["documents conservés"]["compte-rendu-hugo-moreau-2026-11-23.pdf"]
    assert recorded["sha256 à l'enregistrement"] == hashlib.sha256(b"%PDF-1.4 ").hexdigest()
    # The tables are in the CSV French Excel opens: BOM, ";", CRLF, 23/11/2026.
    assert files["tickets-qualite.csv"].startswith(codecs.BOM_UTF8)
    text = files["tickets-qualite.csv"].decode("utf-8-sig")
    assert text.split("\r\n")[0] == (
        "référence;déposé le;formation;stagiaire;règle;règle (en clair);ce qui a été fait;note;"
        "documents liés;"
        "saisi par"
    )
    tickets = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert tickets[0]["référence"] == "TQ-2026-0001"
    assert tickets[0]["déposé le"] == "23/11/2026"
    assert tickets[0]["stagiaire"] == "Hugo Moreau"
    assert "Tutorat renforcé" in tickets[0]["ce qui a été fait"]
    assert "compte-rendu-hugo-moreau-2026-11-23.pdf (sha256 " in tickets[0]["documents liés"]
    timeline = pdf_words(files["chronologie-hugo-moreau.pdf"])
    assert "Chronologie du suivi – Hugo Moreau" in timeline
    assert "Retard de 15 min" in timeline and "Ticket qualité TQ-2026-0001" in timeline
    assert "Entretien individuel tenu" in timeline and "Tutorat renforcé" in timeline
    # When each line was entered, to the minute (explorer J: same-day lines read unordered).
    assert re.search(r"Camille Durand, le \w+ \d+ novembre 2026 à \d+ h \d\d", timeline)
    absences = files["absences.csv"].decode("utf-8-sig")
    assert absences.startswith("formation;stagiaire;date;période;") and "\r\n" in absences
    assert "oubli" not in absences  # the deleted absence
    assert "Julie Petit" not in timeline  # only Hugo's story in Hugo's timeline


def test_unknown_or_missing_formation_is_a_french_message(
    filled: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.zip"
    assert cli.main(["export", "qualiopi", "--formation", "999", "--out", str(out)]) == 1
    assert "Formation 999 introuvable" in capsys.readouterr().err
    assert cli.main(["export", "qualiopi", "--out", str(out)]) == 1
    assert "Précisez la formation" in capsys.readouterr().err
    assert not out.exists()
    assert cli.main(["export", "absences", "--formation", "999"]) == 1
    captured = capsys.readouterr()
    assert "Formation 999 introuvable" in captured.err and captured.out == ""
    # An unknown organisation too (explorer AM10: an empty file, code 0).
    assert cli.main(["export", "formations", "--organisation", "99"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Organisme 99 introuvable. Organismes : 1 (")


async def test_lookup_errors_and_organisation_filter(db: Database, trainer: Talker) -> None:
    async with db.sessions() as session:
        with pytest.raises(LookupError, match="introuvable"):
            await absence_rows(session, formation_id=999)
        formation = await session.scalar(select(Formation))
        assert formation is not None
        with pytest.raises(LookupError, match="n'est pas de l'organisme"):  # elsewhere (CB7)
            await qualiopi_bundle(
                session, formation.id, organisation_id=formation.organisation_id + 1
            )
        assert await absence_rows(session, organisation_id=formation.organisation_id + 1) == []
        # A formation with nobody followed still gives a bundle an auditor can open.
        bundle = await qualiopi_bundle(session, formation.id)
        with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
            assert sorted(archive.namelist()) == [
                "absences.csv",
                "manifest.json",
                "sorties.csv",
                "tickets-qualite.csv",
            ]
        assert await session.scalar(select(Trainee.id)) is not None


async def test_every_kept_document_is_listed_by_its_name_in_the_bundle(
    db: Database, trainer: Talker
) -> None:
    """Explorer AH1 and AH8: two justificatifs both sent as « arret.pdf » were one entry of
    « documents conservés » (a recorded SHA-256 lost), under a name no file of the ZIP had;
    a proof of exchange was « preuve_contact-2-… »."""
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(select(Formation))
        assert formation is not None
        await session.refresh(formation, ["trainees"])
        owner = await session.scalar(select(Person))
        assert owner is not None
        at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

        def document(kind: str, name: str, content: bytes, **link: int) -> StoredDocument:
            return StoredDocument(
                organisation_id=formation.organisation_id,
                kind=kind,
                filename=name,
                mime_type="application/pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                created_by=owner.id,
                created_at=at,
                **link,
            )

        followup = FollowUp(
            organisation_id=formation.organisation_id,
            formation_id=formation.id,
            trainee_id=formation.trainees[0].id,
            path="short",
            opened_by=owner.id,
            opened_at=at,
        )
        session.add(followup)
        await session.flush()
        kept = [
            document("justificatif", "arret.pdf", b"one"),
            document("justificatif", "arret.pdf", b"two"),
            document("preuve_contact", "preuve échange.txt", b"sms", followup_id=followup.id),
        ]
        session.add_all(kept)
        await session.flush()
        for trainee, proof in zip(formation.trainees, kept[:2], strict=False):
            session.add(
                Absence(
                    organisation_id=formation.organisation_id,
                    formation_id=formation.id,
                    trainee_id=trainee.id,
                    day=date(2026, 11, 20),
                    period="journee",
                    justified=True,
                    reason="arrêt maladie",
                    proof_id=proof.id,
                    recorded_by=owner.id,
                    recorded_at=at,
                )
            )
        ids = [d.id for d in kept]
    async with db.sessions() as session:
        bundle = await qualiopi_bundle(session, formation.id)
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    listed = manifest["documents conservés"]
    assert set(listed) == {
        f"justificatif-{ids[0]}-arret.pdf",
        f"justificatif-{ids[1]}-arret.pdf",
        f"preuve-echange-{ids[2]}-preuve échange.txt",
    }
    assert set(listed) <= names
    assert {v["sha256 à l'enregistrement"] for v in listed.values()} == {
        hashlib.sha256(c).hexdigest() for c in (b"one", b"two", b"sms")
    }


async def test_two_comptes_rendus_of_one_day_each_keep_their_own_name_and_hash(
    db: Database, trainer: Talker
) -> None:
    """Explorer IB5: two comptes rendus of one trainee on one day are both
    « compte-rendu-…-2026-11-23.pdf »; the ZIP numbered the second « -2 » but « documents
    conservés » had one entry, under the first one's name, with the second one's SHA-256
    (the first read as altered, the second had none), and `formabot verifier` said ✓."""
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(select(Formation))
        assert formation is not None
        await session.refresh(formation, ["trainees"])
        trainee = formation.trainees[0]
        owner = await session.scalar(select(Person))
        assert owner is not None
        at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
        name = f"compte-rendu-{trainee.name_key.replace(' ', '-')}-2026-11-23.pdf"
        followups = [
            FollowUp(
                organisation_id=formation.organisation_id,
                formation_id=formation.id,
                trainee_id=trainee.id,
                path="long",
                opened_by=owner.id,
                opened_at=at,
                closed_at=closed,  # the first one closed before the second was opened
            )
            for closed in (at, None)
        ]
        session.add_all(followups)
        await session.flush()
        reports = [
            StoredDocument(
                organisation_id=formation.organisation_id,
                followup_id=followup.id,
                kind="compte_rendu",
                filename=name,
                mime_type="application/pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                created_by=owner.id,
                created_at=at,
            )
            for followup, content in zip(followups, (b"%PDF first", b"%PDF second"), strict=True)
        ]
        session.add_all(reports)
        await session.flush()
        session.add(
            QualityTicket(
                organisation_id=formation.organisation_id,
                reference="TQ-2026-0001",
                year=2026,
                number=1,
                followup_id=followups[1].id,
                formation_id=formation.id,
                trainee_id=trainee.id,
                rule_id="ELY-LONG",
                actions=["Entretien individuel tenu"],
                document_ids=[reports[1].id],
                filed_on=date(2026, 11, 23),
                created_by=owner.id,
                created_at=at,
            )
        )
    async with db.sessions() as session:
        bundle = await qualiopi_bundle(session, formation.id)
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    second = name.replace(".pdf", "-2.pdf")
    assert manifest["documents conservés"] == {
        name: {
            "nature": "compte rendu d'entretien",
            "sha256 à l'enregistrement": hashlib.sha256(b"%PDF first").hexdigest(),
        },
        second: {
            "nature": "compte rendu d'entretien",
            "sha256 à l'enregistrement": hashlib.sha256(b"%PDF second").hexdigest(),
        },
    }
    assert (files[name], files[second]) == (b"%PDF first", b"%PDF second")
    # The ticket's « documents liés » names the file of the ZIP that is its compte rendu.
    tickets = files["tickets-qualite.csv"].decode("utf-8-sig")
    digest = hashlib.sha256(b"%PDF second").hexdigest()
    assert f"{second} (sha256 {digest})" in tickets
    verdict = verify_bundle(bundle)
    assert verdict.ok and (
        "et les 2 documents conservés ont encore l'empreinte relevée à leur enregistrement."
        in verdict.notes[0]
    )


def test_the_verifier_checks_kept_documents_against_their_recorded_hash() -> None:
    """Explorer IB5: `formabot verifier` checked the « fichiers » list only; a kept document
    whose bytes are no longer those recorded when it was stored (the base rewritten, the
    hash computed again at export) passed as intact."""
    manifest = {
        "objet": "Dossier Qualiopi, indicateur 12 : suivi des absences et des décrochages",
        "documents conservés": {
            "compte-rendu-karim-benali-2026-12-08.pdf": {
                "nature": "compte rendu d'entretien",
                "sha256 à l'enregistrement": hashlib.sha256(b"%PDF as written").hexdigest(),
            },
            "justificatif-3-arret.pdf": {
                "nature": "justificatif d'absence",
                "sha256 à l'enregistrement": hashlib.sha256(b"arret").hexdigest(),
            },
        },
    }
    intact = build_bundle(
        [
            ("compte-rendu-karim-benali-2026-12-08.pdf", b"%PDF as written"),
            ("justificatif-3-arret.pdf", b"arret"),
        ],
        manifest=manifest,
    )
    assert verify_bundle(intact).ok
    rewritten = build_bundle(
        [
            ("compte-rendu-karim-benali-2026-12-08.pdf", b"%PDF rewritten"),
            ("autre.pdf", b"arret"),
        ],
        manifest=manifest,
    )
    verdict = verify_bundle(rewritten)
    assert verdict.problems == [
        "Le document conservé compte-rendu-karim-benali-2026-12-08.pdf n'a plus l'empreinte"
        " SHA-256 relevée quand il a été enregistré : il a été modifié depuis.",
        "Le document conservé justificatif-3-arret.pdf, listé dans le manifeste, manque dans"
        " l'archive.",
    ]


async def test_two_groups_of_one_title_are_told_apart_by_their_start_day(
    db: Database, trainer: Talker
) -> None:
    """Explorer XB3: two « Cariste – Caen » read alike in the organisation's absences
    export; an auditor filtering on the title mixed two groups."""
    async with db.sessions() as session, session.begin():
        first = await session.scalar(select(Formation).where(Formation.title.startswith("Agent")))
        assert first is not None
        twin = Formation(
            organisation_id=first.organisation_id,
            owner_id=first.owner_id,
            title=first.title,
            funder=first.funder,
            mode="dates",
            kind=first.kind,
            start_date=date(2026, 11, 3),
            end_date=date(2027, 1, 22),
        )
        twin.trainees.append(Trainee(full_name="Zoé Lambert", name_key="zoe lambert"))
        session.add(twin)
        await session.flush()
        for formation in (first, twin):
            session.add(
                Absence(
                    organisation_id=formation.organisation_id,
                    formation_id=formation.id,
                    trainee_id=formation.trainees[0].id,
                    day=date(2026, 11, 20),
                    period="journee",
                    justified=False,
                    recorded_by=first.owner_id,
                    recorded_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
                )
            )
    async with db.sessions() as session:
        rows = await absence_rows(session, organisation_id=first.organisation_id)
    assert {r["formation"] for r in rows} == {
        f"Agent de restauration (démo) ({dates.spell_date(first.start_date)})",
        "Agent de restauration (démo) (mardi 3 novembre 2026)",
    }
