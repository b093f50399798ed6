"""The absence log as a service: recording (with detection), correcting, deleting, the checks.

Called directly on a session, without a dialogue; what is stored and audited is read back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import demo
from bot.absences.log import (
    Details,
    correct_absence,
    decline_followup,
    delete_absence,
    editable_absences,
    outside,
    record_absence,
)
from bot.absences.uploads import Upload
from bot.storage.absences import Absence, FollowUp, StoredDocument
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Person

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def unjustified(day: date, period: str = "matin") -> Details:
    return Details(day=day, period=period, late_minutes=None, justified=False, reason=None)


class World:
    """The demo organisation, read back in one session."""

    def __init__(self, session: AsyncSession, formation: Formation, camille: Person) -> None:
        self.session = session
        self.formation = formation
        self.camille = camille

    def trainee(self, name: str) -> Trainee:
        return next(t for t in self.formation.trainees if t.full_name == name)

    async def audit(self) -> list[AuditEntry]:
        return list((await self.session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())


async def world(session: AsyncSession) -> World:
    await demo.fill(session, today=TODAY)
    formation = await session.scalar(select(Formation).where(Formation.title.startswith("Agent")))
    camille = await session.scalar(select(Person).where(Person.display_name == "Camille Durand"))
    assert formation is not None and camille is not None
    await session.refresh(formation, ["trainees"])
    return World(session, formation, camille)


async def test_recording_stores_audits_and_keeps_the_proof_of_a_justified_absence(
    db: Database,
) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        lea = w.trainee("Léa Martin")
        details = Details(
            day=date(2026, 11, 20),
            period="journee",
            late_minutes=30,  # not a retard: not kept
            justified=True,
            reason="arrêt maladie",
        )
        recorded = await record_absence(
            session,
            w.formation,
            lea,
            details,
            proof=Upload("arret.pdf", "application/pdf", b"%PDF arret"),
            by=w.camille.id,
            now=NOW,
        )
        assert recorded.signal is None and not recorded.followed
        absence = recorded.absence
        assert (absence.day, absence.period, absence.late_minutes) == (
            date(2026, 11, 20),
            "journee",
            None,
        )
        assert (absence.justified, absence.reason) == (True, "arrêt maladie")
        assert (absence.recorded_by, absence.trainee_id) == (w.camille.id, lea.id)
        assert absence.organisation_id == w.formation.organisation_id
        proof = await session.get(StoredDocument, absence.proof_id)
        assert proof is not None
        assert (proof.kind, proof.filename, proof.followup_id, proof.content) == (
            "justificatif",
            "arret.pdf",
            None,
            b"%PDF arret",
        )
        [entry] = await w.audit()
        assert (entry.action, entry.entity, entry.entity_id, entry.actor_id) == (
            "create",
            "absence",
            absence.id,
            w.camille.id,
        )
        assert entry.details == {
            "formation_id": w.formation.id,
            "trainee_id": lea.id,
            "proof": True,
        }
        assert "maladie" not in str(entry.details)


async def test_an_unjustified_absence_keeps_no_proof(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        recorded = await record_absence(
            session,
            w.formation,
            w.trainee("Hugo Moreau"),
            Details(date(2026, 11, 20), "retard", 12, False, None),
            proof=Upload("x.png", "image/png", b"png"),
            by=w.camille.id,
            now=NOW,
        )
        assert recorded.absence.proof_id is None and recorded.absence.late_minutes == 12
        assert (await session.scalars(select(StoredDocument))).all() == []


async def test_the_second_unjustified_absence_is_a_signal_audited_and_said_followed(
    db: Database,
) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        karim = w.trainee("Karim Benali")
        first = await record_absence(
            session, w.formation, karim, unjustified(date(2026, 11, 20)), by=w.camille.id, now=NOW
        )
        assert first.signal is None
        second = await record_absence(
            session,
            w.formation,
            karim,
            unjustified(date(2026, 11, 22), "apres_midi"),
            by=w.camille.id,
            now=NOW,
        )
        assert second.signal is not None and not second.followed
        assert (second.signal.unjustified, second.signal.by_unjustified) == (2, True)
        assert (second.signal.start, second.signal.end) == (date(2026, 11, 20), date(2026, 11, 22))
        signal = [e for e in await w.audit() if e.action == "repeated_absence"]
        assert [(e.entity, e.entity_id) for e in signal] == [("trainee", karim.id)]
        assert signal[0].details == {
            "absence_id": second.absence.id,
            "unjustified": 2,
            "half_days": 2,
        }

        session.add(
            FollowUp(
                organisation_id=w.formation.organisation_id,
                formation_id=w.formation.id,
                trainee_id=karim.id,
                path="long",
                opened_by=w.camille.id,
                opened_at=NOW,
            )
        )
        await session.flush()
        third = await record_absence(
            session, w.formation, karim, unjustified(TODAY), by=w.camille.id, now=NOW
        )
        assert third.signal is not None and third.followed

        await decline_followup(
            session, w.formation.organisation_id, karim.id, by=w.camille.id, now=NOW
        )
        entry = (await w.audit())[-1]
        assert (entry.action, entry.entity, entry.entity_id) == (
            "decline_followup",
            "trainee",
            karim.id,
        )


async def test_a_deleted_absence_no_longer_counts_for_detection(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        karim = w.trainee("Karim Benali")
        first = await record_absence(
            session, w.formation, karim, unjustified(date(2026, 11, 20)), by=w.camille.id, now=NOW
        )
        await delete_absence(session, first.absence, by=w.camille.id, now=NOW)
        second = await record_absence(
            session, w.formation, karim, unjustified(TODAY), by=w.camille.id, now=NOW
        )
        assert second.signal is None


async def test_a_correction_changes_the_row_and_audits_fields_and_previous_values(
    db: Database,
) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        lea = w.trainee("Léa Martin")
        absence = (
            await record_absence(
                session, w.formation, lea, unjustified(date(2026, 11, 20)), by=w.camille.id, now=NOW
            )
        ).absence
        later = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        changed = await correct_absence(
            session,
            absence,
            Details(date(2026, 11, 19), "matin", None, True, "convocation"),
            proof=Upload("convocation.png", "image/png", b"\x89PNG"),
            by=w.camille.id,
            now=later,
        )
        assert changed == ["day", "justified", "reason", "proof"]
        assert (absence.day, absence.justified, absence.reason) == (
            date(2026, 11, 19),
            True,
            "convocation",
        )
        assert absence.proof_id is not None
        assert (absence.updated_by, absence.updated_at) == (w.camille.id, later)
        entry = (await w.audit())[-1]
        assert (entry.action, entry.entity_id) == ("update", absence.id)
        assert entry.details == {
            "fields": ["day", "justified", "reason", "proof"],
            "previous": {"day": "2026-11-20", "period": "matin", "justified": False},
        }
        assert "convocation" not in str(entry.details)

        # To a late arrival, then back: the minutes follow the period.
        assert await correct_absence(
            session,
            absence,
            Details(date(2026, 11, 19), "retard", 75, True, "convocation"),
            by=w.camille.id,
            now=later,
        ) == ["period", "late_minutes"]
        assert (absence.period, absence.late_minutes) == ("retard", 75)


async def test_deleting_keeps_the_row_marked_and_audited(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        absence = (
            await record_absence(
                session,
                w.formation,
                w.trainee("Léa Martin"),
                unjustified(date(2026, 11, 20)),
                by=w.camille.id,
                now=NOW,
            )
        ).absence
        await delete_absence(session, absence, by=w.camille.id, now=NOW)
        await session.flush()
        kept = await session.get(Absence, absence.id)
        assert kept is not None and (kept.deleted_by, kept.deleted_at) == (w.camille.id, NOW)
        entry = (await w.audit())[-1]
        assert (entry.action, entry.entity_id) == ("delete", absence.id)
        assert entry.details == {"day": "2026-11-20", "period": "matin", "justified": False}
        assert (
            await editable_absences(
                session,
                organisation_id=w.formation.organisation_id,
                formation_id=w.formation.id,
                person_id=w.camille.id,
                admin=True,
            )
            == []
        )


async def test_who_may_correct_what(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        other = Person(display_name="Dominique Roy")
        session.add(other)
        await session.flush()
        mine = await record_absence(
            session,
            w.formation,
            w.trainee("Léa Martin"),
            unjustified(date(2026, 11, 19)),
            by=w.camille.id,
            now=NOW,
        )
        theirs = await record_absence(
            session,
            w.formation,
            w.trainee("Hugo Moreau"),
            unjustified(date(2026, 11, 20)),
            by=other.id,
            now=NOW,
        )

        async def editable(person_id: int, admin: bool) -> list[int]:
            found = await editable_absences(
                session,
                organisation_id=w.formation.organisation_id,
                formation_id=w.formation.id,
                person_id=person_id,
                admin=admin,
            )
            return [a.id for a in found]

        # The most recent first; a formateur sees theirs, and all of the formations in her
        # charge (explorer BD4); an admin all.
        assert await editable(w.camille.id, True) == [theirs.absence.id, mine.absence.id]
        assert await editable(w.camille.id, False) == [theirs.absence.id, mine.absence.id]
        assert await editable(other.id, False) == [theirs.absence.id]
        assert (
            await editable_absences(
                session,
                organisation_id=w.formation.organisation_id + 1,
                formation_id=w.formation.id,
                person_id=w.camille.id,
                admin=True,
            )
            == []
        )


async def test_a_day_outside_the_trainee_s_time_in_the_formation(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        w = await world(session)
        lea = w.trainee("Léa Martin")
        start, end = w.formation.start_date, w.formation.effective_end
        assert outside(w.formation, lea, start) is None
        assert outside(w.formation, lea, end) is None
        assert outside(w.formation, lea, date(2026, 10, 1)) == (start, end)
        lea.left_on = date(2026, 11, 20)
        assert outside(w.formation, lea, date(2026, 11, 21)) == (start, date(2026, 11, 20))
