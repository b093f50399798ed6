"""The replies kept for de-duplication hold no invitation code in clear (bot/privacy/replies.py)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from sqlalchemy import func, select

from bot.config import Settings
from bot.engine import Engine
from bot.messages import Choice, Document, Reply
from bot.privacy.replies import KEY_FILE, MASK, SEALED, Sealer, replayed, stored_copy
from bot.storage.db import Database
from bot.storage.people import Invitation
from bot.storage.state import ProcessedEvent
from tests.auxil.attestations import codes, schedule_bilan
from tests.auxil.dialogue import Person

NOTE = "Ce code n'est pas conservé"


async def stored(db: Database) -> dict[str, str]:
    """Every stored reply of every event, as the JSON kept in the database."""
    async with db.sessions() as session:
        rows = (await session.scalars(select(ProcessedEvent))).all()
        return {row.event_id: json.dumps(row.replies, ensure_ascii=False) for row in rows}


async def test_an_inviter_turn_stores_the_code_sealed_and_replays_it_until_delivered(
    db: Database, trainer: Person, engine: Engine, settings: Settings
) -> None:
    await trainer.says("/inviter")
    data = next(c.data for c in trainer.replies[-1].choices if c.label.startswith("Formateur"))
    await trainer.send(trainer.incoming(choice=data, event_id="inviter-1"))
    reply, forward = trainer.replies  # the code, then a message to forward with it
    code = reply.extras["invite_code"]
    assert f"/start {code}" in reply.text  # what the admin receives is whole
    assert f"/start {code}" in forward.text and forward.extras == {"invite_code": code}

    row = (await stored(db))["inviter-1"]
    assert code not in row and "invite_code" not in row
    assert f"/start {MASK}" in row and NOTE in row and SEALED in row
    assert all(code not in text for text in (await stored(db)).values())
    key = engine.sealer.path
    assert key.parent == settings.data_dir
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    # The bot died before sending it: the replay unseals the whole message.
    await trainer.send(trainer.incoming(choice=data, event_id="inviter-1"))
    again, _ = trainer.replies
    assert again.text == reply.text and again.extras == {"invite_code": code}

    # Sent: the sealed original goes; a late redelivery gets the masked text.
    incoming = trainer.incoming(choice=data, event_id="inviter-1")
    async with db.sessions() as session, session.begin():
        await engine.delivered(session, incoming)
    assert SEALED not in (await stored(db))["inviter-1"]
    await trainer.send(incoming)
    late, late_forward = trainer.replies
    assert code not in late.text and MASK in late.text and NOTE in late.text
    assert code not in late_forward.text
    assert late.extras == {}
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 1


async def test_attestation_links_are_not_kept_in_clear_either(
    db: Database, trainer: Person
) -> None:
    await schedule_bilan(trainer)
    issued = codes(trainer.replies)
    assert set(issued) == {"Léa Martin", "Hugo Moreau"}
    kept = "\n".join((await stored(db)).values())
    for code in issued.values():
        assert code not in kept
    assert "Bonjour Léa Martin" in kept  # the rest of the message is kept for a redelivery


def test_another_key_cannot_unseal_and_sends_the_masked_text(tmp_path: Path) -> None:
    reply = Reply(
        text="Lien : /start AB12CD",
        document=Document("i.ics", "text/calendar", b"x", caption="code AB12CD"),
        extras={"invite_code": "AB12CD"},
    )
    payload = stored_copy(reply, Sealer(tmp_path / "one"))
    assert "AB12CD" not in json.dumps(payload)
    assert payload["document"]["caption"] == f"code {MASK}"
    assert payload["document"]["content"]  # until sent (Engine.delivered drops it)
    assert "extras" not in payload
    assert replayed(payload, Sealer(tmp_path / "one")) == reply
    other = replayed(payload, Sealer(tmp_path / "two"))
    assert "AB12CD" not in other.text and NOTE in other.text and other.extras == {}
    assert (tmp_path / "one" / KEY_FILE).read_text() != (tmp_path / "two" / KEY_FILE).read_text()


def test_a_reply_without_a_code_is_stored_as_it_is(tmp_path: Path) -> None:
    reply = Reply(text="Bonjour", choices=(Choice("Oui", "1|yes"),))
    payload = stored_copy(reply, Sealer(tmp_path))
    assert payload == {"text": "Bonjour", "columns": 1, "choices": [["Oui", "1|yes"]]}
    assert not (tmp_path / KEY_FILE).exists()  # no key made for nothing
