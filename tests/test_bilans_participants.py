"""A bilan's participants after scheduling (bot/bilans/participants.py), called directly
on the demo data: what is refused, what is stored, who is told."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilans.participants import (
    Derogation,
    absent_candidates,
    add_trainee,
    expected_participants,
    no_shows,
    record_no_show,
    remove_participant,
)
from bot.bilans.schedule import Partner, Plan, Visio, schedule_bilan
from bot.formations.queries import Member
from bot.storage.attestations import AttendanceSheet, AttendanceSheetEntry
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from tests.auxil.dialogue import Clock

ADMIN = Member(organisation_id=1, person_id=1, admin=True)
STARTS = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)


async def haddad_only(session: AsyncSession, participant: Any) -> Any:
    """Only the partner has a chat (as the attestations feature gives one)."""
    return ("console", "haddad") if participant.name == "M. Karim Haddad" else None


async def scheduled(db: Database, clock: Clock) -> tuple[int, dict[str, int]]:
    """A remote bilan of the Normandie demo formation: its delegates and a partner."""
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(select(Formation).where(Formation.funder == "normandie"))
        assert formation is not None
        trainees = {
            t.full_name: t.id
            for t in (
                await session.scalars(select(Trainee).where(Trainee.formation_id == formation.id))
            ).all()
        }
        done = await schedule_bilan(
            session,
            ADMIN,
            clock.now,
            formation.id,
            Plan(
                kind="fin",
                owed_key="fin",
                starts_at=STARTS,
                minutes=120,
                visio=Visio("https://visio.example.org/b", True, True),
                trainee_ids=[trainees["Léa Martin"], trainees["Hugo Moreau"]],
                partners=[Partner("M. Karim Haddad")],
            ),
        )
        assert done is not None
        return done.bilan.id, trainees


@pytest.mark.usefixtures("demo")
async def test_a_trainee_who_is_not_a_delegate_needs_an_agreement(
    db: Database, clock: Clock
) -> None:
    bilan_id, trainees = await scheduled(db, clock)
    async with db.sessions() as session, session.begin():
        karim = trainees["Karim Benali"]
        refused = await add_trainee(
            session, ADMIN, clock.now, bilan_id, karim, derogation=None, chat_of=haddad_only
        )
        assert refused is None
        again = await add_trainee(
            session,
            ADMIN,
            clock.now,
            bilan_id,
            trainees["Léa Martin"],  # already invited
            derogation=None,
            chat_of=haddad_only,
        )
        assert again is None
        agreed = Derogation("Mme Sophie Leroy", date(2026, 11, 20), "courrier")
        change = await add_trainee(
            session, ADMIN, clock.now, bilan_id, karim, derogation=agreed, chat_of=haddad_only
        )
        assert change is not None
        assert change.participant.derogation_how == "courrier"
        assert change.unreachable == ["Léa Martin", "Hugo Moreau", "Karim Benali"]
        assert (
            agreed.words()
            == "accord de Mme Sophie Leroy, par courrier, le vendredi 20 novembre 2026"
        )
    async with db.sessions() as session:
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None and bilan.sequence == 1
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "add_participant")
        )
        assert entry is not None and "Karim" not in str(entry.details)  # no name in the audit


@pytest.mark.usefixtures("demo")
async def test_a_removed_partner_is_told_once_and_leaves_every_list(
    db: Database, clock: Clock
) -> None:
    bilan_id, _ = await scheduled(db, clock)
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        haddad = next(p for p in bilan.participants if p.kind == "partner")
        change = await remove_participant(
            session, ADMIN, clock.now, bilan_id, haddad.id, chat_of=haddad_only
        )
        assert change is not None and change.reached == 1 and change.unreachable == []
        assert [p.name for p in change.view.partners] == []
        assert (
            await remove_participant(
                session, ADMIN, clock.now, bilan_id, haddad.id, chat_of=haddad_only
            )
            is None
        )  # already removed
    async with db.sessions() as session:
        [message] = (await session.scalars(select(OutboxMessage))).all()
        assert message.key == f"bilan:{bilan_id}:removed:0:participant:{haddad.id}"
        assert "se tiendra sans vous" in message.payload["text"]


@pytest.mark.usefixtures("demo")
async def test_a_no_show_is_recorded_only_after_the_start(db: Database, clock: Clock) -> None:
    bilan_id, _ = await scheduled(db, clock)
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        hugo = next(p for p in bilan.participants if p.name == "Hugo Moreau")
        assert await record_no_show(session, ADMIN, clock.now, bilan_id, hugo.id) is None
        later = STARTS + timedelta(hours=3)
        change = await record_no_show(session, ADMIN, later, bilan_id, hugo.id)
        assert change is not None
        assert await record_no_show(session, ADMIN, later, bilan_id, hugo.id) is None
        await session.refresh(bilan, ["participants"])
        assert [p.name for p in no_shows(bilan)] == ["Hugo Moreau"]
        assert "Hugo Moreau" not in [p.name for p in expected_participants(bilan)]
        assert len(bilan.participants) == 3  # still a participant, recorded absent


@pytest.mark.usefixtures("demo")
async def test_who_is_on_the_signed_sheet_cannot_be_recorded_absent(
    db: Database, clock: Clock
) -> None:
    bilan_id, _ = await scheduled(db, clock)
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        lea = next(p for p in bilan.participants if p.name == "Léa Martin")
        sheet = AttendanceSheet(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            filename="emargement.pdf",
            mime_type="application/pdf",
            content=b"%PDF-1.4",
            sha256="0" * 64,
            uploaded_at=clock.now,
        )
        session.add(sheet)
        await session.flush()
        session.add(AttendanceSheetEntry(sheet_id=sheet.id, participant_id=lea.id))
        await session.flush()
        names = [p.name for p in await absent_candidates(session, bilan)]
        assert names == ["Hugo Moreau", "M. Karim Haddad"]
        later = STARTS + timedelta(hours=3)
        assert await record_no_show(session, ADMIN, later, bilan_id, lea.id) is None


def test_her_own_agreement_is_said_to_her() -> None:
    """Explorer UE5: the draft written to Mme Sophie Leroy said « (accord de Mme Sophie Leroy,
    par message (Tchap), …) »; to her it is « votre accord », to anyone else hers by name."""
    agreed = Derogation("Mme Sophie Leroy", date(2026, 12, 6), "tchap")
    assert agreed.words(to="Sophie Leroy") == (
        "avec votre accord, donné par message Tchap le dimanche 6 décembre 2026"
    )
    assert agreed.words(to="M. Paul Girard") == (
        "accord de Mme Sophie Leroy, par message (Tchap), le dimanche 6 décembre 2026"
    )
