"""One account's flood slows that account only: its turns, its wrong invitation codes."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.budget import BURST, FREE_GUESSES, LOCK_AFTER, RATE, Budget
from bot.engine import Engine
from bot.inbox import Inbox, Sent
from bot.messages import Incoming, Platform, Reply
from bot.texts import plain
from tests.auxil.dialogue import Clock, Person

FLOOD = 400


def test_an_accounts_turns_come_back_at_its_own_rate() -> None:
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    budget = Budget(clock)
    flooder, other = ("telegram", "666"), ("telegram", "42")
    assert [budget.delay(flooder) for _ in range(BURST)] == [0.0] * BURST
    assert budget.delay(flooder) == 1 / RATE  # the next one waits for a token
    assert budget.delay(other) == 0.0  # nobody else does
    clock.advance(seconds=60)
    assert budget.delay(flooder) == 0.0  # refilled


def test_wrong_codes_cost_more_and_more_then_lock_for_a_while() -> None:
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    budget = Budget(clock)
    guesser = ("telegram", "666")
    waits = []
    for _ in range(LOCK_AFTER - 1):
        budget.wrong_guess(guesser)
        waits.append(budget.delay(guesser))
        clock.advance(seconds=60)  # slowly: the bucket is not what waits
    assert waits[: FREE_GUESSES - 1] == [0.0] * (FREE_GUESSES - 1)
    assert waits[FREE_GUESSES - 1 :] == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0][: len(waits) - 2]
    assert budget.locked(guesser) is None
    budget.wrong_guess(guesser)
    assert budget.locked(guesser) == clock.now + timedelta(minutes=15)
    assert budget.locked(("telegram", "42")) is None
    clock.advance(minutes=16)
    assert budget.locked(guesser) is None and budget.delay(guesser) == 0.0


async def test_a_locked_account_is_told_in_french_and_others_are_not(
    trainer: Person, person: Any, clock: Clock
) -> None:
    guesser = person("devineur", Platform.TELEGRAM)
    for n in range(LOCK_AFTER):
        await guesser.says(f"/start FAUX{n:04d}")
        assert "Ce code n'est pas valable" in guesser.last
    await guesser.says("/start FAUX9999")
    assert guesser.last.startswith("Trop de codes erronés ont été essayés depuis ce compte")
    assert "avant 10 h 15" in guesser.last  # 9 h UTC is 10 h in Paris, plus a quarter
    other = person("quelquun", Platform.TELEGRAM)
    await other.says("/start FAUX0000")
    assert "Ce code n'est pas valable" in other.last
    clock.advance(minutes=16)
    await guesser.says("/start FAUX0001")
    assert "Ce code n'est pas valable" in guesser.last


async def test_codes_pasted_without_start_count_as_wrong_codes_too(
    trainer: Person, person: Any
) -> None:
    """A code alone is read as ``/start CODE`` (outside test, item 15): it is no way
    around the limit, and a locked account's bare code is not tried."""
    guesser = person("devineur", Platform.TELEGRAM)
    for n in range(LOCK_AFTER):
        await guesser.says(f"« Faux{n:018d} ».")
        assert "Ce code n'est pas valable" in guesser.last
    await guesser.says("Faux999999999999999999")
    assert guesser.last.startswith("Trop de codes erronés ont été essayés depuis ce compte")


class Recorder:
    """A transport's ``deliver``: who got a reply, in the order they went out."""

    def __init__(self) -> None:
        self.order: list[str] = []

    async def deliver(
        self,
        incoming: Incoming,
        answer: Mapping[str, Any],
        replies: Sequence[Reply],
        skip: int,
        sent: Sent,
    ) -> None:
        for index, _reply in enumerate(replies):
            if index >= skip:
                self.order.append(incoming.user)
                await sent(index + 1)


async def test_a_flood_of_wrong_codes_does_not_delay_another_person(engine: Engine) -> None:
    """Issue 13: 400 wrong ``/start CODE`` from one account, then someone else writes."""
    recorder = Recorder()
    inbox = Inbox(engine, Platform.TELEGRAM, recorder.deliver)

    def sent_by(user: str, n: int, text: str) -> Incoming:
        return Incoming(Platform.TELEGRAM, user, user, f"{user}-{n}", text=text)

    flood = await inbox.record(
        [(sent_by("666", n, f"/start FAUX{n:04d}"), {}) for n in range(FLOOD)]
    )
    [other] = await inbox.record([(sent_by("42", 0, "/aide"), {})])
    replies = await asyncio.wait_for(other, timeout=60)
    assert "envoyez /start pour créer le vôtre" in plain(replies[0].text)  # an empty base
    handled = sum(1 for f in flood if f.done())
    # The other person was answered while the flood was still waiting in its own queue.
    assert recorder.order.count("42") == 1
    assert handled < 10 and recorder.order.count("666") < 10
    await asyncio.sleep(1)
    # Meanwhile the guesser waits longer after each wrong code (1 s, 2 s, 4 s…):
    # its flood takes nobody's share of the platform's sending rate.
    assert recorder.order.count("666") <= FREE_GUESSES + 2
    await inbox.stop(grace=0.1)
