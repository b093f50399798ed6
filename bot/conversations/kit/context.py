"""What a step can see and do while it handles one message.

The context is built by the engine for one incoming message, inside the
transaction that will also store the conversation's new state: whatever the
services a step calls write through ``ctx.session`` commits together with
its answer, or not at all.  Most steps only parse and ask: the ORM session
is opened on the turn's connection the first time a step uses it, so those
turns never pay for one.  A step talks (``render``, ``say``, ``send``) and
reads the answers so far (``data``); it leaves reading and writing the
business tables to the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.answers import Invalid, close_words, fold
from bot.config import Settings
from bot.conversations.kit.flow import Retry
from bot.messages import Choice, Incoming, Reply
from bot.storage.held import Held
from bot.storage.progress import LongWork

if TYPE_CHECKING:
    from bot.manifest import Features
    from bot.storage.people import Role


MAX_FUZZY = 200
"""Longer answers are not compared word by word with every choice (time, and no meaning)."""


@dataclass(frozen=True)
class Actor:
    """The known person behind a chat identity, with their organisation and role."""

    person_id: int
    name: str
    organisation_id: int | None
    organisation_name: str | None
    role: Role | None
    timezone: str

    @property
    def is_admin(self) -> bool:
        return self.role is not None and self.role.value == "admin"

    @property
    def is_member(self) -> bool:
        return self.role is not None


@dataclass
class Context:
    held: Held
    """The turn's hold on the database, in the transaction the engine commits."""
    incoming: Incoming
    actor: Actor | None
    data: dict[str, Any]
    now: datetime
    settings: Settings
    features: Features
    replies: list[Reply] = field(default_factory=list)
    guessed_wrong: bool = False
    """A secret (an invitation code) was guessed wrong in this turn: see :mod:`bot.budget`."""
    works: list[int] = field(default_factory=list)
    """Long work asked in this turn (:meth:`later`), started once its replies are sent."""
    opened: AsyncSession | None = field(default=None, repr=False)
    """The session, once a step asked for it (:attr:`session`)."""

    @property
    def session(self) -> AsyncSession:
        """The ORM session for the services, on the turn's connection and in its transaction.

        It never commits: its ``commit`` only flushes, the engine commits the
        turn with its own rows (``join_transaction_mode="rollback_only"``);
        a rollback undoes the whole turn.
        """
        if self.opened is None:
            self.opened = AsyncSession(
                bind=self.held.connection,
                expire_on_commit=False,
                join_transaction_mode="rollback_only",
            )
        return self.opened

    async def settle(self) -> None:
        """Send what the session holds (a flush), before the engine commits the turn."""
        if self.opened is not None:
            await self.opened.flush()
            await self.opened.close()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.actor.timezone) if self.actor else self.settings.zone

    @property
    def person_id(self) -> int:
        if self.actor is None:
            raise PermissionError("no known person behind this chat")
        return self.actor.person_id

    @property
    def organisation_id(self) -> int:
        if self.actor is None or self.actor.organisation_id is None:
            raise PermissionError("this person belongs to no organisation")
        return self.actor.organisation_id

    # --- talking --------------------------------------------------------------

    def render(self, key: str, **extra: Any) -> str:
        """A chat message from the templates, with the answers so far as ``d``."""
        context: dict[str, Any] = {"d": self.data, "actor": self.actor, "now": self.now}
        return texts.say(key, **(context | extra))

    def say(self, key: str, **extra: Any) -> None:
        self.replies.append(Reply(text=self.render(key, **extra)))

    def send(self, reply: Reply) -> None:
        self.replies.append(reply)

    async def later(
        self, kind: str, args: Mapping[str, Any], *, interim: str, **values: Any
    ) -> int:
        """Do the long work ``kind`` after this turn, and say ``interim`` (a template block)
        now (:mod:`bot.progress`).

        ``kind`` is a name of some feature's ``works`` (its manifest); ``args``
        are ids and choices (JSON): the work reads the rest from the database
        when it runs, and its replies come to this chat through the outbox.
        Returns the row id.
        """
        if kind not in self.features.works:
            raise ValueError(f"no feature declares the work {kind!r}")
        row = LongWork(
            organisation_id=self.actor.organisation_id if self.actor else None,
            kind=kind,
            args=dict(args),
            platform=self.incoming.platform.value,
            chat_id=self.incoming.chat,
            status="pending",
            attempts=0,
            created_at=self.now,
        )
        self.session.add(row)
        await self.session.flush()
        self.works.append(row.id)
        self.say(interim, **values)
        return row.id

    def wrong_guess(self) -> None:
        """A code typed matched nothing: the engine slows this account down (not others)."""
        self.guessed_wrong = True

    # --- buttons --------------------------------------------------------------

    @property
    def question_id(self) -> int:
        return int(self.data.get("_q", 0))

    def choice(self, label: str, value: str) -> Choice:
        """A button stamped with the current question, so stale ones are recognised."""
        return Choice(label=label, data=f"{self.question_id}|{value}")

    def chosen(
        self,
        values: list[str] | tuple[str, ...],
        *,
        labels: dict[str, str],
        numbered: list[str] | None = None,
        synonyms: dict[str, str] | None = None,
    ) -> str | Invalid | None:
        """Which of ``values`` the user picked: by button, number, label or synonym.

        ``None`` means the answer names no option (the caller re-asks);
        :class:`Invalid` carries the reason for a stale, forged or ambiguous
        answer.
        """
        if self.incoming.choice is not None:
            stamp, _, value = self.incoming.choice.partition("|")
            if stamp != str(self.question_id):
                return Invalid(texts.say("common.stale_button"))
            if value not in values:
                return Invalid(texts.say("common.forged_choice"))
            return value
        answer = fold(self.incoming.text)
        if not answer:
            return None
        numbered = list(values) if numbered is None else numbered
        if answer.isdigit():
            number = int(answer)
            if 1 <= number <= len(numbered):
                return numbered[number - 1]
            return Invalid(texts.say("common.no_such_number", number=number, count=len(numbered)))
        for value in values:
            if fold(labels.get(value, value)) == answer:
                return value
        if synonyms and synonyms.get(answer) in values:
            return synonyms[answer]
        words = answer.split()
        matches = [v for v in values if all(w in fold(labels.get(v, v)) for w in words)]
        if not matches and len(answer) <= MAX_FUZZY:
            # One typo per word, as names tolerate ("presentiel", "a distnce").
            also = {v: [s for s, target in (synonyms or {}).items() if target == v] for v in values}
            matches = [
                v
                for v in values
                if close_words(words, fold(" ".join([labels.get(v, v), *also[v]])).split())
            ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return Invalid(texts.say("common.ambiguous", answer=self.incoming.text.strip()[:60]))
        return None

    def refuse_non_text(self) -> Retry | None:
        """The re-ask for a file, a photo or an old button where words were expected."""
        if self.incoming.choice is not None:
            return Retry(texts.say("common.stale_button"))
        if self.incoming.attachment is not None and not self.incoming.text.strip():
            return Retry(texts.say("common.file_instead_of_text"))
        return None
