"""The daily digest and the personal reminders: exactly once, at the right hour, even late."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot import dates, texts
from bot.app import build_scheduler, build_sender
from bot.config import Settings
from bot.deadlines.digest import digest_of, send_digests
from bot.deadlines.digest_messages import Item, Titled, digest_text, reminder_messages
from bot.deadlines.reminded import reminders_due
from bot.messages import Reply
from bot.outbox import Queued, Sender, enqueue
from bot.storage.base import stamps_from, utcnow
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Organisation
from tests.auxil.absences import seen_on
from tests.auxil.dialogue import Clock, Person
from tests.auxil.organisations import add_organisations
from tests.auxil.statements import counting
from tests.test_bilan import bilan_on, schedule
from tests.test_formation import SPRING, TWO_SESSIONS, cvl_sessions_saved


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Reply]] = []

    async def __call__(self, chat_id: str, reply: Reply) -> None:
        self.sent.append((chat_id, reply))

    def texts(self) -> list[tuple[str, str]]:
        """What each chat shows: markup dropped, entities decoded."""
        return [(chat, texts.plain(r.text)) for chat, r in self.sent]

    def digests(self) -> list[tuple[str, str]]:
        return [(chat, text) for chat, text in self.texts() if "Échéances du" in text]


def an_item(n: int, due: date, **changes: Any) -> Item:
    """The ``n``-th deadline still to do, due on ``due``, of formation 1 or 2 by parity."""
    return Item(
        id=n,
        organisation_id=1,
        formation_id=n % 2 + 1,
        key=f"k{n}",
        subject="formation",
        subject_id=1,
        due_on=due,
        due_at=None,
        title=f"Échéance {n}",
        detail=None,
        explanation="",
        source="",
        audience="formateur",
        status="to_do",
        postponed_to=None,
        reminded_at=None,
    )._replace(**changes)


async def keys(db: Database, prefix: str) -> list[str]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage.key)
            .where(OutboxMessage.key.like(prefix + "%"))
            .order_by(OutboxMessage.key)
        )
        return list(rows.all())


async def deliver(db: Database, clock: Callable[[], datetime] = utcnow) -> Recorder:
    """What the outbox sends now by ``clock``: the fixtures' clock, by which the ticks stamp
    their rows (explorer QC6), or the real one, for rows queued before it."""
    recorder = Recorder()
    await Sender(db.sessions, {"console": recorder}, clock=clock).run_once()
    return recorder


async def test_one_digest_a_day_even_with_two_processes(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    first = build_scheduler(db, settings, clock=clock)
    second = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 6, 59, tzinfo=UTC)  # 7:59 in Paris
    await first.tick()
    assert await keys(db, "digest:") == []
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 8:00 in Paris: the digest hour
    await first.tick()
    await second.tick()
    await first.tick()
    recorder = await deliver(db, clock)
    [(chat, text)] = recorder.digests()
    assert chat == "formateur"  # Camille, the admin, in private: no digest chat chosen
    assert "Échéances du mardi 24 novembre 2026" in text
    # The three entries of one formation are one line, the names sorted by surname.
    assert "🔴 En retard (1)" in text
    assert (
        "3 entrées à saisir dans EOS (Thomas Fabre, Inès Garnier, Nadia Roux) "
        "– Projet professionnel (démo)"
    ) in text
    assert "/echeances" in text
    assert await keys(db, "digest:") == ["digest:org:1:2026-11-24:person:1"]
    assert (await deliver(db, clock)).sent == []  # nothing twice


async def test_two_groups_of_one_title_are_told_apart_by_their_start_day(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer BD2: three groups of « Agent de restauration » read alike in every line."""
    async with db.sessions() as session, session.begin():
        formations = {f.title: f for f in await session.scalars(select(Formation))}
        formations["Agent de restauration (démo)"].title = "Projet professionnel (démo)"
        start = formations["Projet professionnel (démo)"].start_date
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, text)] = (await deliver(db, clock)).digests()
    # The other group owes nothing this week: the line still says which one is late.
    assert f"– Projet professionnel (démo) ({dates.spell_date(start)})" in text
    assert "– Projet professionnel (démo)\n" not in text + "\n"


async def test_a_digest_missed_while_down_is_sent_once_the_same_day_only(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    await scheduler.tick()
    clock.now = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # down from 7:00 to 15:00
    await scheduler.tick()
    await scheduler.tick()
    assert len((await deliver(db, clock)).digests()) == 1
    clock.now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # down on the 25th and 26th
    await scheduler.tick()
    assert await keys(db, "digest:") == [
        "digest:org:1:2026-11-24:person:1",
        "digest:org:1:2026-11-27:person:1",
    ]
    [(_, text)] = (await deliver(db, clock)).digests()
    assert "vendredi 27 novembre 2026" in text


async def test_the_digest_hour_is_the_organisation_s_own(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    async with db.sessions() as session, session.begin():
        org = await session.scalar(select(Organisation))
        assert org is not None
        org.settings = {"digest_hour": 10}
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 8, 59, tzinfo=UTC)  # 9:59 in Paris
    await scheduler.tick()
    assert await keys(db, "digest:") == []
    clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    await scheduler.tick()
    assert len(await keys(db, "digest:")) == 1


async def test_a_group_digest_names_no_trainee(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """It counts lines, as the private digest (« 🔴 En retard (1) ») and /echeances do: the
    three entries to enter in EOS are one (explorer KB, KB6: « Maçon – Caen : 21 en retard »
    in the group, three lines in /echeances)."""
    async with db.sessions() as session, session.begin():
        org = await session.scalar(select(Organisation))
        assert org is not None
        org.digest_chat = "console:groupe-equipe"
    clock.now = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    await build_scheduler(db, settings, clock=clock).tick()
    assert await keys(db, "digest:") == ["digest:org:1:2026-11-24"]
    [(chat, text)] = (await deliver(db, clock)).digests()
    assert chat == "groupe-equipe"
    assert "Projet professionnel (démo) : 1 en retard\n" in text
    for name in ("Nadia Roux", "Thomas Fabre", "Inès Garnier"):
        assert name not in text
    assert "Saisir" not in text  # counts only


async def test_a_group_digest_numbers_formations_for_one_person(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    async with db.sessions() as session, session.begin():
        org = await session.scalar(select(Organisation))
        assert org is not None
        org.digest_chat = "console:groupe-equipe"
        projet = await session.scalar(
            select(Formation).where(Formation.title == "Projet professionnel (démo)")
        )
        assert projet is not None
        projet.kind = "bilan_competences"
    clock.now = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, text)] = (await deliver(db, clock)).digests()
    assert f"Bilan de compétences n° {projet.id} : 1 en retard" in text
    assert "Projet professionnel" not in text


async def test_a_quiet_day_sends_nothing(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    async with db.sessions() as session, session.begin():
        for formation in (await session.scalars(select(Formation))).all():
            formation.funder = "autre"
    clock.now = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    scheduler = build_scheduler(db, settings, clock=clock)
    await scheduler.tick()
    await scheduler.tick()
    assert await keys(db, "digest:") == []


async def test_each_formateur_is_reminded_the_day_before_and_the_day_itself(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    await schedule(trainer)  # remote bilan on Thursday 26 November, 14:00
    scheduler = build_scheduler(db, settings, clock=clock)
    await scheduler.tick()  # Monday 23 November, 10:00 in Paris
    await scheduler.tick()
    [key] = await keys(db, "rappel:")
    assert key.startswith("rappel:NOR-DOCS:bilan:") and key.endswith(":2026-11-23")
    recorder = await deliver(db, clock)
    reminders = [text for _, text in recorder.texts() if "Rappel" in text]
    [text] = reminders
    assert "À faire demain : mardi 24 novembre 2026 à 14 h 00" in text
    assert "Envoyer le bilan pédagogique" in text and "Agent de restauration (démo)" in text
    assert "Envoyer le bilan pédagogique – bilan de fin du 26/11 – Agent" in texts.plain(text)
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    await scheduler.tick()
    assert sorted(k.split(":")[1] + k[-3:] for k in await keys(db, "rappel:")) == [
        "NOR-DOCS-23",
        "NOR-DOCS-24",
        # Due the day before the bilan, booked three days ahead (explorer EB1): « demain ».
        "NOR-GUIDES-24",
        "NOR-PREP-24",
    ]
    assert any("À faire aujourd'hui" in text for _, text in (await deliver(db, clock)).texts())


async def test_a_reminder_still_waiting_is_not_sent_once_its_deadline_is_done(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Explorer H: queued while its trainer's chat was away (a console closed, a platform
    down), the reminder of a deadline done meanwhile arrived at the next opening."""
    await schedule(trainer)  # NOR-DOCS due Tuesday 24 November: reminded on Monday
    await build_scheduler(db, settings, clock=clock).tick()
    [key] = await keys(db, "rappel:")
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Envoyer le bilan pédagogique")
    await trainer.presses("Fait")
    recorder = Recorder()
    await build_sender(db, settings, {"console": recorder}).run_once()
    assert not any("Rappel" in text for _, text in recorder.texts())
    async with db.sessions() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    assert row is not None and row.status == "cancelled"
    # Undone, it is reminded again the same day only by a new message: the one cancelled
    # stays cancelled (no second « Rappel » for a deadline already reminded today).
    assert (await build_sender(db, settings, {"console": recorder}).run_once()) == 0


async def test_a_reminder_still_waiting_goes_if_its_deadline_is_still_to_do(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    await schedule(trainer)
    await build_scheduler(db, settings, clock=clock).tick()
    await trainer.says("/echeances")
    await trainer.presses("Filtrer par formation")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Envoyer les modes d'emploi du bilan à distance")
    await trainer.presses("Fait")  # another deadline of the bilan, not the one reminded
    recorder = Recorder()
    await build_sender(db, settings, {"console": recorder}).run_once()
    assert any("Envoyer le bilan pédagogique" in text for _, text in recorder.texts())


async def test_a_follow_up_reminder_names_its_trainee(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Issue 11 item 17: « Contacter le stagiaire absent… » for whom?"""
    await trainer.says("/decrochage thomas")
    await trainer.presses("Absences répétées")  # a short formation: an absence is its sign
    await trainer.presses("Terminé")
    await seen_on(trainer, "aujourd'hui")
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    await build_scheduler(db, settings, clock=clock).tick()  # contact due tomorrow
    [text] = [t for _, t in (await deliver(db, clock)).texts() if "Rappel" in t]
    assert (
        "Rappel : Contacter la personne et son entreprise – Thomas Fabre – Projet"
        in texts.plain(text)
    )
    # Noted in the follow-up, where the ticket reads it (explorer AF5), not « Fait ».
    assert "Une fois fait, notez-le dans son suivi : /decrochage Thomas Fabre." in text
    assert "puis « Fait »" not in text


async def test_an_overdue_entretien_already_booked_says_when(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Explorer AO6: the digest listed the overdue entretien without its booking, and a
    coordinator chased a trainer who had set it for Thursday."""
    await trainer.says("/decrochage hugo")
    await trainer.presses("Baisse de motivation")
    await trainer.presses("Terminé")
    await seen_on(trainer, "lundi 9 novembre")  # the entretien was due on Monday 16
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("jeudi à 9h")
    await trainer.presses("Oui")
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, text)] = (await deliver(db, clock)).digests()
    assert (
        "· lundi 16 novembre 2026 – Tenir l'entretien individuel (Hugo Moreau) – Agent de "
        "restauration (démo) – prévu le jeudi 26 novembre 2026 à 9 h 00"
    ) in text
    assert text.count("prévu le") == 1  # the ticket and the compte rendu are not booked
    await trainer.says("/echeances")
    await trainer.presses(next(b for b in trainer.buttons if "entretien" in b))
    assert "Prévu le jeudi 26 novembre 2026 à 9 h 00 : une fois tenu" in trainer.last


async def test_the_jobs_log_nothing_personal(
    db: Database,
    settings: Settings,
    clock: Clock,
    trainer: Person,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    await schedule(trainer)
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    await build_scheduler(db, settings, clock=clock).tick()
    await deliver(db, clock)
    for name in ("Nadia Roux", "Léa Martin", "Karim Haddad", "Sophie Leroy"):
        assert name not in caplog.text


async def test_the_digest_reads_the_stored_deadlines(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Issue 14: nothing is recomputed at the digest hour (the services keep them current)."""
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    await scheduler.tick()  # before the hour: only the rules' catch-up, once after an upgrade
    async with db.sessions() as session, session.begin():
        for formation in (await session.scalars(select(Formation))).all():
            formation.funder = "autre"  # written past every service: nothing recomputes
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    with counting(db) as sent:
        await scheduler.tick()
    [(_, text)] = (await deliver(db, clock)).digests()
    assert "3 entrées à saisir dans EOS" in text  # as stored
    assert not [s for s in sent if "formation_sessions" in s]  # the rules' facts were not read


async def test_organisations_are_done_a_chunk_per_short_transaction(
    db: Database, settings: Settings, clock: Clock, demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: a chunk of organisations shares one transaction and one ``INSERT``;
    each chunk is committed before the next begins (chats go on between two)."""
    monkeypatch.setattr(send_digests, "chunk", 2)
    await add_organisations(db, 3, clock.now.date())
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    await scheduler.tick()
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    with counting(db) as sent:
        await scheduler.tick()
    inserts = [i for i, s in enumerate(sent) if s.startswith("INSERT INTO outbox")]
    assert len(inserts) == 2  # four organisations, two chunks (no reminder due today)
    for before, after in itertools.pairwise(inserts):
        assert "COMMIT" in sent[before:after]  # committed before the next one begins
    assert sorted(chat for chat, _ in (await deliver(db, clock)).digests()) == [
        "admin-1",
        "admin-2",
        "admin-3",
        "formateur",
    ]


async def test_a_chunk_costs_the_same_statements_whatever_its_organisations(
    db: Database, settings: Settings, clock: Clock
) -> None:
    """Issue 14: each kind of row is read for the whole chunk at once, not per organisation."""
    scheduler = build_scheduler(db, settings, clock=clock)
    costs = []
    for first, count, day in ((1, 1, 24), (2, 6, 25)):
        await add_organisations(db, count, clock.now.date(), first)
        for minute in (0, 1):  # the rules' catch-up, once; the next look set
            clock.now = datetime(2026, 11, day, 6, minute, tzinfo=UTC)
            await scheduler.tick()
        clock.now = datetime(2026, 11, day, 7, 0, tzinfo=UTC)
        with counting(db) as sent:
            await scheduler.tick()
        costs.append(sent)
    one, seven = costs
    assert len(await keys(db, "digest:org:7:")) == 1
    assert len(seven) == len(one), "\n".join([*one, "----", *seven])
    assert len([s for s in seven if s.startswith("INSERT INTO outbox")]) == 1


async def test_reminders_queued_are_marked_in_one_statement(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    await schedule(trainer)  # remote bilan on Thursday 26 November, 14:00: documents due
    with counting(db) as sent:
        await build_scheduler(db, settings, clock=clock).tick()
    [key] = await keys(db, "rappel:")
    async with db.sessions() as session:
        reminded = (
            await session.scalars(
                select(StoredDeadline.key).where(StoredDeadline.reminded_at == clock.now)
            )
        ).all()
    assert [f"rappel:{k}:2026-11-23" for k in reminded] == [key]
    assert len([s for s in sent if s.startswith("UPDATE deadlines SET reminded_at")]) == 1


async def test_four_reminders_are_one_list_and_each_is_marked(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    await schedule(trainer)  # remote bilan on Thursday: its documents are due tomorrow
    for name in ("thomas", "inès", "nadia"):  # three contacts due tomorrow
        await trainer.says(f"/decrochage {name}")
        await trainer.presses("Absences répétées")  # a short formation's sign
        await trainer.presses("Terminé")
        await seen_on(trainer, "aujourd'hui")
        if "Non" in trainer.buttons:  # « … en sous-traitance ? »: asked once a formation
            await trainer.presses("Non")
        await trainer.presses("Ouvrir le suivi")
    scheduler = build_scheduler(db, settings, clock=clock)
    await scheduler.tick()
    await scheduler.tick()
    assert await keys(db, "rappel:") == []
    [key] = await keys(db, "rappels:")
    [(chat, text)] = [(c, t) for c, t in (await deliver(db, clock)).texts() if "Rappel" in t]
    assert chat == "formateur" and text.startswith("⏰ Rappels : 4 échéances")
    for name in ("Thomas Fabre", "Inès Garnier", "Nadia Roux", "Envoyer le bilan pédagogique"):
        assert name in text
    async with db.sessions() as session:
        marked = (
            await session.scalars(
                select(StoredDeadline.rule_id).where(StoredDeadline.reminded_at == clock.now)
            )
        ).all()
    assert sorted(marked) == ["ELY-SHORT", "ELY-SHORT", "ELY-SHORT", "NOR-DOCS"]
    assert key.startswith("rappels:")


async def test_a_digest_tick_killed_half_way_resumes_with_the_others(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """What was committed before the kill is not done again; the rest is done once."""
    second, third = (await add_organisations(db, 2, clock.now.date()))[:2]
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    with stamps_from(clock):
        async with db.sessions() as session, session.begin():  # the killed tick got this far
            await digest_of(session, second, clock.now, settings)
    assert await keys(db, "digest:") == [f"digest:org:{second}:2026-11-24:person:2"]
    scheduler = build_scheduler(db, settings, clock=clock)  # the restart
    await scheduler.tick()
    await scheduler.tick()
    chats = sorted(chat for chat, _ in (await deliver(db, clock)).digests())
    assert chats == ["admin-1", "admin-2", "formateur"]
    assert third  # its admin is admin-2


async def test_a_deadline_due_tomorrow_added_after_the_digest_is_reminded_that_day(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    scheduler = build_scheduler(db, settings, clock=clock)
    await scheduler.tick()  # Monday 10:00 in Paris: the day's digest and reminders
    assert await keys(db, "rappel:") == []
    await schedule(trainer)  # remote bilan on Thursday: its documents are due tomorrow
    with counting(db) as sent:
        await scheduler.tick()
    [key] = await keys(db, "rappel:")
    assert key.startswith("rappel:NOR-DOCS:bilan:") and key.endswith(":2026-11-23")
    assert len(await keys(db, "digest:")) == 1  # the day's digest is not sent again
    assert [s for s in sent if s.startswith("UPDATE organisations")]
    with counting(db) as steady:
        await scheduler.tick()
    assert not [s for s in steady if s.startswith("UPDATE organisations")]  # nothing due
    assert len(await keys(db, "rappel:")) == 1


def at_eight(day: int) -> datetime:
    """8:00 in Paris on that day of December 2026: the digest hour (the 4th is a Friday)."""
    return datetime(2026, 12, day, 7, 0, tzinfo=UTC)


async def docs_due(db: Database) -> datetime | None:
    """The stored date of the bilan pédagogique (NOR-DOCS): the funders' texts set it."""
    async with db.sessions() as session:
        return await session.scalar(
            select(StoredDeadline.due_at).where(StoredDeadline.rule_id == "NOR-DOCS")
        )


def docs_line(digest: str) -> str:
    [line] = [x for x in digest.splitlines() if "Envoyer le bilan pédagogique" in x]
    return line


async def test_the_digest_goes_out_every_day_and_points_a_weekend_deadline_to_its_friday(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """A Tuesday-morning bilan: its bilan pédagogique is due on the Sunday (48 h before).
    Every day's digest lists it with its own date; while the Friday is to come, the
    line says to do it then."""
    await schedule(trainer, bilan_on("mardi 8 décembre à 10 h"))
    scheduler = build_scheduler(db, settings, clock=clock)
    seen = {}
    for day in (3, 4, 5, 6, 7):
        clock.now = at_eight(day)
        await scheduler.tick()
        await scheduler.tick()
        [(_, digest)] = (await deliver(db, clock)).digests()
        seen[digest.splitlines()[0].split(" – ")[0]] = docs_line(digest)
    line = (
        "· {}dimanche 6 décembre 2026 à 10 h 00{} – Envoyer le bilan pédagogique (bilan de fin "
        "du 08/12) – Agent de restauration (démo)"
    )
    hint = " (un dimanche : à faire plutôt {}vendredi 4 décembre 2026)"
    assert seen == {
        "📋 Échéances du jeudi 3 décembre 2026": line.format("", hint.format("le ")),
        # That Friday, « aujourd'hui » as in the reminder, and on the day (explorer QC5).
        "📋 Échéances du vendredi 4 décembre 2026": line.format("", hint.format("aujourd'hui, ")),
        # The Friday is past: the date alone, the Sunday still ahead (tomorrow, then today).
        "📋 Échéances du samedi 5 décembre 2026": line.format("", ""),
        "📋 Échéances du dimanche 6 décembre 2026": line.format("aujourd'hui, ", ""),
        "📋 Échéances du lundi 7 décembre 2026": line.format("", ""),  # overdue
    }
    assert await keys(db, "digest:org:1:2026-12") == [
        f"digest:org:1:2026-12-0{day}:person:1" for day in (3, 4, 5, 6, 7)
    ]  # once a day, weekends included
    assert await docs_due(db) == datetime(2026, 12, 6, 9, 0, tzinfo=UTC)  # the texts' date


@pytest.mark.parametrize(
    ("when", "reminders"),
    [
        (
            "lundi 7 décembre à 10 h",  # its bilan pédagogique on the Saturday
            {
                4: "Échéance : samedi 5 décembre 2026 à 10 h 00 (un samedi : à faire plutôt "
                "aujourd'hui, vendredi 4 décembre 2026).",  # the reminder comes that Friday
                5: "À faire aujourd'hui : samedi 5 décembre 2026 à 10 h 00.",
            },
        ),
        (
            "mardi 8 décembre à 10 h",  # on the Sunday
            {
                4: "Échéance : dimanche 6 décembre 2026 à 10 h 00 (un dimanche : à faire "
                "plutôt aujourd'hui, vendredi 4 décembre 2026).",
                5: "À faire demain : dimanche 6 décembre 2026 à 10 h 00.",
                6: "À faire aujourd'hui : dimanche 6 décembre 2026 à 10 h 00.",
            },
        ),
        (
            "mercredi 9 décembre à 9 h",  # on the Monday, an hour after Monday's digest
            {
                4: "À faire d'ici le lundi 7 décembre 2026 à 9 h 00.",
                6: "À faire demain : lundi 7 décembre 2026 à 9 h 00.",
                7: "À faire aujourd'hui : lundi 7 décembre 2026 à 9 h 00.",
            },
        ),
    ],
)
async def test_a_weekend_or_monday_deadline_is_also_reminded_on_the_friday(
    db: Database,
    settings: Settings,
    clock: Clock,
    trainer: Person,
    when: str,
    reminders: dict[int, str],
) -> None:
    """The day before and the day itself, weekends included, and the Friday before, so
    that nobody discovers it on Monday: once a day at most (two processes, two ticks)."""
    await schedule(trainer, bilan_on(when))
    stored = await docs_due(db)
    first = build_scheduler(db, settings, clock=clock)
    second = build_scheduler(db, settings, clock=clock)
    said = {}
    for day in (3, 4, 5, 6, 7):
        clock.now = at_eight(day)
        for scheduler in (first, second, first):
            await scheduler.tick()
        for _, text in (await deliver(db, clock)).texts():
            if "Rappel : Envoyer le bilan pédagogique" in text:
                assert day not in said, text  # one a day
                [said[day]] = [x for x in text.splitlines() if x.startswith(("À faire", "Éch"))]
    assert said == reminders
    assert [k[-10:] for k in await keys(db, "rappel:NOR-DOCS:")] == [
        f"2026-12-0{day}" for day in reminders
    ]
    assert await docs_due(db) == stored  # reminded, not moved


async def test_a_bot_down_on_friday_sends_saturday_s_digest_when_it_comes_back(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    await schedule(trainer, bilan_on("mardi 8 décembre à 10 h"))
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = at_eight(3)
    await scheduler.tick()
    await deliver(db, clock)
    clock.now = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)  # down from Thursday to Saturday 10:30
    await scheduler.tick()
    await scheduler.tick()
    recorder = await deliver(db, clock)
    [(_, digest)] = recorder.digests()
    assert "Échéances du samedi 5 décembre 2026" in digest
    assert "· dimanche 6 décembre 2026 à 10 h 00 – Envoyer le bilan pédagogique" in digest
    [reminder] = [t for _, t in recorder.texts() if "Rappel" in t]
    assert "À faire demain : dimanche 6 décembre 2026 à 10 h 00." in reminder
    assert await keys(db, "digest:") == [
        "digest:org:1:2026-12-03:person:1",
        "digest:org:1:2026-12-05:person:1",
    ]  # Friday's is not sent a day late: Saturday's lists everything
    await scheduler.tick()
    assert (await deliver(db, clock)).sent == []  # once


async def digest_to_a_group(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        org = await session.scalar(select(Organisation))
        assert org is not None
        org.digest_chat = "console:groupe-equipe"


async def test_a_group_digest_counts_the_weekend_s_deadlines_until_the_friday(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    await schedule(trainer, bilan_on("mardi 8 décembre à 10 h"))
    await digest_to_a_group(db)
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = at_eight(4)
    await scheduler.tick()
    [(_, friday)] = (await deliver(db, clock)).digests()
    assert "Agent de restauration (démo) : 2 en retard, 1 dans les 7 jours, dont 1 ce week-end" in (
        friday
    )
    assert "Ce qui tombe ce week-end est à faire plutôt aujourd'hui, vendredi 4 décembre 2026." in (
        friday
    )  # that Friday (explorer QC5)
    clock.now = at_eight(5)
    await scheduler.tick()
    [(_, saturday)] = (await deliver(db, clock)).digests()
    assert "Agent de restauration (démo) : 2 en retard, 1 dans les 7 jours\n" in saturday
    assert "week-end" not in saturday and "plutôt" not in saturday  # that Friday is past


async def test_on_a_weekend_the_next_weekend_s_deadline_points_to_the_next_friday(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """A Monday-morning bilan: its bilan pédagogique is due on the Saturday before, within the
    seven days of a weekend's digest."""
    await schedule(trainer, bilan_on("lundi 14 décembre à 10 h"))
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = at_eight(5)
    await scheduler.tick()
    [(_, saturday)] = (await deliver(db, clock)).digests()
    assert docs_line(saturday).startswith(
        "· samedi 12 décembre 2026 à 10 h 00 (un samedi : à faire plutôt le vendredi "
        "11 décembre 2026) – Envoyer le bilan pédagogique"
    )
    await digest_to_a_group(db)
    clock.now = at_eight(6)
    await scheduler.tick()
    [(_, sunday)] = (await deliver(db, clock)).digests()
    assert "Agent de restauration (démo) : 3 dans les 7 jours, dont 1 le week-end prochain" in (
        sunday
    )
    assert (
        "Ce qui tombe le week-end prochain est à faire plutôt le vendredi 11 décembre 2026."
        in sunday
    )


@pytest.mark.postgres
async def test_two_processes_at_the_digest_hour_send_each_digest_once(
    pg_db: Database,
    settings: Settings,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two schedulers (each its own pool) ticking at once over the same chunks on PostgreSQL:
    the conditional ``UPDATE … RETURNING`` gives each organisation to one of them, without
    a deadlock or a chunk failing."""
    caplog.set_level(logging.INFO, logger="bot")
    monkeypatch.setattr(send_digests, "chunk", 2)
    ids = await add_organisations(pg_db, 7, clock.now.date())
    other = Database(pg_db.url)
    try:
        first = build_scheduler(pg_db, settings, clock=clock)
        second = build_scheduler(other, settings, clock=clock)
        clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
        await first.tick()
        clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
        for _ in range(3):
            await asyncio.gather(first.tick(), second.tick())
    finally:
        await other.dispose()
    assert await keys(pg_db, "digest:") == sorted(
        f"digest:org:{o}:2026-11-24:person:{o}" for o in ids
    )
    assert "failed" not in caplog.text


async def test_a_deadline_before_christmas_is_reminded_on_the_thursday(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """A Tuesday-morning bilan after Christmas: its bilan pédagogique is due on Sunday the
    27th; Friday the 25th is a holiday, so the working day before is Thursday the 24th:
    pointed to in the digest, and the day of the extra reminder."""
    await schedule(trainer, bilan_on("mardi 29 décembre à 10 h"))
    stored = await docs_due(db)
    scheduler = build_scheduler(db, settings, clock=clock)
    lines, said = {}, {}
    for day in (23, 24, 25, 26, 27):
        clock.now = at_eight(day)
        await scheduler.tick()
        await scheduler.tick()
        recorder = await deliver(db, clock)
        [(_, digest)] = recorder.digests()
        lines[day] = docs_line(digest).split(" – ")[0]
        for _, text in recorder.texts():
            if "Rappel : Envoyer le bilan pédagogique" in text:
                [said[day]] = [x for x in text.splitlines() if x.startswith(("À faire", "Éch"))]
    hint = " (un dimanche : à faire plutôt {}jeudi 24 décembre 2026)"
    assert lines == {
        23: "· dimanche 27 décembre 2026 à 10 h 00" + hint.format("le "),
        24: "· dimanche 27 décembre 2026 à 10 h 00" + hint.format("aujourd'hui, "),  # QC5
        25: "· dimanche 27 décembre 2026 à 10 h 00",  # Thursday is past
        26: "· dimanche 27 décembre 2026 à 10 h 00",
        27: "· aujourd'hui, dimanche 27 décembre 2026 à 10 h 00",
    }
    assert said == {
        24: "Échéance : dimanche 27 décembre 2026 à 10 h 00 (un dimanche : à faire plutôt "
        "aujourd'hui, jeudi 24 décembre 2026).",  # as the digest says it (explorer QC5)
        26: "À faire demain : dimanche 27 décembre 2026 à 10 h 00.",
        27: "À faire aujourd'hui : dimanche 27 décembre 2026 à 10 h 00.",
    }
    assert await docs_due(db) == stored  # the texts' date, not moved


def reminded_alone(item: Item, at: datetime, title: str) -> tuple[Queued, tuple[int, ...]]:
    """The reminder of ``item`` alone, at ``at`` (Paris), its formation ``title``, to chat c."""
    organisation = Organisation(id=1, name="Organisme", timezone="Europe/Paris")
    chat = ChatIdentity(person_id=7, platform="console", chat_id="c", user_id="u")
    [(message, ids)] = reminder_messages(
        organisation,
        at.replace(tzinfo=ZoneInfo("Europe/Paris")),
        [item],
        {1: Titled(title, "formation", 7)},
        {7: chat},
        {},
    )
    return message, ids


def test_a_tuesday_deadline_after_easter_monday_is_reminded_on_the_friday() -> None:
    """The Friday before Easter Monday is the last working day before a Tuesday deadline: the
    reminder goes out then, and says by which day."""
    tuesday = date(2027, 3, 30)
    item = an_item(
        1,
        tuesday,
        formation_id=1,
        key="k",
        due_at=datetime(2027, 3, 30, 8, 0, tzinfo=UTC),
        title="Envoyer le bilan pédagogique",
    )
    reminded = {
        day: bool(reminders_due([item], date(2027, 3, day))) for day in (25, 26, 27, 28, 29, 30)
    }
    assert reminded == {25: False, 26: True, 27: False, 28: False, 29: True, 30: True}
    message, ids = reminded_alone(item, datetime(2027, 3, 26, 8, 0), "Agent de restauration")
    assert "À faire d'ici le mardi 30 mars 2027 à 10 h 00." in (message.reply.text or "")
    assert ids == (1,) and message.key == "rappel:k:2027-03-26"
    # Its hour past (a digest at 18 h on the day): late, not « À faire aujourd'hui » (AV9).
    assert reminders_due([item], tuesday, datetime(2027, 3, 30, 7, 59, tzinfo=UTC)) == [item]
    assert reminders_due([item], tuesday, datetime(2027, 3, 30, 16, 0, tzinfo=UTC)) == []


def test_a_long_overdue_list_shows_the_latest_and_counts_the_older() -> None:
    """Explorer BD3: cut at 25, oldest first, the same lines every morning for eighteen days;
    what became overdue since was only « … et 169 autres »."""
    local = datetime(2026, 12, 11, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    late = [
        an_item(n, date(2026, 11, 1) + timedelta(days=n), formation_id=1, audience="organisation")
        for n in range(30)
    ]
    text = digest_text(
        Organisation(id=1, name="Organisme", timezone="Europe/Paris"),
        {"overdue": late, "week": []},
        local,
        private=True,
        formations={1: Titled("Cuisine", "formation", 7)},
        who={},
    )
    said = texts.plain(text or "")
    assert (
        "🔴 En retard (30) :\n· … 5 plus anciennes, toutes dans /echeances ; les plus récentes :"
        in said
    )
    assert "Échéance 29 –" in said and "Échéance 5 –" in said
    assert "Échéance 4 –" not in said and "Échéance 0 –" not in said
    one_more = digest_text(
        Organisation(id=1, name="Organisme", timezone="Europe/Paris"),
        {"overdue": late[:26], "week": []},
        local,
        private=True,
        formations={1: Titled("Cuisine", "formation", 7)},
        who={},
    )
    assert "· … 1 plus ancienne, dans /echeances ; les plus récentes :" in texts.plain(
        one_more or ""
    )  # « toutes » for several only (explorer CA10)


def test_many_reminders_of_one_formateur_come_as_one_list() -> None:
    """Explorer H: forty follow-ups opened the same day sent forty messages at once."""
    paris = ZoneInfo("Europe/Paris")
    today = date(2026, 12, 4)  # a Friday

    def item(n: int, due: date, reminded: datetime | None = None) -> Item:
        return an_item(n, due, reminded_at=reminded, explanation="Ce que dit le texte.")

    rows = [item(n, date(2026, 12, 5)) for n in range(1, 5)]  # Saturday: Friday's hint
    rows += [item(5, today), item(6, today, reminded=datetime(2026, 12, 4, 7, 5, tzinfo=UTC))]
    rows += [item(7, date(2026, 12, 5))]
    formations = {1: Titled("Cuisine", "formation", 7), 2: Titled("Vente", "formation", 7)}
    formations[3] = Titled("Accueil", "formation", 8)
    rows[-1] = rows[-1]._replace(formation_id=3)
    organisation = Organisation(id=1, name="Organisme", timezone="Europe/Paris")
    chats = {
        p: ChatIdentity(person_id=p, platform="console", chat_id=f"c{p}", user_id="u")
        for p in (7, 8)
    }
    messages = reminder_messages(
        organisation, datetime(2026, 12, 4, 8, 0, tzinfo=paris), rows, formations, chats, {}
    )
    [(listed, ids), (alone, one)] = messages
    assert ids == (5, 1, 2, 3, 4)  # today first; the one reminded at 8 h 05 is not said again
    assert listed.chat_id == "c7" and listed.key.startswith("rappels:7:2026-12-04:")
    text = texts.plain(listed.reply.text or "")
    assert text.startswith("⏰ Rappels : 5 échéances à faire ces prochains jours.")
    assert (
        "· Échéance 2 – Cuisine : samedi 5 décembre 2026 (un samedi : à faire plutôt "
        "aujourd'hui, vendredi 4 décembre 2026)" in text
    )
    assert "· Échéance 5 – Vente : aujourd'hui, vendredi 4 décembre 2026" in text
    assert "Échéance 6" not in text and "Ce que dit le texte" not in text
    assert (alone.chat_id, one) == ("c8", (7,))
    assert texts.plain(alone.reply.text or "").startswith("⏰ Rappel : Échéance 7 – Accueil")
    again = reminder_messages(
        organisation, datetime(2026, 12, 4, 9, 0, tzinfo=paris), rows, formations, chats, {}
    )
    assert again[0][0].key == listed.key  # the same list looked at again: the same key
    # One title, one day: by surname, as the digest names them (explorer I).
    same = [r._replace(title="Saisir la sortie dans EOS") for r in rows[:4]]
    who = {1: "Zoé Zola", 2: "Anne Abadie", 3: "Marc Martin", 4: "Léa Berger"}
    [(named, _)] = reminder_messages(
        organisation, datetime(2026, 12, 4, 8, 0, tzinfo=paris), same, formations, chats, who
    )
    order = [n for n in ("Abadie", "Berger", "Martin", "Zola") if n in (named.reply.text or "")]
    text = named.reply.text or ""
    assert order == ["Abadie", "Berger", "Martin", "Zola"]
    assert sorted(order, key=text.index) == order


async def test_what_the_bilan_came_before_is_said_once_the_next_morning(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """As reported: a pre-bilan item not done vanished from the digest when its bilan began
    (closed as « non fait avant le bilan »): the next digest says so, once."""
    scheduler = build_scheduler(db, settings, clock=clock)
    await schedule(trainer)  # remote, Thursday 26 November at 14 h
    clock.now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # the bilan's day, 8 h in Paris
    await scheduler.tick()
    [(_, before)] = (await deliver(db, clock)).digests()
    assert "Envoyer le bilan pédagogique" in before and "Non fait avant le bilan" not in before
    clock.now = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # the bilan began at 14 h yesterday
    await scheduler.tick()
    [(_, after)] = (await deliver(db, clock)).digests()
    missed = after[after.index("⚪ Non fait") :]
    # Since the previous digest, not « depuis hier » (explorer AL8: a bilan begun that day);
    # agreed with the three items, and past once the bilan is over (explorer QC4).
    assert missed.startswith("⚪ Non faites avant le bilan, depuis le récapitulatif précédent (3)")
    assert "Le bilan a eu lieu : elles ne sont plus à faire." in missed
    assert "Si la personne chargée de mission les attendait, prévenez-la" in missed
    assert (
        "· mardi 24 novembre 2026 à 14 h 00 – Envoyer le bilan pédagogique"
        " (bilan de fin du 26/11) – Agent de restauration (démo)"
    ) in missed
    assert "prévenez-la" in missed
    assert "Envoyer le bilan pédagogique" not in after[: after.index("⚪")]
    clock.now = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    async with db.sessions() as session, session.begin():
        for row in await session.scalars(
            select(StoredDeadline).where(StoredDeadline.status == "missed")
        ):
            row.updated_at = clock.now  # reworded by a new version of the rules: no news
    await scheduler.tick()
    assert all(
        "Non fait avant le bilan" not in text for _, text in (await deliver(db, clock)).digests()
    )


@pytest.mark.parametrize(
    "late",
    [
        datetime(2026, 11, 27, 17, 0, tzinfo=UTC),  # 18:00 in Paris, after a morning outage
        datetime(2026, 11, 28, 7, 0, tzinfo=UTC),  # no digest at all on the 27th
        datetime(2026, 11, 30, 7, 0, tzinfo=UTC),  # down three days
    ],
)
async def test_what_the_bilan_came_before_is_told_by_a_late_digest_once(
    db: Database, settings: Settings, clock: Clock, trainer: Person, late: datetime
) -> None:
    """Explorer QC7: told « since 24 hours before now », an item closed by a bilan begun at
    14:00 was never told by a digest sent at 18:00 the next day, nor after a day without one:
    red the day before, then gone without a word.  Since the previous digest sent, stored:
    told once, however late, and not again (nor by a restart at the digest hour)."""
    await schedule(trainer)  # remote, Thursday 26 November at 14 h
    clock.now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # the bilan's day, 8 h in Paris
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, before)] = (await deliver(db, clock)).digests()
    assert "Envoyer le bilan pédagogique" in before
    async with db.sessions() as session, session.begin():
        await enqueue(
            session,
            key="rappel:x:2026-11-26",
            platform="console",
            chat_id="formateur",
            reply=Reply(text="Rappel"),
            organisation_id=1,
        )
        await session.execute(  # given up at 10 h, after that morning's digest
            update(OutboxMessage)
            .where(OutboxMessage.key == "rappel:x:2026-11-26")
            .values(status="failed", claimed_at=datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
        )
    clock.now = late
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, after)] = (await deliver(db, clock)).digests()
    assert "⚪ Non fait" in after
    assert "Envoyer le bilan pédagogique (bilan de fin du 26/11)" in after[after.index("⚪") :]
    assert "⚠️ Non envoyé malgré une journée d'essais (1) :\n· un rappel d'échéance à" in after
    clock.advance(minutes=1)  # restarted at the digest hour: nothing twice
    await build_scheduler(db, settings, clock=clock).tick()
    assert (await deliver(db, clock)).digests() == []
    clock.now = late.replace(hour=7) + timedelta(days=1)
    await build_scheduler(db, settings, clock=clock).tick()
    for _, text in (await deliver(db, clock)).digests():
        assert "Non fait" not in text and "Non envoyé" not in text


def test_one_item_of_a_bilan_under_way_is_said_so() -> None:
    """Explorer QC4: the other end of the agreement, one item and its bilan not over."""
    one = an_item(1, date(2026, 11, 25), subject="bilan", subject_id=4, status="missed")
    text = digest_text(
        Organisation(id=1, name="Organisme", timezone="Europe/Paris"),
        {"overdue": [], "week": []},
        datetime(2026, 11, 26, 15, 0, tzinfo=ZoneInfo("Europe/Paris")),
        private=True,
        formations={2: Titled("Cuisine", "formation", 1)},
        who={},
        missed=[one],
    )
    said = texts.plain(text or "")
    assert "⚪ Non fait avant le bilan, depuis le récapitulatif précédent (1) :" in said
    assert "Le bilan a commencé : ce n'est plus à faire." in said
    assert "mission l'attendait" in said


def test_who_waited_for_the_missed_items_is_named_as_their_funders_name_her() -> None:
    """Fixer EA's leftover: « Si la personne chargée de mission les attendait » for every
    funder, where Centre-Val de Loire's texts (and its bilans' messages) say « personne
    référente territoriale »; items of both funders name both."""
    missed = [
        an_item(n, date(2026, 11, 25), subject="bilan", subject_id=n, status="missed")
        for n in (1, 2)
    ]
    cvl, normandie = (
        Titled("Cuisine", "formation", 1, "cvl"),
        Titled("Vente", "formation", 1, "normandie"),
    )

    def said(formations: dict[int, Titled], items: list[Item]) -> str:
        return texts.plain(
            digest_text(
                Organisation(id=1, name="Organisme", timezone="Europe/Paris"),
                {"overdue": [], "week": []},
                datetime(2026, 11, 26, 15, 0, tzinfo=ZoneInfo("Europe/Paris")),
                private=True,
                formations=formations,
                who={},
                missed=items,
            )
            or ""
        )

    assert "Si la personne référente territoriale l'attendait, prévenez-la ;" in said(
        {2: cvl}, missed[:1]
    )
    assert "Si la personne référente territoriale les attendait, prévenez-la ;" in said(
        {1: cvl, 2: cvl}, missed
    )
    assert (
        "Si la personne référente territoriale ou la personne chargée de mission les "
        "attendait, prévenez-la ;"
    ) in said({2: cvl, 1: normandie}, missed)


async def test_a_session_s_deadline_names_the_session_short(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Explorer QC3: « Envoyer le bilan qualitatif de fin (la session « Session 1 » (du lundi
    1er mars 2027 au mercredi 31 mars 2027)) » in every digest: nested brackets, the session
    said twice; its dates are left to /echeances, as its buttons do."""
    await cvl_sessions_saved(
        trainer, "Premiers gestes vente", "premiers gestes", SPRING, TWO_SESSIONS
    )
    clock.now = datetime(2027, 4, 26, 6, 0, tzinfo=UTC)  # Monday, 8 h in Paris
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, text)] = (await deliver(db, clock)).digests()
    assert (
        "· vendredi 30 avril 2027 – Envoyer le bilan qualitatif de fin (Session 1)"
        " – Premiers gestes vente"
    ) in text
    assert "la session «" not in text


def test_on_the_friday_the_digest_says_today_as_the_reminder_does() -> None:
    """Explorer QC5: on Friday 4 December the digest said « à faire plutôt le vendredi 4
    décembre 2026 » where the reminder of the same minute said « aujourd'hui », and a
    deadline of the day was listed like any other of the week."""
    friday = datetime(2026, 12, 4, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    week = [an_item(1, date(2026, 12, 4)), an_item(2, date(2026, 12, 5))]
    formations = {1: Titled("Vente", "formation", 1), 2: Titled("Cuisine", "formation", 1)}
    organisation = Organisation(id=1, name="Organisme", timezone="Europe/Paris")
    said = {
        private: texts.plain(
            digest_text(
                organisation,
                {"overdue": [], "week": week},
                friday,
                private=private,
                formations=formations,
                who={},
            )
            or ""
        )
        for private in (True, False)
    }
    assert "· aujourd'hui, vendredi 4 décembre 2026 – Échéance 1 – Cuisine" in said[True]
    assert (
        "· samedi 5 décembre 2026 (un samedi : à faire plutôt aujourd'hui, vendredi 4 décembre "
        "2026) – Échéance 2 – Vente"
    ) in said[True]
    assert "est à faire plutôt aujourd'hui, vendredi 4 décembre 2026." in said[False]
    thursday = texts.plain(
        digest_text(
            organisation,
            {"overdue": [], "week": week},
            friday - timedelta(days=1),
            private=True,
            formations=formations,
            who={},
        )
        or ""
    )
    assert "aujourd'hui" not in thursday
    assert "(un samedi : à faire plutôt le vendredi 4 décembre 2026)" in thursday


def group_digest(today: datetime, week: list[Item]) -> str:
    """The group digest of ``week`` (formation 1 « Vente », 2 « Premiers gestes ») on ``today``."""
    return texts.plain(
        digest_text(
            Organisation(id=1, name="Organisme", timezone="Europe/Paris"),
            {"overdue": [], "week": week},
            today,
            private=False,
            formations={
                1: Titled("Vente", "formation", 1),
                2: Titled("Premiers gestes", "formation", 1),
            },
            who={},
        )
        or ""
    )


def test_the_group_digest_says_a_holiday_monday_s_deadline_is_for_the_friday() -> None:
    """Explorer UB2: on Friday 14 May 2027 the team group read « Premiers gestes : 1 dans
    les 7 jours » of a bilan due on Whit Monday, to be sent that very Friday, where a
    weekend's deadline is said (« dont 1 ce week-end … à faire plutôt aujourd'hui »)."""
    friday = datetime(2027, 5, 14, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    said = group_digest(friday, [an_item(1, date(2027, 5, 17), audience="organisation")])
    assert (
        "· Premiers gestes : 1 dans les 7 jours, dont 1 le lundi 17 mai, férié (lundi de "
        "Pentecôte)\n"
    ) in said
    assert (
        "Ce qui tombe le lundi 17 mai, férié (lundi de Pentecôte), est à faire plutôt "
        "aujourd'hui, vendredi 14 mai 2027."
    ) in said
    assert "week-end" not in said
    saturday = group_digest(friday + timedelta(days=1), [an_item(1, date(2027, 5, 17))])
    assert "férié" not in saturday and "plutôt" not in saturday  # that Friday is past


def test_the_group_digest_says_a_weekend_and_its_holiday_monday_together() -> None:
    """Explorer UB2: Easter weekend, one deadline on the Saturday, one on Easter Monday: one
    Friday for both."""
    friday = datetime(2027, 3, 26, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    said = group_digest(friday, [an_item(1, date(2027, 3, 27)), an_item(3, date(2027, 3, 29))])
    assert (
        "· Premiers gestes : 2 dans les 7 jours, dont 1 ce week-end et 1 le lundi 29 mars, "
        "férié (lundi de Pâques)\n"
    ) in said
    assert (
        "Ce qui tombe ce week-end ou le lundi 29 mars, férié (lundi de Pâques), est à faire "
        "plutôt aujourd'hui, vendredi 26 mars 2027."
    ) in said


def test_the_group_digest_says_a_holiday_in_the_week_and_the_weekend_each_with_its_day() -> None:
    """Explorer UB2: from Monday 3 May 2027, a deadline on Ascension Thursday is for the
    Wednesday and one on the Saturday for the Friday; the Friday after Ascension is a
    working day (a bridge is no day off)."""
    monday = datetime(2027, 5, 3, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    week = [
        an_item(1, date(2027, 5, 6)),
        an_item(3, date(2027, 5, 7)),
        an_item(5, date(2027, 5, 8)),
    ]
    said = group_digest(monday, week)
    assert (
        "· Premiers gestes : 3 dans les 7 jours, dont 1 le jeudi 6 mai, férié (Ascension) et 1 "
        "ce week-end\n"
    ) in said
    assert (
        "Ce qui tombe le jeudi 6 mai, férié (Ascension), est à faire plutôt le mercredi 5 mai "
        "2027.\nCe qui tombe ce week-end est à faire plutôt le vendredi 7 mai 2027."
    ) in said


async def test_a_group_digest_counts_what_the_bilan_came_before(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    scheduler = build_scheduler(db, settings, clock=clock)
    await schedule(trainer)  # remote, Thursday 26 November at 14 h
    async with db.sessions() as session, session.begin():
        org = await session.scalar(select(Organisation))
        assert org is not None
        org.digest_chat = "console:groupe-equipe"
    clock.now = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    await scheduler.tick()
    [(_, text)] = (await deliver(db, clock)).digests()
    assert "Agent de restauration (démo) : 1 dans les 7 jours, 3 non faits avant le bilan" in text


def test_a_deadline_postponed_to_a_day_off_is_reminded_for_that_day() -> None:
    """Explorer K: postponed to Saturday 2 January on purpose, the ticket was reminded
    « à faire plutôt le jeudi 31 décembre », before even its first day, the Friday 1st."""
    item = an_item(
        1,
        date(2027, 1, 1),
        formation_id=1,
        key="k",
        subject="followup",
        title="Déposer les échanges et saisir le ticket qualité",
        explanation="Ticket qualité à saisir au plus tard le vendredi 1er janvier 2027.",
        status="postponed",
        postponed_to=date(2027, 1, 2),
    )
    message, _ = reminded_alone(item, datetime(2027, 1, 1, 8, 0), "Projet professionnel")
    text = texts.plain(message.reply.text or "")
    assert "plutôt" not in text
    assert (
        "À faire demain : samedi 2 janvier 2027 (reportée ; elle était prévue le vendredi "
        "1er janvier 2027)."
    ) in text


async def a_followup_opened_at_ten_pm(trainer: Person, clock: Clock) -> None:
    """Tuesday 24 November at 22 h, a follow-up opened whose contact is due tomorrow; the
    clock then at 22 h 10."""
    clock.now = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    await trainer.says("/decrochage thomas")
    await trainer.presses("Absences répétées")
    await trainer.presses("Terminé")
    await seen_on(trainer, "aujourd'hui")
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    clock.now = datetime(2026, 11, 24, 21, 10, tzinfo=UTC)


async def test_a_change_made_at_night_is_left_to_the_morning_s_digest(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Explorer AV7: a follow-up opened at 22 h sent a colleague « À faire demain » and a
    second digest at 22 h 10, both again at 8 h."""
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 8 h in Paris: the day's digest
    await scheduler.tick()
    await deliver(db, clock)
    await a_followup_opened_at_ten_pm(trainer, clock)
    await scheduler.tick()  # 22 h 10
    assert (await deliver(db, clock)).sent == []
    clock.now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 8 h: the morning says it
    await scheduler.tick()
    said = [t for _, t in (await deliver(db, clock)).texts()]
    assert any("Contacter la personne et son entreprise" in t for t in said)


async def test_entries_of_several_days_on_one_line_say_their_days(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    """Explorer AV1: « lundi 14 septembre – 2 entrées à saisir dans EOS (Nadia Roux, Thomas
    Fabre) », Thomas having entered on the 21st."""
    from bot.deadlines.service import refresh_deadlines
    from bot.storage.formations import Trainee

    async with db.sessions() as session, session.begin():
        entries = (
            await session.scalars(
                select(StoredDeadline).where(StoredDeadline.key.like("CVL-EOS-ENTRY:%"))
            )
        ).all()
        assert len(entries) >= 2
        trainee = await session.get(Trainee, entries[-1].subject_id)
        assert trainee is not None and trainee.entered_on is not None
        trainee.entered_on = trainee.entered_on + timedelta(days=7)
        await session.flush()
        await refresh_deadlines(session, entries[-1].formation_id)
        days = sorted(
            {
                d.due_on
                for d in await session.scalars(
                    select(StoredDeadline).where(StoredDeadline.key.like("CVL-EOS-ENTRY:%"))
                )
            }
        )
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    await build_scheduler(db, settings, clock=clock).tick()
    [(_, text)] = (await deliver(db, clock)).digests()
    line = next(x for x in text.splitlines() if "entrées à saisir dans EOS" in x)
    assert line.startswith(f"· du {dates.spell_date(days[0]).rsplit(' ', 1)[0]} au ")
    assert dates.spell_date(days[-1]) in line


async def test_a_reminder_kept_back_past_its_day_is_not_sent_the_next_day(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Explorer AV6: kept back by an outage, « À faire demain » came the next day, just
    before that day's « aujourd'hui »."""
    from bot.deadlines.reminded import outdated_reminders

    await schedule(trainer, bilan_on("mardi 8 décembre à 10 h"))
    clock.now = at_eight(4)  # Friday 4 December: the Sunday's deadline reminded
    await build_scheduler(db, settings, clock=clock).tick()
    async with db.sessions() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("rappel:%")))
        ).all()
        assert rows
        assert await outdated_reminders(session, rows, clock.now) == set()
        later = clock.now + timedelta(days=1)
        assert await outdated_reminders(session, rows, later) == {r.id for r in rows}


async def test_a_change_at_night_after_a_quiet_morning_waits_for_the_morning_too(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Explorer AZ6: the morning's digest had nothing to say, so nothing of the day was
    queued, and a change at 22 h sent a digest and a « ⏰ Rappel » at 22 h 10, both again at
    8 h. A look again at night waits, whatever the morning said: the next morning's digest
    says it all (explorer AY7's case, the bot down all day then a change before its first
    tick, waits with it: a look again cannot tell a quiet morning from a missed one)."""
    scheduler = build_scheduler(db, settings, clock=clock)
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 8 h in Paris
    async with db.sessions() as session, session.begin():
        await session.execute(update(StoredDeadline).values(status="done"))
    await scheduler.tick()
    assert (await deliver(db, clock)).sent == []  # a quiet morning: nothing queued
    await a_followup_opened_at_ten_pm(trainer, clock)
    await scheduler.tick()  # 22 h 10
    assert (await deliver(db, clock)).sent == []
    clock.now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 8 h: the morning says it, once
    await scheduler.tick()
    said = [t for _, t in (await deliver(db, clock)).texts()]
    assert sum("Contacter la personne et son entreprise" in t for t in said) >= 1
    assert not any("À faire demain" in t for t in said)


async def test_an_entretien_past_its_hour_is_asked_about_not_said_to_come(
    db: Database, settings: Settings, clock: Clock, trainer: Person
) -> None:
    """Explorer HB15: two days after it, the digest still said the entretien was « prévu le
    mercredi 25 novembre » and the reminder « Tenir l'entretien … À faire d'ici le lundi
    30 », as of an appointment to come: it is past, its compte rendu or a new day is due."""
    await trainer.says("/decrochage karim")
    await trainer.presses("Manque de réactivité")
    await trainer.presses("Terminé")
    await seen_on(trainer, "aujourd'hui")
    await trainer.presses("Non")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("mercredi 14h")
    await trainer.presses("Oui")
    clock.now = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # Friday 27, 8 h in Paris
    await build_scheduler(db, settings, clock=clock).tick()
    sent = (await deliver(db, clock)).texts()
    [digest] = [t for _, t in sent if "Échéances du" in t]
    assert (
        "Tenir l'entretien individuel (Karim Benali) – Agent de restauration "
        "(démo) – prévu le mercredi 25 novembre 2026 à 14 h 00 : a-t-il eu lieu ? Rédigez son "
        "compte rendu, ou reprogrammez-le (/decrochage Karim Benali)"
    ) in digest
    [reminder] = [t for _, t in sent if "Rappel : Tenir l'entretien" in t]
    assert (
        "L'entretien individuel était prévu le mercredi 25 novembre 2026 à 14 h 00 : a-t-il eu "
        "lieu ? Rédigez son compte rendu, ou reprogrammez-le : /decrochage Karim Benali, d'ici "
        "le lundi 30 novembre 2026."
    ) in reminder
    assert "À faire d'ici" not in reminder and "Une fois fait" not in reminder
    await trainer.says("/echeances")
    await trainer.presses(next(b for b in trainer.buttons if "Tenir l'entretien" in b))
    assert (
        "Prévu le mercredi 25 novembre 2026 à 14 h 00 : a-t-il eu lieu ? Rédigez son compte "
        "rendu, ou reprogrammez-le, avec /decrochage"
    ) in trainer.last


def test_an_hour_moved_by_the_spring_change_is_explained_once_in_a_list() -> None:
    """WB (after explorer UB4): the private digest and the reminders' list gave « samedi 25
    mars 2028 à 13 h 00 » for a Monday 14 h bilan with no word of the clock change, which
    the reminder alone and /echeances explain; now marked, and explained once a message."""
    paris = ZoneInfo("Europe/Paris")
    moved = (
        "À faire avant le samedi 25 mars 2028 à 13 h 00. 13 h 00 et non 14 h 00 : le "
        "changement d'heure retire une heure (Fiche)."
    )
    at_13 = datetime(2028, 3, 25, 12, 0, tzinfo=UTC)  # 13 h in Paris, before the change
    rows = [
        an_item(n, date(2028, 3, 25), due_at=at_13, explanation=moved, subject_id=n) for n in (1, 2)
    ]
    rows += [an_item(3, date(2028, 3, 24)), an_item(4, date(2028, 3, 24))]
    local = datetime(2028, 3, 23, 8, 0, tzinfo=paris)  # a Thursday
    formations = {1: Titled("Cuisine", "formation", 7), 2: Titled("Vente", "formation", 7)}
    organisation = Organisation(id=1, name="Organisme", timezone="Europe/Paris")
    digest = texts.plain(
        digest_text(
            organisation,
            {"overdue": [], "week": rows},
            local,
            private=True,
            formations=formations,
            who={},
        )
        or ""
    )
    assert "· samedi 25 mars 2028 à 13 h 00* (un samedi : à faire plutôt le vendredi" in digest
    assert digest.count("samedi 25 mars 2028 à 13 h 00*") == 2
    assert "vendredi 24 mars 2028 –" in digest and "vendredi 24 mars 2028* –" not in digest
    assert "\n* 13 h 00 et non 14 h 00 : le changement d'heure retire une heure.\n" in digest
    assert digest.count("changement d'heure") == 1
    chats = {7: ChatIdentity(person_id=7, platform="console", chat_id="c7", user_id="u")}
    [(listed, _)] = reminder_messages(organisation, local, rows, formations, chats, {})
    text = texts.plain(listed.reply.text or "")
    assert "samedi 25 mars 2028 à 13 h 00* (un samedi" in text
    assert "\n* 13 h 00 et non 14 h 00 : le changement d'heure retire une heure." in text
    assert text.count("changement d'heure") == 1
    group = digest_text(
        organisation,
        {"overdue": [], "week": rows},
        local,
        private=False,
        formations=formations,
        who={},
    )
    assert "changement d'heure" not in (group or "")  # counts only: no hour to explain


def test_the_group_digest_lists_formations_in_a_french_reader_s_order() -> None:
    """Explorer XB2: « Secrétaire assistant – Évreux » came after « – Rouen » (sorted by code
    point, « É » after every plain letter); sorted as the /echeances filter sorts them,
    accents and case aside, Évreux comes between Caen and Rouen."""
    friday = datetime(2027, 3, 26, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    said = texts.plain(
        digest_text(
            Organisation(id=1, name="Organisme", timezone="Europe/Paris"),
            {
                "overdue": [],
                "week": [an_item(n, date(2027, 3, 30), formation_id=n) for n in (1, 2, 3)],
            },
            friday,
            private=False,
            formations={
                1: Titled("Secrétaire assistant – Rouen", "formation", 1),
                2: Titled("Secrétaire assistant – Évreux", "formation", 1),
                3: Titled("secrétaire assistant – Caen", "formation", 1),
            },
            who={},
        )
        or ""
    )
    lines = [line for line in said.splitlines() if line.startswith("· ")]
    assert [line.split(" : ")[0] for line in lines] == [
        "· secrétaire assistant – Caen",
        "· Secrétaire assistant – Évreux",
        "· Secrétaire assistant – Rouen",
    ]
