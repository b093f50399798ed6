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
runs every job whatever it happened to import first.

This module only names shapes; everything it mentions is imported for type
checking alone, so any layer may import it.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
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

ChatResolver = Callable[["AsyncSession", "BilanParticipant"], Awaitable[tuple[str, str] | None]]
"""(platform, chat id) where a bilan's participant can be written to, if known."""

Delivered = Callable[["AsyncSession", "OutboxMessage"], Awaitable[None]]
"""Told of each outbox row's outcome (``sent`` or ``failed``), in the transaction that
records it: a feature follows up on what it queued (a proof bundle sent marks its
deadline done; an e-mail refused is told to the trainer).  It looks at the row's key
or ``about`` and leaves alone what is not its own."""

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
class Feature:
    """One feature's manifest: what it adds to the bot, all in one place."""

    name: str
    flows: Sequence[Flow] = ()
    start_codes: Sequence[StartHandler] = ()
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
    free_text: Sequence[FreeText] = ()
    """Readers of text typed outside any conversation, tried in feature order."""
    delivered: Sequence[Delivered] = ()
    """Told of the outcome of every message the outbox sent or gave up."""
    works: Mapping[str, Work] = field(default_factory=dict)
    """Long work by name, asked with ``ctx.later`` (:mod:`bot.progress`: a bundle, a big file)."""


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
        flows = [flow for f in self.features for flow in f.flows]
        _unique("flows", (flow.name for flow in flows))
        _unique("commands", (flow.command for flow in flows if flow.command))
        self.flows: dict[str, Flow] = {flow.name: flow for flow in flows}
        self.commands: dict[str, Flow] = {flow.command: flow for flow in flows if flow.command}
        self.start_codes: tuple[StartHandler, ...] = tuple(
            h for f in self.features for h in f.start_codes
        )
        self.jobs: tuple[Job, ...] = tuple(job for f in self.features for job in f.jobs)
        _unique("jobs", (getattr(job, "__name__", repr(job)) for job in self.jobs))
        _unique(
            "exports",
            (
                name
                for f in self.features
                for name in (*f.tables, *f.files, *{n for n in f.calendars if n not in f.tables})
            ),
        )
        self.tables: dict[str, TableExport] = {
            n: t for f in self.features for n, t in f.tables.items()
        }
        self.files: dict[str, ExportFile] = {
            n: e for f in self.features for n, e in f.files.items()
        }
        self.calendars: dict[str, ExportFile] = {
            n: e for f in self.features for n, e in f.calendars.items()
        }
        self.settings: tuple[Setting, ...] = tuple(s for f in self.features for s in f.settings)
        _unique("settings", (s.key for s in self.settings))
        self.chat_resolvers: tuple[ChatResolver, ...] = tuple(
            r for f in self.features for r in f.chat_resolvers
        )
        self.free_text: tuple[FreeText, ...] = tuple(r for f in self.features for r in f.free_text)
        self.delivered: tuple[Delivered, ...] = tuple(d for f in self.features for d in f.delivered)
        _unique("works", (name for f in self.features for name in f.works))
        self.works: dict[str, Work] = {n: w for f in self.features for n, w in f.works.items()}

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
        return entries
