"""The bot is built from the one list of features, and from nothing else."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import cli
from bot.absences import evidence as absence_evidence
from bot.absences import exports as absence_exports
from bot.absences.next_point import next_point_reminders
from bot.absences.reminders import entretien_reminders
from bot.app import FEATURES, build_engine, build_scheduler, serve
from bot.attestations import exports as attestation_exports
from bot.attestations import sending as attestation_sending
from bot.attestations.reminders import tell_participants_the_bilan_is_over
from bot.bilans.unjoined import tell_trainers_of_unjoined
from bot.config import Settings
from bot.deadlines import exports as deadline_exports
from bot.deadlines.catch_up import refresh_outdated
from bot.deadlines.digest import send_digests
from bot.deadlines.service import close_begun_bilans
from bot.manifest import Feature, Features
from bot.messages import Reply
from bot.outbox import enqueue, forget_delivered_messages
from bot.privacy import journal_rows
from bot.privacy.retention import (
    forget_abandoned_conversations,
    forget_sent_messages,
    purge_expired,
)
from bot.scheduler import forget_handled_updates, forget_old_events
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.progress import LongWork
from bot.transports.console import Console, ConsoleTransport
from tests.auxil.attestations import BILAN_START, add_bilan

EVERY_JOB = {
    forget_old_events,
    forget_delivered_messages,
    forget_handled_updates,
    entretien_reminders,
    next_point_reminders,
    send_digests,
    refresh_outdated,
    close_begun_bilans,
    tell_participants_the_bilan_is_over,
    purge_expired,
    forget_abandoned_conversations,
    forget_sent_messages,
    tell_trainers_of_unjoined,
}


def test_a_scheduler_built_from_the_features_alone_runs_every_job(
    db: Database, settings: Settings
) -> None:
    scheduler = build_scheduler(db, settings)
    resumers = [job for job in scheduler.jobs if job not in EVERY_JOB]
    assert [job.__name__ for job in resumers] == ["resume_long_work"]  # bot.progress
    assert set(scheduler.jobs) - set(resumers) == EVERY_JOB
    assert len(scheduler.jobs) == len(EVERY_JOB) + 1


def test_the_long_work_of_every_feature_is_known() -> None:
    assert FEATURES.works == {
        "attestations.bundle": attestation_sending.bundle_work,
        "absences.qualiopi": absence_evidence.qualiopi_work,
    }


def test_the_cli_offers_every_export_of_every_feature() -> None:
    assert set(FEATURES.tables) == {
        "formations",
        "stagiaires",
        "absences",
        "echeances",
        "audit",
        "membres",
    }
    assert FEATURES.tables["audit"].rows is journal_rows.audit_rows
    assert FEATURES.tables["membres"].rows is journal_rows.member_rows
    assert set(FEATURES.files) == {"qualiopi", "attestations"}
    assert set(FEATURES.calendars) == {"echeances"}
    assert FEATURES.tables["absences"].rows is absence_exports.cli_absences
    assert FEATURES.files["qualiopi"] is absence_exports.cli_qualiopi
    assert FEATURES.files["attestations"] is attestation_exports.attestations_bundle
    assert FEATURES.calendars["echeances"] is deadline_exports.calendar


def test_an_unknown_export_lists_every_one_the_features_declare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORMABOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'f.db'}")
    assert cli.main(["export", "galaxies"]) == 2
    said = capsys.readouterr().err
    for name in ("absences", "attestations", "echeances", "formations", "qualiopi", "stagiaires"):
        assert name in said


def test_the_engine_knows_every_flow_and_command(db: Database, settings: Settings) -> None:
    engine = build_engine(db, settings)
    commands = set(engine.features.commands)
    assert {
        "start",
        "formation",
        "formations",
        "absence",
        "absences",
        "decrochage",
        "suivi",
        "exporter",
        "vacations",
        "bilan",
        "bilans",
        "echeances",
        "reglages",
        "attestations",
        "attestation",
        "inviter",
    } <= commands
    assert len(engine.features.start_codes) == 2


def test_the_command_menu_comes_from_the_flows() -> None:
    menu = dict(FEATURES.menu())
    assert menu["aide"] and menu["annuler"]
    assert menu["formation"] == "Créer une formation"
    assert menu["reglages"].endswith("(administrateurs)")
    assert "start" not in menu
    # A participant looking in the one menu every chat shows finds their own (explorer G G9).
    assert menu["attestation"].endswith("(personne invitée)")


def test_the_settings_of_every_feature_in_reglages() -> None:
    keys = [s.key for s in FEATURES.settings]
    assert {"digest_hour", "absences_window_days", "attestation_days_after"} <= set(keys)
    assert len(keys) == len(set(keys))
    assert FEATURES.setting("digest_hour") is not None
    assert FEATURES.setting("galaxies") is None


def test_two_features_cannot_claim_the_same_name() -> None:
    formation = FEATURES.flows["formation"]
    with pytest.raises(ValueError, match="flows"):
        Features([Feature(name="a", flows=(formation,)), Feature(name="b", flows=(formation,))])
    with pytest.raises(ValueError, match="jobs"):
        Features([Feature(name="a", jobs=(send_digests,)), Feature(name="b", jobs=(send_digests,))])
    rows = FEATURES.tables["absences"]
    with pytest.raises(ValueError, match="exports"):
        Features([Feature(name="a", tables={"x": rows}), Feature(name="b", tables={"x": rows})])


def test_export_arguments_are_plain_namespaces() -> None:
    # The CLI hands features the parsed arguments; their names are the contract.
    parsed = cli.parse(["export", "absences", "--formation", "3"])
    assert isinstance(parsed, argparse.Namespace)
    assert (parsed.what, parsed.formation, parsed.organisation, parsed.bilan) == (
        "absences",
        3,
        None,
        None,
    )


async def test_a_piped_console_shows_the_bundle_it_asked_for_before_leaving(
    db: Database, settings: Settings, demo: None, tmp_path: Path
) -> None:
    """The last line asks for long work (bot.progress): its result is printed, after the
    interim message, before ``serve`` returns; nothing is left for the next start."""
    await add_bilan(db, start=BILAN_START)
    out = io.StringIO()
    console = Console(build_engine(db, settings), name="formateur", documents=tmp_path, out=out)
    source = io.StringIO("/attestations\n1\nRecevoir le dossier de preuves (ZIP)\n")

    async def piped() -> None:
        await console.run(source)

    transport = ConsoleTransport(console, tmp_path / "inbox")
    await asyncio.wait_for(serve(settings, db, [transport], until=piped), 120)
    text = out.getvalue()
    assert "Je prépare le dossier de preuves" in text
    assert text.index("Je prépare le dossier de preuves") < text.index("[document]")
    assert ".zip" in text[text.index("[document]") :]
    async with db.sessions() as session:
        [work] = (await session.scalars(select(LongWork))).all()
        assert work.status == "done"


async def test_a_console_delivers_what_was_left_queued_before_its_first_line_and_at_its_end(
    db: Database, settings: Settings, demo: None, tmp_path: Path
) -> None:
    """Explorer C: replies a console killed mid-sending left queued (the invitations to
    forward) came back only once a later console stayed open a few seconds."""
    async with db.sessions() as session, session.begin():
        for key, who in (("left:1", "formateur"), ("left:2", "lea")):
            await enqueue(
                session, key=key, platform="console", chat_id=who, reply=Reply(text=f"Pour {who}")
            )
    out = io.StringIO()
    console = Console(build_engine(db, settings), name="formateur", documents=tmp_path, out=out)

    async def piped() -> None:
        await console.run(io.StringIO("/aide\n"))

    transport = ConsoleTransport(console, tmp_path / "inbox")
    await asyncio.wait_for(serve(settings, db, [transport], until=piped), 60)
    text = out.getvalue()
    assert "Pour formateur" in text and text.index("Pour formateur") < text.index("/aide")
    assert "Pour lea" in (tmp_path / "inbox" / "lea.txt").read_text(encoding="utf-8")
    async with db.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
        assert {r.key: r.status for r in rows if r.key.startswith("left:")} == {
            "left:1": "sent",
            "left:2": "sent",
        }


@pytest.mark.postgres
async def test_a_process_on_postgresql_opens_its_pool_as_it_starts(
    pg_db: Database, settings: Settings
) -> None:
    """Before any message: the pool's 15 connections are open, waiting for the first peak."""
    await pg_db.engine.dispose()  # the migration's connection gone: a process just started
    pool = pg_db.engine.sync_engine.pool
    seen: list[int] = []

    async def first_second() -> None:
        for _ in range(100):
            if pool.checkedin() == 15:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.05)
        seen.append(pool.checkedin())  # type: ignore[attr-defined]

    await asyncio.wait_for(serve(settings, pg_db, [], until=first_second), 60)
    assert seen == [15]


def test_people_s_identifiers_in_a_library_s_log_line_are_masked() -> None:
    """Explorer AX6: nio's warning « Received a undecryptable Megolm event from a unknown
    device: @lea.martin…:agent.tchap.gouv.fr NEWPHONE » printed the person's Tchap ID."""
    import logging

    from bot.app import MaskedIds

    record = logging.LogRecord(
        "nio.crypto.log",
        logging.WARNING,
        __file__,
        1,
        "Received a undecryptable Megolm event from a unknown device: %s %s",
        ("@lea.martin-mission-locale.fr:agent.tchap.gouv.fr", "NEWPHONE"),
        None,
    )
    assert MaskedIds().filter(record)
    said = record.getMessage()
    assert "lea.martin" not in said and "tchap" not in said
    assert said.endswith("device: [identifiant masqué] NEWPHONE")
    mail = logging.LogRecord(
        "mail.log", logging.WARNING, __file__, 1, "to a.b@example.org", (), None
    )
    MaskedIds().filter(mail)
    assert mail.getMessage() == "to [identifiant masqué]"
    plain = logging.LogRecord("bot", logging.INFO, __file__, 1, "outbox %d: sent", (3,), None)
    MaskedIds().filter(plain)
    assert plain.getMessage() == "outbox 3: sent"
    # A traceback's text is masked too (explorer AZ16: a library's error printed the ID).
    try:
        raise ValueError("no room with @lea.martin:agent.tchap.gouv.fr")
    except ValueError:
        failed = logging.LogRecord("nio", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    MaskedIds().filter(failed)
    shown = logging.Formatter().format(failed)
    assert "lea.martin" not in shown and "ValueError: no room with [identifiant masqué]" in shown


def test_what_nio_dumps_of_a_decrypted_event_never_reaches_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Explorer EF8: « Error validating event … On instance['content']: {'body':
    'Karim-Benali-arret.pdf' …} » was written at WARNING, the default level."""
    import logging

    from bot.app import setup_logging

    setup_logging("INFO")
    with caplog.at_level(logging.INFO):
        logging.getLogger("nio.events.misc").warning("On instance['content']: %s", "arret.pdf")
        logging.getLogger("nio.crypto.log").warning("Error decrypting megolm event")
        logging.getLogger("nio.rooms").warning("kept")
    assert "arret.pdf" not in caplog.text and "megolm" not in caplog.text
    assert "kept" in caplog.text
