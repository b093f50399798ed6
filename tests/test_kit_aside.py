"""The conversation set aside by another command: what it keeps, and for how long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from bot.conversations.kit import aside
from bot.conversations.kit.context import Context

NOW = datetime(2026, 12, 4, 9, tzinfo=UTC)


def context(data: dict[str, Any], now: datetime = NOW) -> Context:
    return cast(Context, SimpleNamespace(data=data, now=now, later_of_now=now))


def test_it_keeps_the_answers_and_the_called_flows_not_the_counter() -> None:
    ctx = context({"_q": 7, "title": "Cuisine", "_stack": [{"flow": "bilan"}], "_aside": {}})
    aside.set_aside(ctx, "formation", "funder", timedelta(hours=24))
    held = ctx.data["_aside"]
    assert (held["flow"], held["step"]) == ("formation", "funder")
    assert held["data"] == {"title": "Cuisine", "_stack": [{"flow": "bilan"}]}
    assert aside.kept(ctx) == held
    assert aside.kept(context(ctx.data, NOW + timedelta(hours=25))) is None  # too old


def test_a_conversation_ended_keeps_only_the_counter_and_what_is_aside() -> None:
    data = {"_q": 3, "title": "Cuisine", "_aside": {"flow": "bilan"}}
    assert aside.resting(data) == {"_q": 3, "_aside": {"flow": "bilan"}}
    assert aside.resting({"title": "x"}) == {"_q": 0}
    assert aside.kept(context({"_aside": "abîmé"})) is None
