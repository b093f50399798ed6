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

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.answers import Invalid, fold, picture_word, visible
from bot.config import Settings
from bot.conversations.kit.aside import PRESSED, typed_again
from bot.conversations.kit.flow import Retry
from bot.conversations.kit.matching import matching
from bot.dates.words import NUMBER_WORDS, a_day_of_the_month
from bot.messages import STALE, Choice, Incoming, Reply, numbers
from bot.storage.held import Held
from bot.storage.progress import LongWork

if TYPE_CHECKING:
    from bot.manifest import Features
    from bot.storage.people import Role


MAX_NUMBER_DIGITS = 6
"""A longer number is no choice's (and ``int`` refuses thousands of digits)."""
SIGNED = re.compile(r"[-+−–]\s*\d+")
"""A number with a sign typed where choices are numbered: not one of them."""

ZONE = "_zone"
"""The time zone a dialogue reads and writes hours in, when it is not its person's
(:meth:`Context.take_zone`); the engine builds the next turns' clock in it."""


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


def turn_zone(data: Mapping[str, Any], actor: Actor | None, default: str) -> str:
    """The time zone a turn's clock is in: the dialogue's own (:meth:`Context.take_zone`),
    else its person's organisation's."""
    return str(data.get(ZONE) or (actor.timezone if actor else default))


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
    stale_press: bool = False
    """A button of this turn was refused as no longer current: said with :data:`STALE`."""
    in_dialogue: bool = False
    """The text is read for another dialogue while one is under way, whose question it did
    not answer: a reader starts its own only when the text is surely for it."""
    handled: datetime | None = None
    """When the turn is handled; :attr:`now` is when the message was sent, if it waited."""

    @property
    def later_of_now(self) -> datetime:
        """The later of :attr:`now` and :attr:`handled`: what is kept « jusqu'au … » counts
        from it, never from a moment the bot was down (explorer AR1)."""
        return max(self.now, self.handled) if self.handled is not None else self.now

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
        """Send what the session holds (a flush), before the engine commits the turn; a
        refused button is said on the turn's first reply (:data:`STALE`)."""
        if self.opened is not None:
            await self.opened.flush()
            await self.opened.close()
        if self.stale_press and self.replies:
            first = self.replies[0]
            self.replies[0] = replace(first, extras={**first.extras, STALE: "1"})

    def refuse_stale(self, key: str) -> None:
        """Say ``key`` for a button no longer current."""
        self.stale_press = True
        self.say(key)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(turn_zone(self.data, self.actor, self.settings.default_timezone))

    def take_zone(self, zone: ZoneInfo) -> None:
        """Read and write hours in ``zone`` for the rest of the dialogue: someone outside
        the organisation (a chargée de mission) answering about its bilan types hours in
        the time of the invitation she read, which is the organisation's (explorer AC2:
        her « 10h30 » was read in Paris time and told the trainer in Martinique « 5 h 30 »)."""
        self.data[ZONE] = zone.key
        self.now = self.now.astimezone(zone)

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
        context: dict[str, Any] = {
            "d": self.data,
            "actor": self.actor,
            "now": self.now,
            "platform": self.incoming.platform.value,  # a Matrix user gets no link (DC5)
        }
        return texts.say(key, **(context | extra))

    def label(self, key: str, **extra: Any) -> str:
        """A choice's label from the templates: plain text, as buttons and lists show it
        (explorer J: rendered as markup, « Seán O'Brien » read « Seán O&#39;Brien »)."""
        return texts.plain(self.render(key, **extra)).strip()

    def say(self, key: str, **extra: Any) -> None:
        """Add a message, unless the turn's last one says exactly that already (a step and
        the menu it returns to both finding the formation gone said it twice: explorer H)."""
        text = self.render(key, **extra)
        last = self.replies[-1] if self.replies else None
        if last is not None and last.text == text and not (last.choices or last.document):
            return
        self.replies.append(Reply(text=text))

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

    def repeats_taken_press(self, *, answering: bool) -> bool:
        """This press is the button taken at the turn before, again, on a question since
        answered: a double tap (or a slow network's retry), whose second press says nothing (explorer AC1: it
        was told « Ce bouton vient d'un message plus ancien » and got the next question
        twice; after a sworn attestation, « la conversation correspondante est terminée »).
        ``answering``: a dialogue is under way, whose question still asked takes the same
        button twice on purpose (a tick, then untick)."""
        last, pressed, text = self.data.pop(PRESSED, None), self.incoming.choice, self.incoming.text
        if pressed is None and (
            (not answering and typed_again(last, text))
            or (answering and self._repeats_return(last, text))
        ):
            # The text that ended the conversation, sent twice: said taken once (GD6).
            self.say("common.typed_twice", typed=visible(self.incoming.text)[:60])
            return True
        if pressed is None or pressed != last:
            return False  # anything in between (« /annuler », then the old button) is not one
        if answering and pressed.partition("|")[0] == str(self.question_id):
            return False  # the question still asked: a tick taken back, a second press
        self.data[PRESSED] = last
        return True

    def _repeats_return(self, last: object, text: str) -> bool:
        """The text that ended a called dialogue, again at its caller's menu, which offers no
        choice of that name nor number (explorer EC11: « Oui, l'annuler » sent twice was told
        « Pour tout arrêter, tapez /annuler … »; « 2 » there is the menu's second choice)."""
        return (
            typed_again(last, text, returned=True)
            and not self.offers(fold(text))
            and _number(text) is None
        )

    def choice(self, label: str, value: str, *, numbered: bool = True, detail: str = "") -> Choice:
        """A button stamped with the current question, so stale ones are recognised."""
        return Choice(
            label=label, data=f"{self.question_id}|{value}", numbered=numbered, detail=detail
        )

    def shown(self, question: Reply) -> Reply:
        """Keep the numbers ``question`` shows, for the answer to read (:meth:`press_number`)."""
        self.data["_numbers"] = numbers(question.choices)
        return question

    def press_number(self) -> None:
        """A number alone, typed where that number was shown, is that choice pressed.

        So a step reads it as the button, before any free-text reading of its
        own (a duration, a list of trainees' numbers, a date) could take "1"
        for something else.  A step whose typed numbers are an answer in
        itself shows its choices unnumbered (:attr:`Choice.numbered`) or reads
        numbers itself (:attr:`~bot.conversations.kit.flow.Step.reads_numbers`).
        """
        if self.incoming.choice is not None or self.incoming.attachment is not None:
            return
        pressed = self._numbers().get(_number(self.incoming.text) or "")
        if pressed is not None:
            self.incoming = replace(self.incoming, choice=pressed)

    def _numbers(self) -> dict[str, str]:
        return dict(self.data.get("_numbers") or {})

    def offers(self, typed: str) -> bool:
        """The current question offers a choice of that very name (then it is that choice)."""
        return any(fold(label) == typed for label, _ in self.data.get("_options") or [])

    def chosen(
        self,
        values: list[str] | tuple[str, ...],
        *,
        labels: dict[str, str],
        synonyms: dict[str, str] | None = None,
        first: bool = False,
        dates: bool = False,
        exact: bool = False,
    ) -> str | Invalid | None:
        """Which of ``values`` the user picked: by button, number, label or synonym; with
        ``first``, a sentence whose first word is no (« non, il n'a pas prévenu »); with
        ``dates``, a day of the month is left to the caller's reading of a date; with
        ``exact``, no part of a label is read as the label (:func:`matching`).

        A number is read as shown with the question (:meth:`shown`), never
        as a rank in ``values``.  ``None`` means the answer names no option
        (the caller re-asks); :class:`Invalid` carries the reason for a
        stale, forged or ambiguous answer, or a number not shown.
        """
        if self.incoming.choice is not None:
            stamp, _, value = self.incoming.choice.partition("|")
            if stamp != str(self.question_id):
                self.stale_press = True
                return Invalid(texts.say("common.stale_button"))
            if value not in values:
                return Invalid(texts.say("common.forged_choice"))
            self.data[PRESSED] = self.incoming.choice
            return value
        answer = fold(self.incoming.text) or picture_word(self.incoming.text)
        if not answer:
            return self.file_at_choice()
        if answer.isdecimal():
            if SIGNED.fullmatch(self.incoming.text.strip()):  # « -1 » is no choice 1 (explorer E)
                return Invalid(texts.say("common.signed_number", number=self.incoming.text[:12]))
            return self._by_number(answer, values)
        said = choice_word(answer, dates=dates)
        if said is not None and answer not in (fold(label) for label in labels.values()):
            # « un », « deux », « le premier » for the numbers shown (explorer EF1: « un » was
            # « Ni l'un ni l'autre », the gender stored neutral without a word).
            return self._by_number(str(said), values)
        matches = matching(answer, values, labels=labels, synonyms=synonyms, exact=exact)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return Invalid(texts.say("common.ambiguous", answer=self.incoming.text.strip()[:60]))
        head = answer.split()[0]
        if first and head != answer and (synonyms or {}).get(head) == "no" and "no" in values:
            # « non, il n'a pas prévenu » (explorer AW8); never a yes so read: « oui mais
            # garde ses absences » at /effacer's confirmation erased (explorer AY8).
            return "no"
        return None

    def _by_number(self, answer: str, values: list[str] | tuple[str, ...]) -> str | Invalid | None:
        """The value shown with that number; ``None`` where no number was shown at all."""
        if "_numbers" in self.data:
            shown = {n: data.partition("|")[2] for n, data in self._numbers().items()}
        else:  # a question asked before numbers were kept with it: they were the ranks
            shown = {str(n): v for n, v in enumerate(values, start=1)}
        if not shown:
            return None
        value = shown.get(_number(answer) or "")
        if value is not None and value in values:
            return value
        return Invalid(
            texts.say("common.no_such_number", number=answer[:12], count=max(map(int, shown)))
        )

    def file_at_choice(self) -> Invalid | None:
        """A file or a photo alone where a choice is asked (a signed sheet at a menu): said as
        such, not « choix pas reconnu » (explorer AC9); ``None`` for no file."""
        if self.incoming.attachment is None or self.incoming.text.strip():
            return None
        return Invalid(self.render("common.file_instead_of_choice"))

    def refuse_non_text(self) -> Retry | None:
        """The re-ask for a file, a photo or an old button where words were expected."""
        if self.incoming.choice is not None:
            self.stale_press = True
            return Retry(texts.say("common.stale_button"))
        if self.incoming.attachment is not None:
            # Its caption is no answer either (explorer EC7: « Mon constat en PJ » became a
            # compte rendu's constat, the PDF dropped unsaid).
            words = bool(self.incoming.text.strip())
            return Retry(self.render("common.file_instead_of_text", with_words=words))
        return None


def typed_number(text: str) -> int | None:
    """ "3", " 3. ", "03" → 3; ``None`` for anything but one short number (« -1 » too)."""
    answer = fold(text)
    if not answer.isdecimal() or len(answer) > MAX_NUMBER_DIGITS or SIGNED.fullmatch(text.strip()):
        return None
    return int(answer)


_CHOICE_WORDS = {
    **{word: n for word, n in NUMBER_WORDS.items() if 1 <= n <= 10},
    "premiere": 1,
    **dict.fromkeys(("deuxieme", "second", "seconde"), 2),
    **{f"{w}ieme": n for n, w in enumerate(("trois", "quatr", "cinqu", "six", "sept"), 3)},
    **{"huitieme": 8, "neuvieme": 9, "dixieme": 10},
}
_CHOICE_LEAD = re.compile(r"^(?:(?:le|la|l|choix|reponse|numero|n|no)\s+)+")


def choice_word(answer: str, *, dates: bool = False) -> int | None:
    """« un », « deux », « le premier », « choix trois » (folded): the number of a choice
    written as a word, as phones and people do; ``None`` otherwise, and for a day of the
    month where the question also reads ``dates``."""
    if dates and a_day_of_the_month(answer):
        return None
    return _CHOICE_WORDS.get(_CHOICE_LEAD.sub("", answer.replace("'", " ")).strip())


def _number(text: str) -> str | None:
    number = typed_number(text)
    return None if number is None else str(number)
