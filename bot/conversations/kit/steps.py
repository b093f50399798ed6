"""The kinds of question a flow asks: free text, one choice, several, yes/no, a date, a menu.

One choice (:class:`Pick`) and several (:class:`PickMany`) live in :mod:`.pick` and
:mod:`.many`, imported from here like the others.  Each takes its own arguments plus the
hooks every step shares (:class:`bot.conversations.kit.flow.Step`): ``store``, ``when``,
``unless_known``, ``before``, ``values``, ``then`` and ``help``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

from bot.answers import MAX_TEXT, SKIP, YES_NO, Invalid, asks, clean_line, fold, has_words
from bot.conversations.kit.context import SIGNED
from bot.conversations.kit.date_step import EXPLICIT_HOUR as EXPLICIT_HOUR
from bot.conversations.kit.date_step import DateStep as DateStep
from bot.conversations.kit.date_step import besides_key as besides_key
from bot.conversations.kit.date_step import future_example as future_example
from bot.conversations.kit.date_step import past_example as past_example
from bot.conversations.kit.flow import (
    Call,
    Leave,
    Next,
    Outcome,
    Predicate,
    Retry,
    Step,
)
from bot.conversations.kit.flow import Hooks as Hooks
from bot.conversations.kit.flow import Option as Option
from bot.conversations.kit.flow import OptionSource as OptionSource
from bot.conversations.kit.flow import options_of as options_of
from bot.conversations.kit.many import FINISHED_WORDS
from bot.conversations.kit.many import PickMany as PickMany
from bot.conversations.kit.pick import RECAP as RECAP
from bot.conversations.kit.pick import TEXT_STOPS as TEXT_STOPS
from bot.conversations.kit.pick import Pick as Pick
from bot.conversations.kit.wrong_dates import wrong_weekday_said as wrong_weekday_said
from bot.messages import Reply

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
        # Without a skip label a typed answer is read as nothing to match: the choices' match,
        # a tenth of the title's turn, is left out (a press is still read, for what it sets).
        skip = (
            ctx.chosen(("skip",), labels={"skip": self.skip_label or ""})
            if self.skip_label or ctx.incoming.choice is not None
            else None
        )
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
        if isinstance(value, Next):  # the answer leads to another question (explorer QA1)
            return value
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
        refresh: Callable[[Context], Awaitable[None]] | None = None,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.entries = tuple(entries)
        self.columns = columns
        self.refresh = refresh
        """Brings up to date what the entries' ``when`` read, at each display and before a
        typed answer: the state may change while the menu stays open (explorer QB16: an
        answer flagged meanwhile, the text saying « Examiner une réponse signalée » and the
        entries made at its first display refusing it)."""
        # The picker only shows and reads the choice, never paged; the menu's hooks stay its own.
        self._picker = Pick(name, ask=ask, options=self._options, columns=columns, paged=False)
        self._picker.store, self._picker.values = self.store, self.values

    async def _options(self, ctx: Context) -> list[Option]:
        shown = [e for e in self.entries if e.when is None or e.when(ctx)]
        return [Option(e.label, e.value, e.words) for e in shown]

    async def question(self, ctx: Context) -> Reply:
        if self.refresh is not None:
            await self.refresh(ctx)
        return await self._picker.question(ctx)

    async def newly_offered(self, ctx: Context, typed: str) -> Entry | None:
        """An entry not shown yet, now offered (:attr:`refresh`), whose label is typed whole:
        taken; the numbers keep meaning what was shown."""
        if self.refresh is None or not typed:
            return None
        await self.refresh(ctx)
        shown = {value for _, value in ctx.data.get("_options") or []}
        return next(
            (
                e
                for e in self.entries
                if e.value not in shown
                and (e.when is None or e.when(ctx))
                and typed in (fold(e.label), *map(fold, e.words))
            ),
            None,
        )

    async def answer(self, ctx: Context) -> Outcome:
        typed = fold(ctx.incoming.text) if ctx.incoming.choice is None else ""
        new = await self.newly_offered(ctx, typed)
        picked: str | None
        if new is not None:
            picked = new.value
        elif typed in FINISHED_WORDS:
            # "Terminé" typed: the entry that ends the menu, whatever its label says.
            offered = [value for _, value in ctx.data.get("_options") or []]
            ending = [e for e in self.entries if fold(e.label) in FINISHED_WORDS]
            picked = next((e.value for e in ending if e.value in offered), None)
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
        exact: bool = False,
        again: str = "common.yes_no_again",
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.again = again
        """The message key of an answer read as neither (its ``yes``/``no`` passed), which may
        say what else is taken (explorer KF10: « je ne sais pas » at « justifiée ? »)."""
        self.exact = exact
        """A yes that cannot be undone (an erasure, a cancellation): typed, only its whole
        label or a plain yes (« oui », « ok ») takes it, never a part of its label (explorer
        XA14: « fini », inside « définitivement », erased a trainee; « le bilan ? » cancelled
        the bilan)."""
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
        if picked == "yes" and self.exact and ctx.incoming.choice is None:
            if asks(ctx.incoming.text):  # « oui ? », « Effacer définitivement ? » (ZA14)
                return Retry(ctx.render("common.exact_question", yes=self.yes_label))
            # « garder » is still « Non, garder »; a yes typed must be one (XA14).
            picked = ctx.chosen(["yes", "no"], labels=labels, synonyms=YES_NO, exact=True)
        taken = await self.other(ctx) if picked is None and self.other is not None else None
        if taken is not None:
            return taken
        if picked is None:  # « non, il n'a pas prévenu »: its first word (explorer AW8)
            picked = ctx.chosen(
                ["yes", "no"], labels=labels, synonyms=YES_NO, first=True, exact=self.exact
            )
        if picked is None:
            return Retry(ctx.render(self.again, yes=self.yes_label, no=self.no_label))
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
