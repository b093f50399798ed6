"""Which process holds a claimed row, and whether that process is gone.

A process names itself in the rows it takes for a while (an outbox message
it is sending, a long work it is doing, an inbox update it is handling):
``host:namespace:pid``.  A claim lapses after a timeout, because a process
on another machine cannot be asked whether it still runs.  On the same host
and in the same PID namespace it can: a process killed in the middle
(``kill -9``, the OOM killer, a power button on a one-machine install)
leaves rows that the restarted process takes at once instead of minutes
later.  The namespace keeps containers that share a host name (host
networking) from reading each other's process ids.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

LONGEST = 64
"""The ``claimed_by`` columns' size: a longer name is cut, and then never read as gone."""


@cache
def _namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:  # no /proc: never judged gone, the timeout applies
        return "?"


def claimer() -> str:
    """This process's name in ``claimed_by``: a restarted process is a new one."""
    return f"{socket.gethostname()}:{_namespace()}:{os.getpid()}"[:LONGEST]


def gone(name: str | None) -> bool:
    """``name`` (a ``claimed_by``) is a process of this host and namespace that no longer
    runs: its claims may be taken now.  Anything else (another host, a cut name, a process
    alive or not ours to signal) is not known to be gone."""
    parts = (name or "").split(":")
    if len(parts) < 3 or len(name or "") >= LONGEST:
        return False
    host, namespace, pid = parts[:3]
    if host != socket.gethostname() or namespace != _namespace() or namespace == "?":
        return False
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """Dead but not yet reaped by its parent (a supervisor's child killed a moment ago)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # ended between the two looks
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


async def take_back(
    session: AsyncSession,
    model: Any,
    *held: ColumnElement[bool],
    me: str | None = None,
    released: dict[str, Any] | None = None,
) -> list[int]:
    """The rows of ``model`` (a table with ``id`` and ``claimed_by``) that match ``held`` and
    that a process now :func:`gone` holds: released (``status`` back to ``pending``, unless
    ``released`` says otherwise), each only if the same process still holds it (``me``,
    this one, never).  Their ids."""
    found = await session.execute(select(model.id, model.claimed_by).where(*held))
    taken: list[int] = []
    for row_id, holder in found.all():
        if holder == me or not gone(holder):
            continue
        outcome = await session.execute(
            update(model)
            .where(model.id == row_id, model.claimed_by == holder, *held)
            .values(released or {"status": "pending"})
            .execution_options(synchronize_session=False)
        )
        if outcome.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(row_id)
    return taken
