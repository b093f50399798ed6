"""Reading back what the absence and décrochage conversations stored, and extra formations."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select, update

from bot import texts
from bot.app import build_sender
from bot.config import Settings
from bot.formations.labels import name_key
from bot.messages import Reply
from bot.storage.absences import (
    Absence,
    Entretien,
    FollowUp,
    FollowUpContact,
    FollowUpSign,
    QualityTicket,
    StoredDocument,
)
from bot.storage.audit import AuditEntry
from bot.storage.base import Base
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation, Person
from tests.auxil import dialogue

T = TypeVar("T", bound=Base)


async def rows(db: Database, model: type[T], **where: Any) -> list[T]:
    """Every row of ``model`` matching ``where`` (column == value), by id."""
    async with db.sessions() as session:
        query = select(model).order_by(model.id)  # type: ignore[attr-defined]
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return list((await session.scalars(query)).all())


async def absences(db: Database, *, deleted: bool = False) -> list[Absence]:
    found = await rows(db, Absence)
    return [a for a in found if (a.deleted_at is not None) == deleted]


async def trainee_id(db: Database, full_name: str) -> int:
    async with db.sessions() as session:
        found = await session.scalar(select(Trainee.id).where(Trainee.full_name == full_name))
        assert found is not None, full_name
        return found


async def formation_id(db: Database, title_start: str) -> int:
    async with db.sessions() as session:
        for formation in (await session.scalars(select(Formation))).all():
            if formation.title.startswith(title_start):
                return formation.id
    raise AssertionError(title_start)


async def enrol(db: Database, title_start: str, full_name: str) -> None:
    """``full_name`` enrolled in the demo's formation whose title starts with ``title_start``,
    from its first day (a namesake of a trainee of another formation, say)."""
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith(title_start))
        )
        assert formation is not None
        session.add(
            Trainee(
                formation_id=formation.id,
                full_name=full_name,
                name_key=name_key(full_name),
                entered_on=formation.start_date,
            )
        )


async def add_formation(
    db: Database,
    *,
    title: str,
    kind: str = "formation",
    funder: str = "autre",
    long: bool = False,
    certifying: bool = False,
    trainees: tuple[str, ...] = ("Zoé Lambert",),
    today: date = date(2026, 11, 23),
    remote_coaching: bool = False,
) -> int:
    """A formation of the demo organisation, owned by its formateur (Camille Durand)."""
    async with db.sessions() as session, session.begin():
        organisation = await session.scalar(select(Organisation))
        owner = await session.scalar(select(Person).where(Person.display_name == "Camille Durand"))
        assert organisation is not None and owner is not None
        formation = Formation(
            organisation_id=organisation.id,
            owner_id=owner.id,
            title=title,
            funder=funder,
            mode="dates",
            kind=kind,
            start_date=today - timedelta(days=20),
            end_date=today + timedelta(days=40),
            long=long,
            certifying=certifying,
            remote_coaching=remote_coaching,
        )
        for name in trainees:
            formation.trainees.append(
                Trainee(full_name=name, name_key=name_key(name), entered_on=formation.start_date)
            )
        session.add(formation)
        await session.flush()
        return formation.id


async def set_org_settings(db: Database, **values: Any) -> None:
    async with db.sessions() as session, session.begin():
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None
        organisation.settings = {**organisation.settings, **values}


async def audit_entries(db: Database, entity: str | None = None) -> list[AuditEntry]:
    found = await rows(db, AuditEntry)
    return [e for e in found if entity is None or e.entity == entity]


__all__ = [
    "Entretien",
    "FollowUp",
    "FollowUpContact",
    "FollowUpSign",
    "QualityTicket",
    "StoredDocument",
    "absences",
    "add_formation",
    "audit_entries",
    "formation_id",
    "rows",
    "set_org_settings",
    "trainee_id",
]


async def seen_on(who: dialogue.Person, day: str) -> None:
    """Answers /decrochage's « Depuis quand ? » with ``day``, and confirms it."""
    assert "Depuis quand" in who.last, who.last
    await who.says(day)
    await who.presses("Oui, c'est ça")


async def move_due(db: Database, rule_id: str, day: date) -> None:
    """Set the stored due day of the deadline of ``rule_id`` (a day off, say), as a rule
    whose offset lands there would."""
    async with db.sessions() as session, session.begin():
        row = await session.scalar(select(StoredDeadline).where(StoredDeadline.rule_id == rule_id))
        assert row is not None, rule_id
        row.due_on = day


async def record_exit(db: Database, full_name: str, day: date, reason: str = "abandon") -> None:
    """The trainee's exit, as /formations → « Entrées et sorties » stores it."""
    async with db.sessions() as session, session.begin():
        trainee = await session.scalar(select(Trainee).where(Trainee.full_name == full_name))
        assert trainee is not None, full_name
        trainee.left_on, trainee.exit_reason = day, reason


async def writing_this_morning_s_compte_rendu(trainer: dialogue.Person, name: str) -> None:
    """A follow-up just opened (its last question answered): an entretien planned for
    Thursday, then its compte rendu begun, held this morning at 8 h 30 instead."""
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Oui, maintenant")
    await trainer.says("jeudi 14h")
    await trainer.presses("Oui")
    await trainer.says(f"/decrochage {name}")
    await trainer.presses("Rédiger le compte rendu")
    await trainer.presses("déjà eu lieu")
    await trainer.says("ce matin")
    await trainer.presses("Oui")
    await trainer.says("8 h 30")


async def note_unjustified(who: dialogue.Person, line: str) -> None:
    """``line`` (« /absence léa vendredi dernier matin »), its day confirmed, unjustified with
    no motive, saved."""
    await who.says(line)
    await who.presses("Oui")
    await who.presses("Non")
    await who.presses("Passer")
    await who.presses("Enregistrer")


async def reminders_sent_at(
    db: Database, settings: Settings, at: datetime, words: str
) -> list[Reply]:
    """The messages holding ``words`` that the outbox sends at ``at`` (queued by the ticks'
    clock, every one made due then)."""
    async with db.sessions() as session, session.begin():
        await session.execute(update(OutboxMessage).values(next_attempt_at=at))
    sent: list[Reply] = []

    async def console(_chat: str, reply: Reply) -> None:
        sent.append(reply)

    await build_sender(db, settings, {"console": console}, clock=lambda: at).run_once()
    return [reply for reply in sent if words in texts.plain(reply.text)]
