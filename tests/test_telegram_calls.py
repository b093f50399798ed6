"""Calling the Bot API: what is retried, and what is handed to the outbox as maybe arrived."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from bot.outbox import MayHaveArrived
from bot.transports import telegram_calls
from bot.transports.telegram_calls import with_retries


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    async def sleep(_seconds: float) -> None:
        return None

    monkeypatch.setattr(telegram_calls.asyncio, "sleep", sleep)


async def test_network_trouble_is_retried_until_it_passes() -> None:
    tries: list[int] = []

    async def call() -> str:
        tries.append(1)
        if len(tries) < 3:
            raise NetworkError("réseau")
        return "envoyé"

    assert await with_retries(call, sends=True) == "envoyé"
    assert len(tries) == 3


async def test_a_send_answered_too_late_is_not_sent_again() -> None:
    tries: list[int] = []

    async def call() -> str:
        tries.append(1)
        raise TimedOut("trop tard")

    with pytest.raises(MayHaveArrived):
        await with_retries(call, sends=True)
    assert len(tries) == 1


async def test_a_connection_never_made_is_retried_even_for_a_send() -> None:
    tries: list[int] = []

    async def call() -> str:
        tries.append(1)
        if len(tries) == 1:
            raise TimedOut("jamais parti") from httpx.ConnectTimeout("connexion")
        return "envoyé"

    assert await with_retries(call, sends=True) == "envoyé"
    assert len(tries) == 2
