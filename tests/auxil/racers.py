"""Two processes racing the same service calls on one database, trial after trial.

Each racer is a process of its own, forked from the test's (which has
imported the bot already: no second of imports per racer), with its own
engine and connection pool, as two ``formabot`` processes are.  For every
trial of the plan both racers open a transaction, meet at a
``multiprocessing.Barrier``, make the same call and report what they got (a
short, picklable word); ``start`` trials meet once more afterwards so that
racer 0 can empty the organisation tables for the next one.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from multiprocessing.synchronize import Barrier
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

NOW = datetime(2026, 11, 23, 9, 2, tzinfo=UTC)
Plan = list[tuple[str, dict[str, Any]]]


async def _start(session: AsyncSession, side: int, **args: Any) -> str:
    from bot.people.organisations import ChatAddress, create_first_organisation

    user = f"p{args['trial']}-{side}"
    created = await create_first_organisation(
        session,
        name=f"Organisme {side}",
        timezone="Europe/Paris",
        admin_name=f"Personne {side}",
        address=ChatAddress("console", user, user),
    )
    return "won" if created is not None else "organisation_taken"


async def _redeem(session: AsyncSession, side: int, **args: Any) -> str:
    from bot.people import membership
    from bot.people.organisations import ChatAddress

    user = f"r{args['trial']}-{side}"
    joined = await membership.redeem_invitation(
        session,
        args["invitation_id"],
        name=f"Nouvelle {side}",
        address=ChatAddress("telegram", user, user),
        person_id=None,
        member_of=None,
        now=NOW,
    )
    return joined if isinstance(joined, str) else "won"


async def _absence(session: AsyncSession, side: int, **args: Any) -> str:
    from bot.absences.clashes import Conflict
    from bot.absences.log import Details, record_absence
    from bot.storage.formations import Formation, Trainee

    formation = await session.get(Formation, args["formation_id"])
    trainee = await session.get(Trainee, args["trainee_id"])
    assert formation is not None and trainee is not None
    period = args["periods"][side]
    details = Details(
        day=date.fromisoformat(args["day"]),
        period=period,
        late_minutes=10 if period == "retard" else None,
        justified=False,
        reason=None,
    )
    recorded = await record_absence(
        session, formation, trainee, details, by=args["admins"][side], now=NOW
    )
    return f"{recorded.kind}:{recorded.by}" if isinstance(recorded, Conflict) else "won"


async def _followup(session: AsyncSession, side: int, **args: Any) -> str:
    from bot.absences.followups import open_followup
    from bot.absences.opened import AlreadyOpen
    from bot.storage.formations import Formation, Trainee
    from bot.storage.people import Organisation

    formation = await session.get(Formation, args["formation_id"])
    trainee = await session.get(Trainee, args["trainee_id"])
    assert formation is not None and trainee is not None
    organisation = await session.get(Organisation, formation.organisation_id)
    assert organisation is not None
    opened = await open_followup(
        session,
        organisation=organisation,
        formation=formation,
        trainee=trainee,
        actor_id=args["admins"][side],
        now=NOW + timedelta(seconds=side),
        signs=["absences_repetees"],
        note=None,
        cause=None,
        applies=True,
        absence_id=None,
    )
    return f"already_open:{opened.by}" if isinstance(opened, AlreadyOpen) else "won"


CALLS: dict[str, Callable[..., Awaitable[str]]] = {
    "start": _start,
    "redeem": _redeem,
    "absence": _absence,
    "followup": _followup,
}


async def _race(url: str, side: int, barrier: Barrier, plan: Plan) -> list[str]:
    from bot.storage.db import Database

    database = Database(url)
    outcomes: list[str] = []
    try:
        for kind, args in plan:
            async with database.sessions() as session, session.begin():
                await session.execute(text("SELECT 1"))  # connected, transaction open
                barrier.wait()
                outcomes.append(await CALLS[kind](session, side, **args))
            if kind == "start":
                barrier.wait()
                if side == 0:
                    async with database.sessions() as session, session.begin():
                        for table in ("audit_log", "organisations", "chat_identities", "people"):
                            await session.execute(text(f"DELETE FROM {table}"))
                barrier.wait()
    finally:
        await database.dispose()
    return outcomes


def racer(url: str, side: int, barrier: Barrier, plan: Plan, results: Any) -> None:
    """The body of one racing process: its outcomes, in plan order, put on ``results``."""
    try:
        results.put((side, asyncio.run(_race(url, side, barrier, plan))))
    except BaseException as exc:  # reported to the test, which fails with it
        barrier.abort()
        results.put((side, [f"error:{type(exc).__name__}"]))


def race(url: str, plan: Plan, *, timeout: float = 60.0) -> list[tuple[str, str]]:
    """Run ``plan`` in two processes at once; per trial, the two outcomes (racer 0, racer 1)."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2, timeout=timeout)
    results = context.Queue()
    processes = [
        context.Process(target=racer, args=(url, side, barrier, plan, results)) for side in (0, 1)
    ]
    for process in processes:
        process.start()
    outcomes = dict(results.get(timeout=timeout) for _ in processes)
    for process in processes:
        process.join(timeout=timeout)
    return list(zip(outcomes[0], outcomes[1], strict=True))
