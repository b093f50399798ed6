"""The conversation under way and what else comes: another command sets it aside
(:mod:`.aside`) or starts it again, /reprendre takes it up, it lapses or is closed, and
text that answers nothing is answered.  From an outcome to the next question:
:mod:`.carry`.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot import dates
from bot.answers import MAX_TEXT, fold
from bot.conversations.kit import aside, suggestion
from bot.conversations.kit.carry import Carrier, Position, filled_itself
from bot.conversations.kit.flow import ASKED_AGAIN, SAVED_BEFORE, Flow, Leave, Outcome, Step, Switch
from bot.typos import GREETINGS

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context

__all__ = ["CLOSED", "COURTESY", "GROUP_NOT_MEMBER", "STRANGER", "Position", "Runner"]

COURTESY = {
    **dict.fromkeys(GREETINGS, "hello"),
    **dict.fromkeys(("merci", "merci bien", "super merci", "parfait merci"), "thanks"),
    **dict.fromkeys(("au revoir", "bonne journee", "bonne soiree", "a bientot"), "bye"),
}
"""A member's « bonjour », « merci », « au revoir » out of any conversation: answered as such
(explorer AW4: « Je ne suis pas sûr de ce que vous voulez faire »)."""

STRANGER = "common.stranger"
GROUP_NOT_MEMBER = "common.group_not_member"
"""In a group, to someone who is no member (a chargée de mission, a délégué): to write in
private, where what concerns them is said, never « Vous ne faites plus partie d'aucun
organisme » before everyone (explorer DC6)."""
"""The refusal to someone the bot does not know (the engine's, and where it is told apart)."""

CLOSED = "_closed"
"""Why a conversation was closed by someone else (``erased``), said at its next message."""


class Runner(Carrier):
    """Carries a conversation from an outcome to the question it leads to (:class:`Carrier`),
    and through what else comes while it waits."""

    def outermost(self, ctx: Context, current: Flow) -> Flow:
        """The flow the person started (the bottom of the stack), for what /annuler says."""
        stack = ctx.data.get("_stack") or []
        if stack:
            return self.flows().get(stack[0]["flow"], current)
        return current

    def doing(self, ctx: Context, current: Flow) -> str:
        """What the conversation under way does, as its outermost flow's answers say it
        (:meth:`Flow.doing`: « noter un retard » for a late arrival's sentence, BE7)."""
        return self.outermost(ctx, current).doing(_outer_data(ctx.data))

    def cancelled(self, ctx: Context, current: Flow) -> None:
        """What /annuler says of the flow the person started, named as :meth:`doing` says
        it: what is lost when it is more than answers (``Flow.cancelled_saying``, explorer
        BB8: the chargée's message held for her answer reached no one, unsaid), else that
        nothing unconfirmed is saved."""
        outermost = self.outermost(ctx, current)
        ctx.say(
            "common.cancelled",
            flow=outermost,
            summary=self.doing(ctx, current),
            lost=self.lost(ctx, current),
        )

    def help_in_flow(self, ctx: Context, current: Flow, step_name: str) -> None:
        """/aide at a question: what is under way, the step's help, and the ways on, back and
        out, as they stand (no « Retour » at the first question, explorer AW12; /annuler no
        longer undoes what is saved, AD1, nor only answers, CB11)."""
        step = current.step(step_name)
        ctx.say(
            "common.help_in_flow",
            summary=current.doing(ctx.data).split(" (")[0],  # its example is no part of it
            hint=ctx.render(step.help) if step.help else "",
            first=not self.goes_back(ctx, step_name),
            saved=ctx.data.get("_saved"),
            before=ctx.data.get(SAVED_BEFORE),  # the absence before the follow-up (BB6)
            lost=self.lost(ctx, current),
        )

    def lost(self, ctx: Context, current: Flow) -> str:
        """What /annuler loses when it is more than answers (``Flow.cancelled_saying``), as
        /annuler and /aide say it; "" for the usual words (explorer CB11: her /aide said « sans
        rien enregistrer » of her message held)."""
        said = self.outermost(ctx, current).cancelled_saying
        return ctx.render(said) if said else ""

    def leave(self, ctx: Context, current: Flow, step: str, keep_for: timedelta) -> None:
        """The conversation under way, left for another command: set aside (:mod:`.aside`)
        and said so, with the one set aside before, if any, now dropped (only one is kept).

        A list being looked through (``Flow.browsing``, at its own questions) is
        closed instead, without a word: it holds nothing typed, and it must not
        take the place of a half-typed one set aside before (explorer U U11: a
        look at /echeances between two commands lost a /formation's answers).
        """
        again = ctx.data.pop(ASKED_AGAIN, False)  # never kept with what is set aside
        if self._browsing(ctx, current, step):
            if current.left_saying and not again:
                ctx.say(current.left_saying, d=ctx.data)
            return
        doing = self.doing(ctx, current)
        dropped = self.aside_words(aside.kept(ctx))
        aside.set_aside(ctx, current.name, step, keep_for)
        ctx.say(
            "common.abandoned",
            summary=doing,
            dropped=dropped,
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
            ctx.say("common.again", summary=self.doing(ctx, current))
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
    ) -> Position:
        """``flow``'s command typed while ``current`` waits at ``step``: what is under way set
        aside (:meth:`before_command`), then ``flow`` begun.  A member's ``/start`` runs
        first: only when it starts a conversation is the one under way set aside; a code
        refused, a bare ``/start``, a link not hers say so and ask the question in hand again
        (explorer GD5: a mistyped code set the dialogue aside, abandoned the one set aside
        before, and was then refused). A participant's code too (explorer UC6: her
        attestation set aside, then the code refused); her bare ``/start``: :meth:`before_command`.
        Someone unknown (the chargée de mission, no actor) is no member: her message held for
        « de quelle formation … ? » is not dropped unsaid (explorer CB10)."""
        member = ctx.actor is not None and ctx.actor.is_member
        start = step is not None and ctx.incoming.command == "start"
        if start and (member or ctx.incoming.argument):
            assert step is not None
            return await self._start_over(ctx, current, step, flow, keep_for, member=member)
        kept = await self.before_command(ctx, current, step, flow.name, keep_for, member=member)
        if kept is not None:
            return kept
        return await self.begin(ctx, flow, {})

    async def _start_over(
        self,
        ctx: Context,
        current: Flow,
        step: str,
        flow: Flow,
        keep_for: timedelta,
        *,
        member: bool,
    ) -> Position:
        """:meth:`over` for a ``/start`` (a participant's: with a code): its hook first, on what
        the conversation's row keeps at rest; what it said comes after the words of what it
        set aside."""
        under_way, said = copy.deepcopy(ctx.data), len(ctx.replies)
        ctx.data, ctx.in_dialogue = aside.resting(ctx.data), True
        outcome = await self._enter(ctx, flow, {})
        ctx.in_dialogue = False
        if outcome is None or isinstance(outcome, Leave):
            ctx.data = under_way
            return await self._ask_again(ctx, current, step)
        if _reopens(under_way, current, outcome):  # her own link again (explorer UC6)
            ctx.data = under_way
            del ctx.replies[said:]
            ctx.say("common.where_we_were")
            return await self._ask_again(ctx, current, step)
        started, words = ctx.data, ctx.replies[said:]
        ctx.data = under_way
        del ctx.replies[said:]
        await self.before_command(ctx, current, step, flow.name, keep_for, member=member)
        if aside.KEY in ctx.data:
            started[aside.KEY] = ctx.data[aside.KEY]
        ctx.data = started
        ctx.replies.extend(words)
        return await self.apply(ctx, flow, None, outcome)

    def aside_flow(self, found: dict[str, Any] | None) -> Flow | None:
        """The command a conversation set aside was started with (its name, its summary)."""
        return self.flows().get(aside.first_flow(found)) if found is not None else None

    def aside_words(self, found: dict[str, Any] | None) -> str | None:
        """What the conversation set aside waits for, as said to the person."""
        flow = self.aside_flow(found)
        if found is None or flow is None:
            return None
        return aside.waiting_words(found["data"], flow.doing(_outer_data(found["data"])))

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
        waiting = self.aside_words(aside.kept(ctx))
        polite = COURTESY.get(fold(ctx.incoming.text).removesuffix(" beaucoup"), "")
        if ctx.data.pop(suggestion.DECLINED, None):  # « non » to « Vouliez-vous dire … ? »
            polite = "declined"
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
        AM4, AR4, answers dropped as « depuis le début ».  An answer the flow filled itself
        (:func:`~.carry.filled_itself`) is none of theirs (explorer BE4)."""
        if ctx.data.get("_stack"):
            return False
        before = _before(current, step)
        return not any(
            s.store in ctx.data and not filled_itself(ctx, s.store)
            for s in (current.steps if before is None else before)
        )

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
        answer = None
        if expires_at is not None and expires_at <= ctx.now:  # « at once »: closed by now
            why = ctx.data.get(CLOSED)  # closed by someone else's erasure, not by time
            reads = (
                outermost.lapsed_reads if why != "erased" and ctx.incoming.choice is None else None
            )
            answer = ctx.data["_answer_read"] = reads(ctx) if reads is not None else None
            ctx.say(
                "common.erased_meanwhile" if why == "erased" else "common.expired",
                summary=self.doing(ctx, current),
                flow=outermost,  # a participant is told the command to start again (AG10)
                lost=ctx.render(outermost.lapsed_saying).strip() if outermost.lapsed_saying else "",
            )
        elif aside.foreign(ctx, ctx.data):
            # Started in an organisation she has left, for another maybe: never carried
            # there (explorer AF1).
            ctx.say("common.no_longer_yours", summary=self.doing(ctx, current), why=None)
        elif why := (
            self.refusal(ctx, current)
            or (self.refusal(ctx, outermost) if outermost is not current else None)
        ):
            # Which it is, said (explorer AZ11, BD10: a demoted administrator, still a member,
            # read « vous ne faites plus partie de l'organisme », « il a peut-être été retiré »).
            ctx.say("common.no_longer_yours", summary=self.doing(ctx, current), why=why)
        else:
            return False
        ctx.data = aside.resting(ctx.data)
        if answer:  # read instead, as if typed so (explorer QB5)
            ctx.incoming = replace(ctx.incoming, text=answer)
        return True

    async def take_up(self, ctx: Context, current: Flow | None, step: str | None) -> Position:
        """/reprendre: the conversation set aside (:mod:`.aside`) where it stood, its
        question asked again; the one under way, if any, is set aside in its place."""
        if (behind := aside.left_behind(ctx)) is not None:
            # Set aside in an organisation left since: dropped, the true reason said (AF1).
            ctx.data.pop(aside.KEY, None)
            ctx.say(
                "common.no_longer_yours",
                summary=self.aside_words(behind) or "",
                why=None,
            )
            return await self._ask_again(ctx, current, step)
        found = aside.kept(ctx)
        flow = self.flows().get(found["flow"]) if found else None
        if found is None or flow is None or not flow.has_step(found["step"]):
            gone = aside.lapsed(ctx)
            ctx.data.pop(aside.KEY, None)
            until = datetime.fromisoformat(gone["until"]).astimezone(ctx.tz) if gone else None
            # Named by what waited, saved or not (explorer JA1: an offer left after the
            # absences were saved lapsed into « rien n'en a été enregistré »).
            ctx.say(
                "common.nothing_aside",
                lapsed=self.aside_flow(gone),
                saved=gone["data"].get("_saved") if gone else None,
                until=dates.spell_datetime(until) if until else "",
                member=ctx.actor is not None and ctx.actor.is_member,  # its example (AZ13)
                # A bilan's participant attests; the chargée de mission (no account) never.
                participant=ctx.actor is not None and not ctx.actor.is_member,
            )
            return await self._ask_again(ctx, current, step)
        refusal = self.refusal(ctx, flow)
        if refusal is not None:
            ctx.say(refusal)
            return await self._ask_again(ctx, current, step)
        if not await _still(ctx, flow, found["data"]):
            ctx.data.pop(aside.KEY, None)
            return await self._ask_again(ctx, current, step)
        left = None
        if current is not None and step is not None and not self._browsing(ctx, current, step):
            left = aside.waiting_words(ctx.data, self.doing(ctx, current))
            keep_for = datetime.fromisoformat(found["until"]) - ctx.now
            aside.set_aside(ctx, current.name, step, keep_for)
        swapped = ctx.data.get(aside.KEY) if left is not None else None
        ctx.data = {**found["data"], "_q": int(ctx.data.get("_q", 0)) + 1}
        if swapped is not None:
            ctx.data[aside.KEY] = swapped
        summary = aside.waiting_words(ctx.data, self.doing(ctx, flow))
        ctx.say("common.taken_up", summary=summary, left=left)
        ctx.send(await flow.step(found["step"]).ask(ctx))
        return flow.name, found["step"]


async def _still(ctx: Context, flow: Flow, data: dict[str, Any]) -> bool:
    """:attr:`Flow.still` read on the answers set aside (the ones under way kept)."""
    if flow.still is None:
        return True
    under_way, ctx.data = ctx.data, dict(data)
    try:
        return await flow.still(ctx)
    finally:
        ctx.data = under_way


def _outer_data(data: dict[str, Any]) -> dict[str, Any]:
    """The answers of the flow the person started: the bottom frame's, under its calls."""
    stack = data.get("_stack") or []
    return dict(stack[0]["data"]) if stack else data


def _before(flow: Flow, step: str) -> list[Step] | None:
    """The questions of ``flow``'s sequence before ``step``; ``None`` for a branch's."""
    names = [s.name for s in flow.steps]
    return flow.steps[: names.index(step)] if step in names else None


def _reopens(under_way: dict[str, Any], current: Flow, outcome: Outcome) -> bool:
    """Whether a ``/start``'s ``outcome`` opens the conversation under way again, about the
    same thing: a participant's own link opened a second time mid-answer (the same
    invitation). She goes on where she was, told so; it set her attestation aside and asked
    her name again (explorer UC6)."""
    if not isinstance(outcome, Switch) or outcome.flow != current.name:
        return False
    shared = [key for key in outcome.data if key in under_way]
    return bool(shared) and all(under_way[key] == outcome.data[key] for key in shared)
