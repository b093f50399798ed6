"""Two organisations and their people, built directly, for the services' tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.formations.queries import Member
from bot.formations.service import NewFormation, NewSession, NewTrainee, create_formation
from bot.storage.formations import Formation
from bot.storage.people import Membership, Organisation, Person, Role


@dataclass(frozen=True)
class Cast:
    admin: Member
    formateur: Member
    colleague: Member
    outsider: Member
    """The admin of another organisation."""


async def cast(session: AsyncSession) -> Cast:
    home, other = Organisation(name="Forma Plus"), Organisation(name="Autre OF")
    people = [Person(display_name=n) for n in ("Claire", "Bruno", "Chloé", "Sam")]
    session.add_all([home, other, *people])
    await session.flush()
    roles = [
        (home, Role.ADMIN),
        (home, Role.FORMATEUR),
        (home, Role.FORMATEUR),
        (other, Role.ADMIN),
    ]
    for who, (organisation, role) in zip(people, roles, strict=True):
        session.add(Membership(organisation_id=organisation.id, person_id=who.id, role=role.value))
    await session.flush()
    members = [
        Member(organisation.id, who.id, admin=role is Role.ADMIN)
        for who, (organisation, role) in zip(people, roles, strict=True)
    ]
    return Cast(*members)


def restauration(**changes: object) -> NewFormation:
    values: dict[str, object] = {
        "title": "Agent de restauration",
        "funder": "normandie",
        "kind": "formation",
        "mode": "dates",
        "start": date(2026, 12, 1),
        "end": date(2027, 6, 15),
        "certifying": True,
        "long": True,
        "trainees": (
            NewTrainee("Marie Dupont", "Boulangerie Martin", delegate=True),
            NewTrainee("Karim Benali"),
        ),
    }
    return NewFormation(**(values | changes))  # type: ignore[arg-type]


def cvl_metiers(**changes: object) -> NewFormation:
    """A formation whose deadlines name its trainees and its sessions (their ids in the keys)."""
    values: dict[str, object] = {
        "funder": "cvl",
        "programme": "parcours_metiers",
        "action_type": "metiers",
        "start": date.today() + timedelta(days=3),
        "end": date.today() + timedelta(days=120),
        "sessions": (
            NewSession(
                "Cuisine", date.today() + timedelta(days=3), date.today() + timedelta(days=60)
            ),
            NewSession(
                "Salle", date.today() + timedelta(days=61), date.today() + timedelta(days=120)
            ),
        ),
    }
    return restauration(**(values | changes))


async def a_formation(session: AsyncSession, owner: Member, **changes: object) -> Formation:
    return await create_formation(session, owner, restauration(**changes))
