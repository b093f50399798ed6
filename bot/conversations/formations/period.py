"""A formation's dates (or one day of a trainee's path), asked in one answer and confirmed.

    Bot  Quelles sont les dates de la formation ?
    Vous du 5 octobre au 27 novembre
    Bot  J'ai compris : du lundi 5 octobre 2026 au vendredi 27 novembre 2026. C'est bien ça ?
         [Oui, c'est ça] [Non, corriger]
    Vous oui

Like the kit's ``DateStep``, two questions in one step, and nothing is
stored until the person confirms; unlike it, a date typed without a year is
read in the formation's context (:mod:`.years`), and the answer is a period:
the start goes to ``ctx.data["start"]``, the end to ``ctx.data["end"]`` (ISO
dates), which the recap and the sessions read.  A formation starting or
ending on a Saturday or a Sunday is pointed out in that one confirmation.

With ``one_end=True`` (new dates for a formation) one end alone, "jusqu'au
18 décembre", changes that end and keeps the other, read from
``ctx.data["_current"]`` (the formation's dates, ISO) that the flow's start
put there.  Its own dates typed again are said to be its dates, as moving a
bilan to its own date is (``common.already_planned``), and asked anew; as the kit's
``DateStep``, ``warnings`` adds what the confirmation says under « C'est bien ça ? »
(the bilans new dates would leave outside the formation).

With ``single=True`` it asks one day of a trainee's path (entry, exit, end
of an extension), read within ``ctx.data["_bounds"]`` and stored under the
step's ``store``; ``check`` turns a day that does not fit into a re-ask.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from typing import Unpack

from bot import dates
from bot.answers import YES_NO, Invalid, clean_line, correction
from bot.conversations.formations.answers import trainee_bounds, understand_dates
from bot.conversations.formations.years import day_in_context
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome, Retry, Step
from bot.conversations.kit.steps import Hooks
from bot.messages import Reply

YES, NO = "Oui, c'est ça", "Non, corriger"

DayCheck = Callable[[Context, date], Awaitable[str | None]]
"""A day's problem as the French re-ask, or ``None`` when it fits."""
PeriodWarnings = Callable[[Context, date, date], Awaitable[list[str]]]
"""What a period would leave behind, said before « Oui » (French messages)."""


def _unclear(ctx: Context) -> tuple[str, ...]:
    """What is said of no dates at all: at « C'est bien ça ? » it is the yes/no question's."""
    return (ctx.render("formation.period_unclear"), ctx.render("formation.day_unclear"))


class PeriodStep(Step):
    """Start and end dates in one answer (or one day), shown back in full and confirmed."""

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        single: bool = False,
        one_end: bool = False,
        check: DayCheck | None = None,
        warnings: PeriodWarnings | None = None,
        **hooks: Unpack[Hooks],
    ) -> None:
        hooks.setdefault("help", "formation.help_day" if single else "formation.help_dates")
        super().__init__(name, **hooks)
        self.prompt = ask
        self.single = single
        self.one_end = one_end
        self.check = check
        self.warnings = warnings

    def _pending_key(self) -> str:
        return f"_pending_{self.name}"

    async def _understand(self, ctx: Context, text: str) -> tuple[date, date] | Invalid:
        if not self.single:
            kept = ctx.data.get("_current") if self.one_end else None
            current = (date.fromisoformat(kept[0]), date.fromisoformat(kept[1])) if kept else None
            return understand_dates(text, ctx.now, current=current)
        line = clean_line(text, limit=100)
        if isinstance(line, Invalid):
            return line
        day = day_in_context(line, ctx.now, trainee_bounds(ctx))
        if day is None:
            miss = dates.weekday_year(line, ctx.now, trainee_bounds(ctx))
            if isinstance(miss, dates.WeekdayMiss):  # explorer AB1
                return Invalid(ctx.render("formation.day_wrong_weekday", **miss.said()))
            impossible = dates.impossible_day(line)
            if impossible is not None:
                return Invalid(ctx.render("formation.day_impossible", day=impossible))
            if (year := dates.wrong_year(line)) is not None:  # explorer GD8
                said = ctx.render("common.date_wrong_year", year=year, example="le 18 décembre")
                return Invalid(said)
            return Invalid(ctx.render("formation.day_unclear"))
        problem = await self.check(ctx, day) if self.check else None
        return Invalid(problem) if problem else (day, day)

    async def question(self, ctx: Context) -> Reply:
        pending = ctx.data.get(self._pending_key())
        if pending:
            start, end = (date.fromisoformat(x) for x in pending)
            key = "formation.day_understood" if self.single else "formation.period_understood"
            said = [await self.render(ctx, key, start=start, end=end)]
            if self.warnings is not None:
                said += await self.warnings(ctx, start, end)
            return Reply(
                text="\n\n".join(said),
                choices=(ctx.choice(YES, "yes"), ctx.choice(NO, "no")),
                columns=2,
            )
        return Reply(text=await self.render(ctx, self.prompt))

    def _keep(self, ctx: Context, pending: list[str]) -> None:
        if self.single:
            ctx.data[self.store] = pending[0]
        else:
            ctx.data["start"], ctx.data["end"] = pending

    async def answer(self, ctx: Context) -> Outcome:
        key = self._pending_key()
        if ctx.data.get(key):
            corrected = correction(ctx.incoming.text) if ctx.incoming.choice is None else None
            if corrected is not None and isinstance(await self._understand(ctx, corrected), tuple):
                ctx.incoming = replace(ctx.incoming, text=corrected)  # « non, du … au … »
            picked = ctx.chosen(["yes", "no"], labels={"yes": YES, "no": NO}, synonyms=YES_NO)
            if picked == "yes":
                self._keep(ctx, ctx.data.pop(key))
                return Next()
            if picked == "no":
                ctx.data.pop(key)
                return Retry(
                    ctx.render("formation.day_again" if self.single else "formation.period_again")
                )
            # Anything else: new dates replace the pending ones; otherwise ask again.
            period = None if ctx.incoming.choice else await self._understand(ctx, ctx.incoming.text)
            if period is None or isinstance(period, Invalid):
                if isinstance(picked, Invalid):
                    return Retry(picked.message)
                if isinstance(period, Invalid) and period.message not in _unclear(ctx):
                    # Dates, but wrong ones (« le 31 février n'existe pas », a start in 1990,
                    # explorer AD3): why, as at the question itself.
                    return Retry(period.message)
                return Retry(
                    ctx.render(
                        "common.yes_no_or_new_date", yes="Oui", no="Non", several=not self.single
                    )
                )
        else:
            refusal = ctx.refuse_non_text()
            if refusal:
                return refusal
            period = await self._understand(ctx, ctx.incoming.text)
            if isinstance(period, Invalid):
                return Retry(period.message)
        typed = [period[0].isoformat(), period[1].isoformat()]
        if self.one_end and typed == ctx.data.get("_current"):
            ctx.data.pop(key, None)  # not « C'est bien ça ? » about dates typed before
            return Retry(ctx.render("common.already_planned", period=True))
        ctx.data[key] = typed
        # Asked anew (not Stay): buttons under an earlier "c'est bien ça ?" go stale.
        return Next(self.name)
