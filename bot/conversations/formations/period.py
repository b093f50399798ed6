"""A formation's start and end dates, asked in one answer and confirmed.

    Bot  Quelles sont les dates de la formation ?
    Vous du 2 mars au 15 juin 2027
    Bot  J'ai compris : du mardi 2 mars 2027 au mardi 15 juin 2027. C'est bien ça ?
         [Oui, c'est ça] [Non, corriger]
    Vous oui

Like the kit's ``DateStep``, two questions in one step, and nothing is
stored until the person confirms; unlike it, the answer is a period: the
start goes to ``ctx.data["start"]``, the end to ``ctx.data["end"]`` (ISO
dates), which the recap and the sessions read.
"""

from __future__ import annotations

from datetime import date
from typing import Unpack

from bot.answers import YES_NO, Invalid
from bot.conversations.formations.answers import understand_dates
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome, Retry, Step
from bot.conversations.kit.steps import Hooks
from bot.messages import Reply

YES, NO = "Oui, c'est ça", "Non, corriger"


class PeriodStep(Step):
    """Start and end dates in one answer, shown back in full and confirmed."""

    def __init__(self, name: str, *, ask: str, **hooks: Unpack[Hooks]) -> None:
        hooks.setdefault("help", "formation.help_dates")
        super().__init__(name, **hooks)
        self.prompt = ask

    def _pending_key(self) -> str:
        return f"_pending_{self.name}"

    async def question(self, ctx: Context) -> Reply:
        pending = ctx.data.get(self._pending_key())
        if pending:
            start, end = (date.fromisoformat(x) for x in pending)
            return Reply(
                text=await self.render(ctx, "formation.period_understood", start=start, end=end),
                choices=(ctx.choice(YES, "yes"), ctx.choice(NO, "no")),
                columns=2,
            )
        return Reply(text=await self.render(ctx, self.prompt))

    async def answer(self, ctx: Context) -> Outcome:
        key = self._pending_key()
        if ctx.data.get(key):
            picked = ctx.chosen(["yes", "no"], labels={"yes": YES, "no": NO}, synonyms=YES_NO)
            if picked == "yes":
                ctx.data["start"], ctx.data["end"] = ctx.data.pop(key)
                return Next()
            if picked == "no":
                ctx.data.pop(key)
                return Retry(ctx.render("formation.period_again"))
            # Anything else: new dates replace the pending ones; otherwise ask again.
            period = None if ctx.incoming.choice else understand_dates(ctx.incoming.text, ctx.now)
            if period is None or isinstance(period, Invalid):
                if isinstance(picked, Invalid):
                    return Retry(picked.message)
                return Retry(ctx.render("common.yes_no_or_new_date", yes="Oui", no="Non"))
        else:
            refusal = ctx.refuse_non_text()
            if refusal:
                return refusal
            period = understand_dates(ctx.incoming.text, ctx.now)
            if isinstance(period, Invalid):
                return Retry(period.message)
        ctx.data[key] = [period[0].isoformat(), period[1].isoformat()]
        # Asked anew (not Stay): buttons under an earlier "c'est bien ça ?" go stale.
        return Next(self.name)
