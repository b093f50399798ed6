"""The compte rendu's « prochain point »: its day kept, and the trainer reminded that morning,
once (explorer GF9: the point was written in the PDF and never followed)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from bot import texts
from bot.app import build_scheduler
from bot.config import Settings
from bot.messages import Reply
from bot.outbox_payload import payload_to_reply
from bot.storage.absences import Entretien, FollowUp
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.absences import (
    reminders_sent_at,
    rows,
    seen_on,
    writing_this_morning_s_compte_rendu,
)
from tests.auxil.dialogue import Person


async def opening_the_compte_rendu(trainer: Person) -> None:
    """Karim's follow-up opened, his entretien held this morning (Monday 23 November), its
    compte rendu begun."""
    await trainer.says("/decrochage karim")
    await trainer.presses("Absences répétées")
    await trainer.presses("Terminé")
    await seen_on(trainer, "aujourd'hui")
    await trainer.presses("Non")
    await writing_this_morning_s_compte_rendu(trainer, "karim")


async def compte_rendu(trainer: Person, point: str | None) -> None:
    """Karim's compte rendu produced with ``point`` as the next point (``None``: « Pas de
    prochain point »)."""
    await opening_the_compte_rendu(trainer)
    for said in ("Absences répétées", "Transport", "Covoiturage"):
        await trainer.says(said)
    if point is None:
        await trainer.presses("Pas de prochain point")
    else:
        await trainer.says(point)
    await trainer.presses("Produire le compte rendu")


async def reminders(db: Database) -> list[OutboxMessage]:
    async with db.sessions() as session:
        found = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.key.startswith("prochain-point:"))
            .order_by(OutboxMessage.id)
        )
        return list(found.all())


async def tick(db: Database, settings: Settings, at: datetime) -> None:
    await build_scheduler(db, settings, clock=lambda: at).tick()


async def send_at(db: Database, settings: Settings, at: datetime) -> list[Reply]:
    return await reminders_sent_at(db, settings, at, "prochain point prévu")


async def test_the_trainer_is_reminded_of_the_point_that_morning_once(
    db: Database, settings: Settings, trainer: Person, caplog: pytest.LogCaptureFixture
) -> None:
    await compte_rendu(trainer, "demain, en fin de séance")
    [entretien] = [e for e in await rows(db, Entretien) if e.compte_rendu_id is not None]
    assert entretien.prochain_point_on == date(2026, 11, 24)
    caplog.set_level(logging.DEBUG, logger="bot")
    await tick(db, settings, datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
    await tick(db, settings, datetime(2026, 11, 24, 6, 59, tzinfo=UTC))  # 7 h 59 in Paris
    assert await reminders(db) == []
    await tick(db, settings, datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # 8 h: due
    await tick(db, settings, datetime(2026, 11, 24, 7, 1, tzinfo=UTC))
    await tick(db, settings, datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    [message] = await reminders(db)
    assert message.key == f"prochain-point:{entretien.id}:2026-11-24"
    assert (message.platform, message.chat_id) == ("console", "formateur")
    assert texts.plain(payload_to_reply(message.payload).text) == (
        "Rappel : aujourd'hui, prochain point prévu avec Karim Benali (Agent de restauration "
        "(démo)) : « demain, en fin de séance (mardi 24 novembre 2026) », d'après le compte "
        "rendu de l'entretien du lundi 23 novembre 2026.\n"
        "Pour noter ce qui s'y dira (« Noter un contact », « Joindre un document ») : /decrochage."
    )
    assert "Karim" not in caplog.text


async def test_no_point_no_reminder_even_after_a_dated_one_was_taken_back(
    db: Database, settings: Settings, trainer: Person
) -> None:
    """A day typed, then « Retour » and « Pas de prochain point »: no day kept."""
    await opening_the_compte_rendu(trainer)
    for said in ("Absences répétées", "Transport", "Covoiturage", "demain en fin de séance"):
        await trainer.says(said)
    await trainer.says("Retour")
    await trainer.presses("Pas de prochain point")
    await trainer.presses("Produire le compte rendu")
    [entretien] = [e for e in await rows(db, Entretien) if e.compte_rendu_id is not None]
    assert (entretien.prochain_point, entretien.prochain_point_on) == (None, None)
    await tick(db, settings, datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert await reminders(db) == []


async def test_a_point_without_a_day_is_kept_without_one(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await compte_rendu(trainer, "en fin de séance, avec la coordinatrice")
    [entretien] = [e for e in await rows(db, Entretien) if e.compte_rendu_id is not None]
    assert entretien.prochain_point == "en fin de séance, avec la coordinatrice"
    assert entretien.prochain_point_on is None


async def test_after_downtime_it_goes_later_that_day(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await compte_rendu(trainer, "mercredi 25 novembre, en fin de séance")
    # Down all Tuesday and Wednesday morning: back at 15 h, the point is still to come.
    await tick(db, settings, datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    assert [m.key.rsplit(":", 1)[1] for m in await reminders(db)] == ["2026-11-25"]


async def test_down_all_that_day_nothing_is_said_of_a_point_gone_by(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await compte_rendu(trainer, "demain, en fin de séance")
    await tick(db, settings, datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    assert await reminders(db) == []


async def test_a_reminder_waiting_when_the_follow_up_closes_is_not_sent(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await compte_rendu(trainer, "demain, en fin de séance")
    await tick(db, settings, datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(FollowUp).values(closed_at=datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
        )
    assert await send_at(db, settings, datetime(2026, 11, 24, 8, 0, tzinfo=UTC)) == []
    assert [m.status for m in await reminders(db)] == ["cancelled"]


async def test_a_reminder_waiting_goes_that_day_not_the_day_after(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await compte_rendu(trainer, "demain, en fin de séance")
    await tick(db, settings, datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    # Queued while the trainer's platform was down all Tuesday: of no use on Wednesday.
    assert await send_at(db, settings, datetime(2026, 11, 25, 8, 0, tzinfo=UTC)) == []
    assert [m.status for m in await reminders(db)] == ["cancelled"]


async def test_a_reminder_waiting_for_a_point_still_to_come_goes(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await compte_rendu(trainer, "demain, en fin de séance")
    await tick(db, settings, datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    [reply] = await send_at(db, settings, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert "<b>Karim Benali</b>" in reply.text
    assert [m.status for m in await reminders(db)] == ["sent"]
