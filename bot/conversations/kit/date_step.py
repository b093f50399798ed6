"""The date question: a day, a day and an hour, read in French, confirmed once.

Kept apart from :mod:`.steps` (which imports it, so ``from …steps import DateStep`` still
works) because the other kinds of question and this one together passed 500 lines.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal, Unpack

from bot import dates
from bot.answers import YES_NO, Invalid, fold
from bot.conversations.kit.flow import (
    Hooks,
    Next,
    Outcome,
    Retry,
    Stay,
    Step,
)
from bot.conversations.kit.hour_of_part import (
    EXPLICIT_HOUR as EXPLICIT_HOUR,
)
from bot.conversations.kit.hour_of_part import (
    hour_in_part,
    hour_kept_question,
    keep_day_said,
    kept_keys,
)
from bot.conversations.kit.pick import TEXT_STOPS, unreadable
from bot.conversations.kit.wrong_dates import (
    clock_change_said,
    impossible_said,
    wrong_weekday_said,
)
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context


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


SAID_SENTENCE = "_said_sentence"
"""The sentence that opened a dialogue and names a day (« on décale le bilan à vendredi »), kept
for the date step further on to read with what the dialogue knows then (the bilan's hour:
explorer KF6, the day was asked again after « Quel bilan ? » and its menu)."""


def names_a_day(text: str, now: datetime) -> bool:
    """Whether ``text`` names a day to come (« vendredi »), an hour with it or not."""
    understood = dates.understand(text, now, "future")
    return understood is not None and understood.has_date


def said_ahead(step: str, text: str, now: datetime) -> dict[str, str | None]:
    """The data that makes a :class:`DateStep` named ``step`` open on « J'ai compris : … C'est
    bien ça ? » for the moment ``text`` names with its day and hour (a sentence that opened the
    dialogue: « bilan jeudi 14h », explorer KF5), held to the step's checks at « Oui » as a
    typed one is; for a day said with no hour (« bilan demain aprem »: KF5b), its day and part
    of the day kept and the hour alone asked (:mod:`.hour_of_part`); empty when it names no
    day."""
    understood = dates.understand(text, now, "future")
    if understood is None or not understood.has_date:
        return {}
    if not EXPLICIT_HOUR.search(text):
        return keep_day_said(step, text, understood.when.date())
    typed = understood.typed.isoformat() if understood.typed else None
    return {f"_pending_{step}": understood.when.isoformat(), f"_typed_{step}": typed}


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
        subject: Callable[[Context], str | None] | None = None,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.subject = subject
        """Whom the date is about, said before it in the confirmation when the dialogue has
        not said it yet (« J'ai compris : Karim Benali, lundi … »), or ``None``."""
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
        return f"_pending_{self.name}"  # as :func:`said_ahead` sets it

    def confirming(self, ctx: Context) -> bool:
        """A date read waits for « C'est bien ça ? »: its buttons are the question's."""
        return bool(ctx.data.get(self._pending_key()))

    def _day_key(self) -> str:
        return f"_day_{self.name}"

    def _hour_key(self) -> str:
        """An hour typed where only the day is kept (a contact « aujourd'hui à 11 h »):
        said in the confirmation, not dropped unsaid (explorer O O19)."""
        return f"_hour_{self.name}"

    def _besides_key(self) -> str:
        return besides_key(self.name)

    def _typed_key(self) -> str:
        return f"_typed_{self.name}"  # the hour said (:func:`said_ahead` too), when a change of time moves it (IB1)

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
            has_date=False,  # its day the one kept (:mod:`.hour_of_part` tells them apart)
            typed=typed,
        )

    async def question(self, ctx: Context) -> Reply:
        kept = hour_kept_question(ctx, self.name)
        if kept is not None:
            return Reply(text=kept)
        pending = ctx.data.get(self._pending_key())
        if pending:
            moment = datetime.fromisoformat(pending)
            hour = ctx.data.get(self._hour_key())
            timed = self.need_time is True or bool(hour and self.need_time)
            shown = dates.spell_datetime(moment) if timed else dates.spell_date(moment)
            besides = ctx.data.get(self._besides_key())
            if besides:
                shown = f"{shown}, {besides}"
            who = self.subject(ctx) if self.subject is not None else None
            shown = f"{who}, {shown}" if who else shown
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
        done = (self._day_key(), self._besides_key(), self._hour_key(), self._typed_key())
        for key in (*done, *kept_keys(self.name)):
            ctx.data.pop(key, None)

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
                for done in kept_keys(self.name):
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
        refusal = ctx.refuse_non_text() or unreadable(ctx, empty="common.empty_answer")
        if refusal:
            return refusal
        understood = self._understand(ctx, ctx.data.get(self._day_key()))
        held = hour_in_part(ctx, self.name, understood)
        if isinstance(held, Retry):
            return held
        understood = held
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
