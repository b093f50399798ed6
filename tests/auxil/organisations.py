"""More organisations beside the demo's: each with its admin reachable in private and a
formation whose three entries are overdue (so each has a digest to send)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.deadlines.service import refresh_deadlines
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.people import ChatIdentity, Membership, Organisation, Person, Role


async def add_organisations(db: Database, count: int, today: date, first: int = 1) -> list[int]:
    """``count`` organisations ``Organisme N`` from ``first``, admin ``admin-N`` on the console;
    their ids."""
    ids = []
    async with db.sessions() as session, session.begin():
        for number in range(first, first + count):
            organisation = Organisation(name=f"Organisme {number}")
            admin = Person(display_name=f"Admin {number}")
            session.add_all([organisation, admin])
            await session.flush()
            user = f"admin-{number}"
            session.add_all(
                [
                    ChatIdentity(
                        person_id=admin.id, platform="console", user_id=user, chat_id=user
                    ),
                    Membership(
                        organisation_id=organisation.id, person_id=admin.id, role=Role.ADMIN.value
                    ),
                ]
            )
            formation = Formation(
                organisation_id=organisation.id,
                owner_id=admin.id,
                title=f"Parcours {number}",
                funder="cvl",
                programme="parcours_metiers",
                action_type="projet_pro",
                mode="esp",
                kind="formation",
                start_date=today - timedelta(days=60),
                end_date=today + timedelta(days=120),
                certifying=False,
                long=False,
            )
            for name in ("Nadia Roux", "Thomas Fabre", "Inès Garnier"):
                formation.trainees.append(
                    Trainee(full_name=name, name_key=name.lower(), entered_on=formation.start_date)
                )
            session.add(formation)
            await session.flush()
            await refresh_deadlines(session, formation.id)
            ids.append(organisation.id)
    return ids
