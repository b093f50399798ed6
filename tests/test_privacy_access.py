"""What is held about one person (bot/privacy/access.py), and the audit trail exported."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from bot import cli
from bot.messages import Platform
from bot.people.address import remember_address_form
from bot.privacy.access import data_of
from bot.privacy.journal_rows import AUDIT_COLUMNS, audit_of, members_of
from bot.storage.audit import record
from bot.storage.db import Database
from bot.transports.matrix.inbox import Inbox
from tests.auxil.attestations import after_the_bilan, demo_author
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.privacy import everywhere
from tests.test_onboarding import first_admin

AUDIT_HEADERS = [
    "identifiant",
    "date",
    "identifiant de l'organisme",
    "identifiant de la personne qui a agi",
    "action",
    "objet",
    "identifiant de l'objet",
    "détails",
]
"""The audit trail's first row, in the CLI's export and in ``/journal``'s file."""


async def test_a_trainer_gets_their_account_memberships_formations_and_actions(
    db: Database, demo: None
) -> None:
    async with db.sessions() as session, session.begin():
        admin, org = await demo_author(session)
        record(
            session,
            organisation_id=org,
            actor_id=admin,
            action="create",
            entity="formation",
            entity_id=1,
        )
        record(session, organisation_id=org, actor_id=None, action="x", entity="bilan", entity_id=2)
    async with db.sessions() as session:
        held = await data_of(session, "console", "formateur")
    assert held["personne"]["nom"] == "Camille Durand"
    assert [(c["plateforme"], c["identifiant"]) for c in held["comptes de messagerie"]] == [
        ("console", "formateur")
    ]
    assert [(a["organisme"], a["rôle"]) for a in held["adhésions"]] == [
        ("Organisme de démonstration", "administratrice")
    ]
    async with db.sessions() as session, session.begin():  # explorer Z, Z8: as she asked
        await remember_address_form(session, platform="console", user_id="formateur", form="f")
    async with db.sessions() as session:
        held = await data_of(session, "console", "formateur")
        members = await members_of(session, None)
    assert [a["rôle"] for a in held["adhésions"]] == ["administratrice"]
    assert [m["rôle"] for m in members] == ["administratrice"]
    titles = sorted(f["intitulé"] for f in held["formations dont vous avez la charge"])
    assert titles == ["Agent de restauration (démo)", "Projet professionnel (démo)"]
    assert [(e["action"], e["objet"]) for e in held["journal des actions"]] == [
        ("création", "formation")
    ]  # the entry by nobody is not theirs
    assert held["attestations données"] == []


async def test_on_matrix_the_account_says_when_she_left_the_chat_not_blocked_the_bot(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorer EF5: « bot bloqué le : — » on a Matrix account, Telegram's word."""
    claire = person("@claire:localhost", Platform.MATRIX, chat="!a:localhost")
    await first_admin(claire)
    await Inbox(db.sessions, "@formabot:localhost").gone("!a:localhost")
    async with db.sessions() as session:
        held = await data_of(session, "matrix", "@claire:localhost")
    (account,) = held["comptes de messagerie"]
    assert "assistant bloqué le" not in account and account["conversation quittée le"]


async def test_a_participant_gets_the_attestations_they_gave(
    db: Database, demo: None, clock: Clock
) -> None:
    await everywhere(db, "Karim Benali", at=clock.now)
    async with db.sessions() as session:
        held = await data_of(session, "telegram", "9001")
    assert held["personne"]["nom"] == "Karim Benali"
    assert held["adhésions"] == []
    # Explorer BE15: « bot bloqué le », where users never read « bot ».
    assert [set(account) for account in held["comptes de messagerie"]] == [
        {"plateforme", "identifiant", "conversation privée", "assistant bloqué le", "créé le"}
    ]
    given = held["attestations données"]
    assert [(a["nom saisi"], a["réponse"]) for a in given] == [
        ("Karim Benali", "atteste avoir participé")
    ] * 2
    assert given[0]["texte affiché"].startswith("Je soussigné(e) Karim Benali")
    # Another person's data is not in it.
    assert "Léa Martin" not in json.dumps(held, ensure_ascii=False)


async def test_a_stranger_gets_only_the_conversation(db: Database, demo: None) -> None:
    async with db.sessions() as session:
        held = await data_of(session, "telegram", "424242")
    assert held["personne"] is None
    assert held["comptes de messagerie"] == [] and held["attestations données"] == []


def test_the_audit_trail_exports_by_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'f.db'}"
    monkeypatch.setenv("FORMABOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["demo"]) == 0

    async def add() -> None:
        db = Database(url)
        async with db.sessions() as session, session.begin():
            admin, org = await demo_author(session)
            record(
                session,
                organisation_id=org,
                actor_id=admin,
                action="erase",
                entity="trainee",
                entity_id=7,
                absences=2,
                formation_id=3,
                kind="partner",
            ).at = datetime(2026, 12, 2, 16, 49, 35, tzinfo=UTC)
        await db.dispose()

    asyncio.run(add())
    capsys.readouterr()
    assert cli.main(["export", "audit"]) == 0
    exported = capsys.readouterr().out
    assert next(csv.reader(io.StringIO(exported))) == AUDIT_HEADERS == list(AUDIT_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(exported)))
    [row] = [r for r in rows if r["action"] == "effacement"]
    assert (row["objet"], row["identifiant de l'objet"], row["détails"]) == (
        "stagiaire",
        "7",
        '{"absences": 2, "identifiant de la formation": 3, "nature": "partenaire"}',
    )
    assert row["identifiant de la personne qui a agi"] and row["identifiant de l'organisme"]
    # Paris time, to the second: December is UTC+1.
    assert row["date"] == "2026-12-02T17:49:35+01:00"

    assert cli.main(["export", "audit", "--format", "csv-excel"]) == 0
    excel = capsys.readouterr().out
    assert excel.startswith("\ufeffidentifiant;date;identifiant de l'organisme;")
    assert ";02/12/2026 17:49;" in excel and ";effacement;stagiaire;7;" in excel

    path = tmp_path / "journal.xlsx"
    assert cli.main(["export", "audit", "--format", "xlsx", "--out", str(path)]) == 0
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None and sheet.title == "Journal des actions"
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == AUDIT_HEADERS
    [cells] = [r for r in table if r[4] == "effacement"]
    assert cells[1] == datetime(2026, 12, 2, 17, 49, 35) and cells[5] == "stagiaire"

    # JSON holds the details as an object, not JSON text inside JSON (explorer CF4).
    assert cli.main(["export", "audit", "--format", "json"]) == 0
    [entry] = [e for e in json.loads(capsys.readouterr().out) if e["action"] == "effacement"]
    assert entry["détails"] == {
        "absences": 2,
        "identifiant de la formation": 3,
        "nature": "partenaire",
    }

    # An organisation that does not exist is said, not an empty journal (explorer AM10).
    assert cli.main(["export", "audit", "--organisation", "999", "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Organisme 999 introuvable." in captured.err


async def test_who_used_a_link_is_named_in_the_journal_and_the_members_export(
    db: Database, trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer W, W10: « utilisation du lien » had no one in its actor column, and the
    participants acting in the journal were in no list that resolves its numbers."""
    invited = await after_the_bilan(trainer, clock)
    await person("hugo").says(f"/start {invited['Hugo Moreau']}")
    async with db.sessions() as session:
        trail = await audit_of(session, None)
        members = await members_of(session, None)
    [used] = [e for e in trail if e["action"] == "utilisation du lien"]
    actor = used["identifiant de la personne qui a agi"]
    assert actor is not None
    [row] = [m for m in members if m["identifiant"] == actor]
    assert (row["nom"], row["rôle"], row["membre depuis"]) == (
        "Hugo Moreau",
        "personne invitée à un bilan (pas membre)",
        None,
    )
    assert [m["nom"] for m in members].count("Camille Durand") == 1  # a member, once


@pytest.mark.postgres
async def test_the_members_export_lists_who_acted_without_being_a_member_on_postgresql(
    pg_db: Database, clock: Clock
) -> None:
    """The distinct actors are read without comparing a JSON column (PostgreSQL refuses)."""
    from bot import demo as demo_module
    from bot.storage.people import Person

    async with pg_db.sessions() as session, session.begin():
        await demo_module.fill(session, today=clock.now.date())
        _, organisation_id = await demo_author(session)
        invited = Person(display_name="Hugo Moreau")
        session.add(invited)
        await session.flush()
        for _ in range(2):  # twice in the journal, once in the list
            record(
                session,
                organisation_id=organisation_id,
                actor_id=invited.id,
                action="redeem",
                entity="attestation_invitation",
                entity_id=1,
            )
    async with pg_db.sessions() as session:
        members = await members_of(session, None)
    assert [(m["nom"], m["rôle"]) for m in members] == [
        ("Camille Durand", "administratrice"),
        ("Hugo Moreau", "personne invitée à un bilan (pas membre)"),
    ]
