"""The kinds of question a flow asks: free text, one choice, several, yes/no, a date, a menu.

One choice (:class:`Pick`) and several (:class:`PickMany`) live in :mod:`.pick` and
:mod:`.many`, imported from here like the others.  Each takes its own arguments plus the
hooks every step shares (:class:`bot.conversations.kit.flow.Step`): ``store``, ``when``,
``unless_known``, ``before``, ``values``, ``then`` and ``help``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Unpack

from bot import dates
from bot.answers import MAX_TEXT, SKIP, YES_NO, Invalid, clean_line, fold, has_words
from bot.conversations.kit.context import SIGNED
from bot.conversations.kit.flow import (
    Call,
    Leave,
    Next,
    Outcome,
    Predicate,
    Retry,
    Stay,
    Step,
)
from bot.conversations.kit.flow import Hooks as Hooks
from bot.conversations.kit.flow import Option as Option
from bot.conversations.kit.flow import OptionSource as OptionSource
from bot.conversations.kit.flow import options_of as options_of
from bot.conversations.kit.many import FINISHED_WORDS
from bot.conversations.kit.many import PickMany as PickMany
from bot.conversations.kit.pick import RECAP as RECAP
from bot.conversations.kit.pick import STOP_WORDS
from bot.conversations.kit.pick import Pick as Pick
from bot.conversations.kit.wrong_dates import clock_change_said, impossible_said
from bot.conversations.kit.wrong_dates import wrong_weekday_said as wrong_weekday_said
from bot.messages import Reply

TEXT_STOPS = STOP_WORDS - {"fin"}
"""Typed alone as an answer, a way out asked without the slash (« fin » may end a list)."""

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context


TextParser = Callable[["Context", str], Awaitable[Any | Invalid]]


def words(limit: int, invalid: str, *, letters: int = 0) -> TextParser:
    """A parser for one line of at most ``limit`` characters that says something.

    With ``letters`` it must hold that many letters (a name: a person's, a
    structure's), otherwise one letter or digit (a place, a password);
    ``invalid`` is the key of the re-ask for a line of symbols only.
    """

    async def parse(ctx: Context, text: str) -> str | Invalid:
        line = clean_line(text, limit=limit)
        if isinstance(line, Invalid):
            return line
        if not has_words(line, letters=letters):
            return Invalid(ctx.render(invalid))
        return line

    return parse


class Text(Step):
    """A free-text answer turned into a typed value by ``parse``."""

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        parse: TextParser,
        skip_label: str | None = None,
        multiline: bool = False,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.parse = parse
        self.skip_label = skip_label
        self.multiline = multiline

    async def question(self, ctx: Context) -> Reply:
        choices = (ctx.choice(self.skip_label, "skip"),) if self.skip_label else ()
        return Reply(text=await self.render(ctx, self.prompt), choices=choices)

    async def answer(self, ctx: Context) -> Outcome:
        skip = ctx.chosen(("skip",), labels={"skip": self.skip_label or ""})
        # The skip words exactly (not give or take a typo, as labels are: « Rian » is a name),
        # and no signed number (« -2 h » is no « 2 heures »: explorer GD7).
        signed = SIGNED.match(ctx.incoming.text.strip()) is not None
        if self.skip_label and not signed and (skip == "skip" or fold(ctx.incoming.text) in SKIP):
            ctx.data[self.store] = None
            return Next()
        refusal = ctx.refuse_non_text()
        if refusal:
            return refusal
        text = ctx.incoming.text
        if fold(text) in TEXT_STOPS:  # « annuler » is no reason, no name, no note: the way out
            return Retry(ctx.render("common.text_stop"))
        limit = MAX_TEXT * (3 if self.multiline else 1)
        if len(text) > limit:
            return Retry(ctx.render("common.message_too_long", length=len(text), limit=limit))
        value = await self.parse(ctx, text)
        if isinstance(value, Invalid):
            return Retry(value.message)
        ctx.data[self.store] = value
        return Next()


@dataclass(frozen=True)
class Entry:
    """One line of a :class:`Menu`: a label, and what choosing it does.

    ``call`` runs that flow as a sub-dialogue (with ``data(ctx)`` as its start; its value,
    if any, stored under ``store``) and comes back to the menu; ``then`` is any other
    answer; with neither, the entry ends the menu."""

    label: str
    value: str
    call: str | None = None
    data: Callable[[Context], dict[str, Any]] | None = None
    store: str | None = None
    then: Callable[[Context], Awaitable[Outcome]] | None = None
    when: Predicate | None = None
    words: tuple[str, ...] = ()  # typed for it (« oui » at « Invitez-vous … ? »)


class Menu(Step):
    """A choice of things to do, shown again after each one is done.

    The menu's text usually shows a state (a follow-up, a bilan's progress) through its
    ``values`` hook; each :class:`Entry` calls a sub-flow or answers directly, so coming
    "back" needs nothing written by hand."""

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        entries: Sequence[Entry],
        columns: int = 1,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.entries = tuple(entries)
        self.columns = columns
        # The picker only shows and reads the choice, never paged; the menu's hooks stay its own.
        self._picker = Pick(name, ask=ask, options=self._options, columns=columns, paged=False)
        self._picker.store, self._picker.values = self.store, self.values

    async def _options(self, ctx: Context) -> list[Option]:
        shown = [e for e in self.entries if e.when is None or e.when(ctx)]
        return [Option(e.label, e.value, e.words) for e in shown]

    async def question(self, ctx: Context) -> Reply:
        return await self._picker.question(ctx)

    async def answer(self, ctx: Context) -> Outcome:
        typed = fold(ctx.incoming.text) if ctx.incoming.choice is None else ""
        if typed in FINISHED_WORDS:
            # "Terminé" typed: the entry that ends the menu, whatever its label says.
            offered = [value for _, value in ctx.data.get("_options") or []]
            ending = [e for e in self.entries if fold(e.label) in FINISHED_WORDS]
            picked: str | None = next((e.value for e in ending if e.value in offered), None)
            if picked is None:
                return Leave()
        else:
            outcome = await self._picker.answer(ctx)
            if not isinstance(outcome, Next):
                return outcome
            picked = ctx.data.pop(self.store, None)
        entry = next((e for e in self.entries if e.value == picked), None)
        if entry is None:  # offered earlier, gone from the code since
            return Retry(ctx.render("common.pick_again"))
        if entry.call is not None:
            data = entry.data(ctx) if entry.data is not None else {}
            return Call(entry.call, data, store=entry.store)
        if entry.then is not None:
            return await entry.then(ctx)
        return Leave()

    async def take(self, ctx: Context) -> Outcome:
        # The menu's own entries say what comes next; ``then`` does not apply.
        return await self.answer(ctx)


EXPLICIT_HOUR = re.compile(r"\d\s*(?:h|:)|\bmidi\b|\bminuit\b", re.IGNORECASE)
"""An hour given as such (« 9h », « 14:30 », « midi »), not a part of the day."""


class Confirm(Step):
    """A yes/no question; ``yes``/``no`` decide where the dialogue goes."""

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        yes: Callable[[Context], Awaitable[Outcome]] | None = None,
        no: Callable[[Context], Awaitable[Outcome]] | None = None,
        yes_label: str = "Oui",
        no_label: str = "Non",
        other: Callable[[Context], Awaitable[Outcome | None]] | None = None,
        dates: bool = False,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.yes = yes
        self.no = no
        self.yes_label = yes_label
        self.no_label = no_label
        self.other = other
        """An answer that is neither, which the flow may take (« non en fait mercredi »)."""
        self.dates = dates
        """``other`` reads a day: « le premier » is the 1st, no « Oui » (explorer GA1); where
        it reads none, the choice word stays the choice (HA1: a chargée de mission's « le
        premier » was passed on as a message, her answer dropped)."""

    async def question(self, ctx: Context) -> Reply:
        return Reply(
            text=await self.render(ctx, self.prompt),
            choices=(ctx.choice(self.yes_label, "yes"), ctx.choice(self.no_label, "no")),
            columns=2,
        )

    async def answer(self, ctx: Context) -> Outcome:
        labels = {"yes": self.yes_label, "no": self.no_label}
        picked = ctx.chosen(["yes", "no"], labels=labels, synonyms=YES_NO, dates=self.dates)
        taken = await self.other(ctx) if picked is None and self.other is not None else None
        if taken is not None:
            return taken
        if picked is None:  # « non, il n'a pas prévenu »: its first word (explorer AW8)
            picked = ctx.chosen(["yes", "no"], labels=labels, synonyms=YES_NO, first=True)
        if picked is None:
            return Retry(ctx.render("common.yes_no_again", yes=self.yes_label, no=self.no_label))
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        if picked == "no" and _corrects(ctx, self.no_label):  # never a silent « Abandonner »
            return Retry(ctx.render("common.correct_by_back", no=self.no_label))
        ctx.data[self.store] = picked == "yes"
        handler = self.yes if picked == "yes" else self.no
        if handler is not None:
            return await handler(ctx)
        return Next()


def _corrects(ctx: Context, no_label: str) -> bool:
    """« corriger (les causes) » typed where « non » is « Abandonner » (explorer HB13: the
    compte rendu's four answers thrown away without a question)."""
    typed = fold(ctx.incoming.text)
    return (
        ctx.incoming.choice is None and typed.startswith("corrig") and "abandon" in fold(no_label)
    )


async def past_example(ctx: Context) -> str:
    """For a day that has happened: the last working day before today, « hier » when it is one
    (« demain », or a fixed date, would be refused some days)."""
    day = ctx.now.astimezone(ctx.tz).date() - timedelta(days=1)
    while not dates.is_working_day(day):
        day -= timedelta(days=1)
    yesterday = ctx.now.astimezone(ctx.tz).date() - timedelta(days=1)
    return "hier" if day == yesterday else dates.spell_example(day)


async def future_example(ctx: Context) -> str:
    """For a moment to come, with its hour: the next working day after today, at 14 h."""
    day = ctx.now.astimezone(ctx.tz).date() + timedelta(days=1)
    while not dates.is_working_day(day):
        day += timedelta(days=1)
    return dates.spell_example(day, hour=14)


def besides_key(step: str) -> str:
    """Where a :class:`DateStep` keeps the words shown after the date it confirms (a prefill
    from a sentence sets them too: « /absence Benali hier matin »)."""
    return f"_besides_{step}"


class DateStep(Step):
    """A date (and time) in free French, shown back in full and confirmed.

    Two questions in one step: the date, then "J'ai compris : jeudi 26
    novembre 2026 à 14 h 00. C'est bien ça ?".  Nothing is stored until the
    user confirms, so a misunderstanding is never silently kept.

    A day understood is kept until the answer names another: "mardi 16",
    then "14h" to "J'ai bien le 16 décembre, mais à quelle heure ?", is the
    16th at 14 h (not today); "15h" typed instead of confirming changes the
    hour of the day shown.
    """

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        prefer: Literal["future", "past"],
        need_time: bool | Literal["kept"] = False,
        check: Callable[[Context, datetime], Awaitable[str | None]] | None = None,
        example: str | Callable[[Context], Awaitable[str]],
        besides: Callable[[Context, str], tuple[str, str | None]] | None = None,
        other: Callable[[Context], Awaitable[Outcome | None]] | None = None,
        warnings: Callable[[Context, datetime], Awaitable[list[str]]] | None = None,
        said: str | None = None,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.said = said
        """A data key holding a day (ISO) the person already confirmed in other words (a
        sentence's « Noter l'absence …, hier matin (jeudi 3 décembre 2026) ? »): the same day
        pending here is taken without « C'est bien ça ? » (explorer O O17), unless the step's
        check refuses it, which the confirmation then says."""
        if said is not None and self.before is None:
            self.before = self._take_said
        self.prompt = ask
        self.prefer = prefer
        self.need_time = need_time
        """``"kept"``: an hour typed with the day is kept, not asked (``_timed_<store>``)."""
        self.check = check
        self.warnings = warnings
        """What the confirmation adds under « J'ai compris : … » (a day off, an hour of the
        night, a deadline passed): a slip more often than a plan, said before « Oui »."""
        self.example = example
        self.other = other
        """An answer that is no one date but that the flow takes otherwise (an absence's
        several days, « du 1er au 3 décembre »): its outcome, or ``None`` to say "unclear"."""
        self.besides = besides
        """Reads what an answer says besides its date (the absence's half-day in « hier
        matin »), keeps it for the ``then`` hook, and gives the rest of the text to the date
        reader and the words shown after the date in the confirmation (« , le matin »)."""

    async def example_of(self, ctx: Context) -> str:
        """The example shown (``example`` in the question too): computed from the clock and
        the step's bounds when it is a function, so that typing it back is accepted."""
        return self.example if isinstance(self.example, str) else await self.example(ctx)

    def _pending_key(self) -> str:
        return f"_pending_{self.name}"

    def _day_key(self) -> str:
        return f"_day_{self.name}"

    def _hour_key(self) -> str:
        """An hour typed where only the day is kept (a contact « aujourd'hui à 11 h »):
        said in the confirmation, not dropped unsaid (explorer O O19)."""
        return f"_hour_{self.name}"

    def _besides_key(self) -> str:
        return besides_key(self.name)

    def _typed_key(self) -> str:
        return f"_typed_{self.name}"  # the hour said, when a change of time moves it (IB1)

    def _date_text(self, ctx: Context) -> str:
        """What was typed, less what :attr:`besides` read (its words kept for the confirmation)."""
        if self.besides is None:
            return ctx.incoming.text
        text, words = self.besides(ctx, ctx.incoming.text)
        if words:
            ctx.data[self._besides_key()] = words
        else:
            ctx.data.pop(self._besides_key(), None)
        return text

    def _understand(self, ctx: Context, day: str | None) -> dates.Understood | None:
        """The answer read as a date; an hour alone falls on ``day`` when one is known."""
        understood = dates.understand(self._date_text(ctx), ctx.now, self.prefer)
        if understood is None or understood.has_date or not day:
            return understood
        known, typed = date.fromisoformat(day[:10]), understood.typed
        return dates.Understood(  # placed on that day as on any (its change of time: IB1)
            when=dates.at_wall(known, typed or understood.when.time(), understood.when.tzinfo),
            has_time=understood.has_time,
            typed=typed,
        )

    async def question(self, ctx: Context) -> Reply:
        pending = ctx.data.get(self._pending_key())
        if pending:
            moment = datetime.fromisoformat(pending)
            hour = ctx.data.get(self._hour_key())
            timed = self.need_time is True or bool(hour and self.need_time)
            shown = dates.spell_datetime(moment) if timed else dates.spell_date(moment)
            besides = ctx.data.get(self._besides_key())
            if besides:
                shown = f"{shown}, {besides}"
            dropped = None if self.need_time else hour
            said = [ctx.render("common.date_understood", shown=shown, dropped=dropped)]
            said += clock_change_said(ctx, moment, timed and ctx.data.get(self._typed_key()))
            if self.warnings is not None:
                said += await self.warnings(ctx, moment)
            return Reply(
                text="\n\n".join(said),
                choices=(ctx.choice("Oui, c'est ça", "yes"), ctx.choice("Non, corriger", "no")),
                columns=2,
            )
        return Reply(text=await self.render(ctx, self.prompt, example=await self.example_of(ctx)))

    def _confirmed(self, ctx: Context) -> None:
        """The pending date is the answer."""
        ctx.data[self.store] = ctx.data.pop(self._pending_key())
        if self.need_time == "kept":
            ctx.data[f"_timed_{self.store}"] = bool(ctx.data.get(self._hour_key()))
        for done in (self._day_key(), self._besides_key(), self._hour_key(), self._typed_key()):
            ctx.data.pop(done, None)

    async def _take_said(self, ctx: Context) -> Outcome | None:
        said, pending = ctx.data.pop(str(self.said), None), ctx.data.get(self._pending_key())
        if not said or not pending or str(pending)[:10] != said:
            return None
        if await self._problem(ctx, datetime.fromisoformat(str(pending))):
            return None  # asked as usual: « Oui » then says why
        self._confirmed(ctx)
        return await self.then(ctx, ctx.data[self.store]) if self.then else Next()

    async def answer(self, ctx: Context) -> Outcome:
        key = self._pending_key()
        if ctx.data.get(key):
            labels = {"yes": "Oui, c'est ça", "no": "Non, corriger"}
            picked = ctx.chosen(["yes", "no"], labels=labels, synonyms=YES_NO, dates=True)
            if picked == "yes":
                # A date read from a sentence is held to the step's rule as a typed one is.
                problem = await self._problem(ctx, datetime.fromisoformat(ctx.data[key]))
                if problem:
                    ctx.data.pop(key)
                    ctx.data.pop(self._besides_key(), None)
                    return Retry(problem)
                self._confirmed(ctx)
                return Next()
            if picked == "no":
                ctx.data.pop(key)
                for done in (self._day_key(), self._besides_key(), self._hour_key()):
                    ctx.data.pop(done, None)
                return Retry(ctx.render("common.date_correct"))
            # Typed another date instead of yes/no: understand it as the correction;
            # anything else keeps the pending date and asks again.
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            if ctx.incoming.choice is not None or not ctx.incoming.text.strip():
                return Retry(ctx.render("common.yes_no_or_new_date", yes="Oui", no="Non"))
            unread = dict(ctx.data)
            again = dates.understand(self._date_text(ctx), ctx.now, self.prefer)
            if again is None:
                ctx.data = unread  # « bof » keeps the half-day read with the date (AC10)
                said = impossible_said(
                    ctx, ctx.incoming.text, await self.example_of(ctx), self.prefer
                )
                if said is not None:  # a new date, wrong: say why rather than "oui ou non"
                    return Retry(said)
                return Retry(ctx.render("common.yes_no_or_new_date", yes="Oui", no="Non"))
            ctx.data[self._day_key()] = ctx.data.pop(key)
        refusal = ctx.refuse_non_text()
        if refusal:
            return refusal
        understood = self._understand(ctx, ctx.data.get(self._day_key()))
        if understood is None and self.other is not None:
            taken = await self.other(ctx)
            if taken is not None:
                return taken
        if understood is None:
            example = await self.example_of(ctx)
            impossible = impossible_said(ctx, ctx.incoming.text, example, self.prefer)
            if impossible is not None:
                return Retry(impossible)
            mismatch = wrong_weekday_said(ctx, self._date_text(ctx), self.prefer)
            if mismatch is not None:
                return Retry(mismatch)
            stop = fold(ctx.incoming.text) in TEXT_STOPS
            return Retry(ctx.render("common.date_unclear", example=example, stop=stop))
        ctx.data[self._day_key()] = understood.when.date().isoformat()
        if self.need_time is True and not understood.has_time:
            return Retry(
                ctx.render("common.date_needs_time", day=dates.spell_date(understood.when))
            )
        problem = await self._problem(ctx, understood.when)
        if problem:
            return Retry(problem)
        ctx.data[key] = understood.when.isoformat()
        ctx.data[self._typed_key()] = understood.typed.isoformat() if understood.typed else None
        # « ce matin » is 9 h for the reader, but no hour the person gave: not kept as one.
        typed = self.need_time is False or EXPLICIT_HOUR.search(ctx.incoming.text) is not None
        if understood.has_time and self.need_time is not True and typed:
            ctx.data[self._hour_key()] = understood.when.strftime("%H:%M")
        else:
            ctx.data.pop(self._hour_key(), None)
        return Stay()

    async def _problem(self, ctx: Context, when: datetime) -> str | None:
        return await self.check(ctx, when) if self.check is not None else None
