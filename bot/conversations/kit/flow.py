"""How a conversation is written: a flow is a list of steps, each asking one thing.

A step asks (:meth:`Step.ask`), then takes the answer (:meth:`Step.take`)
and says what happens next (an :data:`Outcome`): go on, re-ask with a
precise French message, jump to a named step, call another flow and come
back with its value, return a value to the caller, or finish.  Steps never
keep anything in memory: what they collect goes into ``ctx.data`` (JSON),
which the engine stores with the business data of the step in one
transaction, so a restart resumes at the same question with the answers
already given, including inside a called flow (the callers wait in
``ctx.data["_stack"]``).

Writing a conversation then reads like the dialogue::

    NEW = Flow(
        "formation", command="formation", role=Role.FORMATEUR,
        steps=[
            Text("titre", ask="formation.ask_title", parse=parse_title),
            Pick("financeur", ask="formation.ask_funder", options=funders),
            DateStep("debut", ask="formation.ask_start", prefer="future"),
            ...
        ],
        finish=save_formation,
    )

Every step takes the same hooks: ``when`` (ask it only if…), ``unless_known``
(skip it when its answer is already in ``ctx.data``, as a one-line command
may have given it), ``before`` (runs as the step is reached: may skip it or
go elsewhere), ``values`` (extra template variables for its question) and
``then`` (runs on the typed value once the answer is taken).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, final

from bot.messages import Reply

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context
    from bot.storage.people import Role

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
    """Ask the same question again without complaint (a page turned, a hint given).

    ``message`` (already rendered) is said first: what a typed answer changed.
    """

    edit: bool = False
    message: str = ""


@dataclass(frozen=True)
class Finish:
    """Run the flow's finish (if any) now and end it (returning to a caller, if any)."""


@dataclass(frozen=True)
class Leave:
    """End this flow now without running finish; a caller, if any, gets ``None``."""


@dataclass(frozen=True)
class Return:
    """End this flow, handing ``value`` to the flow that called it."""

    value: Any = None


@dataclass(frozen=True)
class Call:
    """Run flow ``flow`` as a sub-dialogue, then come back here.

    The called flow starts with ``data``; when it ends, its value (from
    :class:`Return`, or ``ctx.data["_result"]`` when it finishes) is stored
    under ``store`` in this flow's answers, and the dialogue goes on at step
    ``then`` (``None``: the step that called asks its question again, which
    is what a menu wants).
    """

    flow: str
    data: Mapping[str, Any] = field(default_factory=dict)
    store: str | None = None
    then: str | None = None


@dataclass(frozen=True)
class Switch:
    """Hand the conversation over to another flow for good (no coming back)."""

    flow: str
    data: dict[str, Any] = field(default_factory=dict)


Outcome = Next | Retry | Stay | Finish | Leave | Return | Call | Switch

SAVED_BEFORE = "_saved_before"
"""Set in a flow's data by the flow that saved something, then handed over to it (« Ouvrir un
suivi » once an absence or an exit is saved): its first question's « Retour » and /aide say
that what was saved stays saved, not « sans rien enregistrer » (explorer BB6)."""

ASKED_AGAIN = "_asked_again"
"""Set by a reader whose sentence takes the place of the question in hand and says so itself, or
is the very one it came from: the flow's ``left_saying`` is not said (explorer QB2: « Je n'ai
pas noté … renvoyez la phrase » right above the same question, the phrase just sent again;
BF3: under « Je remplace ma question sur Karim Benali … », which said it already)."""


def leave_saying(key: str) -> Callable[[Context], Awaitable[Outcome]]:
    """An answer that ends the dialogue with one message ("nothing was saved")."""

    async def leave(ctx: Context) -> Outcome:
        ctx.say(key)
        return Leave()

    return leave


async def finish_now(ctx: Context) -> Outcome:
    """An answer that runs the flow's finish (the "Enregistrer" of a recap)."""
    return Finish()


# --- the step every question is -----------------------------------------------------


Predicate = Callable[["Context"], bool]
Hook = Callable[["Context"], Awaitable["Outcome | None"]]
Then = Callable[["Context", Any], Awaitable["Outcome"]]
Values = Callable[["Context"], Awaitable[Mapping[str, Any]]]


class Step:
    """One question.  Subclasses implement :meth:`question` and :meth:`answer`.

    The engine calls :meth:`ask` and :meth:`take`, which wrap the subclass's
    work in the hooks every step shares, so no subclass exists only to add
    one.
    """

    name: str
    store: str
    reads_numbers: ClassVar[bool] = False
    """Typed numbers are the step's own to read (a list's numbers: "3, 5", "3-5"), always
    those shown; otherwise a number alone is the choice shown with it (:meth:`Context.press_number`)."""
    keeps_sentences: ClassVar[bool] = False
    """A sentence typed here that the step refuses is re-asked, never another dialogue
    started (the roll call: « Julie 20 min de retard » would abandon it for /absence)."""

    def __init__(
        self,
        name: str,
        *,
        store: str | None = None,
        when: Predicate | None = None,
        unless_known: bool = False,
        before: Hook | None = None,
        values: Values | None = None,
        then: Then | None = None,
        help: str | None = None,
    ):
        self.name = name
        self.store = store or name
        self.when = when
        self.unless_known = unless_known
        self.before = before
        self.values = values
        self.then = then
        self.help = help
        """Message key of the contextual help shown by /aide at this step."""

    def applies(self, ctx: Context) -> bool:
        if self.unless_known and ctx.data.get(self.store) is not None:
            return False
        return self.when is None or self.when(ctx)

    async def render(self, ctx: Context, key: str, **extra: Any) -> str:
        """The step's text, with what its ``values`` hook adds for the template."""
        added = dict(await self.values(ctx)) if self.values is not None else {}
        return ctx.render(key, **(added | extra))

    @final
    async def ask(self, ctx: Context) -> Reply:
        # Every question goes out through here, so its numbers are kept for the answer.
        return ctx.shown(await self.question(ctx))

    async def take(self, ctx: Context) -> Outcome:
        outcome = await self.answer(ctx)
        if self.then is not None and isinstance(outcome, Next) and outcome.step is None:
            return await self.then(ctx, ctx.data.get(self.store))
        return outcome

    async def question(self, ctx: Context) -> Reply:
        raise NotImplementedError

    async def answer(self, ctx: Context) -> Outcome:
        """Take the answer: store its value under ``store`` and say ``Next()``, or re-ask."""
        raise NotImplementedError


class Hooks(TypedDict, total=False):
    """What every step accepts besides its own arguments."""

    store: str | None
    when: Predicate | None
    unless_known: bool
    before: Hook | None
    values: Values | None
    then: Then | None
    help: str | None


@dataclass(frozen=True)
class Option:
    """One choice: its label, its value, and other ``words`` a person may type for it."""

    label: str
    value: str
    words: tuple[str, ...] = ()
    search: str = ""
    """The whole text a cut label hides (a long title): a part of it typed finds the option
    (explorer O: « Caen Nord » was « rien dans la liste ne correspond »)."""
    detail: str = ""
    """The whole line where the label was fitted to narrow buttons (:attr:`Choice.detail`)."""


OptionSource = Sequence[Option] | Callable[["Context"], Awaitable[Sequence[Option]]]


async def options_of(source: OptionSource, ctx: Context) -> list[Option]:
    if callable(source):
        return list(await source(ctx))
    return list(source)


def stored_datetime(ctx: Context, key: str) -> datetime:
    return datetime.fromisoformat(ctx.data[key])


def stored_date(ctx: Context, key: str) -> date:
    return datetime.fromisoformat(ctx.data[key]).date()


# --- the flow -----------------------------------------------------------------------


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
    said_as: Callable[[Mapping[str, Any]], str | None] | None = None
    """What it does said from its answers where the summary would not fit them (a late
    arrival's sentence: « noter un retard », never « noter une absence »: explorer BE7);
    ``None``: the summary (:meth:`doing`)."""
    menu: str = ""
    """The command's label in a platform's command menu (none when empty)."""
    finish: Finisher | None = None
    start: Starter | None = None
    """Runs before the first question (prefill from ``/absence Dupont hier``)."""
    in_groups: bool = False
    """May run in a group chat (no personal data shown there)."""
    participants: bool = False
    """A bilan's participant may start it too, and its start hook answers them."""
    browsing: bool = False
    """A list looked through (the deadlines, the bilans, a follow-up): left for another
    command at its own questions, it is closed, not set aside (:meth:`Runner.leave`)."""
    branches: list[Step] = field(default_factory=list)
    """Steps reached only by name (``Next("name")``), never in the sequence."""
    lapsed_saying: str = ""
    """What was lost when it lapsed unanswered and how to do it again, said in the notice
    (explorer QB5: « Recommencez quand vous voulez » for Karim Benali's absence, unnamed);
    rendered empty, the usual words are said."""
    cancelled_saying: str = ""
    """What /annuler loses, said after « C'est annulé : » in place of « Ce qui n'avait pas été
    validé n'est pas enregistré » (explorer BB8: the chargée's message held for her answer
    reached no one, unsaid); rendered empty, the usual words are said."""
    lapsed_reads: Callable[[Context], str | None] | None = None
    """The message that found it lapsed, read as the sentence its notice suggests (« hier
    matin » typed to « Quel jour … de Karim Benali ? »: « Absence de Karim Benali hier
    matin », confirmed as usual: explorer QB5, the answer was dropped); ``None``: unread."""
    left_saying: str = ""
    """Said when another command closes it at its own questions (``browsing``): what a
    sentence's confirmation held is not noted (explorer AZ8: dropped without a word)."""
    refused_saying: str = ""
    """Said to someone the bot does not know for a member's command typed at its questions,
    in place of « Encore un instant … tapez /appel de nouveau », the words for someone joining
    (explorer DC9: the chargée de mission, who never will be one)."""
    still: Callable[[Context], Awaitable[bool]] | None = None
    """At /reprendre, before its question comes again: whether what it was about still
    waits; ``False`` once it said why, and the conversation set aside is dropped (explorer
    ZA13: a postponement asked again for a deadline marked done meanwhile)."""

    def __post_init__(self) -> None:
        names = [s.name for s in (*self.steps, *self.branches)]
        if len(names) != len(set(names)):
            raise ValueError(f"flow {self.name} names two steps alike")
        # Found by name at every turn: looked up, not searched (a flow's steps never change).
        self._named = {s.name: s for s in (*self.steps, *self.branches)}
        self._after = {s.name: i + 1 for i, s in enumerate(self.steps)}

    def doing(self, data: Mapping[str, Any]) -> str:
        """What it does, as /annuler, a dialogue set aside or taken up say it, for ``data``."""
        said = self.said_as(data) if self.said_as is not None else None
        return said or self.summary

    def has_step(self, name: str) -> bool:
        return name in self._named

    def step(self, name: str) -> Step:
        try:
            return self._named[name]
        except KeyError:
            raise KeyError(f"flow {self.name} has no step {name}") from None

    def following(self, ctx: Context, after: str | None) -> Step | None:
        """The next step of the sequence that applies after ``after`` (first when None).

        After a branch step, the sequence has no "next": the branch says
        where it goes, or the flow ends.
        """
        index = 0 if after is None else self._after.get(after)
        if index is None:
            return None
        for step in self.steps[index:]:
            if step.applies(ctx):
                return step
        return None
