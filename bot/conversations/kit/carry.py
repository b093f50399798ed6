"""What an outcome does: from one answer to the next question, across called flows.

A flow may call another (:class:`~bot.conversations.kit.flow.Call`) and get
its value back.  The callers wait as frames in ``ctx.data["_stack"]`` (their
flow, step, answers and where to put the value), so the stack is stored with
the rest of the conversation and survives a restart like any answer.  The
question counter ``_q`` runs across frames: a button from before a call is
stale after it.  What other commands do to the conversation under way:
:mod:`.runner`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot.conversations.kit import aside
from bot.conversations.kit.flow import (
    SAVED_BEFORE,
    Call,
    Finish,
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Return,
    Stay,
    Step,
    Switch,
)
from bot.conversations.kit.pages import LIST_KEYS
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context

Position = tuple[str | None, str | None]
"""(flow, step) where the conversation now waits; (None, None) when it ended."""

MAX_DEPTH = 8
"""Calls nested deeper than this are a programming error, not a dialogue."""

_KEPT = ("_q", "_stack", aside.KEY, aside.PRESSED, aside.ORG)

FILLED = "_filled"
"""The answers a flow started bare (a command alone) filled itself (the only formation, a new
invitation with none pending): nothing the person typed, so that command again starts it over
as long as they are unchanged (:meth:`~bot.conversations.kit.runner.Runner.starts_over`;
explorer BE4, the flow was set aside against itself, the one set aside before dropped)."""

NARROWED = "_narrowed"
"""How the next list question starts narrowed (its ``_only``, ``_sought``…), set before it is
asked: the words typed after a command fitting several options (explorer KB7)."""


class Carrier:
    """Carries a conversation from an outcome to the question it leads to."""

    def __init__(
        self,
        flows: Callable[[], Mapping[str, Flow]],
        refusal: Callable[[Context, Flow], str | None],
    ) -> None:
        self.flows = flows
        self.refusal = refusal

    async def begin(self, ctx: Context, flow: Flow, data: Mapping[str, Any]) -> Position:
        """Start ``flow`` afresh (a command, ``/start CODE``): no caller waits."""
        ctx.data = aside.resting(ctx.data)
        outcome = await self._enter(ctx, flow, data)
        if outcome is None:
            return None, None
        return await self.apply(ctx, flow, None, outcome)

    async def _ask_again(self, ctx: Context, flow: Flow | None, step: str | None) -> Position:
        if flow is None or step is None:
            return None, None
        ctx.send(await flow.step(step).ask(ctx))
        return flow.name, step

    async def outside(self, ctx: Context, outcome: Outcome) -> Position:
        """What an outcome does where no flow runs (a sentence typed out of any conversation).

        ``Switch``/``Call`` start their flow afresh with the data given (its
        checks and ``start`` hook apply); ``Retry`` says its message; anything
        else ends the turn with what was said.
        """
        if isinstance(outcome, Switch | Call):
            return await self.begin(ctx, self.flows()[outcome.flow], outcome.data)
        if isinstance(outcome, Retry):
            ctx.send(Reply(text=outcome.message))
        return None, None

    async def _enter(self, ctx: Context, flow: Flow, data: Mapping[str, Any]) -> Outcome | None:
        """Open ``flow`` above the current stack; ``None`` when this person may not."""
        kept = {k: ctx.data[k] for k in _KEPT if k in ctx.data}
        ctx.data = {**kept, **data}
        # A called flow keeps its caller's organisation (explorer AF1); a flow open to anyone
        # (the participant's /attestation, /mesdonnees) is none's: removed from hers while
        # attesting another's bilan, she was told it was no longer hers (explorer AM6).
        if flow.role is not None:
            aside.stamp(ctx)
        refusal = self.refusal(ctx, flow)
        if refusal is not None:
            ctx.say(refusal)
            ctx.data = kept
            return None
        before = dict(ctx.data)
        outcome = await flow.start(ctx) if flow.start is not None else None
        if not data and not ctx.incoming.argument:
            _note_filled(ctx, before)
        return Next() if outcome is None else outcome

    async def apply(
        self, ctx: Context, flow: Flow, step: Step | None, outcome: Outcome
    ) -> Position:
        for _ in range(100):  # a chain of skips, calls and returns, bounded against loops
            if isinstance(outcome, Retry):
                assert step is not None
                question = await step.ask(ctx)
                ctx.send(_prefixed(outcome.message, question))
                return flow.name, step.name
            if isinstance(outcome, Stay):
                assert step is not None
                question = await step.ask(ctx)
                if outcome.message:
                    question = _prefixed(outcome.message, question)
                elif outcome.edit:
                    question = Reply(
                        text=question.text,
                        choices=question.choices,
                        columns=question.columns,
                        edit_previous=True,
                    )
                ctx.send(question)
                return flow.name, step.name
            if isinstance(outcome, Switch):
                target = self.flows()[outcome.flow]
                entered = await self._enter(ctx, target, outcome.data)
                if entered is None:
                    outcome = Leave()
                    continue
                flow, step, outcome = target, None, entered
                continue
            if isinstance(outcome, Call):
                target = self.flows()[outcome.flow]
                stack = list(ctx.data.get("_stack") or [])
                if len(stack) >= MAX_DEPTH:
                    raise RuntimeError(f"flow {flow.name} calls too deep")
                stack.append(
                    {
                        "flow": flow.name,
                        "step": step.name if step else None,
                        "store": outcome.store,
                        "then": outcome.then,
                        "data": {k: v for k, v in ctx.data.items() if k not in _KEPT},
                    }
                )
                ctx.data["_stack"] = stack
                entered = await self._enter(ctx, target, outcome.data)
                if entered is None:  # refused: back to the caller, which asks again
                    flow, step, outcome = self._pop(ctx, None, stored=False)
                    continue
                flow, step, outcome = target, None, entered
                continue
            if isinstance(outcome, Next):
                following = (
                    flow.step(outcome.step)
                    if outcome.step
                    else flow.following(ctx, step.name if step else None)
                )
                if following is not None:
                    if following.before is not None:
                        hooked = await following.before(ctx)
                        if hooked is not None:
                            step, outcome = following, hooked
                            continue
                    ctx.data["_q"] = int(ctx.data.get("_q", 0)) + 1
                    for key in LIST_KEYS:
                        ctx.data.pop(key, None)
                    ctx.data.update(ctx.data.pop(NARROWED, None) or {})
                    _walked(ctx, following.name)
                    ctx.send(await following.ask(ctx))
                    return flow.name, following.name
                outcome = Finish()
            if isinstance(outcome, Finish):
                if flow.finish is not None:
                    await flow.finish(ctx)
                outcome = Return(ctx.data.get("_result"))
            if isinstance(outcome, Leave | Return):
                if not ctx.data.get("_stack"):
                    return None, None
                value = outcome.value if isinstance(outcome, Return) else None
                flow, step, outcome = self._pop(ctx, value, stored=isinstance(outcome, Return))
                continue
        raise RuntimeError(f"flow {flow.name} loops without asking anything")

    async def answered(self, ctx: Context, flow: Flow, step: Step, outcome: Outcome) -> Position:
        """:meth:`apply` to what was answered at ``step``.  A text that ends the conversation
        is remembered (a digest, not its words) until the next message: the same text again,
        a double tap on Matrix or the console, is then said taken once (explorer GD6: the
        second « Enregistrer » read « Je ne suis pas sûr de ce que vous voulez faire »); so is
        a text that ends a called dialogue, at its caller's menu (explorer EC11)."""
        depth = len(ctx.data.get("_stack") or [])
        position = await self.apply(ctx, flow, step, outcome)
        typed = ctx.incoming.text
        if typed.strip() and ctx.incoming.attachment is None:
            if position == (None, None):
                ctx.data[aside.PRESSED] = aside.typed(typed)
            elif len(ctx.data.get("_stack") or []) < depth:  # a called dialogue ended (EC11)
                ctx.data[aside.PRESSED] = aside.typed(typed, returned=True)
        return position

    def _earlier(self, ctx: Context, step: str) -> list[str]:
        """The questions asked before ``step`` in this flow, oldest first; none once the
        flow saved what it was started for and only offers what follows (``_saved``):
        « Retour » reopened the recap of an absence already saved, where « Abandonner »
        said nothing was saved and « Corriger » saved a second one (explorer AD1)."""
        if ctx.data.get("_saved"):
            return []
        trail = list(ctx.data.get("_trail") or [])
        return trail[:-1] if trail and trail[-1] == step else trail

    def goes_back(self, ctx: Context, step: str) -> bool:
        """Whether « Retour » at ``step`` goes somewhere (:meth:`back`): a question asked
        before it, or the flow that called this one; /aide offers it only then (AW12).  Once
        the flow saved what it was started for (``_saved``), never: a called flow's offer left
        to its caller's menu without a word, the exit's « Pas maintenant » unsaid (AM3)."""
        if ctx.data.get("_saved"):
            return False
        return bool(self._earlier(ctx, step) or ctx.data.get("_stack"))

    async def back(self, ctx: Context, flow: Flow, step: Step) -> Position:
        """ "Retour": the question asked before this one, in this flow.

        At a flow's first question, a called flow ends (its caller, a menu,
        is shown again); the flow the person started says it is the first
        question and asks it again (/annuler stops everything).  A question
        asked again keeps its earlier answer until it is answered anew.  Once
        the flow saved what it was started for (``_saved``), called or not, it
        says so and asks its offer again (explorer AD1, AM3).
        """
        for key in [k for k in ctx.data if k in (f"_pending_{step.name}", f"_day_{step.name}")]:
            ctx.data.pop(key)
        trail = self._earlier(ctx, step.name)
        if trail:
            ctx.data["_trail"] = trail[:-1]
            return await self.apply(ctx, flow, step, Next(trail[-1]))
        if ctx.data.get("_stack") and not ctx.data.get("_saved"):
            return await self.apply(ctx, flow, step, Leave())
        said = "common.back_after_saving" if ctx.data.get("_saved") else "common.back_at_start"
        before = bool(ctx.data.get(SAVED_BEFORE))  # what the flow before saved (BB6)
        return await self.apply(ctx, flow, step, Stay(message=ctx.render(said, before=before)))

    def _pop(self, ctx: Context, value: Any, *, stored: bool) -> tuple[Flow, Step | None, Outcome]:
        """Back to the caller on top of the stack, with the called flow's value."""
        stack = list(ctx.data["_stack"])
        frame = stack.pop()
        # What is set aside and the press that ended the called flow belong to the person,
        # not to the frame (explorer EC3: a conversation set aside was lost at the first
        # return to a menu; EC4: the second tap of that press answered « plus ancien »).
        held = {k: ctx.data[k] for k in (aside.KEY, aside.PRESSED) if k in ctx.data}
        ctx.data = {"_q": int(ctx.data.get("_q", 0)), **frame["data"], **held}
        if stack:
            ctx.data["_stack"] = stack
        if stored and frame["store"]:
            ctx.data[frame["store"]] = value
        flow = self.flows()[frame["flow"]]
        step = flow.step(frame["step"]) if frame["step"] else None
        if frame["then"]:
            return flow, step, Next(frame["then"])
        if step is not None:  # a menu asks again, with fresh buttons
            return flow, step, Next(step.name)
        return flow, None, Next()


def _note_filled(ctx: Context, before: Mapping[str, Any]) -> None:
    """Keep as :data:`FILLED` what the start hook set of the flow's answers (not its ``_``
    keys), with the values it set."""
    filled = {
        key: value
        for key, value in ctx.data.items()
        if not key.startswith("_") and (key not in before or before[key] != value)
    }
    if filled:
        ctx.data[FILLED] = filled


def filled_itself(ctx: Context, key: str) -> bool:
    """Whether answer ``key`` is still the value the flow filled itself (:data:`FILLED`)."""
    filled = ctx.data.get(FILLED) or {}
    return key in filled and filled[key] == ctx.data.get(key)


def _walked(ctx: Context, name: str) -> None:
    """Note the question asked, for "Retour"; asked again, what came after it is forgotten."""
    trail = list(ctx.data.get("_trail") or [])
    if name in trail:
        trail = trail[: trail.index(name)]
    ctx.data["_trail"] = [*trail, name]


def _prefixed(message: str, question: Reply) -> Reply:
    return Reply(
        text=f"{message}\n\n{question.text}" if question.text else message,
        choices=question.choices,
        columns=question.columns,
    )
