"""Two people acting at the same moment on PostgreSQL, in two processes (explorer UD).

:func:`two_processes` gives two engines on one PostgreSQL base with the demo (two
``Database`` objects, as ``formabot run`` and a second process would hold), and a way to
make people on each.  :func:`row_held` holds a row in a third transaction: the turns
started meanwhile queue at its lock, in the order they reached it (:func:`queued` waits
until they have), and go one after the other once it is released: the race, without
relying on timing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, select, text

from bot import demo as demo_module
from bot.app import build_engine
from bot.config import Settings
from bot.messages import Platform
from bot.storage import people
from bot.storage.db import Database
from tests.auxil.dialogue import Clock, Person

Make = Callable[..., Person]


@asynccontextmanager
async def two_processes(
    pg_db: Database, settings: Settings, clock: Clock
) -> AsyncIterator[tuple[Make, Make]]:
    """The demo on ``pg_db``; who talks to the first engine, who to the second."""
    async with pg_db.sessions() as session, session.begin():
        await demo_module.fill(session, today=clock.now.date())
    other = Database(pg_db.url)
    engines = build_engine(pg_db, settings, clock=clock), build_engine(other, settings, clock=clock)

    def maker(index: int) -> Make:
        def make(name: str, platform: Platform = Platform.CONSOLE, **kwargs: Any) -> Person:
            return Person(engines[index], name, platform, **kwargs)

        return make

    try:
        yield maker(0), maker(1)
    finally:
        await other.dispose()


@asynccontextmanager
async def row_held(db: Database, table: Any, row_id: int) -> AsyncIterator[None]:
    """``table``'s row ``row_id`` locked until the block ends, as the bot locks a row it
    changes (``FOR NO KEY UPDATE``): a turn that only adds rows pointing at it does not
    wait, so a missing lock shows."""
    async with db.sessions() as session, session.begin():
        await session.execute(
            select(table.id).where(table.id == row_id).with_for_update(key_share=True)
        )
        yield


async def queued(db: Database, count: int) -> None:
    """Until ``count`` sessions wait for a lock (each turn started reached the held row)."""
    async with db.sessions() as session:
        for _ in range(200):
            waiting = await session.scalar(
                select(func.count())
                .select_from(text("pg_stat_activity"))
                .where(
                    text("wait_event_type = 'Lock' AND datname = current_database()"),
                )
            )
            if waiting is not None and waiting >= count:
                return
            await session.rollback()  # the activity is read once per transaction
            await asyncio.sleep(0.05)
    raise AssertionError(f"{count} turn(s) should wait at the lock; {waiting} do")


async def one_after_the_other(db: Database, table: Any, row_id: int, *turns: Any) -> list[Any]:
    """Each of ``turns`` (coroutines) started while ``table``'s row is held, in this order,
    each reaching its lock before the next starts; what each returned once released."""
    tasks = []
    third = Database(db.url)  # its own connections: the turns' pools stay theirs
    try:
        async with row_held(third, table, row_id):
            for number, turn in enumerate(turns, 1):
                tasks.append(asyncio.create_task(turn))
                await queued(third, number)
        return list(await asyncio.wait_for(asyncio.gather(*tasks), 20))
    finally:
        for task in tasks:
            task.cancel() if not task.done() else None
        await third.dispose()


async def second_admin(db: Database, name: str = "Bruno Petit", user: str = "bruno") -> None:
    """Another administrator of the demo organisation, on the console as ``user``."""
    async with db.sessions() as session, session.begin():
        person = people.Person(display_name=name)
        session.add(person)
        await session.flush()
        session.add(
            people.Membership(organisation_id=1, person_id=person.id, role=people.Role.ADMIN.value)
        )
        session.add(
            people.ChatIdentity(person_id=person.id, platform="console", user_id=user, chat_id=user)
        )
