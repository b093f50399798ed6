"""Which formations a person sees: their own, or all of their organisation's for an admin."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.formations import Formation


@dataclass(frozen=True)
class Member:
    """Who acts: their organisation, themselves, and whether they are its admin."""

    organisation_id: int
    person_id: int
    admin: bool = False


async def visible_formations(session: AsyncSession, member: Member) -> list[Formation]:
    """The formations ``member`` may open, the most recent start first."""
    query = select(Formation).where(Formation.organisation_id == member.organisation_id)
    if not member.admin:
        query = query.where(Formation.owner_id == member.person_id)
    query = query.order_by(Formation.start_date.desc(), Formation.id.desc())
    return list((await session.scalars(query)).all())


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
    formation = await session.get(Formation, wanted)
    if formation is None or formation.organisation_id != member.organisation_id:
        return None
    if not member.admin and formation.owner_id != member.person_id:
        return None
    await session.refresh(formation, ["trainees", "sessions"])
    return formation
