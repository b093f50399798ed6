"""How a conversation is written: a flow is a list of steps, each asking one thing.

A step asks (:meth:`Step.ask`), then takes the answer (:meth:`Step.take`)
and says what happens next: go on, re-ask with a precise French message,
jump to another step, or finish.  Steps never keep anything in memory: what
they collect goes into ``ctx.data`` (JSON), which the engine stores with the
business data of the step in one transaction, so a restart resumes at the
same question with the answers already given.

Writing a conversation then reads like the dialogue::

    FLOW = Flow(
        "formation", command="formation", role=Role.FORMATEUR,
        steps=[
            Text("titre", ask="formation.ask_title", parse=parse_title),
            Pick("financeur", ask="formation.ask_funder", options=funders),
            DateStep("debut", ask="formation.ask_start", prefer="future"),
            ...
        ],
        finish=save_formation,
    )
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from bot import dates
from bot.messages import Choice, Reply

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context
    from bot.storage.people import Role

MAX_TEXT = 4000
"""Longest answer a step accepts; anything longer is refused before parsing."""

PAGE_SIZE = 8


# --- what a step says happens next -------------------------------------------------


@dataclass(frozen=True)
class Next:
    """Go on to ``step`` (or the next one in the list when ``None``)."""

    step: str | None = None


@dataclass(frozen=True)
class Retry:
    """Re-ask the same question after a precise explanation (already rendered)."""

    message: str


@dataclass(frozen=True)
class Stay:
    """Ask the same question again without complaint (a page turned, a hint given)."""

    edit: bool = False


@dataclass(frozen=True)
class Finish:
    """Run the flow's finish (if any) now and leave the conversation."""


@dataclass(frozen=True)
class Leave:
    """Leave the conversation now without running finish (what was asked is done)."""


@dataclass(frozen=True)
class Switch:
    """Continue in another flow, carrying some data (a menu opening an editor)."""

    flow: str
    data: dict[str, Any] = field(default_factory=dict)


Outcome = Next | Retry | Stay | Finish | Leave | Switch


def leave_saying(key: str) -> Callable[[Context], Awaitable[Outcome]]:
    """An answer that ends the dialogue with one message ("nothing was saved")."""

    async def leave(ctx: Context) -> Outcome:
        ctx.say(key)
        return Leave()

    return leave


async def finish_now(ctx: Context) -> Outcome:
    """An answer that runs the flow's finish (the "Enregistrer" of a recap)."""
    return Finish()


@dataclass(frozen=True)
class Invalid:
    """What a parser returns when the answer does not fit: the French reason."""

    message: str


# --- normalising what people type --------------------------------------------------


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: how labels and names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in stripped.casefold())
    return " ".join(cleaned.split())


_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def has_control_characters(text: str) -> bool:
    """Terminal escapes, NULs and bidi overrides: never part of an honest answer."""
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t") or ch in _BIDI for ch in text
    )


def clean_line(text: str, *, limit: int) -> str | Invalid:
    """One line of user text, blanks folded, or why it is refused."""
    if has_control_characters(text):
        return Invalid(
            "Votre message contient des caractères de contrôle invisibles : retapez-le "
            "simplement au clavier, s'il vous plaît."
        )
    line = " ".join(text.split())
    if not line:
        return Invalid("Je n'ai rien reçu : écrivez votre réponse en quelques mots.")
    if len(line) > limit:
        return Invalid(
            f"C'est trop long ({len(line)} caractères) : {limit} au plus, s'il vous plaît."
        )
    return line


# --- steps -------------------------------------------------------------------------


Predicate = Callable[["Context"], bool]
TextParser = Callable[["Context", str], Awaitable[Any | Invalid]]


class Step:
    """One question.  Subclasses implement :meth:`ask` and :meth:`take`."""

    name: str
    when: Predicate | None
    help: str | None
    """Message key of the contextual help shown by /aide at this step."""

    def __init__(self, name: str, *, when: Predicate | None = None, help: str | None = None):
        self.name = name
        self.when = when
        self.help = help

    def applies(self, ctx: Context) -> bool:
        return self.when is None or self.when(ctx)

    async def ask(self, ctx: Context) -> Reply:
        raise NotImplementedError

    async def take(self, ctx: Context) -> Outcome:
        raise NotImplementedError


class Text(Step):
    """A free-text answer turned into a typed value by ``parse``."""

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        parse: TextParser,
        store: str | None = None,
        when: Predicate | None = None,
        help: str | None = None,
        skip_label: str | None = None,
        multiline: bool = False,
    ):
        super().__init__(name, when=when, help=help)
        self.question = ask
        self.parse = parse
        self.store = store or name
        self.skip_label = skip_label
        self.multiline = multiline

    async def ask(self, ctx: Context) -> Reply:
        choices = (ctx.choice(self.skip_label, "skip"),) if self.skip_label else ()
        return Reply(text=ctx.render(self.question), choices=choices)

    async def take(self, ctx: Context) -> Outcome:
        skip = ctx.chosen(("skip",), labels={"skip": self.skip_label or ""}, numbered=[])
        if self.skip_label and skip == "skip":
            ctx.data[self.store] = None
            return Next()
        refusal = ctx.refuse_non_text()
        if refusal:
            return refusal
        text = ctx.incoming.text
        if len(text) > MAX_TEXT * (3 if self.multiline else 1):
            return Retry(
                f"Votre message est trop long ({len(text)} caractères). "
                "Raccourcissez-le, s'il vous plaît."
            )
        value = await self.parse(ctx, text)
        if isinstance(value, Invalid):
            return Retry(value.message)
        ctx.data[self.store] = value
        return Next()


@dataclass(frozen=True)
class Option:
    label: str
    value: str


OptionSource = Sequence[Option] | Callable[["Context"], Awaitable[Sequence[Option]]]


class Pick(Step):
    """Choose one option: a button, its number, or (part of) its label.

    The options shown are stored with the question, so "2" still means what
    was displayed even if the data changed since, and a forged or stale
    button is recognised.  Long lists are paged.
    """

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        options: OptionSource,
        store: str | None = None,
        when: Predicate | None = None,
        help: str | None = None,
        then: Callable[[Context, str], Awaitable[Outcome]] | None = None,
        columns: int = 1,
    ):
        super().__init__(name, when=when, help=help)
        self.question = ask
        self.options = options
        self.store = store or name
        self.then = then
        self.columns = columns

    async def _all_options(self, ctx: Context) -> list[Option]:
        source = self.options
        if callable(source):
            return list(await source(ctx))
        return list(source)

    async def ask(self, ctx: Context) -> Reply:
        options = await self._all_options(ctx)
        ctx.data["_options"] = [[o.label, o.value] for o in options]
        page = int(ctx.data.get("_page", 0))
        return Reply(
            text=ctx.render(self.question),
            choices=self._page_choices(ctx, options, page),
            columns=self.columns,
        )

    def _page_choices(self, ctx: Context, options: list[Option], page: int) -> tuple[Choice, ...]:
        if len(options) <= PAGE_SIZE + 1:
            return tuple(ctx.choice(o.label, o.value) for o in options)
        pages = math.ceil(len(options) / PAGE_SIZE)
        page = max(0, min(page, pages - 1))
        shown = options[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        nav: list[Choice] = []
        if page > 0:
            nav.append(ctx.choice("◀ Précédents", "_prev"))
        if page < pages - 1:
            nav.append(ctx.choice(f"Suivants ▶ ({page + 2}/{pages})", "_next"))
        return tuple(ctx.choice(o.label, o.value) for o in shown) + tuple(nav)

    async def take(self, ctx: Context) -> Outcome:
        offered = [Option(label, value) for label, value in ctx.data.get("_options", [])]
        page = int(ctx.data.get("_page", 0))
        labels = {o.value: o.label for o in offered}
        values = [o.value for o in offered]
        paged = len(offered) > PAGE_SIZE + 1
        if paged:
            # Numbers follow what was displayed: this page's items, then the arrows.
            pages = math.ceil(len(offered) / PAGE_SIZE)
            page = max(0, min(page, pages - 1))
            shown = offered[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            arrows = (["_prev"] if page > 0 else []) + (["_next"] if page < pages - 1 else [])
            numbered = [o.value for o in shown] + arrows
            values = [*values, *arrows]
            labels |= {"_prev": "precedents", "_next": "suivants"}
        else:
            numbered = values
        picked = ctx.chosen(values, labels=labels, numbered=numbered)
        if picked is None:
            return Retry(ctx.render("common.pick_again"))
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        if picked in ("_prev", "_next"):
            ctx.data["_page"] = page + (1 if picked == "_next" else -1)
            return Stay(edit=ctx.incoming.choice is not None)
        ctx.data[self.store] = picked
        ctx.data.pop("_page", None)
        if self.then is not None:
            return await self.then(ctx, picked)
        return Next()


class PickMany(Step):
    """Tick several options, then "Terminé": delegates, signs of décrochage."""

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        options: OptionSource,
        store: str | None = None,
        when: Predicate | None = None,
        help: str | None = None,
        minimum: int = 0,
        done_label: str = "✅ Terminé",
    ):
        super().__init__(name, when=when, help=help)
        self.question = ask
        self.options = options
        self.store = store or name
        self.minimum = minimum
        self.done_label = done_label

    async def ask(self, ctx: Context) -> Reply:
        source = self.options
        options = list(await source(ctx)) if callable(source) else list(source)
        ctx.data["_options"] = [[o.label, o.value] for o in options]
        ticked: list[str] = ctx.data.setdefault(self.store, [])
        choices = [
            ctx.choice(("☑ " if o.value in ticked else "☐ ") + o.label, o.value) for o in options
        ]
        choices.append(ctx.choice(self.done_label, "_done"))
        return Reply(text=ctx.render(self.question), choices=tuple(choices))

    async def take(self, ctx: Context) -> Outcome:
        offered = [Option(label, value) for label, value in ctx.data.get("_options", [])]
        ticked: list[str] = list(ctx.data.get(self.store, []))
        labels = {o.value: o.label for o in offered} | {"_done": self.done_label, "_none": "aucun"}
        values = [o.value for o in offered]
        if ctx.incoming.choice is None and ctx.incoming.text.strip():
            # "1, 3" or "1 3" ticks several at once when typing.
            parts = [p for p in ctx.incoming.text.replace(",", " ").split() if p.isdigit()]
            words = ctx.incoming.text.replace(",", " ").split()
            if len(parts) > 1 and len(parts) == len(words):
                for part in parts:
                    index = int(part) - 1
                    if not 0 <= index < len(values):
                        return Retry(
                            f"Il n'y a pas de choix numéro {part} : tapez des numéros "
                            f"entre 1 et {len(values)}, séparés par des virgules."
                        )
                    if values[index] not in ticked:
                        ticked.append(values[index])
                ctx.data[self.store] = ticked
                return Stay()
        picked = ctx.chosen([*values, "_done", "_none"], labels=labels, numbered=[*values, "_done"])
        if picked is None:
            return Retry(ctx.render("common.pick_many_again"))
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        if picked == "_none":
            ticked = []
            picked = "_done"
        if picked == "_done":
            if len(ticked) < self.minimum:
                return Retry(ctx.render("common.pick_at_least", minimum=self.minimum))
            ctx.data[self.store] = ticked
            return Next()
        if picked in ticked:
            ticked.remove(picked)
        else:
            ticked.append(picked)
        ctx.data[self.store] = ticked
        return Stay(edit=ctx.incoming.choice is not None)


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
        store: str | None = None,
        when: Predicate | None = None,
        help: str | None = None,
    ):
        super().__init__(name, when=when, help=help)
        self.question = ask
        self.yes = yes
        self.no = no
        self.yes_label = yes_label
        self.no_label = no_label
        self.store = store or name

    async def ask(self, ctx: Context) -> Reply:
        return Reply(
            text=ctx.render(self.question),
            choices=(ctx.choice(self.yes_label, "yes"), ctx.choice(self.no_label, "no")),
            columns=2,
        )

    async def take(self, ctx: Context) -> Outcome:
        labels = {"yes": self.yes_label, "no": self.no_label}
        picked = ctx.chosen(["yes", "no"], labels=labels, synonyms=YES_NO)
        if picked is None:
            return Retry(ctx.render("common.yes_no_again", yes=self.yes_label, no=self.no_label))
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        ctx.data[self.store] = picked == "yes"
        handler = self.yes if picked == "yes" else self.no
        if handler is not None:
            return await handler(ctx)
        return Next()


YES_NO = {
    "oui": "yes",
    "o": "yes",
    "ok": "yes",
    "d accord": "yes",
    "daccord": "yes",
    "yes": "yes",
    "c est bien ca": "yes",
    "exact": "yes",
    "parfait": "yes",
    "valider": "yes",
    "je confirme": "yes",
    "non": "no",
    "n": "no",
    "no": "no",
    "pas du tout": "no",
    "corriger": "no",
}


class DateStep(Step):
    """A date (and time) in free French, shown back in full and confirmed.

    Two questions in one step: the date, then "J'ai compris : jeudi 26
    novembre 2026 à 14 h 00. C'est bien ça ?".  Nothing is stored until the
    user confirms, so a misunderstanding is never silently kept.
    """

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        prefer: Literal["future", "past"],
        need_time: bool = False,
        check: Callable[[Context, datetime], Awaitable[str | None]] | None = None,
        store: str | None = None,
        when: Predicate | None = None,
        help: str | None = None,
        example: str = "jeudi 26 novembre à 14 h",
    ):
        super().__init__(name, when=when, help=help)
        self.question = ask
        self.prefer = prefer
        self.need_time = need_time
        self.check = check
        self.store = store or name
        self.example = example

    def _pending_key(self) -> str:
        return f"_pending_{self.name}"

    async def ask(self, ctx: Context) -> Reply:
        pending = ctx.data.get(self._pending_key())
        if pending:
            moment = datetime.fromisoformat(pending)
            shown = dates.spell_datetime(moment) if self.need_time else dates.spell_date(moment)
            return Reply(
                text=ctx.render("common.date_understood", shown=shown),
                choices=(ctx.choice("Oui, c'est ça", "yes"), ctx.choice("Non, corriger", "no")),
                columns=2,
            )
        return Reply(text=ctx.render(self.question))

    async def take(self, ctx: Context) -> Outcome:
        key = self._pending_key()
        if ctx.data.get(key):
            labels = {"yes": "Oui, c'est ça", "no": "Non, corriger"}
            picked = ctx.chosen(["yes", "no"], labels=labels, synonyms=YES_NO)
            if picked == "yes":
                ctx.data[self.store] = ctx.data.pop(key)
                return Next()
            if picked == "no":
                ctx.data.pop(key)
                return Retry(ctx.render("common.date_correct", example=self.example))
            # Typed another date instead of yes/no: understand it as the correction;
            # anything else keeps the pending date and asks again.
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            if ctx.incoming.choice is not None or not ctx.incoming.text.strip():
                return Retry(ctx.render("common.yes_no_or_new_date", yes="Oui", no="Non"))
            again = dates.understand(ctx.incoming.text, ctx.now, self.prefer)
            if again is None:
                return Retry(ctx.render("common.yes_no_or_new_date", yes="Oui", no="Non"))
            ctx.data.pop(key)
        refusal = ctx.refuse_non_text()
        if refusal:
            return refusal
        understood = dates.understand(ctx.incoming.text, ctx.now, self.prefer)
        if understood is None:
            return Retry(ctx.render("common.date_unclear", example=self.example))
        if self.need_time and not understood.has_time:
            return Retry(
                ctx.render(
                    "common.date_needs_time",
                    day=dates.spell_date(understood.when),
                    example=self.example,
                )
            )
        if self.check is not None:
            problem = await self.check(ctx, understood.when)
            if problem:
                return Retry(problem)
        ctx.data[key] = understood.when.isoformat()
        return Stay()


def stored_datetime(ctx: Context, key: str) -> datetime:
    return datetime.fromisoformat(ctx.data[key])


def stored_date(ctx: Context, key: str) -> date:
    return datetime.fromisoformat(ctx.data[key]).date()


Finisher = Callable[["Context"], Awaitable[None]]
Starter = Callable[["Context"], Awaitable["Outcome | None"]]


@dataclass
class Flow:
    """A conversation: its command, who may use it, its steps, what it saves."""

    name: str
    steps: list[Step]
    command: str | None = None
    role: Role | None = None
    summary: str = ""
    """One line for /aide."""
    menu: str = ""
    """The command's label in a platform's command menu (none when empty)."""
    finish: Finisher | None = None
    start: Starter | None = None
    """Runs before the first question (prefill from ``/absence Dupont hier``)."""
    in_groups: bool = False
    """May run in a group chat (no personal data shown there)."""

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"flow {self.name} has no step {name}")

    def following(self, ctx: Context, after: str | None) -> Step | None:
        """The next step that applies after ``after`` (or the first when None)."""
        index = 0
        if after is not None:
            index = [s.name for s in self.steps].index(after) + 1
        for step in self.steps[index:]:
            if step.applies(ctx):
                return step
        return None
