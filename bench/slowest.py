"""The slowest answer the bot gives, to good and to hostile input, at every step.

    python -m bench.slowest [--repeat 3]

Four whole flows (/formation, /bilan, /absence, /decrochage) are walked from
their definitions (:mod:`tests.auxil.walker`, the same walk the kill tests
replay) on the demo organisation, in process, on a SQLite file.  Before each
answer, the same step also receives what a hurried or hostile person sends:
the suite's hostile battery (empty, blank, 10,000 characters, control
characters, lone surrogates, forged buttons), which must not move it.  Every turn is
timed from the engine's point of view (the transport's network time is
excluded: that is the platform's).  The script prints the ten slowest turns
with the step and the kind of input, and how many went over one second.
It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import demo
from bot.app import build_engine
from bot.config import Settings
from bot.messages import Incoming, Platform, Reply
from bot.storage.db import Database
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_TEXT, step_of
from tests.auxil.walker import sample_answers, walk

COMMANDS = ("/formation", "/bilan", "/absence", "/decrochage")
HOSTILE = tuple(bad for bad in FOR_TEXT if not bad.file)
"""What every step must refuse (the suite's hostile battery): empty, blank, 10,000
characters, control characters, lone surrogates, forged buttons."""


@dataclass
class Timed(Person):
    """A person whose every turn is timed, labelled with the step it answered."""

    label: str = "réponse attendue"
    times: list[tuple[float, str, str]] = field(default_factory=list)
    step: str = ""

    async def send(self, message: Incoming) -> list[Reply]:
        started = time.perf_counter()
        replies = await super().send(message)
        self.times.append((time.perf_counter() - started, self.step, self.label))
        return replies


class Walker:
    """Runs the walk, with the hostile inputs slipped in before each of the walk's answers."""

    def __init__(self, db: Database, who: Timed) -> None:
        self.db, self.who = db, who
        self.timed_send = who.send

    async def send(self, message: Incoming) -> list[Reply]:
        flow, step = await step_of(self.db, self.who)
        if flow is not None:  # inside a conversation: the hostile inputs first
            self.who.step = f"{flow}.{step}"
            for bad in HOSTILE:
                self.who.label = bad.label
                await self.timed_send(self.who.incoming(bad.text, choice=bad.choice))
                if await step_of(self.db, self.who) != (flow, step):
                    raise SystemExit(f"« {bad.label} » a fait avancer {flow}.{step}")
            self.who.label = "réponse attendue"
        return await self.timed_send(message)


async def one_run(directory: Path) -> list[tuple[float, str, str]]:
    path = directory / "formabot.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    await database.migrate()
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    async with database.sessions() as session, session.begin():
        await demo.fill(session, today=today)
    settings = Settings(database_url=database.url, data_dir=directory)
    engine = build_engine(database, settings, clock=lambda: datetime.now(UTC))
    camille = Timed(engine, demo.DEMO_USER, Platform.CONSOLE)
    walker = Walker(database, camille)
    camille.send = walker.send  # type: ignore[method-assign]
    answers = sample_answers(today)
    try:
        for command in COMMANDS:
            camille.step = command
            await walk(database, camille, command, answers[command], today=today)
    finally:
        await database.dispose()
    return camille.times


async def main(repeat: int) -> None:
    times: list[tuple[float, str, str]] = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as directory:
            times += await one_run(Path(directory))
    times.sort(reverse=True)
    seconds = [t for t, _, _ in times]
    print(f"{len(times)} tours chronométrés ({repeat} passage(s) de {', '.join(COMMANDS)})")
    print(
        f"médiane {statistics.median(seconds) * 1000:.1f} ms · "
        f"p95 {statistics.quantiles(seconds, n=20)[-1] * 1000:.1f} ms · "
        f"plus lent {seconds[0] * 1000:.1f} ms · au-delà d'une seconde : "
        f"{sum(1 for s in seconds if s > 1)}"
    )
    print("Les dix réponses les plus lentes :")
    for took, step, label in times[:10]:
        print(f"  {took * 1000:8.1f} ms  {step:<45} {label}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="walks of the four flows")
    asyncio.run(main(parser.parse_args().repeat))
