"""Which formations a person sees: their own, or all of their organisation's for an admin."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.formations import Formation


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


def _visible_list(admin: bool) -> Select[Formation]:
    conditions = [
        Formation.organisation_id == bindparam("organisation"),
        Formation.deleted_at.is_(None),
    ]
    if not admin:
        conditions.append(Formation.owner_id == bindparam("owner"))
    return (
        select(Formation)
        .where(*conditions)
        .order_by(Formation.start_date.desc(), Formation.id.desc())
    )


_VISIBLE_LIST = {admin: _visible_list(admin) for admin in (True, False)}
""":func:`visible_formations`'s two statements, built once: the conditions of :func:`visible_to`
with the member bound at each call.  Built per member, the statement and its cache key were
a tenth of a ``/formations`` turn for each person's first list (500 people at once: 500 firsts)."""


async def visible_formations(session: AsyncSession, member: Member) -> list[Formation]:
    """The formations ``member`` may open, the most recent start first."""
    params = {"organisation": member.organisation_id}
    if not member.admin:
        params["owner"] = member.person_id
    return list((await session.scalars(_VISIBLE_LIST[member.admin], params)).all())


async def load_formation(
    session: AsyncSession, member: Member, formation_id: object
) -> Formation | None:
    """The formation (trainees and sessions loaded) if ``member`` may see it; else ``None``.

    ``formation_id`` may come from an answer or a button: anything that is
    not the id of a formation this person may see gives ``None``.
    """
    try:
        wanted = int(str(formation_id))
    except ValueError:
        return None
    if not 0 < wanted < 2**63:  # beyond any id, and beyond what the databases take
        return None
    formation = await session.scalar(
        select(Formation).where(Formation.id == wanted, *visible_to(member))
    )
    if formation is None:
        return None
    await session.refresh(formation, ["trainees", "sessions"])
    return formation
