"""The demo's trainer on Telegram: her chat identity, the real transport on the emulator,
and the waits a test needs (the next reply containing a text, the next document).

Shared by the end-to-end tests that talk to the bot through the Telegram Bot API
emulator (:mod:`tests.auxil.telegram_emulator`) or the offline recorder.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import build_engine
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.people import ChatIdentity, Person
from bot.transports.telegram import TelegramTransport
from tests.auxil.dialogue import Clock
from tests.auxil.telegram_emulator import BotMessage, TelegramEmulator, TelegramUser

TRAINER = "Camille Durand"
"""The demo's formatrice (and the console user ``formateur``)."""


async def link_to_telegram(session: AsyncSession, user_id: int, name: str = TRAINER) -> None:
    """``name`` (a person of the demo) also talks to the bot from Telegram as ``user_id``."""
    person = await session.scalar(select(Person).where(Person.display_name == name))
    assert person is not None
    session.add(
        ChatIdentity(
            person_id=person.id,
            platform="telegram",
            user_id=str(user_id),
            chat_id=str(user_id),
        )
    )


@asynccontextmanager
async def trainer_bot(
    emulator: TelegramEmulator,
    db: Database,
    settings: Settings,
    clock: Clock,
    *,
    token: str,
    user_id: int,
) -> AsyncIterator[TelegramTransport]:
    """The bot on the emulator, the demo's trainer linked to Telegram user ``user_id``."""
    async with db.sessions() as session, session.begin():
        await link_to_telegram(session, user_id)
    configured = replace(settings, telegram_token=token, telegram_base_url=emulator.url)
    transport = TelegramTransport(
        configured, build_engine(db, configured, clock=clock), poll_interval=0.02
    )
    await transport.start()
    try:
        yield transport
    finally:
        await transport.stop()


async def latest_id(user: TelegramUser) -> int:
    messages = await user.bot_messages()
    return max((m.message_id for m in messages), default=0)


async def wait_for(
    user: TelegramUser, after: int, expect: str, *, timeout: float = 15
) -> BotMessage:
    """The newest message after ``after`` containing ``expect``."""
    messages = await user.wait_until(
        lambda ms: any(m.message_id > after and expect in m.body for m in ms),
        timeout,
        what=f"a reply containing {expect!r}",
    )
    return next(m for m in reversed(messages) if m.message_id > after and expect in m.body)


async def ask(user: TelegramUser, text: str, expect: str) -> BotMessage:
    before = await latest_id(user)
    await (user.send_command(text) if text.startswith("/") else user.send_message(text))
    return await wait_for(user, before, expect)


async def click(user: TelegramUser, label: str, expect: str) -> BotMessage:
    before = await latest_id(user)
    await user.press_button(label)
    return await wait_for(user, before, expect)


async def press_for_document(user: TelegramUser, label: str) -> BotMessage:
    """Press the button ``label`` and wait for the document it brings."""
    before = await latest_id(user)
    await user.press_button(label)
    return await document_after(user, before)


async def document_after(user: TelegramUser, after: int) -> BotMessage:
    """The first message after ``after`` carrying a document."""
    messages = await user.wait_until(
        lambda ms: any(m.message_id > after and m.document for m in ms),
        15,
        what="a document",
    )
    return next(m for m in messages if m.message_id > after and m.document)
