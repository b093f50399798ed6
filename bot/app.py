"""The composition root: the list of features, and the bot built from it.

:data:`FEATURES` is the one list of what formabot does.  From it this module
builds the engine (every feature's flows and ``/start`` codes), the
scheduler (every feature's jobs), the CLI's exports and each transport's
command menu.  It is the only module that knows every feature; everything
else receives what it needs, so imports only point downward.

One process runs every configured transport, the outbox sender and the
scheduler.  Starting is importing: what only some turns need (fpdf2 for a
PDF, icalendar for an invitation, cryptography for a code or a signature,
Alembic when the schema is behind, python-telegram-bot and matrix-nio for
their transport, every feature's dialogues and services: see
:class:`bot.manifest.Dialogues`) is imported by the code that uses it, on first use, so
the console answers its first message in about half a second and an idle
bot stays under 100 MB.  One thing is warmed in the background, a few
seconds after the start: dateparser's French data (0.6 s, 18 MB), so the
first "dans 15 jours" a trainer types does not wait for it.  The first PDF
of a process pays fpdf2's import (about 0.4 s, once), which is cheaper than
keeping 25 MB of it in every idle bot.

Transports share a small protocol: ``start``/``stop`` around the engine,
and ``send`` for what the outbox delivers.  ``formabot run`` starts them all
and stops them cleanly on SIGINT/SIGTERM.

A worker (``formabot work``, :mod:`bot.workers`) runs the same loop with
``worker=True``: its transports only answer what it claims in the shared
inbox, and it runs neither the outbox sender nor the scheduler, which stay
with the receiving process (one sender, one tick, as with one process).
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from bot import dates, progress
from bot.config import Settings
from bot.engine import Engine
from bot.features import (
    absences,
    attestations,
    bilans,
    deadlines,
    formations,
    language,
    people,
    privacy,
)
from bot.mailer import Mailer
from bot.manifest import Feature, Features
from bot.messages import Reply
from bot.metrics import Endpoint
from bot.outbox import Sender, SendFunction, forget_delivered_messages
from bot.progress import resumer
from bot.scheduler import Scheduler, forget_handled_updates, forget_old_events
from bot.storage.base import utcnow
from bot.storage.db import Database

log = logging.getLogger(__name__)

CORE = Feature(
    name="core", jobs=(forget_old_events, forget_handled_updates, forget_delivered_messages)
)
"""What belongs to no feature: forgetting event ids and delivered messages of long ago."""

FEATURES = Features(
    [
        CORE,
        people.FEATURE,
        formations.FEATURE,
        absences.FEATURE,
        bilans.FEATURE,
        deadlines.FEATURE,
        attestations.FEATURE,
        privacy.FEATURE,
        language.FEATURE,  # last: its reader of free text comes after every feature's own
    ]
)
"""Everything formabot does.  Adding a feature is adding its manifest here."""


def build_engine(
    db: Database,
    settings: Settings,
    *,
    features: Features = FEATURES,
    clock: Callable[[], datetime] | None = None,
) -> Engine:
    return Engine(db, settings, features, clock=clock)


def build_scheduler(
    db: Database,
    settings: Settings,
    *,
    features: Features = FEATURES,
    clock: Callable[[], datetime] | None = None,
) -> Scheduler:
    jobs = (*features.jobs, resumer(features.works))  # long work a stop left undone
    return Scheduler(db, settings, jobs, clock=clock)


def build_sender(
    db: Database,
    settings: Settings,
    platforms: Mapping[str, SendFunction],
    *,
    features: Features = FEATURES,
    clock: Callable[[], datetime] = utcnow,
) -> Sender:
    """The outbox's sender: each platform's send, SMTP when configured, and the features'
    follow-ups and second looks (a reminder whose deadline was done meanwhile is not sent)."""
    return Sender(
        db.sessions,
        platforms,
        mailer=Mailer(settings).send if settings.has_smtp else None,
        after=(features.after_delivery,),
        outdated=features.outdated_among,
        clock=clock,
    )


class Transport(Protocol):
    platform: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_id: str, reply: Reply) -> None: ...


QUIET_LOGGERS = (
    # They log what goes over the wire: whole updates, message texts, SQL
    # parameters, URLs holding the bot token.  Never below WARNING, even when
    # formabot itself runs at DEBUG.
    "telegram",
    "httpx",
    "httpcore",
    "nio",
    "peewee",  # nio's key store: the people's Matrix IDs and the bot's key pickles (explorer AC5)
    "aiosqlite",
    "asyncpg",
    "sqlalchemy",
    "aiosmtplib",
    "mail.log",
    "asyncio",
    "alembic",
    "fontTools",
)
SILENT_LOGGERS = ("nio.events", "nio.responses", "nio.crypto")
"""nio's validation dumps a whole decrypted event that fails its schema, body included, at
WARNING (explorer EF8: a file's name naming a trainee and her arrêt); its crypto warns twice
after every sync for an event it cannot decrypt (explorer EF3: 270 lines in 14 minutes).
Only their errors are kept."""


class MaskedIds(logging.Filter):
    """A Matrix ID or an e-mail address in a log line, masked: on Tchap the ID is the person's
    name and work address, and the Matrix library's own warnings print it (explorer AX6:
    « Received a undecryptable Megolm event from a unknown device: @lea.martin… »)."""

    PATTERN = re.compile(r"@[\w.=+/-]+:[\w.-]+|[\w.+-]+@[\w-]+\.[\w.-]+")

    def filter(self, record: logging.LogRecord) -> bool:
        said = record.getMessage()
        masked = self.PATTERN.sub("[identifiant masqué]", said)
        if masked != said:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:  # a traceback's text too (explorer AZ16)
            shown = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self.PATTERN.sub("[identifiant masqué]", shown)
        return True


def setup_logging(level: str) -> None:
    """Plain logs with no personal data: chatty libraries are held at WARNING, and what they
    still say is masked of people's identifiers (:class:`MaskedIds`)."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        # The process: with --workers the parent and its children write one log (GC7).
        format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for silent in SILENT_LOGGERS:
        logging.getLogger(silent).setLevel(logging.ERROR)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskedIds) for f in handler.filters):
            handler.addFilter(MaskedIds())


WARM_UP_AFTER = 2.0
"""Seconds after the start before warming up: the first replies go first."""

BACKGROUND_AFTER = 1.0
"""Seconds after the start before the outbox sender's and the scheduler's first round.

Their first round configures every model and imports every job's service: a
tenth of a start spent before the first message could be answered.  What
they send is due already and goes out a second later.
"""


async def after(delay: float, work: Callable[[], Awaitable[None]]) -> None:
    """``work()`` once ``delay`` seconds have passed (cancelled meanwhile: never started)."""
    await asyncio.sleep(delay)
    await work()


async def warm_up(delay: float = WARM_UP_AFTER) -> None:
    """Load dateparser's French data while nobody waits for it."""
    await asyncio.sleep(delay)
    await asyncio.to_thread(dates.understand, "dans 15 jours", datetime.now(UTC), "future")


def transports_for(settings: Settings, engine: Engine) -> list[Transport]:
    found: list[Transport] = []
    if settings.has_telegram:
        # Imported here only because python-telegram-bot is slow to import and
        # the console never needs it (no circle: the transport imports no root).
        from bot.transports.telegram import TelegramTransport

        found.append(TelegramTransport(settings, engine))
    if settings.has_matrix:
        # Imported here for the same reason (matrix-nio and its crypto load slowly).
        from bot.transports.matrix import MatrixTransport

        found.append(MatrixTransport(settings, engine))
    return found


WORK_GRACE = 120.0
"""Seconds a console whose input ended waits for the long work it asked (a bundle)."""


async def serve(
    settings: Settings,
    db: Database,
    transports: list[Transport],
    *,
    until: Callable[[], Awaitable[None]] | None = None,
    worker: bool = False,
) -> None:
    """Run transports, sender and scheduler until a signal (or ``until`` returns).

    ``worker``: the transports and nothing else (no sender, no scheduler).
    """
    stop = asyncio.Event()
    # PostgreSQL's connections opened while the transports connect, not under
    # the first turns: a restart in a peak gets its queued updates at once.
    opening = asyncio.create_task(db.open_connections())
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    sender = build_sender(db, settings, {t.platform: t.send for t in transports})
    if not settings.has_smtp and not worker:
        log.info("no SMTP server configured: the trainers forward the drafts themselves")
    endpoint = Endpoint(db, settings.metrics_host, settings.metrics_port, sender.platforms)
    if settings.metrics_port:  # answers /healthz while the transports still connect
        await endpoint.start()

    # A transport waits for its platform while it is unreachable: a signal
    # meanwhile stops the wait instead of being ignored until it is back.
    async def start_all() -> None:
        await asyncio.gather(*(t.start() for t in transports))

    starting = asyncio.create_task(start_all())
    stopping = asyncio.create_task(stop.wait())
    first: set[asyncio.Task[Any]] = {starting, stopping}
    await asyncio.wait(first, return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():
        starting.cancel()
        await asyncio.gather(starting, return_exceptions=True)
        log.info("stopping before the transports were reachable")
        for transport in transports:
            await transport.stop()
        opening.cancel()
        await asyncio.gather(opening, return_exceptions=True)
        await endpoint.stop()
        return
    stopping.cancel()
    starting.result()  # a transport that failed to start for good (a wrong token) says so
    tasks = [opening, asyncio.create_task(warm_up())]
    if not worker:
        tasks.append(asyncio.create_task(after(BACKGROUND_AFTER, lambda: sender.run_forever(stop))))
        tasks.append(
            asyncio.create_task(
                after(BACKGROUND_AFTER, lambda: build_scheduler(db, settings).run_forever(stop))
            )
        )
    failed: list[BaseException] = []
    if until is not None:

        async def _until() -> None:
            try:
                # A console is short-lived (a piped session lasts a second): what a
                # console stopped too soon left queued is delivered before the first
                # line, to this person's screen and to the others' inbox files.
                await sender.run_once()
                await until()
                # The console's input ended: what it asked last (a bundle) is finished
                # and shown before leaving, not left to the next start; what is due for
                # the others is written to their inbox files.
                platforms = [t.platform for t in transports]
                finishing = progress.finish(db.sessions, sender.run_once, platforms)
                await asyncio.wait_for(finishing, WORK_GRACE)
                await asyncio.wait_for(sender.run_once(), WORK_GRACE)
            except TimeoutError:
                log.info("stopping with long work unfinished: it resumes at the next start")
            except Exception as exc:  # raised once stopped: said, exit code 1 (explorer BA2)
                failed.append(exc)
            finally:
                stop.set()

        tasks.append(asyncio.create_task(_until()))
    log.info(
        "formabot %s: %s",
        "worker running" if worker else "running",
        ", ".join(t.platform for t in transports) or "no transport",
    )
    await stop.wait()
    log.info("stopping")
    for transport in transports:
        await transport.stop()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await endpoint.stop()
    if failed:  # a console whose lines could not be recorded (a base locked): not a success
        raise failed[0]
