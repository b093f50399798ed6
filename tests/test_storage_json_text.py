"""The JSON columns' text: what ``json.dumps`` wrote, character for character, read back the same."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import make_url

from bot.storage import turn_rows as rows
from bot.storage.db import Database
from bot.storage.json_text import dumps, loads

STATE = {
    "_q": 12,
    "title": "Agent de restauration",
    "funder": "Région Normandie",
    "_options": [
        ["De date à date (un groupe)", "dates"],
        ["Entrées et sorties permanentes", "esp"],
    ],
    "trainees": [{"name": "Marie-Hélène Dupont", "company": "Boulangerie « Martin »"}],
    "certifying": True,
    "length": None,
    "hours": 35.5,
}
NOW = datetime(2026, 12, 8, 1, 30, tzinfo=UTC)
REPLIES = [{"text": "Qui sont les délégués ?\n« Terminé »", "choices": [["✅ Terminé", "9|_done"]]}]


@pytest.mark.parametrize("value", [STATE, REPLIES, {}, [], "« oui »", 7, 0.1, None])
def test_the_text_is_json_dumps_own(value: Any) -> None:
    assert dumps(value) == json.dumps(value)
    assert loads(dumps(value)) == value


def test_what_json_cannot_hold_is_refused_as_json_dumps_refuses_it() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"when": object()})


@pytest.mark.parametrize("text", [' {"a": 1} ', "[1, 2]\n", "\ufeff{}", "{", "", "[1] x", "nul"])
def test_a_text_not_read_whole_is_read_or_refused_as_json_loads_does(text: str) -> None:
    try:
        expected: Any = json.loads(text)
    except ValueError as exc:
        with pytest.raises(type(exc), match=str(exc)[:20]):
            loads(text)
    else:
        assert loads(text) == expected


async def test_a_turns_state_and_replies_are_stored_as_json_dumps_wrote_them(db: Database) -> None:
    chat = {"platform": "console", "chat": "nadia", "user": "nadia"}
    event = {"event_platform": "console", "event": "e1"}
    async with db.turn() as held:
        turn = rows.on(held)
        await turn.finish(
            rows.CREATE_STATE,
            chat
            | {
                "new_flow": "formation",
                "new_step": "funder",
                "new_data": STATE,
                "new_version": 1,
                "new_expires_at": None,
                "new_updated_at": NOW,
            },
            event | {"processed_at": NOW, "event_replies": REPLIES},
        )
    with sqlite3.connect(make_url(db.url).database or "") as raw:
        data = raw.execute("SELECT data FROM conversation_states").fetchone()[0]
        replies = raw.execute("SELECT replies FROM processed_events").fetchone()[0]
    assert (data, replies) == (json.dumps(STATE), json.dumps(REPLIES))
    async with db.turn() as held:
        row = await rows.on(held).one(rows.LOAD, chat | event)
    assert (row["data"], row["seen"]) == (STATE, REPLIES)
