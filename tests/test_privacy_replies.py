"""The replies kept for de-duplication hold no invitation code (bot/privacy/replies.py)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.messages import Choice, Document, Reply
from bot.privacy.replies import MASK, without_secrets
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


async def test_an_inviter_turn_delivers_the_code_and_stores_it_masked(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/inviter")
    data = next(c.data for c in trainer.replies[-1].choices if c.label.startswith("Formateur"))
    await trainer.send(trainer.incoming(choice=data, event_id="inviter-1"))
    [reply] = trainer.replies
    code = reply.extras["invite_code"]
    assert f"/start {code}" in reply.text  # what the admin receives is whole

    row = (await stored(db))["inviter-1"]
    assert code not in row and "invite_code" not in row
    assert f"/start {MASK}" in row and NOTE in row
    assert all(code not in text for text in (await stored(db)).values())

    # Redelivered by the platform: the stored copy, no second invitation.
    await trainer.send(trainer.incoming(choice=data, event_id="inviter-1"))
    [again] = trainer.replies
    assert code not in again.text and MASK in again.text and again.extras == {}
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Invitation)) == 1


async def test_attestation_links_are_not_kept_either(db: Database, trainer: Person) -> None:
    await schedule_bilan(trainer)
    issued = codes(trainer.replies)
    assert set(issued) == {"Léa Martin", "Hugo Moreau"}
    kept = "\n".join((await stored(db)).values())
    for code in issued.values():
        assert code not in kept
    assert "Bonjour Léa Martin" in kept  # the rest of the message is kept for a redelivery


def test_a_reply_without_a_code_is_stored_as_it_is() -> None:
    reply = Reply(text="Bonjour", choices=(Choice("Oui", "1|yes"),))
    assert without_secrets(reply) == {
        "text": "Bonjour",
        "columns": 1,
        "choices": [["Oui", "1|yes"]],
    }


def test_the_code_is_masked_in_a_caption_too_and_the_document_kept_until_sent() -> None:
    reply = Reply(
        text="Lien : /start AB12CD",
        document=Document("i.ics", "text/calendar", b"x", caption="code AB12CD"),
        extras={"invite_code": "AB12CD"},
    )
    payload = without_secrets(reply)
    assert "AB12CD" not in json.dumps(payload)
    assert payload["document"]["caption"] == f"code {MASK}"
    assert payload["document"]["content"]  # until sent (Engine.delivered drops it)
    assert "extras" not in payload
