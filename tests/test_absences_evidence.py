"""What /suivi and /exporter hand out (:mod:`bot.absences.evidence`), and the timeline's
deadline events (:mod:`bot.absences.timeline`), called directly."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.absences.evidence import formation_export, qualiopi_reply, qualiopi_work, timeline_document
from bot.absences.followups import store_document
from bot.absences.records import file_ticket, record_contact
from bot.absences.timeline import timeline
from bot.absences.vocabulary import JUSTIFICATIF
from bot.attestations.verify import verify_bundle
from bot.config import Settings
from bot.documents.bundle import slug
from bot.storage.absences import Absence
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.pdf import pdf_words
from tests.test_absences_records import NOW, opened


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.sessions() as s, s.begin():
        yield s


def an_absence(
    formation: Formation, trainee: Trainee, by: int, *, reason: str, proof_id: int | None = None
) -> Absence:
    """The morning of Friday 20 November, justified when it has a proof."""
    return Absence(
        organisation_id=formation.organisation_id,
        formation_id=formation.id,
        trainee_id=trainee.id,
        day=date(2026, 11, 20),
        period="matin",
        justified=proof_id is not None,
        reason=reason,
        proof_id=proof_id,
        recorded_by=by,
        recorded_at=NOW,
    )


async def test_exports_are_audited_and_an_empty_table_is_none(session: AsyncSession) -> None:
    _followup, camille, formation, trainee = await opened(session)
    assert await formation_export(session, formation, "absences", camille.id, NOW) is None
    session.add(an_absence(formation, trainee, camille.id, reason="sans nouvelles"))
    await session.flush()
    table = await formation_export(session, formation, "absences", camille.id, NOW)
    assert table is not None  # a workbook by default
    sheet = openpyxl.load_workbook(io.BytesIO(table)).active
    assert sheet is not None and sheet["F2"].value == "sans nouvelles"
    plain = await formation_export(session, formation, "absences", camille.id, NOW, "csv-excel")
    assert plain is not None and "sans nouvelles" in plain.decode("utf-8-sig")
    bundle = await formation_export(session, formation, "qualiopi", camille.id, NOW)
    assert bundle is not None
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert "chronologie-karim-benali.pdf" in archive.namelist()
    # The verifier checks it (explorer J: refused as « un dossier plus ancien »), unsigned.
    verdict = verify_bundle(bundle)
    assert verdict.ok and verdict.notes[0].startswith("Dossier non signé (« Dossier Qualiopi")
    assert "les 4 fichiers sont bien ceux que liste son manifest.json" in verdict.notes[0]
    assert not verify_bundle(altered(bundle, "absences.csv")).ok
    # Asked who produced it, an unsigned bundle cannot say (explorer BC11: ✓ for « abc »).
    asked = verify_bundle(bundle, expected="abc")
    assert not asked.ok and asked.problems[0].startswith(
        "Ce dossier n'est pas signé : je ne peux pas vérifier qu'il vient de la clé"
    )
    pdf = await timeline_document(session, formation, trainee, camille.id, NOW)
    assert "Karim Benali" in pdf_words(pdf)
    entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.action, e.entity, e.details.get("what")) for e in entries][-4:] == [
        ("export", "formation", "absences"),
        ("export", "formation", "absences"),
        ("export", "formation", "qualiopi"),
        ("export_timeline", "trainee", None),
    ]


async def test_the_timeline_tells_deadlines_met_from_those_settled_at_closing(
    session: AsyncSession,
) -> None:
    followup, camille, formation, trainee = await opened(session)
    await record_contact(
        session,
        followup,
        camille.id,
        NOW + timedelta(hours=1),
        with_whom="entreprise",
        channel="email",
        contacted_on=date(2026, 11, 23),
        outcome="Le tuteur le relance",
    )
    await record_contact(  # the trainee too: ELY-SHORT asks for both
        session,
        followup,
        camille.id,
        NOW + timedelta(hours=2),
        with_whom="stagiaire",
        channel="telephone",
        contacted_on=date(2026, 11, 23),
        outcome="Revient demain",
    )
    await file_ticket(
        session,
        followup,
        camille.id,
        NOW + timedelta(days=2),
        formation=formation,
        trainee=trainee,
        note=None,
        zone="Europe/Paris",
    )
    texts = [
        e.text for e in await timeline(session, trainee, "Europe/Paris") if e.kind == "echeance"
    ]
    assert texts == [
        "Échéance faite : Contacter la personne et son entreprise",
        "Échéance faite : Déposer les échanges et saisir le ticket qualité",
    ]


async def test_a_deadline_left_at_closing_says_so_in_the_timeline(session: AsyncSession) -> None:
    followup, camille, formation, trainee = await opened(session)
    await file_ticket(
        session,
        followup,
        camille.id,
        NOW + timedelta(days=1),
        formation=formation,
        trainee=trainee,
        note=None,
        zone="Europe/Paris",
    )
    events = [e for e in await timeline(session, trainee, "Europe/Paris") if e.kind == "echeance"]
    assert [(e.text, e.who) for e in events] == [
        (
            "Échéance non tenue, close avec le suivi : Contacter la personne et son entreprise",
            "Camille Durand",
        ),
        ("Échéance faite : Déposer les échanges et saisir le ticket qualité", "Camille Durand"),
    ]


async def test_the_qualiopi_work_gives_the_bundle_audited_or_says_the_formation_is_gone(
    session: AsyncSession, settings: Settings
) -> None:
    _followup, camille, formation, _trainee = await opened(session)
    args = {"formation_id": formation.id, "person_id": camille.id}
    [reply] = await qualiopi_work(session, args, NOW, settings)
    assert reply.document is not None
    assert reply.document.filename == f"qualiopi-{slug(formation.title)}.zip"
    assert reply.document.filename.isascii() and " " not in reply.document.filename
    assert zipfile.ZipFile(io.BytesIO(reply.document.content)).namelist()
    assert "Voici le dossier Qualiopi" in reply.text
    entries = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "export"))).all()
    assert [(e.actor_id, e.details["what"]) for e in entries] == [(camille.id, "qualiopi")]
    formation.deleted_at = NOW
    [gone] = await qualiopi_work(session, args, NOW, settings)
    assert gone.document is None and gone.text == texts.say("formation.not_found")


def altered(bundle: bytes, name: str) -> bytes:
    """The bundle with one file's bytes changed, its manifest left as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bundle)) as source, zipfile.ZipFile(out, "w") as copy:
        for item in source.namelist():
            data = source.read(item)
            copy.writestr(item, data + b"x" if item == name else data)
    return out.getvalue()


async def test_an_absence_s_proof_goes_into_the_qualiopi_bundle(session: AsyncSession) -> None:
    """Explorer J: « justifiée : oui » for the auditor, the proof the trainer sent nowhere."""
    _followup, camille, formation, trainee = await opened(session)
    proof = store_document(
        session,
        organisation_id=formation.organisation_id,
        followup_id=None,
        kind=JUSTIFICATIF,
        filename="arret.pdf",
        mime_type="application/pdf",
        content=b"%PDF-1.4 arret de travail",
        actor_id=camille.id,
        now=NOW,
    )
    await session.flush()
    session.add(
        an_absence(formation, trainee, camille.id, reason="arrêt de travail", proof_id=proof.id)
    )
    await session.flush()
    bundle = await formation_export(session, formation, "qualiopi", camille.id, NOW)
    assert bundle is not None
    name = f"justificatif-{proof.id}-arret.pdf"
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert archive.read(name) == b"%PDF-1.4 arret de travail"
        table = archive.read("absences.csv").decode("utf-8-sig")
    header, row = table.splitlines()[:2]
    assert header.endswith(";justificatif;organisme")
    assert row.endswith(f";{name};OF")
    assert verify_bundle(bundle).ok


async def test_the_qualiopi_bundle_lists_the_exits_and_what_followed(
    session: AsyncSession,
) -> None:
    """Explorer J: an abandon without a follow-up was nowhere in the auditor's bundle."""
    _followup, camille, formation, trainee = await opened(session)
    trainee.left_on, trainee.exit_reason = date(2026, 11, 20), "abandon"
    await session.flush()
    bundle = await formation_export(session, formation, "qualiopi", camille.id, NOW)
    assert bundle is not None
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        table = archive.read("sorties.csv").decode("utf-8-sig").splitlines()
    assert table[0] == "stagiaire;sortie;motif;suivi de décrochage;ticket qualité"
    assert table[1] == f"{trainee.full_name};20/11/2026;Abandon;oui;"
    assert len(table) == 2  # only who left


async def test_a_twin_s_bundle_is_named_with_its_start_day(
    session: AsyncSession, settings: Settings
) -> None:
    """Explorer XB3: both « Cariste – Caen » bundles arrived as « qualiopi-cariste-caen.zip »."""
    _followup, camille, formation, _trainee = await opened(session)
    session.add(
        Formation(
            organisation_id=formation.organisation_id,
            owner_id=formation.owner_id,
            title=formation.title,
            funder=formation.funder,
            mode="dates",
            kind=formation.kind,
            start_date=formation.start_date + timedelta(days=1),
            end_date=formation.end_date,
        )
    )
    await session.flush()
    args = {"formation_id": formation.id, "person_id": camille.id}
    [reply] = await qualiopi_work(session, args, NOW, settings)
    assert reply.document is not None
    day = slug(dates.spell_date(formation.start_date))
    assert reply.document.filename == f"qualiopi-{slug(formation.title)}-{day}.zip"


def test_a_long_twin_s_bundle_keeps_its_start_day_in_its_name() -> None:
    """Explorer ZA11: past forty characters of title, the start day telling twins apart was
    cut from the name, and both bundles were named alike again."""
    name = "Titre professionnel secrétaire assistant médico-social (mardi 6 octobre 2026)"
    reply = qualiopi_reply(name, b"")
    assert reply.document is not None
    assert reply.document.filename == (
        "qualiopi-titre-professionnel-secretaire-assistant-mardi-6-octobre-2026.zip"
    )
