"""Formations of one title starting the same day, told apart (explorer MA3).

Two formations of one title are told apart by their start day (:func:`told_apart`,
« Agent de restauration (mardi 3 novembre 2026) »); two that also start the same day (two
groups of one training, or a copy) had identical buttons in every choice, in /echeances'
list and « Quelle formation ? » alike. What differs is added: the trainer in charge when
each twin has another, else the trainees' first names that the others lack, else their
count, else a number (« n° 2 », by creation order).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.formations.labels import name_key
from bot.storage.formations import ERASED_NAME, Formation, Trainee
from bot.storage.people import Person

FIRST_NAMES = 2
"""First names a mark shows at most, the others counted (« avec Karim, Inès et 2 autres »)."""


async def twin_marks(
    session: AsyncSession, formations: Iterable[tuple[int, str, date]]
) -> dict[int, str]:
    """What tells apart each formation whose title and start day another of ``formations``
    has, by id (« Camille Durand », « avec Karim », « 3 stagiaires », « n° 2 »); no query
    when none has a twin."""
    groups: dict[tuple[str, date], list[int]] = {}
    for fid, title, start in formations:
        groups.setdefault((name_key(title), start), []).append(fid)
    twins = [sorted(set(ids)) for ids in groups.values() if len(set(ids)) > 1]
    if not twins:
        return {}
    ids = [fid for group in twins for fid in group]
    owned = await session.execute(
        select(Formation.id, Person.display_name)
        .join(Person, Person.id == Formation.owner_id)
        .where(Formation.id.in_(ids))
    )
    owners = {int(fid): str(name) for fid, name in owned.all()}
    named = await session.execute(
        select(Trainee.formation_id, Trainee.id, Trainee.full_name)
        .where(Trainee.formation_id.in_(ids))
        .order_by(Trainee.id)
    )
    trainees: dict[int, list[str]] = {fid: [] for fid in ids}
    for fid, tid, name in named.all():
        if name != ERASED_NAME.format(id=tid) and name.split():  # an erased one: no name
            trainees[int(fid)].append(name.split()[0])
    marks: dict[int, str] = {}
    for group in twins:
        marks.update(told(group, owners, trainees))
    return marks


def told(
    group: list[int], owners: dict[int, str], trainees: dict[int, list[str]]
) -> dict[int, str]:
    """The first kind of mark that differs for every formation of ``group``."""
    for marks in (
        {fid: owners.get(fid, "") for fid in group},
        {fid: with_names(fid, group, trainees) for fid in group},
        {fid: counted(len(trainees[fid])) for fid in group},
    ):
        if all(marks.values()) and len(set(marks.values())) == len(group):
            return marks
    return {fid: f"n° {number}" for number, fid in enumerate(group, 1)}


def with_names(fid: int, group: list[int], trainees: dict[int, list[str]]) -> str:
    """« avec Karim »: its trainees' first names that not every other twin has."""
    others = [set(trainees[other]) for other in group if other != fid]
    everywhere = set.intersection(*others) if others else set()
    own = list(dict.fromkeys(n for n in trainees[fid] if n not in everywhere))
    if not own:
        return ""
    more = len(own) - FIRST_NAMES
    shown = ", ".join(own[:FIRST_NAMES])
    return f"avec {shown} et {more} autre{'s' if more > 1 else ''}" if more > 0 else f"avec {shown}"


def counted(count: int) -> str:
    return "aucun stagiaire" if count == 0 else f"{count} stagiaire{'s' if count > 1 else ''}"
