"""Which formations a person sees: their own, or all of their organisation's for an admin."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.answers import fold
from bot.formations.labels import told_apart
from bot.invocation import command_on_this_base
from bot.storage import turn_rows
from bot.storage.formations import Formation, Trainee, effective_end
from bot.storage.held import Held


@dataclass(frozen=True)
class Member:
    """Who acts: their organisation, themselves, and whether they are its admin."""

    organisation_id: int
    person_id: int
    admin: bool = False


@lru_cache(maxsize=1024)
def visible_to(member: Member) -> tuple[ColumnElement[bool], ...]:
    """What ``member`` may see of the formations: their organisation's if admin, else their own.

    A formation deleted by mistake is seen by nobody (the audit trail keeps it).

    Every feature that shows formations or what hangs from them (bilans,
    attestations) filters with these same conditions.  They are kept per
    member (SQLAlchemy's expressions are immutable, and building them was a
    tenth of a ``/formations`` turn); a member is only ids and a flag, so a
    cached entry can never show what a later change of role would hide.
    """
    conditions = [
        Formation.organisation_id == member.organisation_id,
        Formation.deleted_at.is_(None),
    ]
    if not member.admin:
        conditions.append(Formation.owner_id == member.person_id)
    return tuple(conditions)


def _visible(admin: bool, *what: Any) -> Select[Any]:
    """The conditions of :func:`visible_to` with the member bound at each call (built once)."""
    conditions = [
        Formation.organisation_id == bindparam("organisation"),
        Formation.deleted_at.is_(None),
    ]
    if not admin:
        conditions.append(Formation.owner_id == bindparam("owner"))
    return (
        select(*what).where(*conditions).order_by(Formation.start_date.desc(), Formation.id.desc())
    )


def _member(member: Member) -> dict[str, int]:
    if member.admin:
        return {"organisation": member.organisation_id}
    return {"organisation": member.organisation_id, "owner": member.person_id}


_VISIBLE_LIST = {admin: _visible(admin, Formation) for admin in (True, False)}
""":func:`visible_formations`'s two statements (admin or not).  Built per member, the statement
and its cache key were a tenth of a ``/formations`` turn for each person's first list (500
people at once: 500 firsts)."""


async def visible_formations(session: AsyncSession, member: Member) -> list[Formation]:
    """The formations ``member`` may open, the most recent start first, trainees and sessions
    loaded (two more queries)."""
    return list((await session.scalars(_VISIBLE_LIST[member.admin], _member(member))).all())


@dataclass(frozen=True)
class Listed:
    """A formation as a list of choices shows it: a few columns, no trainees, no ORM object."""

    id: int
    title: str
    start_date: date
    end_date: date
    extended_end: date | None
    owner_id: int

    @property
    def effective_end(self) -> date:
        return effective_end(self.end_date, self.extended_end)


_LISTED_COLUMNS = tuple(Formation.__table__.c[field.name] for field in fields(Listed))
_LISTED = {admin: _visible(admin, *_LISTED_COLUMNS) for admin in (True, False)}


async def listed_formations(session: AsyncSession, member: Member) -> list[Listed]:
    """What :func:`visible_formations` finds, as lists show it: one query instead of three.

    A list of formations to pick from (``/formations``, « Pour quelle formation ? ») needs
    their titles and dates; loading every trainee of every formation, sorted, for it was
    most of the turn's time.
    """
    found = await session.execute(_LISTED[member.admin], _member(member))
    return [Listed(*row) for row in found]


@lru_cache(maxsize=4096)
def title_key(title: str) -> str:
    """A title as a reader tells titles apart: case, accents and signs aside.

    Kept: the recap compares the title typed with every formation on the same dates, the
    same titles each time (an organisation with many formations made it a sixth of the
    dialogue's time)."""
    return " ".join(re.findall(r"\w+", fold(title)))


class Twins(NamedTuple):
    """Formations under one title on dates that meet: the first few, and how many in all."""

    shown: list[Listed]
    total: int


SHOWN_TWINS = 3
"""Namesakes named in a message; the others counted (« et 97 autres »)."""


async def namesakes(
    db: AsyncSession | Held,
    member: Member,
    title: str,
    start: date,
    end: date,
    *,
    besides: int | None = None,
) -> Twins:
    """The formations ``member`` sees under the same title (as :func:`title_key` reads it) on
    dates that meet ``start``–``end``, other than ``besides``: every list would show them
    alike (explorer AD21: « agent de restauration (demo) » created next to « Agent de
    restauration (démo) », same dates, without a word).  The first :data:`SHOWN_TWINS`
    read whole, the others counted: a recap naming a hundred of them, one paragraph each,
    was a message no one reads and the turn's largest cost.

    A turn passes its hold on the database (``ctx.held``): the ids and titles of the
    formations meeting the dates, often a hundred, are read straight from the driver
    (:meth:`bot.storage.turn_rows.TurnRows.every`), and no ORM session is opened for them.
    Through a session and SQLAlchemy's rows they were most of the recap turn's time (0.8 ms
    a recap with a hundred formations on the same dates, a sixth of a question turn on
    average in ``bench.turns``)."""
    key = title_key(title)
    rows = turn_rows.on(db if isinstance(db, Held) else await db.connection())
    found = await rows.every(
        _MEETING[member.admin], {**_member(member), "start": start, "end": end}
    )
    same = sorted(id_ for id_, other in found if id_ != besides and title_key(other) == key)
    if not same:
        return Twins([], 0)
    # Seldom (a twin found): SQLAlchemy's connection in the same transaction, for the list.
    connection = db.connection if isinstance(db, Held) else await db.connection()
    listed = await connection.execute(
        _LISTED_AMONG[member.admin], {**_member(member), "ids": same[:SHOWN_TWINS]}
    )
    return Twins([Listed(*row) for row in listed], len(same))


_MEETING = {
    admin: _visible(admin, Formation.__table__.c.id, Formation.__table__.c.title)
    .where(
        Formation.start_date <= bindparam("end"),
        or_(
            Formation.end_date >= bindparam("start"),
            Formation.extended_end >= bindparam("start"),
        ),
    )
    .order_by(None)
    for admin in (True, False)
}
""":func:`namesakes`' statements: the formations whose dates meet, titles compared after.

In no order: :func:`namesakes` sorts the few ids whose titles match, and the list's order
made SQLite sort every row read first (a temporary B-tree; a fifth of the look with a
hundred and fifty formations on the same dates, 104 -> 80 µs, AQ)."""

_LISTED_AMONG = {
    admin: _visible(admin, *_LISTED_COLUMNS).where(
        Formation.id.in_(bindparam("ids", expanding=True))
    )
    for admin in (True, False)
}
""":func:`namesakes`' second statement, for the few whose titles are the same."""


async def named_in_organisation(session: AsyncSession, formation: Formation) -> str:
    """Its title, with its start day when another formation of its organisation has the same
    title: what a message to another member names, who may have the other one (explorer
    EA4, ED3: « vous confie la formation « Agent de restauration » » to a trainer who had
    one already)."""
    named = await names_apart(session, [formation.organisation_id])
    return named.get(formation.id, formation.title)


async def names_apart(
    db: AsyncSession | AsyncConnection, organisation_ids: Iterable[int]
) -> dict[int, str]:
    """Every formation's name in these organisations, told apart from the others of its
    organisation (:func:`told_apart`; a group with nothing to show still shares its title):
    one query, ids, titles and start days only."""
    found = await db.execute(
        select(
            Formation.organisation_id, Formation.id, Formation.title, Formation.start_date
        ).where(
            Formation.organisation_id.in_(list(organisation_ids)),
            Formation.deleted_at.is_(None),
        )
    )
    listed: dict[int, list[tuple[int, str, date]]] = {}
    for organisation_id, fid, title, start in found:
        listed.setdefault(organisation_id, []).append((fid, title, start))
    return {fid: name for each in listed.values() for fid, name in told_apart(each).items()}


async def load_formation(
    session: AsyncSession, member: Member, formation_id: object, *, lock: bool = False
) -> Formation | None:
    """The formation (trainees and sessions loaded) if ``member`` may see it; else ``None``.

    ``formation_id`` may come from an answer or a button: anything that is
    not the id of a formation this person may see gives ``None``.

    ``lock`` holds its row until the turn commits (PostgreSQL: ``FOR NO KEY UPDATE``;
    SQLite's turns take the whole base already) and reads it again: a deletion and a
    bilan or a follow-up saved for it at the same moment go one after the other, the
    second seeing what the first did (explorer UD2).
    """
    try:
        wanted = int(str(formation_id))
    except ValueError:
        return None
    if not 0 < wanted < 2**63:  # beyond any id, and beyond what the databases take
        return None
    query = select(Formation).where(Formation.id == wanted, *visible_to(member))
    if lock:
        query = query.with_for_update(key_share=True).execution_options(populate_existing=True)
    formation = await session.scalar(query)
    if formation is None:
        return None
    await session.refresh(formation, ["trainees", "sessions"])
    return formation


async def find_formation(
    session: AsyncSession, formation_id: int | None, organisation_id: int | None = None
) -> Formation | None:
    """The formation, or a French :class:`LookupError` when it is unknown."""
    if formation_id is None:
        return None
    formation = await session.get(Formation, formation_id)
    if formation is None:
        raise LookupError(
            f"Formation {formation_id} introuvable. "
            f"La liste des formations : {command_on_this_base()} export formations."
        )
    if organisation_id is not None and formation.organisation_id != organisation_id:
        raise LookupError(  # it exists, elsewhere (explorer CB7: « introuvable »)
            f"La formation {formation_id} n'est pas de l'organisme {organisation_id} (elle est "
            f"de l'organisme {formation.organisation_id})."
        )
    return formation


async def organisation_trainee(
    session: AsyncSession, organisation_id: int, trainee_id: object, *, lock: bool = False
) -> tuple[Trainee, Formation] | None:
    """The trainee (and their formation) if of ``organisation_id``; else ``None``.

    ``lock`` holds the trainee's row until the turn commits (PostgreSQL: ``FOR NO KEY
    UPDATE``; SQLite's turns take the whole base already) and reads it again, as saving
    an absence does (:func:`hold_trainee`): an erasure and an absence saved for them at
    the same moment go one after the other (explorer UD4: the absence and its health
    detail stored after the erasure).
    """
    try:
        wanted = int(str(trainee_id))
    except ValueError:
        return None
    if not 0 < wanted < 2**63:
        return None
    if lock and await hold_trainee(session, wanted) is None:
        return None
    found = (
        await session.execute(
            select(Trainee, Formation)
            .join(Formation, Formation.id == Trainee.formation_id)
            .where(Trainee.id == wanted, Formation.organisation_id == organisation_id)
        )
    ).first()
    return None if found is None else (found[0], found[1])


async def hold_trainee(session: AsyncSession, trainee_id: int) -> Trainee | None:
    """The trainee, their row held until the turn commits and read again (explorer UD4)."""
    return await session.get(
        Trainee, trainee_id, with_for_update={"key_share": True}, populate_existing=True
    )
