"""Scripted dialogues through the real engine, as a person on a chat platform would.

``await alice.says("/formation")`` sends a message and returns the replies;
``await alice.presses("Région Normandie")`` presses the button with that label
in the last reply that offered it.  Assertions read ``alice.last`` (plain
text of the last reply) or ``alice.transcript``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import progress, texts
from bot.engine import Engine
from bot.messages import Attachment, Incoming, Platform, Reply, numbering
from bot.outbox_payload import payload_to_reply
from bot.storage.outbox import OutboxMessage

_events = itertools.count(1)


def local_today(zone: str = "Europe/Paris") -> date:
    """Today where the organisation is: what « hier » and « aujourd'hui » mean to the bot (between
    midnight in Paris and midnight UTC, the machine's date is the day before)."""
    return datetime.now(ZoneInfo(zone)).date()


@dataclass
class Clock:
    """A controllable now, in UTC."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def after_sending(engine: Engine, message: Incoming) -> list[Reply]:
    """What a transport does once a turn's replies are sent, when the turn asked for long work
    (:mod:`bot.progress`): ``Engine.delivered`` starts it; its replies, from the outbox, are
    what arrives next (marked sent, as the outbox sender would)."""
    if not engine.waiting_works(message):
        return []
    async with engine.db.sessions() as session, session.begin():
        await engine.delivered(session, message)
    await progress.wait_for_works()
    async with engine.db.sessions() as session, session.begin():
        rows = (
            await session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.platform == message.platform.value,
                    OutboxMessage.chat_id == message.chat,
                    OutboxMessage.key.like("work:%"),
                    OutboxMessage.status == "pending",
                )
                .order_by(OutboxMessage.id)
            )
        ).all()
        for row in rows:
            row.status, row.sent_at = "sent", engine.clock()
        return [payload_to_reply(row.payload) for row in rows]


@dataclass
class Person:
    engine: Engine
    name: str
    platform: Platform = Platform.CONSOLE
    chat: str | None = None
    is_group: bool = False
    replies: list[Reply] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)

    @property
    def chat_id(self) -> str:
        return self.chat or self.name

    def incoming(
        self,
        text: str = "",
        *,
        choice: str | None = None,
        attachment: Attachment | None = None,
        event_id: str | None = None,
    ) -> Incoming:
        return Incoming(
            platform=self.platform,
            chat=self.chat_id,
            user=self.name,
            event_id=event_id or f"ev-{next(_events)}",
            text=text,
            choice=choice,
            attachment=attachment,
            display_name=self.name,
            is_group=self.is_group,
        )

    async def send(self, message: Incoming) -> list[Reply]:
        replies = await self.engine.handle(message)
        replies = [*replies, *await after_sending(self.engine, message)]
        self.replies = replies
        shown = message.text or (f"[bouton {message.choice}]" if message.choice else "[fichier]")
        self.transcript.append(f"> {shown}")
        self.transcript.extend(texts.plain(r.text) for r in replies)
        return replies

    async def says(self, text: str) -> list[Reply]:
        return await self.send(self.incoming(text))

    async def sends_file(
        self, filename: str, mime: str, content: bytes, text: str = ""
    ) -> list[Reply]:
        return await self.send(self.incoming(text, attachment=Attachment(filename, mime, content)))

    async def presses(self, label: str) -> list[Reply]:
        """Press the button whose label contains ``label`` in the last replies."""
        for reply in reversed(self.replies):
            for choice in reply.choices:
                if label.casefold() in choice.label.casefold():
                    return await self.send(self.incoming(choice=choice.data))
        offered = [c.label for r in self.replies for c in r.choices]
        raise AssertionError(f"no button {label!r}; offered: {offered}")

    async def presses_data(self, data: str) -> list[Reply]:
        return await self.send(self.incoming(choice=data))

    @property
    def last(self) -> str:
        return texts.plain(self.replies[-1].text) if self.replies else ""

    @property
    def all_text(self) -> str:
        return "\n".join(texts.plain(r.text) for r in self.replies)

    @property
    def buttons(self) -> list[str]:
        return [c.label for r in self.replies for c in r.choices]

    @property
    def numbered(self) -> list[str]:
        """The last reply's choices as the console and Matrix show them ("1. Oui", "– Terminé")."""
        choices = self.replies[-1].choices if self.replies else ()
        return [f"{n} {c.label}" for n, c in zip(numbering(choices), choices, strict=True)]
