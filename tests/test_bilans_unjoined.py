"""A Matrix chat opened for a bilan and not joined after a day: the trainer is told once,
while the bilan is to come, in the day (explorer AT3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.bilans.unjoined import tell_trainers_of_unjoined
from bot.config import Settings
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.texts import plain
from tests.auxil.attestations import BILAN_START
from tests.auxil.matrix_welcome import invitation_waiting as waiting

SOPHIE = "@sophie.leroy:agent.tchap.gouv.fr"
OPENED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10 h in Paris, three days before the bilan


async def invitation_waiting(db: Database, *, joined: bool = False) -> int:
    """The chargée de mission's invitation, « sent » into a chat she has not joined."""
    return await waiting(db, OPENED, SOPHIE, joined=joined)


async def tick(db: Database, now: datetime, settings: Settings) -> list[OutboxMessage]:
    async with db.sessions() as session, session.begin():
        await tell_trainers_of_unjoined(session, now, settings)
    async with db.sessions() as session:
        found = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.key.like("bilan:%:unjoined:%")
                | OutboxMessage.key.like("bilan:%:declined:%")
            )
        )
        return list(found.all())


async def test_the_trainer_hears_once_of_a_chat_not_joined_after_a_day(
    db: Database, demo: None, settings: Settings
) -> None:
    await invitation_waiting(db)
    assert await tick(db, OPENED + timedelta(hours=23), settings) == []  # not a day yet
    (notice,) = await tick(db, OPENED + timedelta(days=1, hours=1), settings)
    assert (notice.platform, notice.chat_id) == ("console", "formateur")
    assert plain(notice.payload["text"]) == (
        "Le bilan d'étape d'« Agent de restauration (démo) », le jeudi 26 novembre 2026 à "
        "14 h 00 : L'invitation (sur Matrix) n'est pas encore parvenue à Mme "
        "Sophie Leroy. Cette personne n'a pas rejoint la conversation que je lui ai ouverte le "
        "23 novembre à 10 h 00 : prévenez-la autrement (e-mail, téléphone) ; le message "
        "l'attend dans cette conversation. Le détail de ce que j'ai envoyé est dans /bilans."
    )
    # Each tick after it: the same notice, not a second one.
    assert len(await tick(db, OPENED + timedelta(days=2), settings)) == 1


async def test_a_night_tick_tells_the_trainer_in_the_morning(
    db: Database, demo: None, settings: Settings
) -> None:
    await invitation_waiting(db)
    night = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # 23 h 30 in Paris
    (notice,) = await tick(db, night, settings)
    morning = datetime(2026, 11, 25, settings.digest_hour - 1, 0, tzinfo=UTC)
    assert notice.next_attempt_at.replace(tzinfo=UTC) == morning


async def test_nothing_is_said_once_joined_past_or_cancelled(
    db: Database, demo: None, settings: Settings
) -> None:
    await invitation_waiting(db, joined=True)
    assert await tick(db, OPENED + timedelta(days=2), settings) == []
    async with db.sessions() as session, session.begin():
        await session.execute(update(MatrixWelcome).values(status="pending"))
        await session.execute(update(Bilan).values(cancelled_at=OPENED))
    assert await tick(db, OPENED + timedelta(days=2), settings) == []
    async with db.sessions() as session, session.begin():
        await session.execute(update(Bilan).values(cancelled_at=None))
    assert await tick(db, BILAN_START + timedelta(minutes=1), settings) == []  # begun


async def test_a_refused_chat_is_told_at_once_and_once(
    db: Database, demo: None, settings: Settings
) -> None:
    """Explorer MG4: Sophie refused the chat the bot opened (the bot then leaves it, the
    message will never reach her); the trainer, told of a chat left unjoined a day, was told
    nothing of this one."""
    await invitation_waiting(db)
    async with db.sessions() as session, session.begin():
        await session.execute(update(MatrixWelcome).values(status="declined"))
    (notice,) = await tick(db, OPENED + timedelta(hours=1), settings)
    assert plain(notice.payload["text"]) == (
        "Le bilan d'étape d'« Agent de restauration (démo) », le jeudi 26 novembre 2026 à "
        "14 h 00 : L'invitation (sur Matrix) n'est pas parvenue à Mme Sophie Leroy. Cette "
        "personne a refusé ou quitté la conversation que je lui ai ouverte le 23 novembre à "
        "10 h 00 : prévenez-la autrement (e-mail, téléphone). Le détail de ce que j'ai envoyé "
        "est dans /bilans."
    )
    assert len(await tick(db, OPENED + timedelta(days=2), settings)) == 1
