"""Two organisations and their people, built directly, for the services' tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.formations.queries import Member
from bot.formations.service import NewFormation, NewSession, NewTrainee, create_formation
from bot.storage.db import Database
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


TRADES = (
    "Cariste",
    "Agent de propreté",
    "Commis de cuisine",
    "Employé commercial",
    "Remise à niveau",
)
CITIES = ("Caen", "Rouen", "Le Havre", "Évreux")
GIVEN = [
    "Aïcha",
    "Antoine",
    "Camille",
    "Chloé",
    "Emma",
    "Hugo",
    "Inès",
    "Julie",
    "Julien",
    "Karim",
    "Léa",
    "Lucas",
    "Manon",
    "Marie",
    "Mehdi",
    "Nadia",
    "Nathan",
    "Sarah",
    "Thomas",
    "Youssef",
]


async def a_crowd(db: Database, today: date) -> None:
    """Twenty more formations for the demo organisation, as an organisation at scale has:
    five trades in four cities (« Cariste – Rouen »), the first eight starting in a month,
    the others running; each with a Benali (« Aïcha Benali ») and a Martin."""
    async with db.sessions() as session, session.begin():
        first = await session.scalar(select(Formation).order_by(Formation.id))
        assert first is not None
        owner = Member(first.organisation_id, first.owner_id, admin=True)
        for n, (city, trade) in enumerate(product(CITIES, TRADES)):
            start = today + timedelta(days=40) if n < 8 else today - timedelta(days=30 + n)
            people = (NewTrainee(f"{GIVEN[n]} Benali"), NewTrainee(f"{GIVEN[n]} Martin"))
            await create_formation(
                session,
                owner,
                restauration(
                    title=f"{trade} – {city}",
                    start=start,
                    end=start + timedelta(days=200),
                    trainees=people,
                ),
            )
