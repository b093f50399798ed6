"""Bad input of every kind, and the check that a step survives it.

Every step of every conversation is walked with these: each must get a
clear French answer, leave the conversation at the same step, and save
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.messages import Attachment
from bot.storage.db import Database
from bot.storage.state import ConversationState
from tests.auxil.dialogue import Person

HUGE = "x" * 10_000
EMOJI = "😀🎉🔥"
HTML = "<b>gras</b> & <script>alert(1)</script>"
CONTROL = "\x00\x1b[31m\u202e"


@dataclass(frozen=True)
class Bad:
    label: str
    text: str = ""
    choice: str | None = None
    file: bool = False


EMPTY = Bad("empty", "")
BLANK = Bad("blank", "   \n\t ")
TOO_LONG = Bad("huge", HUGE)
ONLY_EMOJI = Bad("emoji", EMOJI)
MARKUP = Bad("html", HTML)
CONTROLS = Bad("control", CONTROL)
SURROGATES = Bad("lone surrogates", "Léa \udcff Martin")
LONE_SURROGATE = Bad("a lone surrogate", "\ud800")
FORGED = Bad("forged choice", choice="9999|inexistant")
FORGED_RAW = Bad("forged raw data", choice="'; DROP TABLE formations; --")
A_FILE = Bad("file", file=True)

BROKEN = (SURROGATES, LONE_SURROGATE)
FOR_CHOICES = (
    EMPTY,
    BLANK,
    TOO_LONG,
    ONLY_EMOJI,
    MARKUP,
    CONTROLS,
    *BROKEN,
    FORGED,
    FORGED_RAW,
    A_FILE,
)
FOR_TEXT = (EMPTY, BLANK, TOO_LONG, CONTROLS, *BROKEN, FORGED, FORGED_RAW, A_FILE)
FOR_NAMES = (*FOR_TEXT, ONLY_EMOJI)


async def step_of(db: Database, who: Person) -> tuple[str | None, str | None]:
    async with db.sessions() as session:
        state = await session.scalar(
            select(ConversationState).where(
                ConversationState.platform == who.platform.value,
                ConversationState.chat_id == who.chat_id,
                ConversationState.user_id == who.name,
            )
        )
        return (state.flow, state.step) if state else (None, None)


async def survives(db: Database, who: Person, bads: tuple[Bad, ...]) -> None:
    """Each bad input gets a French re-ask and leaves the conversation where it was."""
    before = await step_of(db, who)
    assert before[0] is not None, "no conversation in progress"
    await _each_answered(db, who, bads, before)


async def survives_outside(db: Database, who: Person, bads: tuple[Bad, ...]) -> None:
    """Out of any conversation, each bad input gets a French answer and starts nothing."""
    assert await step_of(db, who) == (None, None), "a conversation is in progress"
    await _each_answered(db, who, bads, (None, None))


async def _each_answered(
    db: Database, who: Person, bads: tuple[Bad, ...], where: tuple[str | None, str | None]
) -> None:
    """Each bad input answered in French, no crash, no echo of a huge input, nothing moved."""
    for bad in bads:
        if bad.file:
            await who.sends_file("photo.jpg", "image/jpeg", b"\xff\xd8\xff fake")
        elif bad.choice is not None:
            await who.presses_data(bad.choice)
        else:
            await who.says(bad.text)
        assert who.replies, f"{bad.label}: no answer at {where}"
        answer = who.all_text
        assert answer.strip(), f"{bad.label}: empty answer at {where}"
        assert "Traceback" not in answer and "Error" not in answer
        assert "quelque chose s'est mal passé" not in answer, f"{bad.label}: crash at {where}"
        assert await step_of(db, who) == where, f"{bad.label} moved the dialogue from {where}"
        assert len(answer) < 6000, f"{bad.label}: the answer echoes too much"


def photo() -> Attachment:
    return Attachment("photo.jpg", "image/jpeg", b"\xff\xd8\xff fake")
