"""What an outcome does: from one answer to the next question, across called flows.

A flow may call another (:class:`~bot.conversations.kit.flow.Call`) and get
its value back.  The callers wait as frames in ``ctx.data["_stack"]`` (their
flow, step, answers and where to put the value), so the stack is stored with
the rest of the conversation and survives a restart like any answer.  The
question counter ``_q`` runs across frames: a button from before a call is
stale after it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot import dates
from bot.answers import MAX_TEXT, fold
from bot.conversations.kit import aside
from bot.conversations.kit.flow import (
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
from bot.typos import GREETINGS

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context

Position = tuple[str | None, str | None]
COURTESY = {
    **dict.fromkeys(GREETINGS, "hello"),
    **dict.fromkeys(("merci", "merci bien", "super merci", "parfait merci"), "thanks"),
    **dict.fromkeys(("au revoir", "bonne journee", "bonne soiree", "a bientot"), "bye"),
}
"""A member's « bonjour », « merci », « au revoir » out of any conversation: answered as such
(explorer AW4: « Je ne suis pas sûr de ce que vous voulez faire »)."""
"""(flow, step) where the conversation now waits; (None, None) when it ended."""

STRANGER = "common.stranger"
GROUP_NOT_MEMBER = "common.group_not_member"
"""In a group, to someone who is no member (a chargée de mission, a délégué): to write in
private, where what concerns them is said, never « Vous ne faites plus partie d'aucun
organisme » before everyone (explorer DC6)."""
"""The refusal to someone the bot does not know (the engine's, and where it is told apart)."""

MAX_DEPTH = 8
"""Calls nested deeper than this are a programming error, not a dialogue."""

_KEPT = ("_q", "_stack", aside.KEY, aside.PRESSED)

CLOSED = "_closed"
"""Why a conversation was closed by someone else (``erased``), said at its next message."""


class Runner:
    """Carries a conversation from an outcome to the question it leads to."""

    def __init__(
        self,
        flows: Callable[[], Mapping[str, Flow]],
        refusal: Callable[[Context, Flow], str | None],
    ) -> None:
        self.flows = flows
        self.refusal = refusal

    def outermost(self, ctx: Context, current: Flow) -> Flow:
        """The flow the person started (the bottom of the stack), for what /annuler says."""
        stack = ctx.data.get("_stack") or []
        if stack:
            return self.flows().get(stack[0]["flow"], current)
        return current

    def leave(self, ctx: Context, current: Flow, step: str, keep_for: timedelta) -> None:
        """The conversation under way, left for another command: set aside (:mod:`.aside`)
        and said so, with the one set aside before, if any, now dropped (only one is kept).

        A list being looked through (``Flow.browsing``, at its own questions) is
        closed instead, without a word: it holds nothing typed, and it must not
        take the place of a half-typed one set aside before (explorer U U11: a
        look at /echeances between two commands lost a /formation's answers).
        """
        if self._browsing(ctx, current, step):
            if current.left_saying:
                ctx.say(current.left_saying, d=ctx.data)
            return
        outermost = self.outermost(ctx, current)
        dropped = self.aside_flow(aside.kept(ctx))
        aside.set_aside(ctx, current.name, step, keep_for)
        ctx.say(
            "common.abandoned",
            summary=outermost.summary,
            dropped=dropped.summary if dropped else None,
            until=dates.spell_datetime((ctx.later_of_now + keep_for).astimezone(ctx.tz)),
        )

    async def before_command(
        self,
        ctx: Context,
        current: Flow,
        step: str | None,
        target: str,
        keep_for: timedelta,
        *,
        member: bool,
    ) -> Position | None:
        """The conversation under way when the command of ``target`` comes: set aside, or
        started again up to date, and said.  To a participant (no member), its own command
        or a code starts it again unsaid, a bare ``/start`` asks its question again (explorer AW6: a
        delegate lost at « Je l'atteste » typed /start, and her answers went without a
        word), another command sets it aside.  A position: the turn ends there."""
        outermost = self.outermost(ctx, current)
        again = outermost.name == target
        if not member and step is not None:
            if ctx.incoming.command == "start" and not ctx.incoming.argument:
                return await self._ask_again(ctx, current, step)
            if ctx.incoming.command == "start":  # with a code: the code's own answer, what
                if self.typed_before(ctx, current, step):  # she typed set aside (AZ12: lost
                    self.leave(ctx, current, step, keep_for)  # to a mistyped code)
                return None
            if again:
                return None
        if step is not None and not self.starts_over(ctx, current, step):
            self.leave(ctx, current, step, keep_for)
        elif again:
            ctx.say("common.again", summary=outermost.summary)
        elif step is not None and current.left_saying:  # a sentence's question (AZ8)
            ctx.say(current.left_saying, d=ctx.data)
        return None

    async def over(
        self,
        ctx: Context,
        current: Flow,
        step: str | None,
        flow: Flow,
        keep_for: timedelta,
        *,
        member: bool,
    ) -> Position:
        """``flow``'s command typed while ``current`` waits at ``step``: what is under way set
        aside (:meth:`before_command`), then ``flow`` begun.  A member's ``/start`` runs
        first: only when it starts a conversation is the one under way set aside; a code
        refused, a bare ``/start``, a link not hers say so and ask the question in hand again
        (explorer GD5: a mistyped code set the dialogue aside, abandoned the one set aside
        before, and was then refused)."""
        if member and step is not None and ctx.incoming.command == "start":
            return await self._start_over(ctx, current, step, flow, keep_for)
        kept = await self.before_command(ctx, current, step, flow.name, keep_for, member=member)
        if kept is not None:
            return kept
        return await self.begin(ctx, flow, {})

    async def _start_over(
        self, ctx: Context, current: Flow, step: str, flow: Flow, keep_for: timedelta
    ) -> Position:
        """:meth:`over` for a member's ``/start``: its hook first, on what the conversation's
        row keeps at rest; what it said comes after the words of what it set aside."""
        under_way, said = copy.deepcopy(ctx.data), len(ctx.replies)
        ctx.data, ctx.in_dialogue = aside.resting(ctx.data), True
        outcome = await self._enter(ctx, flow, {})
        ctx.in_dialogue = False
        if outcome is None or isinstance(outcome, Leave):
            ctx.data = under_way
            return await self._ask_again(ctx, current, step)
        started, words = ctx.data, ctx.replies[said:]
        ctx.data = under_way
        del ctx.replies[said:]
        await self.before_command(ctx, current, step, flow.name, keep_for, member=True)
        if aside.KEY in ctx.data:
            started[aside.KEY] = ctx.data[aside.KEY]
        ctx.data = started
        ctx.replies.extend(words)
        return await self.apply(ctx, flow, None, outcome)

    def aside_flow(self, found: dict[str, Any] | None) -> Flow | None:
        """The command a conversation set aside was started with (its name, its summary)."""
        return self.flows().get(aside.first_flow(found)) if found is not None else None

    def in_a_group(self, ctx: Context) -> bool:
        """Someone who is no member, in a group: told to write in private (DC6), and done."""
        if ctx.incoming.is_group and not (ctx.actor is not None and ctx.actor.is_member):
            ctx.say(GROUP_NOT_MEMBER)
            return True
        return False

    def idle(self, ctx: Context) -> None:
        """Text that answers nothing: what can be done, and the conversation set aside if one
        waits (explorer AG3: « bonjour » the next morning said nothing of the /bilan left at
        its tenth question, which lapsed a few hours later)."""
        if self.in_a_group(ctx):
            return
        if ctx.actor is not None and not ctx.actor.is_member:
            # Known, no participant to guide: a member removed, told so, not greeted as a
            # stranger asking for an invitation (explorer AX9).
            ctx.say("onboarding.no_longer_member", actor=ctx.actor)
            return
        length = len(ctx.incoming.text)
        waiting = self.aside_flow(aside.kept(ctx))
        polite = COURTESY.get(fold(ctx.incoming.text).removesuffix(" beaucoup"), "")
        file = ctx.incoming.attachment.filename if ctx.incoming.attachment else ""
        ctx.say(
            "common.idle", length=length, limit=MAX_TEXT, aside=waiting, polite=polite, file=file
        )

    def starts_over(self, ctx: Context, current: Flow, step: str) -> bool:
        """Nothing answered yet, no question before this one holding an answer: started again
        (its own command) or replaced, nothing typed lost, and what was set aside before
        kept (explorer AR3: an empty /absence set aside dropped the /bilan kept before it).

        Further on (« /absence julie lundi » at Karim's recap, a bare « /absence » at its
        sixth question), the one under way is set aside instead (:meth:`leave`): explorers
        AM4, AR4, answers dropped as « depuis le début »."""
        if ctx.data.get("_stack"):
            return False
        before = _before(current, step)
        return not any(s.store in ctx.data for s in (current.steps if before is None else before))

    def typed_before(self, ctx: Context, current: Flow, step: str) -> bool:
        """Whether a question of the sequence before ``step`` holds what the person typed (not
        what its start knew: a participant's invitation, ``unless_known``)."""
        return any(s.store in ctx.data and not s.unless_known for s in _before(current, step) or [])

    def _browsing(self, ctx: Context, current: Flow, step: str | None) -> bool:
        """At a list's own questions (``Flow.browsing``), or at the first of a browsing flow
        it called (one deadline opened from /echeances: explorer AA, AA10, its look took
        the place of a half-typed /formation), not further (« Reporter » under way)."""
        frames = ctx.data.get("_stack") or []
        if not frames:
            return current.browsing
        callers = [self.flows().get(frame["flow"]) for frame in frames]
        return (
            all(flow is not None and flow.browsing for flow in callers)
            and current.browsing
            and step == current.steps[0].name
        )

    def closes(self, ctx: Context, current: Flow, expires_at: datetime | None) -> bool:
        """The conversation under way ends here, said: it lapsed, or this person may no
        longer use it (their organisation removed, their membership ended: explorer V, V3,
        « quelque chose s'est mal passé » at every answer, only /annuler got out)."""
        outermost = self.outermost(ctx, current)
        if expires_at is not None and expires_at <= ctx.now:  # « at once »: closed by now
            why = ctx.data.get(CLOSED)  # closed by someone else's erasure, not by time
            ctx.say(
                "common.erased_meanwhile" if why == "erased" else "common.expired",
                summary=outermost.summary,
                flow=outermost,  # a participant is told the command to start again (AG10)
            )
        elif why := (self.refusal(ctx, current) or self.refusal(ctx, outermost)):
            # Which it is, said (explorer AZ11, BD10: a demoted administrator, still a member,
            # read « vous ne faites plus partie de l'organisme », « il a peut-être été retiré »).
            ctx.say("common.no_longer_yours", summary=outermost.summary, why=why)
        else:
            return False
        ctx.data = aside.resting(ctx.data)
        return True

    async def begin(self, ctx: Context, flow: Flow, data: Mapping[str, Any]) -> Position:
        """Start ``flow`` afresh (a command, ``/start CODE``): no caller waits."""
        ctx.data = aside.resting(ctx.data)
        outcome = await self._enter(ctx, flow, data)
        if outcome is None:
            return None, None
        return await self.apply(ctx, flow, None, outcome)

    async def take_up(self, ctx: Context, current: Flow | None, step: str | None) -> Position:
        """/reprendre: the conversation set aside (:mod:`.aside`) where it stood, its
        question asked again; the one under way, if any, is set aside in its place."""
        found = aside.kept(ctx)
        flow = self.flows().get(found["flow"]) if found else None
        if found is None or flow is None or not flow.has_step(found["step"]):
            gone = aside.lapsed(ctx)
            ctx.data.pop(aside.KEY, None)
            until = datetime.fromisoformat(gone["until"]).astimezone(ctx.tz) if gone else None
            ctx.say(
                "common.nothing_aside",
                lapsed=self.aside_flow(gone),
                until=dates.spell_datetime(until) if until else "",
                member=ctx.actor is not None and ctx.actor.is_member,  # its example (AZ13)
            )
            return await self._ask_again(ctx, current, step)
        refusal = self.refusal(ctx, flow)
        if refusal is not None:
            ctx.say(refusal)
            return await self._ask_again(ctx, current, step)
        left = None
        if current is not None and step is not None and not self._browsing(ctx, current, step):
            left = self.outermost(ctx, current).summary
            keep_for = datetime.fromisoformat(found["until"]) - ctx.now
            aside.set_aside(ctx, current.name, step, keep_for)
        swapped = ctx.data.get(aside.KEY) if left is not None else None
        ctx.data = {**found["data"], "_q": int(ctx.data.get("_q", 0)) + 1}
        if swapped is not None:
            ctx.data[aside.KEY] = swapped
        ctx.say("common.taken_up", summary=self.outermost(ctx, flow).summary, left=left)
        ctx.send(await flow.step(found["step"]).ask(ctx))
        return flow.name, found["step"]

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
        refusal = self.refusal(ctx, flow)
        if refusal is not None:
            ctx.say(refusal)
            ctx.data = kept
            return None
        outcome = await flow.start(ctx) if flow.start is not None else None
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

    def _earlier(self, ctx: Context, step: str) -> list[str]:
        """The questions asked before ``step`` in this flow, oldest first."""
        trail = list(ctx.data.get("_trail") or [])
        return trail[:-1] if trail and trail[-1] == step else trail

    def goes_back(self, ctx: Context, step: str) -> bool:
        """Whether « Retour » at ``step`` goes somewhere (:meth:`back`): a question asked
        before it, or the flow that called this one; /aide offers it only then (AW12)."""
        return bool(self._earlier(ctx, step) or ctx.data.get("_stack"))

    async def back(self, ctx: Context, flow: Flow, step: Step) -> Position:
        """ "Retour": the question asked before this one, in this flow.

        At a flow's first question, a called flow ends (its caller, a menu,
        is shown again); the flow the person started says it is the first
        question and asks it again (/annuler stops everything).  A question
        asked again keeps its earlier answer until it is answered anew.
        """
        for key in [k for k in ctx.data if k in (f"_pending_{step.name}", f"_day_{step.name}")]:
            ctx.data.pop(key)
        trail = self._earlier(ctx, step.name)
        if trail:
            ctx.data["_trail"] = trail[:-1]
            return await self.apply(ctx, flow, step, Next(trail[-1]))
        if ctx.data.get("_stack"):
            return await self.apply(ctx, flow, step, Leave())
        return await self.apply(ctx, flow, step, Stay(message=ctx.render("common.back_at_start")))

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


def _before(flow: Flow, step: str) -> list[Step] | None:
    """The questions of ``flow``'s sequence before ``step``; ``None`` for a branch's."""
    names = [s.name for s in flow.steps]
    return flow.steps[: names.index(step)] if step in names else None
