"""The entretien reminder: due the day before at the digest hour, sent exactly once, also after
downtime, never once the entretien has started, a new one when it is rescheduled."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.app import build_scheduler
from bot.config import Settings
from bot.messages import Reply
from bot.outbox_payload import payload_to_reply
from bot.storage.absences import Entretien
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.absences import reminders_sent_at, rows, seen_on
from tests.auxil.dialogue import Clock, Person


async def outbox(db: Database) -> list[OutboxMessage]:
    """Our reminders (other features' jobs, such as the daily digest, write their own rows)."""
    async with db.sessions() as session:
        found = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.key.startswith("entretien:"))
            .order_by(OutboxMessage.id)
        )
        return list(found.all())


async def schedule(trainer: Person, when: str) -> None:
    await trainer.says("/decrochage karim")
    if "Programmer l'entretien individuel" in trainer.buttons:
        await trainer.presses("Programmer l'entretien individuel")
    elif "Reprogrammer l'entretien" in trainer.buttons:
        await trainer.presses("Reprogrammer l'entretien")
    else:
        await trainer.presses("Absences répétées")
        await trainer.presses("Terminé")
        await seen_on(trainer, "aujourd'hui")
        await trainer.presses("Non")
        await trainer.presses("Ouvrir le suivi")
        await trainer.presses("Oui, maintenant")
    await trainer.says(when)
    await trainer.presses("Oui")


async def tick(db: Database, settings: Settings, at: datetime) -> None:
    await build_scheduler(db, settings, clock=lambda: at).tick()


async def test_the_reminder_is_sent_once_the_day_before(
    db: Database, settings: Settings, trainer: Person, caplog: pytest.LogCaptureFixture
) -> None:
    await schedule(trainer, "jeudi 26 novembre à 14h")
    entretien = (await rows(db, Entretien))[0]
    caplog.set_level(logging.DEBUG, logger="bot")
    await tick(db, settings, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await tick(db, settings, datetime(2026, 11, 25, 6, 59, tzinfo=UTC))  # 7 h 59 in Paris
    assert await outbox(db) == []
    await tick(db, settings, datetime(2026, 11, 25, 7, 0, tzinfo=UTC))  # 8 h: due
    await tick(db, settings, datetime(2026, 11, 25, 7, 1, tzinfo=UTC))
    await tick(db, settings, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    sent = await outbox(db)
    assert len(sent) == 1
    message = sent[0]
    assert message.key == f"entretien:{entretien.id}:2026-11-26"
    assert (message.platform, message.chat_id) == ("console", "formateur")
    text = payload_to_reply(message.payload).text
    assert "entretien individuel avec <b>Karim Benali</b>" in text
    assert "jeudi 26 novembre 2026 à 14 h 00" in text
    assert "Karim" not in caplog.text


async def test_after_downtime_it_is_sent_if_the_entretien_is_still_ahead(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await schedule(trainer, "jeudi 26 novembre à 14h")
    # The bot was down all Wednesday: Thursday morning it catches up.
    await tick(db, settings, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    assert len(await outbox(db)) == 1


async def test_not_once_it_has_started_nor_when_held(
    db: Database, settings: Settings, trainer: Person, clock: Clock
) -> None:
    await schedule(trainer, "jeudi 26 novembre à 14h")
    await tick(db, settings, datetime(2026, 11, 26, 13, 0, tzinfo=UTC))  # 14 h in Paris
    assert await outbox(db) == []
    async with db.sessions() as session, session.begin():
        entretien = await session.scalar(select(Entretien))
        assert entretien is not None
        entretien.held_at = entretien.scheduled_at
    await tick(db, settings, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    assert await outbox(db) == []


async def test_a_rescheduled_entretien_gets_its_own_reminder(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await schedule(trainer, "mardi 24 novembre à 14h")
    await tick(db, settings, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await schedule(trainer, "vendredi 27 novembre à 10h")
    await tick(db, settings, datetime(2026, 11, 23, 9, 5, tzinfo=UTC))
    await tick(db, settings, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    keys = [m.key for m in await outbox(db)]
    first, second = await rows(db, Entretien)
    assert first.cancelled_at is not None
    assert keys == [f"entretien:{first.id}:2026-11-24", f"entretien:{second.id}:2026-11-27"]


async def send_at(db: Database, settings: Settings, at: datetime) -> list[Reply]:
    return await reminders_sent_at(db, settings, at, "Rappel : entretien")


async def test_a_reminder_still_waiting_is_not_sent_once_the_entretien_is_moved_or_begun(
    db: Database, settings: Settings, trainer: Person
) -> None:
    """Explorer H: queued while the trainer's console was closed, the reminder came at its
    next opening, after the entretien was moved (or held): « le … à 10 h 45 »."""
    await schedule(trainer, "mardi 24 novembre à 14h")
    await tick(db, settings, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await schedule(trainer, "vendredi 27 novembre à 10h")  # the first one is cancelled
    assert await send_at(db, settings, datetime(2026, 11, 23, 9, 5, tzinfo=UTC)) == []
    assert [m.status for m in await outbox(db)] == ["cancelled"]
    await tick(db, settings, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    # Still waiting once the entretien has begun: no use either.
    assert await send_at(db, settings, datetime(2026, 11, 27, 9, 5, tzinfo=UTC)) == []
    assert [m.status for m in await outbox(db)] == ["cancelled", "cancelled"]


async def test_a_reminder_waiting_for_an_entretien_still_ahead_goes(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await schedule(trainer, "jeudi 26 novembre à 14h")
    await tick(db, settings, datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    [reply] = await send_at(db, settings, datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert "jeudi 26 novembre 2026 à 14 h 00" in reply.text
    assert [m.status for m in await outbox(db)] == ["sent"]


async def test_an_exit_before_the_entretien_is_said_and_stops_its_reminder(
    db: Database, settings: Settings, trainer: Person
) -> None:
    """Explorer K: an abandon recorded before the entretien said nothing of it, and the
    trainer was still reminded of an entretien with someone who had left."""
    await schedule(trainer, "jeudi 26 novembre à 14h")
    await tick(db, settings, datetime(2026, 11, 25, 7, 0, tzinfo=UTC))  # queued, not yet sent
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali")
    await trainer.presses("Sa sortie")
    await trainer.says("le 25 novembre")
    await trainer.presses("Oui")
    await trainer.presses("Abandon")
    assert (
        "Attention : un entretien avec Karim Benali est prévu le jeudi 26 novembre 2026 à "
        "14 h 00, après cette sortie : je ne rappellerai pas ce rendez-vous"
    ) in trainer.last
    await trainer.presses("Oui")
    assert await send_at(db, settings, datetime(2026, 11, 25, 8, 0, tzinfo=UTC)) == []
    assert [m.status for m in await outbox(db)] == ["cancelled"]


async def test_no_reminder_is_queued_for_a_trainee_gone_before_the_entretien(
    db: Database, settings: Settings, trainer: Person
) -> None:
    await schedule(trainer, "jeudi 26 novembre à 14h")
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali")
    await trainer.presses("Sa sortie")
    await trainer.says("le 24 novembre")
    await trainer.presses("Oui")
    await trainer.presses("Emploi")
    await trainer.presses("Oui")
    await tick(db, settings, datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    assert await outbox(db) == []


async def test_found_at_3_h_after_a_night_s_restart_it_waits_for_the_morning(
    db: Database, settings: Settings, trainer: Person
) -> None:
    """Explorer AV8: the bot back at 3 h sent the entretien's reminder to the trainer's phone
    at 3 h; it goes at the digest hour."""
    await schedule(trainer, "jeudi 26 novembre à 14h")
    await tick(db, settings, datetime(2026, 11, 26, 2, 0, tzinfo=UTC))  # 3 h in Paris
    [message] = await outbox(db)
    assert message.next_attempt_at == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 8 h, Paris
