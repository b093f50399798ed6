"""The one place that knows where each conversation stands.

Every transport hands its messages to :meth:`Engine.handle` and renders the
replies it gets back.  For one message the engine, in a single transaction:

1. records the platform's event id (a redelivered event gets the replies of
   the first delivery again, and nothing else happens) with the turn's
   replies, documents included, so that a crash between the commit and the
   sending loses none of them (:meth:`Engine.delivered` then keeps only
   their text); an invitation code is never stored in clear, only sealed
   with a key kept outside the database (:mod:`bot.privacy.replies`);
2. loads the conversation state of (platform, chat, user) and who writes;
3. routes the message: a command starts a flow, anything else answers the
   current step;
4. stores the new state, checking its version so that two processes handling
   the same person cannot both win (the loser starts over).

Messages for one key are handled one at a time; different keys run
concurrently.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import invitations, progress, texts
from bot.answers import fold, visible
from bot.budget import Budget
from bot.config import Settings
from bot.conversations.kit import aside, suggestion
from bot.conversations.kit.command_help import say_help
from bot.conversations.kit.context import Actor, Context, turn_zone
from bot.conversations.kit.flow import Call, Flow, Retry, Switch
from bot.conversations.kit.runner import STRANGER, Position, Runner
from bot.conversations.kit.steps import Text
from bot.failures import SPACE, log_failure
from bot.manifest import Command, Features, Guide
from bot.messages import BUSY, SAY_ONCE, Incoming, Reply
from bot.metrics import METRICS
from bot.privacy.replies import Sealer, delivered_copy, replayed, stored_copy
from bot.storage import delivered
from bot.storage import turn_rows as rows
from bot.storage.base import stamps_from, utcnow
from bot.storage.db import Database
from bot.storage.people import Role
from bot.storage.ping import database_away
from bot.turn_failures import CONFLICT_RETRIES, StaleState, conflicted, worth_again
from bot.typos import BACK_WORDS, HELP_WORDS, closest_commands, spoken_commands

log = logging.getLogger(__name__)

GLOBAL_COMMANDS = ("aide", "annuler", "help", "reprendre")


@dataclass(frozen=True)
class Stand:
    """Where a conversation stands, as the turn read it (``id`` None: its first turn)."""

    id: int | None
    flow: str | None
    step: str | None
    data: dict[str, Any]
    version: int
    expires_at: datetime | None


class Engine:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        features: Features,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.features = features
        self.runner = Runner(lambda: self.features.flows, self._refusal)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.budget = Budget(self.clock)
        """Each account's turns and wrong codes (:mod:`bot.budget`): a flood slows only itself."""
        self.sealer = Sealer(settings.data_dir)
        self._kept_for = timedelta(hours=settings.conversation_ttl_hours)  # or set aside
        self._locks: dict[tuple[str, str, str], asyncio.Lock] = {}
        self._waiting: dict[tuple[str, str, str], int] = {}
        self._works: dict[tuple[str, str], list[int]] = {}
        """Long work of turns committed but whose replies are not yet sent, by event."""
        self.turns_at_once = 1 if db.is_sqlite else settings.turns_at_once
        """Turns run at once: one per connection of the pool (SQLite has one)."""
        self._slots: asyncio.Semaphore | None = None

    # --- entry point ------------------------------------------------------------

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """One message, in order behind the same person's, in turn with everyone else's.

        Admission in two queues: a person's later messages wait behind their own (the lock
        of their key), and only the oldest message of each person waits for one of the
        :attr:`turns_at_once` slots, first come first served.  A peak of people makes a fair
        queue in front of the pool rather than hundreds of sessions waiting on it."""
        key = incoming.key
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        started = time.perf_counter()
        if self._slots is None:  # made in the running loop
            self._slots = asyncio.Semaphore(self.turns_at_once)
        try:
            async with lock, self._slots:
                return await self._handle_with_retries(incoming)
        finally:
            METRICS.turn(incoming.platform.value, time.perf_counter() - started)
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key]
                self._locks.pop(key, None)

    async def _handle_with_retries(self, incoming: Incoming) -> list[Reply]:
        conflicts = 0
        for attempt in range(5):
            try:
                with stamps_from(self.clock):  # outbox rows, deadlines (explorer QC6)
                    replies = await self._handle_once(incoming)
            except Exception as exc:
                # A concurrent writer got there first, the same event came twice at once, the
                # server ended the connection, a deadlock (bot.turn_failures): start over from
                # the database, which kept nothing. Not a disk full: nothing goes through until
                # space is freed.
                if SPACE.lacking(exc):
                    METRICS.error("DiskFull")
                    return [Reply(text=texts.say("common.disk_full"), extras={BUSY: SAY_ONCE})]
                if database_away(exc):  # tried again later from the inbox (explorer BA9)
                    break
                conflicts += conflicted(exc)  # a deadlock, a serialization failure (XA9)
                if conflicts > CONFLICT_RETRIES:
                    break
                if not worth_again(exc):
                    METRICS.error(type(exc).__name__)
                    log_failure("handling a message", exc)
                    return [Reply(text=texts.say("common.internal_error"))]
                log.info("retrying event after %s (attempt %s)", type(exc).__name__, attempt + 1)
                await asyncio.sleep(0.01 * (attempt + 1))
            else:
                SPACE.written()
                return replies
        return [Reply(text=texts.say("common.busy"), extras={BUSY: "1"})]

    async def _handle_once(self, incoming: Incoming) -> list[Reply]:
        async with self.db.turn() as held:
            # The engine's own rows go straight through the connection (no ORM
            # layer: :mod:`bot.storage.turn_rows`); the step's business rows
            # through ``ctx.session``, opened on it if the step needs one.
            turn = rows.on(held)
            chat, event = rows.chat_key(incoming), rows.event_key(incoming)
            row = await turn.one(rows.LOAD, chat | event)
            if row["seen"] is not None:  # handled before: its stored replies, nothing else
                return [replayed(p, self.sealer) for p in row["seen"]]
            stand, actor = await self._load(turn, incoming, row)
            zone = ZoneInfo(turn_zone(stand.data or {}, actor, self.settings.default_timezone))
            now = incoming.read_at(self.clock(), zone)  # sent while down: then (AJ1)
            ctx = Context(
                held=held,
                incoming=incoming,
                actor=actor,
                data=dict(stand.data or {}),
                now=now.astimezone(zone),
                settings=self.settings,
                features=self.features,
                handled=self.clock(),
            )
            flow_name, step_name = await self._route(ctx, stand)
            await ctx.settle()
            # The event is recorded last, with its replies: the same event handled
            # at once elsewhere makes this INSERT fail, the turn is rolled back and
            # retried, and the retry answers with what the other one stored.
            # Whole until sent (see ``delivered``), but codes only sealed.
            recorded = {
                **event,
                "processed_at": utcnow(),
                "event_replies": [stored_copy(r, self.sealer) for r in ctx.replies],
            }
            await self._save(turn, chat, stand, flow_name, step_name, ctx, recorded)
        if ctx.guessed_wrong:  # counted once the turn is kept
            self.budget.wrong_guess(account(incoming))
        if ctx.works:  # committed: the long work starts once these replies are sent
            self._works[(incoming.platform.value, incoming.event_id)] = ctx.works
        return ctx.replies

    def waiting_works(self, incoming: Incoming) -> list[int]:
        """The long work ``incoming``'s turn asked for, not started until its replies are sent."""
        return list(self._works.get((incoming.platform.value, incoming.event_id), ()))

    async def delivered(self, session: AsyncSession, *incomings: Incoming) -> None:
        """The events' replies were sent: keep only what a redelivery needs.

        Called in the transaction that marks the updates done (several at once: one read and
        one write for them all, :mod:`bot.storage.delivered`). Documents and sealed codes are
        dropped; text (codes masked) and buttons stay, so a redelivered event is answered
        again without a second effect, until the platform's redelivery window has passed
        (:func:`bot.scheduler.forget_old_events`); long work the turn asked for starts now."""
        keys = [(incoming.platform.value, incoming.event_id) for incoming in incomings]
        works = [work for key in keys for work in self._works.pop(key, ())]
        progress.start_after_commit(
            session, self.features.works, self.settings, works, clock=self.clock
        )
        await delivered.mark(await session.connection(), keys, delivered_copy, self.clock())

    # --- loading ----------------------------------------------------------------

    async def _load(
        self, turn: rows.TurnRows, incoming: Incoming, row: Mapping[str, Any]
    ) -> tuple[Stand, Actor | None]:
        """Where the conversation stands and who is writing, from the row of :data:`rows.LOAD`."""
        stand = Stand(
            row["state_id"],
            row["flow"],
            row["step"],
            row["data"] or {},
            row["version"] or 0,
            row["expires_at"],
        )
        person = row["person_id"]
        if person is None:
            return stand, None
        moved = row["identity_chat"] != incoming.chat or row["identity_blocked"] is not None
        if not incoming.is_group and moved:
            await turn.write(
                rows.MOVE_IDENTITY, {"identity": row["identity_id"], "new_chat": incoming.chat}
            )
        if row["organisation_id"] is None:
            tz = self.settings.default_timezone
            return stand, Actor(person, row["person_name"], None, None, None, tz)
        return stand, Actor(
            person_id=person,
            name=row["person_name"],
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation_name"],
            role=Role(row["role"]),
            timezone=row["timezone"],
        )

    async def actor(self, session: AsyncSession, incoming: Incoming) -> Actor | None:
        """Who is writing, with their organisation and role (what a turn loads with its state)."""
        turn = rows.on(await session.connection())
        row = await turn.one(rows.LOAD, {**rows.chat_key(incoming), **rows.event_key(incoming)})
        return (await self._load(turn, incoming, row))[1]

    async def _save(
        self,
        turn: rows.TurnRows,
        chat: dict[str, Any],
        stand: Stand,
        flow: str | None,
        step: str | None,
        ctx: Context,
        recorded: dict[str, Any],
    ) -> None:
        """Write the new state and record the event; the version check makes a concurrent
        writer's turn start over. A first turn inserts the row: a concurrent first turn of the
        same key fails that INSERT on the unique key and starts over the same way."""
        values = {
            "new_flow": flow,
            "new_step": step,
            "new_data": ctx.data if flow else aside.resting(ctx.data),
            "new_version": stand.version + 1,
            "new_expires_at": ctx.later_of_now + self._kept_for if flow else None,  # AN4
            "new_updated_at": ctx.now,
        }
        if stand.id is None:
            await turn.finish(rows.CREATE_STATE, chat | values, recorded)
            return
        saved = {**values, "state_id": stand.id, "seen_version": stand.version}
        if not await turn.finish(rows.SAVE_STATE, saved, recorded):
            raise StaleState()

    # --- routing ----------------------------------------------------------------

    async def _route(self, ctx: Context, state: Stand) -> tuple[str | None, str | None]:
        """Handle the message; return where the conversation now stands."""
        flow = self.features.flows.get(state.flow or "")
        step_name = state.step
        # Any message forgets « Vouliez-vous dire /absence ? », read or not (explorer SA9).
        offered = suggestion.taken(ctx, answering=flow is not None)
        if (unread := ctx.incoming.unread) is not None:
            ctx.say(unread)  # a changed message, a voice message…: said, the question again
            if flow is not None and step_name is not None:
                ctx.send(await flow.step(step_name).ask(ctx))
                return flow.name, step_name
            await self._guided(ctx, self.features.unread_guides)  # how to answer instead (DB5)
            return None, None
        if ctx.repeats_taken_press(answering=flow is not None):
            return state.flow, state.step
        if offered is not None:
            ctx.incoming = replace(ctx.incoming, text=offered)  # « oui »: explorer QB17
        command = ctx.incoming.command
        if flow is not None and self.runner.closes(ctx, flow, state.expires_at):
            if command is None:  # « Anne absente hier » the morning after: read (explorer AF2)
                return await self.outside(ctx, starts_only=True)
            flow = None

        if command is not None:
            return await self._command(ctx, command, flow, step_name)
        if flow is None or step_name is None:
            return await self.outside(ctx)
        step = flow.step(step_name)
        typed = fold(ctx.incoming.text) if ctx.incoming.choice is None else ""
        if not isinstance(step, Text) and typed in HELP_WORDS and not ctx.offers(typed):
            return await self._command(ctx, "aide", flow, step_name)
        if typed in BACK_WORDS and not ctx.offers(typed):
            return await self.runner.back(ctx, flow, step)
        if not step.reads_numbers:
            ctx.press_number()
        outcome = await step.take(ctx)
        if isinstance(outcome, Retry) and ctx.incoming.choice is None and not step.keeps_sentences:
            # Not an answer to this question, but a sentence that starts something
            # ("Inès absente hier matin" with /echeances' list still open): that.
            said, ctx.in_dialogue = len(ctx.replies), True
            for reader in self.features.free_text:
                started = await reader(ctx)
                if isinstance(started, Switch):
                    self.runner.leave(ctx, flow, step.name, self._kept_for)
                    return await self.runner.outside(ctx, started)
                del ctx.replies[said:]  # a suggestion of commands: the question's own re-ask
        return await self.runner.answered(ctx, flow, step, outcome)

    async def _command(
        self, ctx: Context, command: str, current: Flow | None, step_name: str | None
    ) -> tuple[str | None, str | None]:
        if command in ("annuler", "stop"):  # /stop, what a bot is told to stop (KE4)
            if current is None:
                ctx.say("common.nothing_to_cancel")
                return None, None
            self.runner.cancelled(ctx, current)
            ctx.data = aside.resting(ctx.data)
            return None, None
        if command == "reprendre":
            return await self.runner.take_up(ctx, current, step_name)
        if command in ("aide", "help"):
            if current is None and await self._guided(ctx):
                return None, None
            await self._help(ctx, current, step_name)
            if current is not None and step_name is not None:
                return current.name, step_name
            return None, None
        target = self.features.commands.get(command)
        refusal = self._refusal(ctx, target) if target is not None else None
        locked = self.budget.locked(account(ctx.incoming)) if command == "start" else None
        if locked is not None and ctx.incoming.argument:
            # Too many wrong codes from this account: refused untried for a while.
            ctx.say("common.codes_locked", until=locked.astimezone(ctx.tz))
            if current is not None and step_name is not None:
                ctx.send(await current.step(step_name).ask(ctx))
                return current.name, step_name
            return None, None
        if refusal in (STRANGER, "common.participant_only") and current is None:
            # What they can do (a participant, the chargée de mission, in private: DC6); AP3
            if not (self.runner.in_a_group(ctx) or await self._guided(ctx)):
                ctx.say(STRANGER if refusal == STRANGER else "onboarding.no_longer_member")
            elif refusal != STRANGER and not ctx.incoming.is_group:  # why not theirs, first
                ctx.replies.insert(0, Reply(text=ctx.render(refusal)))
            return None, None
        if target is None or (refusal is not None and current is not None):
            # Unknown, or not for this person: say so, and whatever was under
            # way stays where it was (its question asked again).
            if target is None:
                ctx.say(
                    "common.unknown_command",
                    command=visible(command)[:40],  # no bidi override echoed (AB3)
                    close=spoken_commands(self._closest(ctx, command)),
                )
                if current is None:  # « oui » then is that command (explorer QB17)
                    suggestion.offer(ctx, self._closest(ctx, command), ctx.incoming.argument)
            elif refusal == STRANGER and current is not None:
                # Someone joining: not a stranger for long; the chargée: what she can do (DC9).
                ctx.say(current.refused_saying or "common.not_yet", command=visible(command)[:40])
            else:
                ctx.say(refusal or "common.admins_only")
            if current is not None and step_name is not None:
                ctx.send(await current.step(step_name).ask(ctx))
                return current.name, step_name
            return None, None
        flow = self.features.flows[target.flow]
        if current is not None and (ctx.actor is not None or current.left_saying):  # CB10
            return await self.runner.over(ctx, current, step_name, flow, self._kept_for)
        return await self.start(ctx, flow, {})

    async def start(self, ctx: Context, flow: Flow, data: dict[str, Any]) -> Position:
        """Begin ``flow``: check who may use it, run its start hook, ask the first question."""
        return await self.runner.begin(ctx, flow, data)

    def _refusal(self, ctx: Context, flow: Flow | Command) -> str | None:
        if ctx.incoming.is_group and not flow.in_groups:
            return "common.private_only"
        if flow.role is None:
            return None
        if ctx.actor is None:
            return STRANGER
        if not ctx.actor.is_member:
            # Known, from a bilan's invitation: "je ne vous connais pas" would be untrue.
            return None if flow.participants else "common.participant_only"
        if flow.role is Role.ADMIN and not ctx.actor.is_admin:
            return "common.admins_only"
        return None

    async def outside(self, ctx: Context, *, starts_only: bool = False) -> Position:
        """Text typed outside any conversation: the one place that reads it.

        In order: an invitation's code alone (read as ``/start CODE``); each
        feature's ``free_text`` reader (``Feature.free_text``: a sentence such
        as "Karim absent hier matin" may start its flow, prefilled); "aide"
        without its slash; a word close to a command ("absense" → /absence);
        otherwise, to someone who is no member, what they can do
        (``Feature.guides``), to anyone else the idle answer.  ``starts_only`` (a lapsed
        conversation was just closed, said): only what starts something."""
        if ctx.incoming.choice is not None:
            if not starts_only and not await self._guided(ctx):  # a participant: where (AJ4)
                ctx.refuse_stale("common.stale_button_idle")
            return None, None
        code = invitations.pasted(ctx.incoming.text)
        if not ctx.incoming.is_group and invitations.looks_issued(code):
            # An invitation's code pasted without /start: read as /start CODE, with
            # the same checks and the same limit on wrong codes.
            ctx.incoming = replace(ctx.incoming, text=f"/start {code}")
            return await self._command(ctx, "start", None, None)
        said = len(ctx.replies)
        for reader in self.features.free_text:
            outcome = await reader(ctx)
            if isinstance(outcome, Switch | Call) or (outcome is not None and not starts_only):
                return await self.runner.outside(ctx, outcome)
        if starts_only:
            del ctx.replies[said:]  # a suggestion of commands: the closing notice answers
            return None, None
        typed = fold(ctx.incoming.text)
        if typed in HELP_WORDS:
            if not await self._guided(ctx):
                await self._help(ctx, None, None)
            return None, None
        close = self._closest(ctx, typed) if 0 < len(typed.split()) <= 2 else []
        if close == ["annuler"]:  # nothing under way: said at once, not « tapez /annuler » (QB3)
            ctx.say("common.nothing_to_cancel")
            return None, None
        if close:
            ctx.say("common.did_you_mean", close=spoken_commands(close))
            return None, None
        if not await self._guided(ctx):
            self.runner.idle(ctx)
        return None, None

    async def _guided(self, ctx: Context, guides: tuple[Guide, ...] | None = None) -> bool:
        """A non-member (a participant, a chargée de mission) is told what they can do."""
        if (ctx.actor is not None and ctx.actor.is_member) or ctx.incoming.is_group:
            return False
        for guide in self.features.guides if guides is None else guides:
            if await guide(ctx):
                return True
        return False

    def _closest(self, ctx: Context, word: str) -> list[str]:
        """The commands this person may use that look like ``word`` (a typo, no slash)."""
        mine = [
            name
            for name, flow in self.features.commands.items()
            if self._refusal(ctx, flow) is None and (flow.summary or flow.role is None)
        ]
        return closest_commands(word, [*mine, "aide", "annuler", "reprendre"])

    async def _help(self, ctx: Context, flow: Flow | None, step_name: str | None) -> None:
        if flow is not None and step_name is not None:
            self.runner.help_in_flow(ctx, flow, step_name)
            ctx.send(await flow.step(step_name).ask(ctx))  # off screen after a restart
            return
        if self.runner.in_a_group(ctx) or (ctx.actor is not None and not ctx.actor.is_member):
            if not ctx.incoming.is_group and not await self._guided(ctx):  # BD10: a stranger
                ctx.say("onboarding.no_longer_member", actor=ctx.actor)  # a former member
            return
        # Members see what they may do; the flows open to anyone (/start, the
        # participants' /attestation, /effacer's answer to them) are for people who are not.
        flows = [f for f in self.features.commands.values() if f.summary and (f.role or f.in_help)]
        available = [f for f in flows if ctx.actor and self._refusal(ctx, f) is None]
        say_help(ctx, available)  # « /aide absence »: that command's own (explorer QB20)


def account(incoming: Incoming) -> tuple[str, str]:
    """The account behind a message, whatever chat it wrote from: what a budget is kept for."""
    return incoming.platform.value, incoming.user
