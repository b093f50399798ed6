"""A demo organisation, so a newcomer sees something at once.

Two formations of different funders, trainees, delegates, and a formateur
bound to the console user ``formateur`` (``formabot console`` talks as them).
All names are invented.  Like every write path, it leaves the formations'
deadlines computed (``formabot export echeances`` lists them at once).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.service import refresh_deadlines
from bot.formations.labels import name_key
from bot.storage.audit import AuditEntry
from bot.storage.formations import Formation, Trainee
from bot.storage.people import (
    DEMO_ORGANISATION,
    ChatIdentity,
    Membership,
    Organisation,
    Person,
    Role,
)
from bot.storage.state import ConversationState

DEMO_USER = "formateur"


def _monday(day: date) -> date:
    """The Monday of ``day``'s week: a demo formation starts on a working day, as real ones do."""
    return day - timedelta(days=day.weekday())


def _friday(day: date) -> date:
    """The Friday of ``day``'s week: the demo's end-of-formation bilan is not proposed on a Saturday."""
    return day + timedelta(days=4 - day.weekday())


async def fill(
    session: AsyncSession, *, today: date, timezone: str = "Europe/Paris"
) -> Organisation:
    organisation = Organisation(name=DEMO_ORGANISATION, timezone=timezone)
    camille = Person(display_name="Camille Durand", address_form="f")  # « formatrice » (BC10)
    session.add_all([organisation, camille])
    await session.flush()
    session.add(
        ChatIdentity(person_id=camille.id, platform="console", user_id=DEMO_USER, chat_id=DEMO_USER)
    )
    session.add(
        Membership(organisation_id=organisation.id, person_id=camille.id, role=Role.ADMIN.value)
    )
    restauration = Formation(
        organisation_id=organisation.id,
        owner_id=camille.id,
        title="Agent de restauration (démo)",
        funder="normandie",
        mode="dates",
        kind="formation",
        start_date=_monday(today - timedelta(days=30)),
        end_date=_friday(today + timedelta(days=45)),
        certifying=True,
        long=True,
        cm_name="Mme Sophie Leroy",
        cm_email="sophie.leroy@example.org",
    )
    projet = Formation(
        organisation_id=organisation.id,
        owner_id=camille.id,
        title="Projet professionnel (démo)",
        funder="cvl",
        programme="parcours_metiers",
        action_type="projet_pro",
        mode="esp",
        kind="formation",
        start_date=_monday(today - timedelta(days=60)),
        end_date=_friday(today + timedelta(days=120)),
        certifying=False,
        long=False,
        cm_name="M. Paul Girard",
        cm_email="paul.girard@example.org",
    )
    for formation, people in (
        (
            restauration,
            [
                ("Léa Martin", "Brasserie du Port", True),
                ("Karim Benali", None, False),
                ("Julie Petit", "Hôtel des Lys", False),
                ("Hugo Moreau", None, True),
            ],
        ),
        (
            projet,
            [
                ("Nadia Roux", None, True),
                ("Thomas Fabre", None, False),
                ("Inès Garnier", None, False),
            ],
        ),
    ):
        for full_name, company, delegate in people:
            formation.trainees.append(
                Trainee(
                    full_name=full_name,
                    name_key=name_key(full_name),
                    company=company,
                    is_delegate=delegate,
                    entered_on=formation.start_date,
                )
            )
        session.add(formation)
    await session.flush()
    for formation in (restauration, projet):
        await refresh_deadlines(session, formation.id)
    return organisation


async def remove(session: AsyncSession) -> int:
    """The demo organisation, everything in it (formations, trainees, absences, bilans…, by
    the database's cascades) and its trainer Camille Durand, gone; how many organisations.

    For a base that got the demo by mistake (a first start without a token): the first
    person's /start can then create the real organisation.  People who joined the demo
    keep their account, in no organisation.
    """
    ids = list(
        (
            await session.scalars(
                select(Organisation.id).where(Organisation.name == DEMO_ORGANISATION)
            )
        ).all()
    )
    if not ids:
        return 0
    camille = await session.scalar(
        select(ChatIdentity.person_id).where(
            ChatIdentity.platform == "console", ChatIdentity.user_id == DEMO_USER
        )
    )
    # What the database's cascades keep (an audit entry outlives its organisation).
    await session.execute(delete(AuditEntry).where(AuditEntry.organisation_id.in_(ids)))
    await session.execute(delete(Organisation).where(Organisation.id.in_(ids)))
    await session.execute(  # the console's dialogue under way, about formations gone
        delete(ConversationState).where(
            ConversationState.platform == "console", ConversationState.user_id == DEMO_USER
        )
    )
    if camille is not None:
        elsewhere = await session.scalar(
            select(Membership.id).where(Membership.person_id == camille).limit(1)
        )
        if elsewhere is None:
            await session.execute(delete(Person).where(Person.id == camille))
    return len(ids)
