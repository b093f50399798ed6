"""What one feature brings to the bot, and every feature put together.

A feature (people, formations, absences, bilans, deadlines, attestations)
declares in one :class:`Feature` everything it plugs in: its conversations,
the ``/start CODE`` handlers of the codes it hands out, its scheduled jobs,
its exports, its organisation settings and the ways it knows to reach a
bilan's participant.  Nothing registers itself at import time: the
composition root (:mod:`bot.app`) lists the features, and :class:`Features`
hands each lower layer what it needs (the engine its flows, the scheduler
its jobs, the CLI its exports, a dialogue the settings of all features).
Imports therefore only point downward, and a process built from the list
runs every job whatever it happened to import first.  A feature's commands
are declared here at once (:class:`Command`); its dialogues and services
are imported the first time they are needed (:class:`Dialogues`,
``Feature.services``), so starting the bot imports none of them.

This module only names shapes; everything it mentions is imported for type
checking alone, so any layer may import it.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.config import Settings
    from bot.conversations.kit.context import Context
    from bot.conversations.kit.flow import Flow, Outcome
    from bot.messages import Reply
    from bot.rules import Setting
    from bot.storage.bilans import BilanParticipant
    from bot.storage.outbox import OutboxMessage
    from bot.storage.people import Role

Job = Callable[["AsyncSession", datetime, "Settings"], Awaitable[None]]
"""A scheduled job: writes outbox rows under unique keys, safe to run at any time."""


class OrganisationJob:
    """A job done organisation by organisation, in short transactions.

    ``due`` finds, in one cheap (indexed) query, the organisations with
    something to do by ``now``; the scheduler then calls ``run`` for each in
    a transaction of its own, so a digest hour with 2,000 organisations never
    holds the database for long (chats go on between two of them) and a
    process killed half-way resumes where it stopped: what was committed is
    not due any more.  ``budget`` (seconds) bounds the work of one tick for a
    catch-up that may wait for the next minute.

    A job whose per-organisation work is mostly fixed costs (a statement's
    round trip, a query compiled and its rows loaded) may also give
    ``run_many``, which does up to ``chunk`` organisations with one statement
    per kind of row: the scheduler then hands it the organisations
    ``chunk`` at a time, one short transaction per chunk, and falls back to
    ``run`` one by one for a chunk that fails, so that one organisation's
    fault leaves only itself due.

    Called like a plain :data:`Job` (``await job(session, now, settings)``),
    it does everything in the caller's transaction: for tests and one-off use.
    """

    def __init__(
        self,
        name: str,
        due: Callable[[AsyncSession, datetime, Settings], Awaitable[Sequence[int]]],
        run: Callable[[AsyncSession, int, datetime, Settings], Awaitable[None]],
        *,
        budget: float | None = None,
        run_many: Callable[[AsyncSession, Sequence[int], datetime, Settings], Awaitable[None]]
        | None = None,
        chunk: int = 1,
    ) -> None:
        self.__name__ = name
        self.due = due
        self.run = run
        self.budget = budget
        self.run_many = run_many
        self.chunk = max(1, chunk) if run_many is not None else 1

    def __repr__(self) -> str:
        return f"OrganisationJob({self.__name__})"

    async def __call__(self, session: AsyncSession, now: datetime, settings: Settings) -> None:
        due = list(await self.due(session, now, settings))
        if self.run_many is not None:
            await self.run_many(session, due, now, settings)
            return
        for organisation_id in due:
            await self.run(session, organisation_id, now, settings)


StartHandler = Callable[["Context", str], Awaitable["Outcome | None"]]
"""Answers ``/start CODE`` for the codes of one kind; ``None`` for a code it does not know."""

FreeText = Callable[["Context"], Awaitable["Outcome | None"]]
"""Reads a message typed outside any conversation ("Karim absent hier matin").

Returns ``Switch(flow, data)`` to start that flow with what was understood
(the flow's role and group checks apply, its ``start`` hook runs), ``Leave()``
after answering with ``ctx.say(...)``, or ``None`` when the text is not
its kind, so the next reader (then the engine's own: "aide", the closest
command, the idle answer) gets it.  See :meth:`bot.engine.Engine.outside`.
"""

Guide = Callable[["Context"], Awaitable[bool]]
"""Tells a person who is no member what they can do, when they write outside any
conversation, ask ``/aide`` or send a command that is not for them: one the bot knows (a
bilan's participant), or one it does not but who is expected (the Région's chargée de
mission, whose Matrix ID a formation names); ``False`` when it has nothing to say to them,
so the next guide (then the engine's own answer) speaks."""

ChatResolver = Callable[["AsyncSession", "BilanParticipant"], Awaitable[tuple[str, str] | None]]
"""(platform, chat id) where a bilan's participant can be written to, if known."""

Delivered = Callable[["AsyncSession", "OutboxMessage"], Awaitable[None]]
"""Told of each outbox row's outcome (``sent`` or ``failed``), in the transaction that
records it: a feature follows up on what it queued (a proof bundle sent marks its
deadline done; an e-mail refused is told to the trainer).  It looks at the row's key
or ``about`` and leaves alone what is not its own."""

Outdated = Callable[["AsyncSession", Sequence["OutboxMessage"], datetime], Awaitable[set[int]]]
"""Among rows the outbox is about to send, the ids of those whose news no longer holds
(a reminder of a deadline done meanwhile, of an entretien held): cancelled, not sent.  A
message waits in the outbox while its person's chat is away (a console closed, a platform
down); what it says is checked again when it leaves.  A feature answers for its own keys."""

Work = Callable[
    ["AsyncSession", dict[str, Any], datetime, "Settings"], Awaitable[Sequence["Reply"]]
]
"""Long work done after the turn that asked for it (:mod:`bot.progress`): from its JSON
arguments, the replies to send when it is done (they go through the outbox)."""

ExportRows = Callable[["AsyncSession", argparse.Namespace], Awaitable[list[dict[str, Any]]]]
ExportFile = Callable[["AsyncSession", argparse.Namespace], Awaitable[bytes]]


@dataclass(frozen=True)
class TableExport:
    """``formabot export NAME``: rows under fixed columns, as CSV, XLSX or JSON."""

    columns: Sequence[str]
    rows: ExportRows
    title: str = ""
    """The XLSX sheet's French name ("Échéances"); the export's name when empty."""


@dataclass(frozen=True)
class Command:
    """A command as ``/aide``, a platform's menu and the typo finder see it, dialogue unloaded.

    Declared in the feature's manifest, which is its one source: when the
    dialogues are loaded, the flow named ``flow`` is given these values
    (:class:`Dialogues`), so a dialogue module never repeats them.
    """

    command: str
    summary: str = ""
    """One line for /aide (and for "Vous êtes en train de : …")."""
    menu: str = ""
    """The command's label in a platform's command menu (none when empty)."""
    role: Role | None = None
    """Who may use it: ``None`` for anyone (``/start``), else members or admins."""
    in_groups: bool = False
    """May run in a group chat (no personal data shown there)."""
    participants: bool = False
    """A bilan's participant, not a member, may start it too: its start hook answers
    them (``/effacer`` says whom to ask), instead of « réservée aux équipes »."""
    flow: str = ""
    """The flow the command starts: the one of the command's name when empty."""
    in_help: bool = False
    """Open to anyone (``role`` ``None``) and yet listed in a member's /aide: ``/mesdonnees``.
    ``/start`` and ``/attestation`` are not: a member has started, and a participant is
    led to their attestation by their invitation."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "flow", self.flow or self.command)

    @classmethod
    def of(cls, flow: Flow) -> Command:
        """The command a flow built with its own ``command`` declares (a flow given eagerly)."""
        assert flow.command is not None
        return cls(
            flow.command,
            flow.summary,
            flow.menu,
            flow.role,
            flow.in_groups,
            flow.participants,
            flow.name,
        )

    def stamp(self, flow: Flow) -> None:
        """Give ``flow`` what this command declares (the flow object is the dialogue's own)."""
        flow.command, flow.summary, flow.menu = self.command, self.summary, self.menu
        flow.role, flow.in_groups = self.role, self.in_groups
        flow.participants = self.participants


@dataclass(frozen=True)
class Dialogues:
    """A feature's conversations, imported the first time one of them is needed.

    Importing every dialogue (and the services and models they use) was most
    of formabot's start; ``/aide``, the menus and a resumed conversation of
    another feature need none of them.  ``load`` imports the feature's
    dialogue modules inside its body and returns their flows; ``commands``
    says, without importing anything, what ``/aide`` lists and which flow
    each command starts.
    """

    load: Callable[[], Sequence[Flow]]
    commands: Sequence[Command] = ()


@dataclass(frozen=True, kw_only=True)
class Services:
    """What a feature gives the scheduler, the outbox, ``/reglages`` and the CLI's exports.

    A feature may give them at once (fields of its :class:`Feature`) or from
    a function importing its services inside its body (``Feature.services``):
    the first reply needs none of them, and their modules and models were a
    sixth of a start.  They are loaded together the first time any is used.
    """

    jobs: Sequence[Job] = ()
    tables: Mapping[str, TableExport] = field(default_factory=dict)
    """``formabot export NAME`` as CSV, CSV for Excel, XLSX or JSON."""
    files: Mapping[str, ExportFile] = field(default_factory=dict)
    """``formabot export NAME --out FILE``: a bundle."""
    calendars: Mapping[str, ExportFile] = field(default_factory=dict)
    """``formabot export NAME --format ics``."""
    settings: Sequence[Setting] = ()
    """What an admin may change in ``/reglages``, in the order shown."""
    chat_resolvers: Sequence[ChatResolver] = ()
    delivered: Sequence[Delivered] = ()
    """Told of the outcome of every message the outbox sent or gave up."""
    outdated: Sequence[Outdated] = ()
    """Asked, before the outbox sends, which of its messages no longer hold."""
    works: Mapping[str, Work] = field(default_factory=dict)
    """Long work by name, asked with ``ctx.later`` (:mod:`bot.progress`: a bundle, a big file)."""


@dataclass(frozen=True)
class Feature(Services):
    """One feature's manifest: what it adds to the bot, all in one place."""

    name: str
    flows: Sequence[Flow] = ()
    """Flows given already built (a toy feature of the tests); a real feature gives ``dialogues``."""
    dialogues: Dialogues | None = None
    start_codes: Sequence[StartHandler] = ()
    free_text: Sequence[FreeText] = ()
    """Readers of text typed outside any conversation, tried in feature order."""
    guides: Sequence[Guide] = ()
    """What people who are no members read outside a conversation (:data:`Guide`)."""
    unread_guides: Sequence[Guide] = ()
    """What they read, outside a conversation, after « Je ne lis pas les réactions » and the
    like (``Incoming.unread``): how to answer, in a message, what awaits it (explorer DB5)."""
    services: Callable[[], Services] | None = None
    """The rest of :class:`Services`, imported when first needed."""


class FlowRegistry(Mapping[str, "Flow"]):
    """Every flow by name, each feature's dialogues imported when one of its flows is asked for.

    A command loads its own feature; a flow named by a stored conversation
    (a restart) or by another flow (``Call``, ``Switch``) and not loaded yet
    loads the features in their order until it is found.  Iterating loads
    everything.
    """

    def __init__(self, features: Sequence[Feature]) -> None:
        self._flows: dict[str, Flow] = {}
        self._waiting = [f for f in features if f.dialogues is not None]
        self._owners = {
            c.flow: f for f in self._waiting if f.dialogues for c in f.dialogues.commands
        }
        for feature in features:
            self._add(feature.flows)

    def __getitem__(self, name: str) -> Flow:
        if name and name not in self._flows:  # "": no conversation under way, nothing to load
            owner = self._owners.get(name)
            if owner in self._waiting:
                self._load(owner)
            while name not in self._flows and self._waiting:
                self._load(self._waiting[0])
        return self._flows[name]

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return iter(self._flows)

    def __len__(self) -> int:
        self.load_all()
        return len(self._flows)

    def load_all(self) -> None:
        while self._waiting:
            self._load(self._waiting[0])

    @property
    def loaded(self) -> frozenset[str]:
        """The names of the flows imported so far."""
        return frozenset(self._flows)

    def _load(self, feature: Feature) -> None:
        self._waiting.remove(feature)
        assert feature.dialogues is not None
        flows = list(feature.dialogues.load())
        by_name = {flow.name: flow for flow in flows}
        for command in feature.dialogues.commands:
            if command.flow not in by_name:
                raise ValueError(f"command {command.command!r} starts no flow {command.flow!r}")
            command.stamp(by_name[command.flow])
        self._add(flows)

    def _add(self, flows: Iterable[Flow]) -> None:
        flows = list(flows)
        _unique("flows", [*self._flows, *(flow.name for flow in flows)])
        self._flows.update((flow.name, flow) for flow in flows)


class LazyWorks(Mapping[str, "Work"]):
    """The features' long work by name, their services loaded at the first lookup."""

    def __init__(self, features: Features) -> None:
        self._features = features

    def __getitem__(self, name: str) -> Work:
        return self._features.services.works[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._features.services.works)

    def __len__(self) -> int:
        return len(self._features.services.works)


class MergedServices:
    """The :class:`Services` of every feature, put together; a name given twice is refused."""

    def __init__(self, parts: Sequence[Services]) -> None:
        self.jobs: tuple[Job, ...] = tuple(job for p in parts for job in p.jobs)
        _unique("jobs", (getattr(job, "__name__", repr(job)) for job in self.jobs))
        _unique(
            "exports",
            (
                name
                for p in parts
                for name in (*p.tables, *p.files, *{n for n in p.calendars if n not in p.tables})
            ),
        )
        self.tables: dict[str, TableExport] = {n: t for p in parts for n, t in p.tables.items()}
        self.files: dict[str, ExportFile] = {n: e for p in parts for n, e in p.files.items()}
        self.calendars: dict[str, ExportFile] = {
            n: e for p in parts for n, e in p.calendars.items()
        }
        self.settings: tuple[Setting, ...] = tuple(s for p in parts for s in p.settings)
        _unique("settings", (s.key for s in self.settings))
        self.chat_resolvers: tuple[ChatResolver, ...] = tuple(
            r for p in parts for r in p.chat_resolvers
        )
        self.delivered: tuple[Delivered, ...] = tuple(d for p in parts for d in p.delivered)
        self.outdated: tuple[Outdated, ...] = tuple(o for p in parts for o in p.outdated)
        _unique("works", (name for p in parts for name in p.works))
        self.works: dict[str, Work] = {n: w for p in parts for n, w in p.works.items()}


def _unique(kind: str, names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"two {kind} named {name!r}")
        seen.add(name)


class Features:
    """Every installed feature, merged: what each layer of the bot is built from.

    Names must be unique across features (flows, commands, exports, settings,
    jobs): a clash is a programming error, refused when the bot is built.
    """

    def __init__(self, features: Sequence[Feature]) -> None:
        self.features = tuple(features)
        _unique("features", (f.name for f in self.features))
        self.flows = FlowRegistry(self.features)
        commands = [
            *(Command.of(flow) for f in self.features for flow in f.flows if flow.command),
            *(c for f in self.features if f.dialogues for c in f.dialogues.commands),
        ]
        _unique("commands", (c.command for c in commands))
        self.commands: dict[str, Command] = {c.command: c for c in commands}
        self.start_codes: tuple[StartHandler, ...] = tuple(
            h for f in self.features for h in f.start_codes
        )
        self.free_text: tuple[FreeText, ...] = tuple(r for f in self.features for r in f.free_text)
        self.guides: tuple[Guide, ...] = tuple(g for f in self.features for g in f.guides)
        self.unread_guides = tuple(g for f in self.features for g in f.unread_guides)
        self._services: MergedServices | None = None
        if all(f.services is None for f in self.features):
            self._services = MergedServices(self.features)  # a clash refused at once

    @property
    def services(self) -> MergedServices:
        """Every feature's :class:`Services`, the lazy ones imported at the first call."""
        if self._services is None:
            given = [f.services() for f in self.features if f.services is not None]
            self._services = MergedServices([*self.features, *given])
        return self._services

    @property
    def jobs(self) -> tuple[Job, ...]:
        return self.services.jobs

    @property
    def tables(self) -> dict[str, TableExport]:
        return self.services.tables

    @property
    def files(self) -> dict[str, ExportFile]:
        return self.services.files

    @property
    def calendars(self) -> dict[str, ExportFile]:
        return self.services.calendars

    @property
    def settings(self) -> tuple[Setting, ...]:
        return self.services.settings

    @property
    def chat_resolvers(self) -> tuple[ChatResolver, ...]:
        return self.services.chat_resolvers

    @property
    def delivered(self) -> tuple[Delivered, ...]:
        return self.services.delivered

    @property
    def works(self) -> Mapping[str, Work]:
        """Looked up at the end of every turn: a turn that asks for none loads no service."""
        return LazyWorks(self)

    async def after_delivery(self, session: AsyncSession, message: OutboxMessage) -> None:
        """Every feature's :data:`Delivered`, as one (their services loaded at the first message)."""
        for told in self.delivered:
            await told(session, message)

    async def outdated_among(
        self, session: AsyncSession, messages: Sequence[OutboxMessage], now: datetime
    ) -> set[int]:
        """Every feature's :data:`Outdated`, as one."""
        found: set[int] = set()
        for outdated in self.services.outdated:
            found |= await outdated(session, messages, now)
        return found

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)

    async def chat_of(
        self, session: AsyncSession, participant: BilanParticipant
    ) -> tuple[str, str] | None:
        """Where a bilan's participant can be written to, if any feature knows."""
        for resolver in self.chat_resolvers:
            found = await resolver(session, participant)
            if found is not None:
                return found
        return None

    def menu(self) -> list[tuple[str, str]]:
        """(command, description) for a platform's command menu, in feature order."""
        entries = [("aide", "Ce que je peux faire pour vous")]
        entries += [(f.command, f.menu) for f in self.commands.values() if f.command and f.menu]
        entries.append(("annuler", "Arrêter la saisie en cours"))
        entries.append(("reprendre", "Revenir à la saisie mise de côté"))
        return entries
